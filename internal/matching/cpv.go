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
}

func (c *cpvState) invalidate() {
	c.mu.Lock()
	c.s = nil
	c.mu.Unlock()
}

// SuggestCPV suggests up to k CPV codes for a need's text; the codes that
// similar needs of other organisations use count too. It needs the CPV
// list: without it the answer is EUNAVAILABLE.
func (s *Service) SuggestCPV(ctx context.Context, title, description string, orgID int64, k int) ([]match.CPVSuggestion, error) {
	ref := s.DB.Reference()
	if !ref.HasCPV() {
		return nil, arena.Errorf(arena.EUNAVAILABLE, "CPV-koderna är inte inlästa (arena reference load --from DIR); förslag kan inte ges")
	}
	s.cpv.mu.Lock()
	if s.cpv.s == nil {
		s.cpv.s = match.NewCPVSuggester(s.an, ref.CPVList())
	}
	sug := s.cpv.s
	s.cpv.mu.Unlock()
	ix := s.Index()
	org := ""
	if orgID > 0 {
		org = key(orgID)
	}
	return sug.Suggest(title, description, ix, "", org, k), nil
}
