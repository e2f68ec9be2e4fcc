package httpapi

// Fuzz tests of what a client sends the API: the JSON body decoder and
// its surrogate check, the query, If-Match and Accept-Language readers,
// and, on a real server over SQLite with the report's and the demo's
// data, arbitrary bodies to every write route, arbitrary queries and
// path segments to the read routes, and arbitrary Authorization and
// Cookie headers. No input may give a 5xx; a refused write stores
// nothing. The in-package tests cannot use testworld (it imports the
// CLI, which imports this package), so fzNewWorld builds a small world.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/app"
	"github.com/arena-se/arena/internal/auth"
	"github.com/arena-se/arena/internal/i18n"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// FuzzUnpairedSurrogate holds unpairedSurrogate to encoding/json: a JSON
// value decodes with a U+FFFD that it did not write (as the character or
// its escape) exactly when unpairedSurrogate says it escapes half a
// surrogate pair.
func FuzzUnpairedSurrogate(f *testing.F) {
	for _, s := range []string{`"Larm"`, `"Larm \ud800"`, `"\udc00\ud800"`, `"\ud83d\ude00"`, `"\uD83D\uDE00"`, `"\ud83d"`, `"\ude00"`,
		`"\\ud800"`, `"\\\ud800"`, `"\ufffd"`, "\"\ufffd\"", `"\ud800\u0041"`, `["\ud800","\udc00"]`, `{"\ud800":1}`, `{"a":"\ud83d\ude00"}`,
		`"\ud800\\"`, `"\u00e5\u00e4\u00f6"`, `"å ä ö"`, `"\u0000"`, `"\ud800\udc00\udc00"`, `"\uZZZZ"`, `"\u12"`, `1`, `null`} {
		f.Add(s)
	}
	fffdEscape := regexp.MustCompile(`\\u[fF][fF][fF][dD]`)
	f.Fuzz(func(t *testing.T, raw string) {
		got := unpairedSurrogate([]byte(raw))
		if !utf8.ValidString(raw) || !json.Valid([]byte(raw)) {
			return // decodeInto refuses it before or after asking
		}
		// The input with every U+FFFD it wrote itself replaced, so that a
		// U+FFFD after decoding can only stand for a broken surrogate.
		plain := strings.ReplaceAll(fffdEscape.ReplaceAllString(raw, `\u0041`), "\ufffd", "A")
		var v any
		if err := json.Unmarshal([]byte(plain), &v); err != nil {
			t.Fatalf("%q decodes, %q does not: %v", raw, plain, err)
		}
		if want := fzHasRuneError(v); got != want {
			t.Fatalf("unpairedSurrogate(%q) = %v; decoding %q gives U+FFFD: %v", raw, got, plain, want)
		}
	})
}

// fzHasRuneError reports whether a decoded JSON value holds U+FFFD in a
// string or a key.
func fzHasRuneError(v any) bool {
	switch x := v.(type) {
	case string:
		return strings.ContainsRune(x, utf8.RuneError)
	case []any:
		return slices.ContainsFunc(x, fzHasRuneError)
	case map[string]any:
		for k, e := range x {
			if strings.ContainsRune(k, utf8.RuneError) || fzHasRuneError(e) {
				return true
			}
		}
	}
	return false
}

// fzBody is one kind of body decodeInto reads: a record of a resource (with
// its extra fields) or an action's request.
type fzBody struct {
	name   string
	decode func(r *http.Request, extra []string) (any, map[string]json.RawMessage, error)
	extra  []string
}

func fzBodyOf[T any](name string, extra ...string) fzBody {
	return fzBody{name: name, extra: extra, decode: func(r *http.Request, extra []string) (any, map[string]json.RawMessage, error) {
		v := new(T)
		out, err := decodeInto(r, v, extra)
		return v, out, err
	}}
}

var fzBodies = []fzBody{
	fzBodyOf[arena.Organization]("organization"), fzBodyOf[arena.User]("user", "password"), fzBodyOf[arena.OrgMembership]("orgMembership"),
	fzBodyOf[arena.Need]("need"), fzBodyOf[arena.Network]("network", "from_needs"), fzBodyOf[arena.NetworkMember]("networkMember"),
	fzBodyOf[arena.NetworkPlan]("networkPlan"), fzBodyOf[arena.Activity]("activity"), fzBodyOf[arena.Deliverable]("deliverable"),
	fzBodyOf[arena.MemberProcurement]("memberProcurement"), fzBodyOf[arena.FundingPeriod]("fundingPeriod"), fzBodyOf[arena.Funder]("funder"),
	fzBodyOf[arena.FundingCall]("call"), fzBodyOf[arena.Project]("project"), fzBodyOf[arena.Expert]("expert"),
	fzBodyOf[LoginRequest]("login"), fzBodyOf[CloseRequest]("close"), fzBodyOf[AdvanceRequest]("advance"), fzBodyOf[CPVSuggestRequest]("cpvSuggest"),
}

// fzBodySeeds are bodies as clients send them, right and wrong.
var fzBodySeeds = []string{
	`{"org_id": 1, "title": "Trygghetslarm med digital larmkedja", "cpv_codes": ["35121700-5"], "planned_date": "2026-12-04", "estimated_value_sek": 4000000, "visibility": "public"}`,
	`{"name": "Falu kommun", "org_number": "212000-2411", "kind": "kommun", "scb_code": "2080", "website": "https://www.falun.se"}`,
	`{"name": "Trygghetslarm i samverkan", "kind": "tactical", "from_needs": [1, 2]}`,
	`{"email": "anna@falun.se", "name": "Anna Lindqvist", "password": "rätt-lösenord-2026"}`,
	`{"stage": "announced", "date": "2026-12-04"}`, `{"members_decided": true}`, `{"title": "Sopbilar som drivs med biogas", "limit": 5}`,
	`{"network_id": 1, "responsibilities": [{"who": "Falu kommun", "what": "kravställning"}]}`,
	`{"id": 7, "version": 3, "created_at": "x", "created_by": 9, "title": "Läsbara fält ignoreras"}`,
	`{"title": "Larm\u0000"}`, "{\"title\": \"Larm \xff\"}", `{"title": "Larm \ud800"}`, `{"tit\ud800le": 1}`, `{"Title": "versaler"}`,
	`{"title": "x"} {"title": "y"}`, `{"title": "x"} garbage`, `[1,2]`, `null`, `{}`, ``, `{"title": 5}`, `{"planned_date": "4 december"}`,
	`{"estimated_value_sek": 1e400}`, `{"estimated_value_sek": 9223372036854775808}`, `{"start_year": -9223372036854775808}`,
	`{"colour": "röd"}`, `{"from_needs": "alla"}`, `{"password": 12345678901}`, `{"cpv_codes": null, "themes": []}`,
}

// FuzzDecodeInto: decodeInto refuses a body with an EINVALID error naming
// the Content-Type, the body or one of the body's own fields; what it
// accepts is a JSON object of known fields (extra ones returned raw, as
// sent) whose decoded record, written as JSON, decodes to the same record.
func FuzzDecodeInto(f *testing.F) {
	for i, s := range fzBodySeeds {
		f.Add(uint8(i), s, "application/json")
	}
	f.Add(uint8(3), `{"title": "x"}`, "")
	f.Add(uint8(3), `{"title": "x"}`, "application/merge-patch+json; charset=utf-8")
	f.Add(uint8(3), `title=x`, "application/x-www-form-urlencoded")
	f.Fuzz(func(t *testing.T, which uint8, body, contentType string) {
		b := fzBodies[int(which)%len(fzBodies)]
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		v, extra, err := b.decode(r, b.extra)
		var fields map[string]json.RawMessage
		objErr := json.Unmarshal([]byte(body), &fields)
		if err != nil {
			var e *arena.Error
			if !errors.As(err, &e) || e.Code != arena.EINVALID || e.Msg.Key == "" {
				t.Fatalf("%s %q: %#v", b.name, body, err)
			}
			if _, named := fields[e.Field]; !named && e.Field != "body" && e.Field != "Content-Type" {
				t.Fatalf("%s %q: the error names %q, not in the body: %v", b.name, body, e.Field, err)
			}
			if ctOK := contentType == "" || strings.HasPrefix(contentType, "application/json") || strings.HasPrefix(contentType, "application/merge-patch+json"); ctOK == (e.Msg.Key == "err.content_type") {
				t.Fatalf("%s with Content-Type %q: %v", b.name, contentType, err)
			}
			return
		}
		if objErr != nil || fields == nil {
			t.Fatalf("%s: accepted %q, which is no JSON object: %v", b.name, body, objErr)
		}
		for k, raw := range fields {
			if slices.Contains(b.extra, k) {
				if !bytes.Equal(extra[k], raw) {
					t.Fatalf("%s %q: extra %s returned as %s", b.name, body, k, extra[k])
				}
				continue
			}
			if !readOnly[k] && !jsonFields(reflect.TypeOf(v).Elem())[k] {
				t.Fatalf("%s: accepted the unknown field %q", b.name, k)
			}
			if !utf8.Valid(raw) || unpairedSurrogate(raw) {
				t.Fatalf("%s: accepted %s = %q", b.name, k, raw)
			}
		}
		if len(extra) > len(b.extra) {
			t.Fatalf("%s: extra fields %v", b.name, extra)
		}
		written, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("%s %q decoded as %#v, which does not encode: %v", b.name, body, v, err)
		}
		again, _, err := b.decode(httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(written)), nil)
		if err != nil || !reflect.DeepEqual(again, v) {
			t.Fatalf("%s %q decoded as %s, which decodes as %#v: %v", b.name, body, written, again, err)
		}
	})
}

// FuzzRequestParsing: the query of a list, If-Match, Accept-Language and
// the {id} of a path are read into what they say or refused with an
// error naming them.
func FuzzRequestParsing(f *testing.F) {
	f.Add("limit=10&after=5&kind=strategic", `"3"`, "sv-SE,sv;q=0.9,en;q=0.8", "12")
	f.Add("q=%C3%96rebro&limit=0", `W/"7"`, "en-GB", "0")
	f.Add("limit=-1&limit=5", `"0"`, "fi, de", "-3")
	f.Add("after=abc", ` "12" `, "", "+5")
	f.Add("q=a%00b&after=9223372036854775808", `*`, "SV", "9223372036854775808")
	f.Add("%zz&limit=1;x", "", "sv;q=0", "1e3")
	f.Fuzz(func(t *testing.T, rawQuery, ifMatchH, acceptLang, id string) {
		r := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/api/v1/needs", RawQuery: rawQuery}, Header: http.Header{}}
		lq, err := listQuery(r)
		q := r.URL.Query()
		if err != nil {
			if f := arena.ErrorField(err); arena.ErrorCode(err) != arena.EINVALID || (f != "limit" && f != "after") || !q.Has(f) {
				t.Fatalf("listQuery(%q): %v", rawQuery, err)
			}
		} else {
			if v := q["limit"]; len(v) > 0 && strconv.Itoa(lq.Limit) != strings.TrimLeft(strings.TrimPrefix(v[len(v)-1], "+"), "0") || lq.Limit < 0 || lq.After < 0 {
				t.Fatalf("listQuery(%q) = %+v", rawQuery, lq)
			}
			for k, v := range lq.Filters {
				if k == "limit" || k == "after" || q[k][len(q[k])-1] != v {
					t.Fatalf("listQuery(%q): filter %s = %q", rawQuery, k, v)
				}
			}
		}

		r.Header.Set("If-Match", ifMatchH)
		v, err := ifMatch(r)
		switch {
		case strings.TrimSpace(ifMatchH) == "":
			if v != 0 || arena.ErrorMsg(err).Key != "err.if_match_required" {
				t.Fatalf("ifMatch(%q) = %d, %v", ifMatchH, v, err)
			}
		case err != nil:
			if v != 0 || arena.ErrorField(err) != "If-Match" {
				t.Fatalf("ifMatch(%q) = %d, %v", ifMatchH, v, err)
			}
		default:
			if v <= 0 || !strings.Contains(ifMatchH, strconv.FormatInt(v, 10)) {
				t.Fatalf("ifMatch(%q) = %d", ifMatchH, v)
			}
			for _, h := range []string{etag(v), "W/" + etag(v)} {
				r.Header.Set("If-Match", h)
				if back, err := ifMatch(r); back != v || err != nil {
					t.Fatalf("ifMatch(%q) = %d, %v; want %d", h, back, err, v)
				}
			}
		}
		r.Header.Set("If-Match", ifMatchH)
		if o, err := optionalIfMatch(r); ifMatchH == "" && (o != 0 || err != nil) {
			t.Fatalf("optionalIfMatch without If-Match = %d, %v", o, err)
		}

		r.Header.Set("Accept-Language", acceptLang)
		if lang := apiLang(r); lang != "sv" && lang != "en" || lang == "sv" && !strings.Contains(strings.ToLower(acceptLang), "sv") {
			t.Fatalf("apiLang(%q) = %q", acceptLang, lang)
		}

		r.SetPathValue("id", id)
		if n, err := pathID(r); err != nil {
			if arena.ErrorCode(err) != arena.ENOTFOUND {
				t.Fatalf("pathID(%q): %v", id, err)
			}
		} else if n <= 0 || !strings.HasSuffix(id, strconv.FormatInt(n, 10)) {
			t.Fatalf("pathID(%q) = %d", id, n)
		}
	})
}

// ---------------------------------------------------------------------------
// A real server

// fzWorld is the API on a fresh SQLite database with the report's data,
// the demo users and needs, and a network of Falu kommun (with Mölndals
// stad invited) with its plan, activity, deliverable, procurement and
// funding period.
type fzWorld struct {
	dir    string
	db     *store.DB
	app    *app.App
	api    *Server
	h      http.Handler
	log    *testdb.LogBuffer
	tokens map[string]string // bearer tokens by person; "" is anonymous
	ids    map[string]int64
	execs  int
}

// fzPeople are the demo users by short name.
var fzPeople = map[string]string{
	"anna": "anna@falun.demo", "erik": "erik@molndal.demo", "sara": "sara@orebro.demo",
	"broker": "maklare@arena.demo", "funder": "handlaggare@vinnova.demo",
}

// fzWho are the callers, anonymous first.
var fzWho = []string{"", "anna", "erik", "sara", "broker", "funder"}

// fzClient is the address requests come from (httptest's).
const fzClient = "192.0.2.1"

func fzNewWorld(tb testing.TB) *fzWorld {
	tb.Helper()
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "arena-fuzz-")
	if err != nil {
		tb.Fatal(err)
	}
	w := &fzWorld{dir: dir, log: &testdb.LogBuffer{}, tokens: map[string]string{}, ids: map[string]int64{}}
	fail := func(what string, err error) {
		w.close()
		tb.Fatalf("%s: %v", what, err)
	}
	if w.db, w.app, err = testdb.DemoApp(ctx, dir, w.log); err != nil {
		fail("the demo world", err)
	}
	w.api = NewServer(w.app)
	w.h = w.api.Handler()

	sys := arena.WithActor(ctx, arena.SystemActor())
	orgs, err := store.All(sys, w.db.Organizations, nil)
	if err != nil {
		fail("organisations", err)
	}
	for _, o := range orgs {
		switch o.Name {
		case "Falu kommun":
			w.ids["falun"] = o.ID
		case "Mölndals stad":
			w.ids["molndal"] = o.ID
		}
	}
	for who, email := range fzPeople {
		uid, _, err := w.db.PasswordHash(ctx, email)
		if err != nil {
			fail(email, err)
		}
		tok, hash := auth.NewToken("arena_")
		if err := w.db.CreateAPIToken(ctx, hash, uid, "fuzz"); err != nil {
			fail("token", err)
		}
		a, err := w.db.ActorFor(ctx, uid)
		if err != nil || len(a.Orgs) == 0 {
			fail("actor "+email, err)
		}
		w.tokens[who], w.ids["user:"+who], w.ids["om:"+who] = tok, uid, a.Orgs[0].ID
	}
	needs, err := store.All(sys, w.db.Needs, map[string]string{"org_id": strconv.FormatInt(w.ids["falun"], 10)})
	if err != nil || len(needs) == 0 {
		fail("Falu kommun's needs", err)
	}
	w.ids["need"] = needs[0].ID
	mk := func(name string, err error, id int64) {
		if err != nil {
			fail(name, err)
		}
		w.ids[name] = id
	}
	n := &arena.Network{Name: "Trygghetslarm i samverkan", Kind: arena.NetworkTactical, OwnerOrgID: new(w.ids["falun"]), Open: true}
	mk("network", w.db.Networks.Create(sys, n), n.ID)
	mf := &arena.NetworkMember{NetworkID: n.ID, OrgID: w.ids["falun"], Status: arena.MemberActive, NeedID: new(w.ids["need"]),
		ContactName: "Anna Lindqvist", ContactEmail: "anna@falun.demo", Mandate: true}
	mk("member:falun", w.db.NetworkMembers.Create(sys, mf), mf.ID)
	mm := &arena.NetworkMember{NetworkID: n.ID, OrgID: w.ids["molndal"], Status: arena.MemberInvited}
	mk("member:molndal", w.db.NetworkMembers.Create(sys, mm), mm.ID)
	plan := &arena.NetworkPlan{NetworkID: n.ID, Goal: "Gemensam kravställning", Responsibilities: []arena.Responsibility{{Who: "Falu kommun", What: "kravställning"}}}
	mk("plan", w.db.NetworkPlans.Create(sys, plan), plan.ID)
	act := &arena.Activity{NetworkID: n.ID, Kind: arena.ActivityMarketDialogue, Title: "Marknadsdialog", StartDate: new(arena.NewDate(2026, 4, 1))}
	mk("activity", w.db.Activities.Create(sys, act), act.ID)
	del := &arena.Deliverable{NetworkID: n.ID, Kind: arena.DeliverableGuidance, Title: "Vägledning för trygghetslarm", DocVersion: "1.0"}
	mk("deliverable", w.db.Deliverables.Create(sys, del), del.ID)
	proc := &arena.MemberProcurement{NetworkID: n.ID, OrgID: w.ids["falun"], Title: "Avrop av trygghetslarm", Stage: arena.StagePlanned,
		PlannedDate: new(arena.NewDate(2026, 1, 15))}
	mk("procurement", w.db.MemberProcurements.Create(sys, proc), proc.ID)
	funders, err := store.All(sys, w.db.Funders, nil)
	if err != nil || len(funders) == 0 {
		fail("funders", err)
	}
	w.ids["funder"] = funders[0].ID
	fp := &arena.FundingPeriod{NetworkID: n.ID, FunderID: new(funders[0].ID), StartDate: new(arena.NewDate(2026, 1, 1)), EndDate: new(arena.NewDate(2026, 12, 31))}
	mk("funding", w.db.FundingPeriods.Create(sys, fp), fp.ID)
	for name, first := range map[string]func() (int64, error){
		"call":    func() (int64, error) { return fzFirst(sys, w.db.Calls) },
		"project": func() (int64, error) { return fzFirst(sys, w.db.Projects) },
		"expert":  func() (int64, error) { return fzFirst(sys, w.db.Experts) },
	} {
		id, err := first()
		mk(name, err, id)
	}
	// Sign-in checks a password (tens of milliseconds) until the client is
	// throttled; block the fuzzer's address from the start so that
	// login bodies cost what the other routes do.
	if err := w.db.RecordLoginFailure(ctx, []string{"client:" + fzClient}, auth.ForgetAfter, func(int) time.Duration { return auth.MaxBlock }); err != nil {
		fail("throttle", err)
	}
	w.log.Take()
	return w
}

func fzFirst[T any](ctx context.Context, e *store.Entity[T]) (int64, error) {
	all, err := store.All(ctx, e, nil)
	if err != nil || len(all) == 0 {
		return 0, errors.Join(err, errors.New("none"))
	}
	return metaOf(all[0]).ID, nil
}

func (w *fzWorld) close() {
	if w.db != nil {
		w.db.Close()
	}
	os.RemoveAll(w.dir)
}

// fzServer keeps one world per fuzz target and process, made anew every
// `every` inputs so that what the inputs create stays small.
type fzServer struct {
	w     *fzWorld
	every int
}

func fzNewServer(f *testing.F, every int) *fzServer {
	s := &fzServer{w: fzNewWorld(f), every: every}
	f.Cleanup(func() { s.w.close() })
	return s
}

// world returns the world for the input t tests.
func (s *fzServer) world(t *testing.T) *fzWorld {
	if s.w.execs++; s.every > 0 && s.w.execs > s.every {
		s.w.close()
		s.w = fzNewWorld(t)
	}
	return s.w
}

// fzResponse is a recorded answer.
type fzResponse struct {
	status int
	header http.Header
	body   []byte
	log    string
}

func (w *fzWorld) do(t *testing.T, r *http.Request) fzResponse {
	t.Helper()
	rec := httptest.NewRecorder()
	w.log.Take()
	w.h.ServeHTTP(rec, r)
	return fzResponse{rec.Code, rec.Header(), rec.Body.Bytes(), w.log.Take()}
}

func (w *fzWorld) lastChange(t *testing.T) int64 {
	t.Helper()
	id, err := w.db.LastChange(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// checkAnswer holds every answer to the rules of the one error responder:
// no 5xx but the ones allowed, and an error is problem+json with its
// status, key and a worded detail.
func (r fzResponse) check(t *testing.T, what string, allowed ...string) {
	t.Helper()
	if r.status < 400 {
		return
	}
	var p Problem
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" || json.Unmarshal(r.body, &p) != nil {
		t.Fatalf("%s: %d with %q: %s", what, r.status, ct, r.body)
	}
	if p.Status != r.status || p.Key == "" || p.Detail == "" || strings.Contains(p.Detail, i18n.MissingMark) {
		t.Fatalf("%s: problem %s", what, r.body)
	}
	if r.status >= 500 && !slices.Contains(allowed, p.Key) {
		t.Fatalf("%s: %d %s\nlog: %s", what, r.status, r.body, r.log)
	}
}

// fzWrite is a write route: method, path (with {id} of a record of the
// world), the record whose version If-Match takes, and a body that works
// for who.
type fzWrite struct {
	method, path, id string
	version          func(db *store.DB, id int64) int64
	who, body        string
}

func fzVersionOf[T any](e func(db *store.DB) *store.Entity[T]) func(db *store.DB, id int64) int64 {
	return func(db *store.DB, id int64) int64 {
		v, err := e(db).GetUnchecked(context.Background(), id)
		if err != nil {
			return 0
		}
		return metaOf(v).Version
	}
}

var fzWrites = []fzWrite{
	{"POST", "/api/v1/organizations", "", nil, "broker", `{"name": "Ny kommun", "kind": "kommun", "org_number": "212000-1355", "scb_code": "2080"}`},
	{"POST", "/api/v1/users", "", nil, "broker", `{"email": "ny@falun.demo", "name": "Ny Person"}`},
	{"POST", "/api/v1/org-memberships", "", nil, "anna", `{"user_id": {user:sara}, "org_id": {falun}, "role": "member", "status": "invited"}`},
	{"POST", "/api/v1/needs", "", nil, "anna", `{"org_id": {falun}, "title": "Sensorer på brandposter", "cpv_codes": ["35125100-7"], "planned_date": "2026-12-04", "visibility": "public"}`},
	{"POST", "/api/v1/networks", "", nil, "anna", `{"name": "Brandpostsensorer", "kind": "tactical", "owner_org_id": {falun}}`},
	{"POST", "/api/v1/network-members", "", nil, "anna", `{"network_id": {network}, "org_id": {molndal}}`},
	{"POST", "/api/v1/network-plans", "", nil, "anna", `{"network_id": {network}, "goal": "Mål", "responsibilities": []}`},
	{"POST", "/api/v1/activities", "", nil, "anna", `{"network_id": {network}, "kind": "rfi", "title": "RFI om larm", "start_date": "2026-05-01", "end_date": "2026-06-01"}`},
	{"POST", "/api/v1/deliverables", "", nil, "anna", `{"network_id": {network}, "kind": "guidance", "title": "Kravbilaga", "url": "https://www.falun.se/krav.pdf"}`},
	{"POST", "/api/v1/member-procurements", "", nil, "anna", `{"network_id": {network}, "org_id": {falun}, "title": "Eget avrop", "stage": "planned", "planned_date": "2026-03-01"}`},
	{"POST", "/api/v1/funding-periods", "", nil, "anna", `{"network_id": {network}, "start_date": "2027-01-01", "end_date": "2027-12-31", "amount_sek": 500000}`},
	{"POST", "/api/v1/funders", "", nil, "broker", `{"name": "Testfinansiär", "kind": "agency", "website": "https://www.vinnova.se"}`},
	{"POST", "/api/v1/calls", "", nil, "funder", `{"funder_id": {funder}, "title": "Utlysning", "opens_date": "2026-05-01", "closes_date": "2026-09-01", "eligible_org_kinds": ["kommun", "region"], "co_funding_rate": 0.5}`},
	{"POST", "/api/v1/projects", "", nil, "broker", `{"title": "Projekt", "category": "research", "participants": ["Falu kommun"], "start_year": 2024, "end_year": 2026}`},
	{"POST", "/api/v1/experts", "", nil, "broker", `{"name": "Eva Expertsson", "kind": "person", "subject_areas": ["brandskydd"], "contact": "eva@forskning.se"}`},
	{"PATCH", "/api/v1/organizations/{id}", "falun", fzVersionOf(func(db *store.DB) *store.Entity[arena.Organization] { return db.Organizations }), "anna", `{"website": "https://www.falun.se/ny"}`},
	{"PATCH", "/api/v1/users/{id}", "user:anna", fzVersionOf(func(db *store.DB) *store.Entity[arena.User] { return db.Users }), "anna", `{"name": "Anna L"}`},
	{"PATCH", "/api/v1/org-memberships/{id}", "om:erik", fzVersionOf(func(db *store.DB) *store.Entity[arena.OrgMembership] { return db.OrgMemberships }), "erik", `{"role": "admin"}`},
	{"PATCH", "/api/v1/needs/{id}", "need", fzVersionOf(func(db *store.DB) *store.Entity[arena.Need] { return db.Needs }), "anna", `{"title": "Digitala trygghetslarm", "volume": 1200, "volume_unit": "brukare"}`},
	{"PATCH", "/api/v1/networks/{id}", "network", fzVersionOf(func(db *store.DB) *store.Entity[arena.Network] { return db.Networks }), "anna", `{"description": "Beskrivning", "start_year": 2026}`},
	{"PATCH", "/api/v1/network-members/{id}", "member:falun", fzVersionOf(func(db *store.DB) *store.Entity[arena.NetworkMember] { return db.NetworkMembers }), "anna", `{"management_sponsor": "Kommundirektören", "close_consent": true}`},
	{"PATCH", "/api/v1/network-plans/{id}", "plan", fzVersionOf(func(db *store.DB) *store.Entity[arena.NetworkPlan] { return db.NetworkPlans }), "anna", `{"rules": "Alla delar sina underlag."}`},
	{"PATCH", "/api/v1/activities/{id}", "activity", fzVersionOf(func(db *store.DB) *store.Entity[arena.Activity] { return db.Activities }), "anna", `{"status": "ongoing"}`},
	{"PATCH", "/api/v1/deliverables/{id}", "deliverable", fzVersionOf(func(db *store.DB) *store.Entity[arena.Deliverable] { return db.Deliverables }), "anna", `{"doc_version": "1.1", "published_date": "2026-12-04"}`},
	{"PATCH", "/api/v1/member-procurements/{id}", "procurement", fzVersionOf(func(db *store.DB) *store.Entity[arena.MemberProcurement] { return db.MemberProcurements }), "anna", `{"stage": "announced", "announced_date": "2026-12-04", "ocid": "ocds-213czf-000-00001"}`},
	{"PATCH", "/api/v1/funding-periods/{id}", "funding", fzVersionOf(func(db *store.DB) *store.Entity[arena.FundingPeriod] { return db.FundingPeriods }), "anna", `{"note": "Medfinansiering"}`},
	{"PATCH", "/api/v1/funders/{id}", "funder", fzVersionOf(func(db *store.DB) *store.Entity[arena.Funder] { return db.Funders }), "broker", `{"website": "https://www.vinnova.se"}`},
	{"PATCH", "/api/v1/calls/{id}", "call", fzVersionOf(func(db *store.DB) *store.Entity[arena.FundingCall] { return db.Calls }), "funder", `{"themes": ["vatten", "brandskydd"]}`},
	{"PATCH", "/api/v1/projects/{id}", "project", fzVersionOf(func(db *store.DB) *store.Entity[arena.Project] { return db.Projects }), "broker", `{"lessons": "Börja med behovet."}`},
	{"PATCH", "/api/v1/experts/{id}", "expert", fzVersionOf(func(db *store.DB) *store.Entity[arena.Expert] { return db.Experts }), "broker", `{"affiliation": "KTH"}`},
	{"POST", "/api/v1/network-members/{id}/accept", "member:molndal", nil, "erik", ``},
	{"POST", "/api/v1/network-members/{id}/decline", "member:molndal", nil, "erik", `{}`},
	{"POST", "/api/v1/network-members/{id}/leave", "member:falun", nil, "anna", ``},
	{"POST", "/api/v1/networks/{id}/close", "network", nil, "anna", `{"members_decided": true}`},
	{"POST", "/api/v1/member-procurements/{id}/advance", "procurement", nil, "anna", `{"stage": "announced", "date": "2026-12-04"}`},
	{"POST", "/api/v1/alerts/refresh", "", nil, "broker", ``},
	{"POST", "/api/v1/cpv/suggest", "", nil, "anna", `{"title": "Sopbilar som drivs med biogas", "description": "Insamling av hushållsavfall.", "limit": 3}`},
	{"POST", "/api/v1/auth/login", "", nil, "", `{"email": "anna@falun.demo", "password": "demo-arena-2026"}`},
	{"POST", "/api/v1/auth/logout", "", nil, "anna", ``},
}

// fzPathParam is a {name} of a route's pattern.
var fzPathParam = regexp.MustCompile(`\{[a-z_]+\}`)

// expand puts the world's ids in for {name}.
func (w *fzWorld) expand(s string) string { return testdb.Expand(s, w.ids) }

// FuzzAPIWrite sends an arbitrary body to every write route as every
// caller (If-Match, when not given, is the record's current version):
// no answer is a 5xx (a CPV suggestion without the CPV list answers 503
// by design), every error is a worded problem, and a refused request
// wrote nothing.
func FuzzAPIWrite(f *testing.F) {
	s := fzNewServer(f, 3000)
	// A write route added after these tests were written is fuzzed too,
	// with the network's id in its path.
	writes := slices.Clone(fzWrites)
	for _, rt := range s.w.api.Routes() {
		method, pattern, _ := strings.Cut(rt, " ")
		if (method == "POST" || method == "PATCH" || method == "PUT") &&
			!slices.ContainsFunc(writes, func(wr fzWrite) bool { return wr.method == method && wr.path == pattern }) {
			writes = append(writes, fzWrite{method, pattern, "network", nil, "broker", `{}`})
		}
	}
	for i, wr := range writes {
		f.Add(uint8(i), uint8(slices.Index(fzWho, wr.who)), wr.body, "")
		f.Add(uint8(i), uint8(0), wr.body, "")
		f.Add(uint8(i), uint8(slices.Index(fzWho, wr.who)), fzBodySeeds[i%len(fzBodySeeds)], "")
	}
	f.Add(uint8(3), uint8(1), `{"org_id": {falun}, "title": "Larm\u0000"}`, "")
	f.Add(uint8(18), uint8(1), `{"title": "Ny titel"}`, `"1"`)
	f.Add(uint8(18), uint8(1), `{"title": "Ny titel"}`, `W/"x"`)
	f.Add(uint8(4), uint8(1), `{"name": "Från behov", "kind": "tactical", "from_needs": [{need}, 999999]}`, "")
	f.Add(uint8(4), uint8(1), `{"name": "N", "kind": "strategic", "start_year": -9223372036854775808}`, "")
	f.Add(uint8(34), uint8(1), `{"stage": "withdrawn", "date": "2026-12-04", "reason": "Budgeten drogs in"}`, "")
	f.Fuzz(func(t *testing.T, route, who uint8, body, ifMatchH string) {
		w := s.world(t)
		wr := writes[int(route)%len(writes)]
		caller := fzWho[int(who)%len(fzWho)]
		path := fzPathParam.ReplaceAllString(wr.path, strconv.FormatInt(w.ids[wr.id], 10))
		body = w.expand(body)
		if wr.path == "/api/v1/users" && caller == "broker" && fzHasPassword(body) {
			t.Skip("a password is hashed with argon2id (tens of milliseconds); the decoding before is fuzzed without one")
		}
		r := httptest.NewRequest(wr.method, path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		if tok := w.tokens[caller]; tok != "" {
			r.Header.Set("Authorization", "Bearer "+tok)
		}
		switch {
		case ifMatchH != "":
			r.Header.Set("If-Match", ifMatchH)
		case wr.version != nil:
			r.Header.Set("If-Match", etag(wr.version(w.db, w.ids[wr.id])))
		}
		before := w.lastChange(t)
		resp := w.do(t, r)
		what := wr.method + " " + path + " as " + strconv.Quote(caller) + " with " + strconv.Quote(body)
		resp.check(t, what, "err.cpv.not_loaded")
		if resp.status >= 400 {
			if after := w.lastChange(t); after != before {
				t.Fatalf("%s: refused with %d but wrote (change log %d → %d): %s", what, resp.status, before, after, resp.body)
			}
		} else if len(resp.body) > 0 && !json.Valid(resp.body) {
			t.Fatalf("%s: %d with a body that is no JSON: %s", what, resp.status, resp.body)
		}
	})
}

// fzHasPassword reports whether a body gives a password long enough to
// be hashed.
func fzHasPassword(body string) bool {
	var fields map[string]json.RawMessage
	var pw string
	return json.Unmarshal([]byte(body), &fields) == nil && json.Unmarshal(fields["password"], &pw) == nil &&
		utf8.RuneCountInString(pw) >= arena.PasswordMin
}

// fzRead is a read route: a path with {seg}, the id that goes there when
// the input gives none, and, for lists, the fields q searches.
type fzRead struct {
	path, id string
	search   []string
}

var fzReads = []fzRead{
	{"/api/v1/organizations", "", []string{"name"}}, {"/api/v1/users", "", nil}, {"/api/v1/org-memberships", "", nil},
	{"/api/v1/needs", "", []string{"title", "description"}}, {"/api/v1/networks", "", []string{"name", "description"}},
	{"/api/v1/network-members", "", nil}, {"/api/v1/network-plans", "", nil}, {"/api/v1/activities", "", nil},
	{"/api/v1/deliverables", "", nil}, {"/api/v1/member-procurements", "", nil}, {"/api/v1/funding-periods", "", nil},
	{"/api/v1/funders", "", []string{"name"}}, {"/api/v1/calls", "", []string{"title", "description"}},
	{"/api/v1/projects", "", []string{"title", "description", "results", "lessons"}}, {"/api/v1/experts", "", []string{"name", "description"}},
	{"/api/v1/organizations/{seg}", "falun", nil}, {"/api/v1/users/{seg}", "user:anna", nil}, {"/api/v1/needs/{seg}", "need", nil},
	{"/api/v1/networks/{seg}", "network", nil}, {"/api/v1/network-members/{seg}", "member:falun", nil}, {"/api/v1/member-procurements/{seg}", "procurement", nil},
	{"/api/v1/needs/{seg}/matches", "need", nil}, {"/api/v1/calls/{seg}/fits", "call", nil}, {"/api/v1/networks/{seg}/overview", "network", nil},
	{"/api/v1/cpv/{seg}", "", nil}, {"/api/v1/alerts", "", nil}, {"/api/v1/funnel", "", nil}, {"/api/v1/status", "", nil}, {"/api/v1/me", "", nil},
}

// FuzzAPIRead asks the read routes with arbitrary queries and path
// segments as every caller: no 5xx (the CPV routes without the CPV list
// answer 503 by design), nothing written, a list page within its limit
// in id order, and a search (q) that finds exactly the records that
// contain the text, ignoring case.
func FuzzAPIRead(f *testing.F) {
	s := fzNewServer(f, 0)
	// A read route added after these tests were written is fuzzed too.
	reads := slices.Clone(fzReads)
	for _, rt := range s.w.api.Routes() {
		method, pattern, _ := strings.Cut(rt, " ")
		pattern = fzPathParam.ReplaceAllString(pattern, "{seg}")
		if method == "GET" && pattern != "/api/v1/openapi.json" && !slices.ContainsFunc(reads, func(rd fzRead) bool { return rd.path == pattern }) {
			reads = append(reads, fzRead{pattern, "network", nil})
		}
	}
	for i := range reads {
		f.Add(uint8(i), uint8(1), "", "")
		f.Add(uint8(i), uint8(4), "", "limit=2&after=1")
	}
	for _, q := range []string{"q=kommun", "q=Falu&limit=1", "q=%C3%A5", "q=brandpost&kind=tactical", "q=+trygghetslarm+", "q=%00", "q=%ff",
		"q=Belok&q=Bebo", "limit=0", "limit=501", "after=-1", "colour=red", "kind=strategic&status=active", "org_id=abc", "visibility=draft",
		"network_id=1&org_id=1&kind=funding_ends", "kind=projects&limit=3", "kind=magic", "limit=9223372036854775808", "q=" + strings.Repeat("a", 600)} {
		f.Add(uint8(3), uint8(1), "", q)
		f.Add(uint8(21), uint8(1), "", q)
	}
	for _, q := range []string{"q=%C3%96rebro", "q=%C3%B6rebro", "q=M%C3%B6lndal", "q=_", "q=%25", "q=stad"} {
		f.Add(uint8(0), uint8(4), "", q)
	}
	for _, seg := range []string{"0", "-1", "abc", "999999", "9223372036854775808", "45000000-7", "45000000", "33196000-0", "\x00", "å", " 1", "1.0"} {
		f.Add(uint8(17), uint8(1), seg, "")
		f.Add(uint8(24), uint8(0), seg, "")
	}
	type listKey struct{ path, who string }
	full := map[listKey][]map[string]any{} // every record of a list a caller sees
	f.Fuzz(func(t *testing.T, route, who uint8, seg, rawQuery string) {
		w := s.world(t)
		rd := reads[int(route)%len(reads)]
		caller := fzWho[int(who)%len(fzWho)]
		if seg == "" && rd.id != "" {
			seg = strconv.FormatInt(w.ids[rd.id], 10)
		}
		path := strings.ReplaceAll(rd.path, "{seg}", url.PathEscape(seg))
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.URL.RawQuery = rawQuery
		if tok := w.tokens[caller]; tok != "" {
			r.Header.Set("Authorization", "Bearer "+tok)
		}
		before := w.lastChange(t)
		resp := w.do(t, r)
		what := "GET " + path + "?" + rawQuery + " as " + strconv.Quote(caller)
		resp.check(t, what, "err.cpv.not_loaded")
		if after := w.lastChange(t); after != before {
			t.Fatalf("%s wrote (change log %d → %d)", what, before, after)
		}
		if resp.status != http.StatusOK || strings.Contains(rd.path, "{seg}") || strings.HasPrefix(rd.path, "/api/v1/alerts") ||
			!slices.Contains([]string{"organizations", "users", "org-memberships", "needs", "networks", "network-members", "network-plans",
				"activities", "deliverables", "member-procurements", "funding-periods", "funders", "calls", "projects", "experts"}, strings.TrimPrefix(rd.path, "/api/v1/")) {
			return
		}
		var page struct {
			Items []map[string]any `json:"items"`
			Total int              `json:"total"`
			Next  int64            `json:"next_after"`
		}
		if err := json.Unmarshal(resp.body, &page); err != nil {
			t.Fatalf("%s: %v: %s", what, err, resp.body)
		}
		q := r.URL.Query()
		limit, after := 50, int64(0)
		if v := q["limit"]; len(v) > 0 {
			limit, _ = strconv.Atoi(v[len(v)-1])
		}
		if v := q["after"]; len(v) > 0 {
			after, _ = strconv.ParseInt(v[len(v)-1], 10, 64)
		}
		if len(page.Items) > limit || page.Total < len(page.Items) || (page.Next != 0 && (len(page.Items) != limit || fzID(page.Items[limit-1]) != page.Next)) {
			t.Fatalf("%s: %d items of %d, next %d: %.300s", what, len(page.Items), page.Total, page.Next, resp.body)
		}
		last := after
		for _, it := range page.Items {
			if id := fzID(it); id <= last {
				t.Fatalf("%s: id %d after %d", what, id, last)
			} else {
				last = id
			}
		}
		// The search: only q (and paging) asked, checked against every
		// record the caller sees.
		text := strings.TrimSpace(q.Get("q"))
		if rd.search == nil || text == "" || len(q) != 1 && !(len(q) == 2 && q.Has("limit")) || len(q["q"]) != 1 {
			return
		}
		k := listKey{rd.path, caller}
		if _, ok := full[k]; !ok {
			all := w.do(t, fzGet(w, rd.path+"?limit=500", caller))
			var p struct {
				Items []map[string]any `json:"items"`
				Total int              `json:"total"`
			}
			if err := json.Unmarshal(all.body, &p); err != nil || p.Total != len(p.Items) {
				t.Fatalf("the whole of %s as %q: %v, %d of %d", rd.path, caller, err, len(p.Items), p.Total)
			}
			full[k] = p.Items
		}
		want := 0
		needle := strings.ToLower(text)
		for _, it := range full[k] {
			if fzContains(it, rd.search, needle) {
				want++
			}
		}
		for _, it := range page.Items {
			if !fzContains(it, rd.search, needle) {
				t.Fatalf("%s: found %v, which does not contain %q", what, it["id"], text)
			}
		}
		if page.Total != want {
			t.Fatalf("%s: %d found, but %d of the caller's %d records contain %q", what, page.Total, want, len(full[k]), text)
		}
	})
}

func fzGet(w *fzWorld, target, caller string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	if tok := w.tokens[caller]; tok != "" {
		r.Header.Set("Authorization", "Bearer "+tok)
	}
	return r
}

func fzID(item map[string]any) int64 {
	n, _ := item["id"].(float64)
	return int64(n)
}

// fzContains reports whether one of the fields of a record contains
// needle (lower-case) in any case.
func fzContains(item map[string]any, fields []string, needle string) bool {
	for _, f := range fields {
		if s, ok := item[f].(string); ok && strings.Contains(strings.ToLower(s), needle) {
			return true
		}
	}
	return false
}

// FuzzAPIAuth sends arbitrary Authorization, Cookie and X-CSRF-Token
// headers: /api/v1/me answers 200 exactly for a bearer token or session
// the server gave (and then for its person), 401 otherwise; a write on a
// session without its CSRF token is refused with 403; nothing is a 5xx.
func FuzzAPIAuth(f *testing.F) {
	s := fzNewServer(f, 0)
	w := s.w
	ctx := context.Background()
	uid, _, err := w.db.PasswordHash(ctx, fzPeople["erik"])
	if err != nil {
		f.Fatal(err)
	}
	// A session as signing in starts one, without checking the password.
	sess := struct{ Token, CSRF string }{}
	var hash string
	sess.Token, hash = auth.NewToken("")
	sess.CSRF, _ = auth.NewToken("")
	if err := w.db.CreateSession(ctx, hash, sess.CSRF, uid, app.SessionTTL); err != nil {
		f.Fatal(err)
	}
	annaTok := w.tokens["anna"]
	f.Add("Bearer "+annaTok, "", "")
	f.Add("Bearer  "+annaTok+" ", "", "")
	f.Add("bearer "+annaTok, "", "")
	f.Add("Bearer "+annaTok[:len(annaTok)-1], "", "")
	f.Add("Basic YW5uYTpkZW1v", "", "")
	f.Add("Bearer arena_forged", "", "")
	f.Add("Bearer \x00", "", "")
	f.Add("", SessionCookie+"="+sess.Token, sess.CSRF)
	f.Add("", SessionCookie+"="+sess.Token, "")
	f.Add("", SessionCookie+"="+sess.Token+"; "+SessionCookie+"=x", sess.CSRF+"x")
	f.Add("", "arena_lang=sv; "+SessionCookie+"=\""+sess.Token+"\"", sess.CSRF)
	f.Add("", SessionCookie+"=", "")
	f.Add("Bearer "+annaTok, SessionCookie+"="+sess.Token, "")
	byToken := map[string]string{sess.Token: fzPeople["erik"]}
	for who, tok := range w.tokens {
		byToken[tok] = fzPeople[who]
	}
	f.Fuzz(func(t *testing.T, authorization, cookie, csrf string) {
		// Who the server should see: the bearer token, else the cookie as
		// net/http reads it.
		r := httptest.NewRequest(http.MethodGet, "/api/v1/me", nil)
		r.Header.Set("Authorization", authorization)
		r.Header.Set("Cookie", cookie)
		r.Header.Set("X-CSRF-Token", csrf)
		want := ""
		viaCookie := false
		if h := r.Header.Get("Authorization"); h != "" {
			if tok, ok := strings.CutPrefix(h, "Bearer "); ok {
				want = byToken[strings.TrimSpace(tok)]
				if want == fzPeople["erik"] && strings.TrimSpace(tok) == sess.Token {
					want = "" // a session token is no bearer token
				}
			}
		} else if c, err := r.Cookie(SessionCookie); err == nil && c.Value == sess.Token {
			want, viaCookie = byToken[c.Value], true
		}
		resp := w.do(t, r)
		what := "GET /api/v1/me with Authorization " + strconv.Quote(authorization) + ", Cookie " + strconv.Quote(cookie)
		resp.check(t, what)
		var me Me
		switch {
		case want == "" && resp.status != http.StatusUnauthorized:
			t.Fatalf("%s: %d, want 401: %s", what, resp.status, resp.body)
		case want != "" && (resp.status != http.StatusOK || json.Unmarshal(resp.body, &me) != nil || me.User == nil || me.User.Email != want):
			t.Fatalf("%s: %d, want 200 for %s: %s", what, resp.status, want, resp.body)
		}

		// A write: If-Match 0 is refused after the CSRF check.
		r = httptest.NewRequest(http.MethodPatch, "/api/v1/needs/"+strconv.FormatInt(w.ids["need"], 10), strings.NewReader(`{}`))
		r.Header.Set("Authorization", authorization)
		r.Header.Set("Cookie", cookie)
		r.Header.Set("X-CSRF-Token", csrf)
		r.Header.Set("If-Match", `"0"`)
		before := w.lastChange(t)
		resp = w.do(t, r)
		resp.check(t, "PATCH with "+what)
		var p Problem
		json.Unmarshal(resp.body, &p)
		if csrfRefused := viaCookie && csrf != sess.CSRF; csrfRefused != (p.Key == "err.csrf_header") || resp.status < 400 || w.lastChange(t) != before {
			t.Fatalf("PATCH with %s and X-CSRF-Token %q: %d %s", what, csrf, resp.status, resp.body)
		}
	})
}
