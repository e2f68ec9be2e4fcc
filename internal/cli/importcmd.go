package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/i18n"
	"github.com/arena-se/arena/internal/planimport"
	"github.com/arena-se/arena/internal/store"
)

const importUsage = `usage:
  arena import needs --org NNNNNN-NNNN [--dry-run] [--partial] [--map "HEADER=FIELD,…"] [--lang sv|en] [--db DB] FILE
  arena import notices [--org NNNNNN-NNNN] [--dry-run] [--lang sv|en] [--db DB] FILE_OR_DIR
  arena import publish --org NNNNNN-NNNN [--source plan|eforms] [--db DB]`

// runImport is `arena import`: a procurement plan or prior information
// notices as draft needs, and publishing what was imported.
func runImport(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 {
		return errors.New(importUsage)
	}
	switch args[0] {
	case "needs":
		return runImportNeeds(ctx, args[1:], env)
	case "notices":
		return runImportNotices(ctx, args[1:], env)
	case "publish":
		return runImportPublish(ctx, args[1:], env)
	}
	return fmt.Errorf("unknown import %q\n%s", args[0], importUsage)
}

// importFlags are the flags every import takes.
type importFlags struct {
	org, lang      string
	dryRun, verbal bool
}

// parseImport parses flags and the one file argument.
func parseImport(name string, args []string, env Env, f *importFlags, extra func(*flag.FlagSet)) (Config, string, error) {
	cfg := DefaultConfig()
	fs := flag.NewFlagSet("arena import "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	cfg.bind(fs, env.Getenv, false)
	fs.StringVar(&f.org, "org", "", "the organisation's number, NNNNNN-NNNN")
	fs.StringVar(&f.lang, "lang", "sv", "the language of the report: sv or en")
	fs.BoolVar(&f.dryRun, "dry-run", false, "check every row and write nothing")
	if extra != nil {
		extra(fs)
	}
	// Flags may come after the file, as people type them.
	var file string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return cfg, "", err
		}
		if fs.NArg() == 0 {
			break
		}
		if file != "" {
			return cfg, "", fmt.Errorf("one file only: %q and %q", file, fs.Arg(0))
		}
		file, args = fs.Arg(0), fs.Args()[1:]
	}
	if f.lang != "sv" && f.lang != "en" {
		return cfg, "", fmt.Errorf("--lang: sv or en, not %q", f.lang)
	}
	return cfg, file, cfg.check()
}

// orgByNumber finds an organisation by its number.
func orgByNumber(ctx context.Context, db *store.DB, number string) (*arena.Organization, error) {
	n, err := arena.NormalizeOrgNumber(number)
	if err != nil {
		return nil, err
	}
	page, err := db.Organizations.List(ctx, store.ListQuery{Filters: map[string]string{"org_number": n}, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(page.Items) == 0 {
		return nil, fmt.Errorf("no organisation has the number %s in this database", n)
	}
	return page.Items[0], nil
}

// openImport opens the database of an import as the system actor and,
// when number is given, finds the organisation with that number; the
// caller closes the database.
func openImport(ctx context.Context, cfg Config, env Env, number string) (*store.DB, context.Context, *arena.Organization, error) {
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return nil, ctx, nil, err
	}
	db.Now = env.Now
	ctx = arena.WithActor(ctx, arena.SystemActor())
	if number == "" {
		return db, ctx, nil, nil
	}
	org, err := orgByNumber(ctx, db, number)
	if err != nil {
		db.Close()
		return nil, ctx, nil, err
	}
	return db, ctx, org, nil
}

func runImportNeeds(ctx context.Context, args []string, env Env) error {
	var f importFlags
	var partial bool
	var mapSpec string
	cfg, file, err := parseImport("needs", args, env, &f, func(fs *flag.FlagSet) {
		fs.BoolVar(&partial, "partial", false, "write the good rows even when some rows are bad (by default one bad row writes nothing)")
		fs.StringVar(&mapSpec, "map", "", `columns by header: "Ansvarig=,Objekt=title" (an empty field leaves a column out); fields: `+fieldNames())
	})
	if err != nil {
		return err
	}
	if file == "" || f.org == "" {
		return errors.New("give --org NNNNNN-NNNN and the plan's file (CSV or XLSX)\n" + importUsage)
	}
	in, err := os.Open(file)
	if err != nil {
		return err
	}
	defer in.Close()
	tab, err := planimport.Read(in)
	if err != nil {
		return err
	}
	m := planimport.Guess(tab.Header)
	if err := m.Apply(tab.Header, mapSpec); err != nil {
		return fmt.Errorf("--map: %s; fields: %s", describeIn(i18n.MustLoad().For(f.lang), err), fieldNames())
	}
	cat := i18n.MustLoad().For(f.lang)
	if err := m.Check(); err != nil {
		return fmt.Errorf("%s\n%s", cat.Msg(err.(*arena.Error).Msg), describeColumns(tab.Header, m))
	}
	if unknown := m.Unknown(tab.Header); len(unknown) > 0 {
		names := make([]string, len(unknown))
		for i, c := range unknown {
			names[i] = fmt.Sprintf("%q", tab.Header[c])
		}
		fmt.Fprintf(env.Stderr, "left out (map them with --map if they hold a field): %s\n", strings.Join(names, ", "))
	}
	db, ctx, org, err := openImport(ctx, cfg, env, f.org)
	if err != nil {
		return err
	}
	defer db.Close()
	bar := newBar(env.Stderr, len(tab.Rows), f.dryRun)
	start := time.Now()
	rep, err := planimport.Import(ctx, db, org.ID, tab, m, planimport.Options{DryRun: f.dryRun, Partial: partial,
		Progress: func(done, _ int) { bar.Set(done) }})
	bar.Finish()
	if err != nil {
		return err
	}
	return report(env.Stdout, cat, org, rep, time.Since(start))
}

func fieldNames() string {
	s := make([]string, len(planimport.Fields))
	for i, f := range planimport.Fields {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}

// describeColumns lists the columns and the fields they fill.
func describeColumns(header []string, m planimport.Mapping) string {
	var b strings.Builder
	b.WriteString("columns:\n")
	for i, h := range header {
		f := "(left out)"
		if i < len(m) && m[i] != planimport.Ignore {
			f = string(m[i])
		}
		fmt.Fprintf(&b, "  %q → %s\n", h, f)
	}
	return b.String()
}

// newBar is a progress bar on w (the terminal's standard error).
func newBar(w io.Writer, total int, dryRun bool) *progressbar.ProgressBar {
	what := "importing"
	if dryRun {
		what = "checking"
	}
	return progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("rows"),
		progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
}

// report prints what an import did: each bad row with its number, column
// and message, and the counts.
func report(w io.Writer, cat *i18n.Catalog, org *arena.Organization, rep *planimport.Report, took time.Duration) error {
	for _, e := range rep.Errors {
		col := ""
		if e.Column != "" {
			col = fmt.Sprintf(", %q", e.Column)
		}
		fmt.Fprintf(w, "%s%s: %s\n", cat.Msg(arena.M("import.cli.row", arena.F{"row": e.Row})), col, cat.Msg(e.Err.Msg))
	}
	rate := float64(rep.Rows) / max(took.Seconds(), 1e-9)
	switch {
	case rep.DryRun:
		fmt.Fprintf(w, "dry run for %s: %d rows, %d would be new draft needs, %d imported before, %d with errors; nothing written (%.0f rows/s)\n",
			org.Name, rep.Rows, rep.Created, rep.Existing, len(rep.Errors), rate)
	case rep.Written || len(rep.Errors) == 0:
		fmt.Fprintf(w, "imported into %s: %d new draft needs, %d imported before, %d rows with errors left out (%.0f rows/s)\n",
			org.Name, rep.Created, rep.Existing, len(rep.Errors), rate)
	default:
		fmt.Fprintf(w, "nothing written for %s: %d rows, %d imported before, %d with errors\n", org.Name, rep.Rows, rep.Existing, len(rep.Errors))
	}
	if len(rep.Errors) > 0 && !rep.Written {
		return fmt.Errorf("%d rows have errors; correct them, or give --partial to import the others", len(rep.Errors))
	}
	return nil
}

func runImportPublish(ctx context.Context, args []string, env Env) error {
	var f importFlags
	var source string
	cfg, file, err := parseImport("publish", args, env, &f, func(fs *flag.FlagSet) {
		fs.StringVar(&source, "source", "", "publish only what came from plans (plan) or notices (eforms)")
	})
	if err != nil {
		return err
	}
	if file != "" || f.org == "" {
		return errors.New("give --org NNNNNN-NNNN and no file\n" + importUsage)
	}
	prefix := ""
	switch source {
	case "":
	case "plan", "eforms":
		prefix = source + ":"
	default:
		return fmt.Errorf("--source: plan or eforms, not %q", source)
	}
	db, ctx, org, err := openImport(ctx, cfg, env, f.org)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := planimport.Publish(ctx, db, org.ID, prefix)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "published %d imported needs of %s\n", n, org.Name)
	return nil
}

// runImportNotices imports prior information notices: one file, or every
// .xml file of a folder, each notice on its own (a bad notice writes
// nothing and the others go on).
func runImportNotices(ctx context.Context, args []string, env Env) error {
	var f importFlags
	cfg, path, err := parseImport("notices", args, env, &f, nil)
	if err != nil {
		return err
	}
	if path == "" {
		return errors.New("give the notice's file or a folder of notices\n" + importUsage)
	}
	files := []string{path}
	if fi, err := os.Stat(path); err != nil {
		return err
	} else if fi.IsDir() {
		if files, err = filepath.Glob(filepath.Join(path, "*.xml")); err != nil {
			return err
		}
		if len(files) == 0 {
			return fmt.Errorf("%s has no .xml files", path)
		}
	}
	db, ctx, org, err := openImport(ctx, cfg, env, f.org)
	if err != nil {
		return err
	}
	defer db.Close()
	var orgID int64
	if org != nil {
		orgID = org.ID
	}
	cat := i18n.MustLoad().For(f.lang)
	failed := 0
	for _, file := range files {
		start := time.Now()
		rep, org, err := importNoticeFile(ctx, db, orgID, file, f.dryRun)
		if err != nil {
			failed++
			fmt.Fprintf(env.Stdout, "%s: %s\n", file, describeIn(cat, err))
			continue
		}
		fmt.Fprintf(env.Stdout, "%s: ", file)
		if err := report(env.Stdout, cat, org, rep, time.Since(start)); err != nil {
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d notices not imported", failed, len(files))
	}
	return nil
}

func importNoticeFile(ctx context.Context, db *store.DB, orgID int64, file string, dryRun bool) (*planimport.Report, *arena.Organization, error) {
	in, err := os.Open(file)
	if err != nil {
		return nil, nil, err
	}
	defer in.Close()
	n, err := planimport.ReadNotice(in)
	if err != nil {
		return nil, nil, err
	}
	return planimport.ImportNotice(ctx, db, orgID, n, planimport.Options{DryRun: dryRun})
}

// describeIn words an error in the catalogue's language.
func describeIn(cat *i18n.Catalog, err error) string {
	var ae *arena.Error
	if errors.As(err, &ae) {
		return cat.Msg(ae.Msg)
	}
	return err.Error()
}
