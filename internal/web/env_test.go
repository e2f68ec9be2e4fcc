package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/app"
	"github.com/arena-se/arena/internal/httpapi"
	"github.com/arena-se/arena/internal/planimport"
	"github.com/arena-se/arena/internal/refdata"
	"github.com/arena-se/arena/internal/seed"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
	"github.com/arena-se/arena/internal/testworld"
	"github.com/arena-se/arena/internal/web"
)

// env is the UI on the API server, on a real SQLite database with the
// report's data and the demo users and needs.
type env struct {
	t   testing.TB
	db  *store.DB
	app *app.App
	api *httpapi.Server
	ui  *web.UI
	srv *httptest.Server
	now time.Time
}

// dataDir is the reference data folder (CPV codes), read, never copied.
func dataDir() string {
	if d := os.Getenv("ARENA_TEST_DATA_DIR"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "data")
}

var (
	refOnce sync.Once
	refSet  *refdata.Set
)

// reference reads the CPV list once for all tests; nil when not found.
func reference(t testing.TB) *refdata.Set {
	refOnce.Do(func() {
		set, _, err := refdata.ReadDir(dataDir())
		if err == nil && len(set.CPV) > 0 {
			refSet = set
		}
	})
	return refSet
}

// testNow is the tests' clock: demo needs are planned relative to it.
var testNow = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	db := testdb.Open(t, store.SQLite)
	db.Now = func() time.Time { return testNow }
	if set := reference(t); set != nil {
		if err := db.LoadReference(ctx, set); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := seed.ApplyReport(ctx, db); err != nil {
		t.Fatal(err)
	}
	if _, err := seed.ApplyDemo(ctx, db, testNow); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a := testworld.NewApp(t, db, log)
	if _, err := a.Networks.RefreshAlerts(ctx); err != nil {
		t.Fatal(err)
	}
	api := httpapi.NewServer(a)
	ui, err := web.New(a)
	if err != nil {
		t.Fatal(err)
	}
	ui.Register(api)
	e := &env{t: t, db: db, app: a, api: api, ui: ui, srv: httptest.NewServer(api.Handler()), now: testNow}
	t.Cleanup(e.srv.Close)
	t.Cleanup(planimport.Wait) // the imports a test started, before the database closes
	return e
}

// client is a browser without JavaScript: it keeps cookies and does not
// follow redirects, so tests see each status.
type client struct {
	e    *env
	http *http.Client
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// resp is an answer with its body read.
type resp struct {
	Status   int
	Body     string
	Location string
	Header   http.Header
}

func (c *client) do(req *http.Request) *resp {
	c.e.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return &resp{Status: res.StatusCode, Body: string(b), Location: res.Header.Get("Location"), Header: res.Header}
}

func (c *client) get(path string) *resp {
	c.e.t.Helper()
	req, _ := http.NewRequest("GET", c.e.srv.URL+path, nil)
	return c.do(req)
}

func (c *client) post(path string, form url.Values) *resp {
	c.e.t.Helper()
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// follow gets the page a redirect points to.
func (c *client) follow(r *resp) *resp {
	c.e.t.Helper()
	if r.Status != http.StatusSeeOther && r.Status != http.StatusFound {
		c.e.t.Fatalf("want a redirect, got %d: %s", r.Status, excerpt(r.Body))
	}
	loc, _ := url.Parse(r.Location)
	return c.get(loc.RequestURI())
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf returns the CSRF token of a page's first form.
func csrf(t testing.TB, body string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no csrf token on the page: %s", excerpt(body))
	}
	return m[1]
}

// signIn signs the client in through the sign-in form.
func (c *client) signIn(email string) {
	c.e.t.Helper()
	page := c.get("/logga-in")
	r := c.post("/logga-in", url.Values{"csrf": {csrf(c.e.t, page.Body)}, "email": {email}, "password": {seed.DemoPassword}})
	if r.Status != http.StatusSeeOther {
		c.e.t.Fatalf("sign in as %s: %d %s", email, r.Status, excerpt(r.Body))
	}
}

// token is the session's CSRF token, read from the start page.
func (c *client) token() string {
	c.e.t.Helper()
	return csrf(c.e.t, c.get("/").Body)
}

func excerpt(s string) string {
	if i := strings.Index(s, "<main"); i >= 0 {
		s = s[i:]
	}
	if len(s) > 3000 {
		s = s[:3000]
	}
	return s
}

// needID finds a need by title as the platform sees it.
func (e *env) needID(title string) int64 {
	e.t.Helper()
	ctx := arena.WithActor(context.Background(), arena.SystemActor())
	p, err := e.db.Needs.List(ctx, store.ListQuery{Filters: map[string]string{"q": title}, Limit: 10})
	if err != nil || len(p.Items) == 0 {
		// The system actor sees public needs only; read drafts directly.
		e.t.Fatalf("need %q not found: %v", title, err)
	}
	return p.Items[0].ID
}

// orgID finds an organisation by name.
func (e *env) orgID(name string) int64 {
	e.t.Helper()
	ctx := arena.WithActor(context.Background(), arena.SystemActor())
	p, err := e.db.Organizations.List(ctx, store.ListQuery{Filters: map[string]string{"q": name}, Limit: 10})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, o := range p.Items {
		if o.Name == name {
			return o.ID
		}
	}
	e.t.Fatalf("organisation %q not found", name)
	return 0
}

func strconvItoa(id int64) string { return strconv.FormatInt(id, 10) }

// testLog writes the server's warnings and errors to the test's log.
type testLog struct{ t testing.TB }

func (l testLog) Write(b []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}
