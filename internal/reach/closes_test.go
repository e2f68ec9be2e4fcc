package reach_test

import (
	"context"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/reach"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// TestCallReminders: as the clock moves, a call's last day is told 30 and
// 7 days ahead, each once, however often and on however many instances
// the job runs, to the people of organisations the call is open to that
// take part (a shared need); not to an organisation with only a draft,
// nor to a kind the call is not open to.
func TestCallReminders(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db) // Friday 4 December 2026
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		w.need(t, "falun", "Trygghetslarm", "Digitala trygghetslarm.", arena.VisibilityPublic)
		w.need(t, "boras", "Utkast", "Ett utkast.", arena.VisibilityDraft)
		region := &arena.Organization{Name: "Region Dalarna", Kind: arena.OrgRegion}
		must(db.Organizations.Create(system, region))
		must(db.Needs.Create(system, &arena.Need{OrgID: region.ID, Title: "Regionens behov", Description: "Ett behov.", Visibility: arena.VisibilityPublic}))
		funder := &arena.Funder{Name: "Vinnova", Kind: arena.FunderAgency}
		must(db.Funders.Create(system, funder))
		closes := arena.NewDate(2027, 1, 20) // 47 days ahead
		call := &arena.FundingCall{FunderID: funder.ID, Title: "Checkar för innovationsupphandling", ClosesDate: &closes, EligibleOrgKinds: []arena.OrgKind{arena.OrgKommun}}
		must(db.Calls.Create(system, call))
		w.process(t)
		reminders := func(who string) []arena.Notification {
			var out []arena.Notification
			for _, n := range w.inbox(t, who) {
				if n.Kind == arena.NotifyCallCloses {
					out = append(out, n)
				}
			}
			return out
		}
		other := w.newService(t, "two")
		run := func() {
			for _, s := range []*reach.Service{w.svc, other, w.svc} {
				s.RunOnce(context.Background())
			}
		}
		run()
		if got := reminders("falun"); len(got) != 0 {
			t.Fatalf("47 days ahead Falun was reminded: %+v", got)
		}
		w.set(time.Date(2026, 12, 21, 10, 0, 0, 0, reach.Stockholm)) // 30 days ahead
		run()
		got := reminders("falun")
		if len(got) != 1 || got[0].Days != 30 || got[0].Title != call.Title || got[0].Msg.Key != "notify.call_closes" || reach.Path(got[0]) != "/utlysningar/"+itoa(call.ID) {
			t.Fatalf("30 days ahead Falun has %+v; want one reminder, 30 days", got)
		}
		for _, who := range []string{"molndal", "boras"} {
			if got := reminders(who); len(got) != 0 {
				t.Errorf("%s, with no shared need, was reminded: %+v", who, got)
			}
		}
		w.set(time.Date(2027, 1, 14, 10, 0, 0, 0, reach.Stockholm)) // 6 days ahead: the 7-day reminder, late
		run()
		run()
		if got := reminders("falun"); len(got) != 2 || got[0].Days != 6 {
			t.Fatalf("6 days ahead Falun has %+v; want the 30- and the 7-day reminder", got)
		}
		w.set(time.Date(2027, 1, 25, 10, 0, 0, 0, reach.Stockholm)) // closed
		run()
		if got := reminders("falun"); len(got) != 2 {
			t.Errorf("after the call closed Falun has %d reminders; want 2", len(got))
		}
	})
}
