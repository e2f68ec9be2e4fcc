package app

import (
	"context"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/auth"
	"github.com/arena-se/arena/internal/store"
)

// SignUpByInvite makes the account of a person who followed the sign-up
// link of an invitation by e-mail, with the address the link was sent to,
// writes the person's request to join the invited organisation
// (arena.SignupRequest) and starts a session. An address that has an
// account already is refused (ECONFLICT on "email"): that person signs in
// and follows the link again (JoinByInvite). Nothing is stored when it is
// refused.
func (a *App) SignUpByInvite(ctx context.Context, token, name, password string) (*Session, *arena.OrgMembership, error) {
	in, err := a.Reach.OpenInvitation(ctx, token)
	if err != nil {
		return nil, nil, err
	}
	u := &arena.User{Email: in.Invite.Email, Name: strings.TrimSpace(name)}
	if u.Name == "" {
		return nil, nil, arena.Invalid("name", "err.required")
	}
	if err := u.Validate(); err != nil {
		return nil, nil, err
	}
	if err := arena.CheckNewPassword("password", password); err != nil {
		return nil, nil, err
	}
	if _, err := a.DB.UserIDByEmail(ctx, u.Email); err == nil {
		return nil, nil, arena.Conflict("email", "err.signup.has_account", arena.F{"email": u.Email})
	} else if arena.ErrorCode(err) != arena.ENOTFOUND {
		return nil, nil, err
	}
	var hash string
	if err := a.Limits.Do(ctx, func() (err error) {
		hash, err = auth.HashPassword(password)
		return err
	}); err != nil {
		return nil, nil, err
	}
	sys := arena.WithActor(ctx, arena.SystemActor())
	req, err := a.DB.UseEmailInvite(ctx, in.Invite.ID, func(tx *store.Tx) (int64, error) {
		if err := a.DB.Users.CreateTx(sys, tx, u); err != nil {
			return 0, err
		}
		return u.ID, tx.SetPasswordTx(ctx, u.ID, hash)
	})
	if err != nil {
		return nil, nil, err
	}
	sess, err := a.startSession(ctx, u.ID)
	return sess, req, err
}

// JoinByInvite: a signed-in person who followed a sign-up link asks to
// join the invited organisation (arena.SignupRequest).
func (a *App) JoinByInvite(ctx context.Context, token string) (*arena.OrgMembership, error) {
	actor, err := arena.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	in, err := a.Reach.OpenInvitation(ctx, token)
	if err != nil {
		return nil, err
	}
	return a.DB.UseEmailInvite(ctx, in.Invite.ID, func(*store.Tx) (int64, error) { return actor.UserID(), nil })
}
