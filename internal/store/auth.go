package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	arena "github.com/arena-se/arena"
)

// ActorFor loads a user and the organisations the user belongs to.
func (db *DB) ActorFor(ctx context.Context, userID int64) (*arena.Actor, error) {
	return db.actorFor(ctx, userID)
}

// SetPassword stores the hash of a user's password.
func (db *DB) SetPassword(ctx context.Context, userID int64, hash string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, "UPDATE users SET password_hash = ? WHERE id = ?", hash, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return arena.NotFound("user")
		}
		return nil
	})
}

// PasswordHash returns the id and password hash of the user with email.
func (db *DB) PasswordHash(ctx context.Context, email string) (int64, string, error) {
	var id int64
	var hash string
	err := db.queryRow(ctx, "SELECT id, password_hash FROM users WHERE email = ?", email).Scan(&id, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", arena.NotFound("user")
	}
	return id, hash, err
}

// UserIDByEmail returns the id of the user with the e-mail address
// (lower case), for signing in.
func (db *DB) UserIDByEmail(ctx context.Context, email string) (int64, error) {
	id, _, err := db.PasswordHash(ctx, email)
	return id, err
}

// CreateSession stores a session under the hash of its secret token.
func (db *DB) CreateSession(ctx context.Context, tokenHash, csrf string, userID int64, ttl time.Duration) error {
	now := db.Now()
	return db.InTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
			tokenHash, userID, csrf, db.timeValue(now), db.timeValue(now.Add(ttl)))
		return err
	})
}

// Session returns the user and CSRF token of an unexpired session.
func (db *DB) Session(ctx context.Context, tokenHash string) (userID int64, csrf string, err error) {
	err = db.queryRow(ctx, "SELECT user_id, csrf_token FROM sessions WHERE token_hash = ? AND expires_at > ?", tokenHash, db.timeValue(db.Now())).Scan(&userID, &csrf)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", arena.Err(arena.EUNAUTHORIZED, "err.session_ended")
	}
	return userID, csrf, err
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, "DELETE FROM sessions WHERE token_hash = ? OR expires_at < ?", tokenHash, db.timeValue(db.Now()))
		return err
	})
}

// CreateAPIToken stores a bearer token under its hash.
func (db *DB) CreateAPIToken(ctx context.Context, tokenHash string, userID int64, name string) error {
	return db.InTx(ctx, func(tx *Tx) error { return tx.CreateAPITokenTx(ctx, tokenHash, userID, name) })
}

// APITokenUser returns the user a bearer token belongs to.
func (db *DB) APITokenUser(ctx context.Context, tokenHash string) (int64, error) {
	var id int64
	err := db.queryRow(ctx, "SELECT user_id FROM api_tokens WHERE token_hash = ?", tokenHash).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, arena.Err(arena.EUNAUTHORIZED, "err.token")
	}
	return id, err
}

// MarkSeed records that the named seed ran, inside the seed's own
// transaction; false means it had run before, and the caller rolls back.
func (tx *Tx) MarkSeed(ctx context.Context, name string) (bool, error) {
	var one int
	err := tx.queryRow(ctx, "SELECT 1 FROM seed_runs WHERE name = ?", name).Scan(&one)
	if err == nil {
		return false, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	_, err = tx.exec(ctx, "INSERT INTO seed_runs (name, applied_at) VALUES (?, ?)", name, tx.db.timeValue(tx.db.Now()))
	if err != nil && arena.ErrorCode(mapErr(err)) == arena.ECONFLICT {
		return false, nil // another instance seeded at the same moment
	}
	return err == nil, err
}

// SetPasswordTx stores a password hash inside the caller's transaction.
func (tx *Tx) SetPasswordTx(ctx context.Context, userID int64, hash string) error {
	_, err := tx.exec(ctx, "UPDATE users SET password_hash = ? WHERE id = ?", hash, userID)
	return err
}

// CreateAPITokenTx stores a bearer token hash inside the caller's transaction.
func (tx *Tx) CreateAPITokenTx(ctx context.Context, tokenHash string, userID int64, name string) error {
	_, err := tx.exec(ctx, "INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES (?, ?, ?, ?)",
		tokenHash, userID, name, tx.db.timeValue(tx.db.Now()))
	return err
}
