package arena

import (
	"testing"
	"time"
)

func TestNeedEvent(t *testing.T) {
	n := func(v Visibility) *Need { return &Need{OrgID: 1, Visibility: v} }
	for _, c := range []struct {
		name     string
		old, new *Need
		want     bool
	}{
		{"posted public", nil, n(VisibilityPublic), true},
		{"posted to networks", nil, n(VisibilityNetwork), true},
		{"posted as a draft", nil, n(VisibilityDraft), false},
		{"posted for the organisation", nil, n(VisibilityOrganisation), false},
		{"draft made public", n(VisibilityDraft), n(VisibilityPublic), true},
		{"organisation-only shared with networks", n(VisibilityOrganisation), n(VisibilityNetwork), true},
		{"public changed", n(VisibilityPublic), n(VisibilityPublic), false},
		{"network made public", n(VisibilityNetwork), n(VisibilityPublic), false},
		{"public made a draft", n(VisibilityPublic), n(VisibilityDraft), false},
	} {
		if k, ok := NeedEvent(c.old, c.new); ok != c.want || (ok && k != EventNeedShared) {
			t.Errorf("%s: %q %v; want %v", c.name, k, ok, c.want)
		}
	}
}

func TestMemberEvent(t *testing.T) {
	m := func(s MemberStatus) *NetworkMember { return &NetworkMember{NetworkID: 1, OrgID: 2, Status: s} }
	for _, c := range []struct {
		name     string
		old, new *NetworkMember
		want     EventKind
	}{
		{"invited", nil, m(MemberInvited), EventMemberInvited},
		{"joined at once", nil, m(MemberActive), ""},
		{"accepted", m(MemberInvited), m(MemberActive), EventMemberAnswered},
		{"declined", m(MemberInvited), m(MemberDeclined), EventMemberAnswered},
		{"left", m(MemberActive), m(MemberLeft), EventMemberAnswered},
		{"contact changed", m(MemberActive), m(MemberActive), ""},
	} {
		k, ok := MemberEvent(c.old, c.new)
		if k != c.want || ok != (c.want != "") {
			t.Errorf("%s: %q %v; want %q", c.name, k, ok, c.want)
		}
	}
}

func TestWhoIsNotified(t *testing.T) {
	public, draft, netOnly := &Need{OrgID: 1, Visibility: VisibilityPublic}, &Need{OrgID: 1, Visibility: VisibilityDraft}, &Need{OrgID: 1, Visibility: VisibilityNetwork}
	partner := func(id int64) bool { return id == 1 }
	for _, c := range []struct {
		name string
		got  bool
		want bool
	}{
		{"another organisation of a public need", NotifyOfNeed(molndalAdmin, public, nil), true},
		{"the posting organisation", NotifyOfNeed(falunMember, public, nil), false},
		{"another organisation of a draft", NotifyOfNeed(molndalAdmin, draft, partner), false},
		{"a non-partner of a network need", NotifyOfNeed(molndalAdmin, netOnly, nil), false},
		{"a partner of a network need", NotifyOfNeed(molndalAdmin, netOnly, partner), true},
		{"the platform", NotifyOfNeed(system, public, nil), false},
		{"nobody", NotifyOfNeed(anonymous, public, nil), false},
	} {
		if c.got != c.want {
			t.Errorf("need: %s: %v; want %v", c.name, c.got, c.want)
		}
	}
	inv := &NetworkMember{NetworkID: 5, OrgID: 2, Status: MemberInvited}
	if !NotifyOfInvitation(molndalAdmin, inv) || NotifyOfInvitation(falunAdmin, inv) || NotifyOfInvitation(anonymous, inv) {
		t.Error("an invitation is told to the invited organisation's admins only")
	}
	if NotifyOfInvitation(molndalAdmin, &NetworkMember{OrgID: 2, Status: MemberActive}) {
		t.Error("a membership that is no invitation is told as one")
	}
	owner, coord := int64(1), int64(3)
	n := &Network{OwnerOrgID: &owner, CoordinatorOrgID: &coord}
	ans := &NetworkMember{OrgID: 2, Status: MemberActive}
	if !NotifyOfAnswer(falunAdmin, n, ans) || !NotifyOfAnswer(orebroAdmin, n, ans) {
		t.Error("the owner's and the coordinator's admins are told of an answer")
	}
	if NotifyOfAnswer(falunMember, n, ans) || NotifyOfAnswer(molndalAdmin, n, ans) || NotifyOfAnswer(broker, n, ans) {
		t.Error("an answer is told to someone else than the owner's or coordinator's admins")
	}
}

func TestDeliveryDue(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Skip("no time zone data")
	}
	at := func(d, h, m int) time.Time { return time.Date(2026, 12, d, h, m, 0, 0, loc) }
	for _, c := range []struct {
		mode DeliveryMode
		t    time.Time
		want time.Time
	}{
		{DeliverImmediate, at(4, 10, 0), at(4, 10, 0)},
		{DeliverDaily, at(4, 10, 0), at(5, 7, 0)},  // Friday morning's news: Saturday 07:00
		{DeliverDaily, at(4, 6, 59), at(4, 7, 0)},  // before seven: the same morning
		{DeliverDaily, at(4, 7, 0), at(5, 7, 0)},   // at seven sharp: the next
		{DeliverWeekly, at(4, 10, 0), at(7, 7, 0)}, // Friday: Monday
		{DeliverWeekly, at(7, 6, 0), at(7, 7, 0)},  // Monday before seven: that morning
		{DeliverWeekly, at(7, 8, 0), at(14, 7, 0)}, // Monday after seven: the next Monday
		{DeliverOff, at(4, 10, 0), time.Time{}},
		{"unknown", at(4, 10, 0), time.Time{}},
	} {
		if got := DeliveryDue(c.mode, c.t, loc); !got.Equal(c.want) {
			t.Errorf("%s at %v: %v; want %v", c.mode, c.t, got, c.want)
		}
	}
	// Across the change to summer time a digest stays at seven local.
	if got := DeliveryDue(DeliverDaily, time.Date(2027, 3, 27, 12, 0, 0, 0, loc), loc); got.Hour() != 7 || got.Day() != 28 {
		t.Errorf("across summer time: %v", got)
	}
	if DefaultDelivery(NotifyInvitation) != DeliverImmediate || DefaultDelivery(NotifyNeedMatch) != DeliverDaily {
		t.Error("defaults: an invitation at once, matches in the daily digest")
	}
}

func TestCallClosesEvent(t *testing.T) {
	today := NewDate(2026, 12, 4)
	on := func(y int, m time.Month, d int) *FundingCall {
		x := NewDate(y, m, d)
		return &FundingCall{ClosesDate: &x}
	}
	for _, c := range []struct {
		call *FundingCall
		want EventKind
	}{
		{&FundingCall{}, ""},
		{on(2027, 1, 4), ""},                  // 31 days
		{on(2027, 1, 3), EventCallCloses30},   // 30
		{on(2026, 12, 12), EventCallCloses30}, // 8
		{on(2026, 12, 11), EventCallCloses7},  // 7
		{on(2026, 12, 4), EventCallCloses7},   // today is the last day
		{on(2026, 12, 3), ""},                 // closed
	} {
		got, ok := CallClosesEvent(c.call, today)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("closes %v: %q %v; want %q", c.call.ClosesDate, got, ok, c.want)
		}
	}
	if d := DaysBetween(NewDate(2026, 3, 28), NewDate(2026, 3, 30)); d != 2 {
		t.Errorf("DaysBetween over the change to summer time = %d; want 2", d)
	}
}

func TestNotifyOfCallClosesAndNetworkNews(t *testing.T) {
	kommun := &Organization{Meta: Meta{ID: 1}, Kind: OrgKommun}
	call := &FundingCall{EligibleOrgKinds: []OrgKind{OrgKommun}}
	if !NotifyOfCallCloses(falunAdmin, call, []*Organization{kommun}, map[int64]bool{1: true}) {
		t.Error("a kommun taking part is reminded of a call open to kommuner")
	}
	if NotifyOfCallCloses(falunAdmin, call, []*Organization{kommun}, map[int64]bool{}) {
		t.Error("an organisation not taking part is reminded")
	}
	if NotifyOfCallCloses(falunAdmin, &FundingCall{EligibleOrgKinds: []OrgKind{OrgRegion}}, []*Organization{kommun}, map[int64]bool{1: true}) {
		t.Error("a kommun is reminded of a call for regions")
	}
	if NotifyOfCallCloses(molndalAdmin, call, []*Organization{kommun}, map[int64]bool{1: true}) {
		t.Error("another organisation's person is reminded")
	}

	owner := int64(1)
	n := &Network{Meta: Meta{ID: 5}, OwnerOrgID: &owner}
	members := []*NetworkMember{{NetworkID: 5, OrgID: 2, Status: MemberActive}, {NetworkID: 5, OrgID: 3, Status: MemberInvited}}
	for _, c := range []struct {
		name            string
		a               *Actor
		aboutOrg, byUsr int64
		want            bool
	}{
		{"the owner's person", falunAdmin, 2, 0, true},
		{"an active member's person", molndalAdmin, 0, 0, true},
		{"the organisation of the procurement", molndalAdmin, 2, 0, false},
		{"the person who made it", falunAdmin, 0, 11, false},
		{"an invited organisation", orebroAdmin, 0, 0, false},
		{"a broker outside", broker, 0, 0, false},
		{"the platform", system, 0, 0, false},
	} {
		if got := NotifyOfNetworkNews(c.a, n, members, c.aboutOrg, c.byUsr); got != c.want {
			t.Errorf("%s: %v; want %v", c.name, got, c.want)
		}
	}
}
