package matching_test

import (
	"slices"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/seed"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// reportCalls returns the report's calls (internal/seed/report.json) by
// key, for w.call: Vinnova's checkar för innovationsupphandling (general)
// and BioInnovation's call on the biobased economy (themed).
func reportCalls(t *testing.T) map[string]*arena.FundingCall {
	t.Helper()
	r, err := seed.LoadReport()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*arena.FundingCall{}
	for _, c := range r.Calls {
		v := c.Arena(0)
		out[c.Key] = &v
	}
	return out
}

// TestGeneralCallFitsAnySubject: Vinnova's checkar för
// innovationsupphandling fund innovation procurement of any subject, so
// they fit a kommun's published need about trygghetslarm although their
// texts share nothing, both ways (the need's calls and the call's needs),
// and a network of kommuner; not a company's need, not once
// closed. BioInnovation's call is themed and does not fit the need.
func TestGeneralCallFitsAnySubject(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		acme := &arena.Organization{Name: "Larmteknik AB", Kind: arena.OrgCompany}
		if err := db.Organizations.Create(system, acme); err != nil {
			t.Fatal(err)
		}
		w.orgs["acme"], w.actors["acme"] = acme, w.person(t, "acme@test.se", acme.ID)
		const desc = "Digitala trygghetslarm med larmmottagning för äldre i hemtjänsten."
		alarm := w.need(t, "alarm", "falun", "Trygghetslarm för äldre", desc, arena.VisibilityPublic)
		draft := w.need(t, "draft", "falun", "Trygghetslarm i särskilt boende, utkast", desc, arena.VisibilityDraft)
		company := w.need(t, "company", "acme", "Trygghetslarm till våra kunder", desc, arena.VisibilityPublic)
		w.need(t, "region", "orebro", "Snöröjning av regionens parkeringar", "Plogning och sandning.", arena.VisibilityPublic)

		calls := reportCalls(t)
		checkar, bio := calls["vinnova_checkar_innovationsupphandling"], calls["bioinnovation_hypotesprovning_steg1"]
		past := arena.NewDate(2026, 1, 31)
		closed := &arena.FundingCall{Title: "Checkar för innovationsupphandling 2025", Description: checkar.Description,
			EligibleOrgKinds: checkar.EligibleOrgKinds, General: true, ClosesDate: &past}
		for _, c := range []*arena.FundingCall{checkar, bio, closed} {
			w.call(t, c)
		}
		if !checkar.General || bio.General {
			t.Fatalf("general: checkar %v, BioInnovation %v", checkar.General, bio.General)
		}
		stored, err := db.Calls.Get(system, checkar.ID)
		if err != nil || !stored.General {
			t.Fatalf("stored checkar: %+v, %v", stored, err)
		}

		// The need's calls: the checkar, at the floor's score, with why.
		res, err := w.svc.Matches(w.actors["falun"], alarm.ID, matching.KindCalls, 10, w.clockAt)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Items) != 1 || res.Items[0].ID != checkar.ID {
			t.Fatalf("calls of the kommun's need: %s", titles(res.Items))
		}
		it := res.Items[0]
		if it.Score != match.DefaultMinItemScore {
			t.Errorf("score %v, want the floor %v", it.Score, match.DefaultMinItemScore)
		}
		if r := reasonOf(it.Reasons, "eligibility"); r.Key != "reason.call.general" || r.Args["kind"] != arena.OrgKommun.Term().In(arena.Plural) {
			t.Errorf("eligibility reason %v", r)
		}
		if r := reasonOf(it.Reasons, "deadline"); r.Key != "reason.call.no_date" {
			t.Errorf("deadline reason %v", r)
		}
		// Falun sees on its own draft which calls could pay for it; a
		// company's need fits no call for public buyers.
		for who, n := range map[string]*arena.Need{"falun": draft, "acme": company} {
			res, err := w.svc.Matches(w.actors[who], n.ID, matching.KindCalls, 10, w.clockAt)
			if err != nil {
				t.Fatal(err)
			}
			fits := slices.ContainsFunc(res.Items, func(it matching.Item) bool { return it.ID == checkar.ID })
			if fits != (n == draft) {
				t.Errorf("calls of %s: %s", n.Title, titles(res.Items))
			}
		}

		// The call's needs: every visible need it may fund, whatever the
		// subject; not the draft, not the company's.
		for _, who := range []string{"falun", "molndal", "anonymous"} {
			fit, err := w.svc.CallFits(w.actors[who], checkar.ID, w.clockAt)
			if err != nil {
				t.Fatal(err)
			}
			w.expectNeeds(t, who+": needs fitting the checkar", fitIDs(fit.Needs), []string{"alarm", "region"}, []string{"draft", "company"})
			for _, f := range fit.Needs {
				if r := reasonOf(f.Reasons, "eligibility"); r.Key != "reason.call.general" {
					t.Errorf("%s: eligibility reason %v", f.Title, r)
				}
				if f.Score < match.DefaultMinItemScore {
					t.Errorf("%s: score %v", f.Title, f.Score)
				}
			}
		}
		for name, c := range map[string]*arena.FundingCall{"BioInnovation": bio, "closed checkar": closed} {
			fit, err := w.svc.CallFits(w.actors["falun"], c.ID, w.clockAt)
			if err != nil {
				t.Fatal(err)
			}
			if slices.Contains(fitIDs(fit.Needs), alarm.ID) {
				t.Errorf("%s fits the need about trygghetslarm: %+v", name, fit.Needs)
			}
		}

		// A network fits the checkar when they accept an active member's
		// kind: a kommun's, not a company's.
		today := arena.DateOf(w.clockAt)
		list := []*arena.FundingCall{checkar, bio, closed}
		for _, tc := range []struct {
			member string
			want   bool
		}{{"falun", true}, {"acme", false}} {
			n := w.network(t, &arena.Network{Name: "Nätverk för trygghetslarm " + tc.member, Kind: arena.NetworkTactical, Description: "Trygghetslarm för äldre."},
				arena.MemberActive, map[string]string{tc.member: ""})
			st, err := db.NetworkState(system, n.ID)
			if err != nil {
				t.Fatal(err)
			}
			fits, err := w.svc.NetworkCallFits(system, n, st.Members, list, today)
			if err != nil {
				t.Fatal(err)
			}
			if fits[checkar.ID] != tc.want || fits[bio.ID] || fits[closed.ID] {
				t.Errorf("network of %s: fits %v", tc.member, fits)
			}
		}
	})
}

// TestGeneralCallTiming: a general call fits a need planned before it
// opens only by text (here not at all), and the general calls keep their
// place among many text matches.
func TestGeneralCallTiming(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		alarm := w.need(t, "alarm", "falun", "Trygghetslarm för äldre", "Digitala trygghetslarm för äldre i hemtjänsten.", arena.VisibilityPublic) // planned 2027-03-01
		opens := arena.NewDate(2027, 4, 1)
		late := &arena.FundingCall{Title: "Checkar för innovationsupphandling 2027", Description: "Stöd till innovationsupphandling.", General: true, OpensDate: &opens}
		w.call(t, late)
		for i := range 3 {
			w.call(t, &arena.FundingCall{Title: "Trygghetslarm för äldre, omgång " + string(rune('A'+i)), Description: "Digitala trygghetslarm för äldre i hemtjänsten."})
		}
		res, err := w.svc.Matches(w.actors["falun"], alarm.ID, matching.KindCalls, 10, w.clockAt)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Items) != 3 || slices.ContainsFunc(res.Items, func(it matching.Item) bool { return it.ID == late.ID }) {
			t.Errorf("calls of a need planned before the general call opens: %s", titles(res.Items))
		}
		fit, err := w.svc.CallFits(w.actors["falun"], late.ID, w.clockAt)
		if err != nil {
			t.Fatal(err)
		}
		if len(fit.Needs) != 0 {
			t.Errorf("needs fitting the late call: %+v", fit.Needs)
		}

		// Opening in time, the general call takes a place even when the
		// text matches would fill the list.
		early := arena.NewDate(2026, 12, 1)
		w.call(t, &arena.FundingCall{Title: "Checkar för innovationsupphandling 2026", Description: "Stöd till innovationsupphandling.", General: true, OpensDate: &early})
		res, err = w.svc.Matches(w.actors["falun"], alarm.ID, matching.KindCalls, 2, w.clockAt)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Items) != 2 || res.Items[1].Title != "Checkar för innovationsupphandling 2026" || res.Items[0].Score < res.Items[1].Score {
			t.Errorf("calls, two at most: %s", titles(res.Items))
		}
	})
}
