package store

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Backups and restores of SQLite databases. PostgreSQL has its own tools
// (pg_dump, pg_restore), and these functions say how to use them.
//
// A backup is one self-contained SQLite file (no write-ahead log beside
// it), a consistent snapshot of one moment, checked before it is given
// its name. Nothing here ever overwrites a file silently: a backup needs a
// new name, and a restore over an existing database needs Replace, proof
// that no connection has it open, and keeps the replaced content beside it.

// arenaTables are tables every Arena database has since its first
// migration; a file without them is no Arena database.
var arenaTables = []string{"goose_db_version", "organizations", "users", "needs", "networks"}

// Stats returns the connection pool statistics, by pool: "write" and
// "read" on SQLite (one writer connection, a pool of readers), "pool" on
// PostgreSQL (one pool for both).
func (db *DB) Stats() map[string]sql.DBStats {
	if db.read == db.write {
		return map[string]sql.DBStats{"pool": db.write.Stats()}
	}
	return map[string]sql.DBStats{"write": db.write.Stats(), "read": db.read.Stats()}
}

// SQLiteSynchronous returns PRAGMA synchronous of the write connection (0
// OFF, 1 NORMAL, 2 FULL, 3 EXTRA), so an operator or a test can see that
// SyncFull is in effect. It is an error on PostgreSQL.
func (db *DB) SQLiteSynchronous(ctx context.Context) (int, error) {
	if db.Dialect != SQLite {
		return 0, errors.New("PRAGMA synchronous is SQLite's; PostgreSQL has synchronous_commit")
	}
	var n int
	err := db.write.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&n)
	return n, err
}

// Backup writes a consistent copy of the database to path while it keeps
// serving. On SQLite it runs VACUUM INTO on a connection of its own, a
// reader of the write-ahead log, so writes go on meanwhile and the copy is
// the database as of one moment. It refuses a path that exists, writes to
// a temporary name in the same folder, checks the copy (integrity, Arena's
// tables and migrations), syncs it and only then gives it its name. On
// PostgreSQL it returns an error that says how to use pg_dump.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.Dialect == Postgres {
		return pgDumpAdvice(db.DSN)
	}
	return backupSQLite(ctx, db.DSN, path)
}

// BackupFile is Backup for the database at dsn when nothing has it open
// here: it neither creates nor migrates the database (so `arena backup`
// never changes what a running server of another version serves).
func BackupFile(ctx context.Context, dsn, path string) error {
	if IsPostgresURL(dsn) {
		return pgDumpAdvice(dsn)
	}
	if err := isSQLiteFile(dsn); err != nil {
		return fmt.Errorf("database %s: %w", dsn, err)
	}
	return backupSQLite(ctx, dsn, path)
}

func backupSQLite(ctx context.Context, dsn, path string) error {
	if path == "" {
		return errors.New("no backup file given")
	}
	if err := mustNotExist(path, "a backup never overwrites a file: choose a new name"); err != nil {
		return err
	}
	tmp, err := reserveTemp(path)
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			os.Remove(tmp)
		}
	}()
	// Not the store's reader pool: its connections are query_only, which
	// VACUUM INTO refuses; not the writer: writes would wait for the copy.
	conn, err := sql.Open("sqlite", sqliteURI(dsn, "_pragma=busy_timeout(10000)"))
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		return fmt.Errorf("back up %s: %w", dsn, err)
	}
	if _, err := VerifyBackup(ctx, tmp); err != nil {
		return fmt.Errorf("the copy of %s failed its check: %w", dsn, err)
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	if err := placeFile(tmp, path); err != nil {
		return err
	}
	done = true
	return nil
}

// VerifyBackup checks that path is a closed SQLite file holding an Arena
// database that this version can serve: the SQLite header, no write-ahead
// log beside it (that would be a live database, whose file alone misses
// the latest commits), PRAGMA integrity_check, Arena's tables and an
// applied migration no newer than this version knows. It returns the
// newest applied migration.
func VerifyBackup(ctx context.Context, path string) (version int64, err error) {
	if err := isSQLiteFile(path); err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		return 0, fmt.Errorf("%s has a write-ahead log beside it (%s-wal): it is a live database, not a backup; make one with arena backup", path, path)
	}
	// immutable: a backup is not written while it is read, and so no lock
	// or shared-memory file is made beside it.
	conn, err := sql.Open("sqlite", sqliteURI(path, "mode=ro&immutable=1"))
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	if err := integrityCheck(ctx, conn); err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	var tables []string
	rows, err := conn.QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type = 'table'")
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return 0, err
		}
		tables = append(tables, name)
	}
	if err := rows.Close(); err != nil {
		return 0, err
	}
	for _, t := range arenaTables {
		if !slices.Contains(tables, t) {
			return 0, fmt.Errorf("%s is an SQLite database but not Arena's: it has no table %s", path, t)
		}
	}
	if err := conn.QueryRowContext(ctx, "SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied").Scan(&version); err != nil {
		return 0, fmt.Errorf("%s: migrations: %w", path, err)
	}
	latest := latestMigration()
	switch {
	case version <= 0:
		return 0, fmt.Errorf("%s has no applied migration", path)
	case version > latest:
		return 0, fmt.Errorf("%s was made by a newer arena (migration %d; this one knows up to %d): restore it with that version", path, version, latest)
	}
	return version, nil
}

// RestoreOptions say what Restore may do to an existing database.
type RestoreOptions struct {
	// Replace allows restoring over an existing database file. Restore
	// then takes the file's exclusive lock first, which fails while any
	// connection (a running server) has it open, keeps the file's content
	// beside it as FILE.before-restore-TIME and copies the backup in with
	// SQLite's backup API, in one transaction.
	Replace bool
	// Now names the kept copy; time.Now when nil.
	Now func() time.Time
}

// Restored tells what Restore did.
type Restored struct {
	Version int64  // the backup's newest migration; opening the database runs any newer ones
	Kept    string // where the replaced database's content was kept; "" when none was replaced
}

// Restore puts the SQLite backup from in place as the database dsn, after
// VerifyBackup has accepted it. When dsn does not exist, the backup is
// copied to a temporary name beside it, checked, synced and renamed; a
// write-ahead log left at dsn-wal (which SQLite would replay into the
// restored file) is refused. An existing dsn is replaced only with
// opts.Replace and only while no connection has it open; see
// RestoreOptions. For PostgreSQL it returns an error that says how to use
// pg_restore.
func Restore(ctx context.Context, from, dsn string, opts RestoreOptions) (*Restored, error) {
	if IsPostgresURL(dsn) {
		return nil, pgRestoreAdvice(dsn)
	}
	if dsn == "" {
		return nil, errors.New("no database given")
	}
	version, err := VerifyBackup(ctx, from)
	if err != nil {
		return nil, err
	}
	res := &Restored{Version: version}
	if _, err := os.Lstat(dsn); errors.Is(err, fs.ErrNotExist) {
		if err := restoreNew(ctx, from, dsn); err != nil {
			return nil, err
		}
		return res, nil
	} else if err != nil {
		return nil, err
	}
	if same, err := sameFile(from, dsn); err != nil || same {
		return nil, cmp.Or(err, fmt.Errorf("%s is the database itself", from))
	}
	if !opts.Replace {
		return nil, fmt.Errorf("database %s exists: restore into a path that does not exist (and point --db at it), or stop every arena server that uses it and replace it with --force", dsn)
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	res.Kept = dsn + ".before-restore-" + now().UTC().Format("20060102T150405Z")
	if err := restoreOver(ctx, from, dsn, res.Kept); err != nil {
		return nil, err
	}
	return res, nil
}

// restoreNew copies the backup to a database path nothing uses yet.
func restoreNew(ctx context.Context, from, dsn string) error {
	for _, side := range []string{dsn + "-wal", dsn + "-shm", dsn + "-journal"} {
		if _, err := os.Lstat(side); err == nil {
			return fmt.Errorf("%s is left from an earlier database at %s: SQLite would apply it to the restored one; remove it or restore elsewhere", side, dsn)
		}
	}
	if dir := filepath.Dir(dsn); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("create database folder: %w", err)
		}
	}
	tmp, err := reserveTemp(dsn)
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			os.Remove(tmp)
		}
	}()
	if err := copyFile(from, tmp); err != nil {
		return err
	}
	if _, err := VerifyBackup(ctx, tmp); err != nil {
		return fmt.Errorf("the copy of %s failed its check: %w", from, err)
	}
	if err := placeFile(tmp, dsn); err != nil {
		return err
	}
	done = true
	return nil
}

// restoreOver replaces the content of the existing database dsn with the
// backup from, keeping the old content at kept. One connection holds the
// file's exclusive lock throughout, so no server can open it half-way.
func restoreOver(ctx context.Context, from, dsn, kept string) error {
	// Made empty here, exclusively: VACUUM INTO fills an empty file.
	f, err := os.OpenFile(kept, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("keep a copy of %s before replacing it: %w", dsn, err)
	}
	f.Close()
	keep := false
	defer func() {
		if !keep {
			os.Remove(kept)
		}
	}()
	db, err := sql.Open("sqlite", sqliteURI(dsn, "_pragma=busy_timeout(0)&_pragma=locking_mode(EXCLUSIVE)"))
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("open %s: %w", dsn, err)
	}
	defer conn.Close()
	// Leaving WAL mode needs every other connection closed: the proof that
	// no server uses the file. It also folds the log into the file.
	var mode string
	if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode = DELETE").Scan(&mode); err != nil {
		if isBusy(err) {
			return fmt.Errorf("database %s is in use (a running arena server?): stop every process that has it open, then restore", dsn)
		}
		return fmt.Errorf("open %s: %w", dsn, err)
	}
	if mode != "delete" {
		return fmt.Errorf("database %s is in use (journal mode stays %s): stop every process that has it open, then restore", dsn, mode)
	}
	// With locking_mode EXCLUSIVE the lock taken here is kept until close.
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		if isBusy(err) {
			return fmt.Errorf("database %s is in use: stop every process that has it open, then restore", dsn)
		}
		return err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "VACUUM INTO ?", kept); err != nil {
		return fmt.Errorf("keep a copy of %s before replacing it: %w", dsn, err)
	}
	if err := syncFile(kept); err != nil {
		return err
	}
	keep = true
	err = conn.Raw(func(dc any) error {
		r, ok := dc.(interface {
			NewRestore(string) (*sqlite.Backup, error)
		})
		if !ok {
			return errors.New("the SQLite driver has no backup API")
		}
		b, err := r.NewRestore(sqliteURI(from, "mode=ro&immutable=1"))
		if err != nil {
			return err
		}
		_, err = b.Step(-1)
		return errors.Join(err, b.Finish())
	})
	if err != nil {
		return fmt.Errorf("restore %s into %s (its content is unchanged; a copy is at %s): %w", from, dsn, kept, err)
	}
	if err := integrityCheck(ctx, conn); err != nil {
		return fmt.Errorf("%s after restore: %w", dsn, err)
	}
	return nil
}

// pgDumpAdvice is the answer to a backup of PostgreSQL: the command to run,
// from the address without its password.
func pgDumpAdvice(dsn string) error {
	target, schema := pgTarget(dsn)
	return fmt.Errorf("arena backup copies SQLite databases; back up PostgreSQL with pg_dump, for example:\n"+
		"  pg_dump --format=custom%s --file=arena.dump '%s'\n"+
		"(give the password by PGPASSWORD or ~/.pgpass), and restore with pg_restore", schema, target)
}

func pgRestoreAdvice(dsn string) error {
	target, schema := pgTarget(dsn)
	return fmt.Errorf("arena restore restores SQLite databases; restore a pg_dump of PostgreSQL with pg_restore, for example:\n"+
		"  pg_restore --clean --if-exists --no-owner%s --dbname='%s' arena.dump\n"+
		"with every arena server stopped (give the password by PGPASSWORD or ~/.pgpass)", schema, target)
}

// pgTarget returns the address for pg_dump without password, and the
// search_path parameter (which pgx reads but libpq does not) as --schema.
func pgTarget(dsn string) (target, schemaFlag string) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://USER@HOST:5432/DATABASE", ""
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	if s := q.Get("search_path"); s != "" {
		schemaFlag = " --schema=" + s
	}
	q.Del("search_path")
	q.Del("password")
	u.RawQuery = q.Encode()
	return u.String(), schemaFlag
}

// latestMigration is the newest migration this version knows.
func latestMigration() int64 {
	entries, _ := fs.ReadDir(migrations, "migrations/sqlite")
	var latest int64
	for _, e := range entries {
		num, _, _ := strings.Cut(e.Name(), "_")
		if v, err := strconv.ParseInt(num, 10, 64); err == nil && v > latest {
			latest = v
		}
	}
	return latest
}

// sqliteURI is a URI filename for the file at path with the query q;
// characters that URIs reserve are escaped in the path.
func sqliteURI(path, q string) string {
	p := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + p + "?" + q
}

// isSQLiteFile reports whether path is a regular file that starts with
// SQLite's header.
func isSQLiteFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return errors.New("no such file")
		}
		return err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return err
	} else if !fi.Mode().IsRegular() {
		return errors.New("not a regular file")
	}
	head := make([]byte, 16)
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head, []byte("SQLite format 3\x00")) {
		return errors.New("not an SQLite database")
	}
	return nil
}

func integrityCheck(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) error {
	rows, err := q.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity check failed: %s", strings.Join(problems, "; "))
	}
	return nil
}

func mustNotExist(path, why string) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s exists: %s", path, why)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// reserveTemp makes an empty file beside path, for writing path's content
// before it gets its name (VACUUM INTO accepts an empty file).
func reserveTemp(path string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".partial-*")
	if err != nil {
		return "", fmt.Errorf("write beside %s: %w", path, err)
	}
	return f.Name(), f.Close()
}

// placeFile gives tmp the name path, never replacing a file that appeared
// there meanwhile, and syncs the folder so the name survives a crash.
func placeFile(tmp, path string) error {
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s appeared meanwhile: not overwritten", path)
		}
		// A file system without hard links: check, then rename.
		if err := mustNotExist(path, "not overwritten"); err != nil {
			return err
		}
		if err := os.Rename(tmp, path); err != nil {
			return err
		}
	} else {
		os.Remove(tmp)
	}
	return syncFile(filepath.Dir(path))
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return errors.Join(dst.Sync(), dst.Close())
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

func sameFile(a, b string) (bool, error) {
	fa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	fb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(fa, fb), nil
}

func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY // and its extended codes
}
