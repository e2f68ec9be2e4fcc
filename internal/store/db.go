// Package store keeps Arena's records in SQLite (the default, embedded) or
// PostgreSQL (for several instances), with one code path for both: the same
// queries, written with ? placeholders and rebound for PostgreSQL.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/refdata"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations
var migrations embed.FS

// sqliteLower is the SQL function that lower-cases text as Go does
// (strings.ToLower), registered for every SQLite connection: SQLite's own
// LOWER leaves Å, Ä and Ö as they are.
const sqliteLower = "arena_lower"

func init() {
	sqlite.MustRegisterDeterministicScalarFunction(sqliteLower, 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return strings.ToLower(v), nil
		case []byte:
			return strings.ToLower(string(v)), nil
		}
		return args[0], nil
	})
}

// Dialect names the SQL backend.
type Dialect string

// Backends.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open database. For SQLite it holds one writer connection, so
// writes never fight over the file lock, and a pool of readers (WAL lets
// them read while the writer writes). For PostgreSQL both are one pool.
type DB struct {
	Dialect Dialect
	DSN     string
	write   *sql.DB
	read    *sql.DB

	// Now is the clock; tests replace it.
	Now func() time.Time

	ref atomic.Pointer[refdata.Catalog]

	// afterWrite runs after every committed transaction that changed a
	// record: the one place derived indexes are brought up to date.
	afterWrite atomic.Pointer[func(context.Context)]

	// readStmts keeps the readers' prepared statements on SQLite (nil on
	// PostgreSQL, whose driver keeps its own). Writes are not cached: the
	// one writer connection is inside a transaction when they run, and
	// database/sql prepares a shared statement outside one.
	readStmts *stmtCache

	Entities
}

// AfterWrite sets what runs after every committed write (the match
// index's sync), so the next request on this instance sees the write in
// what is derived from the database. Other instances follow the change
// log.
func (db *DB) AfterWrite(fn func(context.Context)) { db.afterWrite.Store(&fn) }

// IsPostgresURL reports whether dsn names a PostgreSQL database.
func IsPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Option changes how Open opens a database.
type Option func(*options)

type options struct {
	syncFull bool
}

// SyncFull makes SQLite sync its write-ahead log to disk at every commit
// (PRAGMA synchronous=FULL), so a committed write survives a power cut or
// an OS crash, not only a crash of the process, for an fsync per commit.
// Without it SQLite syncs at checkpoints (NORMAL). PostgreSQL ignores it.
func SyncFull(on bool) Option { return func(o *options) { o.syncFull = on } }

// Open opens the database named by dsn (a file path for SQLite or a
// postgres:// URL), creating an SQLite file and its folder when missing,
// and runs the migrations.
func Open(ctx context.Context, dsn string, opts ...Option) (*DB, error) {
	db, err := open(dsn, opts...)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.ReloadReference(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func open(dsn string, opts ...Option) (*DB, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	db := &DB{DSN: dsn, Now: time.Now}
	db.ref.Store(refdata.NewCatalog(nil))
	db.initEntities()
	if IsPostgresURL(dsn) {
		db.Dialect = Postgres
		pool, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		// As many kept idle as may be open: a connection closed when
		// more than the idle limit were in use is a new server process
		// for the next request (TestPoolKeepsItsConnections).
		pool.SetMaxOpenConns(20)
		pool.SetMaxIdleConns(20)
		pool.SetConnMaxIdleTime(5 * time.Minute)
		db.write, db.read = pool, pool
		return db, nil
	}
	db.Dialect = SQLite
	if dir := filepath.Dir(dsn); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("create database folder: %w", err)
		}
	}
	// busy_timeout before journal_mode: switching to WAL may itself wait for a lock.
	params := url.Values{}
	params.Add("_pragma", "busy_timeout(10000)")
	params.Add("_pragma", "journal_mode(WAL)")
	params.Add("_pragma", "foreign_keys(1)")
	if o.syncFull {
		params.Add("_pragma", "synchronous(FULL)")
	} else {
		params.Add("_pragma", "synchronous(NORMAL)")
	}
	params.Set("_txlock", "immediate")
	base := "file:" + dsn + "?"
	w, err := sql.Open("sqlite", base+params.Encode())
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	params.Add("_pragma", "query_only(1)")
	params.Set("_txlock", "deferred")
	r, err := sql.Open("sqlite", base+params.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	// Every reader stays open: a new connection runs the pragmas again and
	// loses its prepared statements (database/sql keeps 2 idle by default).
	r.SetMaxOpenConns(readConns)
	r.SetMaxIdleConns(readConns)
	db.write, db.read = w, r
	db.readStmts = newStmtCache(r)
	// Make the file (and WAL mode) now, so readers never see a missing file.
	if _, err := w.Exec("SELECT 1"); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", dsn, err)
	}
	return db, nil
}

// Close closes the database.
func (db *DB) Close() error {
	db.readStmts.close()
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	return db.read.PingContext(ctx)
}

// Migrate runs the embedded migrations not yet applied, each in its own
// transaction. On PostgreSQL a session lock keeps instances that start
// together from migrating twice.
func (db *DB) Migrate(ctx context.Context) error {
	dir := "migrations/sqlite"
	dialect := goose.DialectSQLite3
	var opts []goose.ProviderOption
	if db.Dialect == Postgres {
		dir, dialect = "migrations/postgres", goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		return err
	}
	opts = append(opts, goose.WithDisableGlobalRegistry(true))
	p, err := goose.NewProvider(dialect, db.write, sub, opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// MigrationVersion returns the newest applied migration.
func (db *DB) MigrationVersion(ctx context.Context) (int64, error) {
	var v int64
	err := db.read.QueryRowContext(ctx, "SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied").Scan(&v)
	return v, err
}

// rebind turns ? placeholders into $1, $2, … for PostgreSQL. Queries in
// this package never put a ? inside a string literal.
func (db *DB) rebind(q string) string {
	if db.Dialect != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Tx is a write transaction with the store's placeholder rebinding.
type Tx struct {
	db      *DB
	tx      *sql.Tx
	changed bool // a record was written (the change log has a row)
}

func (t *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, t.db.rebind(q), args...)
}

func (t *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.db.rebind(q), args...)
}

// InTx runs fn in a write transaction, committing when it returns nil.
func (db *DB) InTx(ctx context.Context, fn func(*Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(err)
	}
	t := &Tx{db: db, tx: tx}
	if err := fn(t); err != nil {
		tx.Rollback()
		return mapErr(err)
	}
	if err := tx.Commit(); err != nil {
		return mapErr(err)
	}
	if fn := db.afterWrite.Load(); t.changed && fn != nil {
		(*fn)(ctx)
	}
	return nil
}

func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q = db.rebind(q)
	if st := db.readStmts.get(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return db.read.QueryContext(ctx, q, args...)
}

func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	q = db.rebind(q)
	if st := db.readStmts.get(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return db.read.QueryRowContext(ctx, q, args...)
}

// timeValue is how a timestamp is written: SQLite stores text that sorts as
// time does, PostgreSQL a timestamptz.
func (db *DB) timeValue(t time.Time) any {
	t = t.UTC()
	if db.Dialect == Postgres {
		return t
	}
	return t.Format("2006-01-02T15:04:05.000000Z")
}

// SQLSTATE codes of PostgreSQL that users cause.
const (
	pgUniqueViolation     = "23505"
	pgForeignKeyViolation = "23503"
)

// mapErr turns database errors that users cause into domain errors, by
// the drivers' error codes.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	var ae *arena.Error
	if errors.As(err, &ae) {
		return err
	}
	var pe *pgconn.PgError
	var se *sqlite.Error
	switch {
	case errors.As(err, &pe) && pe.Code == pgUniqueViolation,
		errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY):
		return arena.Err(arena.ECONFLICT, "err.unique")
	case errors.As(err, &pe) && pe.Code == pgForeignKeyViolation,
		errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return arena.Err(arena.ECONFLICT, "err.referenced")
	}
	return err
}
