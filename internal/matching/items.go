package matching

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/store"
)

// itemMatches ranks calls, projects and deliverables, experts or networks
// for a need. Calls must fit the need by arena.FundingCall.FitsNeed (not a
// draft, the need's kind of organisation accepted, not closed); networks
// must be open to new members and running.
//
// A general call that FitsNeed says fits whatever the subject is listed
// even when its text shares nothing with the need's: after the calls that
// match by text (best first), at the floor's score
// (match.DefaultMinItemScore, as it fits by rule, not by text), soonest
// closing first. Such calls are never crowded out: the text matches give
// up the last places of limit to them.
//
// text is the need analysed for the items: nil at the first kind, which
// analyses it, and then given to the next kinds.
func (s *Service) itemMatches(ctx context.Context, need *arena.Need, org *arena.Organization, kind string, limit int, now time.Time, text **match.ItemText) ([]Item, error) {
	c, err := s.collection(ctx, kind)
	if err != nil {
		return nil, err
	}
	today := arena.DateOf(now)
	keep := func(id string) bool {
		switch r := c.records[id].(type) {
		case *arena.FundingCall:
			_, ok := r.FitsNeed(need, org.Kind, today)
			return ok
		case *arena.Network:
			return r.Open && r.Status == arena.NetworkActive
		}
		return true
	}
	if *text == nil {
		*text = c.c.Analyse(toNeed(&store.IndexedNeed{Need: *need, OrgKind: org.Kind}))
	}
	ms, err := c.c.RankText(ctx, *text, limit, match.DefaultMinItemScore, keep)
	if err != nil {
		return nil, err
	}
	if kind == KindCalls {
		ms = withGeneralCalls(c, ms, need, org.Kind, today, limit)
	}
	items := make([]Item, 0, len(ms))
	for _, m := range ms {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		typ, idStr, _ := strings.Cut(m.ID, ":")
		id, _ := strconv.ParseInt(idStr, 10, 64)
		it := Item{Type: typ, ID: id, Score: round(m.Score), Reasons: []Reason{}}
		if len(m.Shared) > 0 {
			it.Reasons = append(it.Reasons, s.conceptReason("reason.concepts", m.Shared))
		}
		switch r := c.records[m.ID].(type) {
		case *arena.FundingCall:
			it.Title = r.Title
			it.Reasons = append(it.Reasons, callReasons(r, need, org.Kind, today)...)
		case *arena.Project:
			it.Title = r.Title
			if r.CoordinatorOrgID != nil {
				if o, err := s.orgOf(ctx, *r.CoordinatorOrgID); err == nil {
					it.OrgID, it.OrgName = o.ID, o.Name
				}
			}
		case *arena.Deliverable:
			it.Title = r.Title
			it.Reasons = append(it.Reasons, Reason{Kind: "network", Msg: arena.M("reason.deliverable", arena.F{"kind": r.Kind.Term()})})
		case *arena.Expert:
			it.Title = r.Name
		case *arena.Network:
			it.Title = r.Name
			it.Reasons = append(it.Reasons, Reason{Kind: "network", Msg: arena.M("reason.network.open", arena.F{"kind": r.Kind.Term()})})
		}
		items = append(items, it)
	}
	return items, nil
}

// withGeneralCalls adds to ms, the calls that match need by text, the
// general calls of c that fit it whatever the subject and are not among
// ms, at the floor's score, soonest closing first (then by id); at most
// limit in all, the general calls kept before the weakest text matches.
func withGeneralCalls(c *collection, ms []match.ItemMatch, need *arena.Need, kind arena.OrgKind, today arena.Date, limit int) []match.ItemMatch {
	have := map[string]bool{}
	for _, m := range ms {
		have[m.ID] = true
	}
	var general []*arena.FundingCall
	for id, r := range c.records {
		if call, ok := r.(*arena.FundingCall); ok && !have[id] {
			if fit, ok := call.FitsNeed(need, kind, today); ok && fit.General {
				general = append(general, call)
			}
		}
	}
	if len(general) == 0 {
		return ms
	}
	slices.SortFunc(general, func(a, b *arena.FundingCall) int {
		switch {
		case a.ClosesDate != nil && b.ClosesDate != nil && !a.ClosesDate.Equal(b.ClosesDate.Time):
			return a.ClosesDate.Compare(b.ClosesDate.Time)
		case (a.ClosesDate == nil) != (b.ClosesDate == nil):
			if a.ClosesDate != nil {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.ID, b.ID)
	})
	if len(general) > limit {
		general = general[:limit]
	}
	if len(ms) > limit-len(general) {
		ms = ms[:limit-len(general)]
	}
	for _, call := range general {
		ms = append(ms, match.ItemMatch{ID: "call:" + key(call.ID), Score: match.DefaultMinItemScore})
	}
	return ms
}

// callReasons say who may apply to a call (the need's kind of
// organisation, in the plural: "kommuner"), or that it is a general call
// for innovation procurement they may apply to (arena.CallFit.Why), and
// when it closes.
func callReasons(c *arena.FundingCall, need *arena.Need, k arena.OrgKind, today arena.Date) []Reason {
	var rs []Reason
	if fit, ok := c.FitsNeed(need, k, today); ok && fit.General {
		rs = append(rs, Reason{Kind: "eligibility", Msg: fit.Why})
	} else if len(c.EligibleOrgKinds) > 0 {
		rs = append(rs, Reason{Kind: "eligibility", Msg: arena.M("reason.call.eligible", arena.F{"kind": k.Term().In(arena.Plural)})})
	} else {
		rs = append(rs, Reason{Kind: "eligibility", Msg: arena.M("reason.call.open_to_all")})
	}
	if c.ClosesDate != nil {
		days := int(c.ClosesDate.Sub(today.Time).Hours() / 24)
		rs = append(rs, Reason{Kind: "deadline", Msg: arena.M("reason.call.closes", arena.F{"date": *c.ClosesDate, "days": days, "n": days})})
	} else {
		rs = append(rs, Reason{Kind: "deadline", Msg: arena.M("reason.call.no_date")})
	}
	return rs
}
