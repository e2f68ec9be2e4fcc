package reach_test

import (
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// TestCalendarFeed: a person's secret calendar address gives, as
// iCalendar that a calendar library parses, the last days of calls open
// to the organisation's kind, the planned dates of its needs and the
// planned member procurements and activities of its networks, each an
// all-day event linking to its page, in the person's language; nobody
// else's dates; and a new address ends the old.
func TestCalendarFeed(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db) // today is 4 December 2026
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		date := func(y, m, d int) *arena.Date { x := arena.NewDate(y, time.Month(m), d); return &x }
		need := &arena.Need{OrgID: w.orgs["falun"].ID, Title: "Trygghetslarm", Description: "Digitala trygghetslarm.", Visibility: arena.VisibilityOrganisation, PlannedDate: date(2027, 3, 1)}
		must(db.Needs.Create(w.actors["falun"], need))
		funder := &arena.Funder{Name: "Vinnova", Kind: arena.FunderAgency}
		must(db.Funders.Create(system, funder))
		open := &arena.FundingCall{FunderID: funder.ID, Title: "Checkar för innovationsupphandling", ClosesDate: date(2027, 1, 15), EligibleOrgKinds: []arena.OrgKind{arena.OrgKommun}}
		regions := &arena.FundingCall{FunderID: funder.ID, Title: "Bara för regioner", ClosesDate: date(2027, 1, 16), EligibleOrgKinds: []arena.OrgKind{arena.OrgRegion}}
		old := &arena.FundingCall{FunderID: funder.ID, Title: "Stängd sedan länge", ClosesDate: date(2026, 1, 1)}
		for _, c := range []*arena.FundingCall{open, regions, old} {
			must(db.Calls.Create(system, c))
		}
		net := &arena.Network{Name: "Trygghetslarm i Väst", Kind: arena.NetworkTactical, OwnerOrgID: &w.orgs["falun"].ID, Status: arena.NetworkActive}
		must(db.Networks.Create(system, net))
		for _, org := range []string{"falun", "molndal"} {
			must(db.NetworkMembers.Create(system, &arena.NetworkMember{NetworkID: net.ID, OrgID: w.orgs[org].ID, Status: arena.MemberActive}))
		}
		proc := &arena.MemberProcurement{NetworkID: net.ID, OrgID: w.orgs["molndal"].ID, Title: "Mölndals larmupphandling", PlannedDate: date(2027, 2, 1)}
		must(db.MemberProcurements.Create(system, proc))
		act := &arena.Activity{NetworkID: net.ID, Kind: arena.ActivityRFI, Title: "Dialogdag med leverantörer", StartDate: date(2027, 1, 20), EndDate: date(2027, 1, 21), Status: arena.ActivityPlanned}
		must(db.Activities.Create(system, act))

		feed := func(who string) (string, []*ics.VEvent) {
			t.Helper()
			addr, err := w.svc.NewCalendarFeed(w.actors[who])
			must(err)
			token := strings.TrimSuffix(addr[strings.LastIndex(addr, "/")+1:], ".ics")
			if !strings.HasPrefix(addr, "https://arena.test/kalender/") || len(token) != 43 {
				t.Fatalf("address %q", addr)
			}
			doc, found, err := w.svc.CalendarFeed(w.actors[who], token)
			must(err)
			if !found {
				t.Fatalf("%s's new address finds nothing", who)
			}
			if strings.Count(doc, "\r\n") != strings.Count(doc, "\n") {
				t.Errorf("%s's feed has lines that do not end in CRLF (RFC 5545 3.1)", who)
			}
			cal, err := ics.ParseCalendar(strings.NewReader(doc))
			if err != nil {
				t.Fatalf("%s's feed does not parse: %v\n%s", who, err, doc)
			}
			return token, cal.Events()
		}
		type ev struct{ summary, start, end, url string }
		got := func(events []*ics.VEvent) map[string]ev {
			out := map[string]ev{}
			for _, e := range events {
				prop := func(p ics.ComponentProperty) string {
					if x := e.GetProperty(p); x != nil {
						return x.Value
					}
					return ""
				}
				out[e.Id()] = ev{prop(ics.ComponentPropertySummary), prop(ics.ComponentPropertyDtStart), prop(ics.ComponentPropertyDtEnd), prop(ics.ComponentPropertyUrl)}
			}
			return out
		}
		id := func(kind string, n int64) string { return kind + "-" + itoa(n) + "@arena.test" }

		token, events := feed("falun")
		want := map[string]ev{
			id("call_closes", open.ID):         {"Sista ansökningsdag: Checkar för innovationsupphandling", "20270115", "20270116", "https://arena.test/utlysningar/" + itoa(open.ID)},
			id("need_planned", need.ID):        {"Planerad upphandling: Trygghetslarm", "20270301", "20270302", "https://arena.test/behov/" + itoa(need.ID)},
			id("procurement_planned", proc.ID): {"Planerad medlemsupphandling: Mölndals larmupphandling", "20270201", "20270202", "https://arena.test/natverk/" + itoa(net.ID) + "/uppfoljning"},
			id("activity", act.ID):             {"Nätverksaktivitet: Dialogdag med leverantörer", "20270120", "20270122", "https://arena.test/natverk/" + itoa(net.ID) + "/plan"},
		}
		if g := got(events); len(g) != len(want) {
			t.Errorf("Falun's feed has %d events; want %d: %+v", len(g), len(want), g)
		} else {
			for k, v := range want {
				if g[k] != v {
					t.Errorf("event %s = %+v; want %+v", k, g[k], v)
				}
			}
		}

		// Borås is in no network and has no need: only the open call,
		// in English.
		must(db.SetNotificationSettings(w.actors["boras"], w.users["boras"].ID, nil, "en"))
		_, events = feed("boras")
		if g := got(events); len(g) != 1 || g[id("call_closes", open.ID)].summary != "Last day to apply: Checkar för innovationsupphandling" {
			t.Errorf("Borås's feed = %+v", g)
		}

		// A new address ends the old one.
		feed("falun")
		if _, found, err := w.svc.CalendarFeed(w.actors["falun"], token); err != nil || found {
			t.Errorf("the old address still answers (found %v, %v)", found, err)
		}
	})
}
