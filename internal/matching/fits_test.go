package matching_test

import (
	"slices"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// TestCallFits: the needs that fit a call are visible to the caller, never
// drafts, only of organisations the call accepts; running networks fit
// too; each with reasons by key.
func TestCallFits(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		const desc = "Digitala trygghetslarm med larmmottagning för äldre i hemtjänsten."
		w.need(t, "kommun", "falun", "Trygghetslarm för äldre", desc, arena.VisibilityPublic)
		w.need(t, "draft", "falun", "Trygghetslarm för äldre, utkast", desc, arena.VisibilityDraft)
		w.need(t, "region", "orebro", "Trygghetslarm i regionens hemsjukvård", desc, arena.VisibilityPublic)
		w.need(t, "snow", "molndal", "Snöröjning av gator", "Plogning och sandning av gator och torg.", arena.VisibilityPublic)
		w.network(t, &arena.Network{Name: "Nätverk för trygghetslarm och välfärdsteknik", Kind: arena.NetworkStrategic, Description: "Trygghetslarm för äldre."}, arena.MemberActive, map[string]string{"falun": ""})
		w.network(t, &arena.Network{Name: "Avslutat nätverk för trygghetslarm", Kind: arena.NetworkTactical, Status: arena.NetworkEnded, Description: "Trygghetslarm för äldre."}, arena.MemberActive, map[string]string{"molndal": ""})

		closes := arena.NewDate(2027, 1, 31)
		all := &arena.FundingCall{Title: "Trygghetslarm för äldre", Description: "Stöd till digitala trygghetslarm.", ClosesDate: &closes}
		regions := &arena.FundingCall{Title: "Trygghetslarm i regionerna", Description: "Digitala trygghetslarm för äldre.", EligibleOrgKinds: []arena.OrgKind{arena.OrgRegion}}
		w.call(t, all)
		w.call(t, regions)

		fit, err := w.svc.CallFits(w.actors["falun"], all.ID, w.clockAt)
		if err != nil {
			t.Fatal(err)
		}
		w.expectNeeds(t, "needs fitting the open call", fitIDs(fit.Needs), []string{"kommun", "region"}, []string{"draft", "snow"})
		for _, f := range fit.Needs {
			keys := reasonKeys(f.Reasons)
			if f.Type != "need" || f.OrgName == "" || f.Score < 0.1 || !slices.Contains(keys, "fit.concepts") || slices.Contains(keys, "fit.eligible") {
				t.Errorf("%+v", f)
			}
			// planned 2027-03-01, after the call closes
			if r := reasonOf(f.Reasons, "timing"); r.Key != "fit.timing_before" || r.Args["closes"] != closes || r.Args["planned"] != arena.NewDate(2027, 3, 1) {
				t.Errorf("%s: timing %v", f.Title, r)
			}
		}
		if len(fit.Networks) != 1 || fit.Networks[0].Title != "Nätverk för trygghetslarm och välfärdsteknik" {
			t.Fatalf("networks %+v", fit.Networks)
		}
		if r := reasonOf(fit.Networks[0].Reasons, "network"); r.Key != "fit.network_kind" || r.Args["kind"] != arena.NetworkStrategic.Term() {
			t.Errorf("network reason %v", r)
		}

		fit, err = w.svc.CallFits(w.actors["falun"], regions.ID, w.clockAt)
		if err != nil {
			t.Fatal(err)
		}
		w.expectNeeds(t, "needs fitting the regions' call", fitIDs(fit.Needs), []string{"region"}, []string{"kommun", "draft", "snow"})
		if r := reasonOf(fit.Needs[0].Reasons, "eligibility"); r.Key != "fit.eligible" || r.Args["kind"] != arena.OrgRegion.Term() {
			t.Errorf("eligibility reason %v", r)
		}
		if _, err := w.svc.CallFits(w.actors["falun"], 999999, w.clockAt); arena.ErrorCode(err) != arena.ENOTFOUND {
			t.Errorf("unknown call: %v", err)
		}
	})
}

// TestNetworkCallFits: a call fits a network when it is not closed, its
// text shares concepts with the network's, and it accepts an active
// member's kind of organisation (an invited member's does not count).
func TestNetworkCallFits(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.need(t, "alarm", "molndal", "Digitala trygghetslarm", "Larm för äldre.", arena.VisibilityOrganisation)
		n := w.network(t, &arena.Network{Name: "Välfärdsteknik i Västra Götaland", Kind: arena.NetworkTactical, Description: "Kommuner inför välfärdsteknik tillsammans."},
			arena.MemberActive, map[string]string{"falun": "", "molndal": "alarm"})
		if err := db.NetworkMembers.Create(system, &arena.NetworkMember{NetworkID: n.ID, OrgID: w.orgs["orebro"].ID, Status: arena.MemberInvited}); err != nil {
			t.Fatal(err)
		}
		st, err := db.NetworkState(system, n.ID)
		if err != nil {
			t.Fatal(err)
		}
		today := arena.DateOf(w.clockAt)
		past, soon := arena.NewDate(2026, 11, 1), arena.NewDate(2026, 12, 15)
		calls := map[string]*arena.FundingCall{
			"kommuner":  {Title: "Välfärdsteknik i kommunerna", Description: "Stöd till kommuner som inför välfärdsteknik.", EligibleOrgKinds: []arena.OrgKind{arena.OrgKommun}, ClosesDate: &soon},
			"alarm":     {Title: "Trygghetslarm för äldre", Description: "Digitala trygghetslarm.", ClosesDate: &soon}, // through Mölndal's need
			"regions":   {Title: "Välfärdsteknik i regionerna", Description: "Välfärdsteknik i vården.", EligibleOrgKinds: []arena.OrgKind{arena.OrgRegion}},
			"closed":    {Title: "Välfärdsteknik, förra omgången", Description: "Välfärdsteknik.", ClosesDate: &past},
			"unrelated": {Title: "Fossilfria arbetsmaskiner", Description: "Elektriska hjullastare och grävmaskiner."},
		}
		var list []*arena.FundingCall
		for _, c := range calls {
			w.call(t, c)
			list = append(list, c)
		}
		fits, err := w.svc.NetworkCallFits(system, n, st.Members, list, today)
		if err != nil {
			t.Fatal(err)
		}
		for name, c := range calls {
			want := name == "kommuner" || name == "alarm"
			if fits[c.ID] != want {
				t.Errorf("%s: fits %v, want %v", name, fits[c.ID], want)
			}
		}
	})
}

func fitIDs(items []matching.FitItem) []int64 {
	var ids []int64
	for _, f := range items {
		ids = append(ids, f.ID)
	}
	return ids
}

func reasonKeys(rs []matching.Reason) []string {
	var keys []string
	for _, r := range rs {
		keys = append(keys, r.Key)
	}
	return keys
}

func reasonOf(rs []matching.Reason, kind string) arena.Msg {
	for _, r := range rs {
		if r.Kind == kind {
			return r.Msg
		}
	}
	return arena.Msg{}
}
