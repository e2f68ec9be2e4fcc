package arena

import (
	"strings"
)

// Classification of buyer networks by the report's criteria (5.3.1), so
// networks can be compared and followed up.

// The report's criteria for telling strategic from tactical networks.
const (
	CriterionTimeHorizon = "time_horizon" // long-term vs ends when the task is solved
	CriterionScope       = "scope"        // a sector vs one well-bounded purchase need
	CriterionMembers     = "members"      // public and private vs public buyers only
	CriterionBenefit     = "benefit"      // broadly in the market vs in public procurement
)

// Weights of the criteria. The time horizon weighs double: it is the
// difference the report calls clear ("De skiljer sig på detta sätt tydligt",
// 5.3.1).
const (
	timeHorizonWeight = 2
	otherWeight       = 1
	// overrideMargin is how far ahead the other kind must be before the
	// classification contradicts the declared kind: one ordinary criterion
	// alone is not enough.
	overrideMargin = 2
	// longRunningYears: a network that has run this many years or more is
	// long-term; a bounded one shorter than this is time-limited.
	longRunningYears = 5
	// tacticalNeedMonths: member needs all planned within this many months
	// make a short horizon.
	tacticalNeedMonths = 24
	// boundedNeeds: a network gathered around this many needs or fewer is
	// bounded even if not every buyer brought one.
	boundedNeeds = 5
)

// Reason is one criterion's verdict, with the message that says why.
type Reason struct {
	Criterion string      `json:"criterion"` // time_horizon, scope, members, benefit
	Kind      NetworkKind `json:"kind"`      // the kind the criterion points to
	Weight    int         `json:"weight"`    // points it adds to Kind's score
	Msg
}

// Classification is a network's kind by the report's criteria, with reasons.
type Classification struct {
	Kind      NetworkKind         `json:"kind"`
	Reasons   []Reason            `json:"reasons"`
	Disagrees bool                `json:"disagrees"` // Kind differs from the declared kind
	Scores    map[NetworkKind]int `json:"scores"`    // both kinds, zeros included
}

// Classify judges a network strategic or tactical by the four criteria of
// 5.3.1. A criterion without facts to go on gives no reason. The network is
// judged as composed: active and invited members count, those who declined
// or left do not; funders and coordinators are support, not members, for
// the members and benefit criteria. The kind with the higher score wins, but
// it overrides the declared kind only when it leads by overrideMargin
// points; otherwise the declared kind stands (Disagrees is then false).
// Without a declared kind a tie is strategic.
//
// The criteria, first matching rule wins:
//   - time_horizon (weight 2): start and end year 5 or more years apart →
//     strategic; an end year → tactical; no end year, active and started 5 or
//     more years ago → strategic; every member need planned within 24 months
//     → tactical; every funding period has an end date → tactical;
//   - scope: every buyer member brought a need, or at most 5 needs →
//     tactical; more needs brought by only some buyers → strategic; a
//     sub-group of another network → tactical; a sector and no need →
//     strategic;
//   - members: all contracting authorities as buyers → tactical; any other
//     organisation, or a supplier or researcher → strategic;
//   - benefit: at least half the needs with intent plan, budgeted or decided
//     → tactical, fewer → strategic; no needs and no contracting authority
//     among the members → strategic.
func Classify(n *Network, members []NetworkMember, orgs map[int64]*Organization, needs map[int64]*Need, periods []FundingPeriod, today Date) Classification {
	v := newClassifyView(members, orgs, needs)
	c := Classification{Reasons: []Reason{}, Scores: map[NetworkKind]int{NetworkStrategic: 0, NetworkTactical: 0}}
	for _, r := range []*Reason{
		v.timeHorizon(n, periods, today),
		v.scope(n),
		v.members(),
		v.benefit(),
	} {
		if r != nil {
			c.Reasons = append(c.Reasons, *r)
			c.Scores[r.Kind] += r.Weight
		}
	}
	s, t := c.Scores[NetworkStrategic], c.Scores[NetworkTactical]
	lead := NetworkKind("")
	if s > t {
		lead = NetworkStrategic
	} else if t > s {
		lead = NetworkTactical
	}
	declared := n.Kind == NetworkStrategic || n.Kind == NetworkTactical
	switch {
	case declared && (lead == "" || abs(s-t) < overrideMargin):
		c.Kind = n.Kind
	case lead != "":
		c.Kind = lead
	default:
		c.Kind = NetworkStrategic
	}
	c.Disagrees = declared && c.Kind != n.Kind
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// classifyView is the network's composition as Classify sees it.
type classifyView struct {
	needs        []*Need          // needs of current members, each once
	buyers       int              // current members with role buyer
	buyersNeed   int              // of them, those who brought a need
	participants []participantOrg // current members other than funders and coordinators, with a known organisation
}

type participantOrg struct {
	role MemberRole
	org  *Organization
}

func newClassifyView(members []NetworkMember, orgs map[int64]*Organization, needs map[int64]*Need) classifyView {
	var v classifyView
	seen := map[int64]bool{}
	for _, m := range members {
		if !memberIsCurrent(m) {
			continue
		}
		role := memberRole(m)
		var nd *Need
		if m.NeedID != nil {
			nd = needs[*m.NeedID]
		}
		if role == MemberBuyer {
			v.buyers++
			if nd != nil {
				v.buyersNeed++
			}
		}
		if nd != nil && !seen[*m.NeedID] {
			seen[*m.NeedID] = true
			v.needs = append(v.needs, nd)
		}
		if role == MemberFunder || role == MemberCoordinator {
			continue
		}
		if o := orgs[m.OrgID]; o != nil {
			v.participants = append(v.participants, participantOrg{role: role, org: o})
		}
	}
	return v
}

// reason returns a criterion's verdict with its message.
func reason(criterion string, kind NetworkKind, key string, facts F) *Reason {
	w := otherWeight
	if criterion == CriterionTimeHorizon {
		w = timeHorizonWeight
	}
	return &Reason{Criterion: criterion, Kind: kind, Weight: w, Msg: M(key, facts)}
}

func (v classifyView) timeHorizon(n *Network, periods []FundingPeriod, today Date) *Reason {
	r := func(kind NetworkKind, key string, facts F) *Reason {
		return reason(CriterionTimeHorizon, kind, key, facts)
	}
	switch {
	case n.EndYear != nil && n.StartYear != nil && *n.EndYear-*n.StartYear >= longRunningYears:
		return r(NetworkStrategic, "class.long_span", F{"years": *n.EndYear - *n.StartYear, "start": *n.StartYear, "end": *n.EndYear})
	case n.EndYear != nil && n.StartYear != nil:
		return r(NetworkTactical, "class.time_limited", F{"start": *n.StartYear, "end": *n.EndYear})
	case n.EndYear != nil:
		return r(NetworkTactical, "class.end_year", F{"end": *n.EndYear})
	case n.StartYear != nil && n.Status != NetworkEnded && n.Status != NetworkClosed && today.Year()-*n.StartYear >= longRunningYears:
		return r(NetworkStrategic, "class.running_since", F{"start": *n.StartYear, "years": today.Year() - *n.StartYear})
	}
	if len(v.needs) > 0 {
		var latest *Date
		for _, nd := range v.needs {
			if nd.PlannedDate == nil {
				latest = nil
				break
			}
			if latest == nil || nd.PlannedDate.After(latest.Time) {
				latest = nd.PlannedDate
			}
		}
		if latest != nil && !latest.After(addMonths(today, tacticalNeedMonths).Time) {
			return r(NetworkTactical, "class.needs_soon", F{"n": len(v.needs), "latest": *latest})
		}
	}
	if len(periods) > 0 {
		var last *Date
		for _, p := range periods {
			if p.EndDate == nil {
				return nil
			}
			if last == nil || p.EndDate.After(last.Time) {
				last = p.EndDate
			}
		}
		return r(NetworkTactical, "class.funding_limited", F{"last": *last})
	}
	return nil
}

func (v classifyView) scope(n *Network) *Reason {
	r := func(kind NetworkKind, key string, facts F) *Reason { return reason(CriterionScope, kind, key, facts) }
	k := len(v.needs)
	switch {
	case k > 0 && v.buyers > 0 && v.buyersNeed == v.buyers:
		return r(NetworkTactical, "class.all_buyers_need", F{"buyers": v.buyers, "n": k})
	case k > 0 && k <= boundedNeeds:
		return r(NetworkTactical, "class.few_needs", F{"n": k})
	case k > 0:
		return r(NetworkStrategic, "class.broad", F{"with": v.buyersNeed, "buyers": v.buyers, "n": k})
	case n.ParentID != nil:
		return r(NetworkTactical, "class.sub_group", nil)
	case strings.TrimSpace(n.Sector) != "":
		return r(NetworkStrategic, "class.sector", F{"sector": strings.TrimSpace(n.Sector)})
	}
	return nil
}

func (v classifyView) members() *Reason {
	r := func(kind NetworkKind, key string, facts F) *Reason { return reason(CriterionMembers, kind, key, facts) }
	total := len(v.participants)
	if total == 0 {
		return nil
	}
	var other int
	var kinds Terms
	seen := map[Term]bool{}
	for _, p := range v.participants {
		if p.org.Kind.IsPublicBuyer() && p.role != MemberSupplier && p.role != MemberResearcher {
			continue
		}
		other++
		t := p.org.Kind.Term()
		if p.org.Kind.IsPublicBuyer() {
			t = p.role.Term()
		}
		if !seen[t] {
			seen[t] = true
			kinds = append(kinds, t)
		}
	}
	switch {
	case other == 0 && total == 1:
		return r(NetworkTactical, "class.one_public", nil)
	case other == 0:
		return r(NetworkTactical, "class.all_public", F{"n": total})
	case other == total:
		return r(NetworkStrategic, "class.none_public", F{"n": total, "kinds": kinds})
	default:
		return r(NetworkStrategic, "class.mixed", F{"other": other, "n": total, "kinds": kinds})
	}
}

func (v classifyView) benefit() *Reason {
	r := func(kind NetworkKind, key string, facts F) *Reason { return reason(CriterionBenefit, kind, key, facts) }
	if k := len(v.needs); k > 0 {
		buying := 0
		for _, nd := range v.needs {
			if nd.Intent == IntentPlan || nd.Intent == IntentBudgeted || nd.Intent == IntentDecided {
				buying++
			}
		}
		if 2*buying >= k {
			return r(NetworkTactical, "class.buying", F{"buying": buying, "n": k})
		}
		return r(NetworkStrategic, "class.exploring", F{"buying": buying, "n": k})
	}
	if len(v.participants) == 0 {
		return nil
	}
	for _, p := range v.participants {
		if p.org.Kind.IsPublicBuyer() {
			return nil
		}
	}
	return r(NetworkStrategic, "class.no_public_buyer", nil)
}
