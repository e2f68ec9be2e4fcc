package matching

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/store"
)

// callFitLimit bounds the needs, and the networks, CallFits returns.
const callFitLimit = 15

// CallFit is what fits a funding call: needs and running networks, best
// first.
type CallFit struct {
	CallID   int64     `json:"call_id"`
	Needs    []FitItem `json:"needs"`
	Networks []FitItem `json:"networks"`
}

// FitItem is a need or a network that fits a call, with why.
type FitItem struct {
	Type    string   `json:"type"` // need or network
	ID      int64    `json:"id"`
	Title   string   `json:"title"`
	OrgID   int64    `json:"org_id,omitempty"`
	OrgName string   `json:"org_name,omitempty"`
	Score   float64  `json:"score"`
	Reasons []Reason `json:"reasons"`
}

// callText is what a call is about, as a need to rank against: its title,
// programme, description and themes.
func callText(c *arena.FundingCall) *match.Need {
	return &match.Need{Title: c.Title, Description: strings.Join(append([]string{c.Programme, c.Description}, c.Themes...), ". ")}
}

// CallFits ranks against the call with callID the needs the actor of ctx
// may see (arena.CanSeeNeed; drafts never, not even the actor's own) that
// the call fits by arena.FundingCall.FitsNeed (of organisations the call
// accepts, the call not closed), and the running networks, by how well
// their text matches the call's; at most callFitLimit of each, above
// match.DefaultMinItemScore. For a general call every such need that
// FitsNeed says it fits whatever the subject fits too: after the needs
// that match by text, at the floor's score, the most recently changed
// first (then the highest id), up to callFitLimit.
func (s *Service) CallFits(ctx context.Context, callID int64, now time.Time) (fit *CallFit, err error) {
	err = s.limited(ctx, func() (err error) {
		fit, err = s.callFits(ctx, callID, now)
		return err
	})
	return fit, err
}

func (s *Service) callFits(ctx context.Context, callID int64, now time.Time) (*CallFit, error) {
	c, err := s.DB.Calls.Get(ctx, callID)
	if err != nil {
		return nil, err
	}
	see, err := s.canSee(ctx)
	if err != nil {
		return nil, err
	}
	q := callText(c)
	today := arena.DateOf(now)
	fit := &CallFit{CallID: c.ID, Needs: []FitItem{}, Networks: []FitItem{}}

	needs := map[string]*store.IndexedNeed{}
	var general []*store.IndexedNeed // the needs the call fits whatever the subject
	var items []match.Item
	err = s.DB.EachNeedForIndex(ctx, func(n *store.IndexedNeed) error {
		if !n.Shared() || !see(&n.Need) {
			return nil
		}
		cf, ok := c.FitsNeed(&n.Need, n.OrgKind, today)
		if !ok {
			return nil
		}
		if cf.General {
			general = append(general, n)
		}
		needs[key(n.ID)] = n
		items = append(items, match.Item{ID: key(n.ID), Title: n.Title, Body: n.Description, Tags: nonEmpty([]string{n.Sector})})
		return nil
	})
	if err != nil {
		return nil, err
	}
	ms, err := rankItems(ctx, s.an, items, q)
	if err != nil {
		return nil, err
	}
	ms = withGeneralNeeds(ms, general)
	for _, m := range ms {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n := needs[m.ID]
		org, err := s.orgOf(ctx, n.OrgID)
		if err != nil {
			return nil, err
		}
		f := FitItem{Type: "need", ID: n.ID, Title: n.Title, OrgID: org.ID, OrgName: org.Name, Score: round(m.Score), Reasons: s.fitConcepts(m)}
		if cf, _ := c.FitsNeed(&n.Need, n.OrgKind, today); cf.General {
			f.Reasons = append(f.Reasons, Reason{Kind: "eligibility", Msg: cf.Why})
		} else if len(c.EligibleOrgKinds) > 0 {
			f.Reasons = append(f.Reasons, Reason{Kind: "eligibility", Msg: arena.M("fit.eligible", arena.F{"kind": n.OrgKind.Term()})})
		}
		if c.ClosesDate != nil && n.PlannedDate != nil && !c.IsClosed(today) {
			when := "fit.timing_after"
			if c.ClosesDate.Before(n.PlannedDate.Time) {
				when = "fit.timing_before"
			}
			f.Reasons = append(f.Reasons, Reason{Kind: "timing", Msg: arena.M(when, arena.F{"closes": *c.ClosesDate, "planned": *n.PlannedDate})})
		}
		fit.Needs = append(fit.Needs, f)
	}

	networks, err := store.All(ctx, s.DB.Networks, map[string]string{"status": string(arena.NetworkActive)})
	if err != nil {
		return nil, err
	}
	byID := map[string]*arena.Network{}
	items = items[:0]
	for _, n := range networks {
		byID[key(n.ID)] = n
		items = append(items, match.Item{ID: key(n.ID), Title: n.Name, Body: n.Description, Tags: nonEmpty([]string{n.Sector})})
	}
	if ms, err = rankItems(ctx, s.an, items, q); err != nil {
		return nil, err
	}
	for _, m := range ms {
		n := byID[m.ID]
		f := FitItem{Type: "network", ID: n.ID, Title: n.Name, Score: round(m.Score), Reasons: s.fitConcepts(m)}
		f.Reasons = append(f.Reasons, Reason{Kind: "network", Msg: arena.M("fit.network_kind", arena.F{"kind": n.Kind.Term()})})
		fit.Networks = append(fit.Networks, f)
	}
	return fit, nil
}

// withGeneralNeeds adds to ms, the needs that match a general call by
// text, the needs of general (those it fits whatever the subject) that
// are not among ms, at match.DefaultMinItemScore, the most recently
// changed first (then the highest id); at most callFitLimit in all.
func withGeneralNeeds(ms []match.ItemMatch, general []*store.IndexedNeed) []match.ItemMatch {
	have := map[string]bool{}
	for _, m := range ms {
		have[m.ID] = true
	}
	slices.SortFunc(general, func(a, b *store.IndexedNeed) int {
		if c := b.UpdatedAt.Compare(a.UpdatedAt); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	for _, n := range general {
		if len(ms) >= callFitLimit {
			break
		}
		if !have[key(n.ID)] {
			ms = append(ms, match.ItemMatch{ID: key(n.ID), Score: match.DefaultMinItemScore})
		}
	}
	return ms
}

// rankItems ranks items against q, best first, above the noise floor, at
// most callFitLimit.
func rankItems(ctx context.Context, an *match.Analyzer, items []match.Item, q *match.Need) ([]match.ItemMatch, error) {
	if len(items) == 0 {
		return nil, nil
	}
	c, err := match.NewCollection(ctx, an, items)
	if err != nil {
		return nil, err
	}
	return c.Rank(ctx, q, callFitLimit, match.DefaultMinItemScore, nil)
}

func (s *Service) fitConcepts(m match.ItemMatch) []Reason {
	if len(m.Shared) == 0 {
		return []Reason{}
	}
	return []Reason{s.conceptReason("fit.concepts", m.Shared)}
}

// NetworkCallFits says which calls fit network n (for its alerts): calls
// that arena.FundingCall.FitsOrgs says fit its active members' kinds of
// organisation (not closed on today, accepting at least one of the kinds)
// and, unless FitsOrgs says the call is general and fits whatever the
// subject, whose text shares concepts with the network's name,
// description and sector and its active members' needs' titles. members
// are the network's memberships; the map holds the ids of the calls that
// fit.
func (s *Service) NetworkCallFits(ctx context.Context, n *arena.Network, members []arena.NetworkMember, calls []*arena.FundingCall, today arena.Date) (map[int64]bool, error) {
	fits := map[int64]bool{}
	var kinds []arena.OrgKind
	text := []string{n.Name, n.Description, n.Sector}
	for _, m := range members {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if m.Status != arena.MemberActive {
			continue
		}
		o, err := s.orgOf(ctx, m.OrgID)
		if err != nil {
			return nil, err
		}
		kinds = append(kinds, o.Kind)
		if m.NeedID != nil {
			nd, err := s.DB.NeedForIndex(ctx, *m.NeedID)
			if err == nil {
				text = append(text, nd.Title)
			} else if arena.ErrorCode(err) != arena.ENOTFOUND {
				return nil, err
			}
		}
	}
	byID := map[string]*arena.FundingCall{}
	var items []match.Item
	for _, c := range calls {
		if c.IsClosed(today) {
			continue
		}
		if cf, ok := c.FitsOrgs(kinds, today); ok && cf.General {
			fits[c.ID] = true
		}
		byID[key(c.ID)] = c
		items = append(items, match.Item{ID: key(c.ID), Title: c.Title, Body: c.Programme + ". " + c.Description, Tags: c.Themes})
	}
	if len(items) == 0 {
		return fits, nil
	}
	// Every open call is ranked, the ineligible too, so a call's score
	// does not depend on who the members are.
	c, err := match.NewCollection(ctx, s.an, items)
	if err != nil {
		return nil, err
	}
	ms, err := c.Rank(ctx, &match.Need{Title: n.Name, Description: strings.Join(text, ". ")}, 0, match.DefaultMinItemScore, nil)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if _, ok := byID[m.ID].FitsOrgs(kinds, today); ok {
			fits[byID[m.ID].ID] = true
		}
	}
	return fits, nil
}
