package app

import (
	"context"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/auth"
)

// ChangePassword sets a new password for the signed-in person, who gives
// the current one (arena.CheckNewPassword for the new). A wrong current
// password counts as a failed sign-in of the account, so guessing it here
// is throttled as signing in is; nothing changes when it is refused.
func (a *App) ChangePassword(ctx context.Context, current, next string) error {
	actor, err := arena.RequireActor(ctx)
	if err != nil {
		return err
	}
	if actor.User == nil {
		return arena.Forbidden("err.forbidden.user_change")
	}
	if err := arena.CheckNewPassword("new_password", next); err != nil {
		return err
	}
	if len(current) > arena.PasswordMax {
		return arena.Invalid("current_password", "err.password_wrong")
	}
	account := "account:" + actor.User.Email
	if err := a.throttled(ctx, account); err != nil {
		return err
	}
	var hash string
	err = a.Limits.Do(ctx, func() error {
		_, stored, err := a.DB.PasswordHash(ctx, actor.User.Email)
		if err != nil && arena.ErrorCode(err) != arena.ENOTFOUND {
			return err
		}
		if err != nil || !auth.CheckPassword(stored, current) {
			return arena.Invalid("current_password", "err.password_wrong")
		}
		hash, err = auth.HashPassword(next)
		return err
	})
	if arena.ErrorField(err) == "current_password" {
		if err := a.failedOn(ctx, account); err != nil {
			return err
		}
	}
	if err != nil {
		return err
	}
	return a.DB.SetPassword(ctx, actor.UserID(), hash)
}
