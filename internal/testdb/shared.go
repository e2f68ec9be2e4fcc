package testdb

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/arena-se/arena/internal/app"
	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/refdata"
	"github.com/arena-se/arena/internal/seed"
	"github.com/arena-se/arena/internal/store"
)

var (
	refOnce sync.Once
	ref     *refdata.Set
)

// Reference is the reference data of ARENA_TEST_DATA_DIR (or
// ../shared/data beside the repository, seen from a package two folders
// down), read once per test binary; nil when there is none.
func Reference() *refdata.Set {
	refOnce.Do(func() {
		dir := os.Getenv("ARENA_TEST_DATA_DIR")
		if dir == "" {
			dir = filepath.Join("..", "..", "..", "shared", "data")
		}
		if set, _, err := refdata.ReadDir(dir); err == nil && len(set.CPV) > 0 {
			ref = set
		}
	})
	return ref
}

// LogBuffer keeps a server's log, written from any goroutine, to show with
// a failure.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// Take returns what was logged since the last Take and forgets it.
func (l *LogBuffer) Take() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.buf.String()
	l.buf.Reset()
	return s
}

// DemoApp opens a fresh SQLite database in dir with the reference data
// (when there is any), the report's data and the demo users and needs,
// and builds the app's services on it as `arena serve --demo` does, its
// warnings and errors logged to logw. The caller closes the database,
// also after an error.
func DemoApp(ctx context.Context, dir string, logw io.Writer) (*store.DB, *app.App, error) {
	db, err := store.Open(ctx, filepath.Join(dir, "arena.db"))
	if err != nil {
		return nil, nil, fmt.Errorf("open: %w", err)
	}
	if set := Reference(); set != nil {
		if err := db.LoadReference(ctx, set); err != nil {
			return db, nil, fmt.Errorf("reference: %w", err)
		}
	}
	if _, err := seed.ApplyReport(ctx, db); err != nil {
		return db, nil, fmt.Errorf("report: %w", err)
	}
	if _, err := seed.ApplyDemo(ctx, db, time.Now()); err != nil {
		return db, nil, fmt.Errorf("demo: %w", err)
	}
	log := slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelWarn}))
	m := matching.New(db, match.NewAnalyzer(nil), log)
	if err := m.Build(ctx); err != nil {
		return db, nil, fmt.Errorf("matching: %w", err)
	}
	a, err := app.New(db, m, log, "test")
	if err != nil {
		return db, nil, fmt.Errorf("app: %w", err)
	}
	return db, a, nil
}

// placeholder is {name} of a record in a test's text.
var placeholder = regexp.MustCompile(`\{[a-z:]+\}`)

// Expand puts the ids of the records named in ids in for their {name} in
// s, and leaves the names it does not know.
func Expand(s string, ids map[string]int64) string {
	return placeholder.ReplaceAllStringFunc(s, func(p string) string {
		if id, ok := ids[p[1:len(p)-1]]; ok {
			return strconv.FormatInt(id, 10)
		}
		return p
	})
}
