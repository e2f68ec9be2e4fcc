package oidc

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"
	"golang.org/x/oauth2"
)

const (
	startPath    = "/logga-in/oidc"
	callbackPath = "/logga-in/oidc/tillbaka"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

// world is a real OIDC provider (mockoidc on a loopback port) and an app
// server that mounts Start and Finish, as Arena will.
type world struct {
	idp   *mockoidc.MockOIDC
	app   *httptest.Server
	p     *Provider
	clock *testClock

	// mu serialises the provider's handlers (mockoidc's session map is not
	// safe for concurrent use) and guards the fields below.
	mu          sync.Mutex
	onAuthorize func(q url.Values) // rewrites the authorize request
	onToken     func(r *http.Request)
	authorizes  []url.Values // authorize requests as the provider got them
	tokens      []url.Values // token requests as the provider got them
}

// result is what the test app's callback answers.
type result struct {
	Identity *Identity `json:"identity"`
	Back     string    `json:"back"`
	Kind     Kind      `json:"kind"`
	Error    string    `json:"error"`
}

// newWorld starts the provider and the app; change, if given, adjusts the
// app's Config.
func newWorld(tb testing.TB, change func(*Config)) *world {
	tb.Helper()
	w := &world{clock: &testClock{}}

	idp, err := mockoidc.NewServer(nil)
	if err != nil {
		tb.Fatal(err)
	}
	idp.AddMiddleware(w.record)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	if err := idp.Start(ln, nil); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { idp.Shutdown() })
	w.idp = idp

	w.app = httptest.NewUnstartedServer(nil)
	cfg := Config{
		Issuer:       idp.Issuer(),
		ClientID:     idp.ClientID,
		ClientSecret: idp.ClientSecret,
		RedirectURL:  "http://" + w.app.Listener.Addr().String() + callbackPath,
		CookieKey:    testKey,
		Now:          w.clock.Now,
	}
	if change != nil {
		change(&cfg)
	}
	p, err := New(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	w.p = p
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+startPath, func(rw http.ResponseWriter, r *http.Request) {
		p.Start(rw, r, r.URL.Query().Get("tillbaka"))
	})
	mux.HandleFunc("GET "+callbackPath, func(rw http.ResponseWriter, r *http.Request) {
		id, back, err := p.Finish(rw, r)
		res := result{Identity: id, Back: back}
		if err != nil {
			res = result{Kind: KindOf(err), Error: err.Error()}
			rw.WriteHeader(http.StatusForbidden)
		}
		json.NewEncoder(rw).Encode(res)
	})
	w.app.Config.Handler = mux
	w.app.Start()
	tb.Cleanup(w.app.Close)
	return w
}

// record is the provider's middleware: one request at a time, each
// authorize and token request kept, and the test's hooks run.
func (w *world) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		defer w.mu.Unlock()
		switch r.URL.Path {
		case mockoidc.AuthorizationEndpoint:
			q := r.URL.Query()
			if w.onAuthorize != nil {
				w.onAuthorize(q)
				r.URL.RawQuery = q.Encode()
			}
			w.authorizes = append(w.authorizes, q)
		case mockoidc.TokenEndpoint:
			if err := r.ParseForm(); err == nil {
				w.tokens = append(w.tokens, r.PostForm)
			}
			if w.onToken != nil {
				w.onToken(r)
			}
		}
		next.ServeHTTP(rw, r)
	})
}

func (w *world) tokenRequests() []url.Values {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]url.Values(nil), w.tokens...)
}

func (w *world) authorizeRequests() []url.Values {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]url.Values(nil), w.authorizes...)
}

// stepper is a browser that keeps cookies and stops at every redirect.
func stepper(tb testing.TB) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		tb.Fatal(err)
	}
	return &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// redirect GETs u and returns where it redirects to.
func redirect(tb testing.TB, c *http.Client, u string) *url.URL {
	tb.Helper()
	resp, err := c.Get(u)
	if err != nil {
		tb.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		tb.Fatalf("GET %s: status %d, want 302", u, resp.StatusCode)
	}
	loc, err := resp.Location()
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

// toCallback runs Start and the provider's authorize step and returns the
// callback URL the provider sends the browser to, and the flow cookie.
func (w *world) toCallback(tb testing.TB, c *http.Client, back string) (*url.URL, string) {
	tb.Helper()
	auth := redirect(tb, c, w.app.URL+startPath+"?tillbaka="+url.QueryEscape(back))
	cb := redirect(tb, c, auth.String())
	for _, k := range c.Jar.Cookies(cb) {
		if k.Name == cookieName {
			return cb, k.Value
		}
	}
	tb.Fatal("no flow cookie in the jar for the callback")
	return nil, ""
}

// callback GETs the callback URL with exactly the given flow cookie (none
// if empty), as a browser or an attacker would send it.
func callback(tb testing.TB, u *url.URL, cookie string) (result, *http.Response) {
	tb.Helper()
	req, err := http.NewRequest(http.MethodGet, u.String(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: cookieName, Value: cookie})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	var res result
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		tb.Fatal(err)
	}
	return res, resp
}

// person is a provider user whose ID token claims the test chooses.
type person struct {
	sub, email, name string
	verified         any    // email_verified as sent; nil leaves it out
	audience         string // replaces aud when set
}

func goodPerson() *person {
	return &person{sub: "falun-4711", email: "Anna.Berg@Falun.SE", name: "Anna Berg", verified: true}
}

type personClaims struct {
	*mockoidc.IDTokenClaims
	Email         string `json:"email,omitempty"`
	EmailVerified any    `json:"email_verified,omitempty"`
	Name          string `json:"name,omitempty"`
}

func (u *person) ID() string { return u.sub }

func (u *person) Userinfo([]string) ([]byte, error) {
	return json.Marshal(map[string]string{"sub": u.sub, "email": u.email})
}

func (u *person) Claims(_ []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	if u.audience != "" {
		base.Audience = jwt.ClaimStrings{u.audience}
	}
	return &personClaims{IDTokenClaims: base, Email: u.email, EmailVerified: u.verified, Name: u.name}, nil
}

type testClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// TestSignIn drives the whole code flow with a browser-like client that
// keeps cookies and follows redirects: app → provider → app.
func TestSignIn(t *testing.T) {
	w := newWorld(t, nil)
	w.idp.QueueUser(goodPerson())
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}

	resp, err := browser.Get(w.app.URL + startPath + "?tillbaka=" + url.QueryEscape("/behov/7?flik=matchningar"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var res result
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || res.Identity == nil {
		t.Fatalf("status %d, result %+v", resp.StatusCode, res)
	}
	want := Identity{Subject: "falun-4711", Issuer: w.idp.Issuer(), Email: "anna.berg@falun.se", Name: "Anna Berg"}
	if *res.Identity != want {
		t.Errorf("identity %+v, want %+v", *res.Identity, want)
	}
	if res.Back != "/behov/7?flik=matchningar" {
		t.Errorf("back %q", res.Back)
	}
	callbackURL := resp.Request.URL
	if got := jar.Cookies(callbackURL); len(got) != 0 {
		t.Errorf("flow cookie not cleared: %v", got)
	}

	// PKCE: the authorize request carried an S256 challenge and the token
	// request the verifier that hashes to it (mockoidc checked it too).
	auths, tokens := w.authorizeRequests(), w.tokenRequests()
	if len(auths) != 1 || len(tokens) == 0 {
		t.Fatalf("%d authorize and %d token requests", len(auths), len(tokens))
	}
	if auths[0].Get("code_challenge_method") != "S256" {
		t.Errorf("code_challenge_method %q", auths[0].Get("code_challenge_method"))
	}
	for _, tok := range tokens {
		v := tok.Get("code_verifier")
		if v == "" || oauth2.S256ChallengeFromVerifier(v) != auths[0].Get("code_challenge") {
			t.Errorf("token request verifier %q does not match challenge %q", v, auths[0].Get("code_challenge"))
		}
	}

	// The same callback again in the same browser: the cookie is gone.
	again, err := browser.Get(callbackURL.String())
	if err != nil {
		t.Fatal(err)
	}
	defer again.Body.Close()
	var res2 result
	json.NewDecoder(again.Body).Decode(&res2)
	if res2.Kind != KindState {
		t.Errorf("second callback: kind %q (%s), want %q", res2.Kind, res2.Error, KindState)
	}
}

// TestStartRedirect checks what Start sends: the provider's authorize URL
// with state, nonce and S256 challenge, and a flow cookie that holds them,
// with the attributes that keep it to this site's callback.
func TestStartRedirect(t *testing.T) {
	w := newWorld(t, nil)
	rec := httptest.NewRecorder()
	w.p.Start(rec, httptest.NewRequest(http.MethodGet, startPath, nil), "/natverk/3")

	resp := rec.Result()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("status %d", resp.StatusCode)
	}
	loc, _ := resp.Location()
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != w.idp.AuthorizationEndpoint() {
		t.Errorf("redirects to %s, want %s", got, w.idp.AuthorizationEndpoint())
	}
	q := loc.Query()
	for k, want := range map[string]string{
		"response_type":         "code",
		"client_id":             w.idp.ClientID,
		"redirect_uri":          w.p.oauth.RedirectURL,
		"scope":                 "openid email profile",
		"code_challenge_method": "S256",
	} {
		if q.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, q.Get(k), want)
		}
	}
	cookies := resp.Cookies()
	if len(cookies) != 1 || cookies[0].Name != cookieName {
		t.Fatalf("cookies %v", cookies)
	}
	c := cookies[0]
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != callbackPath || c.MaxAge != 600 || c.Secure {
		t.Errorf("cookie attributes: %+v", c)
	}
	f, err := w.p.open(c.Value)
	if err != nil {
		t.Fatal(err)
	}
	if f.State != q.Get("state") || f.Nonce != q.Get("nonce") || oauth2.S256ChallengeFromVerifier(f.Verifier) != q.Get("code_challenge") || f.Back != "/natverk/3" {
		t.Errorf("cookie holds %+v, URL has %v", f, q)
	}
	if strings.Contains(loc.RawQuery, f.Verifier) {
		t.Error("the verifier itself is in the authorize URL")
	}

	// Two starts never share state, nonce or verifier.
	rec2 := httptest.NewRecorder()
	w.p.Start(rec2, httptest.NewRequest(http.MethodGet, startPath, nil), "")
	f2, _ := w.p.open(rec2.Result().Cookies()[0].Value)
	if f2.State == f.State || f2.Nonce == f.Nonce || f2.Verifier == f.Verifier {
		t.Error("a second Start reused a secret")
	}

	// An https callback makes the cookie Secure.
	p, err := New(context.Background(), Config{
		Issuer: w.idp.Issuer(), ClientID: w.idp.ClientID, ClientSecret: w.idp.ClientSecret,
		RedirectURL: "https://arena.example.se" + callbackPath, CookieKey: testKey,
	})
	if err != nil {
		t.Fatal(err)
	}
	rec3 := httptest.NewRecorder()
	p.Start(rec3, httptest.NewRequest(http.MethodGet, startPath, nil), "")
	if !rec3.Result().Cookies()[0].Secure {
		t.Error("cookie not Secure for an https RedirectURL")
	}
}

// TestStartKeepsOnlyLocalPaths: the return path cannot send the user to
// another site after sign-in (open redirect).
func TestStartKeepsOnlyLocalPaths(t *testing.T) {
	for back, want := range map[string]string{
		"/behov/1":                            "/behov/1",
		"/sok?q=v%C3%A4rme#topp":              "/sok?q=v%C3%A4rme#topp",
		"":                                    "/",
		"behov/1":                             "/",
		"https://evil.example/":               "/",
		"//evil.example/x":                    "/",
		"/\\evil.example":                     "/",
		"/a\\b":                               "/",
		"javascript:alert(1)":                 "/",
		"/x\r\nSet-Cookie: a=b":               "/",
		"/" + strings.Repeat("a", maxBackLen): "/",
		"/\xff":                               "/",
	} {
		if got := localPath(back); got != want {
			t.Errorf("localPath(%q) = %q, want %q", back, got, want)
		}
	}
}

// TestFinishRefuses runs the flow against the provider and spoils one
// thing per scenario; Finish must refuse with the right kind and clear the
// cookie.
func TestFinishRefuses(t *testing.T) {
	// tamper changes the callback URL and the cookie the browser sends.
	type tamper func(t *testing.T, w *world, cb *url.URL, cookie string) string
	setQuery := func(k, v string) tamper {
		return func(_ *testing.T, _ *world, cb *url.URL, cookie string) string {
			q := cb.Query()
			if v == "" {
				q.Del(k)
			} else {
				q.Set(k, v)
			}
			cb.RawQuery = q.Encode()
			return cookie
		}
	}
	reseal := func(change func(*flow)) tamper {
		return func(t *testing.T, w *world, _ *url.URL, cookie string) string {
			t.Helper()
			f, err := w.p.open(cookie)
			if err != nil {
				t.Fatal(err)
			}
			change(&f)
			return w.p.seal(f)
		}
	}
	scenarios := []struct {
		name      string
		user      *person
		authorize func(q url.Values)
		tamper    tamper
		kind      Kind
		errHas    string
	}{
		{name: "no cookie", tamper: func(*testing.T, *world, *url.URL, string) string { return "" }, kind: KindState},
		{name: "wrong state", tamper: setQuery("state", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), kind: KindState},
		{name: "no state", tamper: setQuery("state", ""), kind: KindState},
		{name: "cookie payload tampered", kind: KindState, errHas: "signature", tamper: func(t *testing.T, w *world, _ *url.URL, cookie string) string {
			_, sig, _ := strings.Cut(cookie, ".")
			f, err := w.p.open(cookie)
			if err != nil {
				t.Fatal(err)
			}
			f.Back, f.Expires = "https://evil.example", f.Expires+3600
			body, _ := json.Marshal(f)
			return base64.RawURLEncoding.EncodeToString(body) + "." + sig
		}},
		{name: "cookie signature flipped", kind: KindState, errHas: "signature", tamper: func(_ *testing.T, _ *world, _ *url.URL, cookie string) string {
			last := cookie[len(cookie)-2]
			repl := byte('A')
			if last == 'A' {
				repl = 'B'
			}
			return cookie[:len(cookie)-2] + string(repl) + cookie[len(cookie)-1:]
		}},
		{name: "cookie signed with another key", kind: KindState, errHas: "signature", tamper: func(t *testing.T, w *world, _ *url.URL, cookie string) string {
			f, _ := w.p.open(cookie)
			other := *w.p
			other.key = []byte("another key of thirty-two bytes!")
			return other.seal(f)
		}},
		{name: "cookie garbage", tamper: func(*testing.T, *world, *url.URL, string) string { return "not-a-flow" }, kind: KindState},
		{name: "cookie expired", kind: KindState, errHas: "expired", tamper: func(_ *testing.T, w *world, _ *url.URL, cookie string) string {
			w.clock.Advance(flowTTL + time.Second)
			return cookie
		}},
		{name: "iss of another provider", tamper: setQuery("iss", "https://evil.example"), kind: KindState},
		{name: "provider error access_denied", kind: KindProviderError, errHas: "access_denied", tamper: func(_ *testing.T, _ *world, cb *url.URL, cookie string) string {
			q := url.Values{"error": {"access_denied"}, "error_description": {"The user cancelled"}, "state": {cb.Query().Get("state")}}
			cb.RawQuery = q.Encode()
			return cookie
		}},
		{name: "no code", tamper: setQuery("code", ""), kind: KindProviderError},
		{name: "unknown code", tamper: setQuery("code", "made-up-code"), kind: KindExchange, errHas: "invalid_grant"},
		{name: "PKCE verifier not the challenged one", kind: KindExchange, errHas: "code verifier",
			tamper: reseal(func(f *flow) { f.Verifier = oauth2.GenerateVerifier() })},
		{name: "nonce differs", authorize: func(q url.Values) { q.Set("nonce", "NONCEFROMANOTHERSIGNIN") }, kind: KindNonce},
		{name: "ID token for another client", user: &person{sub: "x", email: "a@b.se", verified: true, audience: "another-client"}, kind: KindToken, errHas: "audience"},
		{name: "email_verified false", user: &person{sub: "x", email: "a@b.se", verified: false}, kind: KindEmailUnverified},
		{name: "email_verified absent", user: &person{sub: "x", email: "a@b.se"}, kind: KindEmailUnverified},
		{name: "email_verified the string true", user: &person{sub: "x", email: "a@b.se", verified: "true"}, kind: KindEmailUnverified},
		{name: "email absent", user: &person{sub: "x", verified: true}, kind: KindEmailMissing},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, nil)
			w.mu.Lock()
			w.onAuthorize = sc.authorize
			w.mu.Unlock()
			user := sc.user
			if user == nil {
				user = goodPerson()
			}
			w.idp.QueueUser(user)
			cb, cookie := w.toCallback(t, stepper(t), "/behov/1")
			if sc.tamper != nil {
				cookie = sc.tamper(t, w, cb, cookie)
			}
			res, resp := callback(t, cb, cookie)
			if res.Kind != sc.kind || res.Identity != nil {
				t.Fatalf("kind %q (%s), identity %v; want kind %q", res.Kind, res.Error, res.Identity, sc.kind)
			}
			if !strings.Contains(res.Error, sc.errHas) {
				t.Errorf("error %q does not say %q", res.Error, sc.errHas)
			}
			if !clearsFlowCookie(resp) {
				t.Error("refused callback did not clear the flow cookie")
			}
		})
	}
}

func clearsFlowCookie(resp *http.Response) bool {
	for _, c := range resp.Cookies() {
		if c.Name == cookieName && c.MaxAge < 0 && c.Path == callbackPath {
			return true
		}
	}
	return false
}

// TestReplayedCallbackRefused: a callback URL and cookie captured from a
// finished sign-in cannot sign in again. The cookie is stateless, so the
// provider's one-time code is what refuses the replay.
func TestReplayedCallbackRefused(t *testing.T) {
	w := newWorld(t, nil)
	cb, cookie := w.toCallback(t, stepper(t), "/")
	if res, _ := callback(t, cb, cookie); res.Identity == nil {
		t.Fatalf("first callback refused: %+v", res)
	}
	res, _ := callback(t, cb, cookie)
	if res.Kind != KindExchange || res.Identity != nil {
		t.Fatalf("replay: kind %q (%s), want %q", res.Kind, res.Error, KindExchange)
	}
}

// TestSlowProviderBounded: a token endpoint that never answers, or a client
// that has gone, does not hold Finish beyond Config.Timeout.
func TestSlowProviderBounded(t *testing.T) {
	const timeout = 300 * time.Millisecond
	// A client without its own limit, so that only the context bounds it.
	w := newWorld(t, func(c *Config) { c.Timeout, c.HTTPClient = timeout, &http.Client{} })
	w.mu.Lock()
	w.onToken = func(r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}
	w.mu.Unlock()
	cb, cookie := w.toCallback(t, stepper(t), "/")

	began := time.Now()
	res, _ := callback(t, cb, cookie)
	if took := time.Since(began); took > timeout+2*time.Second {
		t.Errorf("Finish took %v with a %v timeout", took, timeout)
	}
	if res.Kind != KindExchange {
		t.Errorf("kind %q (%s), want %q", res.Kind, res.Error, KindExchange)
	}

	// The request's own context is honoured: a client that left stops it.
	cb, cookie = w.toCallback(t, stepper(t), "/")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, cb.String(), nil)
	req.AddCookie(&http.Cookie{Name: cookieName, Value: cookie})
	_, _, err := w.p.Finish(httptest.NewRecorder(), req)
	if KindOf(err) != KindExchange || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled request: %v", err)
	}
}

// TestNewRefusesIncompleteConfig: New names what is missing and contacts
// nobody.
func TestNewRefusesIncompleteConfig(t *testing.T) {
	good := Config{
		Issuer: "https://idp.example.se", ClientID: "arena", ClientSecret: "s3cret",
		RedirectURL: "https://arena.example.se" + callbackPath, CookieKey: testKey,
	}
	for _, tc := range []struct {
		field  string
		change func(*Config)
	}{
		{"Issuer", func(c *Config) { c.Issuer = "" }},
		{"ClientID", func(c *Config) { c.ClientID = "" }},
		{"ClientSecret", func(c *Config) { c.ClientSecret = "" }},
		{"RedirectURL", func(c *Config) { c.RedirectURL = "" }},
		{"RedirectURL", func(c *Config) { c.RedirectURL = callbackPath }},
		{"CookieKey", func(c *Config) { c.CookieKey = nil }},
		{"CookieKey", func(c *Config) { c.CookieKey = []byte("short") }},
		{"Issuer", func(c *Config) { c.Issuer = "http://idp.example.se" }},
		{"Issuer", func(c *Config) { c.Issuer = "idp.example.se" }},
	} {
		cfg := good
		tc.change(&cfg)
		_, err := New(context.Background(), cfg)
		if KindOf(err) != KindConfig || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("%+v: %v, want a %q error naming %s", cfg, err, KindConfig, tc.field)
		}
	}
}

// TestNewUnreachableIssuer: an issuer that is down, silent, not an OIDC
// provider or not the one its document names fails New clearly and in time.
func TestNewUnreachableIssuer(t *testing.T) {
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := closed.Addr().String()
	closed.Close()

	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() { // accepts and never answers
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()

	notOIDC := httptest.NewServer(http.NotFoundHandler())
	defer notOIDC.Close()
	w := newWorld(t, nil)

	for name, issuer := range map[string]string{
		"closed port":     "http://" + closedAddr + "/oidc",
		"silent server":   "http://" + silent.Addr().String() + "/oidc",
		"not OIDC":        notOIDC.URL,
		"issuer mismatch": w.idp.Issuer() + "/other",
	} {
		t.Run(name, func(t *testing.T) {
			began := time.Now()
			_, err := New(context.Background(), Config{
				Issuer: issuer, ClientID: "arena", ClientSecret: "s3cret",
				RedirectURL: "http://127.0.0.1/cb", CookieKey: testKey, Timeout: 300 * time.Millisecond,
			})
			if KindOf(err) != KindDiscovery || !strings.Contains(err.Error(), issuer) {
				t.Errorf("err %v, want a %q error naming %s", err, KindDiscovery, issuer)
			}
			if took := time.Since(began); took > 3*time.Second {
				t.Errorf("New took %v", took)
			}
		})
	}
}

// FuzzFinish: whatever cookie and query a client sends, Finish returns an
// error and does not panic; without the key, no input gets past the cookie.
func FuzzFinish(f *testing.F) {
	w := newWorld(f, nil)
	rec := httptest.NewRecorder()
	w.p.Start(rec, httptest.NewRequest(http.MethodGet, startPath, nil), "/")
	valid := rec.Result().Cookies()[0].Value
	f.Add(valid, "code=x&state=y")
	f.Add(valid[:len(valid)-1], "error=access_denied")
	f.Add("", "")
	f.Add(".", "state=&code=")
	f.Add("e30.", "iss=%00")
	f.Add(strings.Repeat("A", 5000), "state="+strings.Repeat("%ff", 100))
	f.Fuzz(func(t *testing.T, cookie, query string) {
		req := httptest.NewRequest(http.MethodGet, callbackPath, nil)
		req.URL.RawQuery = query
		req.Header.Set("Cookie", cookieName+"="+cookie)
		id, back, err := w.p.Finish(httptest.NewRecorder(), req)
		if err == nil || id != nil || back != "" || KindOf(err) == "" {
			t.Fatalf("cookie %q query %q: %v %v %q", cookie, query, id, err, back)
		}
	})
}
