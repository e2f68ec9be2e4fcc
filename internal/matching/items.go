package matching

import (
	"context"
	"fmt"
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
			return eligible(r, org.Kind) && (r.ClosesDate == nil || !r.ClosesDate.Before(today.Time))
		case *arena.Network:
			return r.Open && r.Status == arena.NetworkActive
		}
		return true
	}
	q := toNeed(&store.IndexedNeed{Need: *need, OrgKind: org.Kind})
	ms := c.c.Rank(q, limit, match.DefaultMinItemScore, keep)
	items := make([]Item, 0, len(ms))
	for _, m := range ms {
		typ, idStr, _ := strings.Cut(m.ID, ":")
		id, _ := strconv.ParseInt(idStr, 10, 64)
		it := Item{Type: typ, ID: id, Score: round(m.Score)}
		if len(m.Shared) > 0 {
			it.Reasons = append(it.Reasons, Reason{Kind: "concepts", Concepts: m.Shared,
				Text: "Gemensamma begrepp: " + conceptText(m.Shared), TextEN: "Shared concepts: " + conceptText(m.Shared)})
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
			it.Reasons = append(it.Reasons, Reason{Kind: "network", Text: "Leverans från ett beställarnätverk: " + deliverableSV[r.Kind], TextEN: "Deliverable of a buyer network: " + string(r.Kind)})
		case *arena.Expert:
			it.Title = r.Name
		case *arena.Network:
			it.Title = r.Name
			it.Reasons = append(it.Reasons, Reason{Kind: "network", Text: "Nätverket tar emot nya medlemmar (" + networkKindSV[r.Kind] + ")", TextEN: "The network takes new members (" + string(r.Kind) + ")"})
		}
		if it.Reasons == nil {
			it.Reasons = []Reason{}
		}
		items = append(items, it)
	}
	return items, nil
}

func eligible(c *arena.FundingCall, k arena.OrgKind) bool {
	if len(c.EligibleOrgKinds) == 0 {
		return true
	}
	for _, x := range c.EligibleOrgKinds {
		if x == k {
			return true
		}
	}
	return false
}

func callReasons(c *arena.FundingCall, k arena.OrgKind, today arena.Date) []Reason {
	var rs []Reason
	if len(c.EligibleOrgKinds) > 0 {
		rs = append(rs, Reason{Kind: "eligibility", Text: "Utlysningen vänder sig till " + kindSV[k] + "er och liknande", TextEN: "The call is open to organisations of kind " + string(k)})
	} else {
		rs = append(rs, Reason{Kind: "eligibility", Text: "Utlysningen anger inga begränsningar av vilka som får söka", TextEN: "The call names no limits on who may apply"})
	}
	switch {
	case c.ClosesDate != nil:
		days := int(c.ClosesDate.Sub(today.Time).Hours() / 24)
		rs = append(rs, Reason{Kind: "deadline", Text: fmt.Sprintf("Stänger %s, om %d dagar", c.ClosesDate, days), TextEN: fmt.Sprintf("Closes %s, in %d days", c.ClosesDate, days)})
	default:
		rs = append(rs, Reason{Kind: "deadline", Text: "Inget sista ansökningsdatum är angivet", TextEN: "No closing date is given"})
	}
	return rs
}

var deliverableSV = map[arena.DeliverableKind]string{
	arena.DeliverableRequirementSpec: "kravspecifikation", arena.DeliverableGuidance: "vägledning",
	arena.DeliverablePrototype: "utvärderad prototyp", arena.DeliverableDPS: "dynamiskt inköpssystem (DIS)", arena.DeliverableOther: "annan leverans",
}

var networkKindSV = map[arena.NetworkKind]string{arena.NetworkStrategic: "strategiskt", arena.NetworkTactical: "taktiskt"}
