package matching_test

// Fuzz test of the text the matching service reads from a caller: the
// title and description a CPV suggestion is asked for. It runs on SQLite,
// and on PostgreSQL too when ARENA_TEST_POSTGRES_URL is set. .ci/fuzz runs
// it; `go test` runs the seeds.

import (
	"context"
	"io"
	"log/slog"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/refdata"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// fzVisibility is the world of TestOneVisibilityRule built for a fuzz
// target (which has no *testing.T): alarm needs of several organisations,
// each with a code of its own, Falun and Mölndal partners in a network,
// Borås only invited. It returns the service and the askers.
func fzVisibility(tb testing.TB, db *store.DB) (*matching.Service, map[string]context.Context, map[string]int64) {
	tb.Helper()
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(db.LoadReference(context.Background(), &refdata.Set{CPV: testCPV}))
	orgs, actors := map[string]int64{}, map[string]context.Context{"anonymous": context.Background()}
	for _, o := range []struct {
		key, name string
		kind      arena.OrgKind
	}{{"falun", "Falu kommun", arena.OrgKommun}, {"molndal", "Mölndals stad", arena.OrgKommun}, {"boras", "Borås stad", arena.OrgKommun}, {"orebro", "Region Örebro län", arena.OrgRegion}} {
		org := &arena.Organization{Name: o.name, Kind: o.kind}
		must(db.Organizations.Create(system, org))
		u := &arena.User{Email: o.key + "@test.se"}
		must(db.Users.Create(system, u))
		must(db.OrgMemberships.Create(system, &arena.OrgMembership{UserID: u.ID, OrgID: org.ID, Role: arena.OrgRoleMember}))
		a, err := db.ActorFor(context.Background(), u.ID)
		must(err)
		orgs[o.key], actors[o.key] = org.ID, arena.WithActor(context.Background(), a)
	}
	const desc = "Digitala trygghetslarm med larmmottagning dygnet runt för hemtjänstens brukare i ordinärt boende."
	for _, n := range fzVisibilityNeeds {
		d := arena.NewDate(2027, 3, 1)
		must(db.Needs.Create(actors[n.org], &arena.Need{OrgID: orgs[n.org], Title: n.title, Description: desc, Visibility: n.vis, CPVCodes: []string{n.code}, PlannedDate: &d}))
	}
	nw := &arena.Network{Name: "Nätverket för trygghetslarm", Kind: arena.NetworkStrategic, Open: true}
	must(db.Networks.Create(system, nw))
	for org, status := range map[string]arena.MemberStatus{"falun": arena.MemberActive, "molndal": arena.MemberActive, "boras": arena.MemberInvited} {
		must(db.NetworkMembers.Create(system, &arena.NetworkMember{NetworkID: nw.ID, OrgID: orgs[org], Status: status}))
	}
	svc := matching.New(db, match.NewAnalyzer(nil), slog.New(slog.NewTextHandler(io.Discard, nil)))
	must(svc.Build(context.Background()))
	must(svc.Sync(context.Background()))
	return svc, actors, orgs
}

// fzVisibilityNeeds are the needs of fzVisibility; voters says which
// askers may have each vote for its code: those who may see it, when it is
// not of their own organisation.
var fzVisibilityNeeds = []struct {
	org, title, code string
	vis              arena.Visibility
	voters           []string
}{
	{"falun", "Trygghetslarm för äldre i ordinärt boende", "35121700", arena.VisibilityPublic, []string{"anonymous", "boras"}},
	{"orebro", "Digitala trygghetslarm för äldre i hemtjänsten", "35121000", arena.VisibilityPublic, []string{"anonymous", "falun", "boras"}},
	{"molndal", "Trygghetslarm i hemtjänsten för äldre", "32500000", arena.VisibilityNetwork, []string{"falun"}},
	{"boras", "Trygghetslarm för äldre, digitala", "72200000", arena.VisibilityDraft, nil},
	{"boras", "Trygghetslarm för äldre i hemmet", "79400000", arena.VisibilityOrganisation, nil},
	{"boras", "Trygghetslarm för hemtjänstens äldre", "85300000", arena.VisibilityNetwork, nil},
	{"falun", "Trygghetslarm, etapp två, utkast", "48000000", arena.VisibilityDraft, nil},
}

// FuzzSuggestCPV: for any title and description, SuggestCPV answers
// anonymous callers and members, with and without their organisation
// named, with at most k codes, each once, of the loaded list, with finite
// scores; and a need says it uses a code (or its group) only when the
// asker may see it and it is not the asker's organisation's, so no text
// draws out a draft's, an internal or a stranger's code. Each backend
// answers alike.
func FuzzSuggestCPV(f *testing.F) {
	for _, s := range [][2]string{
		{"Trygghetslarm för äldre i ordinärt boende", "Digitala trygghetslarm med larmmottagning dygnet runt för hemtjänstens brukare i ordinärt boende."},
		{"Trygghetslarm för äldre, digitala", "Utkast om digitala trygghetslarm."},
		{"Programmering av trygghetslarm", "Utkast om larm."},
		{"Brandpostsensor", "Sensorer som larmar när en brandpost läcker."},
		{"Skolskjutsupphandling", "Upphandling av skolskjuts och socialvård."},
		{"", ""},
		{"\x00", "\xff\xfe"},
		{"ÅÄÖ åäö", "!!! --- ..."},
		{"🚨 larm 🚨", "שלום مرحبا e\u0301"},
		{strings.Repeat("trygghetslarm", 40), strings.Repeat("Trygghetslarm för äldre. ", 900)},
	} {
		f.Add(s[0], s[1], uint8(5))
	}
	type backend struct {
		name   string
		svc    *matching.Service
		actors map[string]context.Context
		orgs   map[string]int64
	}
	var backends []backend
	for _, d := range testdb.Backends() {
		if d == store.Postgres && os.Getenv(testdb.PostgresEnv) == "" {
			continue // SQLite alone; DSN would skip the whole target
		}
		svc, actors, orgs := fzVisibility(f, testdb.Open(f, d))
		backends = append(backends, backend{string(d), svc, actors, orgs})
	}
	known := map[string]refdata.CPV{}
	for _, c := range testCPV {
		known[c.Code] = c
	}
	// What may vote for each asker: codes and groups, with how many needs
	// use each code.
	codes, groups := map[string]map[string]int{}, map[string]map[string]bool{}
	for _, who := range []string{"anonymous", "falun", "boras"} {
		codes[who], groups[who] = map[string]int{}, map[string]bool{}
		for _, n := range fzVisibilityNeeds {
			for _, v := range n.voters {
				if v == who {
					codes[who][n.code]++
					groups[who][n.code[:3]] = true
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, title, description string, k8 uint8) {
		k := int(k8 % 16)
		for _, ask := range []struct {
			who string
			own bool // the asker's organisation named
		}{{"anonymous", false}, {"falun", false}, {"falun", true}, {"boras", false}} {
			var first []match.CPVSuggestion
			for i, b := range backends {
				org := int64(0)
				if ask.own {
					org = b.orgs[ask.who]
				}
				got, err := b.svc.SuggestCPV(b.actors[ask.who], title, description, org, k)
				if err != nil {
					t.Fatalf("%s, %s asks for %q / %q: %v", b.name, ask.who, title, description, err)
				}
				if len(got) > k {
					t.Fatalf("%s, %s asks for %d codes: %d", b.name, ask.who, k, len(got))
				}
				seen := map[string]bool{}
				for _, s := range got {
					c, ok := known[s.Code]
					if !ok || seen[s.Code] || s.CodeWithCheck != c.Code+"-"+c.Check || s.LabelSV != c.LabelSV {
						t.Fatalf("%s, %s: suggestion %+v is not of the list, or given twice", b.name, ask.who, s)
					}
					seen[s.Code] = true
					if math.IsNaN(s.Score) || math.IsInf(s.Score, 0) || s.Score < 0 {
						t.Fatalf("%s, %s: %s scores %v", b.name, ask.who, s.Code, s.Score)
					}
					for _, r := range s.Reasons {
						switch r.Key {
						case "cpv.why.used_by_one", "cpv.why.used_by_many":
							n, _ := r.Args["n"].(int)
							if codes[ask.who][s.Code] == 0 || r.Key == "cpv.why.used_by_many" && n > codes[ask.who][s.Code] {
								t.Fatalf("%s, %s asks for %q / %q: %s said %v, but the needs %s may see of others use it %d times",
									b.name, ask.who, title, description, s.Code, r, ask.who, codes[ask.who][s.Code])
							}
						case "cpv.why.same_group":
							if !groups[ask.who][s.Code[:3]] {
								t.Fatalf("%s, %s asks for %q / %q: %s said %v, but no need %s may see of others is in its group",
									b.name, ask.who, title, description, s.Code, r, ask.who)
							}
						}
					}
				}
				if i == 0 {
					first = got
				} else if !reflect.DeepEqual(got, first) {
					t.Fatalf("%s asks for %q / %q: %s suggests %v, %s %v", ask.who, title, description, b.name, got, backends[0].name, first)
				}
			}
		}
	})
}
