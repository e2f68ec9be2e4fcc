// Package app is Arena's one set of services, built once by the command
// (cli) and shared by the JSON API and the web pages, so the two are two
// faces of the same operations and give the same answers: the store (with
// the domain's rules), matching, networks, sessions and the catalogues
// that word every message.
package app

import (
	"context"
	"log/slog"
	"net/netip"
	"strings"
	"sync/atomic"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/auth"
	"github.com/arena-se/arena/internal/i18n"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/networks"
	"github.com/arena-se/arena/internal/oidc"
	"github.com/arena-se/arena/internal/reach"
	"github.com/arena-se/arena/internal/store"
)

// SessionTTL is how long a sign-in lasts.
const SessionTTL = 12 * time.Hour

// DefaultRequestTimeout bounds a request's work: far above any page's or
// match's time, far below what would hold a worker.
const DefaultRequestTimeout = 15 * time.Second

// App holds the services.
type App struct {
	DB       *store.DB
	Matching *matching.Service // nil when matching is not running
	Networks *networks.Service
	// Reach tells people of what concerns them: notifications, the
	// inbox and e-mail.
	Reach   *reach.Service
	Texts   *i18n.Bundle
	Log     *slog.Logger
	Version string
	// SecureCookies sets the Secure flag on cookies (behind TLS).
	SecureCookies bool
	// Limits bounds the expensive work running at once.
	Limits *Limiter
	// RequestTimeout bounds each request's work; 0 for none.
	RequestTimeout time.Duration
	// TrustedProxies are the load balancers whose X-Forwarded-For names
	// the client (ClientAddr); none by default.
	TrustedProxies []netip.Prefix
	// OnLoginFailure is told of each failed sign-in and why (metrics); nil
	// tells nobody.
	OnLoginFailure func(reason string)
	// OCDSPrefix is the ocid prefix of the OCDS export (registered with
	// the Open Contracting Partnership: ocds- and six characters).
	OCDSPrefix string
	// OCDSPublisher and OCDSPublisherURI name who publishes the OCDS
	// export (the organisation running the arena); "Arena" and none by
	// default.
	OCDSPublisher, OCDSPublisherURI string
	// OIDCConfigured says an identity provider is configured for signing
	// in (OIDC gives it once it has been reached).
	OIDCConfigured bool
	oidc           atomic.Pointer[oidc.Provider]
}

// DefaultOCDSPrefix is the ocid prefix when none is configured. It is not
// registered: an arena that publishes OCDS sets its own (--ocds-prefix).
const DefaultOCDSPrefix = "ocds-arena0"

// New builds the services on db and m (m may be nil) and makes every
// committed write bring the match index up to date before the request
// that made it returns, so a need just written is matchable at once.
func New(db *store.DB, m *matching.Service, log *slog.Logger, version string) (*App, error) {
	if log == nil {
		log = slog.Default()
	}
	texts, err := i18n.Load(log)
	if err != nil {
		return nil, err
	}
	a := &App{DB: db, Matching: m, Networks: networks.New(db, m, log), Reach: reach.New(db, m, texts, log), Texts: texts, Log: log, Version: version, OCDSPrefix: DefaultOCDSPrefix, OCDSPublisher: "Arena",
		Limits: NewLimiter(0, 0), RequestTimeout: DefaultRequestTimeout}
	db.AfterWrite(func(ctx context.Context) { a.Reach.Kick() })
	if m != nil {
		m.Limit = func(ctx context.Context, fn func() error) error { return a.Limits.Do(ctx, fn) }
		db.AfterWrite(func(ctx context.Context) {
			// The write is committed; a sync that fails here is retried
			// by the service's own loop.
			if err := m.Sync(context.WithoutCancel(ctx)); err != nil {
				log.WarnContext(ctx, "match index sync after write", "err", err)
			}
			a.Reach.Kick()
		})
	}
	return a, nil
}

// Now is the clock.
func (a *App) Now() time.Time {
	if a.DB.Now != nil {
		return a.DB.Now()
	}
	return time.Now()
}

// Session is a started sign-in: the actor, the secret token for the
// cookie and the CSRF token that writes on the session must show.
type Session struct {
	Actor *arena.Actor
	Token string
	CSRF  string
}

// SignIn checks a password and starts a session. A wrong e-mail and a
// wrong password get the same answer in the same time. Failures are
// counted per account and per client address, in the database so every
// instance counts alike; after a few, each blocks the account or address
// for twice as long as the one before (auth.Backoff), and a blocked
// sign-in is refused before any password is checked (ELIMITED, with when
// to try again).
func (a *App) SignIn(ctx context.Context, email, password string) (*Session, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if err := arena.CheckQuery("email", email); err != nil {
		return nil, err
	}
	account, client := "account:"+email, "client:"+ClientOf(ctx)
	if err := a.throttled(ctx, account, client); err != nil {
		if arena.ErrorCode(err) == arena.ELIMITED {
			a.LoginFailed("throttled")
		}
		return nil, err
	}
	var id int64
	var ok bool
	err := a.Limits.Do(ctx, func() error {
		var hash string
		var err error
		id, hash, err = a.DB.PasswordHash(ctx, email)
		switch {
		case arena.ErrorCode(err) == arena.ENOTFOUND:
			ok = auth.CheckAbsent(password)
			return nil
		case err != nil:
			return err
		}
		ok = auth.CheckPassword(hash, password)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !ok {
		a.LoginFailed("wrong")
		if err := a.failedOn(ctx, account); err != nil {
			return nil, err
		}
		if err := a.DB.RecordLoginFailure(ctx, []string{client}, auth.ForgetAfter, func(n int) time.Duration { return auth.Backoff(n, auth.FreeClientFailures) }); err != nil {
			return nil, err
		}
		return nil, arena.Err(arena.EUNAUTHORIZED, "err.sign_in_wrong")
	}
	if err := a.DB.ClearLoginFailures(ctx, account); err != nil {
		return nil, err
	}
	return a.startSession(ctx, id)
}

// throttled refuses (ELIMITED, with when to try again) while any of the
// sign-in keys ("account:…", "client:…") is blocked.
func (a *App) throttled(ctx context.Context, keys ...string) error {
	blocked, err := a.DB.LoginThrottles(ctx, keys, auth.ForgetAfter)
	if err != nil {
		return err
	}
	now := a.Now()
	for _, t := range blocked {
		if t.BlockedUntil.After(now) {
			return arena.Limited("err.sign_in_throttled", retryAfter(t.BlockedUntil.Sub(now)))
		}
	}
	return nil
}

// failedOn counts a wrong password against an account ("account:…").
func (a *App) failedOn(ctx context.Context, account string) error {
	return a.DB.RecordLoginFailure(ctx, []string{account}, auth.ForgetAfter, func(n int) time.Duration { return auth.Backoff(n, auth.FreeAccountFailures) })
}

// startSession starts a session of the user with id.
func (a *App) startSession(ctx context.Context, id int64) (*Session, error) {
	token, tokenHash := auth.NewToken("")
	csrf, _ := auth.NewToken("")
	if err := a.DB.CreateSession(ctx, tokenHash, csrf, id, SessionTTL); err != nil {
		return nil, err
	}
	actor, err := a.DB.ActorFor(ctx, id)
	if err != nil {
		return nil, err
	}
	return &Session{Actor: actor, Token: token, CSRF: csrf}, nil
}

// LoginFailed tells OnLoginFailure of a failed sign-in and why.
func (a *App) LoginFailed(reason string) {
	if a.OnLoginFailure != nil {
		a.OnLoginFailure(reason)
	}
}

// SignOut ends the session with the secret token.
func (a *App) SignOut(ctx context.Context, token string) error {
	return a.DB.DeleteSession(ctx, auth.HashToken(token))
}
