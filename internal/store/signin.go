package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// LoginThrottle is what the store keeps of failed sign-ins under one key
// (an account or a client address).
type LoginThrottle struct {
	Failures     int
	BlockedUntil time.Time
}

// LoginThrottles returns the failures recorded under each key; a key with
// none is missing from the map. Failures older than forget are forgotten.
func (db *DB) LoginThrottles(ctx context.Context, keys []string, forget time.Duration) (map[string]LoginThrottle, error) {
	out := map[string]LoginThrottle{}
	since := db.timeValue(db.Now().Add(-forget))
	for _, k := range keys {
		var t LoginThrottle
		var until any
		err := db.queryRow(ctx, "SELECT failures, blocked_until FROM login_attempts WHERE key = ? AND last_failure >= ?", k, since).Scan(&t.Failures, &until)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			return nil, err
		}
		if t.BlockedUntil, err = scanTime(until); err != nil {
			return nil, err
		}
		out[k] = t
	}
	return out, nil
}

// RecordLoginFailure counts a failed sign-in under each key and blocks the
// key until block(failures) from now; failures older than forget start
// the count again.
func (db *DB) RecordLoginFailure(ctx context.Context, keys []string, forget time.Duration, block func(failures int) time.Duration) error {
	now := db.Now()
	return db.InTx(ctx, func(tx *Tx) error {
		for _, k := range keys {
			var failures int
			var last any
			err := tx.queryRow(ctx, "SELECT failures, last_failure FROM login_attempts WHERE key = ?", k).Scan(&failures, &last)
			if errors.Is(err, sql.ErrNoRows) {
				failures = 0
			} else if err != nil {
				return err
			} else if lt, err := scanTime(last); err != nil {
				return err
			} else if now.Sub(lt) > forget {
				failures = 0
			}
			failures++
			until := db.timeValue(now.Add(block(failures)))
			if _, err := tx.exec(ctx, "DELETE FROM login_attempts WHERE key = ?", k); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, "INSERT INTO login_attempts (key, failures, last_failure, blocked_until) VALUES (?, ?, ?, ?)",
				k, failures, db.timeValue(now), until); err != nil {
				return err
			}
		}
		return nil
	})
}

// ClearLoginFailures forgets the failures under a key (after a sign-in
// that succeeded).
func (db *DB) ClearLoginFailures(ctx context.Context, key string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, "DELETE FROM login_attempts WHERE key = ?", key)
		return err
	})
}

// PruneSignIns deletes expired sessions and failed sign-ins older than
// forget, which no longer count.
func (db *DB) PruneSignIns(ctx context.Context, forget time.Duration) error {
	now := db.Now()
	return db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE expires_at < ?", db.timeValue(now)); err != nil {
			return err
		}
		_, err := tx.exec(ctx, "DELETE FROM login_attempts WHERE last_failure < ?", db.timeValue(now.Add(-forget)))
		return err
	})
}

// scanTime reads a time as either driver returns it: SQLite's text, a
// PostgreSQL timestamptz.
func scanTime(v any) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		return x.UTC(), nil
	case string:
		return time.Parse(time.RFC3339Nano, x)
	case []byte:
		return time.Parse(time.RFC3339Nano, string(x))
	}
	return time.Time{}, errors.New("store: not a time")
}
