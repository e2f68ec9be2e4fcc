package matching

import (
	"context"
	"sync"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/match"
)

// cpvState holds the CPV suggester, built from the loaded CPV list on
// first use and again after a reference load.
type cpvState struct {
	mu sync.Mutex
	s  *match.CPVSuggester
	bg *match.Background // word weights from the government corpora, read once
}

func (c *cpvState) invalidate() {
	c.mu.Lock()
	c.s = nil
	c.mu.Unlock()
}

// SuggestCPV suggests up to k CPV codes for a need's text of organisation
// orgID (0 when none is named: then the actor's organisations); the codes
// that similar needs of other organisations use count too, but only needs
// the actor of ctx may see (arena.CanSeeNeed: for an anonymous caller the
// public ones), so a draft never gives its code away. It needs the CPV
// list: without it the answer is EUNAVAILABLE.
func (s *Service) SuggestCPV(ctx context.Context, title, description string, orgID int64, k int) ([]match.CPVSuggestion, error) {
	ref := s.DB.Reference()
	if !ref.HasCPV() {
		return nil, arena.Err(arena.EUNAVAILABLE, "err.cpv.not_loaded")
	}
	visible, err := s.visibleIDs(ctx)
	if err != nil {
		return nil, err
	}
	keep := visible
	if a := arena.ActorFrom(ctx); orgID == 0 && len(a.OrgIDs()) > 0 {
		// No organisation named: the asker's own are not "another
		// organisation" either.
		keep = func(k string) bool { return visible(k) && !a.InOrg(s.indexed(k).OrgID) }
	}
	s.cpv.mu.Lock()
	if s.cpv.s == nil {
		sug := match.NewCPVSuggester(s.an, ref.CPVList())
		if s.cpv.bg == nil && s.DataDir != "" {
			// General public-sector Swedish tells label words that name a
			// thing from everyday administrative words.
			bg, err := match.ReadBackground(s.DataDir, s.an)
			if err != nil {
				s.Log.Warn("background corpora for CPV suggestion", "err", err)
			}
			s.cpv.bg = bg
		}
		sug.SetBackground(s.cpv.bg)
		s.cpv.s = sug
	}
	sug := s.cpv.s
	s.cpv.mu.Unlock()
	ix := s.Index()
	org := ""
	if orgID > 0 {
		org = key(orgID)
	}
	return sug.Suggest(title, description, ix, "", org, keep, k), nil
}
