package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/match/corpus"
	"github.com/arena-se/arena/internal/planimport"
	"github.com/arena-se/arena/internal/refdata"
	"github.com/arena-se/arena/internal/store"
)

// importBench times the import of a procurement plan of rows needs of real
// length (the corpus generator's), as a kommun's spreadsheet holds them:
// reading the CSV, the dry run, the import, and the same file again (which
// must add nothing), each on a new database per run, on SQLite and, with
// --pg, on PostgreSQL. It prints the median and every run.
func importBench(ctx context.Context, needsPath, dataDir, pg string, rows, runs int) error {
	needs, err := corpus.Generate(dataDir, needsPath, rows, 1)
	if err != nil {
		return err
	}
	plan := planCSV(needs)
	ref, _, err := refdata.ReadDir(dataDir)
	if err != nil || len(ref.CPV) == 0 {
		ref = nil // codes are checked for their form only, and the figure says so
	}
	fmt.Printf("plan: %d rows, %.1f MB CSV, reference data loaded: %v\n", rows, float64(len(plan))/1e6, ref != nil)
	fmt.Printf("%-10s %-10s %-12s %-12s %-12s %-12s\n", "backend", "read/s", "dry run/s", "import/s", "again/s", "import s")
	backends := []string{"sqlite"}
	if pg != "" {
		backends = append(backends, "postgres")
	}
	for _, b := range backends {
		var read, dry, imp, again, took []float64
		for range runs {
			r, err := importRun(ctx, b, pg, plan, ref)
			if err != nil {
				return fmt.Errorf("%s: %w", b, err)
			}
			read = append(read, r[0])
			dry = append(dry, r[1])
			imp = append(imp, r[2])
			again = append(again, r[3])
			took = append(took, float64(rows)/r[2])
		}
		fmt.Printf("%-10s %-10.0f %-12.0f %-12.0f %-12.0f %-12.2f runs: import/s %s\n", b, median(read), median(dry), median(imp), median(again), median(took), floats(imp))
	}
	return nil
}

// importRun imports plan into a new database and returns rows per second
// of reading, the dry run, the import and the import again.
func importRun(ctx context.Context, backend, pg string, plan []byte, ref *refdata.Set) ([4]float64, error) {
	var out [4]float64
	dsn, drop, err := benchDSN(backend, pg)
	if err != nil {
		return out, err
	}
	defer drop()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return out, err
	}
	defer db.Close()
	sys := arena.WithActor(ctx, arena.SystemActor())
	if ref != nil {
		if err := db.LoadReference(sys, ref); err != nil {
			return out, err
		}
	}
	org := &arena.Organization{Name: "Falu kommun", OrgNumber: "2120002411", Kind: arena.OrgKommun}
	if err := db.Organizations.Create(sys, org); err != nil {
		return out, err
	}
	t0 := time.Now()
	tab, err := planimport.Read(bytes.NewReader(plan))
	if err != nil {
		return out, err
	}
	n := float64(len(tab.Rows))
	out[0] = n / time.Since(t0).Seconds()
	m := planimport.Guess(tab.Header)
	if err := m.Check(); err != nil {
		return out, err
	}
	for i, opt := range []planimport.Options{{DryRun: true}, {}, {}} {
		t := time.Now()
		rep, err := planimport.Import(sys, db, org.ID, tab, m, opt)
		if err != nil {
			return out, err
		}
		out[i+1] = n / time.Since(t).Seconds()
		want := len(tab.Rows)
		if i == 2 {
			want = 0
		}
		if !rep.OK() || rep.Created != want {
			return out, fmt.Errorf("run %d: %d created, %d errors (first: %v); want %d created", i, rep.Created, len(rep.Errors), firstErr(rep), want)
		}
	}
	return out, nil
}

func firstErr(r *planimport.Report) any {
	if len(r.Errors) == 0 {
		return nil
	}
	return r.Errors[0]
}

// planCSV writes needs as Excel writes a Swedish plan: BOM, semicolons,
// Swedish headers, decimal commas in amounts left out.
func planCSV(needs []corpus.Need) []byte {
	var b bytes.Buffer
	b.WriteString("\ufeffId;Rubrik;Beskrivning;CPV;Uppskattat värde;Planerat datum\r\n")
	cell := func(s string) string {
		if strings.ContainsAny(s, ";\"\r\n") {
			return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
		}
		return s
	}
	for i, n := range needs {
		value := ""
		if n.EstimatedValueSEK != nil {
			value = fmt.Sprint(*n.EstimatedValueSEK)
		}
		year := max(n.PlannedYear, 2027)
		fmt.Fprintf(&b, "P-%d;%s;%s;%s;%s;%d-%02d-01\r\n", i, cell(n.Title), cell(n.Description), strings.Join(n.CPV, ","), value, year, 1+i%12)
	}
	return b.Bytes()
}

// benchDSN is a new SQLite file or a new PostgreSQL schema, and the
// function that removes it.
func benchDSN(backend, pg string) (string, func(), error) {
	if backend == "sqlite" {
		dir, err := os.MkdirTemp("", "arena-bench-import-")
		if err != nil {
			return "", nil, err
		}
		return filepath.Join(dir, "arena.db"), func() { os.RemoveAll(dir) }, nil
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "bench_import_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", pg)
	if err != nil {
		return "", nil, err
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		return "", nil, err
	}
	drop := func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	}
	u, err := url.Parse(pg)
	if err != nil {
		drop()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func floats(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprintf("%.0f", x)
	}
	return strings.Join(s, " ")
}
