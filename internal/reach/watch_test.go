package reach_test

import (
	"strconv"
	"strings"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/reach"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

func (w *world) watch(t *testing.T, who, name string, target arena.WatchTarget, filters map[string]string) *arena.Watch {
	t.Helper()
	wt := &arena.Watch{Name: name, Target: target, Filters: filters}
	if err := w.db.Watches.Create(w.actors[who], wt); err != nil {
		t.Fatal(err)
	}
	return wt
}

// TestWatchesTellOfWhatTheRegisterWouldList: a watch tells its keeper of a
// new record its register lists under its filters, to the keeper: a CPV
// code takes its subtree, län and organisation kind are the posting
// organisation's; never of a draft, an organisation-only or a non-partner's
// network need, never of the keeper's own organisation's need, never while
// paused, and never anyone else. A call watched by words is told too, and
// the message and the link come from the notification.
func TestWatchesTellOfWhatTheRegisterWouldList(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		falun := w.orgs["falun"]
		falun.SCBCode = "2080"
		if err := db.Organizations.Update(system, falun, falun.Version); err != nil {
			t.Fatal(err)
		}
		building := w.watch(t, "molndal", "Byggen i Dalarna", arena.WatchNeeds, map[string]string{"cpv": "45000000", "lan": "20"})
		kommuner := w.watch(t, "boras", "Kommunernas ventilation", arena.WatchNeeds, map[string]string{"q": "ventilation", "org_kind": "kommun"})
		paused := w.watch(t, "boras", "Pausad", arena.WatchNeeds, map[string]string{"cpv": "45000000"})
		paused.Paused = true
		if err := db.Watches.Update(w.actors["boras"], paused, paused.Version); err != nil {
			t.Fatal(err)
		}
		own := w.watch(t, "falun", "Egna byggen", arena.WatchNeeds, map[string]string{"cpv": "45000000"})

		post := func(title string, cpv []string, vis arena.Visibility) *arena.Need {
			n := &arena.Need{OrgID: falun.ID, Title: title, Description: title + " i kommunens lokaler.", CPVCodes: cpv, Visibility: vis}
			if err := db.Needs.Create(w.actors["falun"], n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		post("Utkast om ventilation", []string{"45331210"}, arena.VisibilityDraft)
		post("Intern ventilation", []string{"45331210"}, arena.VisibilityOrganisation)
		post("Nätverkets ventilation", []string{"45331210"}, arena.VisibilityNetwork)
		post("Skolmat utan svinn", []string{"55524000"}, arena.VisibilityPublic)
		w.process(t)
		for _, who := range []string{"molndal", "boras", "falun"} {
			if got := w.inbox(t, who); len(got) != 0 {
				t.Fatalf("%s was told of a need no watch may catch: %+v", who, got)
			}
		}

		n := post("Ventilation i Lugnetskolan", []string{"45331210"}, arena.VisibilityPublic)
		w.process(t)
		for who, want := range map[string]*arena.Watch{"molndal": building, "boras": kommuner} {
			got := w.inbox(t, who)
			if len(got) != 1 || got[0].Kind != arena.NotifyWatch || got[0].WatchID != want.ID || got[0].EntityID != n.ID || got[0].Target != arena.WatchNeeds {
				t.Fatalf("%s's inbox = %+v; want one notification of watch %d catching need %d", who, got, want.ID, n.ID)
			}
			if got[0].Title != n.Title || got[0].Watch != want.Name || got[0].Msg.Key != "notify.watch.needs" {
				t.Errorf("%s: facts %+v", who, got[0])
			}
			if p := reach.Path(got[0]); p != "/behov/"+itoa(n.ID) {
				t.Errorf("%s: path %q", who, p)
			}
		}
		if got := w.inbox(t, "falun"); len(got) != 0 {
			t.Errorf("Falun's own watch %d told Falun of its own need: %+v", own.ID, got)
		}

		// Moving the organisation out of the län: the watch on län 20 no
		// longer catches its needs.
		falun.SCBCode = "1480"
		if err := db.Organizations.Update(system, falun, falun.Version); err != nil {
			t.Fatal(err)
		}
		post("Renovering av badhuset", []string{"45212212"}, arena.VisibilityPublic)
		w.process(t)
		if got := w.inbox(t, "molndal"); len(got) != 1 {
			t.Errorf("a need of an organisation outside the watched län reached Mölndal: %+v", got)
		}
		if got := w.inbox(t, "boras"); len(got) != 1 {
			t.Errorf("Borås's paused watch %d told of a new building need: %+v", paused.ID, got)
		}

		// A call watched by words reaches its keeper.
		calls := w.watch(t, "molndal", "Sensorer", arena.WatchCalls, map[string]string{"q": "sensor"})
		funder := &arena.Funder{Name: "Vinnova", Kind: arena.FunderAgency}
		if err := db.Funders.Create(system, funder); err != nil {
			t.Fatal(err)
		}
		for _, title := range []string{"Sensorer i vattennätet", "Matsvinn i skolan"} {
			if err := db.Calls.Create(system, &arena.FundingCall{FunderID: funder.ID, Title: title}); err != nil {
				t.Fatal(err)
			}
		}
		w.process(t)
		got := w.inbox(t, "molndal")
		if len(got) != 2 || got[0].WatchID != calls.ID || got[0].Title != "Sensorer i vattennätet" || !strings.HasPrefix(reach.Path(got[0]), "/utlysningar/") {
			t.Fatalf("Mölndal's inbox after two calls = %+v; want the sensor call on top", got)
		}

		// A deleted watch's notifications are no longer shown.
		if err := db.Watches.Delete(w.actors["molndal"], calls.ID, calls.Version); err != nil {
			t.Fatal(err)
		}
		if got := w.inbox(t, "molndal"); len(got) != 1 {
			t.Errorf("after deleting the watch the inbox shows %d notifications; want 1", len(got))
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
