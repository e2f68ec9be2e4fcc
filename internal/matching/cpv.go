package matching

import (
	"context"
	"sync"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/refdata"
)

// cpvState holds the CPV suggester, built from the loaded CPV list on
// first use and again after a reference load, and the word weights of the
// government corpora, read once in the background (seconds of work): a
// suggestion asked before they are read is made without them.
type cpvState struct {
	mu     sync.Mutex
	s      *match.CPVSuggester
	bg     *match.Background // word weights from the government corpora
	bgOnce sync.Once
	bgDone chan struct{} // closed when the corpora are read (or there are none)
}

func (c *cpvState) invalidate() {
	c.mu.Lock()
	c.s = nil
	c.mu.Unlock()
}

// readBackground starts reading the corpora, once; when they are read, a
// suggester that weighs with them replaces the one without.
func (s *Service) readBackground() {
	s.cpv.bgOnce.Do(func() {
		if s.DataDir == "" {
			close(s.cpv.bgDone)
			return
		}
		go func() {
			defer close(s.cpv.bgDone)
			// General public-sector Swedish tells label words that name a
			// thing from everyday administrative words.
			bg, err := match.ReadBackground(s.DataDir, s.an)
			if err != nil {
				s.Log.Warn("background corpora for CPV suggestion", "err", err)
				return
			}
			var sug *match.CPVSuggester
			if ref := s.DB.Reference(); ref.HasCPV() {
				sug = match.NewCPVSuggester(s.an, ref.CPVList())
				sug.SetBackground(bg)
			}
			s.cpv.mu.Lock()
			s.cpv.bg, s.cpv.s = bg, sug
			s.cpv.mu.Unlock()
		}()
	})
}

// PrepareCPV builds the CPV suggester now, so the first suggestion does
// not pay for it, and starts reading the corpora's word weights.
func (s *Service) PrepareCPV() {
	s.readBackground()
	if ref := s.DB.Reference(); ref.HasCPV() {
		s.cpvSuggester(ref)
	}
}

// WarmCPV prepares CPV suggestion and waits until it weighs words with the
// corpora (or there are none), or until ctx ends.
func (s *Service) WarmCPV(ctx context.Context) error {
	s.PrepareCPV()
	select {
	case <-s.cpv.bgDone:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// cpvSuggester returns the suggester, building it when needed.
func (s *Service) cpvSuggester(ref *refdata.Catalog) *match.CPVSuggester {
	s.readBackground()
	s.cpv.mu.Lock()
	defer s.cpv.mu.Unlock()
	if s.cpv.s == nil {
		s.cpv.s = match.NewCPVSuggester(s.an, ref.CPVList())
		s.cpv.s.SetBackground(s.cpv.bg)
	}
	return s.cpv.s
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
	sug := s.cpvSuggester(ref)
	ix := s.Index()
	org := ""
	if orgID > 0 {
		org = key(orgID)
	}
	var out []match.CPVSuggestion
	err = s.limited(ctx, func() (err error) {
		out, err = sug.Suggest(ctx, title, description, ix, "", org, keep, k)
		return err
	})
	return out, err
}
