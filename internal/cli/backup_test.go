package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/arena-se/arena/internal/auth"
	"github.com/arena-se/arena/internal/store"
)

// TestBackupAndRestoreCommands runs `arena backup` and `arena restore` in
// process: a round trip that keeps a user's token working, and each
// refusal with its message.
func TestBackupAndRestoreCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dsn := filepath.Join(dir, "arena.db")
	env, out, _ := testEnv(map[string]string{"ARENA_DB": dsn})
	env.Now = func() time.Time { return time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC) }
	run := func(args ...string) (string, error) {
		t.Helper()
		out.Reset()
		err := Run(ctx, args, env)
		return out.String(), err
	}
	refused := func(want string, args ...string) {
		t.Helper()
		if _, err := run(args...); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("arena %s: %v, want an error saying %q", strings.Join(args, " "), err, want)
		}
	}

	refused("no such file", "backup", "--to", filepath.Join(dir, "b.db"))
	if _, err := os.Stat(dsn); err == nil {
		t.Fatal("backup of a missing database created it")
	}
	token, err := run("user", "create", "--email", "anna@falun.se", "--org-number", "212000-2411", "--org-name", "Falu kommun", "--org-kind", "kommun")
	if err != nil {
		t.Fatal(err)
	}
	token = strings.TrimSpace(token)

	backup := filepath.Join(dir, "b.db")
	said, err := run("backup", "--to", backup)
	if err != nil || !strings.Contains(said, "backed up "+dsn+" to "+backup+" (") {
		t.Fatalf("backup: %v %q", err, said)
	}
	refused("exists", "backup", "--to", backup)
	refused("give --to FILE", "backup")
	refused("pg_dump --format=custom", "backup", "--to", filepath.Join(dir, "p.dump"), "--db", "postgres://arena:s3cret@db.example/arena")
	if _, err := run("backup", "--to", filepath.Join(dir, "p.dump"), "--db", "postgres://arena:s3cret@db.example/arena"); strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("the pg_dump advice shows the password: %v", err)
	}

	// Into a new database: the user's token works there.
	restored := filepath.Join(dir, "restored", "arena.db")
	said, err = run("restore", "--from", backup, "--db", restored)
	if err != nil || !strings.Contains(said, "restored "+backup+" into "+restored+" (migration version ") || strings.Contains(said, "kept") {
		t.Fatalf("restore: %v %q", err, said)
	}
	rdb, err := store.Open(ctx, restored)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rdb.APITokenUser(ctx, auth.HashToken(token)); err != nil {
		t.Fatalf("the token does not work in the restored database: %v", err)
	}
	rdb.Close()

	refused("give --from FILE", "restore")
	refused("exists", "restore", "--from", backup)
	refused("not a regular file", "restore", "--from", filepath.Join(dir, "restored"), "--db", filepath.Join(dir, "x.db"))
	junk := filepath.Join(dir, "notes.txt")
	os.WriteFile(junk, []byte("these are notes, not a database"), 0o600)
	refused("not an SQLite database", "restore", "--from", junk, "--db", filepath.Join(dir, "x.db"))
	if _, err := os.Stat(filepath.Join(dir, "x.db")); err == nil {
		t.Fatal("a refused restore created the database")
	}
	refused("pg_restore", "restore", "--from", backup, "--db", "postgres://arena@db.example/arena")

	// Over the database itself: refused while a server has it open.
	if _, err := run("user", "create", "--email", "bo@falun.se", "--org-number", "212000-2411"); err != nil {
		t.Fatal(err)
	}
	live, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	refused("in use", "restore", "--from", backup, "--force")
	live.Close()
	said, err = run("restore", "--from", backup, "--force")
	if err != nil || !strings.Contains(said, "the replaced database is kept at "+dsn+".before-restore-20260302T093000Z") {
		t.Fatalf("restore --force: %v %q", err, said)
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if users, _ := store.Unchecked(ctx, db.Users, nil); len(users) != 1 {
		t.Fatalf("%d users after restoring the backup of one", len(users))
	}
	kept, err := store.Open(ctx, dsn+".before-restore-20260302T093000Z")
	if err != nil {
		t.Fatal(err)
	}
	defer kept.Close()
	if users, _ := store.Unchecked(ctx, kept.Users, nil); len(users) != 2 {
		t.Fatalf("the kept copy has %d users, want the 2 of the replaced database", len(users))
	}
}

// TestSQLiteSyncFullFlag: --sqlite-sync-full (or its variable) reaches
// the server's write connection; NORMAL stays the default.
func TestSQLiteSyncFullFlag(t *testing.T) {
	for _, c := range []struct {
		args []string
		vars map[string]string
		want int
	}{
		{nil, nil, 1},
		{[]string{"--sqlite-sync-full"}, nil, 2},
		{nil, map[string]string{"ARENA_SQLITE_SYNC_FULL": "true"}, 2},
		{[]string{"--sqlite-sync-full=false"}, map[string]string{"ARENA_SQLITE_SYNC_FULL": "true"}, 1},
	} {
		env, _, _ := testEnv(c.vars)
		args := append([]string{"--db", filepath.Join(t.TempDir(), "arena.db"), "--addr", "127.0.0.1:0"}, c.args...)
		cfg, err := parse("serve", args, env, true, nil)
		if err != nil {
			t.Fatal(err)
		}
		m, err := Open(context.Background(), cfg, env)
		if err != nil {
			t.Fatal(err)
		}
		got, err := m.DB.SQLiteSynchronous(context.Background())
		m.ln.Close()
		m.DB.Close()
		if err != nil || got != c.want {
			t.Errorf("%v %v: PRAGMA synchronous = %d, %v; want %d", c.args, c.vars, got, err, c.want)
		}
	}
}
