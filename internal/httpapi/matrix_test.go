package httpapi_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/httpapi"
	"github.com/arena-se/arena/internal/ocds"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
	tw "github.com/arena-se/arena/internal/testworld"
)

// The permission matrix of the API: every route × the eight actors of the
// fixture world (internal/testworld) × the record states that matter, with
// the status the domain's rules (the root package's Can… functions and
// their doc comments) give, mapped by httpapi.StatusOf. A refused request
// must change nothing: the change log's last id is the same before and
// after. Personal data is checked by the texts a response must or must not
// show.
//
// Where the rules leave an order open, the resource's own order decides:
// a record is read (visibility: 404) before it is written, so an anonymous
// PATCH of a record nobody anonymous may see is 404 and of a public one
// 401; a DELETE, a POST and an action that names its own checks ask for a
// signed-in person first (401).

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
	others  = "*" // in an expectation: every one of the eight not named
)

// Groups of actors, for what a response shows.
var (
	insidersN = []string{owner, admin, member, invited, broker} // arena.Standing.Insider of N
	peopleOfA = []string{admin, member}
	signedIn  = []string{other, member, admin, owner, invited, broker, funder, decl}
	nobody    = []string{}
)

// expect is the status by actor; others ("*") stands for the eight not
// named. The extra actors decl and sup are run only where named. 0 means:
// not run.
type expect map[string]int

// extras are the actors run only where a row names them.
var extras = []string{decl, sup}

// apiRow is one request, run once per actor.
type apiRow struct {
	name      string
	method    string
	path      string
	body      string
	noIfMatch bool // a PATCH or DELETE without If-Match; by default it carries the record's version
	setup     func(t *testing.T, w *tw.World, v tw.Vars)
	want      expect
	see       []tw.Seen
}

// apiMatrix is the API on a fixture world.
type apiMatrix struct {
	w        *tw.World
	db       *store.DB
	api      *httpapi.Server
	srv      *httptest.Server
	versions map[string]func(id int64) int64 // by the path's resource
}

func newAPIMatrix(t *testing.T, db *store.DB) *apiMatrix {
	t.Helper()
	tw.LoadReference(t, db)
	a := tw.NewApp(t, db, nil)
	w := tw.Build(t, a)
	api := httpapi.NewServer(a)
	m := &apiMatrix{w: w, db: db, api: api, srv: httptest.NewServer(api.Handler())}
	t.Cleanup(m.srv.Close)
	m.versions = map[string]func(int64) int64{
		"organizations":       func(id int64) int64 { return tw.Version(db.Organizations, id) },
		"users":               func(id int64) int64 { return tw.Version(db.Users, id) },
		"org-memberships":     func(id int64) int64 { return tw.Version(db.OrgMemberships, id) },
		"org-domains":         func(id int64) int64 { return tw.Version(db.OrgDomains, id) },
		"needs":               func(id int64) int64 { return tw.Version(db.Needs, id) },
		"networks":            func(id int64) int64 { return tw.Version(db.Networks, id) },
		"network-members":     func(id int64) int64 { return tw.Version(db.NetworkMembers, id) },
		"network-plans":       func(id int64) int64 { return tw.Version(db.NetworkPlans, id) },
		"activities":          func(id int64) int64 { return tw.Version(db.Activities, id) },
		"deliverables":        func(id int64) int64 { return tw.Version(db.Deliverables, id) },
		"member-procurements": func(id int64) int64 { return tw.Version(db.MemberProcurements, id) },
		"funding-periods":     func(id int64) int64 { return tw.Version(db.FundingPeriods, id) },
		"funders":             func(id int64) int64 { return tw.Version(db.Funders, id) },
		"calls":               func(id int64) int64 { return tw.Version(db.Calls, id) },
		"projects":            func(id int64) int64 { return tw.Version(db.Projects, id) },
		"experts":             func(id int64) int64 { return tw.Version(db.Experts, id) },
		"watches":             func(id int64) int64 { return tw.Version(db.Watches, id) },
	}
	return m
}

// ifMatch is the version of the record a PATCH or DELETE path names, as
// the caller would have read it (1 for a record that does not exist).
func (m *apiMatrix) ifMatch(path string) string {
	parts := strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/")
	v := int64(0)
	if len(parts) >= 2 {
		if f := m.versions[parts[0]]; f != nil {
			if id, err := strconv.ParseInt(parts[1], 10, 64); err == nil {
				v = f(id)
			}
		}
	}
	return `"` + strconv.FormatInt(max(v, 1), 10) + `"`
}

// actorsOf lists the actors a row runs for.
func actorsOf(want expect) []string {
	out := append([]string{}, tw.Actors...)
	for _, x := range extras {
		if _, ok := want[x]; ok {
			out = append(out, x)
		}
	}
	return out
}

func (e expect) of(actor string) (int, bool) {
	if s, ok := e[actor]; ok {
		return s, true
	}
	if slices.Contains(extras, actor) {
		return 0, false
	}
	s, ok := e[others]
	return s, ok
}

// actorVars are the actor's own placeholders.
func (m *apiMatrix) actorVars(t *testing.T, actor string, v tw.Vars) {
	who := actor
	if actor == anon {
		who = member // an anonymous request that names a person or organisation names A's
		v["me.email"] = "nobody@nowhere.test"
	} else {
		v["me.email"] = m.w.Emails[actor]
	}
	v.Set("me.user", m.w.ID(t, "user:"+who))
	v.Set("me.org", m.w.ID(t, tw.OrgOf(who)))
}

func TestPermissionMatrixAPI(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		start := time.Now()
		m := newAPIMatrix(t, db)
		built := time.Since(start)
		routes := m.api.Routes()
		mux := http.NewServeMux()
		for _, r := range routes {
			mux.HandleFunc(r, func(http.ResponseWriter, *http.Request) {})
		}
		covered := map[string]bool{}
		cases := 0
		for _, row := range apiRows() {
			// The route a row takes, with any id for what its setup makes.
			path := tw.Vars(m.w.Vars()).Route(row.path)
			req, _ := http.NewRequest(row.method, path, nil)
			if _, p := mux.Handler(req); p != "" {
				covered[p] = true
			} else {
				t.Errorf("row %q (%s %s) is on no route", row.name, row.method, row.path)
			}
			for _, actor := range actorsOf(row.want) {
				want, ok := row.want.of(actor)
				if !ok {
					t.Fatalf("row %q has no expectation for %s", row.name, actor)
				}
				if want == 0 {
					continue
				}
				cases++
				t.Run(row.name+"/"+actor, func(t *testing.T) { m.run(t, row, actor, want) })
			}
		}
		for _, r := range routes {
			if !covered[r] {
				t.Errorf("route %s has no row in the matrix", r)
			}
		}
		t.Logf("%d cases on %s in %v (world built in %v)", cases, db.Dialect, time.Since(start).Round(time.Millisecond), built.Round(time.Millisecond))
	})
}

// run makes one request of a row as the actor and checks it.
func (m *apiMatrix) run(t *testing.T, row apiRow, actor string, want int) {
	ctx := context.Background()
	v := tw.Vars(m.w.Vars())
	v["uniq"] = strconv.Itoa(m.w.Uniq())
	m.actorVars(t, actor, v)
	if row.setup != nil {
		row.setup(t, m.w, v)
	}
	path, body := v.Expand(row.path), v.Expand(row.body)
	if p := tw.Unknown(path + body); p != "" {
		t.Fatalf("row %q: no value for %s", row.name, p)
	}
	var rd io.Reader
	if row.body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(row.method, m.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if row.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok := m.w.Tokens[actor]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if (row.method == "PATCH" || row.method == "DELETE") && !row.noIfMatch {
		req.Header.Set("If-Match", m.ifMatch(strings.SplitN(path, "?", 2)[0]))
	}
	before, err := m.db.LastChange(ctx)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != want {
		t.Errorf("%s %s as %s: status %d, want %d: %.300s", row.method, path, actor, res.StatusCode, want, b)
	}
	if res.StatusCode >= 400 || want >= 400 || row.method == "GET" {
		after, err := m.db.LastChange(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if after != before {
			t.Errorf("%s %s as %s (status %d) changed the data: last change %d -> %d", row.method, path, actor, res.StatusCode, before, after)
		}
	}
	if res.StatusCode == http.StatusOK && strings.HasPrefix(path, "/api/v1/ocds/") {
		// Every OCDS package, as each actor sees it, is OCDS 1.1.5.
		validateOCDS(t, path, b)
	}
	if res.StatusCode >= 400 {
		if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("error answered as %q", ct)
		}
		return
	}
	for _, text := range tw.NeverShown(actor) {
		if bytes.Contains(b, []byte(text)) {
			t.Errorf("%s %s as %s shows %q, personal data not for %s", row.method, path, actor, text, actor)
		}
	}
	for _, s := range row.see {
		text := v.Expand(s.Text)
		has := bytes.Contains(b, []byte(text))
		switch {
		case slices.Contains(s.To, actor) && !has && !s.Maybe:
			t.Errorf("%s %s as %s does not show %q: %.400s", row.method, path, actor, text, b)
		case !slices.Contains(s.To, actor) && has:
			t.Errorf("%s %s as %s shows %q, which is not for %s", row.method, path, actor, text, actor)
		}
	}
}

// Setups: fresh records for a case that changes them.

func freshOrg(t *testing.T, w *tw.World, v tw.Vars)  { v.Set("f", w.NewOrg(t)) }
func freshUser(t *testing.T, w *tw.World, v tw.Vars) { v.Set("u", w.NewUser(t)) }

// freshLastAdmin is a fresh person {u}, the only admin of a fresh
// organisation.
func freshLastAdmin(t *testing.T, w *tw.World, v tw.Vars) {
	u := w.NewUser(t)
	v.Set("u", u)
	w.NewOrgMembership(t, u, w.NewOrg(t), arena.OrgRoleAdmin, arena.OrgMemberActive)
}

// freshMembershipOfA is a fresh person's membership of A with the status.
func freshMembershipOfA(status arena.OrgMemberStatus) tw.Setup {
	return func(t *testing.T, w *tw.World, v tw.Vars) {
		u := w.NewUser(t)
		v.Set("u", u)
		v.Set("om", w.NewOrgMembership(t, u, w.ID(t, "A"), arena.OrgRoleMember, status))
	}
}

// freshDomainOfA registers a fresh e-mail domain {d} of A.
func freshDomainOfA(t *testing.T, w *tw.World, v tw.Vars) {
	v.Set("d", w.NewOrgDomain(t, w.ID(t, "A")))
}

// inPart makes a part of the fresh network {n}.
func inPart(kind string) tw.Setup {
	return func(t *testing.T, w *tw.World, v tw.Vars) {
		n, _ := strconv.ParseInt(v["n"], 10, 64)
		var id int64
		switch kind {
		case "plan":
			id = w.NewPlan(t, n, "Mål")
		case "activity":
			id = w.NewActivity(t, n, "Aktivitet")
		case "deliverable":
			id = w.NewDeliverable(t, n, "Leverans")
		case "funding":
			id = w.NewFundingPeriod(t, n, "Not")
		}
		v.Set("part", id)
	}
}

// needRows are the rows of one of A's needs, by its visibility: who sees
// it (arena.CanSeeNeed: its organisation, network partners for a network
// need, everyone for a public one) and who changes it (CanChangeNeed: its
// organisation's people).
func needRows() []apiRow {
	var rows []apiRow
	for _, c := range []struct {
		vis arena.Visibility
		see []string // besides A's people
	}{
		{arena.VisibilityDraft, nil},
		{arena.VisibilityOrganisation, nil},
		{arena.VisibilityNetwork, []string{owner}}, // O shares N with A; I is only invited; brokers see no more
		{arena.VisibilityPublic, []string{anon, other, owner, invited, broker, funder, sup}},
	} {
		// The supplier (a företag) is run on every row: it sees only the
		// public need.
		vis := string(c.vis)
		get, matches, patch, del := expect{admin: 200, member: 200, sup: 404, others: 404}, expect{admin: 200, member: 200, sup: 404, others: 404},
			expect{admin: 200, member: 200, sup: 404, others: 404}, expect{admin: 204, member: 204, sup: 404, others: 404, anon: 401}
		for _, a := range c.see {
			get[a], matches[a], patch[a], del[a] = 200, 200, 403, 403
		}
		if c.vis == arena.VisibilityPublic {
			patch[anon], del[anon] = 401, 401
		}
		rows = append(rows,
			apiRow{name: "need " + vis + " get", method: "GET", path: "/api/v1/needs/{need:" + vis + "}", want: get},
			apiRow{name: "need " + vis + " matches", method: "GET", path: "/api/v1/needs/{need:" + vis + "}/matches", want: matches},
			apiRow{name: "need " + vis + " patch", method: "PATCH", path: "/api/v1/needs/{need}", body: `{"title": "Ändrat behov {uniq}"}`,
				setup: tw.FreshNeed(c.vis), want: patch},
			apiRow{name: "need " + vis + " delete", method: "DELETE", path: "/api/v1/needs/{need}", setup: tw.FreshNeed(c.vis), want: del},
		)
	}
	return rows
}

// registerRows are the public registers, kept by brokers and funder
// officers (arena.CanKeepRegister).
func registerRows() []apiRow {
	var rows []apiRow
	for _, r := range []struct {
		path, body string
		fresh      func(*tw.World, testing.TB) int64
	}{
		{"funders", `{"name": "Ny finansiär {uniq}", "kind": "agency"}`, (*tw.World).NewFunder},
		{"calls", `{"funder_id": {funder}, "title": "Ny utlysning {uniq}"}`, (*tw.World).NewCall},
		{"projects", `{"title": "Nytt projekt {uniq}", "category": "research"}`, (*tw.World).NewProject},
		{"experts", `{"name": "Ny miljö {uniq}", "kind": "research_environment"}`, (*tw.World).NewExpert},
	} {
		fresh := func(t *testing.T, w *tw.World, v tw.Vars) { v.Set("rec", r.fresh(w, t)) }
		one := map[string]string{"funders": "funder", "calls": "call", "projects": "project", "experts": "expert"}[r.path]
		rows = append(rows,
			apiRow{name: r.path + " list", method: "GET", path: "/api/v1/" + r.path, want: expect{others: 200}},
			apiRow{name: r.path + " get", method: "GET", path: "/api/v1/" + r.path + "/{" + one + "}", want: expect{others: 200}},
			apiRow{name: r.path + " create", method: "POST", path: "/api/v1/" + r.path, body: r.body,
				want: expect{broker: 201, funder: 201, anon: 401, others: 403}},
			apiRow{name: r.path + " patch", method: "PATCH", path: "/api/v1/" + r.path + "/{rec}", body: `{"source": "ändrad {uniq}"}`, setup: fresh,
				want: expect{broker: 200, funder: 200, anon: 401, others: 403}},
			apiRow{name: r.path + " delete", method: "DELETE", path: "/api/v1/" + r.path + "/{rec}", setup: fresh,
				want: expect{broker: 204, funder: 204, anon: 401, others: 403}},
		)
	}
	return rows
}

// partRows are a network part's rows: an inside part (plans, activities,
// funding periods) is seen by N's insiders only (CanSeeNetworkInside), a
// deliverable by everyone; both are written by those who work in the
// network while it is open (CanWorkInNetwork).
func partRows(path, world, part, create string, inside bool) []apiRow {
	get, patch, del := expect{others: 200}, expect{owner: 200, admin: 200, member: 200, broker: 200, anon: 401, others: 403},
		expect{owner: 204, admin: 204, member: 204, broker: 204, anon: 401, others: 403}
	if inside {
		get = expect{owner: 200, admin: 200, member: 200, invited: 200, broker: 200, others: 404}
		patch = expect{owner: 200, admin: 200, member: 200, broker: 200, invited: 403, others: 404}
		del = expect{owner: 204, admin: 204, member: 204, broker: 204, invited: 403, anon: 401, others: 404}
	}
	return []apiRow{
		{name: path + " get", method: "GET", path: "/api/v1/" + path + "/{" + world + "}", want: get},
		{name: path + " create", method: "POST", path: "/api/v1/" + path, body: create, setup: tw.FreshNet(tw.NetOpts{}),
			want: expect{owner: 201, admin: 201, member: 201, broker: 201, anon: 401, others: 403}},
		{name: path + " create in a closed network", method: "POST", path: "/api/v1/" + path, body: create, setup: tw.FreshNet(tw.NetOpts{Closed: true}),
			want: expect{anon: 401, others: 409}},
		{name: path + " patch", method: "PATCH", path: "/api/v1/" + path + "/{part}", body: `{"network_id": {n}}`,
			setup: tw.Then(tw.FreshNet(tw.NetOpts{}), inPart(part)), want: patch},
		{name: path + " delete", method: "DELETE", path: "/api/v1/" + path + "/{part}", setup: tw.Then(tw.FreshNet(tw.NetOpts{}), inPart(part)), want: del},
	}
}

// respondRows are accept, decline and leave of a membership of a fresh
// network like N (NetworkMember.Answer: the organisation's admins answer;
// accept and decline an invitation, leave an active membership), for the
// actors who see the membership (CanSeeMember).
func respondRows() []apiRow {
	var rows []apiRow
	seeInvited := expect{owner: 403, admin: 403, member: 403, invited: 403, broker: 403, anon: 401, others: 404}
	for _, action := range []string{"accept", "decline", "leave"} {
		invitedWant := merge(seeInvited, expect{invited: 200})
		activeWant := expect{anon: 401, others: 403}
		if action == "leave" {
			invitedWant[invited] = 409
			activeWant[admin] = 200
		} else {
			activeWant[admin] = 409
		}
		rows = append(rows,
			apiRow{name: action + " the invitation", method: "POST", path: "/api/v1/network-members/{n/I}/" + action, setup: tw.FreshNet(tw.NetOpts{}), want: invitedWant},
			apiRow{name: action + " the declined membership", method: "POST", path: "/api/v1/network-members/{n/D}/" + action, setup: tw.FreshNet(tw.NetOpts{}),
				want: merge(seeInvited, expect{decl: 409})},
			apiRow{name: action + " the active membership", method: "POST", path: "/api/v1/network-members/{n/A}/" + action, setup: tw.FreshNet(tw.NetOpts{}), want: activeWant},
			apiRow{name: action + " in a closed network", method: "POST", path: "/api/v1/network-members/{n/A}/" + action, setup: tw.FreshNet(tw.NetOpts{Closed: true}),
				want: expect{anon: 401, others: 409}},
		)
	}
	return rows
}

// merge returns a copy of a with b's entries over it.
func merge(a, b expect) expect {
	out := expect{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func apiRows() []apiRow {
	var rows []apiRow
	add := func(rs ...apiRow) { rows = append(rows, rs...) }

	// Meta and identity.
	add(
		apiRow{name: "openapi", method: "GET", path: "/api/v1/openapi.json", want: expect{others: 200}},
		apiRow{name: "status", method: "GET", path: "/api/v1/status", want: expect{others: 200}},
		apiRow{name: "sign in as oneself", method: "POST", path: "/api/v1/auth/login", body: `{"email": "{me.email}", "password": "` + tw.Password + `"}`,
			want: expect{anon: 401, others: 200}},
		apiRow{name: "sign in with a wrong password", method: "POST", path: "/api/v1/auth/login", body: `{"email": "{me.email}", "password": "fel lösenord 123"}`,
			want: expect{others: 401}},
		apiRow{name: "sign out", method: "POST", path: "/api/v1/auth/logout", want: expect{others: 204}},
		apiRow{name: "me", method: "GET", path: "/api/v1/me", want: expect{anon: 401, others: 200}, see: []tw.Seen{{Text: "{me.email}", To: signedIn}}},
		apiRow{name: "cpv code", method: "GET", path: "/api/v1/cpv/35120000", want: expect{others: 200}},
		apiRow{name: "cpv code unknown", method: "GET", path: "/api/v1/cpv/99999999", want: expect{others: 404}},
	)

	// Organisations: public; registered by brokers (CanRegisterOrganization),
	// changed by their admins and brokers (CanChangeOrganization).
	add(
		apiRow{name: "organisations list", method: "GET", path: "/api/v1/organizations", want: expect{others: 200}},
		apiRow{name: "organisation get", method: "GET", path: "/api/v1/organizations/{A}", want: expect{others: 200}},
		apiRow{name: "organisation create", method: "POST", path: "/api/v1/organizations", body: `{"name": "Ny kommun {uniq}", "kind": "kommun"}`,
			want: expect{broker: 201, anon: 401, others: 403}},
		apiRow{name: "organisation A patch", method: "PATCH", path: "/api/v1/organizations/{A}", body: `{"website": "https://a.example/{uniq}"}`,
			want: expect{admin: 200, broker: 200, anon: 401, others: 403}},
		apiRow{name: "organisation delete", method: "DELETE", path: "/api/v1/organizations/{f}", setup: freshOrg,
			want: expect{broker: 204, anon: 401, others: 403}},
	)

	// People: a person's record is seen by the person, colleagues and
	// brokers (CanSeeUser); people change their own name, brokers manage
	// people and roles (CanChangeUser).
	add(
		apiRow{name: "users list", method: "GET", path: "/api/v1/users?limit=500", want: expect{others: 200},
			see: []tw.Seen{{Text: "admin@a.test", To: []string{admin, member, broker}}, {Text: "owner@o.test", To: []string{owner, broker}}}},
		apiRow{name: "user admin get", method: "GET", path: "/api/v1/users/{user:admin}", want: expect{admin: 200, member: 200, broker: 200, others: 404},
			see: []tw.Seen{{Text: "admin@a.test", To: []string{admin, member, broker}}}},
		apiRow{name: "user owner get", method: "GET", path: "/api/v1/users/{user:owner}", want: expect{owner: 200, broker: 200, others: 404}},
		apiRow{name: "user invited to A get", method: "GET", path: "/api/v1/users/{u}", setup: freshMembershipOfA(arena.OrgMemberInvited),
			want: expect{broker: 200, others: 404}}, // an invitation shares no organisation yet
		apiRow{name: "user create", method: "POST", path: "/api/v1/users", body: `{"email": "ny{uniq}@ny.test", "name": "Ny"}`,
			want: expect{broker: 201, anon: 401, others: 403}},
		apiRow{name: "user create with a short password", method: "POST", path: "/api/v1/users", body: `{"email": "kort{uniq}@ny.test", "password": "kort"}`,
			want: expect{broker: 400, anon: 401, others: 403}},
		apiRow{name: "user admin patch name", method: "PATCH", path: "/api/v1/users/{user:admin}", body: `{"name": "Anna Admin"}`,
			want: expect{admin: 200, broker: 200, member: 403, others: 404}},
		apiRow{name: "user patch own platform roles", method: "PATCH", path: "/api/v1/users/{me.user}", body: `{"platform_roles": ["broker"]}`,
			want: expect{anon: 404, broker: 200, others: 403}},
		apiRow{name: "user delete a fresh person", method: "DELETE", path: "/api/v1/users/{u}", setup: freshUser,
			want: expect{broker: 204, anon: 401, others: 404}},
		apiRow{name: "user delete a person of A", method: "DELETE", path: "/api/v1/users/{u}", setup: freshMembershipOfA(arena.OrgMemberActive),
			want: expect{broker: 204, admin: 403, member: 403, anon: 401, others: 404}},
		apiRow{name: "user delete the last admin of an organisation", method: "DELETE", path: "/api/v1/users/{u}", setup: freshLastAdmin,
			want: expect{broker: 409, anon: 401, others: 404}},
		apiRow{name: "user delete oneself", method: "DELETE", path: "/api/v1/users/{me.user}",
			want: expect{anon: 401, broker: 0, others: 403}}, // a broker would remove the world's broker
	)

	// Organisation memberships: seen by the person, the organisation's
	// people and brokers (CanSeeOrgMembership); an admin invites, a broker
	// adds outright (CanCreateOrgMembership); the person accepts, admins
	// change roles (CanChangeOrgMembership); the person, admins and brokers
	// remove (CanDeleteOrgMembership).
	add(
		apiRow{name: "org memberships list", method: "GET", path: "/api/v1/org-memberships", want: expect{others: 200}},
		apiRow{name: "org membership of member get", method: "GET", path: "/api/v1/org-memberships/{om:member}",
			want: expect{member: 200, admin: 200, broker: 200, others: 404}},
		apiRow{name: "org membership invite", method: "POST", path: "/api/v1/org-memberships", setup: freshUser,
			body: `{"user_id": {u}, "org_id": {A}, "role": "member", "status": "invited"}`, want: expect{admin: 201, broker: 201, anon: 401, others: 403}},
		apiRow{name: "org membership add active", method: "POST", path: "/api/v1/org-memberships", setup: freshUser,
			body: `{"user_id": {u}, "org_id": {A}, "role": "member", "status": "active"}`, want: expect{admin: 400, broker: 201, anon: 401, others: 403}},
		apiRow{name: "org membership role change", method: "PATCH", path: "/api/v1/org-memberships/{om}", body: `{"role": "admin"}`,
			setup: freshMembershipOfA(arena.OrgMemberActive), want: expect{admin: 200, broker: 200, member: 403, others: 404}},
		apiRow{name: "org membership forced active by the admin", method: "PATCH", path: "/api/v1/org-memberships/{om}", body: `{"status": "active"}`,
			setup: freshMembershipOfA(arena.OrgMemberInvited), want: expect{admin: 400, broker: 200, member: 403, others: 404}},
		apiRow{name: "org membership accepted by the person", method: "PATCH", path: "/api/v1/org-memberships/{om}", body: `{"status": "active"}`,
			setup: func(t *testing.T, w *tw.World, v tw.Vars) {
				v.Set("om", w.NewOrgMembership(t, w.ID(t, "user:other"), w.NewOrg(t), arena.OrgRoleMember, arena.OrgMemberInvited))
			}, want: expect{other: 200, broker: 200, others: 404}},
		apiRow{name: "org membership left by the person", method: "DELETE", path: "/api/v1/org-memberships/{om}",
			setup: func(t *testing.T, w *tw.World, v tw.Vars) {
				v.Set("om", w.NewOrgMembership(t, w.ID(t, "user:other"), w.NewOrg(t), arena.OrgRoleMember, arena.OrgMemberActive))
			}, want: expect{other: 204, broker: 204, anon: 401, others: 404}},
		apiRow{name: "org membership delete", method: "DELETE", path: "/api/v1/org-memberships/{om}", setup: freshMembershipOfA(arena.OrgMemberActive),
			want: expect{admin: 204, broker: 204, member: 403, anon: 401, others: 404}},
		apiRow{name: "org membership request approved", method: "PATCH", path: "/api/v1/org-memberships/{om}", body: `{"status": "active"}`,
			setup: freshMembershipOfA(arena.OrgMemberRequested), want: expect{admin: 200, broker: 200, member: 403, others: 404}},
		apiRow{name: "org membership request approved as admin", method: "PATCH", path: "/api/v1/org-memberships/{om}", body: `{"status": "active", "role": "admin"}`,
			setup: freshMembershipOfA(arena.OrgMemberRequested), want: expect{admin: 200, broker: 200, member: 403, others: 404}},
		apiRow{name: "user who asked to join A get", method: "GET", path: "/api/v1/users/{u}", setup: freshMembershipOfA(arena.OrgMemberRequested),
			want: expect{admin: 200, broker: 200, anon: 404, others: 404}},
	)

	// Organisations' e-mail domains: public (they name no person); the
	// organisation's admins and brokers register and remove them
	// (CanChangeOrgDomain).
	add(
		apiRow{name: "org domains list", method: "GET", path: "/api/v1/org-domains", want: expect{others: 200}},
		apiRow{name: "org domain get", method: "GET", path: "/api/v1/org-domains/{d}", setup: freshDomainOfA, want: expect{others: 200}},
		apiRow{name: "org domain create for A", method: "POST", path: "/api/v1/org-domains", body: `{"org_id": {A}, "domain": "a{uniq}.kommun.se"}`,
			want: expect{admin: 201, broker: 201, anon: 401, others: 403}},
		apiRow{name: "org domain create with a path", method: "POST", path: "/api/v1/org-domains", body: `{"org_id": {A}, "domain": "https://a{uniq}.se/x"}`,
			want: expect{admin: 400, broker: 400, anon: 401, others: 400}},
		apiRow{name: "org domain change", method: "PATCH", path: "/api/v1/org-domains/{d}", body: `{"domain": "b{uniq}.kommun.se"}`, setup: freshDomainOfA,
			want: expect{admin: 200, broker: 200, anon: 401, others: 403}},
		apiRow{name: "org domain delete", method: "DELETE", path: "/api/v1/org-domains/{d}", setup: freshDomainOfA,
			want: expect{admin: 204, broker: 204, anon: 401, others: 403}},
	)

	// Imports (arena.CanImportNeeds: the organisation's admins), and the
	// OCDS export of what each may see: a network-visible need only to
	// its partners, an organisation's own to its people, drafts to none.
	add(
		apiRow{name: "plan import into A", method: "POST", path: "/api/v1/organizations/{A}/plan-imports",
			body: "Rubrik;Beskrivning\nImporterat behov {uniq};Från en upphandlingsplan\n",
			want: expect{admin: 201, anon: 401, sup: 403, others: 403}},
		apiRow{name: "plan import into A, a dry run", method: "POST", path: "/api/v1/organizations/{A}/plan-imports?dry_run=true",
			body: "Rubrik;Beskrivning\nImporterat behov {uniq};Från en upphandlingsplan\n",
			want: expect{admin: 200, anon: 401, others: 403}},
		apiRow{name: "plan import without a title column", method: "POST", path: "/api/v1/organizations/{A}/plan-imports",
			body: "Ansvarig;Beskrivning\nAnna;Text\n", want: expect{admin: 400, anon: 401, others: 403}},
		apiRow{name: "notice import that is not a PIN", method: "POST", path: "/api/v1/organizations/{A}/notice-imports",
			body: "<ContractNotice/>", want: expect{admin: 400, anon: 401, sup: 403, others: 403}},
		apiRow{name: "publish A's imported needs", method: "POST", path: "/api/v1/organizations/{A}/imports/publish",
			want: expect{admin: 200, anon: 401, sup: 403, others: 403}},
		apiRow{name: "OCDS releases", method: "GET", path: "/api/v1/ocds/releases?limit=500", want: expect{sup: 200, others: 200}, see: []tw.Seen{
			{Text: tw.DraftTitle, To: nobody}, {Text: tw.OrgTitle, To: peopleOfA},
			{Text: tw.NetworkTitle, To: []string{admin, member, owner}}, {Text: tw.PublicTitle, To: append([]string{anon, sup}, signedIn...)},
			{Text: tw.ProcurementTitle, To: insidersN}}},
		apiRow{name: "OCDS record of A's public need", method: "GET", path: "/api/v1/ocds/records/ocds-arena0-need-{need:public}", want: expect{sup: 200, others: 200}},
		apiRow{name: "OCDS record of A's draft", method: "GET", path: "/api/v1/ocds/records/ocds-arena0-need-{need:draft}", want: expect{sup: 404, others: 404}},
		apiRow{name: "OCDS record unknown", method: "GET", path: "/api/v1/ocds/records/ocds-arena0-proc-99999999", want: expect{others: 404}},
	)

	// Needs.
	add(
		apiRow{name: "needs list", method: "GET", path: "/api/v1/needs?limit=500", want: expect{others: 200, sup: 200}, see: []tw.Seen{
			{Text: tw.DraftTitle, To: peopleOfA}, {Text: tw.OrgTitle, To: peopleOfA},
			{Text: tw.NetworkTitle, To: []string{admin, member, owner}}, {Text: tw.PublicTitle, To: append([]string{anon, sup}, signedIn...)}}},
		// The export is the list as the caller may see it.
		apiRow{name: "needs export", method: "GET", path: "/api/v1/needs?format=csv", want: expect{others: 200, sup: 200}, see: []tw.Seen{
			{Text: tw.DraftTitle, To: peopleOfA}, {Text: tw.OrgTitle, To: peopleOfA},
			{Text: tw.NetworkTitle, To: []string{admin, member, owner}}, {Text: tw.PublicTitle, To: append([]string{anon, sup}, signedIn...)}}},
		apiRow{name: "need create for A", method: "POST", path: "/api/v1/needs", body: `{"org_id": {A}, "title": "Nytt behov {uniq}", "visibility": "draft"}`,
			want: expect{admin: 201, member: 201, anon: 401, others: 403}},
		apiRow{name: "need create naming who posted it", method: "POST", path: "/api/v1/needs",
			body: `{"org_id": {A}, "title": "Nytt behov {uniq}", "visibility": "draft", "created_by": {user:other}}`,
			want: expect{admin: 201, member: 201, anon: 401, others: 403}, see: []tw.Seen{{Text: `"created_by":{me.user}`, To: peopleOfA}}}, // StampNeed
		apiRow{name: "need create for one's own organisation", method: "POST", path: "/api/v1/needs",
			body: `{"org_id": {me.org}, "title": "Eget behov {uniq}", "visibility": "draft"}`, want: expect{anon: 401, others: 201}},
		apiRow{name: "need moved to another organisation", method: "PATCH", path: "/api/v1/needs/{need}", body: `{"org_id": {X}}`,
			setup: tw.FreshNeed(arena.VisibilityPublic), want: expect{anon: 401, others: 403}},
		apiRow{name: "need patch without If-Match", method: "PATCH", path: "/api/v1/needs/{need:public}", body: `{"title": "x"}`, noIfMatch: true,
			want: expect{others: 428}},
		apiRow{name: "other's need matches", method: "GET", path: "/api/v1/needs/{need:other}/matches?limit=100", want: expect{others: 200}, see: []tw.Seen{
			{Text: tw.DraftTitle, To: peopleOfA, Maybe: true}, {Text: tw.OrgTitle, To: peopleOfA, Maybe: true},
			{Text: tw.NetworkTitle, To: []string{admin, member, owner}, Maybe: true}}},
	)
	add(needRows()...)

	// CPV suggestions: for everyone; only needs the caller may see vote, so
	// A's draft, asked for in its own words, never gives its code (nor a
	// code of its class) away to anyone outside A.
	add(
		apiRow{name: "cpv suggest", method: "POST", path: "/api/v1/cpv/suggest",
			body: `{"title": "` + tw.DraftTitle + `", "description": "` + tw.DraftDescription + `", "limit": 20}`, want: expect{others: 200},
			see: []tw.Seen{{Text: `"code":"` + tw.DraftCPV[:4], To: peopleOfA, Maybe: true}}},
		apiRow{name: "cpv suggest without text", method: "POST", path: "/api/v1/cpv/suggest", body: `{}`, want: expect{others: 400}},
	)

	// Networks: the record is public; anyone signed in starts one, as
	// owner or coordinator only for an own organisation (brokers for any);
	// a sub-group by those who run its strategic parent (CanCreateNetwork);
	// from matched needs by CanFormNetwork.
	add(
		apiRow{name: "networks list", method: "GET", path: "/api/v1/networks", want: expect{others: 200}},
		apiRow{name: "network N get", method: "GET", path: "/api/v1/networks/{N}", want: expect{others: 200}},
		apiRow{name: "network C get", method: "GET", path: "/api/v1/networks/{C}", want: expect{others: 200}},
		apiRow{name: "network create", method: "POST", path: "/api/v1/networks", body: `{"name": "Nätverk {uniq}", "kind": "tactical"}`,
			want: expect{anon: 401, others: 201}},
		apiRow{name: "network create owned by O", method: "POST", path: "/api/v1/networks", body: `{"name": "Nätverk {uniq}", "kind": "tactical", "owner_org_id": {O}}`,
			want: expect{owner: 201, broker: 201, anon: 401, others: 400}},
		// join: the owner joins at once, by its admin only; a refused
		// membership starts no network (the change log is unchanged).
		apiRow{name: "network create owned by O, which joins", method: "POST", path: "/api/v1/networks", body: `{"name": "Nätverk {uniq}", "kind": "tactical", "owner_org_id": {O}, "join": true}`,
			want: expect{owner: 201, anon: 401, others: 400}},
		apiRow{name: "network create, join not a boolean", method: "POST", path: "/api/v1/networks", body: `{"name": "Nätverk {uniq}", "kind": "tactical", "join": "ja"}`,
			want: expect{anon: 401, others: 400}},
		apiRow{name: "network create coordinated by O", method: "POST", path: "/api/v1/networks",
			body: `{"name": "Nätverk {uniq}", "kind": "tactical", "coordinator_org_id": {O}}`, want: expect{owner: 201, broker: 201, anon: 401, others: 400}},
		apiRow{name: "network create owned by one's own organisation", method: "POST", path: "/api/v1/networks",
			body: `{"name": "Nätverk {uniq}", "kind": "strategic", "owner_org_id": {me.org}}`, want: expect{anon: 401, others: 201}},
		apiRow{name: "network create a sub-group of S", method: "POST", path: "/api/v1/networks",
			body: `{"name": "Delgrupp {uniq}", "kind": "tactical", "parent_id": {S}}`, want: expect{owner: 201, broker: 201, anon: 401, others: 403}},
		apiRow{name: "network create a sub-group of a tactical network", method: "POST", path: "/api/v1/networks",
			body: `{"name": "Delgrupp {uniq}", "kind": "tactical", "parent_id": {N}}`, want: expect{anon: 401, others: 400}},
		apiRow{name: "network create closed", method: "POST", path: "/api/v1/networks", body: `{"name": "Nätverk {uniq}", "kind": "tactical", "status": "closed"}`,
			want: expect{anon: 401, others: 400}},
		apiRow{name: "network form from A's and X's public needs", method: "POST", path: "/api/v1/networks",
			body: `{"name": "Bildat {uniq}", "from_needs": [{need:public}, {need:other}]}`,
			want: expect{admin: 201, member: 201, other: 201, broker: 201, owner: 400, invited: 400, funder: 400, anon: 401}},
		apiRow{name: "network form from two needs of A", method: "POST", path: "/api/v1/networks",
			body: `{"name": "Bildat {uniq}", "from_needs": [{need:public}, {need:network}]}`, want: expect{anon: 401, others: 400}},
		apiRow{name: "network form from one need", method: "POST", path: "/api/v1/networks",
			body: `{"name": "Bildat {uniq}", "from_needs": [{need:public}]}`, want: expect{broker: 201, anon: 401, others: 400}},
		apiRow{name: "network form from A's draft", method: "POST", path: "/api/v1/networks",
			body: `{"name": "Bildat {uniq}", "from_needs": [{need:draft}, {need:other}]}`,
			want: expect{admin: 201, member: 201, anon: 401, others: 400}},
		// CanChangeNetwork: those who run it, while it is not closed.
		apiRow{name: "network patch", method: "PATCH", path: "/api/v1/networks/{n}", body: `{"description": "Ny beskrivning"}`, setup: tw.FreshNet(tw.NetOpts{}),
			want: expect{owner: 200, broker: 200, anon: 401, others: 403}},
		apiRow{name: "network patch closed", method: "PATCH", path: "/api/v1/networks/{n}", body: `{"description": "Ny beskrivning"}`,
			setup: tw.FreshNet(tw.NetOpts{Closed: true}), want: expect{anon: 401, others: 409}},
		apiRow{name: "network patch status closed", method: "PATCH", path: "/api/v1/networks/{n}", body: `{"status": "closed"}`, setup: tw.FreshNet(tw.NetOpts{}),
			want: expect{owner: 400, broker: 400, anon: 401, others: 403}},
		apiRow{name: "network patch owner to an outsider", method: "PATCH", path: "/api/v1/networks/{n}", body: `{"owner_org_id": {X}}`, setup: tw.FreshNet(tw.NetOpts{}),
			want: expect{owner: 400, broker: 200, anon: 401, others: 403}},
		apiRow{name: "network patch owner to an active member", method: "PATCH", path: "/api/v1/networks/{n}", body: `{"owner_org_id": {A}}`,
			setup: tw.FreshNet(tw.NetOpts{}), want: expect{owner: 200, broker: 200, anon: 401, others: 403}},
		apiRow{name: "network patch parent", method: "PATCH", path: "/api/v1/networks/{n}", body: `{"parent_id": {S}}`, setup: tw.FreshNet(tw.NetOpts{}),
			want: expect{broker: 200, anon: 401, others: 403}},
		apiRow{name: "network delete", method: "DELETE", path: "/api/v1/networks/{n}", setup: tw.FreshNet(tw.NetOpts{}),
			want: expect{owner: 204, broker: 204, anon: 401, others: 403}},
		apiRow{name: "network delete closed", method: "DELETE", path: "/api/v1/networks/{n}", setup: tw.FreshNet(tw.NetOpts{Closed: true}),
			want: expect{anon: 401, others: 409}},
	)

	// The overview: the record, active members without contact people,
	// deliverables and sums are public; the rest is the insiders'.
	contact := []tw.Seen{
		{Text: tw.ContactEmail, To: insidersN}, {Text: tw.ContactName, To: insidersN}, {Text: tw.Sponsor, To: insidersN},
		{Text: tw.InvitedContact, To: insidersN}, {Text: tw.DeclinedContact, To: append([]string{decl}, insidersN...)},
	}
	add(
		apiRow{name: "network N overview", method: "GET", path: "/api/v1/networks/{N}/overview", want: expect{others: 200, decl: 200, sup: 200}, see: append([]tw.Seen{
			{Text: tw.PlanGoal, To: insidersN}, {Text: tw.ActivityTitle, To: insidersN}, {Text: tw.ProcurementTitle, To: insidersN},
			{Text: tw.FundingNote, To: insidersN}, {Text: tw.DeliverableTitle, To: append([]string{anon, decl, sup}, signedIn...)},
			{Text: `"members_without_mandate"`, To: insidersN}, {Text: `"prerequisite_gaps":[{"code":`, To: insidersN},
			{Text: `"inside":true`, To: insidersN}, {Text: `"status":"invited"`, To: insidersN},
			{Text: `"status":"declined"`, To: append([]string{decl}, insidersN...)},
			{Text: tw.NetworkTitle, To: []string{admin, member, owner}},
		}, contact...)},
		apiRow{name: "network C overview", method: "GET", path: "/api/v1/networks/{C}/overview", want: expect{others: 200}},
		apiRow{name: "network unknown overview", method: "GET", path: "/api/v1/networks/99999999/overview", want: expect{others: 404}},
		// The funnel is the overview's, as JSON or a table.
		apiRow{name: "network N funnel", method: "GET", path: "/api/v1/networks/{N}/funnel", want: expect{others: 200, decl: 200, sup: 200}},
		apiRow{name: "network N funnel export", method: "GET", path: "/api/v1/networks/{N}/funnel?format=xlsx", want: expect{others: 200, decl: 200, sup: 200}},
		apiRow{name: "network unknown funnel", method: "GET", path: "/api/v1/networks/99999999/funnel", want: expect{others: 404}},
	)

	// Network members: an active membership is public, the others are seen
	// by insiders and the organisation's people (CanSeeMember); contact
	// people by the same and brokers (CanSeeMemberContact).
	add(
		apiRow{name: "network members of N", method: "GET", path: "/api/v1/network-members?network_id={N}", want: expect{others: 200, decl: 200, sup: 200},
			see: append([]tw.Seen{{Text: `"status":"invited"`, To: insidersN}, {Text: `"status":"declined"`, To: append([]string{decl}, insidersN...)}}, contact...)},
		apiRow{name: "network member A get", method: "GET", path: "/api/v1/network-members/{N/A}", want: expect{others: 200, decl: 200},
			see: []tw.Seen{{Text: tw.ContactEmail, To: insidersN}, {Text: tw.Sponsor, To: insidersN}}},
		apiRow{name: "network member I (invited) get", method: "GET", path: "/api/v1/network-members/{N/I}",
			want: expect{owner: 200, admin: 200, member: 200, invited: 200, broker: 200, others: 404, decl: 404, sup: 404}},
		apiRow{name: "network member D (declined) get", method: "GET", path: "/api/v1/network-members/{N/D}",
			want: expect{owner: 200, admin: 200, member: 200, invited: 200, broker: 200, others: 404, decl: 200},
			see:  []tw.Seen{{Text: tw.DeclinedContact, To: append([]string{decl}, insidersN...)}}},
		// CanCreateMember: those who run it invite; an organisation joins
		// at once only by its own admin.
		apiRow{name: "network member invite", method: "POST", path: "/api/v1/network-members", body: `{"network_id": {n}, "org_id": {f}}`,
			setup: tw.Then(tw.FreshNet(tw.NetOpts{}), freshOrg), want: expect{owner: 201, broker: 201, anon: 401, others: 403}},
		apiRow{name: "network member invite into a closed network", method: "POST", path: "/api/v1/network-members", body: `{"network_id": {n}, "org_id": {f}}`,
			setup: tw.Then(tw.FreshNet(tw.NetOpts{Closed: true}), freshOrg), want: expect{anon: 401, others: 409}},
		apiRow{name: "network member add another organisation active", method: "POST", path: "/api/v1/network-members",
			body: `{"network_id": {n}, "org_id": {f}, "status": "active"}`, setup: tw.Then(tw.FreshNet(tw.NetOpts{}), freshOrg),
			want: expect{owner: 400, broker: 400, anon: 401, others: 403}},
		apiRow{name: "network member add one's own organisation active", method: "POST", path: "/api/v1/network-members",
			body: `{"network_id": {n}, "org_id": {O}, "status": "active"}`, setup: tw.FreshNet(tw.NetOpts{NoOwnerMember: true}),
			want: expect{owner: 201, broker: 400, anon: 401, others: 403}},
		apiRow{name: "network member invite with close consent", method: "POST", path: "/api/v1/network-members",
			body: `{"network_id": {n}, "org_id": {f}, "close_consent": true}`, setup: tw.Then(tw.FreshNet(tw.NetOpts{}), freshOrg),
			want: expect{owner: 400, broker: 400, anon: 401, others: 403}},
		// CanAskToJoin: an organisation's admin asks to join an open
		// network; Decide: those who run it approve or reject.
		apiRow{name: "network member ask to join", method: "POST", path: "/api/v1/network-members", body: `{"network_id": {n}, "org_id": {X}, "status": "requested"}`,
			setup: tw.FreshNet(tw.NetOpts{}), want: expect{other: 201, anon: 401, others: 403}},
		apiRow{name: "network member ask to join a network that is not open", method: "POST", path: "/api/v1/network-members",
			body: `{"network_id": {n}, "org_id": {X}, "status": "requested"}`, setup: tw.FreshNet(tw.NetOpts{Shut: true}), want: expect{anon: 401, others: 409}},
		apiRow{name: "network member approve a request", method: "POST", path: "/api/v1/network-members/{n/R}/approve", setup: tw.FreshNet(tw.NetOpts{Requested: true}),
			want: expect{owner: 200, broker: 200, admin: 403, member: 403, invited: 403, other: 403, anon: 401, others: 404}},
		apiRow{name: "network member reject a request", method: "POST", path: "/api/v1/network-members/{n/R}/reject", setup: tw.FreshNet(tw.NetOpts{Requested: true}),
			want: expect{owner: 200, broker: 200, admin: 403, member: 403, invited: 403, other: 403, anon: 401, others: 404}},
		apiRow{name: "network member approve an invitation", method: "POST", path: "/api/v1/network-members/{n/I}/approve", setup: tw.FreshNet(tw.NetOpts{}),
			want: expect{owner: 409, broker: 409, admin: 403, member: 403, invited: 403, anon: 401, others: 404}},
		apiRow{name: "network member request withdrawn", method: "DELETE", path: "/api/v1/network-members/{n/R}", setup: tw.FreshNet(tw.NetOpts{Requested: true}),
			want: expect{other: 204, owner: 409, broker: 409, admin: 403, member: 403, invited: 403, anon: 401, others: 404}},
		// CanChangeMember, field by field.
		apiRow{name: "network member A contact", method: "PATCH", path: "/api/v1/network-members/{n/A}", body: `{"contact_name": "Ny Kontakt"}`,
			setup: tw.FreshNet(tw.NetOpts{}), want: expect{admin: 200, anon: 401, others: 403}},
		apiRow{name: "network member A close consent", method: "PATCH", path: "/api/v1/network-members/{n/A}", body: `{"close_consent": true}`,
			setup: tw.FreshNet(tw.NetOpts{}), want: expect{admin: 200, anon: 401, others: 403}},
		apiRow{name: "network member A role", method: "PATCH", path: "/api/v1/network-members/{n/A}", body: `{"role": "coordinator"}`,
			setup: tw.FreshNet(tw.NetOpts{}), want: expect{owner: 200, broker: 200, anon: 401, others: 403}},
		apiRow{name: "network member A status", method: "PATCH", path: "/api/v1/network-members/{n/A}", body: `{"status": "left"}`,
			setup: tw.FreshNet(tw.NetOpts{}), want: expect{owner: 400, admin: 400, member: 400, invited: 400, broker: 400, anon: 401, others: 403}},
		apiRow{name: "network member A need a draft", method: "PATCH", path: "/api/v1/network-members/{n/A}", body: `{"need_id": {need:draft}}`,
			setup: tw.FreshNet(tw.NetOpts{}), want: expect{admin: 400, anon: 401, others: 403}},
		apiRow{name: "network member A need another organisation's", method: "PATCH", path: "/api/v1/network-members/{n/A}", body: `{"need_id": {need:other}}`,
			setup: tw.FreshNet(tw.NetOpts{}), want: expect{admin: 400, anon: 401, others: 403}},
		apiRow{name: "network member A need that does not exist", method: "PATCH", path: "/api/v1/network-members/{n/A}", body: `{"need_id": 99999999}`,
			setup: tw.FreshNet(tw.NetOpts{}), want: expect{admin: 400, anon: 401, others: 403}},
		apiRow{name: "network member I contact", method: "PATCH", path: "/api/v1/network-members/{n/I}", body: `{"contact_name": "Ny Kontakt"}`,
			setup: tw.FreshNet(tw.NetOpts{}), want: expect{invited: 200, owner: 403, admin: 403, member: 403, broker: 403, others: 404}},
		apiRow{name: "network member I tier", method: "PATCH", path: "/api/v1/network-members/{n/I}", body: `{"tier": "observer"}`,
			setup: tw.FreshNet(tw.NetOpts{}), want: expect{owner: 200, broker: 200, admin: 403, member: 403, invited: 403, others: 404}},
		apiRow{name: "network member A in a closed network", method: "PATCH", path: "/api/v1/network-members/{n/A}", body: `{"contact_name": "Ny Kontakt"}`,
			setup: tw.FreshNet(tw.NetOpts{Closed: true}), want: expect{anon: 401, others: 409}},
		// CanDeleteMember: those who run it withdraw an invitation or
		// remove a declined membership; an active member leaves itself.
		apiRow{name: "network member I delete", method: "DELETE", path: "/api/v1/network-members/{n/I}", setup: tw.FreshNet(tw.NetOpts{}),
			want: expect{owner: 204, broker: 204, admin: 403, member: 403, invited: 403, anon: 401, others: 404}},
		apiRow{name: "network member D delete", method: "DELETE", path: "/api/v1/network-members/{n/D}", setup: tw.FreshNet(tw.NetOpts{}),
			want: expect{owner: 204, broker: 204, admin: 403, member: 403, invited: 403, anon: 401, others: 404, decl: 403}},
		apiRow{name: "network member A delete", method: "DELETE", path: "/api/v1/network-members/{n/A}", setup: tw.FreshNet(tw.NetOpts{}),
			want: expect{owner: 409, broker: 409, anon: 401, others: 403}},
	)
	// Inviting a colleague by e-mail (arena.CanInviteColleague): A's
	// admins and brokers; an address of one of its people is refused; the
	// list is theirs to see (arena.CanSeeColleagueInvites).
	add(
		apiRow{name: "colleague invite", method: "POST", path: "/api/v1/organizations/{A}/email-invites", body: `{"email": "ny{uniq}@a.test", "role": "admin"}`,
			want: expect{admin: 201, broker: 201, anon: 401, others: 403}},
		apiRow{name: "colleague invite of one of its people", method: "POST", path: "/api/v1/organizations/{A}/email-invites", body: `{"email": "member@a.test"}`,
			want: expect{admin: 409, broker: 409, anon: 401, others: 403}},
		apiRow{name: "colleague invite with an unknown role", method: "POST", path: "/api/v1/organizations/{A}/email-invites", body: `{"email": "ny{uniq}@a.test", "role": "chef"}`,
			want: expect{anon: 401, others: 400}},
		apiRow{name: "colleague invites", method: "GET", path: "/api/v1/organizations/{A}/email-invites", want: expect{anon: 401, others: 200}},
	)
	// A deliverable's files: seen with the deliverable (public), put and
	// removed by those who may change it (CanWorkInNetwork).
	works := expect{owner: 201, admin: 201, member: 201, broker: 201, anon: 401, others: 403}
	add(
		apiRow{name: "deliverable files", method: "GET", path: "/api/v1/deliverables/{d}/files", setup: tw.FreshFile, want: expect{others: 200}},
		apiRow{name: "deliverable file added", method: "POST", path: "/api/v1/deliverables/{d}/files?name=spec.pdf", body: string(tw.TinyPDF), setup: tw.FreshFile, want: works},
		apiRow{name: "deliverable file, not a document", method: "POST", path: "/api/v1/deliverables/{d}/files?name=spec.pdf", body: "<html>hej</html>", setup: tw.FreshFile,
			want: expect{owner: 400, admin: 400, member: 400, broker: 400, anon: 401, others: 403}},
		apiRow{name: "deliverable file, a name with a folder", method: "POST", path: "/api/v1/deliverables/{d}/files?name=../spec.pdf", body: string(tw.TinyPDF), setup: tw.FreshFile,
			want: expect{owner: 400, admin: 400, member: 400, broker: 400, anon: 401, others: 403}},
		apiRow{name: "deliverable file download", method: "GET", path: "/api/v1/deliverables/{d}/files/{file}", setup: tw.FreshFile, want: expect{others: 200}},
		apiRow{name: "deliverable file of another deliverable", method: "GET", path: "/api/v1/deliverables/{deliverable}/files/{file}", setup: tw.FreshFile, want: expect{others: 404}},
		apiRow{name: "deliverable file removed", method: "DELETE", path: "/api/v1/deliverables/{d}/files/{file}", setup: tw.FreshFile,
			want: expect{owner: 204, admin: 204, member: 204, broker: 204, anon: 401, others: 403}},
	)
	add(respondRows()...)

	// Closing: CanCloseNetwork (those who run it; an active member only
	// when every active member consented) and CanClose (tactical; the
	// members decided, or every procurement done).
	add(
		apiRow{name: "close as decided", method: "POST", path: "/api/v1/networks/{n}/close", body: `{"members_decided": true}`, setup: tw.FreshNet(tw.NetOpts{}),
			want: expect{owner: 200, broker: 200, anon: 401, others: 403}},
		apiRow{name: "close with every member's consent", method: "POST", path: "/api/v1/networks/{n}/close", setup: tw.FreshNet(tw.NetOpts{Consent: true}),
			want: expect{owner: 200, broker: 200, admin: 200, member: 200, anon: 401, others: 403}},
		apiRow{name: "close without a decision or procurements", method: "POST", path: "/api/v1/networks/{n}/close", setup: tw.FreshNet(tw.NetOpts{}),
			want: expect{owner: 409, broker: 409, anon: 401, others: 403}},
		apiRow{name: "close with a procurement open", method: "POST", path: "/api/v1/networks/{n}/close", setup: tw.FreshNet(tw.NetOpts{Procurement: arena.StageAwarded}),
			want: expect{owner: 409, broker: 409, anon: 401, others: 403}},
		apiRow{name: "close with every procurement done", method: "POST", path: "/api/v1/networks/{n}/close",
			setup: tw.FreshNet(tw.NetOpts{Procurement: arena.StageImplemented}), want: expect{owner: 200, broker: 200, anon: 401, others: 403}},
		apiRow{name: "close a closed network", method: "POST", path: "/api/v1/networks/{n}/close", body: `{"members_decided": true}`,
			setup: tw.FreshNet(tw.NetOpts{Closed: true}), want: expect{anon: 401, others: 409}},
		apiRow{name: "close a strategic network", method: "POST", path: "/api/v1/networks/{n}/close", body: `{"members_decided": true}`,
			setup: tw.FreshNet(tw.NetOpts{Kind: arena.NetworkStrategic, Bare: true}), want: expect{owner: 409, broker: 409, anon: 401, others: 403}},
	)

	// The network's parts.
	add(
		apiRow{name: "plans of N", method: "GET", path: "/api/v1/network-plans?network_id={N}", want: expect{others: 200, sup: 200}, see: []tw.Seen{{Text: tw.PlanGoal, To: insidersN}}},
		apiRow{name: "activities of N", method: "GET", path: "/api/v1/activities?network_id={N}", want: expect{others: 200, sup: 200}, see: []tw.Seen{{Text: tw.ActivityTitle, To: insidersN}}},
		apiRow{name: "funding periods of N", method: "GET", path: "/api/v1/funding-periods?network_id={N}", want: expect{others: 200, sup: 200}, see: []tw.Seen{{Text: tw.FundingNote, To: insidersN}}},
		apiRow{name: "deliverables of N", method: "GET", path: "/api/v1/deliverables?network_id={N}", want: expect{others: 200, sup: 200},
			see: []tw.Seen{{Text: tw.DeliverableTitle, To: append([]string{anon, sup}, signedIn...)}}},
		apiRow{name: "procurements of N", method: "GET", path: "/api/v1/member-procurements?network_id={N}", want: expect{others: 200, sup: 200},
			see: []tw.Seen{{Text: tw.ProcurementTitle, To: insidersN}}},
		apiRow{name: "procurements of N export", method: "GET", path: "/api/v1/member-procurements?network_id={N}&format=csv", want: expect{others: 200, sup: 200},
			see: []tw.Seen{{Text: tw.ProcurementTitle, To: insidersN}}},
	)
	add(partRows("network-plans", "plan", "plan", `{"network_id": {n}, "goal": "Mål {uniq}"}`, true)...)
	add(partRows("activities", "activity", "activity", `{"network_id": {n}, "kind": "marknadsdialog", "title": "Dialog {uniq}"}`, true)...)
	add(partRows("deliverables", "deliverable", "deliverable", `{"network_id": {n}, "kind": "guidance", "title": "Vägledning {uniq}"}`, false)...)
	add(apiRow{name: "deliverable moved to another network", method: "PATCH", path: "/api/v1/deliverables/{part}", body: `{"network_id": {N}}`,
		setup: tw.Then(tw.FreshNet(tw.NetOpts{}), inPart("deliverable")), want: expect{invited: 403, other: 403, funder: 403, anon: 401, others: 400}})
	add(partRows("funding-periods", "funding", "funding",
		`{"network_id": {n}, "funder_id": {funder}, "start_date": "2026-01-01", "end_date": "2026-12-31"}`, true)...)

	// Member procurements: inside; recorded and moved by the member's own
	// people while it is active, and by brokers (CanRecordProcurement).
	procBody := `{"network_id": {n}, "org_id": {%s}, "title": "Upphandling {uniq}", "stage": "planned", "planned_date": "2026-02-01"}`
	add(
		apiRow{name: "procurement get", method: "GET", path: "/api/v1/member-procurements/{procurement}",
			want: expect{owner: 200, admin: 200, member: 200, invited: 200, broker: 200, others: 404}},
		apiRow{name: "procurement create for A", method: "POST", path: "/api/v1/member-procurements", body: strings.Replace(procBody, "%s", "A", 1),
			setup: tw.FreshNet(tw.NetOpts{}), want: expect{admin: 201, member: 201, broker: 201, anon: 401, others: 403}},
		apiRow{name: "procurement create for O", method: "POST", path: "/api/v1/member-procurements", body: strings.Replace(procBody, "%s", "O", 1),
			setup: tw.FreshNet(tw.NetOpts{}), want: expect{owner: 201, broker: 201, anon: 401, others: 403}},
		apiRow{name: "procurement create for the invited I", method: "POST", path: "/api/v1/member-procurements", body: strings.Replace(procBody, "%s", "I", 1),
			setup: tw.FreshNet(tw.NetOpts{}), want: expect{invited: 400, broker: 400, anon: 401, others: 403}},
		apiRow{name: "procurement create in a closed network", method: "POST", path: "/api/v1/member-procurements", body: strings.Replace(procBody, "%s", "A", 1),
			setup: tw.FreshNet(tw.NetOpts{Closed: true}), want: expect{anon: 401, others: 409}},
		apiRow{name: "procurement create with another network's deliverable", method: "POST", path: "/api/v1/member-procurements",
			body:  `{"network_id": {n}, "org_id": {A}, "deliverable_id": {deliverable}, "title": "Upphandling {uniq}", "stage": "planned", "planned_date": "2026-02-01"}`,
			setup: tw.FreshNet(tw.NetOpts{}), want: expect{admin: 400, member: 400, broker: 400, anon: 401, others: 403}},
		apiRow{name: "procurement patch skipping a stage", method: "PATCH", path: "/api/v1/member-procurements/{n/proc}",
			body: `{"stage": "awarded", "announced_date": "2026-01-01", "awarded_date": "2026-02-01"}`, setup: tw.FreshNet(tw.NetOpts{Procurement: arena.StagePlanned}),
			want: expect{admin: 400, member: 400, broker: 400, owner: 403, invited: 403, others: 404}},
		apiRow{name: "procurement patch", method: "PATCH", path: "/api/v1/member-procurements/{n/proc}", body: `{"title": "Ny titel"}`,
			setup: tw.FreshNet(tw.NetOpts{Procurement: arena.StagePlanned}), want: expect{admin: 200, member: 200, broker: 200, owner: 403, invited: 403, others: 404}},
		apiRow{name: "procurement delete", method: "DELETE", path: "/api/v1/member-procurements/{n/proc}", setup: tw.FreshNet(tw.NetOpts{Procurement: arena.StagePlanned}),
			want: expect{admin: 204, member: 204, broker: 204, owner: 403, invited: 403, anon: 401, others: 404}},
		apiRow{name: "procurement advance", method: "POST", path: "/api/v1/member-procurements/{n/proc}/advance", body: `{"stage": "announced", "date": "2026-03-01"}`,
			setup: tw.FreshNet(tw.NetOpts{Procurement: arena.StagePlanned}), want: expect{admin: 200, member: 200, broker: 200, owner: 403, invited: 403, others: 404}},
		apiRow{name: "procurement advance skipping a stage", method: "POST", path: "/api/v1/member-procurements/{n/proc}/advance",
			body: `{"stage": "implemented", "date": "2026-03-01"}`, setup: tw.FreshNet(tw.NetOpts{Procurement: arena.StagePlanned}),
			want: expect{admin: 400, member: 400, broker: 400, others: 0}},
	)

	add(registerRows()...)
	add(
		apiRow{name: "expert person contact", method: "GET", path: "/api/v1/experts/{expert}", want: expect{others: 200},
			see: []tw.Seen{{Text: tw.ExpertContact, To: signedIn}}},
		apiRow{name: "experts list contact", method: "GET", path: "/api/v1/experts", want: expect{others: 200},
			see: []tw.Seen{{Text: tw.ExpertContact, To: signedIn}}},
		apiRow{name: "call fits", method: "GET", path: "/api/v1/calls/{call}/fits", want: expect{others: 200}, see: []tw.Seen{
			{Text: tw.DraftTitle, To: nobody}, {Text: tw.RegionTitle, To: nobody}, {Text: tw.OrgTitle, To: peopleOfA, Maybe: true},
			{Text: tw.NetworkTitle, To: []string{admin, member, owner}, Maybe: true}}},
	)

	// The follow-through, the alerts and the broker's view.
	add(
		apiRow{name: "funnel", method: "GET", path: "/api/v1/funnel", want: expect{others: 200}},
		apiRow{name: "alerts of N", method: "GET", path: "/api/v1/alerts?network_id={N}", want: expect{others: 200},
			see: []tw.Seen{{Text: `"members_without_mandate"`, To: insidersN}, {Text: `"funding_ends_soon"`, To: insidersN}}},
		apiRow{name: "alerts", method: "GET", path: "/api/v1/alerts", want: expect{others: 200}, see: []tw.Seen{{Text: `"network_id":{N},`, To: insidersN}}},
		apiRow{name: "alerts refresh", method: "POST", path: "/api/v1/alerts/refresh", want: expect{broker: 200, anon: 401, others: 403}},
		apiRow{name: "latent networks", method: "GET", path: "/api/v1/broker/latent-networks", want: expect{broker: 200, anon: 401, others: 403}},
	)

	// Reach: each person's own inbox and settings; a visitor has none.
	add(
		apiRow{name: "notifications", method: "GET", path: "/api/v1/notifications", want: expect{anon: 401, others: 200}},
		apiRow{name: "notifications, a bad limit", method: "GET", path: "/api/v1/notifications?limit=0", want: expect{anon: 401, others: 400}},
		apiRow{name: "notifications read", method: "POST", path: "/api/v1/notifications/read", body: `{"ids":[1,2]}`, want: expect{anon: 401, others: 204}},
		apiRow{name: "notifications read, a bad body", method: "POST", path: "/api/v1/notifications/read", body: `{"ids":"x"}`, want: expect{anon: 401, others: 400}},
		apiRow{name: "notification settings", method: "GET", path: "/api/v1/notification-settings", want: expect{anon: 401, others: 200},
			see: []tw.Seen{{Text: `"invitation":"immediate"`, To: signedIn}}},
		apiRow{name: "notification settings save", method: "PUT", path: "/api/v1/notification-settings", body: `{"modes":{"need_match":"weekly"},"lang":"en"}`,
			want: expect{anon: 401, others: 200}, see: []tw.Seen{{Text: `"need_match":"weekly"`, To: signedIn}}},
		apiRow{name: "notification settings, an unknown mode", method: "PUT", path: "/api/v1/notification-settings", body: `{"modes":{"need_match":"hourly"}}`,
			want: expect{anon: 401, others: 400}},
	)
	add(
		apiRow{name: "password change, the current one wrong", method: "POST", path: "/api/v1/me/password",
			body: `{"current_password": "fel lösenord", "new_password": "ett nytt långt lösenord"}`, want: expect{anon: 401, others: 400}},
		apiRow{name: "password change, too short", method: "POST", path: "/api/v1/me/password",
			body: `{"current_password": "x", "new_password": "kort"}`, want: expect{anon: 401, others: 400}},
	)
	add(apiRow{name: "calendar feed address", method: "POST", path: "/api/v1/calendar-feed", want: expect{anon: 401, others: 201},
		see: []tw.Seen{{Text: "/kalender/", To: signedIn}}})
	// Invitations by e-mail: those who run the network invite an
	// organisation nobody in Arena speaks for (U); one with an admin (I)
	// is told in the app. The addresses are seen by those who run it.
	newcomer := tw.FreshNetWithNewcomer(tw.NetOpts{})
	add(
		apiRow{name: "invite by e-mail", method: "POST", path: "/api/v1/network-members/{n/U}/email-invites", body: `{"email": "ny{uniq}@vatten.test"}`, setup: newcomer,
			want: expect{owner: 201, broker: 201, admin: 403, member: 403, invited: 403, anon: 401, others: 404}},
		apiRow{name: "invite by e-mail an organisation with an admin", method: "POST", path: "/api/v1/network-members/{n/I}/email-invites", body: `{"email": "ny{uniq}@vatten.test"}`, setup: newcomer,
			want: expect{owner: 409, broker: 409, admin: 403, member: 403, invited: 403, anon: 401, others: 404}},
		apiRow{name: "invite by e-mail, not an address", method: "POST", path: "/api/v1/network-members/{n/U}/email-invites", body: `{"email": "inte en adress"}`, setup: newcomer,
			want: expect{anon: 401, others: 400}},
		apiRow{name: "invite by e-mail in a closed network", method: "POST", path: "/api/v1/network-members/{n/U}/email-invites", body: `{"email": "ny{uniq}@vatten.test"}`,
			setup: tw.FreshNetWithNewcomer(tw.NetOpts{Closed: true}), want: expect{owner: 409, broker: 409, admin: 409, member: 409, invited: 409, anon: 401, others: 404}},
		apiRow{name: "invitations by e-mail", method: "GET", path: "/api/v1/networks/{n}/email-invites", setup: tw.FreshEmailInvite,
			want: expect{anon: 401, others: 200}, see: []tw.Seen{{Text: "@vatten.test", To: []string{owner, broker}}}},
	)
	// Watches (bevakningar): each person's own; nobody sees or changes
	// another's, a visitor has none.
	freshWatch := func(t *testing.T, w *tw.World, v tw.Vars) { v.Set("rec", w.NewWatch(t, member)) }
	add(
		apiRow{name: "watches list", method: "GET", path: "/api/v1/watches", want: expect{others: 200}, see: []tw.Seen{{Text: tw.WatchName, To: []string{member}}}},
		apiRow{name: "watch get", method: "GET", path: "/api/v1/watches/{watch}", want: expect{member: 200, others: 404}},
		apiRow{name: "watch create", method: "POST", path: "/api/v1/watches", body: `{"name": "Bevakning {uniq}", "target": "calls", "filters": {"q": "sensor"}}`,
			want: expect{anon: 401, others: 201}},
		apiRow{name: "watch create, a filter of another register", method: "POST", path: "/api/v1/watches", body: `{"name": "B {uniq}", "target": "needs", "filters": {"theme": "x"}}`,
			want: expect{anon: 401, others: 400}},
		apiRow{name: "watch create, a CPV code of the wrong form", method: "POST", path: "/api/v1/watches", body: `{"name": "B {uniq}", "target": "needs", "filters": {"cpv": "4500"}}`,
			want: expect{anon: 401, others: 400}},
		apiRow{name: "watch pause", method: "PATCH", path: "/api/v1/watches/{rec}", body: `{"paused": true}`, setup: freshWatch,
			want: expect{member: 200, others: 404}},
		apiRow{name: "watch delete", method: "DELETE", path: "/api/v1/watches/{rec}", setup: freshWatch,
			want: expect{member: 204, anon: 401, others: 404}},
	)
	add(dialogueRows()...)
	return rows
}

var (
	ocdsOnce      sync.Once
	ocdsValidator *ocds.Validator
	ocdsErr       error
)

// validateOCDS checks an OCDS package against the official schema of the
// reference data folder; without the folder, it says so and checks
// nothing.
func validateOCDS(t *testing.T, path string, body []byte) {
	t.Helper()
	ocdsOnce.Do(func() { ocdsValidator, ocdsErr = ocds.NewValidator(dataDir()) })
	if ocdsErr != nil {
		t.Logf("OCDS not validated: %v", ocdsErr)
		return
	}
	check := ocdsValidator.ReleasePackage
	if strings.HasPrefix(path, ocds.RecordsPath) {
		check = ocdsValidator.RecordPackage
	}
	if err := check(body); err != nil {
		t.Errorf("GET %s is not valid OCDS: %v", path, err)
	}
}
