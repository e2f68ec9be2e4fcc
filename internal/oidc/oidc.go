// Package oidc signs people in with an organisation's OpenID Connect
// provider: the authorization code flow with PKCE, state and nonce, and an
// ID token that must carry a verified e-mail address.
//
// Start and Finish are the two ends of the flow; the app mounts them (for
// example at GET /logga-in/oidc and GET /logga-in/oidc/tillbaka) and decides
// what an Identity may do. Between the two, the flow's secrets live in a
// short-lived cookie signed by the server, so no server-side state is needed
// and any instance can finish a sign-in another started.
package oidc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// DefaultTimeout bounds each call to the provider when Config.Timeout is 0.
const DefaultTimeout = 10 * time.Second

// MinKeyLen is the shortest Config.CookieKey accepted, in bytes.
const MinKeyLen = 32

// Config says which provider to use and how this app is registered there.
type Config struct {
	// Issuer is the provider's issuer URL, e.g. https://login.example.se;
	// discovery reads Issuer + "/.well-known/openid-configuration". It must
	// be https, except on a loopback address (tests, local development).
	Issuer string
	// ClientID and ClientSecret are this app's registration at the provider.
	ClientID     string
	ClientSecret string
	// RedirectURL is the absolute URL of the callback that calls Finish, as
	// registered at the provider. The flow cookie is limited to its path,
	// and is Secure when it is https.
	RedirectURL string
	// Scopes to ask for; "openid" is always added. Default: openid, email,
	// profile.
	Scopes []string
	// CookieKey signs the flow cookie (HMAC-SHA256): at least MinKeyLen
	// random bytes, the same on every instance behind one RedirectURL.
	CookieKey []byte
	// Timeout bounds each call to the provider: discovery, token exchange,
	// key fetch. Default: DefaultTimeout.
	Timeout time.Duration
	// HTTPClient makes the calls to the provider. Default: a client with
	// Timeout as its overall limit.
	HTTPClient *http.Client
	// Now is the clock for the cookie's and the ID token's expiry.
	// Default: time.Now.
	Now func() time.Time
}

// Identity is who the provider says signed in. Email is lower-cased and the
// provider has said it is verified.
type Identity struct {
	Subject string // the provider's stable id for the person ("sub")
	Issuer  string // the provider ("iss"); Subject is unique only within it
	Email   string
	Name    string // may be empty
}

// Provider runs the sign-in flow against one discovered OpenID Connect
// provider. It is safe for concurrent use.
type Provider struct {
	oauth      oauth2.Config
	verifier   *gooidc.IDTokenVerifier
	issuer     string
	client     *http.Client
	timeout    time.Duration
	now        func() time.Time
	key        []byte
	cookiePath string
	secure     bool
}

// New checks cfg and reads the issuer's discovery document, within ctx and
// cfg.Timeout. It fails with KindConfig for an incomplete or invalid cfg
// (naming the field) and with KindDiscovery when the issuer cannot be
// reached or does not serve a discovery document for itself.
func New(ctx context.Context, cfg Config) (*Provider, error) {
	redirect, err := checkConfig(cfg)
	if err != nil {
		return nil, fail(KindConfig, err)
	}
	p := &Provider{
		issuer:     cfg.Issuer,
		client:     cfg.HTTPClient,
		timeout:    cfg.Timeout,
		now:        cfg.Now,
		key:        slices.Clone(cfg.CookieKey),
		cookiePath: redirect.Path,
		secure:     redirect.Scheme == "https",
	}
	if p.timeout <= 0 {
		p.timeout = DefaultTimeout
	}
	if p.client == nil {
		p.client = &http.Client{Timeout: p.timeout}
	}
	if p.now == nil {
		p.now = time.Now
	}
	if p.cookiePath == "" {
		p.cookiePath = "/"
	}

	ctx, cancel := context.WithTimeout(gooidc.ClientContext(ctx, p.client), p.timeout)
	defer cancel()
	// The provider keeps the client (not ctx) for its later key fetches.
	provider, err := gooidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fail(KindDiscovery, fmt.Errorf("issuer %s: %w", cfg.Issuer, err))
	}
	if provider.Endpoint().AuthURL == "" || provider.Endpoint().TokenURL == "" {
		return nil, failText(KindDiscovery, "issuer "+cfg.Issuer+": discovery document lacks authorization or token endpoint")
	}

	scopes := []string{gooidc.ScopeOpenID, "email", "profile"}
	if len(cfg.Scopes) > 0 {
		scopes = slices.Clone(cfg.Scopes)
		if !slices.Contains(scopes, gooidc.ScopeOpenID) {
			scopes = append([]string{gooidc.ScopeOpenID}, scopes...)
		}
	}
	p.oauth = oauth2.Config{
		ClientID:     cfg.ClientID,
		ClientSecret: cfg.ClientSecret,
		Endpoint:     provider.Endpoint(),
		RedirectURL:  cfg.RedirectURL,
		Scopes:       scopes,
	}
	p.verifier = provider.Verifier(&gooidc.Config{ClientID: cfg.ClientID, Now: p.now})
	return p, nil
}

// checkConfig returns the parsed RedirectURL, or what is wrong with cfg.
func checkConfig(cfg Config) (*url.URL, error) {
	switch {
	case cfg.Issuer == "":
		return nil, errors.New("Issuer is empty")
	case cfg.ClientID == "":
		return nil, errors.New("ClientID is empty")
	case cfg.ClientSecret == "":
		return nil, errors.New("ClientSecret is empty")
	case cfg.RedirectURL == "":
		return nil, errors.New("RedirectURL is empty")
	case len(cfg.CookieKey) < MinKeyLen:
		return nil, fmt.Errorf("CookieKey has %d bytes, needs at least %d", len(cfg.CookieKey), MinKeyLen)
	}
	iss, err := url.Parse(cfg.Issuer)
	if err != nil || iss.Host == "" || iss.RawQuery != "" || iss.Fragment != "" {
		return nil, fmt.Errorf("Issuer %q is not an absolute URL without query", cfg.Issuer)
	}
	if iss.Scheme != "https" && !(iss.Scheme == "http" && isLoopback(iss.Hostname())) {
		return nil, fmt.Errorf("Issuer %q must be https (http only on a loopback address)", cfg.Issuer)
	}
	redirect, err := url.Parse(cfg.RedirectURL)
	if err != nil || redirect.Host == "" || (redirect.Scheme != "https" && redirect.Scheme != "http") {
		return nil, fmt.Errorf("RedirectURL %q is not an absolute http(s) URL", cfg.RedirectURL)
	}
	return redirect, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
