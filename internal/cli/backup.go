package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/arena-se/arena/internal/store"
)

// runBackup is `arena backup --to FILE`: a consistent copy of the SQLite
// database, taken while a server may go on serving it. It neither creates
// nor migrates the database; for PostgreSQL it says how to use pg_dump.
func runBackup(ctx context.Context, args []string, env Env) error {
	var to string
	cfg, err := parse("backup", args, env, false, func(fs *flag.FlagSet) {
		fs.StringVar(&to, "to", "", "the backup file to write: a new file, never overwritten")
	})
	if err != nil {
		return err
	}
	if to == "" {
		return errors.New("give --to FILE: where to write the backup (a file that does not exist yet)")
	}
	if err := store.BackupFile(ctx, cfg.DB, to); err != nil {
		return err
	}
	fi, err := os.Stat(to)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "backed up %s to %s (%d bytes)\n", cfg.DB, to, fi.Size())
	return nil
}

// runRestore is `arena restore --from FILE`: puts a backup in place as the
// database, after checking it is one of Arena's. An existing database is
// replaced only with --force, only while no process has it open, and its
// content is kept beside it.
func runRestore(ctx context.Context, args []string, env Env) error {
	var from string
	var force bool
	cfg, err := parse("restore", args, env, false, func(fs *flag.FlagSet) {
		fs.StringVar(&from, "from", "", "the backup file to restore (made by arena backup)")
		fs.BoolVar(&force, "force", false, "replace an existing database: refused while any process has it open; its content is kept as DB.before-restore-TIME")
	})
	if err != nil {
		return err
	}
	if from == "" {
		return errors.New("give --from FILE: the backup to restore (made by arena backup)")
	}
	res, err := store.Restore(ctx, from, cfg.DB, store.RestoreOptions{Replace: force, Now: env.Now})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "restored %s into %s (migration version %d)\n", from, cfg.DB, res.Version)
	if res.Kept != "" {
		fmt.Fprintf(env.Stdout, "the replaced database is kept at %s\n", res.Kept)
	}
	return nil
}
