package web

// Fuzz tests of what a browser sends the pages: the form readers
// (cleanForm, parseAmount, parseDecimal, postedRows), the return address
// (localPath) and, on a real server over SQLite with the report's and
// the demo's data, arbitrary form bodies posted to every form route. No
// input may give a 5xx or an address off the site; a refused form stores
// nothing. The in-package tests cannot use testworld (it imports the CLI,
// which imports this package), so fzNewWorld builds a small world.

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/app"
	"github.com/arena-se/arena/internal/auth"
	"github.com/arena-se/arena/internal/httpapi"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// FuzzCleanForm: a form passes cleanForm exactly when its names and
// values are valid UTF-8 and no value holds a NUL; a refusal names the
// body (UTF-8) or the field (NUL).
func FuzzCleanForm(f *testing.F) {
	for _, s := range []string{"title=Trygghetslarm&csrf=x", "title=%C3%A5%C3%A4%C3%B6", "title=%FF", "%FF=1", "title=a%00b", "a%00=b",
		"title=%C3", "x=1&x=%00", "", "&&=&", "title=\u200b", "t%C3%A5=%E2%80%8B"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		v, _ := url.ParseQuery(body)
		err := cleanForm(v)
		badUTF8, nul := false, false
		for name, vs := range v {
			for _, x := range vs {
				badUTF8 = badUTF8 || !utf8.ValidString(name) || !utf8.ValidString(x)
				nul = nul || strings.ContainsRune(x, 0)
			}
		}
		switch {
		case err == nil:
			if badUTF8 || nul {
				t.Fatalf("cleanForm(%q) passed", v)
			}
		case arena.ErrorCode(err) != arena.EINVALID:
			t.Fatalf("cleanForm(%q): %v", v, err)
		case arena.ErrorField(err) == "body":
			if !badUTF8 {
				t.Fatalf("cleanForm(%q): %v", v, err)
			}
		default:
			if _, named := v[arena.ErrorField(err)]; !nul || !named {
				t.Fatalf("cleanForm(%q): %v", v, err)
			}
		}
	})
}

// FuzzParseAmount: an amount the pages write (grouped with spaces, thin
// or non-breaking spaces, with "kr" or "SEK") reads back as the same
// number, and so does every amount parseAmount reads.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"2 500 000", "2\u00a0500\u00a0000 kr", "4 000 000 SEK", "SEK 1 200", "100,00", "100,-", "1.234.567", "12'000",
		"fyra miljoner", "1,5", "-5", "+7", "", "kr", "0", "9223372036854775807", "9223372036854775808", "1\u202f000", "1 000 000,00 kr",
		"\xff", "1\x00"} {
		f.Add(s, int64(len(s))*1234567)
	}
	f.Add("", int64(math.MaxInt64))
	f.Fuzz(func(t *testing.T, s string, n int64) {
		if v, err := parseAmount(s); err == nil {
			fzAmountRoundTrip(t, v)
		}
		if n >= 0 {
			fzAmountRoundTrip(t, n)
		}
	})
}

func fzAmountRoundTrip(t *testing.T, n int64) {
	t.Helper()
	forms := []string{strconv.FormatInt(n, 10)}
	if n >= 0 {
		for _, sep := range []string{" ", nbsp, "\u202f"} {
			g := groupInt(n, sep)
			forms = append(forms, g, g+" kr", g+nbsp+"kr", g+" SEK", "SEK "+g, g+",00", g+",-")
		}
	}
	for _, s := range forms {
		if v, err := parseAmount(s); v != n || err != nil {
			t.Fatalf("parseAmount(%q) = %d, %v; want %d", s, v, err, n)
		}
	}
}

// FuzzParseDecimal: what parseDecimal reads is a finite number, a finite
// number written with a point or a comma (as Swedish does) reads back
// exactly, and a volume as the need's edit form writes it (grouped, two
// decimals) reads back as the volume to two decimals.
func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"1 800", "12,5", "12.5", "0,25", "1\u00a0234,5", "-3", "1e3", "NaN", "Inf", "-Infinity", "1e400", "0x1p-2",
		"1,2,3", "", ",", "\xff"} {
		f.Add(s, 1.5)
	}
	f.Add("", math.MaxFloat64)
	f.Add("", math.SmallestNonzeroFloat64)
	f.Fuzz(func(t *testing.T, s string, x float64) {
		if v, err := parseDecimal(s); err == nil {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("parseDecimal(%q) = %v", s, v)
			}
			fzDecimalRoundTrip(t, v)
		}
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			fzDecimalRoundTrip(t, x)
		}
	})
}

func fzDecimalRoundTrip(t *testing.T, x float64) {
	t.Helper()
	p := strconv.FormatFloat(x, 'f', -1, 64)
	for _, s := range []string{p, strings.Replace(p, ".", ",", 1), " " + p + " "} {
		if v, err := parseDecimal(s); v != x || err != nil {
			t.Fatalf("parseDecimal(%q) = %v, %v; want %v", s, v, err, x)
		}
	}
	if x >= 0 && x < 1<<52 {
		s := groupFloat(x, " ", ",")
		if v, err := parseDecimal(s); err != nil || math.Abs(v-x) > 0.005+x*1e-15 {
			t.Fatalf("the edit form writes %v as %q, which reads as %v, %v", x, s, v, err)
		}
	}
}

// FuzzPostedRows: the plan form's row count covers exactly the rows
// posted (who-N or what-N), within planMaxRows.
func FuzzPostedRows(f *testing.F) {
	for _, s := range []string{"who-0=Falu&what-0=krav", "who-3=x", "what-99=x", "who-100=x", "who--1=x", "who-+2=x", "who-02=x", "who-0x1=x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		v, _ := url.ParseQuery(body)
		n := postedRows(v)
		want := 0
		for k := range v {
			for _, col := range []string{"who-", "what-"} {
				if s, ok := strings.CutPrefix(k, col); ok {
					if i, err := strconv.Atoi(s); err == nil && i >= 0 && i < planMaxRows {
						want = max(want, i+1)
					}
				}
			}
		}
		if n != want || n < 0 || n > planMaxRows {
			t.Fatalf("postedRows(%q) = %d, want %d", body, n, want)
		}
	})
}

// FuzzLocalPath: the return address a form or link gives is this site's
// path or "/": after http.Redirect writes it and a browser reads it (tabs
// and line breaks dropped, backslashes as slashes, as the WHATWG URL
// standard does), it stays on the site. An accepted path is kept as
// given.
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/", "/behov/12", "/natverk/3?flik=plan#mal", "//evil.example", "/\\evil.example", "https://evil.example", "/\t/evil.example",
		"/%2F%2Fevil.example", "/\r\n//evil.example", "/./../evil", "/.//evil.example", "/?//evil.example", "javascript:alert(1)", "behov", "",
		"/\x00", "/\u3000/evil.example", "/\\/evil.example", "///evil.example", "/%5Cevil.example", "/@evil.example", "/:x",
		"/%2Fevil.example/ x", "/%2F%2Fevil.example", "/%252F", "/./\\evil.example", "/../\\evil.example/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := localPath(s)
		if p != "/" && p != s {
			t.Fatalf("localPath(%q) = %q", s, p)
		}
		if localPath(p) != p {
			t.Fatalf("localPath(%q) = %q, which it does not keep", s, p)
		}
		for _, target := range []string{p, withNotice(p, "sparat")} {
			rec := httptest.NewRecorder()
			http.Redirect(rec, httptest.NewRequest(http.MethodGet, "/sprak/sv", nil), target, http.StatusSeeOther)
			loc := rec.Header().Get("Location")
			if host, ok := fzBrowserHost(loc); !ok || host != "arena.example" {
				t.Fatalf("localPath(%q) = %q: a browser follows Location %q to %q", s, p, loc, host)
			}
		}
	})
}

// fzBrowserHost is the host a browser on https://arena.example/sprak/sv
// goes to for Location loc, reading it as the WHATWG URL standard does
// where Go's parser differs.
func fzBrowserHost(loc string) (string, bool) {
	loc = strings.Trim(loc, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	loc = strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(loc)
	base, _ := url.Parse("https://arena.example/sprak/sv")
	u, err := url.Parse(loc)
	if err != nil {
		return "", false
	}
	return base.ResolveReference(u).Host, true
}

// ---------------------------------------------------------------------------
// A real server

// fzWorld is the pages on the API server, on a fresh SQLite database with
// the report's data, the demo users and needs, a network of Falu kommun
// (Mölndals stad invited) with its plan, activity and procurement, and an
// e-mail domain of Falu kommun.
type fzWorld struct {
	dir      string
	db       *store.DB
	app      *app.App
	ui       *UI
	h        http.Handler
	log      *testdb.LogBuffer
	sessions map[string]*app.Session // by person
	ids      map[string]int64
	execs    int
}

// fzPeople are the demo users who post forms.
var fzPeople = map[string]string{"anna": "anna@falun.demo", "erik": "erik@molndal.demo", "broker": "maklare@arena.demo"}

// fzWho are the posters, anonymous first.
var fzWho = []string{"", "anna", "erik", "broker"}

// fzClient is the address requests come from (httptest's).
const fzClient = "192.0.2.1"

func fzNewWorld(tb testing.TB) *fzWorld {
	tb.Helper()
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "arena-fuzz-")
	if err != nil {
		tb.Fatal(err)
	}
	w := &fzWorld{dir: dir, log: &testdb.LogBuffer{}, sessions: map[string]*app.Session{}, ids: map[string]int64{}}
	fail := func(what string, err error) {
		w.close()
		tb.Fatalf("%s: %v", what, err)
	}
	if w.db, w.app, err = testdb.DemoApp(ctx, dir, w.log); err != nil {
		fail("the demo world", err)
	}
	api := httpapi.NewServer(w.app)
	if w.ui, err = New(w.app); err != nil {
		fail("pages", err)
	}
	w.ui.Register(api)
	w.h = api.Handler()

	for who, email := range fzPeople {
		s, err := fzSession(ctx, w.db, email)
		if err != nil {
			fail("session of "+email, err)
		}
		w.sessions[who] = s
	}
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
	for _, org := range []string{"falun", "molndal"} {
		needs, err := store.All(sys, w.db.Needs, map[string]string{"org_id": strconv.FormatInt(w.ids[org], 10)})
		if err != nil || len(needs) == 0 {
			fail(org+"'s needs", err)
		}
		w.ids["need:"+org] = needs[0].ID
	}
	mk := func(name string, err error, id int64) {
		if err != nil {
			fail(name, err)
		}
		w.ids[name] = id
	}
	n := &arena.Network{Name: "Trygghetslarm i samverkan", Kind: arena.NetworkTactical, OwnerOrgID: new(w.ids["falun"]), Open: true}
	mk("network", w.db.Networks.Create(sys, n), n.ID)
	mf := &arena.NetworkMember{NetworkID: n.ID, OrgID: w.ids["falun"], Status: arena.MemberActive, NeedID: new(w.ids["need:falun"]), Mandate: true}
	mk("member:falun", w.db.NetworkMembers.Create(sys, mf), mf.ID)
	mm := &arena.NetworkMember{NetworkID: n.ID, OrgID: w.ids["molndal"], Status: arena.MemberInvited}
	mk("member:molndal", w.db.NetworkMembers.Create(sys, mm), mm.ID)
	plan := &arena.NetworkPlan{NetworkID: n.ID, Goal: "Gemensam kravställning", Responsibilities: []arena.Responsibility{{Who: "Falu kommun", What: "kravställning"}}}
	mk("plan", w.db.NetworkPlans.Create(sys, plan), plan.ID)
	act := &arena.Activity{NetworkID: n.ID, Kind: arena.ActivityMarketDialogue, Title: "Marknadsdialog", StartDate: new(arena.NewDate(2026, 4, 1))}
	mk("activity", w.db.Activities.Create(sys, act), act.ID)
	proc := &arena.MemberProcurement{NetworkID: n.ID, OrgID: w.ids["falun"], Title: "Avrop av trygghetslarm", Stage: arena.StagePlanned,
		PlannedDate: new(arena.NewDate(2026, 1, 15))}
	mk("procurement", w.db.MemberProcurements.Create(sys, proc), proc.ID)
	dom := &arena.OrgDomain{OrgID: w.ids["falun"], Domain: "falun.se"}
	mk("domain", w.db.OrgDomains.Create(sys, dom), dom.ID)
	w.ids["om:erik"] = w.sessions["erik"].Actor.Orgs[0].ID
	// Sign-in checks a password (tens of milliseconds) until the client is
	// throttled; block the fuzzer's address from the start.
	if err := w.db.RecordLoginFailure(ctx, []string{"client:" + fzClient}, auth.ForgetAfter, func(int) time.Duration { return auth.MaxBlock }); err != nil {
		fail("throttle", err)
	}
	w.log.Take()
	return w
}

// fzSession starts a session of the person as signing in does, without
// checking the password (tens of milliseconds of argon2id).
func fzSession(ctx context.Context, db *store.DB, email string) (*app.Session, error) {
	uid, _, err := db.PasswordHash(ctx, email)
	if err != nil {
		return nil, err
	}
	token, hash := auth.NewToken("")
	csrf, _ := auth.NewToken("")
	if err := db.CreateSession(ctx, hash, csrf, uid, app.SessionTTL); err != nil {
		return nil, err
	}
	a, err := db.ActorFor(ctx, uid)
	return &app.Session{Actor: a, Token: token, CSRF: csrf}, err
}

func (w *fzWorld) close() {
	if w.db != nil {
		w.db.Close()
	}
	os.RemoveAll(w.dir)
}

// fzForm is a form route of the pages with the record its {id} names
// and a body that works for who.
type fzForm struct {
	pattern, id, action, who, body string
}

// fzForms are the seeds of the form routes; a route added later is
// posted to as well, with the network's id and an empty form.
var fzForms = []fzForm{
	{"POST /logga-in", "", "", "", "email=anna%40falun.demo&password=demo-arena-2026&tillbaka=%2Fbehov"},
	{"POST /behov", "", "", "anna", "action=save&title=Gatubelysning+med+LED&description=Dimras+n%C3%A4r+ingen+r%C3%B6r+sig&cpv_codes=34928500-3&sector=energi&estimated_value_sek=2+500+000&volume=1+800&volume_unit=armaturer&planned_date=2027-04-15&intent=plan&visibility=public"},
	{"POST /behov/{id}", "need:falun", "", "anna", "action=save&version=1&title=Trygghetslarm&intent=budgeted&visibility=public&estimated_value_sek=4%C2%A0000%C2%A0000+kr"},
	{"POST /behov/{id}", "need:falun", "", "anna", "action=suggest&title=Sopbilar+som+drivs+med+biogas&cpv_pick=34144512"},
	{"POST /behov/{id}/natverk", "need:falun", "", "anna", "need={need:molndal}&network_name=Trygghetslarm+tillsammans"},
	{"POST /natverksmedlemmar/{id}/{action}", "member:molndal", "accept", "erik", "tillbaka=%2Fnatverk%2F{network}"},
	{"POST /natverksmedlemmar/{id}/{action}", "member:falun", "leave", "anna", "tillbaka=%2F%2Fevil.example"},
	{"POST /medlemsupphandlingar/{id}/steg", "procurement", "", "anna", "version=1&stage-{procurement}=announced&date-{procurement}=2026-12-04"},
	{"POST /natverk/{id}/plan", "network", "", "anna", "plan_version=1&plan_goal=M%C3%A5l&plan_rules=Regler&who-0=Falu+kommun&what-0=kravst%C3%A4llning&who-1=&what-1="},
	{"POST /natverk/{id}/aktiviteter", "network", "", "anna", "activity_kind=rfi&activity_title=RFI&activity_start=2026-05-01&activity_end=2026-04-01&activity_status=planned"},
	{"POST /aktiviteter/{id}/status", "activity", "", "anna", "version=1&status-{activity}=done"},
	{"POST /natverk/{id}/leveranser", "network", "", "anna", "deliverable_kind=guidance&deliverable_title=V%C3%A4gledning&deliverable_url=https%3A%2F%2Fwww.falun.se%2Fv.pdf&deliverable_published=2026-12-04"},
	{"POST /natverk/{id}/medlemsupphandlingar", "network", "", "anna", "proc_org={falun}&proc_kind=central_purchasing_handover&proc_body=Adda&proc_title=Avrop&proc_planned=2026-09-01&proc_ocid=ocds-213czf-1"},
	{"POST /natverk/{id}/finansiering", "network", "", "anna", "funding_funder=1&funding_start=2026-01-01&funding_end=2025-12-31&funding_amount=500+000+kr&funding_note=Vinnova"},
	{"POST /natverk/{id}/stang", "network", "", "anna", "close_decided=ja&version=1"},
	{"POST /organisationer/{id}/domaner", "falun", "", "anna", "domain=Falun.SE"},
	{"POST /organisationsdomaner/{id}/ta-bort", "domain", "", "anna", "version=1"},
	{"POST /organisationsmedlemskap/{id}/{action}", "om:erik", "godkann", "anna", "version=1&role=admin"},
	{"POST /maklare/natverk", "", "", "broker", "group=1&need={need:falun}&need={need:molndal}&network_name=Trygghetslarm+i+samverkan"},
}

// fzActions are the {action} values the routes know.
var fzActions = []string{"accept", "decline", "leave", "godkann", "avsla", "okänd"}

// expand puts the world's ids in for {name}.
func (w *fzWorld) expand(s string) string { return testdb.Expand(s, w.ids) }

// FuzzWebForms posts an arbitrary form body to every form route as
// every person (with the session's CSRF token first, so that the form is
// read): no answer is a 5xx, a redirect stays on the site, a page is
// valid UTF-8, and a refused form wrote nothing.
func FuzzWebForms(f *testing.F) {
	var posts []string
	for _, p := range (&UI{}).Patterns() {
		if strings.HasPrefix(p, "POST ") && p != "POST /logga-ut" {
			posts = append(posts, p)
		}
	}
	slices.Sort(posts)
	for _, fm := range fzForms {
		if i := slices.Index(posts, fm.pattern); i >= 0 {
			f.Add(uint8(i), uint8(slices.Index(fzWho, fm.who)), uint8(max(0, slices.Index(fzActions, fm.action))), fm.body)
			f.Add(uint8(i), uint8(2), uint8(max(0, slices.Index(fzActions, fm.action))), fm.body+"&title=%00&tillbaka=%2F%5Cevil.example")
		}
	}
	for i := range posts {
		f.Add(uint8(i), uint8(1), uint8(0), "")
		f.Add(uint8(i), uint8(0), uint8(1), "csrf=x")
		f.Add(uint8(i), uint8(1), uint8(2), "title=%FF%FE&version=abc&x=%00")
	}
	s := &fzServer{w: fzNewWorld(f), every: 2000}
	f.Cleanup(func() { s.w.close() })
	f.Fuzz(func(t *testing.T, route, who, action uint8, body string) {
		w := s.world(t)
		pattern := posts[int(route)%len(posts)]
		caller := fzWho[int(who)%len(fzWho)]
		id := w.ids["network"]
		for _, fm := range fzForms {
			if fm.pattern == pattern && fm.id != "" {
				id = w.ids[fm.id]
				break
			}
		}
		path := strings.TrimPrefix(pattern, "POST ")
		path = strings.ReplaceAll(path, "{id}", strconv.FormatInt(id, 10))
		path = strings.ReplaceAll(path, "{action}", url.PathEscape(fzActions[int(action)%len(fzActions)]))
		body = w.expand(body)
		csrf, cookies := "fuzz-login-token-0123456789abcdef0123456789", []*http.Cookie{}
		cookies = append(cookies, &http.Cookie{Name: loginCSRFCookie, Value: csrf})
		if sess := w.sessions[caller]; sess != nil {
			cookies = append(cookies, &http.Cookie{Name: httpapi.SessionCookie, Value: sess.Token})
			csrf = sess.CSRF
		}
		r := httptest.NewRequest(http.MethodPost, path, strings.NewReader("csrf="+url.QueryEscape(csrf)+"&"+body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range cookies {
			r.AddCookie(c)
		}
		before, err := w.db.LastChange(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		w.log.Take()
		w.h.ServeHTTP(rec, r)
		what := "POST " + path + " as " + strconv.Quote(caller) + " with " + strconv.Quote(body)
		if rec.Code >= 500 {
			t.Fatalf("%s: %d\nlog: %s\n%.2000s", what, rec.Code, w.log.Take(), rec.Body)
		}
		if rec.Code >= 400 {
			if after, _ := w.db.LastChange(context.Background()); after != before {
				t.Fatalf("%s: refused with %d but wrote (change log %d → %d)", what, rec.Code, before, after)
			}
		}
		if loc := rec.Header().Get("Location"); loc != "" {
			if host, ok := fzBrowserHost(loc); !ok || host != "arena.example" {
				t.Fatalf("%s: %d to %q, which a browser follows to %q", what, rec.Code, loc, host)
			}
		}
		if !utf8.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s: %d with a page that is not UTF-8", what, rec.Code)
		}
	})
}

// fzServer keeps one world per fuzz target and process, made anew every
// `every` inputs so that what the inputs create stays small.
type fzServer struct {
	w     *fzWorld
	every int
}

// world returns the world for the input t tests.
func (s *fzServer) world(t *testing.T) *fzWorld {
	if s.w.execs++; s.every > 0 && s.w.execs > s.every {
		s.w.close()
		s.w = fzNewWorld(t)
	}
	return s.w
}
