package matching

import (
	"context"
	"strconv"
	"strings"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/store"
)

// itemMatches ranks calls, projects and deliverables, experts or networks
// for a need. Calls must accept the need's kind of organisation and not be
// closed; networks must be open to new members and running.
func (s *Service) itemMatches(ctx context.Context, need *arena.Need, org *arena.Organization, kind string, limit int, now time.Time) ([]Item, error) {
	c, err := s.collection(ctx, kind)
	if err != nil {
		return nil, err
	}
	today := arena.DateOf(now)
	keep := func(id string) bool {
		switch r := c.records[id].(type) {
		case *arena.FundingCall:
			return r.Accepts(org.Kind) && !r.IsClosed(today)
		case *arena.Network:
			return r.Open && r.Status == arena.NetworkActive
		}
		return true
	}
	q := toNeed(&store.IndexedNeed{Need: *need, OrgKind: org.Kind})
	ms, err := c.c.Rank(ctx, q, limit, match.DefaultMinItemScore, keep)
	if err != nil {
		return nil, err
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
			it.Reasons = append(it.Reasons, conceptReason("reason.concepts", m.Shared))
		}
		switch r := c.records[m.ID].(type) {
		case *arena.FundingCall:
			it.Title = r.Title
			it.Reasons = append(it.Reasons, callReasons(r, org.Kind, today)...)
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

// callReasons say who may apply to a call (the need's kind of
// organisation, in the plural: "kommuner") and when it closes.
func callReasons(c *arena.FundingCall, k arena.OrgKind, today arena.Date) []Reason {
	var rs []Reason
	if len(c.EligibleOrgKinds) > 0 {
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
