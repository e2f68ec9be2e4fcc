package app

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/oidc"
	"github.com/arena-se/arena/internal/store"
)

// Verified is a person an identity provider vouched for (OpenID Connect):
// the e-mail address it verified and the name it gave.
type Verified struct {
	Email string
	Name  string
}

// VerifiedSignIn is a started sign-in through an identity provider, with
// what it asked for on the person's behalf.
type VerifiedSignIn struct {
	*Session
	Created   bool                 // the person had no account; one was made
	Requested *arena.OrgMembership // the request to join made now, nil when none
}

// SignInVerified signs in a person whose e-mail address the identity
// provider verified, when the address's domain is an organisation's
// (arena.CanSignInVerified). A person without an account gets one; a
// person not yet in that organisation asks to join it (arena.JoinRequest),
// and its admin approves. Nothing is stored when the sign-in is refused.
func (a *App) SignInVerified(ctx context.Context, v Verified) (*VerifiedSignIn, error) {
	email := strings.ToLower(strings.TrimSpace(v.Email))
	if err := arena.CheckQuery("email", email); err != nil {
		return nil, err
	}
	sys := arena.WithActor(ctx, arena.SystemActor())
	domains, err := a.DB.OrgDomains.List(sys, store.ListQuery{Filters: map[string]string{"domain": arena.DomainOf(email)}, Limit: 1})
	if err != nil {
		return nil, err
	}
	var domain *arena.OrgDomain
	if len(domains.Items) == 1 {
		domain = domains.Items[0]
	}
	if err := arena.CanSignInVerified(email, domain); err != nil {
		a.LoginFailed("domain")
		return nil, err
	}
	out := &VerifiedSignIn{}
	var id int64
	// Two first sign-ins of one person at once: the second finds the
	// account the first made.
	for range 2 {
		if id, err = a.DB.UserIDByEmail(ctx, email); arena.ErrorCode(err) != arena.ENOTFOUND {
			break
		}
		err = a.DB.InTx(sys, func(tx *store.Tx) error {
			u := &arena.User{Email: email, Name: clip(strings.TrimSpace(v.Name), arena.NameMax)}
			if err := a.DB.Users.CreateTx(sys, tx, u); err != nil {
				return err
			}
			id, out.Created = u.ID, true
			out.Requested = arena.JoinRequest(u.ID, domain, nil)
			return a.DB.OrgMemberships.CreateTx(sys, tx, out.Requested)
		})
		if arena.ErrorCode(err) != arena.ECONFLICT {
			break
		}
		out.Created, out.Requested = false, nil
	}
	if err != nil {
		return nil, err
	}
	if !out.Created {
		self := arena.WithActor(ctx, &arena.Actor{User: &arena.User{Meta: arena.Meta{ID: id}}})
		mine, err := store.All(self, a.DB.OrgMemberships, map[string]string{"user_id": strconv.FormatInt(id, 10)})
		if err != nil {
			return nil, err
		}
		if out.Requested = arena.JoinRequest(id, domain, mine); out.Requested != nil {
			if err := a.DB.OrgMemberships.Create(sys, out.Requested); err != nil && arena.ErrorCode(err) != arena.ECONFLICT {
				return nil, err
			}
		}
	}
	if out.Session, err = a.startSession(ctx, id); err != nil {
		return nil, err
	}
	return out, nil
}

// clip cuts s to at most n characters.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// OIDC returns the identity provider's sign-in, nil when none is
// configured or it has not been reached yet.
func (a *App) OIDC() *oidc.Provider { return a.oidc.Load() }

// ConnectOIDC configures sign-in through an identity provider. It reaches
// the provider (discovery) now and, while that fails, again every retry
// until ctx ends, so an instance starts and serves password sign-in while
// the provider is down. A configuration that can never work is an error.
func (a *App) ConnectOIDC(ctx context.Context, cfg oidc.Config, retry time.Duration) error {
	connect := func() error {
		p, err := oidc.New(ctx, cfg)
		if err != nil {
			return err
		}
		a.oidc.Store(p)
		a.Log.InfoContext(ctx, "sign-in through the identity provider ready", "issuer", cfg.Issuer)
		return nil
	}
	err := connect()
	if oidc.KindOf(err) == oidc.KindConfig {
		return err
	}
	a.OIDCConfigured = true
	if err == nil {
		return nil
	}
	a.Log.WarnContext(ctx, "identity provider unreachable; sign-in through it waits", "issuer", cfg.Issuer, "err", err, "retry", retry)
	go func() {
		t := time.NewTicker(retry)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := connect(); err == nil {
					return
				} else if ctx.Err() == nil {
					a.Log.WarnContext(ctx, "identity provider still unreachable", "issuer", cfg.Issuer, "err", err)
				}
			}
		}
	}()
	return nil
}
