// Package app is Arena's one set of services, built once by the command
// (cli) and shared by the JSON API and the web pages, so the two are two
// faces of the same operations and give the same answers: the store (with
// the domain's rules), matching, networks, sessions and the catalogues
// that word every message.
package app

import (
	"context"
	"log/slog"
	"strings"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/auth"
	"github.com/arena-se/arena/internal/i18n"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/networks"
	"github.com/arena-se/arena/internal/store"
)

// SessionTTL is how long a sign-in lasts.
const SessionTTL = 12 * time.Hour

// App holds the services.
type App struct {
	DB       *store.DB
	Matching *matching.Service // nil when matching is not running
	Networks *networks.Service
	Texts    *i18n.Bundle
	Log      *slog.Logger
	Version  string
	// SecureCookies sets the Secure flag on cookies (behind TLS).
	SecureCookies bool
}

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
	a := &App{DB: db, Matching: m, Networks: networks.New(db, m, log), Texts: texts, Log: log, Version: version}
	if m != nil {
		db.AfterWrite(func(ctx context.Context) {
			// The write is committed; a sync that fails here is retried
			// by the service's own loop.
			if err := m.Sync(context.WithoutCancel(ctx)); err != nil {
				log.WarnContext(ctx, "match index sync after write", "err", err)
			}
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
// wrong password get the same answer.
func (a *App) SignIn(ctx context.Context, email, password string) (*Session, error) {
	bad := arena.Err(arena.EUNAUTHORIZED, "err.sign_in_wrong")
	id, hash, err := a.DB.PasswordHash(ctx, strings.ToLower(strings.TrimSpace(email)))
	if arena.ErrorCode(err) == arena.ENOTFOUND || (err == nil && !auth.CheckPassword(hash, password)) {
		return nil, bad
	} else if err != nil {
		return nil, err
	}
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

// SignOut ends the session with the secret token.
func (a *App) SignOut(ctx context.Context, token string) error {
	return a.DB.DeleteSession(ctx, auth.HashToken(token))
}
