package web_test

import (
	"context"
	"io"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/auth"
	"github.com/arena-se/arena/internal/httpapi"
	"github.com/arena-se/arena/internal/planimport"
	"github.com/arena-se/arena/internal/reach"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
	tw "github.com/arena-se/arena/internal/testworld"
	"github.com/arena-se/arena/internal/web"
)

// The permission matrix of the pages: every page and form × the eight
// actors of the fixture world (internal/testworld) × the record states
// that matter, with the status the domain's rules give through the one
// table (httpapi.StatusOf). A page or form that needs a signed-in person
// sends an anonymous visitor to the sign-in page (303 to /logga-in, want
// toSignIn); a form that succeeds redirects elsewhere (303). A refused
// form, and every page, changes nothing: the change log's last id is the
// same before and after.

const (
	anon    = tw.Anonymous
	other   = tw.Other
	member  = tw.Member
	admin   = tw.Admin
	owner   = tw.Owner
	invited = tw.Invited
	broker  = tw.Broker
	funder  = tw.Funder
	decl    = tw.Declined
	sup     = tw.Supplier
	rest    = "*" // in an expectation: every one of the eight not named

	toSignIn = -303 // 303 to the sign-in page
)

// Groups of actors, for what a page shows.
var (
	insidersN = []string{owner, admin, member, invited, broker} // arena.Standing.Insider of N
	peopleOfA = []string{admin, member}
	everyone  = []string{anon, other, member, admin, owner, invited, broker, funder, decl}
	signedIn  = []string{other, member, admin, owner, invited, broker, funder, decl}
	nobody    = []string{}
)

// want is the status by actor (toSignIn for the sign-in redirect); rest
// stands for the eight not named; decl runs only where named; 0 means not
// run.
type want map[string]int

// extras are the actors run only where a row names them.
var extras = []string{decl, sup}

func (w want) of(actor string) (int, bool) {
	if s, ok := w[actor]; ok {
		return s, true
	}
	if slices.Contains(extras, actor) {
		return 0, false
	}
	s, ok := w[rest]
	return s, ok
}

// webRow is one page or form, run once per actor. A POST carries the
// session's CSRF token unless noCSRF.
type webRow struct {
	name   string
	method string
	path   string
	form   url.Values // keys and values may hold placeholders
	noCSRF bool
	fresh  bool // a session of its own (signing out ends it)
	login  bool // the sign-in form: its own token first
	setup  func(t *testing.T, w *tw.World, v tw.Vars)
	want   want
	see    []tw.Seen
}

// webClient is a browser without JavaScript: cookies kept, redirects not
// followed.
type webClient struct {
	http *http.Client
	csrf string
}

type webMatrix struct {
	w       *tw.World
	db      *store.DB
	ui      *web.UI
	srv     *httptest.Server
	clients map[string]*webClient
}

func newWebMatrix(t *testing.T, db *store.DB) *webMatrix {
	t.Helper()
	tw.LoadReference(t, db)
	a := tw.NewApp(t, db, nil)
	w := tw.Build(t, a)
	api := httpapi.NewServer(a)
	ui, err := web.New(a)
	if err != nil {
		t.Fatal(err)
	}
	ui.Register(api)
	m := &webMatrix{w: w, db: db, ui: ui, srv: httptest.NewServer(api.Handler()), clients: map[string]*webClient{}}
	t.Cleanup(m.srv.Close)
	t.Cleanup(planimport.Wait) // the imports the rows started, before the database closes
	for _, p := range append(append([]string{}, extras...), tw.Actors...) {
		m.clients[p] = m.client(t, p)
	}
	return m
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// client returns a new browser, signed in through the sign-in form as the
// person (anonymous: not signed in).
func (m *webMatrix) client(t *testing.T, person string) *webClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &webClient{http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if person == anon {
		return c
	}
	page := m.do(t, c, "GET", "/logga-in", nil)
	tok := csrfInput.FindStringSubmatch(page.body)
	if tok == nil {
		t.Fatalf("no token on the sign-in page: %d", page.status)
	}
	r := m.do(t, c, "POST", "/logga-in", url.Values{"csrf": {tok[1]}, "email": {m.w.Emails[person]}, "password": {tw.Password}})
	if r.status != http.StatusSeeOther || strings.HasPrefix(r.location, "/logga-in") {
		t.Fatalf("sign in as %s: %d %s", person, r.status, r.location)
	}
	home := m.do(t, c, "GET", "/", nil)
	tok = csrfInput.FindStringSubmatch(home.body)
	if tok == nil {
		t.Fatalf("no session token for %s", person)
	}
	c.csrf = tok[1]
	return c
}

type webResp struct {
	status   int
	location string
	body     string
}

func (m *webMatrix) do(t *testing.T, c *webClient, method, path string, form url.Values) webResp {
	t.Helper()
	var rd io.Reader
	if form != nil {
		rd = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, m.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return webResp{status: res.StatusCode, location: res.Header.Get("Location"), body: string(b)}
}

// untested are the routes that are no page or form of the matrix: the
// stylesheet, the script, the language switch and the catch-all.
var untested = []string{"GET /static/arena.css", "GET /static/arena.js", "GET /sprak/{lang}", "/"}

func TestPermissionMatrixWeb(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		start := time.Now()
		m := newWebMatrix(t, db)
		built := time.Since(start)
		mux := http.NewServeMux()
		for _, p := range m.ui.Patterns() {
			mux.HandleFunc(p, func(http.ResponseWriter, *http.Request) {})
		}
		covered := map[string]bool{}
		cases := 0
		for _, row := range webRows() {
			path := tw.Vars(m.w.Vars()).Route(row.path)
			req, _ := http.NewRequest(row.method, path, nil)
			if _, p := mux.Handler(req); p != "" && p != "/" {
				covered[p] = true
			} else {
				t.Errorf("row %q (%s %s) is on no page or form", row.name, row.method, row.path)
			}
			actors := append([]string{}, tw.Actors...)
			for _, x := range extras {
				if _, ok := row.want[x]; ok {
					actors = append(actors, x)
				}
			}
			for _, actor := range actors {
				status, ok := row.want.of(actor)
				if !ok {
					t.Fatalf("row %q has no expectation for %s", row.name, actor)
				}
				if status == 0 {
					continue
				}
				cases++
				t.Run(row.name+"/"+actor, func(t *testing.T) { m.run(t, row, actor, status) })
			}
		}
		for _, p := range m.ui.Patterns() {
			if !covered[p] && !slices.Contains(untested, p) {
				t.Errorf("page or form %s has no row in the matrix", p)
			}
		}
		t.Logf("%d cases on %s in %v (world built and %d people signed in in %v)", cases, db.Dialect,
			time.Since(start).Round(time.Millisecond), len(m.clients)-1, built.Round(time.Millisecond))
	})
}

func (m *webMatrix) run(t *testing.T, row webRow, actor string, wantStatus int) {
	ctx := context.Background()
	v := tw.Vars(m.w.Vars())
	v["uniq"] = strconv.Itoa(m.w.Uniq())
	if row.setup != nil {
		row.setup(t, m.w, v)
	}
	c := m.clients[actor]
	if row.fresh {
		c = m.client(t, actor)
	}
	path := v.Expand(row.path)
	var form url.Values
	if row.method == "POST" {
		form = url.Values{}
		for k, vs := range row.form {
			for _, x := range vs {
				form.Add(v.Expand(k), v.Expand(x))
			}
		}
		if row.login {
			tok := csrfInput.FindStringSubmatch(m.do(t, c, "GET", "/logga-in", nil).body)
			if tok == nil {
				t.Fatal("no token on the sign-in page")
			}
			form.Set("csrf", tok[1])
		} else if !row.noCSRF && c.csrf != "" {
			form.Set("csrf", c.csrf)
		}
		for k, vs := range form {
			for _, x := range vs {
				if p := tw.Unknown(k + x); p != "" {
					t.Fatalf("row %q: no value for %s", row.name, p)
				}
			}
		}
	}
	if p := tw.Unknown(path); p != "" {
		t.Fatalf("row %q: no value for %s", row.name, p)
	}
	before, err := m.db.LastChange(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r := m.do(t, c, row.method, path, form)
	gotSignIn := r.status == http.StatusSeeOther && strings.HasPrefix(r.location, "/logga-in")
	switch {
	case wantStatus == toSignIn && !gotSignIn:
		t.Errorf("%s %s as %s: %d %s, want a redirect to the sign-in page: %s", row.method, path, actor, r.status, r.location, excerptOf(r.body))
	case wantStatus != toSignIn && (r.status != wantStatus || gotSignIn):
		t.Errorf("%s %s as %s: %d %s, want %d: %s", row.method, path, actor, r.status, r.location, wantStatus, excerptOf(r.body))
	}
	refused := r.status >= 400 || wantStatus >= 400 || wantStatus == toSignIn || gotSignIn
	if refused || row.method == "GET" {
		after, err := m.db.LastChange(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if after != before {
			t.Errorf("%s %s as %s (status %d) changed the data: last change %d -> %d", row.method, path, actor, r.status, before, after)
		}
	}
	if r.status >= 300 {
		return
	}
	for _, text := range tw.NeverShown(actor) {
		if strings.Contains(r.body, text) {
			t.Errorf("%s %s as %s shows %q, personal data not for %s", row.method, path, actor, text, actor)
		}
	}
	for _, s := range row.see {
		text := v.Expand(s.Text)
		has := strings.Contains(r.body, text)
		switch {
		case slices.Contains(s.To, actor) && !has && !s.Maybe:
			t.Errorf("%s %s as %s does not show %q", row.method, path, actor, text)
		case !slices.Contains(s.To, actor) && has:
			i := strings.Index(r.body, text)
			t.Errorf("%s %s as %s shows %q, which is not for %s: …%s…", row.method, path, actor, text, actor, r.body[max(0, i-300):min(len(r.body), i+100)])
		}
	}
}

// excerptOf is the main part of a page, shortened.
func excerptOf(s string) string {
	if i := strings.Index(s, "<main"); i >= 0 {
		s = s[i:]
	}
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 400 {
		s = s[:400]
	}
	return s
}

// Setups: fresh records for a case that changes them.

// unsubscribeToken signs an unsubscribe link of the member's e-mail about
// similar needs, as an e-mail carries it.
func unsubscribeToken(t *testing.T, w *tw.World, v tw.Vars) {
	uid, _ := strconv.ParseInt(v["user:member"], 10, 64)
	tok, err := w.App.Reach.UnsubscribeToken(context.Background(), reach.Unsubscribe{UserID: uid,
		Kinds: []arena.NotificationKind{arena.NotifyNeedMatch}, Expires: w.App.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	v["tok"] = tok
}

// calendarToken makes the member's calendar address, its secret as {cal}.
func calendarToken(t *testing.T, w *tw.World, v tw.Vars) {
	uid, _ := strconv.ParseInt(v["user:member"], 10, 64)
	tok, hash := auth.NewToken("")
	if err := w.DB.SetCalendarFeed(context.Background(), uid, hash); err != nil {
		t.Fatal(err)
	}
	v["cal"] = tok
}

func freshActivity(t *testing.T, w *tw.World, v tw.Vars) {
	tw.FreshNet(tw.NetOpts{})(t, w, v)
	n, _ := strconv.ParseInt(v["n"], 10, 64)
	v.Set("act", w.NewActivity(t, n, "Aktivitet"))
}

// works is who works in a fresh network like N (Standing.Works): they
// write its parts; the invited only see them, outsiders are refused.
func works(ok int) want {
	return want{owner: ok, admin: ok, member: ok, broker: ok, anon: toSignIn, rest: 403}
}

func webRows() []webRow {
	var rows []webRow
	add := func(rs ...webRow) { rows = append(rows, rs...) }
	all200 := want{rest: 200}

	// Sign-in and sign-out.
	add(
		webRow{name: "sign-in page", method: "GET", path: "/logga-in", want: want{anon: 200, rest: 303}},
		webRow{name: "sign in", method: "POST", path: "/logga-in", fresh: true, login: true,
			form: url.Values{"email": {"member@a.test"}, "password": {tw.Password}}, want: want{anon: 303, rest: 0}},
		webRow{name: "sign in with a wrong password", method: "POST", path: "/logga-in", fresh: true, login: true,
			form: url.Values{"email": {"member@a.test"}, "password": {"fel lösenord 123"}}, want: want{anon: 401, rest: 0}},
		webRow{name: "sign in without the form's token", method: "POST", path: "/logga-in", fresh: true,
			form: url.Values{"email": {"member@a.test"}, "password": {tw.Password}}, want: want{anon: 403, rest: 0}},
		webRow{name: "sign out", method: "POST", path: "/logga-ut", fresh: true, want: want{anon: toSignIn, rest: 303}},
		webRow{name: "sign out without the token", method: "POST", path: "/logga-ut", fresh: true, noCSRF: true, want: want{anon: toSignIn, rest: 403}},
		// No identity provider is configured here.
		webRow{name: "sign in through the identity provider", method: "GET", path: "/logga-in/oidc", want: want{rest: 503}},
		webRow{name: "the identity provider's callback", method: "GET", path: "/logga-in/oidc/klar?code=x&state=y", want: want{rest: 503}},
	)

	// An organisation's e-mail domains (CanChangeOrgDomain) and the
	// requests to join it, decided by its admins and brokers
	// (CanChangeOrgMembership, CanDeleteOrgMembership) who alone see the
	// person asking (CanSeeUser).
	decide := want{admin: 303, broker: 303, member: 403, anon: toSignIn, rest: 404}
	add(
		webRow{name: "organisation A with a request to join", method: "GET", path: "/organisationer/{A}", setup: freshRequestOfA, want: all200,
			see: []tw.Seen{{Text: "{requester}", To: []string{admin, broker}}}},
		webRow{name: "domain add", method: "POST", path: "/organisationer/{A}/domaner", form: url.Values{"domain": {"w{uniq}.kommun.se"}},
			want: want{admin: 303, broker: 303, anon: toSignIn, rest: 403}},
		webRow{name: "domain add, not a domain", method: "POST", path: "/organisationer/{A}/domaner", form: url.Values{"domain": {"https://w{uniq}.se/"}},
			want: want{anon: toSignIn, rest: 400}},
		webRow{name: "domain remove", method: "POST", path: "/organisationsdomaner/{d}/ta-bort", form: url.Values{"version": {"1"}}, setup: freshDomainOfA,
			want: want{admin: 303, broker: 303, anon: toSignIn, rest: 403}},
		webRow{name: "domain remove, an old version", method: "POST", path: "/organisationsdomaner/{d}/ta-bort", form: url.Values{"version": {"7"}}, setup: freshDomainOfA,
			want: want{anon: toSignIn, rest: 412}}, // the version is checked first, as in the API
		webRow{name: "request to join approved", method: "POST", path: "/organisationsmedlemskap/{om}/godkann", form: url.Values{"version": {"1"}, "role": {"member"}},
			setup: freshRequestOfA, want: decide},
		webRow{name: "request to join declined", method: "POST", path: "/organisationsmedlemskap/{om}/avsla", form: url.Values{"version": {"1"}},
			setup: freshRequestOfA, want: decide},
		webRow{name: "a member's role changed", method: "POST", path: "/organisationsmedlemskap/{om}/roll", form: url.Values{"version": {"1"}, "role": {"admin"}},
			setup: freshMemberOfA, want: want{admin: 303, broker: 303, member: 403, anon: toSignIn, rest: 404}},
		webRow{name: "a member removed", method: "POST", path: "/organisationsmedlemskap/{om}/ta-bort", form: url.Values{"version": {"1"}},
			setup: freshMemberOfA, want: want{admin: 303, broker: 303, member: 403, anon: toSignIn, rest: 404}},
		webRow{name: "the last admin made a member", method: "POST", path: "/organisationsmedlemskap/{om}/roll", form: url.Values{"version": {"1"}, "role": {"member"}},
			setup: freshLoneAdmin, want: want{broker: 409, anon: toSignIn, rest: 404}},
		webRow{name: "request to join, an unknown decision", method: "POST", path: "/organisationsmedlemskap/{om}/ignorera", form: url.Values{"version": {"1"}},
			setup: freshRequestOfA, want: want{anon: toSignIn, rest: 404}},
	)

	// Public pages.
	add(
		webRow{name: "home", method: "GET", path: "/", want: all200},
		webRow{name: "needs", method: "GET", path: "/behov", want: all200, see: []tw.Seen{
			{Text: tw.DraftTitle, To: peopleOfA}, {Text: tw.OrgTitle, To: peopleOfA},
			{Text: tw.NetworkTitle, To: []string{admin, member, owner}}, {Text: tw.PublicTitle, To: everyone}}},
		// A register's download is its list as the user may see it.
		webRow{name: "needs download", method: "GET", path: "/behov?format=csv", want: all200, see: []tw.Seen{
			{Text: tw.DraftTitle, To: peopleOfA}, {Text: tw.OrgTitle, To: peopleOfA},
			{Text: tw.NetworkTitle, To: []string{admin, member, owner}}, {Text: tw.PublicTitle, To: everyone}}},
		webRow{name: "experts download", method: "GET", path: "/experter?format=csv", want: all200, see: []tw.Seen{{Text: tw.ExpertContact, To: signedIn}}},
		webRow{name: "networks", method: "GET", path: "/natverk", want: all200},
		webRow{name: "calls", method: "GET", path: "/utlysningar", want: all200},
		webRow{name: "call", method: "GET", path: "/utlysningar/{call}", want: all200, see: []tw.Seen{
			{Text: tw.DraftTitle, To: nobody}, {Text: tw.RegionTitle, To: nobody},
			{Text: tw.OrgTitle, To: peopleOfA, Maybe: true}, {Text: tw.NetworkTitle, To: []string{admin, member, owner}, Maybe: true}}},
		webRow{name: "projects", method: "GET", path: "/projekt", want: all200},
		webRow{name: "project", method: "GET", path: "/projekt/{project}", want: all200},
		webRow{name: "experts", method: "GET", path: "/experter", want: all200, see: []tw.Seen{{Text: tw.ExpertContact, To: signedIn}}},
		webRow{name: "organisations", method: "GET", path: "/organisationer", want: all200},
		webRow{name: "organisation A", method: "GET", path: "/organisationer/{A}", want: all200, see: []tw.Seen{
			{Text: tw.DraftTitle, To: peopleOfA}, {Text: tw.OrgTitle, To: peopleOfA},
			{Text: tw.NetworkTitle, To: []string{admin, member, owner}}, {Text: tw.ContactEmail, To: insidersN, Maybe: true}}},
		webRow{name: "organisation I", method: "GET", path: "/organisationer/{I}", want: all200, see: []tw.Seen{
			{Text: tw.NetworkNameN, To: insidersN}}}, // I is only invited to N (CanSeeMember)
		webRow{name: "broker's page", method: "GET", path: "/maklare", want: want{broker: 200, anon: toSignIn, rest: 403}},
	)

	// Needs: seen by CanSeeNeed, changed by their organisation's people
	// (CanChangeNeed).
	for _, c := range []struct {
		vis arena.Visibility
		see []string // besides A's people
	}{
		{arena.VisibilityDraft, nil},
		{arena.VisibilityOrganisation, nil},
		{arena.VisibilityNetwork, []string{owner}},
		{arena.VisibilityPublic, []string{anon, other, owner, invited, broker, funder, sup}},
	} {
		// The supplier (a företag) is run on every row: it sees only the
		// public need.
		vis := string(c.vis)
		show := want{admin: 200, member: 200, sup: 404, rest: 404}
		edit := want{admin: 200, member: 200, anon: toSignIn, sup: 404, rest: 404}
		update := want{admin: 303, member: 303, anon: toSignIn, sup: 404, rest: 404}
		for _, a := range c.see {
			show[a] = 200
			if a != anon {
				edit[a], update[a] = 403, 403
			}
		}
		add(
			webRow{name: "need " + vis, method: "GET", path: "/behov/{need:" + vis + "}", want: show},
			webRow{name: "need " + vis + " edit form", method: "GET", path: "/behov/{need:" + vis + "}/andra", want: edit},
			webRow{name: "need " + vis + " update", method: "POST", path: "/behov/{need}", setup: tw.FreshNeed(c.vis), want: update,
				form: url.Values{"org_id": {"{A}"}, "title": {"Ändrat behov {uniq}"}, "visibility": {vis}, "intent": {"explore"}, "version": {"{ver}"}, "action": {"save"}}},
			webRow{name: "need " + vis + " deleted", method: "POST", path: "/behov/{need}/ta-bort", setup: tw.FreshNeed(c.vis), want: update,
				form: url.Values{"version": {"{ver}"}}},
		)
	}
	add(
		webRow{name: "need unknown", method: "GET", path: "/behov/99999999", want: want{rest: 404}},
		webRow{name: "need of X", method: "GET", path: "/behov/{need:other}", want: all200, see: []tw.Seen{
			{Text: tw.DraftTitle, To: peopleOfA, Maybe: true}, {Text: tw.OrgTitle, To: peopleOfA, Maybe: true},
			{Text: tw.NetworkTitle, To: []string{admin, member, owner}, Maybe: true}}},
		webRow{name: "new need form", method: "GET", path: "/behov/nytt", want: want{anon: toSignIn, rest: 200}},
		webRow{name: "need create for A", method: "POST", path: "/behov",
			form: url.Values{"org_id": {"{A}"}, "title": {"Nytt behov {uniq}"}, "visibility": {"draft"}, "intent": {"explore"}, "action": {"save"}},
			want: want{admin: 303, member: 303, anon: toSignIn, rest: 403}},
		webRow{name: "need create for one's own organisation", method: "POST", path: "/behov",
			form: url.Values{"title": {"Eget behov {uniq}"}, "visibility": {"draft"}, "intent": {"explore"}, "action": {"save"}},
			want: want{anon: toSignIn, rest: 303}},
		webRow{name: "need create without the token", method: "POST", path: "/behov", noCSRF: true,
			form: url.Values{"title": {"Eget behov {uniq}"}, "visibility": {"draft"}, "intent": {"explore"}, "action": {"save"}},
			want: want{anon: toSignIn, rest: 403}},
		// CanProposeFrom: from a need's page, by its organisation's people
		// and brokers.
		webRow{name: "propose a network from A's public need", method: "POST", path: "/behov/{need:public}/natverk",
			form: url.Values{"need": {"{need:other}"}, "network_name": {"Föreslaget {uniq}"}},
			want: want{admin: 303, member: 303, broker: 303, anon: toSignIn, rest: 403}},
	)

	// A network's pages: the record, active members, deliverables and sums
	// are public; the inside is the insiders' (CanSeeNetworkInside); contact
	// people are the insiders', the organisation's own and brokers'
	// (CanSeeMemberContact).
	add(
		webRow{name: "network N", method: "GET", path: "/natverk/{N}", want: want{rest: 200, decl: 200, sup: 200}, see: []tw.Seen{
			{Text: tw.FundingNote, To: insidersN}}},
		webRow{name: "network N members", method: "GET", path: "/natverk/{N}/medlemmar", want: want{rest: 200, decl: 200, sup: 200}, see: []tw.Seen{
			{Text: tw.ContactEmail, To: insidersN}, {Text: tw.ContactName, To: insidersN}, {Text: tw.Sponsor, To: insidersN},
			{Text: tw.InvitedContact, To: insidersN}, {Text: tw.DeclinedContact, To: append([]string{decl}, insidersN...)}}},
		webRow{name: "network N plan", method: "GET", path: "/natverk/{N}/plan", want: want{rest: 200, sup: 200}, see: []tw.Seen{
			{Text: tw.PlanGoal, To: insidersN}, {Text: tw.ActivityTitle, To: insidersN}}},
		webRow{name: "network N deliverables", method: "GET", path: "/natverk/{N}/leveranser", want: want{rest: 200, sup: 200}, see: []tw.Seen{
			{Text: tw.DeliverableTitle, To: append([]string{sup}, everyone...)}}},
		webRow{name: "network N follow-through", method: "GET", path: "/natverk/{N}/uppfoljning", want: want{rest: 200, sup: 200}, see: []tw.Seen{
			{Text: tw.ProcurementTitle, To: insidersN}}},
		webRow{name: "network N follow-through download", method: "GET", path: "/natverk/{N}/uppfoljning?format=csv", want: want{rest: 200, sup: 200}, see: []tw.Seen{
			{Text: tw.ProcurementTitle, To: insidersN}}},
		webRow{name: "network N funnel download", method: "GET", path: "/natverk/{N}/uppfoljning?tabell=tratt&format=xlsx", want: want{rest: 200, sup: 200}},
		webRow{name: "network N classification", method: "GET", path: "/natverk/{N}/klassning", want: all200},
		webRow{name: "network N alerts", method: "GET", path: "/natverk/{N}/varningar", want: all200},
		webRow{name: "network N unknown tab", method: "GET", path: "/natverk/{N}/okand", want: want{rest: 404}},
		webRow{name: "network unknown", method: "GET", path: "/natverk/99999999", want: want{rest: 404}},
	)
	for _, tab := range []string{"", "/medlemmar", "/plan", "/leveranser", "/uppfoljning", "/klassning", "/varningar"} {
		add(webRow{name: "network C" + tab, method: "GET", path: "/natverk/{C}" + tab, want: all200})
	}

	// Answers to a membership (NetworkMember.Answer), of a fresh network
	// like N, by the actors who see the membership (CanSeeMember).
	seeInvited := want{owner: 403, admin: 403, member: 403, invited: 403, broker: 403, anon: toSignIn, rest: 404}
	for _, action := range []string{"accept", "decline", "leave"} {
		inv, act := maps.Clone(seeInvited), want{anon: toSignIn, rest: 403}
		if action == "leave" {
			inv[invited], act[admin] = 409, 303
		} else {
			inv[invited], act[admin] = 303, 409
		}
		dec := maps.Clone(seeInvited)
		dec[decl] = 409
		add(
			webRow{name: action + " the invitation", method: "POST", path: "/natverksmedlemmar/{n/I}/" + action, setup: tw.FreshNet(tw.NetOpts{}), want: inv},
			webRow{name: action + " the declined membership", method: "POST", path: "/natverksmedlemmar/{n/D}/" + action, setup: tw.FreshNet(tw.NetOpts{}), want: dec},
			webRow{name: action + " the active membership", method: "POST", path: "/natverksmedlemmar/{n/A}/" + action, setup: tw.FreshNet(tw.NetOpts{}), want: act},
			webRow{name: action + " in a closed network", method: "POST", path: "/natverksmedlemmar/{n/A}/" + action, setup: tw.FreshNet(tw.NetOpts{Closed: true}),
				want: want{anon: toSignIn, rest: 409}},
		)
	}
	add(webRow{name: "an unknown answer", method: "POST", path: "/natverksmedlemmar/{n/I}/ignore", setup: tw.FreshNet(tw.NetOpts{}),
		want: want{anon: toSignIn, rest: 404}})

	// The network's forms (CanWorkInNetwork; CanRecordProcurement for
	// procurements; CanCloseNetwork and CanClose for closing).
	planForm := url.Values{"plan_goal": {"Mål {uniq}"}, "plan_version": {"0"}, "who-0": {"Kommun A"}, "what-0": {"kravställning"}}
	activityForm := url.Values{"activity_kind": {"marknadsdialog"}, "activity_title": {"Dialog {uniq}"}, "activity_status": {"planned"}}
	deliverableForm := url.Values{"deliverable_kind": {"guidance"}, "deliverable_title": {"Vägledning {uniq}"}}
	fundingForm := url.Values{"funding_funder": {"{funder}"}, "funding_start": {"2026-01-01"}, "funding_end": {"2026-12-31"}}
	procForm := url.Values{"proc_org": {"{A}"}, "proc_kind": {"own_procurement"}, "proc_title": {"Upphandling {uniq}"}, "proc_planned": {"2026-02-01"}}
	closed := want{anon: toSignIn, rest: 409}
	add(
		webRow{name: "plan", method: "POST", path: "/natverk/{n}/plan", form: planForm, setup: tw.FreshNet(tw.NetOpts{}), want: works(303)},
		webRow{name: "plan of a closed network", method: "POST", path: "/natverk/{n}/plan", form: planForm, setup: tw.FreshNet(tw.NetOpts{Closed: true}), want: closed},
		webRow{name: "activity", method: "POST", path: "/natverk/{n}/aktiviteter", form: activityForm, setup: tw.FreshNet(tw.NetOpts{}), want: works(303)},
		webRow{name: "activity of a closed network", method: "POST", path: "/natverk/{n}/aktiviteter", form: activityForm,
			setup: tw.FreshNet(tw.NetOpts{Closed: true}), want: closed},
		webRow{name: "activity status", method: "POST", path: "/aktiviteter/{act}/status", setup: freshActivity,
			form: url.Values{"status-{act}": {"ongoing"}, "version": {"1"}},
			want: want{owner: 303, admin: 303, member: 303, broker: 303, invited: 403, anon: toSignIn, rest: 404}},
		webRow{name: "deliverable", method: "POST", path: "/natverk/{n}/leveranser", form: deliverableForm, setup: tw.FreshNet(tw.NetOpts{}), want: works(303)},
		webRow{name: "deliverable of a closed network", method: "POST", path: "/natverk/{n}/leveranser", form: deliverableForm,
			setup: tw.FreshNet(tw.NetOpts{Closed: true}), want: closed},
		webRow{name: "funding", method: "POST", path: "/natverk/{n}/finansiering", form: fundingForm, setup: tw.FreshNet(tw.NetOpts{}), want: works(303)},
		webRow{name: "funding of a closed network", method: "POST", path: "/natverk/{n}/finansiering", form: fundingForm,
			setup: tw.FreshNet(tw.NetOpts{Closed: true}), want: closed},
		webRow{name: "procurement for A", method: "POST", path: "/natverk/{n}/medlemsupphandlingar", form: procForm, setup: tw.FreshNet(tw.NetOpts{}),
			want: want{admin: 303, member: 303, broker: 303, anon: toSignIn, rest: 403}},
		webRow{name: "procurement for one's own organisation", method: "POST", path: "/natverk/{n}/medlemsupphandlingar", setup: tw.FreshNet(tw.NetOpts{}),
			form: url.Values{"proc_kind": {"own_procurement"}, "proc_title": {"Upphandling {uniq}"}, "proc_planned": {"2026-02-01"}},
			want: want{owner: 303, admin: 303, member: 303, broker: 400, anon: toSignIn, rest: 403}}, // a broker records for O or A: the form must say which
		webRow{name: "procurement in a closed network", method: "POST", path: "/natverk/{n}/medlemsupphandlingar", form: procForm,
			setup: tw.FreshNet(tw.NetOpts{Closed: true}), want: closed},
		webRow{name: "advance a procurement", method: "POST", path: "/medlemsupphandlingar/{n/proc}/steg", setup: tw.FreshNet(tw.NetOpts{Procurement: arena.StagePlanned}),
			form: url.Values{"stage-{n/proc}": {"announced"}, "date-{n/proc}": {"2026-03-01"}},
			want: want{admin: 303, member: 303, broker: 303, owner: 403, invited: 403, anon: toSignIn, rest: 404}},
		webRow{name: "advance a procurement skipping a stage", method: "POST", path: "/medlemsupphandlingar/{n/proc}/steg",
			setup: tw.FreshNet(tw.NetOpts{Procurement: arena.StagePlanned}), form: url.Values{"stage-{n/proc}": {"implemented"}, "date-{n/proc}": {"2026-03-01"}},
			want: want{admin: 400, member: 400, broker: 400, anon: toSignIn, rest: 0}},
		webRow{name: "close as decided", method: "POST", path: "/natverk/{n}/stang", form: url.Values{"close_decided": {"1"}}, setup: tw.FreshNet(tw.NetOpts{}),
			want: want{owner: 303, broker: 303, anon: toSignIn, rest: 403}},
		webRow{name: "close with every member's consent", method: "POST", path: "/natverk/{n}/stang", setup: tw.FreshNet(tw.NetOpts{Consent: true}),
			want: want{owner: 303, broker: 303, admin: 303, member: 303, anon: toSignIn, rest: 403}},
		webRow{name: "close without a decision or procurements", method: "POST", path: "/natverk/{n}/stang", setup: tw.FreshNet(tw.NetOpts{}),
			want: want{owner: 409, broker: 409, anon: toSignIn, rest: 403}},
		webRow{name: "close a closed network", method: "POST", path: "/natverk/{n}/stang", form: url.Values{"close_decided": {"1"}},
			setup: tw.FreshNet(tw.NetOpts{Closed: true}), want: closed},
	)

	// The broker's forms (CanUseBrokerView, CanFormNetwork).
	add(webRow{name: "broker proposes a network", method: "POST", path: "/maklare/natverk",
		form: url.Values{"group": {"1"}, "need": {"{need:public}", "{need:other}"}, "network_name": {"Mäklat {uniq}"}},
		want: want{broker: 303, anon: toSignIn, rest: 403}})
	// Reach: the inbox and the notification settings are each person's
	// own; an unsubscribe link needs no session, its signed token is the
	// consent, and a damaged one changes nothing.
	add(
		webRow{name: "inbox", method: "GET", path: "/inkorg", want: want{anon: toSignIn, rest: 200}},
		webRow{name: "inbox: all read", method: "POST", path: "/inkorg/last", want: want{anon: toSignIn, rest: 303}},
		webRow{name: "inbox: read, a bad id", method: "POST", path: "/inkorg/last", form: url.Values{"id": {"x"}}, want: want{anon: toSignIn, rest: 400}},
		webRow{name: "inbox: read without the token", method: "POST", path: "/inkorg/last", noCSRF: true, want: want{anon: toSignIn, rest: 403}},
		webRow{name: "notification settings", method: "GET", path: "/installningar/aviseringar", want: want{anon: toSignIn, rest: 200}},
		webRow{name: "notification settings save", method: "POST", path: "/installningar/aviseringar",
			form: url.Values{"need_match": {"weekly"}, "lang": {"en"}}, want: want{anon: toSignIn, rest: 303}},
		webRow{name: "notification settings, an unknown mode", method: "POST", path: "/installningar/aviseringar",
			form: url.Values{"need_match": {"hourly"}}, want: want{anon: toSignIn, rest: 400}},
		webRow{name: "profile", method: "GET", path: "/installningar/profil", want: want{anon: toSignIn, rest: 200}},
		webRow{name: "profile save, an old version", method: "POST", path: "/installningar/profil", form: url.Values{"name": {"Nytt namn"}, "version": {"7"}},
			want: want{anon: toSignIn, rest: 412}},
		webRow{name: "profile save, not an address", method: "POST", path: "/installningar/profil", form: url.Values{"name": {"Nytt namn"}, "email": {"inte en adress"}, "version": {"1"}},
			want: want{anon: toSignIn, rest: 400}},
		webRow{name: "password, the current one wrong", method: "POST", path: "/installningar/losenord",
			form: url.Values{"current_password": {"fel lösenord"}, "new_password": {"ett nytt långt lösenord"}, "new_password2": {"ett nytt långt lösenord"}},
			want: want{anon: toSignIn, rest: 400}},
		webRow{name: "password, the new ones differ", method: "POST", path: "/installningar/losenord",
			form: url.Values{"current_password": {"x"}, "new_password": {"ett nytt långt lösenord"}, "new_password2": {"ett annat"}},
			want: want{anon: toSignIn, rest: 400}},
		webRow{name: "unsubscribe page", method: "GET", path: "/avregistrera?t={tok}", setup: unsubscribeToken, want: all200},
		webRow{name: "unsubscribe page, a damaged token", method: "GET", path: "/avregistrera?t={tok}x", setup: unsubscribeToken, want: want{rest: 400}},
		webRow{name: "unsubscribe, one click", method: "POST", path: "/avregistrera?t={tok}", noCSRF: true, setup: unsubscribeToken,
			form: url.Values{"List-Unsubscribe": {"One-Click"}}, want: all200},
		webRow{name: "unsubscribe, a damaged token", method: "POST", path: "/avregistrera?t=x{tok}", noCSRF: true, setup: unsubscribeToken, want: want{rest: 400}},
	)
	// The calendar: a new secret address for anyone signed in; the feed
	// answers its address alone, to anyone who has it (no session), and
	// an unknown or damaged address is not found.
	add(
		webRow{name: "calendar address", method: "POST", path: "/installningar/kalender", want: want{anon: toSignIn, rest: 200}, see: []tw.Seen{{Text: "/kalender/", To: signedIn}}},
		webRow{name: "calendar feed", method: "GET", path: "/kalender/{cal}.ics", setup: calendarToken, want: all200, see: []tw.Seen{{Text: "BEGIN:VCALENDAR", To: everyone}}},
		webRow{name: "calendar feed, an unknown address", method: "GET", path: "/kalender/{cal}x.ics", setup: calendarToken, want: want{rest: 404}},
		webRow{name: "calendar feed, not .ics", method: "GET", path: "/kalender/{cal}", setup: calendarToken, want: want{rest: 404}},
	)
	// Invitations by e-mail and signing up through one: the form is for
	// those who run the network; the sign-up page answers its signed link
	// alone, to anyone; posting it signed in asks to join, signed out
	// needs the page's own token.
	newOrg := func(t *testing.T, w *tw.World, v tw.Vars) {
		tw.FreshNet(tw.NetOpts{})(t, w, v)
		v.Set("neworg", w.NewOrg(t))
	}
	add(
		webRow{name: "membership form", method: "GET", path: "/natverksmedlemmar/{n/A}/andra", setup: tw.FreshNet(tw.NetOpts{}),
			want: want{owner: 200, broker: 200, admin: 200, anon: toSignIn, rest: 403}},
		webRow{name: "membership form, a closed network", method: "GET", path: "/natverksmedlemmar/{n/A}/andra", setup: tw.FreshNet(tw.NetOpts{Closed: true}),
			want: want{anon: toSignIn, rest: 409}},
		webRow{name: "membership saved", method: "POST", path: "/natverksmedlemmar/{n/A}/andra", setup: tw.FreshNet(tw.NetOpts{}),
			form: url.Values{"version": {"1"}, "member_role": {"buyer"}, "member_tier": {"observer"}, "mandate": {"1"}},
			want: want{owner: 303, broker: 303, admin: 303, anon: toSignIn, rest: 403}},
		webRow{name: "membership saved, an old version", method: "POST", path: "/natverksmedlemmar/{n/A}/andra", setup: tw.FreshNet(tw.NetOpts{}),
			form: url.Values{"version": {"7"}, "member_role": {"buyer"}, "member_tier": {"observer"}},
			want: want{owner: 412, broker: 412, admin: 412, anon: toSignIn, rest: 403}},
		webRow{name: "invitation withdrawn", method: "POST", path: "/natverksmedlemmar/{n/I}/dra-tillbaka", setup: tw.FreshNet(tw.NetOpts{}),
			form: url.Values{"version": {"1"}}, want: want{owner: 303, broker: 303, admin: 403, member: 403, invited: 403, anon: toSignIn, rest: 404}},
		webRow{name: "an active member withdrawn", method: "POST", path: "/natverksmedlemmar/{n/A}/dra-tillbaka", setup: tw.FreshNet(tw.NetOpts{}),
			form: url.Values{"version": {"1"}}, want: want{owner: 409, broker: 409, anon: toSignIn, rest: 403}},
		// Starting, changing and deleting a network (CanCreateNetwork,
		// CanChangeNetwork, CanDeleteNetwork).
		webRow{name: "network form, new", method: "GET", path: "/natverk/nytt", want: want{anon: toSignIn, rest: 200}},
		webRow{name: "network form, a sub-group of S", method: "GET", path: "/natverk/nytt?overordnat={S}", want: want{owner: 200, broker: 200, anon: toSignIn, rest: 403}},
		webRow{name: "network form, a sub-group of a tactical network", method: "GET", path: "/natverk/nytt?overordnat={n}", setup: tw.FreshNet(tw.NetOpts{}),
			want: want{owner: 400, broker: 400, anon: toSignIn, rest: 403}},
		webRow{name: "network started", method: "POST", path: "/natverk", form: url.Values{"name": {"Nytt {uniq}"}, "kind": {"strategic"}},
			want: want{anon: toSignIn, rest: 303}},
		webRow{name: "network started, no name", method: "POST", path: "/natverk", form: url.Values{"kind": {"tactical"}},
			want: want{anon: toSignIn, rest: 400}},
		webRow{name: "network started by O, which joins", method: "POST", path: "/natverk", form: url.Values{"name": {"Nytt {uniq}"}, "kind": {"tactical"}, "owner_org_id": {"{O}"}, "join": {"1"}},
			want: want{owner: 303, anon: toSignIn, rest: 400}},
		webRow{name: "sub-group started under S", method: "POST", path: "/natverk", form: url.Values{"name": {"Undergrupp {uniq}"}, "overordnat": {"{S}"}},
			want: want{owner: 303, broker: 303, anon: toSignIn, rest: 403}},
		webRow{name: "network edit form", method: "GET", path: "/natverk/{n}/andra", setup: tw.FreshNet(tw.NetOpts{}),
			want: want{owner: 200, broker: 200, anon: toSignIn, rest: 403}},
		webRow{name: "network edit form, closed", method: "GET", path: "/natverk/{n}/andra", setup: tw.FreshNet(tw.NetOpts{Closed: true}),
			want: want{anon: toSignIn, rest: 409}},
		webRow{name: "network saved", method: "POST", path: "/natverk/{n}", setup: tw.FreshNet(tw.NetOpts{}),
			form: url.Values{"version": {"1"}, "name": {"Ändrat {uniq}"}, "owner_org_id": {"{O}"}, "open": {"1"}}, want: want{owner: 303, broker: 303, anon: toSignIn, rest: 403}},
		webRow{name: "network saved, an old version", method: "POST", path: "/natverk/{n}", setup: tw.FreshNet(tw.NetOpts{}),
			form: url.Values{"version": {"7"}, "name": {"Ändrat {uniq}"}, "owner_org_id": {"{O}"}}, want: want{owner: 412, broker: 412, anon: toSignIn, rest: 403}},
		webRow{name: "network saved, an owner outside it", method: "POST", path: "/natverk/{n}", setup: tw.FreshNet(tw.NetOpts{}),
			form: url.Values{"version": {"1"}, "name": {"Ändrat {uniq}"}, "owner_org_id": {"{X}"}}, want: want{owner: 400, broker: 303, anon: toSignIn, rest: 403}},
		webRow{name: "network deleted", method: "POST", path: "/natverk/{n}/ta-bort", setup: tw.FreshNet(tw.NetOpts{}),
			form: url.Values{"version": {"1"}}, want: want{owner: 303, broker: 303, anon: toSignIn, rest: 403}},
		webRow{name: "network deleted, closed", method: "POST", path: "/natverk/{n}/ta-bort", setup: tw.FreshNet(tw.NetOpts{Closed: true}),
			form: url.Values{"version": {"2"}}, want: want{anon: toSignIn, rest: 409}},
		// Asking to join an open network (arena.CanAskToJoin) and the
		// decision of those who run it (arena.NetworkMember.Decide).
		webRow{name: "ask to join an open network", method: "POST", path: "/natverk/{n}/ansok", setup: tw.FreshNet(tw.NetOpts{}),
			form: url.Values{"ask_org": {"{X}"}}, want: want{other: 303, anon: toSignIn, rest: 403}},
		webRow{name: "ask to join for a member", method: "POST", path: "/natverk/{n}/ansok", setup: tw.FreshNet(tw.NetOpts{}),
			form: url.Values{"ask_org": {"{A}"}}, want: want{admin: 400, anon: toSignIn, rest: 403}},
		webRow{name: "ask to join a network that is not open", method: "POST", path: "/natverk/{n}/ansok", setup: tw.FreshNet(tw.NetOpts{Shut: true}),
			form: url.Values{"ask_org": {"{X}"}}, want: want{anon: toSignIn, rest: 409}},
		webRow{name: "ask to join a closed network", method: "POST", path: "/natverk/{n}/ansok", setup: tw.FreshNet(tw.NetOpts{Closed: true}),
			form: url.Values{"ask_org": {"{X}"}}, want: want{anon: toSignIn, rest: 409}},
		webRow{name: "approve a request to join", method: "POST", path: "/natverksmedlemmar/{n/R}/approve", setup: tw.FreshNet(tw.NetOpts{Requested: true}),
			want: want{owner: 303, broker: 303, admin: 403, member: 403, invited: 403, other: 403, anon: toSignIn, rest: 404}},
		webRow{name: "reject a request to join", method: "POST", path: "/natverksmedlemmar/{n/R}/reject", setup: tw.FreshNet(tw.NetOpts{Requested: true}),
			want: want{owner: 303, broker: 303, admin: 403, member: 403, invited: 403, other: 403, anon: toSignIn, rest: 404}},
		webRow{name: "approve an invitation", method: "POST", path: "/natverksmedlemmar/{n/I}/approve", setup: tw.FreshNet(tw.NetOpts{}),
			want: want{owner: 409, broker: 409, admin: 403, member: 403, invited: 403, anon: toSignIn, rest: 404}},
		webRow{name: "request to join withdrawn", method: "POST", path: "/natverksmedlemmar/{n/R}/dra-tillbaka", setup: tw.FreshNet(tw.NetOpts{Requested: true}),
			form: url.Values{"version": {"1"}}, want: want{other: 303, owner: 409, broker: 409, admin: 403, member: 403, invited: 403, anon: toSignIn, rest: 404}},
		webRow{name: "invite an organisation", method: "POST", path: "/natverk/{n}/medlemmar", setup: newOrg,
			form: url.Values{"org_id": {"{neworg}"}, "member_role": {"buyer"}, "member_tier": {"observer"}},
			want: want{owner: 303, broker: 303, anon: toSignIn, rest: 403}},
		webRow{name: "invite an organisation by an unknown name", method: "POST", path: "/natverk/{n}/medlemmar", setup: newOrg,
			form: url.Values{"invite_org": {"Finns inte {uniq}"}}, want: want{owner: 400, broker: 400, anon: toSignIn, rest: 403}},
		webRow{name: "invite a member again", method: "POST", path: "/natverk/{n}/medlemmar", setup: newOrg,
			form: url.Values{"org_id": {"{A}"}}, want: want{owner: 400, broker: 400, anon: toSignIn, rest: 403}},
		webRow{name: "invite an organisation to a closed network", method: "POST", path: "/natverk/{n}/medlemmar",
			setup: tw.FreshNet(tw.NetOpts{Closed: true}), form: url.Values{"invite_org": {"Kommun A"}}, want: want{anon: toSignIn, rest: 409}},
		webRow{name: "invite by e-mail", method: "POST", path: "/natverk/{n}/e-postinbjudan", setup: tw.FreshNetWithNewcomer(tw.NetOpts{}),
			form: url.Values{"invite_member": {"{n/U}"}, "invite_email": {"ny{uniq}@vatten.test"}, "invite_lang": {"sv"}},
			want: want{owner: 303, broker: 303, admin: 403, member: 403, invited: 403, anon: toSignIn, rest: 400}},
		webRow{name: "invite by e-mail an organisation with an admin", method: "POST", path: "/natverk/{n}/e-postinbjudan", setup: tw.FreshNetWithNewcomer(tw.NetOpts{}),
			form: url.Values{"invite_member": {"{n/I}"}, "invite_email": {"ny{uniq}@vatten.test"}},
			want: want{owner: 409, broker: 409, admin: 403, member: 403, invited: 403, anon: toSignIn, rest: 400}},
		webRow{name: "sign-up page", method: "GET", path: "/inbjudan?t={tok}", setup: tw.FreshEmailInvite, want: all200},
		webRow{name: "sign-up page, a damaged link", method: "GET", path: "/inbjudan?t={tok}x", setup: tw.FreshEmailInvite, want: want{rest: 400}},
		webRow{name: "sign-up, signed in: ask to join", method: "POST", path: "/inbjudan?t={tok}", setup: tw.FreshEmailInvite, want: want{anon: 403, rest: 303}},
		webRow{name: "sign-up, a damaged link", method: "POST", path: "/inbjudan?t=x{tok}", setup: tw.FreshEmailInvite, want: want{rest: 400}},
	)
	// Watches (bevakningar): each person's own, as in the API; another's
	// is not found.
	// The registers' forms: brokers and funder officers keep calls,
	// funders, projects and experts (arena.CanKeepRegister); brokers
	// register organisations, whose admins change them
	// (arena.CanRegisterOrganization, arena.CanChangeOrganization).
	keepers := want{broker: 303, funder: 303, anon: toSignIn, rest: 403}
	for _, reg := range []struct {
		base   string
		fresh  func(w *tw.World, t *testing.T) int64
		valid  url.Values
		bad    url.Values // a required field missing, or a value the rule refuses
		keep   want       // who writes
		edit   string     // the record whose form is opened
		editBy want       // who may open its form
	}{
		{"/utlysningar", func(w *tw.World, t *testing.T) int64 { return w.NewCall(t) },
			url.Values{"funder_id": {"{funder}"}, "title": {"Utlysning {uniq}"}, "eligible_org_kinds": {"kommun", "region"}, "themes": {"vård\nomsorg"},
				"closes_date": {"2027-05-01"}, "min_amount_sek": {"100 000"}, "co_funding_rate": {"50"}},
			url.Values{"title": {"Utlysning {uniq}"}, "closes_date": {"1 maj"}}, keepers, "{call}", want{broker: 200, funder: 200, anon: toSignIn, rest: 403}},
		{"/finansiarer", func(w *tw.World, t *testing.T) int64 { return w.NewFunder(t) },
			url.Values{"name": {"Finansiär {uniq}"}, "kind": {"agency"}}, url.Values{"name": {"Finansiär {uniq}"}, "kind": {"bank"}},
			keepers, "{funder}", want{broker: 200, funder: 200, anon: toSignIn, rest: 403}},
		{"/projekt", func(w *tw.World, t *testing.T) int64 { return w.NewProject(t) },
			url.Values{"title": {"Projekt {uniq}"}, "category": {"innovation_procurement"}, "start_year": {"2025"}, "participants": {"Falu kommun\nMölndals stad"}},
			url.Values{"title": {"Projekt {uniq}"}, "category": {"innovation_procurement"}, "start_year": {"tjugo"}}, keepers, "{project}", want{broker: 200, funder: 200, anon: toSignIn, rest: 403}},
		{"/experter", func(w *tw.World, t *testing.T) int64 { return w.NewExpert(t) },
			url.Values{"name": {"Expert {uniq}"}, "kind": {"person"}, "website": {"https://example.se/"}}, url.Values{"name": {"Expert {uniq}"}, "kind": {"person"}, "website": {"javascript:alert(1)"}},
			keepers, "{expert}", want{broker: 200, funder: 200, anon: toSignIn, rest: 403}},
		{"/organisationer", func(w *tw.World, t *testing.T) int64 { return w.NewOrg(t) },
			url.Values{"name": {"Kommun {uniq}"}, "kind": {"kommun"}}, url.Values{"name": {"Kommun {uniq}"}, "kind": {"kommun"}, "org_number": {"212000-0143"}},
			want{broker: 303, anon: toSignIn, rest: 403}, "{A}", want{admin: 200, broker: 200, anon: toSignIn, rest: 403}},
	} {
		fresh := func(t *testing.T, w *tw.World, v tw.Vars) { v.Set("rec", reg.fresh(w, t)) }
		saved := url.Values{"version": {"1"}}
		for k, vs := range reg.valid {
			saved[k] = vs
		}
		old := url.Values{"version": {"7"}}
		for k, vs := range reg.valid {
			old[k] = vs
		}
		add(
			webRow{name: reg.base + " form, new", method: "GET", path: reg.base + "/ny", want: want{broker: 200, funder: reg.keep[funder] / 303 * 200, anon: toSignIn, rest: 403}},
			webRow{name: reg.base + " created", method: "POST", path: reg.base, form: reg.valid, want: reg.keep},
			webRow{name: reg.base + " created, a bad value", method: "POST", path: reg.base, form: reg.bad,
				want: want{broker: 400, funder: reg.keep[funder] / 303 * 400, anon: toSignIn, rest: 403}},
			webRow{name: reg.base + " edit form", method: "GET", path: reg.base + "/" + reg.edit + "/andra", want: reg.editBy},
			webRow{name: reg.base + " saved", method: "POST", path: reg.base + "/{rec}/andra", form: saved, setup: fresh, want: reg.keep},
			webRow{name: reg.base + " saved, an old version", method: "POST", path: reg.base + "/{rec}/andra", form: old, setup: fresh,
				want: want{broker: 412, funder: reg.keep[funder] / 303 * 412, anon: toSignIn, rest: 403}},
			webRow{name: reg.base + " deleted", method: "POST", path: reg.base + "/{rec}/ta-bort", form: url.Values{"version": {"1"}}, setup: fresh, want: reg.keep},
		)
	}
	// A network's parts changed and deleted on their own forms, by the
	// store's rules (CanWorkInNetwork; CanRecordProcurement): an inside
	// part is not found by those who may not see it.
	inPart := func(kind string) func(t *testing.T, w *tw.World, v tw.Vars) {
		return func(t *testing.T, w *tw.World, v tw.Vars) {
			n := w.NewNetwork(t, tw.NetOpts{})
			var id int64
			switch kind {
			case "activity":
				id = w.NewActivity(t, n.ID, "Aktivitet")
			case "deliverable":
				id = w.NewDeliverable(t, n.ID, "Leverans")
			case "funding":
				id = w.NewFundingPeriod(t, n.ID, "Not")
			}
			v.Set("part", id)
		}
	}
	inside := want{owner: 303, admin: 303, member: 303, broker: 303, invited: 403, anon: toSignIn, rest: 404}
	for _, part := range []struct {
		base, world, kind string
		form              url.Values
		open              want
		write             want
	}{
		{"/aktiviteter", "{activity}", "activity", url.Values{"kind": {"marknadsdialog"}, "title": {"Dialog {uniq}"}, "status": {"ongoing"}, "start_date": {"2026-04-01"}},
			want{owner: 200, admin: 200, member: 200, broker: 200, invited: 403, anon: toSignIn, rest: 404}, inside},
		{"/leveranser", "{deliverable}", "deliverable", url.Values{"kind": {"guidance"}, "title": {"Vägledning {uniq}"}, "url": {"https://example.se/v.pdf"}},
			want{owner: 200, admin: 200, member: 200, broker: 200, anon: toSignIn, rest: 403}, want{owner: 303, admin: 303, member: 303, broker: 303, anon: toSignIn, rest: 403}},
		{"/finansieringsperioder", "{funding}", "funding", url.Values{"funder_id": {"{funder}"}, "start_date": {"2026-01-01"}, "amount_sek": {"500 000"}},
			want{owner: 200, admin: 200, member: 200, broker: 200, invited: 403, anon: toSignIn, rest: 404}, inside},
	} {
		saved := url.Values{"version": {"1"}}
		for k, vs := range part.form {
			saved[k] = vs
		}
		add(
			webRow{name: part.base + " edit form", method: "GET", path: part.base + "/" + part.world + "/andra", want: part.open},
			webRow{name: part.base + " saved", method: "POST", path: part.base + "/{part}/andra", form: saved, setup: inPart(part.kind), want: part.write},
			webRow{name: part.base + " deleted", method: "POST", path: part.base + "/{part}/ta-bort", form: url.Values{"version": {"1"}}, setup: inPart(part.kind), want: part.write},
		)
	}
	procWrite := want{admin: 303, member: 303, broker: 303, owner: 403, invited: 403, anon: toSignIn, rest: 404}
	add(
		webRow{name: "procurement edit form", method: "GET", path: "/medlemsupphandlingar/{procurement}/andra",
			want: want{admin: 200, member: 200, broker: 200, owner: 403, invited: 403, anon: toSignIn, rest: 404}},
		webRow{name: "procurement saved", method: "POST", path: "/medlemsupphandlingar/{n/proc}/andra", setup: tw.FreshNet(tw.NetOpts{Procurement: arena.StagePlanned}),
			form: url.Values{"version": {"1"}, "kind": {"own_procurement"}, "title": {"Ny titel {uniq}"}, "planned_date": {"2026-05-01"}}, want: procWrite},
		webRow{name: "procurement saved, a date in words", method: "POST", path: "/medlemsupphandlingar/{n/proc}/andra", setup: tw.FreshNet(tw.NetOpts{Procurement: arena.StagePlanned}),
			form: url.Values{"version": {"1"}, "kind": {"own_procurement"}, "planned_date": {"i maj"}},
			want: want{admin: 400, member: 400, broker: 400, owner: 403, invited: 403, anon: toSignIn, rest: 404}},
		webRow{name: "procurement deleted", method: "POST", path: "/medlemsupphandlingar/{n/proc}/ta-bort", setup: tw.FreshNet(tw.NetOpts{Procurement: arena.StagePlanned}),
			form: url.Values{"version": {"1"}}, want: procWrite},
	)
	// Inviting a colleague by e-mail (arena.CanInviteColleague): the
	// organisation's admins and brokers; an address of one of its people
	// is refused.
	add(
		webRow{name: "colleague invited", method: "POST", path: "/organisationer/{A}/kollegor",
			form: url.Values{"colleague_email": {"ny{uniq}@a.test"}, "colleague_role": {"member"}, "colleague_lang": {"sv"}},
			want: want{admin: 303, broker: 303, anon: toSignIn, rest: 403}},
		webRow{name: "colleague invited, one of its people", method: "POST", path: "/organisationer/{A}/kollegor",
			form: url.Values{"colleague_email": {"member@a.test"}, "colleague_role": {"member"}},
			want: want{admin: 409, broker: 409, anon: toSignIn, rest: 403}},
		webRow{name: "colleague invited, not an address", method: "POST", path: "/organisationer/{A}/kollegor",
			form: url.Values{"colleague_email": {"inte en adress"}, "colleague_role": {"member"}},
			want: want{admin: 400, broker: 400, anon: toSignIn, rest: 400}},
	)
	// Imports of needs: an organisation's admins only (arena.CanImportNeeds).
	importers := want{admin: 200, anon: toSignIn, rest: 403}
	add(
		webRow{name: "import page", method: "GET", path: "/organisationer/{A}/import", want: importers},
		// The right first: others are refused before the body is read.
		webRow{name: "import upload, not a multipart form", method: "POST", path: "/organisationer/{A}/import", want: want{admin: 400, anon: toSignIn, rest: 403}},
		webRow{name: "imported needs published", method: "POST", path: "/organisationer/{A}/import/publicera", want: importers},
		webRow{name: "import job", method: "GET", path: "/importer/{job}", setup: freshImportJobOfA, want: importers},
		webRow{name: "import job checked", method: "POST", path: "/importer/{job}", setup: freshImportJobOfA,
			form: url.Values{"action": {"check"}, "col-0": {"title"}, "col-1": {"description"}}, want: want{admin: 303, anon: toSignIn, rest: 403}},
		webRow{name: "import job, no title column", method: "POST", path: "/importer/{job}", setup: freshImportJobOfA,
			form: url.Values{"action": {"import"}, "col-0": {""}, "col-1": {"description"}}, want: want{admin: 400, anon: toSignIn, rest: 403}},
	)
	// The deliverables library: deliverables are public; the needs they
	// were made for only as the viewer may see them (CanSeeNeed, which
	// earlier rows' fresh networks change: TestLibraryWithoutJavaScript).
	add(
		webRow{name: "library", method: "GET", path: "/leveranser", want: all200,
			see: []tw.Seen{{Text: tw.DeliverableTitle, To: everyone}}},
		webRow{name: "library, a CPV filter", method: "GET", path: "/leveranser?cpv=3512&slag=guidance&q=a", want: all200},
		webRow{name: "library, not a CPV prefix", method: "GET", path: "/leveranser?cpv=abc", want: want{rest: 400}},
		webRow{name: "a deliverable", method: "GET", path: "/leveranser/{deliverable}", want: all200,
			see: []tw.Seen{{Text: tw.DeliverableTitle, To: everyone}}},
		webRow{name: "a deliverable that does not exist", method: "GET", path: "/leveranser/99999999", want: want{rest: 404}},
	)
	// A deliverable's files (the upload itself, a multipart form, in
	// TestDeliverableFilesWithoutJavaScript).
	add(
		webRow{name: "file upload, not a multipart form", method: "POST", path: "/leveranser/{d}/filer", setup: tw.FreshFile, want: want{anon: toSignIn, rest: 400}},
		webRow{name: "file download", method: "GET", path: "/leveranser/{d}/filer/{file}", setup: tw.FreshFile, want: all200},
		webRow{name: "file removed", method: "POST", path: "/leveranser/{d}/filer/{file}/ta-bort", setup: tw.FreshFile,
			want: want{owner: 303, admin: 303, member: 303, broker: 303, anon: toSignIn, rest: 403}},
	)
	// A broker's page of people; removing an account (CanChangeUser),
	// never the last admin of an organisation (KeepsAnAdmin).
	add(
		webRow{name: "people", method: "GET", path: "/maklare/personer?q=ny", want: want{broker: 200, anon: toSignIn, rest: 403}},
		webRow{name: "person removed", method: "POST", path: "/personer/{u}/ta-bort", form: url.Values{"version": {"1"}},
			setup: func(t *testing.T, w *tw.World, v tw.Vars) { v.Set("u", w.NewUser(t)) }, want: want{broker: 303, anon: toSignIn, rest: 404}},
		webRow{name: "person removed, the last admin of an organisation", method: "POST", path: "/personer/{u}/ta-bort", form: url.Values{"version": {"1"}},
			setup: func(t *testing.T, w *tw.World, v tw.Vars) {
				u := w.NewUser(t)
				v.Set("u", u)
				w.NewOrgMembership(t, u, w.NewOrg(t), arena.OrgRoleAdmin, arena.OrgMemberActive)
			}, want: want{broker: 409, anon: toSignIn, rest: 404}},
	)
	freshWatch := func(t *testing.T, w *tw.World, v tw.Vars) { v.Set("wt", w.NewWatch(t, member)) }
	add(
		webRow{name: "watches", method: "GET", path: "/bevakningar", want: want{anon: toSignIn, rest: 200}, see: []tw.Seen{{Text: tw.WatchName, To: []string{member}}}},
		webRow{name: "watch form, new", method: "GET", path: "/bevakningar/ny?mal=calls", want: want{anon: toSignIn, rest: 200}},
		webRow{name: "watch form", method: "GET", path: "/bevakningar/{watch}", want: want{member: 200, anon: toSignIn, rest: 404}},
		webRow{name: "watch create", method: "POST", path: "/bevakningar", form: url.Values{"target": {"needs"}, "name": {"Byggen {uniq}"}, "cpv": {"45000000"}},
			want: want{anon: toSignIn, rest: 303}},
		webRow{name: "watch create, a CPV code of the wrong form", method: "POST", path: "/bevakningar", form: url.Values{"target": {"needs"}, "name": {"B {uniq}"}, "cpv": {"4500"}},
			want: want{anon: toSignIn, rest: 400}},
		webRow{name: "watch create, an unknown register", method: "POST", path: "/bevakningar", form: url.Values{"target": {"experts"}, "name": {"B {uniq}"}},
			want: want{anon: toSignIn, rest: 400}},
		webRow{name: "watch save", method: "POST", path: "/bevakningar/{wt}", form: url.Values{"name": {"Ändrad {uniq}"}, "version": {"1"}, "q": {"vatten"}}, setup: freshWatch,
			want: want{member: 303, anon: toSignIn, rest: 404}},
		webRow{name: "watch save, an old version", method: "POST", path: "/bevakningar/{wt}", form: url.Values{"name": {"Ändrad {uniq}"}, "version": {"7"}}, setup: freshWatch,
			want: want{member: 412, anon: toSignIn, rest: 404}},
		webRow{name: "watch pause", method: "POST", path: "/bevakningar/{wt}/paus", form: url.Values{"paused": {"1"}, "version": {"1"}}, setup: freshWatch,
			want: want{member: 303, anon: toSignIn, rest: 404}},
		webRow{name: "watch delete", method: "POST", path: "/bevakningar/{wt}/ta-bort", form: url.Values{"version": {"1"}}, setup: freshWatch,
			want: want{member: 303, anon: toSignIn, rest: 404}},
	)
	add(dialogueRows()...)
	return rows
}

// freshMemberOfA is a fresh person's active membership of A ({om}).
func freshMemberOfA(t *testing.T, w *tw.World, v tw.Vars) {
	v.Set("om", w.NewOrgMembership(t, w.NewUser(t), w.ID(t, "A"), arena.OrgRoleMember, arena.OrgMemberActive))
}

// freshLoneAdmin is the only admin ({om}) of a fresh organisation.
func freshLoneAdmin(t *testing.T, w *tw.World, v tw.Vars) {
	v.Set("om", w.NewOrgMembership(t, w.NewUser(t), w.NewOrg(t), arena.OrgRoleAdmin, arena.OrgMemberActive))
}

// freshRequestOfA is a fresh person's request to join A ({om}), with the
// person's e-mail address as {requester}.
func freshRequestOfA(t *testing.T, w *tw.World, v tw.Vars) {
	u := w.NewUser(t)
	v.Set("om", w.NewOrgMembership(t, u, w.ID(t, "A"), arena.OrgRoleMember, arena.OrgMemberRequested))
	usr, err := w.DB.Users.GetUnchecked(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	v["requester"] = usr.Email
}

// freshImportJobOfA is a fresh import job {job} of A.
func freshImportJobOfA(t *testing.T, w *tw.World, v tw.Vars) {
	v.Set("job", w.NewImportJob(t, w.ID(t, "A")))
}

// freshDomainOfA registers a fresh e-mail domain {d} of A.
func freshDomainOfA(t *testing.T, w *tw.World, v tw.Vars) {
	v.Set("d", w.NewOrgDomain(t, w.ID(t, "A")))
}
