package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arena-se/arena/internal/app"
	"github.com/arena-se/arena/internal/cli"
	"github.com/arena-se/arena/internal/httpapi"
	"github.com/arena-se/arena/internal/refdata"
	"github.com/arena-se/arena/internal/seed"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
	tw "github.com/arena-se/arena/internal/testworld"
)

// env is a running API on a real database with the report seeded and four
// users: a buyer in organisation A, one in B, a broker and a funder officer.
type env struct {
	t      *testing.T
	db     *store.DB
	app    *app.App
	api    *httpapi.Server
	srv    *httptest.Server
	tokens map[string]string // "a", "b", "broker", "funder"; "" is anonymous
	vars   map[string]string // placeholders in paths and bodies: {draft}
}

// dataDir is the reference data folder the tests read (never copied).
func dataDir() string {
	if d := os.Getenv("ARENA_TEST_DATA_DIR"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "data")
}

func newEnv(t *testing.T, db *store.DB, withReference bool) *env {
	t.Helper()
	ctx := context.Background()
	if withReference {
		set, _, err := refdata.ReadDir(dataDir())
		if err != nil {
			t.Fatal(err)
		}
		if len(set.CPV) == 0 {
			t.Skip("reference data folder not found; set ARENA_TEST_DATA_DIR")
		}
		if err := db.LoadReference(ctx, set); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := seed.ApplyReport(ctx, db); err != nil {
		t.Fatal(err)
	}
	a := tw.NewApp(t, db, nil)
	api := httpapi.NewServer(a)
	e := &env{t: t, db: db, app: a, api: api, srv: httptest.NewServer(api.Handler()), tokens: map[string]string{}, vars: map[string]string{}}
	t.Cleanup(e.srv.Close)
	for _, u := range []struct{ key, email, number, name, kind, role string }{
		{"a", "anna@a.test", "212000-2411", "Kommun A", "kommun", "admin"},
		{"b", "bo@b.test", "212000-1355", "Kommun B", "kommun", "admin"},
		{"broker", "maklare@arena.test", "202100-5489", "Upphandlingsmyndigheten (test)", "statlig_myndighet", "broker"},
		{"funder", "handlaggare@funder.test", "202100-5521", "Vinnova (test)", "statlig_myndighet", "funder"},
	} {
		tok, err := cli.CreateUser(ctx, db, cli.UserRequest{Email: u.email, OrgNumber: u.number, OrgName: u.name, OrgKind: u.kind, Role: u.role})
		if err != nil {
			t.Fatalf("create user %s: %v", u.email, err)
		}
		e.tokens[u.key] = tok
	}
	return e
}

func (e *env) expand(s string) string {
	for k, v := range e.vars {
		s = strings.ReplaceAll(s, "{"+k+"}", v)
	}
	return s
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %s", r.body)
	}
	return m
}

func (e *env) do(who, method, path, body string, headers map[string]string) response {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = bytes.NewReader([]byte(e.expand(body)))
	}
	req, err := http.NewRequest(method, e.srv.URL+e.expand(path), rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok := e.tokens[who]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for k, v := range headers {
		req.Header.Set(k, e.expand(v))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, b}
}

// create posts a record and remembers its id under name.
func (e *env) create(who, path, name, body string) map[string]any {
	e.t.Helper()
	r := e.do(who, "POST", path, body, nil)
	if r.status != http.StatusCreated {
		e.t.Fatalf("POST %s: %d %s", path, r.status, r.body)
	}
	m := r.json(e.t)
	e.vars[name] = jsonNumber(m["id"])
	return m
}

func jsonNumber(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// counts returns how many records of each list the broker sees, to show
// that a refused request stored nothing.
func (e *env) counts() map[string]float64 {
	out := map[string]float64{}
	for _, p := range []string{"organizations", "needs", "calls", "networks", "network-members", "projects", "funders", "member-procurements", "users"} {
		r := e.do("broker", "GET", "/api/v1/"+p, "", nil)
		out[p] = r.json(e.t)["total"].(float64)
	}
	return out
}

// scenario is one request and what must come back.
type scenario struct {
	name    string
	who     string
	method  string
	path    string
	body    string
	headers map[string]string
	status  int
	field   string   // for problem+json: the field named
	has     []string // substrings the body must contain
	hasNot  []string // substrings the body must not contain
}

func (e *env) run(t *testing.T, scenarios []scenario) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			before := e.counts()
			r := e.do(sc.who, sc.method, sc.path, sc.body, sc.headers)
			if r.status != sc.status {
				t.Fatalf("%s %s: status %d, want %d: %s", sc.method, e.expand(sc.path), r.status, sc.status, r.body)
			}
			if r.status >= 400 {
				if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
					t.Errorf("error content type %q", ct)
				}
				p := r.json(t)
				if sc.field != "" && p["field"] != sc.field {
					t.Errorf("problem names field %v, want %q: %s", p["field"], sc.field, r.body)
				}
				if after := e.counts(); !equalCounts(before, after) {
					t.Errorf("a refused request changed the data: %v -> %v", before, after)
				}
			}
			for _, s := range sc.has {
				if !bytes.Contains(r.body, []byte(e.expand(s))) {
					t.Errorf("body lacks %q: %.400s", s, r.body)
				}
			}
			for _, s := range sc.hasNot {
				if bytes.Contains(r.body, []byte(e.expand(s))) {
					t.Errorf("body has %q: %.400s", s, r.body)
				}
			}
		})
	}
}

func equalCounts(a, b map[string]float64) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestReportDataServed(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, false)
		e.run(t, []scenario{
			{name: "networks with kinds", method: "GET", path: "/api/v1/networks?limit=100", status: 200,
				has: []string{`"name":"Belok`, `"name":"Bebo`, `"name":"Besmå`, `"name":"Lågan`, `socialtjänstens verksamhetssystem`, `konstgräs`, `Hållbar Utveckling Skåne`, `InfraSweden2030`, `PIANOo`, `KEINO`, `"kind":"strategic"`, `"kind":"tactical"`}},
			{name: "strategic filter", method: "GET", path: "/api/v1/networks?kind=strategic&limit=100", status: 200, has: []string{"Belok"}, hasNot: []string{`"kind":"tactical"`}},
			{name: "thirteen projects", method: "GET", path: "/api/v1/projects", status: 200, has: []string{`"total":13`, "ProcSIBE", "brandpost"}},
			{name: "two calls", method: "GET", path: "/api/v1/calls", status: 200, has: []string{`"total":2`, "Checkar för innovationsupphandling", "Hypotesprövning och innovationsupphandling inom offentlig sektor"}},
			{name: "records cite the report", method: "GET", path: "/api/v1/projects?limit=1", status: 200, has: []string{`"source":"rapporten 4.`}},
			{name: "unknown filter", method: "GET", path: "/api/v1/projects?colour=red", status: 400, field: "colour"},
			{name: "bad enum filter", method: "GET", path: "/api/v1/projects?category=magic", status: 400, field: "category"},
			{name: "paging", method: "GET", path: "/api/v1/projects?limit=5", status: 200, has: []string{`"next_after":`}},
		})
		// Seeding again changes nothing.
		if ok, err := seed.ApplyReport(context.Background(), db); ok || err != nil {
			t.Fatalf("second seed: %v %v", ok, err)
		}
		if r := e.do("", "GET", "/api/v1/projects", "", nil); !bytes.Contains(r.body, []byte(`"total":13`)) {
			t.Fatalf("after a second seed: %s", r.body[:200])
		}
	})
}

func TestBadInputRefused(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, true)
		orgA := e.do("a", "GET", "/api/v1/me", "", nil).json(t)["organizations"].([]any)[0].(map[string]any)["org_id"]
		e.vars["orgA"] = jsonNumber(orgA)
		e.create("a", "/api/v1/needs", "need", `{"org_id": {orgA}, "title": "Trygghetslarm", "cpv_codes": ["33196000-0"], "visibility": "public"}`)
		e.create("broker", "/api/v1/funders", "funder", `{"name": "Testfinansiär", "kind": "agency"}`)
		e.run(t, []scenario{
			{name: "wrong Luhn digit", who: "broker", method: "POST", path: "/api/v1/organizations", body: `{"name": "Fel AB", "kind": "foretag", "org_number": "556677-8890"}`, status: 400, field: "org_number"},
			{name: "unknown CPV code", who: "a", method: "POST", path: "/api/v1/needs", body: `{"org_id": {orgA}, "title": "X", "cpv_codes": ["99999999"]}`, status: 400, field: "cpv_codes"},
			{name: "wrong CPV check digit", who: "a", method: "POST", path: "/api/v1/needs", body: `{"org_id": {orgA}, "title": "X", "cpv_codes": ["33196000-7"]}`, status: 400, field: "cpv_codes"},
			{name: "malformed CPV code", who: "a", method: "POST", path: "/api/v1/needs", body: `{"org_id": {orgA}, "title": "X", "cpv_codes": ["3319"]}`, status: 400, field: "cpv_codes"},
			{name: "unknown kommun code", who: "broker", method: "POST", path: "/api/v1/organizations", body: `{"name": "Ingen kommun", "kind": "kommun", "scb_code": "0999"}`, status: 400, field: "scb_code"},
			{name: "closing before opening", who: "broker", method: "POST", path: "/api/v1/calls", body: `{"funder_id": {funder}, "title": "Utlysning", "opens_date": "2026-05-01", "closes_date": "2026-04-01"}`, status: 400, field: "closes_date"},
			{name: "malformed date", who: "broker", method: "POST", path: "/api/v1/calls", body: `{"funder_id": {funder}, "title": "Utlysning", "opens_date": "1 maj"}`, status: 400, field: "opens_date"},
			{name: "negative value", who: "a", method: "POST", path: "/api/v1/needs", body: `{"org_id": {orgA}, "title": "X", "estimated_value_sek": -5}`, status: 400, field: "estimated_value_sek"},
			{name: "unknown enum value", who: "a", method: "POST", path: "/api/v1/needs", body: `{"org_id": {orgA}, "title": "X", "intent": "maybe"}`, status: 400, field: "intent"},
			{name: "unknown network kind", who: "a", method: "POST", path: "/api/v1/networks", body: `{"name": "N", "kind": "operative"}`, status: 400, field: "kind"},
			{name: "wrong type", who: "a", method: "POST", path: "/api/v1/needs", body: `{"org_id": {orgA}, "title": "X", "estimated_value_sek": "many"}`, status: 400, field: "estimated_value_sek"},
			{name: "unknown field", who: "a", method: "POST", path: "/api/v1/needs", body: `{"org_id": {orgA}, "title": "X", "colour": "red"}`, status: 400, field: "colour"},
			{name: "missing title", who: "a", method: "POST", path: "/api/v1/needs", body: `{"org_id": {orgA}}`, status: 400, field: "title"},
			{name: "no such organisation", who: "a", method: "POST", path: "/api/v1/needs", body: `{"org_id": 999999, "title": "X"}`, status: 400, field: "org_id"},
			{name: "not a JSON object", who: "a", method: "POST", path: "/api/v1/needs", body: `[1,2]`, status: 400, field: "body"},
			{name: "anonymous write", method: "POST", path: "/api/v1/needs", body: `{"org_id": {orgA}, "title": "X"}`, status: 401},
			{name: "anonymous reads public needs", method: "GET", path: "/api/v1/needs", status: 200},
			{name: "need for another organisation", who: "b", method: "POST", path: "/api/v1/needs", body: `{"org_id": {orgA}, "title": "X"}`, status: 403},
			{name: "register kept by brokers", who: "a", method: "POST", path: "/api/v1/projects", body: `{"title": "P", "category": "research"}`, status: 403},
			{name: "update without If-Match", who: "a", method: "PATCH", path: "/api/v1/needs/{need}", body: `{"title": "Y"}`, status: 428},
			{name: "stale If-Match", who: "a", method: "PATCH", path: "/api/v1/needs/{need}", body: `{"title": "Y"}`, headers: map[string]string{"If-Match": `"7"`}, status: 412},
			{name: "read-back unchanged", who: "a", method: "GET", path: "/api/v1/needs/{need}", status: 200, has: []string{`"title":"Trygghetslarm"`, `"cpv_codes":["33196000"]`}},
			{name: "fresh If-Match", who: "a", method: "PATCH", path: "/api/v1/needs/{need}", body: `{"title": "Digitala trygghetslarm"}`, headers: map[string]string{"If-Match": `"1"`}, status: 200, has: []string{`"version":2`, `"title":"Digitala trygghetslarm"`}},
			{name: "bad value in PATCH", who: "a", method: "PATCH", path: "/api/v1/needs/{need}", body: `{"visibility": "everyone"}`, headers: map[string]string{"If-Match": `"2"`}, status: 400, field: "visibility"},
			{name: "delete stale", who: "a", method: "DELETE", path: "/api/v1/needs/{need}", headers: map[string]string{"If-Match": `"1"`}, status: 412},
			{name: "no such route", method: "GET", path: "/api/v1/nothing", status: 404},
		})
		// A bearer token the server never gave is refused, not ignored.
		e.tokens["nobody"] = "arena_forged"
		if r := e.do("nobody", "GET", "/api/v1/me", "", nil); r.status != 401 {
			t.Fatalf("forged token: %d", r.status)
		}
	})
}

func TestDraftNeedInvisibleToOtherOrganisations(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, false)
		me := e.do("a", "GET", "/api/v1/me", "", nil).json(t)
		e.vars["orgA"] = jsonNumber(me["organizations"].([]any)[0].(map[string]any)["org_id"])
		e.create("a", "/api/v1/needs", "draft", `{"org_id": {orgA}, "title": "Hemligt utkast om brandpostsensorer", "visibility": "draft"}`)
		e.create("a", "/api/v1/needs", "orgonly", `{"org_id": {orgA}, "title": "Internt behov om brandpostsensorer", "visibility": "organisation"}`)
		e.create("a", "/api/v1/needs", "netneed", `{"org_id": {orgA}, "title": "Nätverksbehov om brandpostsensorer", "visibility": "network"}`)
		e.create("a", "/api/v1/needs", "public", `{"org_id": {orgA}, "title": "Öppet behov om brandpostsensorer", "visibility": "public"}`)
		var scenarios []scenario
		for _, who := range []string{"b", "", "broker", "funder"} {
			for _, id := range []string{"{draft}", "{orgonly}", "{netneed}"} {
				scenarios = append(scenarios,
					scenario{name: "get " + id + " as " + who, who: who, method: "GET", path: "/api/v1/needs/" + id, status: 404},
					scenario{name: "patch " + id + " as " + who, who: who, method: "PATCH", path: "/api/v1/needs/" + id, body: `{"title": "x"}`, headers: map[string]string{"If-Match": `"1"`}, status: 404},
					scenario{name: "delete " + id + " as " + who, who: who, method: "DELETE", path: "/api/v1/needs/" + id, headers: map[string]string{"If-Match": `"1"`}, status: map[bool]int{true: 401, false: 404}[who == ""]},
				)
			}
			for _, q := range []string{"", "?q=brandpost", "?org_id={orgA}", "?visibility=draft", "?visibility=organisation", "?limit=500"} {
				scenarios = append(scenarios, scenario{name: "list " + q + " as " + who, who: who, method: "GET", path: "/api/v1/needs" + q, status: 200,
					hasNot: []string{"Hemligt utkast", "Internt behov", "Nätverksbehov"}})
			}
			scenarios = append(scenarios, scenario{name: "public need seen by " + who, who: who, method: "GET", path: "/api/v1/needs/{public}", status: 200})
		}
		for _, id := range []string{"{draft}", "{orgonly}", "{netneed}", "{public}"} {
			scenarios = append(scenarios, scenario{name: "own organisation sees " + id, who: "a", method: "GET", path: "/api/v1/needs/" + id, status: 200})
		}
		e.run(t, scenarios)

		// Sharing an active network opens the network-visible need to B, and
		// only that one.
		orgB := jsonNumber(e.do("b", "GET", "/api/v1/me", "", nil).json(t)["organizations"].([]any)[0].(map[string]any)["org_id"])
		e.vars["orgB"] = orgB
		e.create("a", "/api/v1/networks", "net", `{"name": "Brandpostsensorer", "kind": "tactical", "owner_org_id": {orgA}}`)
		e.create("a", "/api/v1/network-members", "mA", `{"network_id": {net}, "org_id": {orgA}, "status": "active"}`)
		e.create("a", "/api/v1/network-members", "mB", `{"network_id": {net}, "org_id": {orgB}}`)
		e.run(t, []scenario{
			{name: "an invitation shares nothing yet", who: "b", method: "GET", path: "/api/v1/needs/{netneed}", status: 404},
			{name: "A cannot make B an active member", who: "a", method: "POST", path: "/api/v1/network-members", body: `{"network_id": {net}, "org_id": {orgB}, "status": "active"}`, status: 400, field: "status"},
			{name: "B accepts", who: "b", method: "POST", path: "/api/v1/network-members/{mB}/accept", status: 200},
			{name: "network need now visible to B", who: "b", method: "GET", path: "/api/v1/needs/{netneed}", status: 200},
			{name: "draft still hidden from B", who: "b", method: "GET", path: "/api/v1/needs/{draft}", status: 404},
			{name: "list shows B the network need only", who: "b", method: "GET", path: "/api/v1/needs?limit=500", status: 200, has: []string{"Nätverksbehov"}, hasNot: []string{"Hemligt utkast", "Internt behov"}},
			{name: "B cannot change A's need", who: "b", method: "PATCH", path: "/api/v1/needs/{netneed}", body: `{"title": "x"}`, headers: map[string]string{"If-Match": `"1"`}, status: 403},
		})
	})
}

func TestCPVSuggest(t *testing.T) {
	db := testdb.Open(t, store.SQLite)
	e := newEnv(t, db, true)
	r := e.do("a", "POST", "/api/v1/cpv/suggest", `{"title": "Sopbilar som drivs med biogas", "description": "Insamling av hushållsavfall med renhållningsfordon."}`, nil)
	if r.status != 200 {
		t.Fatalf("suggest: %d %s", r.status, r.body)
	}
	var res struct {
		Suggestions []struct {
			Code    string `json:"code"`
			LabelSV string `json:"label_sv"`
		}
	}
	json.Unmarshal(r.body, &res)
	if len(res.Suggestions) != 5 {
		t.Fatalf("%d suggestions: %s", len(res.Suggestions), r.body)
	}
	for _, s := range res.Suggestions {
		if len(s.Code) != 8 || s.LabelSV == "" {
			t.Errorf("suggestion without code or Swedish label: %+v", s)
		}
	}
	if !bytes.Contains(r.body, []byte(`"code":"34144`)) {
		t.Errorf("no refuse-collection vehicle code (34144…) among %s", r.body)
	}
	e.run(t, []scenario{
		{name: "no text", who: "a", method: "POST", path: "/api/v1/cpv/suggest", body: `{}`, status: 400, field: "title"},
		{name: "too many", who: "a", method: "POST", path: "/api/v1/cpv/suggest", body: `{"title": "x", "limit": 99}`, status: 400, field: "limit"},
	})
	other := newEnv(t, testdb.Open(t, store.SQLite), false)
	if r := other.do("a", "POST", "/api/v1/cpv/suggest", `{"title": "Sopbilar"}`, nil); r.status != 503 {
		t.Fatalf("without the CPV list: %d %s", r.status, r.body)
	}
}
