package reach_test

import (
	"io"
	"log/slog"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/networks"
	"github.com/arena-se/arena/internal/reach"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// TestNetworkNews: a member procurement that moves a stage tells the
// people of the network's other organisations (owner and active members),
// never its own organisation nor an organisation outside the network; a
// new deliverable tells every organisation of the network but the person
// who added it. The messages name the stage and the network.
func TestNetworkNews(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		n := &arena.Network{Name: "Trygghetslarm i Väst", Kind: arena.NetworkTactical, OwnerOrgID: &w.orgs["falun"].ID, Status: arena.NetworkActive}
		must(db.Networks.Create(system, n))
		for _, org := range []string{"falun", "molndal"} {
			must(db.NetworkMembers.Create(system, &arena.NetworkMember{NetworkID: n.ID, OrgID: w.orgs[org].ID, Status: arena.MemberActive}))
		}
		must(db.NetworkMembers.Create(system, &arena.NetworkMember{NetworkID: n.ID, OrgID: w.orgs["boras"].ID, Status: arena.MemberDeclined}))
		p := &arena.MemberProcurement{NetworkID: n.ID, OrgID: w.orgs["molndal"].ID, Title: "Mölndals larmupphandling", PlannedDate: new(arena.NewDate(2026, 11, 1))}
		must(db.MemberProcurements.Create(w.actors["molndal"], p))
		w.process(t)
		for _, who := range []string{"falun", "molndal", "boras"} {
			if got := w.inbox(t, who); len(got) != 0 {
				t.Fatalf("a new planned procurement is no stage change, yet %s was told: %+v", who, got)
			}
		}

		svc := networks.New(db, w.match, slog.New(slog.NewTextHandler(io.Discard, nil)))
		_, err := svc.Advance(w.actors["molndal"], p.ID, arena.StageAnnounced, arena.NewDate(2026, 12, 4), "", 0)
		must(err)
		w.process(t)
		got := w.inbox(t, "falun")
		if len(got) != 1 || got[0].Kind != arena.NotifyStage || got[0].Stage != arena.StageAnnounced || got[0].OrgName != "Mölndals stad" ||
			got[0].Network != n.Name || got[0].Title != p.Title || reach.Path(got[0]) != "/natverk/"+itoa(n.ID)+"/uppfoljning" {
			t.Fatalf("Falun (the owner) was told %+v", got)
		}
		for _, who := range []string{"molndal", "boras"} {
			if got := w.inbox(t, who); len(got) != 0 {
				t.Errorf("%s was told of Mölndal's stage: %+v", who, got)
			}
		}

		d := &arena.Deliverable{NetworkID: n.ID, Kind: arena.DeliverableGuidance, Title: "Gemensam kravspecifikation"}
		must(db.Deliverables.Create(w.actors["falun"], d))
		w.process(t)
		got = w.inbox(t, "molndal")
		if len(got) != 1 || got[0].Kind != arena.NotifyDeliverable || got[0].Title != d.Title || got[0].Network != n.Name {
			t.Fatalf("Mölndal was told %+v", got)
		}
		if got := w.inbox(t, "falun"); len(got) != 1 {
			t.Errorf("Falun, who added the deliverable, was told of it: %+v", got)
		}
		if got := w.inbox(t, "boras"); len(got) != 0 {
			t.Errorf("Borås, which declined, was told: %+v", got)
		}

		// A network's new alert is told once to its organisations; the
		// same alert at the next computation is no news.
		for range 2 {
			must(db.ReplaceAlerts(system, []arena.Alert{{Kind: arena.AlertInactive, NetworkID: n.ID, Days: 120}}))
			w.process(t)
		}
		for who, want := range map[string]int{"falun": 2, "molndal": 2, "boras": 0} {
			got := w.inbox(t, who)
			if len(got) != want {
				t.Fatalf("%s has %d notifications after the alert; want %d: %+v", who, len(got), want, got)
			}
			if want > 0 && (got[0].Kind != arena.NotifyAlert || got[0].Detail != arena.AlertInactive || got[0].Network != n.Name ||
				reach.Path(got[0]) != "/natverk/"+itoa(n.ID)+"/varningar") {
				t.Errorf("%s: %+v", who, got[0])
			}
		}
	})
}
