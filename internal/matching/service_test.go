package matching_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

var system = arena.WithActor(context.Background(), arena.SystemActor())

type world struct {
	db      *store.DB
	svc     *matching.Service
	orgs    map[string]*arena.Organization
	actors  map[string]context.Context
	needs   map[string]*arena.Need
	clockAt time.Time
	funder  int64 // of the calls w.call creates
}

func newWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
	w := &world{db: db, orgs: map[string]*arena.Organization{}, actors: map[string]context.Context{}, needs: map[string]*arena.Need{},
		clockAt: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)}
	for _, o := range []struct {
		key, name string
		kind      arena.OrgKind
	}{{"falun", "Falu kommun", arena.OrgKommun}, {"molndal", "Mölndals stad", arena.OrgKommun}, {"boras", "Borås stad", arena.OrgKommun}, {"orebro", "Region Örebro län", arena.OrgRegion}} {
		org := &arena.Organization{Name: o.name, Kind: o.kind}
		if err := db.Organizations.Create(system, org); err != nil {
			t.Fatal(err)
		}
		w.orgs[o.key] = org
		w.actors[o.key] = w.person(t, o.key+"@test.se", org.ID)
	}
	w.actors["broker"] = w.person(t, "maklare@test.se", 0, arena.RoleBroker)
	w.actors["anonymous"] = context.Background()
	w.svc = matching.New(db, match.NewAnalyzer(nil), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := w.svc.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	return w
}

// person creates a user, a member of organisation org when it is not 0,
// and returns a context acting as the user.
func (w *world) person(t *testing.T, email string, org int64, roles ...arena.PlatformRole) context.Context {
	t.Helper()
	u := &arena.User{Email: email, PlatformRoles: roles}
	if err := w.db.Users.Create(system, u); err != nil {
		t.Fatal(err)
	}
	if org != 0 {
		if err := w.db.OrgMemberships.Create(system, &arena.OrgMembership{UserID: u.ID, OrgID: org, Role: arena.OrgRoleMember}); err != nil {
			t.Fatal(err)
		}
	}
	a, err := w.db.ActorFor(context.Background(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return arena.WithActor(context.Background(), a)
}

// network creates a running network with the organisations as members of
// the given status, each bringing its need when one is named.
func (w *world) network(t *testing.T, n *arena.Network, status arena.MemberStatus, members map[string]string) *arena.Network {
	t.Helper()
	if err := w.db.Networks.Create(system, n); err != nil {
		t.Fatal(err)
	}
	for org, need := range members {
		m := &arena.NetworkMember{NetworkID: n.ID, OrgID: w.orgs[org].ID, Status: status}
		if need != "" {
			m.NeedID = &w.needs[need].ID
		}
		if err := w.db.NetworkMembers.Create(system, m); err != nil {
			t.Fatal(err)
		}
	}
	w.sync(t)
	return n
}

func (w *world) sync(t *testing.T) {
	t.Helper()
	if err := w.svc.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func (w *world) need(t *testing.T, key, org, title, desc string, vis arena.Visibility, cpv ...string) *arena.Need {
	t.Helper()
	d := arena.NewDate(2027, 3, 1)
	n := &arena.Need{OrgID: w.orgs[org].ID, Title: title, Description: desc, Visibility: vis, CPVCodes: cpv, PlannedDate: &d}
	if err := w.db.Needs.Create(w.actors[org], n); err != nil {
		t.Fatal(err)
	}
	w.needs[key] = n
	w.sync(t)
	return n
}

func titles(items []matching.Item) string {
	var ts []string
	for _, it := range items {
		ts = append(ts, it.Title)
	}
	return strings.Join(ts, " | ")
}

func TestNeedMatchesRespectVisibilityAndExplain(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		q := w.need(t, "q", "falun", "Trygghetslarm för äldre i ordinärt boende", "Digitala trygghetslarm med larmmottagning dygnet runt för hemtjänstens brukare.", arena.VisibilityPublic, "35121700")
		w.need(t, "own", "falun", "Trygghetslarm i hemtjänsten, etapp två", "Fler digitala trygghetslarm till hemtjänstens brukare.", arena.VisibilityPublic)
		w.need(t, "match", "molndal", "Digitala larm för trygghet i hemmet", "Mölndal söker larm och trygghetslarm för hemtjänst med larmmottagning, digitalt.", arena.VisibilityPublic, "35121000")
		w.need(t, "draft", "boras", "Trygghetslarm digitala för hemtjänsten", "Utkast om digitala trygghetslarm och larmmottagning.", arena.VisibilityDraft)
		w.need(t, "other", "boras", "Snöröjning av gator och parkeringar", "Vinterväghållning med plogning och sandning.", arena.VisibilityPublic)

		res, err := w.svc.Matches(w.actors["falun"], q.ID, matching.KindNeeds, 10, w.clockAt)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Items) == 0 || res.Items[0].ID != w.needs["match"].ID {
			t.Fatalf("first match: %s", titles(res.Items))
		}
		for _, it := range res.Items {
			if it.OrgID == w.orgs["falun"].ID {
				t.Errorf("own organisation's need returned: %s", it.Title)
			}
			if it.ID == w.needs["draft"].ID {
				t.Errorf("another organisation's draft returned: %s", it.Title)
			}
		}
		top := res.Items[0]
		var kinds []string
		for _, r := range top.Reasons {
			kinds = append(kinds, r.Kind)
			if !strings.HasPrefix(r.Key, "reason.") {
				t.Errorf("reason %s without a catalogue key: %v", r.Kind, r.Msg)
			}
		}
		joined := strings.Join(kinds, ",")
		for _, want := range []string{"concepts", "cpv", "timing", "organisation_kind"} {
			if !strings.Contains(joined, want) {
				t.Errorf("reasons %v lack %s", kinds, want)
			}
		}
		c := top.Reasons[0]
		if words, _ := c.Args["concepts"].(string); c.Key != "reason.concepts" || !strings.Contains(words, "trygghetslarm") || strings.Contains(words, "trygg,") {
			t.Errorf("concepts are not readable words: %v", c.Msg)
		}
		for _, r := range top.Reasons {
			switch r.Kind {
			case "cpv":
				want := arena.F{"need_code": "35121700", "need_label": "", "match_code": "35121000", "match_label": ""}
				if r.Key != "reason.cpv.category" || fmt.Sprint(r.Args) != fmt.Sprint(want) {
					t.Errorf("CPV reason %v", r.Msg)
				}
			case "timing":
				if r.Key != "reason.timing.same_month" || r.Args["a"] != (arena.Month{Year: 2027, Month: time.March}) || r.Args["months"] != 0 {
					t.Errorf("timing reason %v", r.Msg)
				}
			case "organisation_kind":
				if r.Args["kind"] != arena.OrgKommun.Term() {
					t.Errorf("kind reason %v", r.Msg)
				}
			}
		}
		for _, it := range res.Items {
			if it.Alike < matching.ShowMatch || it.Strength != matching.Strength(it.Alike) {
				t.Errorf("%s: alike %v, strength %q", it.Title, it.Alike, it.Strength)
			}
		}

		// Borås makes its draft public: it becomes a match.
		d := w.needs["draft"]
		d.Visibility = arena.VisibilityPublic
		if err := db.Needs.Update(w.actors["boras"], d, d.Version); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Sync(context.Background()); err != nil {
			t.Fatal(err)
		}
		res, _ = w.svc.Matches(w.actors["falun"], q.ID, matching.KindNeeds, 10, w.clockAt)
		if !strings.Contains(titles(res.Items), "Trygghetslarm digitala för hemtjänsten") {
			t.Fatalf("published need not matched: %s", titles(res.Items))
		}
		// Mölndal deletes its need: it is gone from the matches.
		m := w.needs["match"]
		if err := db.Needs.Delete(w.actors["molndal"], m.ID, m.Version); err != nil {
			t.Fatal(err)
		}
		w.svc.Sync(context.Background())
		res, _ = w.svc.Matches(w.actors["falun"], q.ID, matching.KindNeeds, 10, w.clockAt)
		if strings.Contains(titles(res.Items), "Digitala larm för trygghet i hemmet") {
			t.Fatalf("deleted need still matched: %s", titles(res.Items))
		}
		// Another organisation cannot ask about a need it cannot see.
		if _, err := w.svc.Matches(w.actors["molndal"], w.needs["own"].ID, matching.KindNeeds, 10, w.clockAt); err != nil {
			t.Fatalf("public need's matches for another organisation: %v", err)
		}
		priv := w.need(t, "priv", "falun", "Internt behov av trygghetslarm", "Internt.", arena.VisibilityOrganisation)
		if _, err := w.svc.Matches(w.actors["molndal"], priv.ID, matching.KindNeeds, 10, w.clockAt); arena.ErrorCode(err) != arena.ENOTFOUND {
			t.Fatalf("matches of an invisible need: %v", err)
		}
		if _, err := w.svc.Matches(w.actors["falun"], q.ID, "friends", 10, w.clockAt); arena.ErrorField(err) != "kind" {
			t.Fatalf("bad kind: %v", err)
		}
	})
}

func TestOtherMatches(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		q := w.need(t, "q", "falun", "Trygghetslarm och välfärdsteknik i hemtjänsten", "Vi vill pröva välfärdsteknik: digitala trygghetslarm för äldre.", arena.VisibilityPublic)
		funder := &arena.Funder{Name: "Vinnova", Kind: arena.FunderAgency}
		if err := db.Funders.Create(system, funder); err != nil {
			t.Fatal(err)
		}
		past, future := arena.NewDate(2026, 1, 31), arena.NewDate(2027, 2, 15)
		calls := []*arena.FundingCall{
			{FunderID: funder.ID, Title: "Välfärdsteknik i kommunerna", Description: "Stöd till kommuner som inför välfärdsteknik och digitala trygghetslarm.", EligibleOrgKinds: []arena.OrgKind{arena.OrgKommun}, ClosesDate: &future},
			{FunderID: funder.ID, Title: "Välfärdsteknik för regioner", Description: "Välfärdsteknik och trygghetslarm i regionernas vård.", EligibleOrgKinds: []arena.OrgKind{arena.OrgRegion}, ClosesDate: &future},
			{FunderID: funder.ID, Title: "Stängd utlysning om välfärdsteknik", Description: "Välfärdsteknik och trygghetslarm.", ClosesDate: &past},
		}
		for _, c := range calls {
			if err := db.Calls.Create(system, c); err != nil {
				t.Fatal(err)
			}
		}
		w.svc.Sync(context.Background())
		res, err := w.svc.Matches(w.actors["falun"], q.ID, matching.KindCalls, 10, w.clockAt)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Items) != 1 || res.Items[0].Title != "Välfärdsteknik i kommunerna" {
			t.Fatalf("calls: %s", titles(res.Items))
		}
		byKind := map[string]arena.Msg{}
		for _, r := range res.Items[0].Reasons {
			byKind[r.Kind] = r.Msg
		}
		if d := byKind["deadline"]; d.Key != "reason.call.closes" || d.Args["date"] != future || d.Args["days"] != 80 || d.Args["n"] != 80 {
			t.Errorf("deadline reason %v", d)
		}
		// The plural of the kind: "kommuner", never "kommuner" built by
		// adding "er" to a word.
		if e := byKind["eligibility"]; e.Key != "reason.call.eligible" || e.Args["kind"] != arena.OrgKommun.Term().In(arena.Plural) {
			t.Errorf("eligibility reason %v", e)
		}
		for _, n := range []*arena.Network{
			{Name: "Nätverk för välfärdsteknik och trygghetslarm", Kind: arena.NetworkStrategic, Open: true, Description: "Kommuner som delar erfarenheter av välfärdsteknik."},
			{Name: "Stängt nätverk för välfärdsteknik", Kind: arena.NetworkStrategic, Open: false, Description: "Välfärdsteknik och trygghetslarm."},
		} {
			if err := db.Networks.Create(system, n); err != nil {
				t.Fatal(err)
			}
		}
		w.svc.Sync(context.Background())
		res, _ = w.svc.Matches(w.actors["falun"], q.ID, matching.KindNetworks, 10, w.clockAt)
		if len(res.Items) != 1 || !strings.HasPrefix(res.Items[0].Title, "Nätverk för välfärdsteknik") {
			t.Fatalf("networks: %s", titles(res.Items))
		}
		p := &arena.Project{Title: "Mölndals stad trygghetsskapande teknik", Category: arena.CategoryInnovationProcurement, Description: "Trygghetslarm och välfärdsteknik i hemtjänsten."}
		if err := db.Projects.Create(system, p); err != nil {
			t.Fatal(err)
		}
		e := &arena.Expert{Name: "Forskargrupp för välfärdsteknik", Kind: arena.ExpertEnvironment, SubjectAreas: []string{"välfärdsteknik", "äldreomsorg"}}
		if err := db.Experts.Create(system, e); err != nil {
			t.Fatal(err)
		}
		w.svc.Sync(context.Background())
		for kind, want := range map[string]string{matching.KindProjects: p.Title, matching.KindExperts: e.Name} {
			res, err := w.svc.Matches(w.actors["falun"], q.ID, kind, 10, w.clockAt)
			if err != nil || len(res.Items) == 0 || res.Items[0].Title != want {
				t.Fatalf("%s: %v %v", kind, err, res)
			}
		}
		if _, err := w.svc.SuggestCPV(w.actors["falun"], "Trygghetslarm", "", 0, 5); arena.ErrorCode(err) != arena.EUNAVAILABLE {
			t.Fatalf("CPV suggestion without the CPV list: %v", err)
		}
	})
}

// TestMatchesDropNeedsThatShareNothing: a need whose score is 0 or less
// (here: no shared words, CPV codes of another division, three years
// apart) is no match, on the page or in the API.
func TestMatchesDropNeedsThatShareNothing(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		q := w.need(t, "q", "falun", "Trygghetslarm för äldre", "Digitala trygghetslarm med larmmottagning.", arena.VisibilityPublic, "35121700")
		n := &arena.Need{OrgID: w.orgs["boras"].ID, Title: "Snöröjning", Description: "Plogning.", Visibility: arena.VisibilityPublic,
			CPVCodes: []string{"90620000"}, PlannedDate: new(arena.NewDate(2030, 1, 1))}
		if err := db.Needs.Create(w.actors["boras"], n); err != nil {
			t.Fatal(err)
		}
		w.sync(t)
		raw := w.svc.Index().Similar(&match.Need{ID: fmt.Sprint(q.ID), Org: fmt.Sprint(q.OrgID), CPV: q.CPVCodes, Year: 2027}, 0, nil)
		if len(raw) != 1 || raw[0].Score > 0 {
			t.Fatalf("the snow need should score 0 or less: %+v", raw)
		}
		res, err := w.svc.Matches(w.actors["falun"], q.ID, matching.KindNeeds, 10, w.clockAt)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Items) != 0 {
			t.Errorf("a need that shares nothing matched: %s", titles(res.Items))
		}
	})
}
