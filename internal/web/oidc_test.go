package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/app"
	"github.com/arena-se/arena/internal/auth"
	"github.com/arena-se/arena/internal/httpapi"
	"github.com/arena-se/arena/internal/oidc"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
	tw "github.com/arena-se/arena/internal/testworld"
	"github.com/arena-se/arena/internal/web"
)

// oidcWorld is Arena's web server with sign-in through a real OpenID
// Connect provider (mockoidc on a loopback port), as `arena serve
// --oidc-issuer` runs it.
type oidcWorld struct {
	idp *mockoidc.MockOIDC
	app *app.App
	srv *httptest.Server
	db  *store.DB
	mu  sync.Mutex // mockoidc's sessions are not safe for concurrent use
}

func newOIDCWorld(t *testing.T, db *store.DB) *oidcWorld {
	t.Helper()
	w := &oidcWorld{db: db}
	idp, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	idp.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			w.mu.Lock()
			defer w.mu.Unlock()
			next.ServeHTTP(rw, r)
		})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := idp.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idp.Shutdown() })
	w.idp = idp

	w.app = tw.NewApp(t, db, nil)
	api := httpapi.NewServer(w.app)
	ui, err := web.New(w.app)
	if err != nil {
		t.Fatal(err)
	}
	ui.Register(api)
	w.srv = httptest.NewUnstartedServer(api.Handler())
	cfg := oidc.Config{Issuer: idp.Issuer(), ClientID: idp.ClientID, ClientSecret: idp.ClientSecret,
		RedirectURL: "http://" + w.srv.Listener.Addr().String() + "/logga-in/oidc/klar",
		CookieKey:   []byte("a test key of at least 32 bytes!!")}
	if err := w.app.ConnectOIDC(context.Background(), cfg, time.Minute); err != nil {
		t.Fatal(err)
	}
	if w.app.OIDC() == nil {
		t.Fatal("the provider was not reached")
	}
	w.srv.Start()
	t.Cleanup(w.srv.Close)
	return w
}

// browser is a client that keeps cookies and follows redirects.
func (w *oidcWorld) browser(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 10 * time.Second}
}

// signInThrough signs in through the provider as person, starting from
// the sign-in button with back as where to return; it returns the page
// the browser ends on.
func (w *oidcWorld) signInThrough(t *testing.T, c *http.Client, person *mockoidc.MockUser, back string) (*http.Response, string) {
	t.Helper()
	w.idp.QueueUser(person)
	resp, err := c.Get(w.srv.URL + "/logga-in/oidc?tillbaka=" + url.QueryEscape(back))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func (w *oidcWorld) me(t *testing.T, c *http.Client) (int, map[string]any) {
	t.Helper()
	resp, err := c.Get(w.srv.URL + "/api/v1/me")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v map[string]any
	json.NewDecoder(resp.Body).Decode(&v)
	return resp.StatusCode, v
}

// TestSignInThroughOrganisation: a person of Falun signs in through the
// organisation's identity provider with the full code flow (PKCE, state,
// nonce checked by internal/oidc), gets an account and a request to join
// Falun; Falun's admin sees the request on the organisation's page and
// approves it, and the person is then a member. A person whose domain no
// organisation registered is refused and nothing is stored.
func TestSignInThroughOrganisation(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := arena.WithActor(context.Background(), arena.SystemActor())
		falun := &arena.Organization{Name: "Falu kommun", OrgNumber: "212000-2411", Kind: arena.OrgKommun}
		if err := db.Organizations.Create(ctx, falun); err != nil {
			t.Fatal(err)
		}
		admin := &arena.User{Email: "admin@falun.se", Name: "Åsa Admin"}
		if err := db.Users.Create(ctx, admin); err != nil {
			t.Fatal(err)
		}
		if err := db.OrgMemberships.Create(ctx, &arena.OrgMembership{UserID: admin.ID, OrgID: falun.ID, Role: arena.OrgRoleAdmin, Status: arena.OrgMemberActive}); err != nil {
			t.Fatal(err)
		}
		hash, err := auth.HashPassword("falun-admin-lösen")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetPassword(ctx, admin.ID, hash); err != nil {
			t.Fatal(err)
		}
		w := newOIDCWorld(t, db)

		// The sign-in page offers the organisation's sign-in.
		c := w.browser(t)
		resp, err := c.Get(w.srv.URL + "/logga-in")
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(page), `id="login-oidc"`) {
			t.Fatal("the sign-in page offers no sign-in through the organisation")
		}

		// No organisation has registered falun.se yet: refused, nothing stored.
		karin := &mockoidc.MockUser{Subject: "falun-4711", Email: "Karin.Lind@Falun.se", EmailVerified: true}
		resp, body := w.signInThrough(t, c, karin, "/behov")
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "falun.se") || !strings.Contains(body, "ingen organisation i Arena har registrerat") {
			t.Fatalf("unregistered domain: %d %s", resp.StatusCode, excerptOf(body))
		}
		if _, err := db.UserIDByEmail(ctx, "karin.lind@falun.se"); arena.ErrorCode(err) != arena.ENOTFOUND {
			t.Fatalf("a refused sign-in stored the person: %v", err)
		}
		if code, _ := w.me(t, c); code != http.StatusUnauthorized {
			t.Fatalf("a refused sign-in signed in: /api/v1/me %d", code)
		}

		// Falun's admin registers the domain on the organisation's page.
		adm := w.browser(t)
		sess, err := w.app.SignIn(context.Background(), admin.Email, "falun-admin-lösen")
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(w.srv.URL)
		adm.Jar.SetCookies(u, []*http.Cookie{{Name: httpapi.SessionCookie, Value: sess.Token, Path: "/"}})
		resp, err = adm.PostForm(w.srv.URL+"/organisationer/"+idOf(falun.ID)+"/domaner", url.Values{"csrf": {sess.CSRF}, "domain": {"Falun.se"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Request.URL.RawQuery, "klart=doman") {
			t.Fatalf("registering the domain: %d %s", resp.StatusCode, resp.Request.URL)
		}

		// Now the person signs in, gets an account and asks to join.
		resp, body = w.signInThrough(t, c, karin, "/behov?q=skola")
		if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/behov" || resp.Request.URL.Query().Get("q") != "skola" ||
			resp.Request.URL.Query().Get("klart") != "ansokan" {
			t.Fatalf("first sign-in ends on %d %s", resp.StatusCode, resp.Request.URL)
		}
		if !strings.Contains(body, "väntar på att dess administratör godkänner") {
			t.Fatalf("no word of the request to join: %s", excerptOf(body))
		}
		code, me := w.me(t, c)
		if code != http.StatusOK || !strings.Contains(mustJSON(me), "karin.lind@falun.se") {
			t.Fatalf("/api/v1/me after signing in: %d %v", code, me)
		}
		id, err := db.UserIDByEmail(ctx, "karin.lind@falun.se")
		if err != nil {
			t.Fatal(err)
		}
		a, err := db.ActorFor(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Orgs) != 0 {
			t.Fatalf("the person is a member before the admin approved: %+v", a.Orgs)
		}
		requests, err := store.All(arena.WithActor(context.Background(), a), db.OrgMemberships, map[string]string{"user_id": idOf(id)})
		if err != nil || len(requests) != 1 || requests[0].Status != arena.OrgMemberRequested || requests[0].OrgID != falun.ID {
			t.Fatalf("request to join: %+v %v", requests, err)
		}

		// Signing in again asks nothing more.
		c2 := w.browser(t)
		resp, _ = w.signInThrough(t, c2, karin, "/")
		if resp.StatusCode != http.StatusOK || resp.Request.URL.Query().Get("klart") != "" {
			t.Fatalf("second sign-in ends on %d %s", resp.StatusCode, resp.Request.URL)
		}
		again, _ := store.All(arena.WithActor(context.Background(), a), db.OrgMemberships, map[string]string{"user_id": idOf(id)})
		if len(again) != 1 {
			t.Fatalf("a second sign-in made another request: %d", len(again))
		}

		// The admin sees who asked, and approves as an admin.
		resp, err = adm.Get(w.srv.URL + "/organisationer/" + idOf(falun.ID))
		if err != nil {
			t.Fatal(err)
		}
		page, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(page), "karin.lind@falun.se") || !strings.Contains(string(page), `id="approve-`+idOf(requests[0].ID)+`"`) {
			t.Fatalf("the admin does not see the request: %s", excerptOf(string(page)))
		}
		resp, err = adm.PostForm(w.srv.URL+"/organisationsmedlemskap/"+idOf(requests[0].ID)+"/godkann",
			url.Values{"csrf": {sess.CSRF}, "version": {idOf(requests[0].Version)}, "role": {"admin"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Request.URL.RawQuery, "klart=godkand") {
			t.Fatalf("approving: %d %s", resp.StatusCode, resp.Request.URL)
		}
		if a, err = db.ActorFor(context.Background(), id); err != nil || !a.IsOrgAdmin(falun.ID) {
			t.Fatalf("after approval the person is not Falun's admin: %+v %v", a, err)
		}

		// A provider that does not vouch for the address is refused.
		c3 := w.browser(t)
		resp, body = w.signInThrough(t, c3, &mockoidc.MockUser{Subject: "x", Email: "olle@falun.se", EmailVerified: false}, "/")
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "ingen bekräftad e-postadress") {
			t.Fatalf("unverified address: %d %s", resp.StatusCode, excerptOf(body))
		}
		if _, err := db.UserIDByEmail(ctx, "olle@falun.se"); arena.ErrorCode(err) != arena.ENOTFOUND {
			t.Fatalf("an unverified address got an account: %v", err)
		}
	})
}

func idOf(id int64) string { return strconv.FormatInt(id, 10) }

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// An identity provider that cannot be reached when Arena starts does not
// stop it: the sign-in page still offers it, and trying says it is not
// available now (503), while password sign-in works. A configuration
// that can never work is an error at start.
func TestSignInThroughUnreachableProvider(t *testing.T) {
	db := testdb.Open(t, store.SQLite)
	a := tw.NewApp(t, db, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := oidc.Config{Issuer: closed, ClientID: "arena", ClientSecret: "s", RedirectURL: "http://127.0.0.1/logga-in/oidc/klar",
		CookieKey: []byte("a test key of at least 32 bytes!!"), Timeout: time.Second}
	bad := cfg
	bad.ClientID = ""
	if err := a.ConnectOIDC(ctx, bad, time.Minute); oidc.KindOf(err) != oidc.KindConfig {
		t.Fatalf("a configuration without a client id: %v", err)
	}
	if err := a.ConnectOIDC(ctx, cfg, time.Minute); err != nil {
		t.Fatalf("an unreachable provider stopped the start: %v", err)
	}
	if !a.OIDCConfigured || a.OIDC() != nil {
		t.Fatalf("configured %v, provider %v", a.OIDCConfigured, a.OIDC())
	}
	api := httpapi.NewServer(a)
	ui, err := web.New(a)
	if err != nil {
		t.Fatal(err)
	}
	ui.Register(api)
	srv := httptest.NewServer(api.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/logga-in")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), `id="login-oidc"`) {
		t.Fatal("the sign-in page hides the configured provider")
	}
	resp, err = http.Get(srv.URL + "/logga-in/oidc?tillbaka=/behov")
	if err != nil {
		t.Fatal(err)
	}
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(page), "går inte just nu") || !strings.Contains(string(page), `id="login-form"`) {
		t.Fatalf("an unreachable provider: %d %s", resp.StatusCode, excerptOf(string(page)))
	}
}
