// Package testdb gives tests real databases: a fresh SQLite file, and a
// fresh PostgreSQL schema when ARENA_TEST_POSTGRES_URL is set.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/store"
)

// PostgresEnv names the variable that points the tests at PostgreSQL.
const PostgresEnv = "ARENA_TEST_POSTGRES_URL"

// Backends returns the backends to test on; PostgreSQL is listed always and
// skipped by ForEach with a message when not configured.
func Backends() []store.Dialect { return []store.Dialect{store.SQLite, store.Postgres} }

// ForEach runs fn as a subtest on every backend with a fresh database.
func ForEach(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Backends() {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// DSN returns a fresh database address for the backend: a file in a
// temporary folder, or a new PostgreSQL schema dropped when the test ends.
func DSN(tb testing.TB, d store.Dialect) string {
	tb.Helper()
	if d == store.SQLite {
		return filepath.Join(tb.TempDir(), "arena.db")
	}
	base := os.Getenv(PostgresEnv)
	if base == "" {
		tb.Skipf("PostgreSQL tests skipped: %s is not set", PostgresEnv)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open returns a migrated database on the backend, closed when the test ends.
func Open(tb testing.TB, d store.Dialect) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), DSN(tb, d))
	if err != nil {
		tb.Fatalf("open %s: %v", d, err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// NotifyPending processes every pending event as the reach job would, but
// tells one person of each (a need match naming the event's entity), and
// returns how many it told. Tests that need many notifications use it
// instead of building needs that match.
func NotifyPending(tb testing.TB, db *store.DB, ctx context.Context, userID int64) int {
	tb.Helper()
	told := 0
	for {
		events, err := db.PendingEvents(ctx, 500)
		if err != nil {
			tb.Fatal(err)
		}
		if len(events) == 0 {
			return told
		}
		for _, e := range events {
			note := store.NewNotification{UserID: userID, Notification: arena.Notification{Kind: arena.NotifyNeedMatch, NeedID: e.EntityID, MyNeedID: e.EntityID}}
			done, err := db.CommitEvent(ctx, e.ID, []store.NewNotification{note}, time.UTC)
			if err != nil {
				tb.Fatal(err)
			}
			if done {
				told++
			}
		}
	}
}
