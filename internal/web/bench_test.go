package web_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/seed"
	"github.com/arena-se/arena/internal/store"
)

// The benchmarks serve the busiest pages and API reads of the load test
// (cmd/arena-load) straight through the server's handler, middleware
// included, on SQLite with the report's data, the demo users and
// benchNeeds public needs spread over eight organisations, as the load
// test prepares them:
//
//	go test ./internal/web -run '^$' -bench . -benchmem -count 6
//
// Per-request CPU and allocations are what they measure; the network and
// the client are left out. Besides the time per request (ns/op) each
// reports the process's CPU time per request (cpu-ns/op), which a busy
// machine changes less than the elapsed time.

// benchNeeds is how many needs the load test posts before it measures.
const benchNeeds = 300

// benchOrgs post the needs: the demo users' buyer organisations first.
var benchOrgs = []string{"Falu kommun", "Mölndals stad", "Region Örebro län", "Göteborgs stad", "VA Syd",
	"Umeå kommun", "Halmstads kommun", "Region Skåne"}

// benchThemes are needs several buyers have, in other words each.
var benchThemes = []struct{ title, text, cpv, sector string }{
	{"Digitala trygghetslarm i hemtjänsten", "Trygghetslarm i en digital larmkedja, även utanför bostaden, med larmmottagning dygnet runt.", "35121700", "vård och omsorg"},
	{"Laddplatser vid kommunala arbetsplatser", "Laddplatser med lastbalansering och debitering per användare för en fordonsflotta på el.", "34144900", "transporter"},
	{"Solceller på skolor och förskolor", "Solcellsmoduler på fastigheternas tak och uppföljning av produktionen i ett gemensamt system.", "09331200", "energi"},
	{"Sensorstyrd sophämtning", "Kärlens fyllnadsgrad mäts så att hämtningen sker när den behövs och matavfallet sorteras.", "90511000", "avfall"},
	{"Journalsystem för skolsköterskor", "Ett journalsystem för elevhälsan som uppfyller kraven på informationssäkerhet.", "48814000", "utbildning"},
	{"Smart gatubelysning med närvarostyrning", "Armaturer som dimras när ingen rör sig på gång- och cykelvägar.", "31520000", "infrastruktur"},
	{"Flexibla skolmöbler för klassrum", "Möbler som går att flytta och anpassa efter olika undervisningsformer.", "39160000", "utbildning"},
	{"Digital ärendehantering för invånare", "En plattform där invånare lämnar och följer sina ärenden i alla kanaler.", "72000000", "digitalisering"},
	{"Behovsstyrd städning av lokaler", "Städning som styrs av hur lokalerna används, mätt med sensorer.", "90910000", "fastigheter"},
	{"Vattenmätare med fjärravläsning", "Mätare som läses av på distans och larmar vid läckor i ledningsnätet.", "65000000", "vatten och avlopp"},
	{"Sensorer som upptäcker fall", "Hjälpmedel som minskar risken för fall och larmar personalen när någon har fallit.", "33190000", "vård och omsorg"},
	{"Ventilationsstyrning efter behov", "Mät koldioxid och temperatur i klassrummen och styr ventilationen efter det.", "42961000", "fastigheter"},
}

// benchEnv is newEnv with the load test's needs and a signed-in demo user.
type benchEnv struct {
	*env
	cookie  *http.Cookie // anna@falun.demo's session
	needIDs []int64
	netIDs  []int64
}

func newBenchEnv(b *testing.B) *benchEnv {
	b.Helper()
	e := newEnv(b)
	ctx := arena.WithActor(context.Background(), arena.SystemActor())
	orgs := map[string]int64{}
	page, err := e.db.Organizations.List(ctx, store.ListQuery{Limit: store.MaxPageSize})
	if err != nil {
		b.Fatal(err)
	}
	for _, o := range page.Items {
		orgs[o.Name] = o.ID
	}
	be := &benchEnv{env: e}
	rng := rand.New(rand.NewPCG(1, 2026))
	for i := range benchNeeds {
		name := benchOrgs[i%len(benchOrgs)]
		org, ok := orgs[name]
		if !ok {
			b.Fatalf("no organisation %q in the seed", name)
		}
		t := benchThemes[rng.IntN(len(benchThemes))]
		value := int64(500_000 + rng.IntN(20_000_000))
		planned := arena.DateOf(testNow.AddDate(0, 3+rng.IntN(24), 0))
		n := &arena.Need{OrgID: org, Title: t.title, CPVCodes: []string{t.cpv}, Sector: t.sector,
			Description:       fmt.Sprintf("%s ser ett växande behov. %s Vi planerar för ungefär %d enheter.", name, t.text, 50+rng.IntN(2000)),
			EstimatedValueSEK: &value, PlannedDate: &planned, Intent: arena.IntentPlan, Visibility: arena.VisibilityPublic}
		if err := e.db.Needs.Create(ctx, n); err != nil {
			b.Fatal(err)
		}
		be.needIDs = append(be.needIDs, n.ID)
	}
	nets, err := store.All(ctx, e.db.Networks, nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range nets {
		be.netIDs = append(be.netIDs, n.ID)
	}
	s, err := e.app.SignIn(context.Background(), "anna@falun.demo", seed.DemoPassword)
	if err != nil {
		b.Fatal(err)
	}
	be.cookie = &http.Cookie{Name: "arena_session", Value: s.Token}
	return be
}

// serve runs GET path through the handler, signed in or not, and fails
// on an answer other than 200.
func (be *benchEnv) serve(b *testing.B, h http.Handler, path string, signedIn bool) {
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Accept-Language", "sv")
	if signedIn {
		req.AddCookie(be.cookie)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s: %d %s", path, rec.Code, excerpt(rec.Body.String()))
	}
}

// BenchmarkRoutes serves each route of the load test's reads, signed in
// as a buyer and anonymous.
func BenchmarkRoutes(b *testing.B) {
	be := newBenchEnv(b)
	h := be.api.Handler()
	// Needs and networks change from one request to the next.
	id := func(ids []int64, i int) string { return strconv.FormatInt(ids[i%len(ids)], 10) }
	routes := []struct {
		name string
		path func(i int) string
	}{
		{"home", func(int) string { return "/" }},
		{"needs", func(int) string { return "/behov" }},
		{"need", func(i int) string { return "/behov/" + id(be.needIDs, i*7) }},
		{"network", func(i int) string { return "/natverk/" + id(be.netIDs, i) }},
		{"calls", func(int) string { return "/utlysningar" }},
		{"api-needs", func(int) string { return "/api/v1/needs?limit=50" }},
		{"api-need", func(i int) string { return "/api/v1/needs/" + id(be.needIDs, i*7) }},
		{"api-overview", func(i int) string { return "/api/v1/networks/" + id(be.netIDs, i) + "/overview" }},
		{"api-calls", func(int) string { return "/api/v1/calls" }},
		{"api-matches", func(i int) string { return "/api/v1/needs/" + id(be.needIDs, i*7) + "/matches" }},
		{"api-matches-calls", func(i int) string { return "/api/v1/needs/" + id(be.needIDs, i*7) + "/matches?kind=calls" }},
	}
	for _, r := range routes {
		for _, signedIn := range []bool{true, false} {
			name := r.name + "/anonymous"
			if signedIn {
				name = r.name + "/signed-in"
			}
			b.Run(name, func(b *testing.B) {
				i := 0
				loop(b, func() {
					be.serve(b, h, r.path(i), signedIn)
					i++
				})
			})
		}
	}
}

// BenchmarkHomeSignedIn is the start page of a buyer: the organisation's
// needs, their new matches, invitations, alerts and call deadlines.
func BenchmarkHomeSignedIn(b *testing.B) {
	be := newBenchEnv(b)
	h := be.api.Handler()
	loop(b, func() { be.serve(b, h, "/", true) })
}

// BenchmarkAPINeed is one need read through the API, signed in.
func BenchmarkAPINeed(b *testing.B) {
	be := newBenchEnv(b)
	h := be.api.Handler()
	i := 0
	loop(b, func() {
		be.serve(b, h, "/api/v1/needs/"+strconv.FormatInt(be.needIDs[i%len(be.needIDs)], 10), true)
		i++
	})
}

// loop runs fn b.N times, reporting allocations and the CPU time of the
// process per run.
func loop(b *testing.B, fn func()) {
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		fn()
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}
