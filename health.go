package arena

import (
	"sort"
	"strings"
	"time"
)

// A network's health: the prerequisites the report names (5.4) and the
// alerts that keep it alive (5.1.3, 5.4.3). Everything here is a pure
// function of its arguments; the clock is passed in as today.

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

// Gap is a missing prerequisite for a network to work (5.4), with the
// message that explains it.
type Gap struct {
	Code  string `json:"code"`
	OrgID int64  `json:"org_id,omitempty"` // the member, for member_without_mandate
	Msg
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
	add := func(code string, org int64, key string, facts F) {
		gaps = append(gaps, Gap{Code: code, OrgID: org, Msg: M(key, facts)})
	}
	core := false
	for _, m := range members {
		if memberIsActive(m) && (m.Tier == TierCore || m.Tier == "") {
			core = true
			break
		}
	}
	if !core {
		add(GapNoCoreGroup, 0, "gap_text.no_core_group", nil)
	}
	if n.OwnerOrgID == nil {
		if n.Kind == NetworkStrategic {
			add(GapNoOwner, 0, "gap_text.no_owner.strategic", nil)
		} else {
			add(GapNoOwner, 0, "gap_text.no_owner.tactical", nil)
		}
	}
	horizon := addMonths(today, fundingAheadMonths)
	if n.Kind == NetworkTactical && n.EndYear != nil {
		end := NewDate(*n.EndYear, time.December, 31)
		if !end.Before(today.Time) && end.Before(horizon.Time) {
			horizon = end
		}
	}
	if !fundingCovers(periods, today, horizon) {
		undated := 0
		for _, p := range periods {
			if !periodDated(p) {
				undated++
			}
		}
		key := "gap_text.no_funding_ahead"
		if undated > 0 {
			key = "gap_text.no_funding_ahead.undated"
		}
		add(GapNoFundingAhead, 0, key, F{"from": today, "to": horizon, "undated": undated})
	}
	switch {
	case plan == nil:
		add(GapNoPlan, 0, "gap_text.no_plan", nil)
	case strings.TrimSpace(plan.Rules) == "" && len(plan.Responsibilities) == 0:
		add(GapNoPlan, 0, "gap_text.no_plan.empty", nil)
	case strings.TrimSpace(plan.Rules) == "":
		add(GapNoPlan, 0, "gap_text.no_plan.rules", nil)
	case len(plan.Responsibilities) == 0:
		add(GapNoPlan, 0, "gap_text.no_plan.responsibilities", nil)
	}
	for _, m := range members {
		if !memberIsActive(m) || memberRole(m) != MemberBuyer || m.Mandate || strings.TrimSpace(m.ManagementSponsor) != "" {
			continue
		}
		o := orgs[m.OrgID]
		if o == nil || !o.Kind.IsPublicBuyer() {
			continue
		}
		add(GapMemberWithoutMandate, m.OrgID, "gap_text.member_without_mandate", F{"org": o.Name})
	}
	return gaps
}

// periodDated reports whether a funding period has a start or an end date.
func periodDated(p FundingPeriod) bool { return p.StartDate != nil || p.EndDate != nil }

// fundingCovers reports whether the dated periods together cover every day
// from from through to.
func fundingCovers(periods []FundingPeriod, from, to Date) bool {
	cursor := from
	for {
		if cursor.After(to.Time) {
			return true
		}
		moved := false
		for _, p := range periods {
			if !periodDated(p) || (p.StartDate != nil && p.StartDate.After(cursor.Time)) {
				continue
			}
			if p.EndDate == nil {
				return true
			}
			if !p.EndDate.Before(cursor.Time) {
				cursor = addDays(*p.EndDate, 1)
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

// AlertKinds lists every alert kind.
var AlertKinds = []string{AlertFundingEndsSoon, AlertFundingEnded, AlertInactive, AlertMembersWithoutMandate, AlertCallDeadline}

// Alert thresholds.
const (
	fundingWarningMonths = 6
	inactiveDays         = 90
	callDeadlineDays     = 30
)

// Alert is a warning about a network that the broker and its members should
// see before it is too late: its kind and the facts behind it. The message
// follows from the facts (Message), so a stored alert needs only them.
type Alert struct {
	Kind      string   `json:"kind"`
	NetworkID int64    `json:"network_id"`
	OrgID     int64    `json:"org_id,omitempty"`    // the member, when the alert is about one
	OrgIDs    []int64  `json:"org_ids,omitempty"`   // the members without mandate
	OrgNames  []string `json:"org_names,omitempty"` // their names, in the same order
	CallID    int64    `json:"call_id,omitempty"`   // the call, for call_deadline
	CallTitle string   `json:"call_title,omitempty"`
	Due       *Date    `json:"due,omitempty"`  // when funding ends or ended, the call closes, or the last sign of life
	Days      int      `json:"days,omitempty"` // from the day computed to Due (or since it, for inactive)
	Msg
}

// Message returns what the alert says, from its facts.
func (a Alert) Message() Msg {
	f := F{"days": a.Days, "n": a.Days}
	if a.Due != nil {
		f["date"] = *a.Due
	}
	switch a.Kind {
	case AlertMembersWithoutMandate:
		f = F{"n": len(a.OrgNames), "names": Names(a.OrgNames)}
	case AlertCallDeadline:
		f["call"] = a.CallTitle
	}
	return M("alert_text."+a.Kind, f)
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
//     contact has no mandate, by their organisations' names (orgs); OrgID is
//     set when there is only one;
//   - call_deadline: one per call that callFits says fits the network and
//     closes between today and today+30 days, both included; by closing date.
//
// A closed network gets no alerts.
func NetworkAlerts(n *Network, members []NetworkMember, orgs map[int64]*Organization, periods []FundingPeriod, activities []Activity, calls []FundingCall, callFits map[int64]bool, today Date) []Alert {
	alerts := []Alert{}
	if n.Status == NetworkClosed {
		return alerts
	}
	add := func(a Alert) {
		a.NetworkID = n.ID
		a.Msg = a.Message()
		alerts = append(alerts, a)
	}

	var latest *Date
	dated, openEnded := 0, false
	for _, p := range periods {
		if !periodDated(p) {
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
			add(Alert{Kind: AlertFundingEnded, Due: &due, Days: daysBetween(due, today)})
		case !due.After(addMonths(today, fundingWarningMonths).Time):
			add(Alert{Kind: AlertFundingEndsSoon, Due: &due, Days: daysBetween(today, due)})
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
	if last != nil && last.Before(addDays(today, -inactiveDays).Time) {
		add(Alert{Kind: AlertInactive, Due: last, Days: daysBetween(*last, today)})
	}

	var without []NetworkMember
	for _, m := range members {
		if memberIsActive(m) && !m.Mandate {
			without = append(without, m)
		}
	}
	if len(without) > 0 {
		a := Alert{Kind: AlertMembersWithoutMandate}
		for _, m := range without {
			name := ""
			if o := orgs[m.OrgID]; o != nil {
				name = o.Name
			}
			a.OrgIDs = append(a.OrgIDs, m.OrgID)
			a.OrgNames = append(a.OrgNames, name)
		}
		if len(without) == 1 {
			a.OrgID = without[0].OrgID
		}
		add(a)
	}

	var due []FundingCall
	horizon := addDays(today, callDeadlineDays)
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
		add(Alert{Kind: AlertCallDeadline, CallID: c.ID, CallTitle: c.Title, Due: &d, Days: daysBetween(today, d)})
	}
	return alerts
}

// addDays returns the date n days after d (before it when n is negative).
func addDays(d Date, n int) Date { return DateOf(d.AddDate(0, 0, n)) }

// addMonths returns the date n months after d, clamped to the last day of
// the month: 2026-08-31 plus 6 months is 2027-02-28.
func addMonths(d Date, n int) Date {
	y, m, day := d.Time.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	if last := first.AddDate(0, 1, -1).Day(); day > last {
		day = last
	}
	return NewDate(first.Year(), first.Month(), day)
}

// daysBetween returns the whole days from a to b.
func daysBetween(a, b Date) int {
	return int(DateOf(b.Time).Sub(DateOf(a.Time).Time).Hours() / 24)
}
