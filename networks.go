package arena

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// This file holds the rules of buyer networks that the report's chapters 5
// and 7 ask for: joint purchasing power (7.3), classification as strategic or
// tactical (5.3.1), prerequisite gaps (5.4), health alerts (5.1.3, 5.4.3),
// follow-through of each member's procurement (7.6) and the lifecycle of a
// network. Everything here is a pure function of its arguments; the clock is
// passed in as today.
//
// Zero values of a member's role, tier and status are read as Validate's
// defaults (buyer, core, active), so a record built but not yet stored is
// judged as it will be stored.

// ---------------------------------------------------------------------------
// Joint purchasing power (7.3)

// IntentTotal is the number and summed estimated value of needs with one
// intent to buy.
type IntentTotal struct {
	Needs    int   `json:"needs"`
	ValueSEK int64 `json:"value_sek"`
}

// VolumeTotal is the summed volume of needs that use one volume unit.
type VolumeTotal struct {
	Unit   string  `json:"unit"`
	Amount float64 `json:"amount"`
}

// PurchasingPower is what a network's members would buy together: the sum of
// their needs' estimated values and volumes, split by intent to buy, and the
// joint timeline of their planned procurements.
type PurchasingPower struct {
	Members           int                    `json:"members"`             // active members whose need counts
	ValueSEK          int64                  `json:"value_sek"`           // sum of estimated values
	ByIntent          map[Intent]IntentTotal `json:"by_intent"`           // every intent, zeros included
	Volumes           []VolumeTotal          `json:"volumes"`             // summed per unit, sorted by unit
	Earliest          *Date                  `json:"earliest,omitempty"`  // earliest planned procurement
	Latest            *Date                  `json:"latest,omitempty"`    // latest planned procurement
	NeedsWithoutValue int                    `json:"needs_without_value"` // needs that give no estimated value
}

// JointPurchasingPower sums the needs of the network's active members. A
// member that was invited but has not accepted, declined or left brings
// nothing; a need missing from needs or counted already is skipped.
func JointPurchasingPower(members []NetworkMember, needs map[int64]*Need) PurchasingPower {
	pp := PurchasingPower{ByIntent: make(map[Intent]IntentTotal, len(Intents)), Volumes: []VolumeTotal{}}
	for _, i := range Intents {
		pp.ByIntent[i] = IntentTotal{}
	}
	volumes := map[string]float64{}
	seen := map[int64]bool{}
	for _, m := range members {
		if !nwMemberIsActive(m) || m.NeedID == nil || seen[*m.NeedID] {
			continue
		}
		nd := needs[*m.NeedID]
		if nd == nil {
			continue
		}
		seen[*m.NeedID] = true
		pp.Members++
		intent := nd.Intent
		if intent == "" {
			intent = IntentExplore
		}
		it := pp.ByIntent[intent]
		it.Needs++
		if nd.EstimatedValueSEK != nil {
			pp.ValueSEK += *nd.EstimatedValueSEK
			it.ValueSEK += *nd.EstimatedValueSEK
		} else {
			pp.NeedsWithoutValue++
		}
		pp.ByIntent[intent] = it
		if nd.Volume != nil {
			volumes[nd.VolumeUnit] += *nd.Volume
		}
		if d := nd.PlannedDate; d != nil {
			if pp.Earliest == nil || d.Before(pp.Earliest.Time) {
				pp.Earliest = new(*d)
			}
			if pp.Latest == nil || d.After(pp.Latest.Time) {
				pp.Latest = new(*d)
			}
		}
	}
	for unit, amount := range volumes {
		pp.Volumes = append(pp.Volumes, VolumeTotal{Unit: unit, Amount: amount})
	}
	sort.Slice(pp.Volumes, func(i, j int) bool { return pp.Volumes[i].Unit < pp.Volumes[j].Unit })
	return pp
}

// ---------------------------------------------------------------------------
// Classification (5.3.1)

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

// Reason is one criterion's verdict with the facts behind it, in Swedish and
// English.
type Reason struct {
	Criterion string      `json:"criterion"` // time_horizon, scope, members, benefit
	Kind      NetworkKind `json:"kind"`      // the kind the criterion points to
	Weight    int         `json:"weight"`    // points it adds to Kind's score
	TextSV    string      `json:"text_sv"`
	TextEN    string      `json:"text_en"`
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
	case declared && (lead == "" || nwAbs(s-t) < overrideMargin):
		c.Kind = n.Kind
	case lead != "":
		c.Kind = lead
	default:
		c.Kind = NetworkStrategic
	}
	c.Disagrees = declared && c.Kind != n.Kind
	return c
}

func nwAbs(x int) int {
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
		if !nwMemberIsCurrent(m) {
			continue
		}
		role := nwMemberRole(m)
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

func (v classifyView) timeHorizon(n *Network, periods []FundingPeriod, today Date) *Reason {
	r := func(kind NetworkKind, sv, en string, args ...any) *Reason {
		return &Reason{Criterion: CriterionTimeHorizon, Kind: kind, Weight: timeHorizonWeight,
			TextSV: fmt.Sprintf(sv, args...), TextEN: fmt.Sprintf(en, args...)}
	}
	switch {
	case n.EndYear != nil && n.StartYear != nil && *n.EndYear-*n.StartYear >= longRunningYears:
		span := *n.EndYear - *n.StartYear
		return r(NetworkStrategic,
			"Nätverket verkade i %d år (%d–%d): ett långsiktigt arbete.",
			"The network ran for %d years (%d–%d): long-term work.", span, *n.StartYear, *n.EndYear)
	case n.EndYear != nil && n.StartYear != nil:
		return r(NetworkTactical,
			"Nätverket är tidsbegränsat (%d–%d) och avslutas när uppgiften är löst.",
			"The network is time-limited (%d–%d) and ends when its task is done.", *n.StartYear, *n.EndYear)
	case n.EndYear != nil:
		return r(NetworkTactical,
			"Nätverket har ett slutår (%d) och avslutas när uppgiften är löst.",
			"The network has an end year (%d) and ends when its task is done.", *n.EndYear)
	case n.StartYear != nil && n.Status != NetworkEnded && n.Status != NetworkClosed && today.Year()-*n.StartYear >= longRunningYears:
		return r(NetworkStrategic,
			"Nätverket har inget slutår och har verkat sedan %d (%d år): ett långsiktigt arbete.",
			"The network has no end year and has been running since %d (%d years): long-term work.",
			*n.StartYear, today.Year()-*n.StartYear)
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
		if latest != nil && !latest.After(nwAddMonths(today, tacticalNeedMonths).Time) {
			k := len(v.needs)
			return &Reason{Criterion: CriterionTimeHorizon, Kind: NetworkTactical, Weight: timeHorizonWeight,
				TextSV: fmt.Sprintf("%s ett planerat upphandlingsdatum inom två år, det senaste %s.",
					nwPick(k, "Medlemmens enda behov har", fmt.Sprintf("Alla %d medlemsbehov har", k)), latest),
				TextEN: fmt.Sprintf("%s a planned procurement date within two years, the latest %s.",
					nwPick(k, "The member's only need has", fmt.Sprintf("All %d member needs have", k)), latest)}
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
		return r(NetworkTactical,
			"All finansiering är tidsbegränsad: den sista perioden slutar %s.",
			"All funding is time-limited: the last period ends %s.", last)
	}
	return nil
}

func (v classifyView) scope(n *Network) *Reason {
	r := func(kind NetworkKind, sv, en string, args ...any) *Reason {
		return &Reason{Criterion: CriterionScope, Kind: kind, Weight: otherWeight,
			TextSV: fmt.Sprintf(sv, args...), TextEN: fmt.Sprintf(en, args...)}
	}
	k := len(v.needs)
	switch {
	case k > 0 && v.buyers > 0 && v.buyersNeed == v.buyers:
		return r(NetworkTactical,
			"Alla %d köpande medlemmar har tagit med ett eget behov (%d behov): ett väl avgränsat inköpsbehov.",
			"All %d buying members brought a need of their own (%d needs): one well-bounded purchase need.", v.buyers, k)
	case k > 0 && k <= boundedNeeds:
		return r(NetworkTactical,
			"Nätverket samlas kring %d medlemsbehov: ett väl avgränsat inköpsbehov.",
			"The network gathers around %d member needs: one well-bounded purchase need.", k)
	case k > 0:
		return r(NetworkStrategic,
			"Bara %d av %d köpande medlemmar har tagit med ett behov, och behoven är %d: nätverket är bredare än ett inköp.",
			"Only %d of %d buying members brought a need, and there are %d needs: the network is broader than one purchase.",
			v.buyersNeed, v.buyers, k)
	case n.ParentID != nil:
		return r(NetworkTactical,
			"Nätverket är en undergrupp i ett strategiskt nätverk, bildad för en upphandling.",
			"The network is a sub-group of a strategic network, formed for one procurement.")
	case strings.TrimSpace(n.Sector) != "":
		return r(NetworkStrategic,
			"Nätverket utgår från sakområdet ”%s” och inget medlemsbehov är kopplat till det.",
			"The network starts from the field \"%s\" and no member need is attached to it.", strings.TrimSpace(n.Sector))
	}
	return nil
}

func (v classifyView) members() *Reason {
	r := func(kind NetworkKind, sv, en string) *Reason {
		return &Reason{Criterion: CriterionMembers, Kind: kind, Weight: otherWeight, TextSV: sv, TextEN: en}
	}
	total := len(v.participants)
	if total == 0 {
		return nil
	}
	var other int
	kindsSV, kindsEN := []string{}, []string{}
	for _, p := range v.participants {
		if p.org.Kind.IsPublicBuyer() && p.role != MemberSupplier && p.role != MemberResearcher {
			continue
		}
		other++
		sv, en := nwOrgKindNames(p.org.Kind)
		if p.org.Kind.IsPublicBuyer() {
			sv, en = map[MemberRole]string{MemberSupplier: "leverantör", MemberResearcher: "forskare"}[p.role], string(p.role)
		}
		kindsSV, kindsEN = nwAppendOnce(kindsSV, sv), nwAppendOnce(kindsEN, en)
	}
	switch {
	case other == 0 && total == 1:
		return r(NetworkTactical,
			"Den enda medlemmen är en upphandlande organisation.",
			"The only member is a contracting authority.")
	case other == 0:
		return r(NetworkTactical,
			fmt.Sprintf("Alla %d medlemmar är upphandlande organisationer.", total),
			fmt.Sprintf("All %d members are contracting authorities.", total))
	case other == total:
		return r(NetworkStrategic,
			fmt.Sprintf("%s (%s): nätverket samlar andra än offentliga beställare.",
				nwPick(total, "Den enda medlemmen är inte en upphandlande organisation", fmt.Sprintf("Ingen av de %d medlemmarna är en upphandlande organisation", total)), strings.Join(kindsSV, ", ")),
			fmt.Sprintf("%s (%s): the network gathers others than public buyers.",
				nwPick(total, "The only member is not a contracting authority", fmt.Sprintf("None of the %d members is a contracting authority", total)), strings.Join(kindsEN, ", ")))
	default:
		return r(NetworkStrategic,
			fmt.Sprintf("%d av %d medlemmar är inte upphandlande organisationer (%s): offentliga och privata aktörer samverkar.", other, total, strings.Join(kindsSV, ", ")),
			fmt.Sprintf("%d of %d members are not contracting authorities (%s): public and private actors work together.", other, total, strings.Join(kindsEN, ", ")))
	}
}

func (v classifyView) benefit() *Reason {
	r := func(kind NetworkKind, sv, en string, args ...any) *Reason {
		return &Reason{Criterion: CriterionBenefit, Kind: kind, Weight: otherWeight,
			TextSV: fmt.Sprintf(sv, args...), TextEN: fmt.Sprintf(en, args...)}
	}
	if k := len(v.needs); k > 0 {
		buying := 0
		for _, nd := range v.needs {
			if nd.Intent == IntentPlan || nd.Intent == IntentBudgeted || nd.Intent == IntentDecided {
				buying++
			}
		}
		if 2*buying >= k {
			return r(NetworkTactical,
				"%d av %d medlemsbehov har köpavsikten planerad, budgeterad eller beslutad: nyttan uppstår i medlemmarnas egna upphandlingar.",
				"%d of %d member needs have the intent to buy planned, budgeted or decided: the benefit lands in the members' own procurements.", buying, k)
		}
		return r(NetworkStrategic,
			"Bara %d av %d medlemsbehov har en köpavsikt bortom att utforska: nyttan ligger i kunskap och utveckling snarare än i egna upphandlingar.",
			"Only %d of %d member needs have an intent to buy beyond exploring: the benefit lies in knowledge and development rather than in own procurements.", buying, k)
	}
	if len(v.participants) == 0 {
		return nil
	}
	for _, p := range v.participants {
		if p.org.Kind.IsPublicBuyer() {
			return nil
		}
	}
	return r(NetworkStrategic,
		"Ingen medlem är en upphandlande organisation: nyttan uppstår brett på marknaden, inte i offentlig upphandling.",
		"No member is a contracting authority: the benefit lands broadly in the market, not in public procurement.")
}

// nwOrgKindNames returns the Swedish and English names of an organisation kind.
func nwOrgKindNames(k OrgKind) (sv, en string) {
	switch k {
	case OrgKommun:
		return "kommun", "municipality"
	case OrgRegion:
		return "region", "region"
	case OrgAgency:
		return "statlig myndighet", "government agency"
	case OrgKommunalforbund:
		return "kommunalförbund", "municipal federation"
	case OrgMunicipalCo:
		return "kommunalt bolag", "municipal company"
	case OrgCentralPurchase:
		return "inköpscentral", "central purchasing body"
	case OrgCompany:
		return "företag", "company"
	case OrgAcademia:
		return "lärosäte eller institut", "university or institute"
	case OrgAssociation:
		return "förening", "association"
	}
	return string(k), string(k)
}

func nwAppendOnce(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// nwPick returns one when n is 1 and many otherwise.
func nwPick(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ---------------------------------------------------------------------------
// Prerequisites (5.4)

// Prerequisite gap codes.
const (
	GapNoCoreGroup          = "no_core_group"          // 5.4.1: no fixed core
	GapNoOwner              = "no_owner"               // 5.4.2: no huvudman
	GapNoFundingAhead       = "no_funding_ahead"       // 5.4.3: the coming year is not funded
	GapNoPlan               = "no_plan"                // 5.4.1: no rules or split of responsibilities
	GapMemberWithoutMandate = "member_without_mandate" // 5.2.3: the Finnish failure
)

// fundingAheadMonths is how far ahead a network's funding must reach.
const fundingAheadMonths = 12

// Gap is a missing prerequisite for a network to work (5.4).
type Gap struct {
	Code   string `json:"code"`
	OrgID  int64  `json:"org_id,omitempty"` // the member, for member_without_mandate
	TextSV string `json:"text_sv"`
	TextEN string `json:"text_en"`
}

// Prerequisites lists what a network lacks of the report's prerequisites
// (5.4), in this order:
//   - no_core_group: no active member in the core tier;
//   - no_owner: no huvudman;
//   - no_funding_ahead: the funding periods together do not cover every day
//     from today through the same date 12 months later. For a tactical network
//     with an end year that falls within those 12 months the horizon is 31
//     December of the end year instead: it needs money until it is planned to
//     end, not beyond. Periods without any date say nothing about when money
//     flows and cover nothing; a period without start or end date is open on
//     that side;
//   - no_plan: no plan, or a plan without rules or without a split of
//     responsibilities (5.4.1 asks for both);
//   - member_without_mandate: one per active buyer member from a contracting
//     authority whose contact has no mandate and who names no management
//     sponsor.
//
// A closed network is finished and has no gaps.
func Prerequisites(n *Network, members []NetworkMember, plan *NetworkPlan, periods []FundingPeriod, orgs map[int64]*Organization, today Date) []Gap {
	gaps := []Gap{}
	if n.Status == NetworkClosed {
		return gaps
	}
	add := func(code string, org int64, sv, en string) {
		gaps = append(gaps, Gap{Code: code, OrgID: org, TextSV: sv, TextEN: en})
	}
	core := false
	for _, m := range members {
		if nwMemberIsActive(m) && (m.Tier == TierCore || m.Tier == "") {
			core = true
			break
		}
	}
	if !core {
		add(GapNoCoreGroup, 0,
			"Nätverket saknar en kärngrupp: ingen aktiv medlem är kärnmedlem. En fast kärna behövs som motor för planering och verksamhet (5.4.1).",
			"The network has no core group: no active member is a core member. A fixed core is needed to drive planning and work (5.4.1).")
	}
	if n.OwnerOrgID == nil {
		if n.Kind == NetworkStrategic {
			add(GapNoOwner, 0,
				"Nätverket saknar huvudman. För ett strategiskt nätverk är det avgörande att en befintlig organisation tar ansvaret (5.4.2).",
				"The network has no owner (huvudman). For a strategic network it is essential that an existing organisation takes responsibility (5.4.2).")
		} else {
			add(GapNoOwner, 0,
				"Nätverket saknar huvudman. Det underlättar om en befintlig organisation stöttar nätverket (5.4.2).",
				"The network has no owner (huvudman). It helps when an existing organisation backs the network (5.4.2).")
		}
	}
	horizon := nwAddMonths(today, fundingAheadMonths)
	if n.Kind == NetworkTactical && n.EndYear != nil {
		end := NewDate(*n.EndYear, time.December, 31)
		if !end.Before(today.Time) && end.Before(horizon.Time) {
			horizon = end
		}
	}
	if !nwFundingCovers(periods, today, horizon) {
		undated := 0
		for _, p := range periods {
			if !nwPeriodDated(p) {
				undated++
			}
		}
		sv := fmt.Sprintf("Ingen finansiering täcker tiden från %s till %s. Finansieringen avgör om nätverket lever (5.4.3).", today, horizon)
		en := fmt.Sprintf("No funding covers the time from %s to %s. Funding decides whether the network lives (5.4.3).", today, horizon)
		if undated > 0 {
			sv += fmt.Sprintf(" %d finansieringsperioder saknar datum.", undated)
			en += fmt.Sprintf(" %d funding periods have no dates.", undated)
		}
		add(GapNoFundingAhead, 0, sv, en)
	}
	switch {
	case plan == nil:
		add(GapNoPlan, 0,
			"Nätverket saknar en gemensam plan med spelregler och ansvarsfördelning (5.4.1).",
			"The network has no shared plan with rules and a split of responsibilities (5.4.1).")
	case strings.TrimSpace(plan.Rules) == "" && len(plan.Responsibilities) == 0:
		add(GapNoPlan, 0,
			"Planen saknar både spelregler och ansvarsfördelning (5.4.1).",
			"The plan has neither rules nor a split of responsibilities (5.4.1).")
	case strings.TrimSpace(plan.Rules) == "":
		add(GapNoPlan, 0,
			"Planen saknar spelregler (5.4.1).",
			"The plan has no rules (5.4.1).")
	case len(plan.Responsibilities) == 0:
		add(GapNoPlan, 0,
			"Planen saknar ansvarsfördelning: vem bidrar med vad (5.4.1).",
			"The plan has no split of responsibilities: who contributes what (5.4.1).")
	}
	for _, m := range members {
		if !nwMemberIsActive(m) || nwMemberRole(m) != MemberBuyer || m.Mandate || strings.TrimSpace(m.ManagementSponsor) != "" {
			continue
		}
		o := orgs[m.OrgID]
		if o == nil || !o.Kind.IsPublicBuyer() {
			continue
		}
		add(GapMemberWithoutMandate, m.OrgID,
			fmt.Sprintf("%s deltar utan mandat att fatta beslut och utan förankring i ledningen. Så stannade de finska beställargrupperna (5.2.3).", o.Name),
			fmt.Sprintf("%s takes part without a mandate to decide and without a management sponsor. That is how the Finnish buyer groups stalled (5.2.3).", o.Name))
	}
	return gaps
}

// nwPeriodDated reports whether a funding period has a start or an end date.
func nwPeriodDated(p FundingPeriod) bool { return p.StartDate != nil || p.EndDate != nil }

// nwFundingCovers reports whether the dated periods together cover every day
// from from through to.
func nwFundingCovers(periods []FundingPeriod, from, to Date) bool {
	cursor := from
	for {
		if cursor.After(to.Time) {
			return true
		}
		moved := false
		for _, p := range periods {
			if !nwPeriodDated(p) || (p.StartDate != nil && p.StartDate.After(cursor.Time)) {
				continue
			}
			if p.EndDate == nil {
				return true
			}
			if !p.EndDate.Before(cursor.Time) {
				cursor = nwAddDays(*p.EndDate, 1)
				moved = true
				if cursor.After(to.Time) {
					return true
				}
			}
		}
		if !moved {
			return false
		}
	}
}

// ---------------------------------------------------------------------------
// Health alerts (5.1.3, 5.4.3)

// Alert kinds.
const (
	AlertFundingEndsSoon       = "funding_ends_soon"
	AlertFundingEnded          = "funding_ended"
	AlertInactive              = "inactive"
	AlertMembersWithoutMandate = "members_without_mandate"
	AlertCallDeadline          = "call_deadline"
)

// Alert thresholds.
const (
	fundingWarningMonths = 6
	inactiveDays         = 90
	callDeadlineDays     = 30
)

// Alert is a warning about a network that the broker and its members should
// see before it is too late.
type Alert struct {
	Kind      string `json:"kind"`
	NetworkID int64  `json:"network_id"`
	OrgID     int64  `json:"org_id,omitempty"`  // the member, when the alert is about one
	CallID    int64  `json:"call_id,omitempty"` // the call, for call_deadline
	Due       *Date  `json:"due,omitempty"`     // when funding ends or ended, or the call closes
	TextSV    string `json:"text_sv"`
	TextEN    string `json:"text_en"`
}

// NetworkAlerts returns a network's alerts on day today, in this order:
//   - funding_ends_soon: the dated funding periods have no open end and the
//     latest end date is on or after today and at most 6 months ahead
//     (today+6 months inclusive; a month-end is clamped, so 31 August gives
//     28 or 29 February). The last funded day itself still warns;
//   - funding_ended: the latest end date of the dated periods is before today
//     and no dated period is open-ended. Periods without any date are not
//     counted: they tell nothing about when money stops;
//   - inactive: the network's last sign of life is more than 90 days before
//     today (a sign exactly 90 days ago still counts). Signs are the
//     network's creation and every activity's creation and update, and the
//     start and end dates of activities not cancelled (a planned activity in
//     the future counts);
//   - members_without_mandate: one alert naming the active members whose
//     contact has no mandate; OrgID is set when there is only one;
//   - call_deadline: one per call that callFits says fits the network and
//     closes between today and today+30 days, both included; by closing date.
//
// A closed network gets no alerts.
func NetworkAlerts(n *Network, members []NetworkMember, periods []FundingPeriod, activities []Activity, calls []FundingCall, callFits map[int64]bool, today Date) []Alert {
	alerts := []Alert{}
	if n.Status == NetworkClosed {
		return alerts
	}
	add := func(a Alert) {
		a.NetworkID = n.ID
		alerts = append(alerts, a)
	}

	var latest *Date
	dated, openEnded := 0, false
	for _, p := range periods {
		if !nwPeriodDated(p) {
			continue
		}
		dated++
		if p.EndDate == nil {
			openEnded = true
		} else if latest == nil || p.EndDate.After(latest.Time) {
			latest = p.EndDate
		}
	}
	if dated > 0 && !openEnded && latest != nil {
		due := *latest
		switch {
		case due.Before(today.Time):
			add(Alert{Kind: AlertFundingEnded, Due: &due,
				TextSV: fmt.Sprintf("Finansieringen upphörde %s. Utan finansiering dör nätverk när en utlysning tar slut; sök ny eller besluta om nätverkets framtid (5.1.3, 5.4.3).", due),
				TextEN: fmt.Sprintf("Funding ended on %s. Without funding networks die when a call ends; find new funding or decide the network's future (5.1.3, 5.4.3).", due)})
		case !due.After(nwAddMonths(today, fundingWarningMonths).Time):
			days := nwDaysBetween(today, due)
			add(Alert{Kind: AlertFundingEndsSoon, Due: &due,
				TextSV: fmt.Sprintf("Finansieringen upphör %s, om %d dagar. Sök ny finansiering i tid (5.1.3, 5.4.3).", due, days),
				TextEN: fmt.Sprintf("Funding ends on %s, in %d days. Look for new funding in time (5.1.3, 5.4.3).", due, days)})
		}
	}

	var last *Date
	sign := func(d *Date) {
		if d != nil && (last == nil || d.After(last.Time)) {
			last = new(*d)
		}
	}
	signAt := func(t time.Time) {
		if !t.IsZero() {
			sign(new(DateOf(t)))
		}
	}
	signAt(n.CreatedAt)
	for _, a := range activities {
		signAt(a.CreatedAt)
		signAt(a.UpdatedAt)
		if a.Status != ActivityCancelled {
			sign(a.StartDate)
			sign(a.EndDate)
		}
	}
	if last != nil && last.Before(nwAddDays(today, -inactiveDays).Time) {
		days := nwDaysBetween(*last, today)
		add(Alert{Kind: AlertInactive,
			TextSV: fmt.Sprintf("Ingen aktivitet sedan %s, %d dagar sedan. Ett nätverk utan aktivitet riskerar att somna.", last, days),
			TextEN: fmt.Sprintf("No activity since %s, %d days ago. A network without activity risks falling asleep.", last, days)})
	}

	var without []NetworkMember
	for _, m := range members {
		if nwMemberIsActive(m) && !m.Mandate {
			without = append(without, m)
		}
	}
	if len(without) > 0 {
		names := make([]string, len(without))
		for i, m := range without {
			names[i] = fmt.Sprintf("%d", m.OrgID)
			if c := strings.TrimSpace(m.ContactName); c != "" {
				names[i] += " (" + c + ")"
			}
		}
		a := Alert{Kind: AlertMembersWithoutMandate,
			TextSV: fmt.Sprintf("%s saknar mandat att fatta beslut för sin organisation: organisation %s. Deltagare utan mandat fick de finska beställargrupperna att misslyckas (5.2.3).",
				nwPick(len(without), "En medlem", fmt.Sprintf("%d medlemmar", len(without))), strings.Join(names, ", ")),
			TextEN: fmt.Sprintf("%s no mandate to decide for their organisation: organisation %s. Participants without a mandate made the Finnish buyer groups fail (5.2.3).",
				nwPick(len(without), "One member has", fmt.Sprintf("%d members have", len(without))), strings.Join(names, ", "))}
		if len(without) == 1 {
			a.OrgID = without[0].OrgID
		}
		add(a)
	}

	var due []FundingCall
	horizon := nwAddDays(today, callDeadlineDays)
	for _, c := range calls {
		if callFits[c.ID] && c.ClosesDate != nil && !c.ClosesDate.Before(today.Time) && !c.ClosesDate.After(horizon.Time) {
			due = append(due, c)
		}
	}
	sort.SliceStable(due, func(i, j int) bool {
		if !due[i].ClosesDate.Equal(due[j].ClosesDate.Time) {
			return due[i].ClosesDate.Before(due[j].ClosesDate.Time)
		}
		return due[i].ID < due[j].ID
	})
	for _, c := range due {
		d := *c.ClosesDate
		days := nwDaysBetween(today, d)
		add(Alert{Kind: AlertCallDeadline, CallID: c.ID, Due: &d,
			TextSV: fmt.Sprintf("Utlysningen ”%s” stänger %s, om %d dagar.", c.Title, d, days),
			TextEN: fmt.Sprintf("The call \"%s\" closes on %s, in %d days.", c.Title, d, days)})
	}
	return alerts
}

// ---------------------------------------------------------------------------
// Follow-through (7.6)

// nwStageSV holds the stages' Swedish names.
var nwStageSV = map[ProcurementStage]string{
	StagePlanned:     "planerad",
	StageAnnounced:   "annonserad",
	StageAwarded:     "tilldelad",
	StageImplemented: "införd",
	StageEvaluated:   "utvärderad",
	StageWithdrawn:   "avbruten",
}

// CanMoveTo reports whether the procurement may move to stage next on day
// on. The stages go planned → announced → awarded → implemented →
// evaluated, one at a time; a procurement that has not started (no stage)
// starts as planned. Withdrawn may follow any stage that is not final;
// evaluated and withdrawn are final. The date must not be before the date
// of any stage reached so far. Errors are EINVALID on field "stage" for the
// order and "<next>_date" for the date, with the message in Swedish and
// English.
func (p *MemberProcurement) CanMoveTo(next ProcurementStage, on Date) error {
	cur := p.Stage
	nextSV := nwStageSV[next]
	switch {
	case indexOf(ProcurementStages, next) < 0:
		return Invalid("stage", "%q är inget steg; stegen är planned, announced, awarded, implemented, evaluated och withdrawn / %q is not a stage; the stages are planned, announced, awarded, implemented, evaluated and withdrawn", next, next)
	case next == cur:
		return Invalid("stage", "upphandlingen är redan %s / the procurement is %s already", nextSV, next)
	case cur == StageEvaluated || cur == StageWithdrawn:
		return Invalid("stage", "upphandlingen är %s och kan inte bli %s / the procurement is %s and cannot become %s", nwStageSV[cur], nextSV, cur, next)
	case cur == "" && next != StagePlanned:
		return Invalid("stage", "en upphandling börjar som planerad och kan inte bli %s direkt / a procurement starts as planned and cannot become %s at once", nextSV, next)
	case cur != "" && indexOf(ProcurementStages, cur) < 0:
		return Invalid("stage", "upphandlingen har det okända steget %q / the procurement has the unknown stage %q", cur, cur)
	}
	if next != StageWithdrawn && cur != "" {
		ci, ni := indexOf(ProcurementStages, cur), indexOf(ProcurementStages, next)
		if ni < ci {
			return Invalid("stage", "upphandlingen kan inte gå tillbaka från %s till %s / the procurement cannot go back from %s to %s", nwStageSV[cur], nextSV, cur, next)
		}
		if ni > ci+1 {
			want := ProcurementStages[ci+1]
			return Invalid("stage", "%s kan inte komma direkt efter %s; nästa steg är %s / %s cannot follow %s; the next stage is %s", nextSV, nwStageSV[cur], nwStageSV[want], next, cur, want)
		}
	}
	field := string(next) + "_date"
	if on.IsZero() {
		return Invalid(field, "steget %s behöver ett datum / stage %s needs a date", nextSV, next)
	}
	var last *Date
	var lastStage ProcurementStage
	for _, s := range ProcurementStages[:5] {
		if d := p.StageDate(s); d != nil && (last == nil || !d.Before(last.Time)) {
			last, lastStage = d, s
		}
	}
	if last != nil && on.Before(last.Time) {
		return Invalid(field, "%s (%s) kan inte dateras före %s (%s) / %s (%s) cannot be dated before %s (%s)",
			nextSV, on, nwStageSV[lastStage], last, next, on, lastStage, last)
	}
	return nil
}

// Advance moves the procurement to stage next on day on after CanMoveTo
// allows it, recording the stage's date; withdrawing needs a reason, which
// is recorded too. On error nothing changes.
func (p *MemberProcurement) Advance(next ProcurementStage, on Date, reason string) error {
	if err := p.CanMoveTo(next, on); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if next == StageWithdrawn && reason == "" {
		return Invalid("withdrawn_reason", "ange varför upphandlingen avbryts / give the reason for withdrawing the procurement")
	}
	d := new(on)
	switch next {
	case StagePlanned:
		p.PlannedDate = d
	case StageAnnounced:
		p.AnnouncedDate = d
	case StageAwarded:
		p.AwardedDate = d
	case StageImplemented:
		p.ImplementedDate = d
	case StageEvaluated:
		p.EvaluatedDate = d
	case StageWithdrawn:
		p.WithdrawnDate = d
		p.WithdrawnReason = reason
	}
	p.Stage = next
	return nil
}

// Funnel is the way from needs to implemented innovation (7.6), for one
// network or for all.
type Funnel struct {
	Needs        int                      `json:"needs"`
	Networks     int                      `json:"networks"`
	Deliverables int                      `json:"deliverables"`
	Procurements map[ProcurementStage]int `json:"procurements"` // every stage, zeros included; hand-overs included
	Handovers    int                      `json:"handovers"`    // of the procurements, hand-overs to a central purchasing body
	Implemented  int                      `json:"implemented"`  // procurements that reached implemented or evaluated
}

// BuildFunnel counts the funnel. Procurements are counted by their current
// stage (no stage counts as planned); hand-overs to a central purchasing
// body are counted among them and also on their own.
func BuildFunnel(needs int, networks []Network, deliverables []Deliverable, procs []MemberProcurement) Funnel {
	f := Funnel{Needs: needs, Networks: len(networks), Deliverables: len(deliverables),
		Procurements: make(map[ProcurementStage]int, len(ProcurementStages))}
	for _, s := range ProcurementStages {
		f.Procurements[s] = 0
	}
	for _, p := range procs {
		s := p.Stage
		if s == "" {
			s = StagePlanned
		}
		f.Procurements[s]++
		if p.Kind == FollowHandover {
			f.Handovers++
		}
		if s == StageImplemented || s == StageEvaluated {
			f.Implemented++
		}
	}
	return f
}

// ---------------------------------------------------------------------------
// Lifecycle

// CanClose reports whether a network may be closed. A tactical network
// closes when the members decide so, or when it has member procurements and
// every one is implemented, evaluated or withdrawn: its task is solved. A
// strategic network has no end date but funding periods, and is never closed
// this way. procs are the network's member procurements. Errors are
// ECONFLICT.
func CanClose(n *Network, procs []MemberProcurement, membersDecided bool) error {
	conflict := func(field, format string, args ...any) error {
		return &Error{Code: ECONFLICT, Field: field, Message: fmt.Sprintf(format, args...)}
	}
	if n.Status == NetworkClosed {
		return conflict("status", "nätverket är redan stängt / the network is closed already")
	}
	if n.Kind != NetworkTactical {
		return conflict("kind", "ett strategiskt nätverk har inget slutdatum utan finansieringsperioder och stängs inte när en uppgift är löst / a strategic network has no end date but funding periods, and is not closed when a task is solved")
	}
	if membersDecided {
		return nil
	}
	if len(procs) == 0 {
		return conflict("stage", "nätverket har ingen medlemsupphandling ännu; det kan stängas genom medlemmarnas beslut / the network has no member procurement yet; it can be closed by the members' decision")
	}
	open := 0
	for _, p := range procs {
		switch p.Stage {
		case StageImplemented, StageEvaluated, StageWithdrawn:
		default:
			open++
		}
	}
	if open > 0 {
		return conflict("stage", "%d av %d medlemsupphandlingar är ännu inte införda, utvärderade eller avbrutna / %d of %d member procurements are not yet implemented, evaluated or withdrawn", open, len(procs), open, len(procs))
	}
	return nil
}

// ReadOnly reports whether the network is closed and so may not change.
func (n *Network) ReadOnly() bool { return n.Status == NetworkClosed }

// ---------------------------------------------------------------------------
// helpers

// nwMemberIsActive reports whether a member takes part now; no status is read
// as Validate's default, active.
func nwMemberIsActive(m NetworkMember) bool { return m.Status == MemberActive || m.Status == "" }

// nwMemberIsCurrent reports whether a member is part of the network as
// composed: active or invited, not declined or left.
func nwMemberIsCurrent(m NetworkMember) bool { return nwMemberIsActive(m) || m.Status == MemberInvited }

// nwMemberRole returns the member's role; no role is read as buyer.
func nwMemberRole(m NetworkMember) MemberRole {
	if m.Role == "" {
		return MemberBuyer
	}
	return m.Role
}

// nwAddDays returns the date n days after d (before it when n is negative).
func nwAddDays(d Date, n int) Date { return DateOf(d.AddDate(0, 0, n)) }

// nwAddMonths returns the date n months after d, clamped to the last day of
// the month: 2026-08-31 plus 6 months is 2027-02-28.
func nwAddMonths(d Date, n int) Date {
	y, m, day := d.Time.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	if last := first.AddDate(0, 1, -1).Day(); day > last {
		day = last
	}
	return NewDate(first.Year(), first.Month(), day)
}

// nwDaysBetween returns the whole days from a to b.
func nwDaysBetween(a, b Date) int {
	return int(DateOf(b.Time).Sub(DateOf(a.Time).Time).Hours() / 24)
}
