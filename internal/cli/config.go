// Package cli is the arena command: it reads the configuration and runs
// serve, migrate, user create, reference load and version.
package cli

import (
	"crypto/hmac"
	"crypto/sha256"
	"flag"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/arena-se/arena/internal/app"
	"github.com/arena-se/arena/internal/mail"
	"github.com/arena-se/arena/internal/oidc"
)

// Config is the whole configuration, read from flags, then the
// environment, then defaults. It is passed down, never global.
type Config struct {
	DB              string        // ARENA_DB: SQLite file path or postgres:// URL
	Addr            string        // ARENA_ADDR: listen address
	DataDir         string        // ARENA_DATA_DIR: reference data folder (like ../shared/data)
	Demo            bool          // ARENA_DEMO: add demo users and needs
	LogFormat       string        // ARENA_LOG_FORMAT: text or json
	SecureCookies   bool          // ARENA_SECURE_COOKIES: set when served over TLS
	SQLiteSyncFull  bool          // ARENA_SQLITE_SYNC_FULL: SQLite syncs every commit (synchronous=FULL), not only at checkpoints
	ShutdownTimeout time.Duration // how long in-flight requests may run on shutdown
	RequestTimeout  time.Duration // ARENA_REQUEST_TIMEOUT: how long one request's work may run
	MetricsAddr     string        // ARENA_METRICS_ADDR: serve /metrics here instead of on Addr
	Pprof           bool          // ARENA_PPROF: also serve Go's profiler (/debug/pprof/) on MetricsAddr
	TrustedProxies  string        // ARENA_TRUSTED_PROXIES: load balancers whose X-Forwarded-For names the client

	// Sign-in through an identity provider (OpenID Connect), off when
	// OIDCIssuer is empty.
	PublicURL        string // ARENA_PUBLIC_URL: where people reach Arena (https://arena.example.se)
	OCDSPrefix       string // ARENA_OCDS_PREFIX: the registered ocid prefix of the OCDS export
	OCDSPublisher    string // ARENA_OCDS_PUBLISHER: who publishes the OCDS export
	OCDSPublisherURI string // ARENA_OCDS_PUBLISHER_URI: the publisher's web address (optional)
	OIDCIssuer       string // ARENA_OIDC_ISSUER
	OIDCClientID     string // ARENA_OIDC_CLIENT_ID
	OIDCClientSecret string // ARENA_OIDC_CLIENT_SECRET

	// E-mail through SMTP, off when SMTP.Host is empty (the inbox works
	// without it).
	SMTP mail.Config // ARENA_SMTP_HOST, _PORT, _TLS, _USER, _PASSWORD, _FROM
	// MailEvery is how often events are turned into notifications and due
	// e-mail is sent (writes also start it at once).
	MailEvery time.Duration // ARENA_MAIL_EVERY
	// MailLease is how long an instance's claim on an e-mail, or on the
	// events it turns into notifications, holds: after a crash, they wait
	// this long before another instance takes them.
	MailLease time.Duration // ARENA_MAIL_LEASE
}

// DefaultConfig returns the defaults: a SQLite file beside the working
// directory, so a new user needs nothing else.
func DefaultConfig() Config {
	return Config{OCDSPrefix: app.DefaultOCDSPrefix, OCDSPublisher: "Arena", DB: "arena-data/arena.db", Addr: "localhost:8080", LogFormat: "text", ShutdownTimeout: 20 * time.Second,
		RequestTimeout: app.DefaultRequestTimeout, MailEvery: 30 * time.Second, MailLease: 2 * time.Minute}
}

// bind registers the config's flags on fs, with defaults taken from the
// environment so that a flag given wins over the environment.
func (c *Config) bind(fs *flag.FlagSet, getenv func(string) string, serve bool) {
	str := func(p *string, name, env, usage string) {
		if v := getenv(env); v != "" {
			*p = v
		}
		fs.StringVar(p, name, *p, usage+" (env "+env+")")
	}
	boolean := func(p *bool, name, env, usage string) {
		if v, err := strconv.ParseBool(getenv(env)); err == nil {
			*p = v
		}
		fs.BoolVar(p, name, *p, usage+" (env "+env+")")
	}
	integer := func(p *int, name, env, usage string) {
		if v, err := strconv.Atoi(getenv(env)); err == nil {
			*p = v
		}
		fs.IntVar(p, name, *p, usage+" (env "+env+")")
	}
	duration := func(p *time.Duration, name, env, usage string) {
		if v, err := time.ParseDuration(getenv(env)); err == nil {
			*p = v
		}
		fs.DurationVar(p, name, *p, usage+" (env "+env+")")
	}
	str(&c.DB, "db", "ARENA_DB", "SQLite file or postgres:// URL")
	str(&c.DataDir, "data-dir", "ARENA_DATA_DIR", "reference data folder, laid out like shared/data")
	str(&c.LogFormat, "log-format", "ARENA_LOG_FORMAT", "log format: text or json")
	if serve {
		str(&c.Addr, "addr", "ARENA_ADDR", "listen address")
		boolean(&c.Demo, "demo", "ARENA_DEMO", "add demo users and needs")
		boolean(&c.SecureCookies, "secure-cookies", "ARENA_SECURE_COOKIES", "mark cookies Secure (behind TLS)")
		boolean(&c.SQLiteSyncFull, "sqlite-sync-full", "ARENA_SQLITE_SYNC_FULL", "SQLite: sync every commit to disk (synchronous=FULL), so it survives a power cut; default NORMAL")
		duration(&c.RequestTimeout, "request-timeout", "ARENA_REQUEST_TIMEOUT", "how long one request's work may run (0: no limit)")
		str(&c.TrustedProxies, "trusted-proxies", "ARENA_TRUSTED_PROXIES", "addresses or ranges of the load balancers in front (e.g. 10.0.0.0/8); their X-Forwarded-For names the client for limits and sign-in throttling")
		str(&c.MetricsAddr, "metrics-addr", "ARENA_METRICS_ADDR", "serve Prometheus /metrics on this address of its own instead of on --addr")
		boolean(&c.Pprof, "pprof", "ARENA_PPROF", "also serve Go's profiler at /debug/pprof/ on --metrics-addr (which it requires; keep that address internal)")
		str(&c.PublicURL, "public-url", "ARENA_PUBLIC_URL", "the address people reach Arena at, e.g. https://arena.example.se (for the identity provider's redirect)")
		str(&c.OCDSPublisher, "ocds-publisher", "ARENA_OCDS_PUBLISHER", "who publishes the OCDS export: the organisation that runs this arena (at most 200 characters)")
		str(&c.OCDSPublisherURI, "ocds-publisher-uri", "ARENA_OCDS_PUBLISHER_URI", "the publisher's web address (https), given in the OCDS export; empty: none")
		str(&c.OCDSPrefix, "ocds-prefix", "ARENA_OCDS_PREFIX", "the ocid prefix registered with the Open Contracting Partnership (ocds- and six characters) for the OCDS export; the default "+app.DefaultOCDSPrefix+" is not registered")
		str(&c.OIDCIssuer, "oidc-issuer", "ARENA_OIDC_ISSUER", "OpenID Connect issuer URL of the organisations' identity provider; empty: password sign-in only")
		str(&c.OIDCClientID, "oidc-client-id", "ARENA_OIDC_CLIENT_ID", "the client id Arena has at the identity provider")
		str(&c.OIDCClientSecret, "oidc-client-secret", "ARENA_OIDC_CLIENT_SECRET", "the client secret (prefer the environment variable: flags show in the process list)")
		str(&c.SMTP.Host, "smtp-host", "ARENA_SMTP_HOST", "SMTP server for e-mail notifications; empty: e-mail off, the inbox only")
		integer(&c.SMTP.Port, "smtp-port", "ARENA_SMTP_PORT", "SMTP port (0: 587, or 465 with --smtp-tls tls)")
		str(&c.SMTP.TLS, "smtp-tls", "ARENA_SMTP_TLS", "starttls (required, the default), opportunistic, tls (implicit) or none")
		str(&c.SMTP.User, "smtp-user", "ARENA_SMTP_USER", "SMTP user name; empty: no authentication")
		str(&c.SMTP.Password, "smtp-password", "ARENA_SMTP_PASSWORD", "SMTP password (prefer the environment variable: flags show in the process list)")
		str(&c.SMTP.From, "smtp-from", "ARENA_SMTP_FROM", "the sender address, e.g. \"Arena <arena@example.se>\"")
		duration(&c.MailEvery, "mail-every", "ARENA_MAIL_EVERY", "how often notifications are made and due e-mail sent (writes also start it)")
		duration(&c.MailLease, "mail-lease", "ARENA_MAIL_LEASE", "how long an instance's claim on an e-mail, or on the events it turns into notifications, holds; after a crash they wait this long (longer than one SMTP delivery takes)")
	}
}

func (c *Config) check() error {
	if c.DB == "" {
		return fmt.Errorf("no database: give --db or ARENA_DB")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("--log-format must be text or json, not %q", c.LogFormat)
	}
	if c.RequestTimeout < 0 {
		return fmt.Errorf("--request-timeout must not be negative")
	}
	if !ocdsPrefix(c.OCDSPrefix) {
		return fmt.Errorf("--ocds-prefix must be ocds- and six lower-case letters or digits, not %q", c.OCDSPrefix)
	}
	if p := strings.TrimSpace(c.OCDSPublisher); p == "" || utf8.RuneCountInString(p) > 200 || !utf8.ValidString(p) {
		return fmt.Errorf("--ocds-publisher must name the publisher in 1 to 200 characters, not %q", c.OCDSPublisher)
	}
	if u := c.OCDSPublisherURI; u != "" {
		if pu, err := url.Parse(u); err != nil || (pu.Scheme != "https" && pu.Scheme != "http") || pu.Host == "" {
			return fmt.Errorf("--ocds-publisher-uri must be an http or https address, not %q", u)
		}
	}
	if c.Pprof && c.MetricsAddr == "" {
		return fmt.Errorf("--pprof needs --metrics-addr: the profiler is served only on the internal metrics address")
	}
	if _, err := app.ParseTrustedProxies(c.TrustedProxies); err != nil {
		return fmt.Errorf("--trusted-proxies: %w", err)
	}
	if c.OIDCIssuer != "" {
		switch {
		case c.OIDCClientID == "":
			return fmt.Errorf("--oidc-issuer needs --oidc-client-id")
		case c.OIDCClientSecret == "":
			return fmt.Errorf("--oidc-issuer needs a client secret (ARENA_OIDC_CLIENT_SECRET)")
		case c.PublicURL == "":
			return fmt.Errorf("--oidc-issuer needs --public-url, the address the identity provider sends people back to")
		}
	}
	if c.SMTP.Enabled() {
		if err := c.SMTP.Check(); err != nil {
			return fmt.Errorf("e-mail: %w", err)
		}
	}
	if c.MailEvery <= 0 || c.MailLease <= 0 {
		return fmt.Errorf("--mail-every and --mail-lease must be positive")
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			return fmt.Errorf("--public-url must be a site address like https://arena.example.se, not %q", c.PublicURL)
		}
	}
	return nil
}

// oidcConfig is the identity provider's configuration. The key that signs
// the sign-in cookie is derived from the client secret, so every instance
// of one deployment has the same key without another setting.
func (c *Config) oidcConfig() oidc.Config {
	mac := hmac.New(sha256.New, []byte(c.OIDCClientSecret))
	mac.Write([]byte("arena oidc cookie key"))
	return oidc.Config{Issuer: c.OIDCIssuer, ClientID: c.OIDCClientID, ClientSecret: c.OIDCClientSecret,
		RedirectURL: strings.TrimSuffix(c.PublicURL, "/") + "/logga-in/oidc/klar", CookieKey: mac.Sum(nil)}
}

// ocdsPrefix tells whether p is an ocid prefix: ocds- and six lower-case
// letters or digits.
func ocdsPrefix(p string) bool {
	rest, ok := strings.CutPrefix(p, "ocds-")
	if !ok || len(rest) != 6 {
		return false
	}
	for _, r := range rest {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}
