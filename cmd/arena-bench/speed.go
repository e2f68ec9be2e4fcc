package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/match/corpus"
	"github.com/arena-se/arena/internal/match/eval"
	"github.com/arena-se/arena/internal/match/pgfts"
)

const seed = 1

func toNeed(g corpus.Need) *match.Need {
	n := &match.Need{ID: g.ID, Org: g.Org, OrgKind: g.OrgKind, Title: g.Title, Description: g.Description, Year: g.PlannedYear, ValueSEK: g.EstimatedValueSEK}
	for _, c := range g.CPV {
		n.CPV = append(n.CPV, c[:8])
	}
	return n
}

// speed builds an index of each size from the deterministic corpus and
// times top-10 need→need queries; with --pg it loads the same needs into
// PostgreSQL and times the full-text baseline on the same queries.
func speed(ctx context.Context, needsPath, projectsPath, dataDir, pg, sizes string, queries, pgQueries int, profile string) error {
	comp, err := match.ReadCompounds(dataDir)
	if err != nil {
		return err
	}
	long, err := longQueries(projectsPath, queries)
	if err != nil {
		return err
	}
	fmt.Printf("GOMAXPROCS %d; compound dictionary %v; %d long queries (SweCRIS abstracts, median %d words)\n", runtime.GOMAXPROCS(0), comp != nil, len(long), medianWords(long))
	fmt.Printf("%-9s %-12s %-10s %-10s %-10s %-10s %-10s %-10s %-10s %-10s %s\n", "needs", "build/s", "rss MB", "p50", "p95", "long p50", "long p95", "pg p50", "pg p95", "pg load/s", "p95 ratio pg/arena")
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return err
		}
		if err := speedAt(ctx, needsPath, dataDir, pg, comp, n, queries, pgQueries, profile, long); err != nil {
			return err
		}
	}
	return nil
}

func speedAt(ctx context.Context, needsPath, dataDir, pg string, comp *match.Compounds, n, queries, pgQueries int, profile string, long []*match.Need) error {
	ix := match.NewIndex(match.NewAnalyzer(comp))
	every := max(1, n/queries)
	var qs []*match.Need
	batch := make([]*match.Need, 0, 20000)
	var build time.Duration
	flush := func() {
		t0 := time.Now()
		ix.UpsertAll(batch)
		build += time.Since(t0)
		batch = batch[:0]
	}
	stop, err := startProfile(profile, "build", n)
	if err != nil {
		return err
	}
	err = corpus.Stream(dataDir, needsPath, n, seed, func(g corpus.Need) error {
		nd := toNeed(g)
		if len(qs) < queries && len(qs)*every <= indexOf(g.ID) {
			qs = append(qs, nd)
		}
		batch = append(batch, nd)
		if len(batch) == cap(batch) {
			flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	flush()
	stop()
	debug.FreeOSMemory() // collect and return freed memory, so RSS is what the index holds
	rss := rssMB()
	// Warm up, then time.
	for _, q := range qs[:min(20, len(qs))] {
		ix.Similar(q, 10, nil)
	}
	if stop, err = startProfile(profile, "query", n); err != nil {
		return err
	}
	lat := make([]time.Duration, 0, len(qs))
	for _, q := range qs {
		t0 := time.Now()
		ix.Similar(q, 10, nil)
		lat = append(lat, time.Since(t0))
	}
	stop()
	// Queries as long as real texts get: research abstracts of up to 160
	// words, not in the index.
	llat := make([]time.Duration, 0, len(long))
	for _, q := range long {
		t0 := time.Now()
		ix.Similar(q, 10, nil)
		llat = append(llat, time.Since(t0))
	}
	p50, p95 := pct(lat, 50), pct(lat, 95)
	fmt.Printf("%-9d %-12.0f %-10d %-10s %-10s", n, float64(n)/build.Seconds(), rss, ms(p50), ms(p95))
	if len(llat) > 0 {
		fmt.Printf(" %-10s %-10s", ms(pct(llat, 50)), ms(pct(llat, 95)))
	} else {
		fmt.Printf(" %-10s %-10s", "-", "-")
	}
	if pg == "" {
		fmt.Println(" (PostgreSQL baseline skipped: give --pg)")
		return nil
	}
	ix = nil // let the index go before PostgreSQL's load takes memory
	schema := fmt.Sprintf("bench_speed_%d_%d", n, time.Now().UnixNano())
	fts, stats, err := pgfts.Load(ctx, pg, schema, func(yield func(corpus.Need) bool) {
		corpus.Stream(dataDir, needsPath, n, seed, func(g corpus.Need) error {
			if !yield(g) {
				return errStop
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	defer fts.Close()
	defer fts.Drop(context.Background())
	// The baseline takes seconds per query at these sizes: it is timed on
	// an even sample of the same queries.
	pq := make([]*match.Need, 0, pgQueries)
	for i := 0; i < len(qs) && len(pq) < pgQueries; i += max(1, len(qs)/pgQueries) {
		pq = append(pq, qs[i])
	}
	fts.Query(ctx, pq[0].Title+" "+pq[0].Description, pq[0].Org, 10)
	plat := make([]time.Duration, 0, len(pq))
	for _, q := range pq {
		t0 := time.Now()
		if _, err := fts.Query(ctx, q.Title+" "+q.Description, q.Org, 10); err != nil {
			return err
		}
		plat = append(plat, time.Since(t0))
	}
	pp50, pp95 := pct(plat, 50), pct(plat, 95)
	fmt.Printf(" %-10s %-10s %-10.0f %.1f×\n", ms(pp50), ms(pp95), stats.RowsPerSec, float64(pp95)/float64(p95))
	return nil
}

var errStop = fmt.Errorf("stop")

// longQueries reads up to n records of the projects file (SweCRIS
// abstracts) as needs to query with; none when path is "".
func longQueries(path string, n int) ([]*match.Need, error) {
	if path == "" {
		return nil, nil
	}
	recs, err := eval.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--projects: %w", err)
	}
	out := make([]*match.Need, 0, min(n, len(recs)))
	for _, r := range recs[:min(n, len(recs))] {
		out = append(out, match.RecordNeed(r))
	}
	return out, nil
}

func medianWords(ns []*match.Need) int {
	if len(ns) == 0 {
		return 0
	}
	w := make([]int, len(ns))
	for i, n := range ns {
		w[i] = len(strings.Fields(n.Title + " " + n.Description))
	}
	slices.Sort(w)
	return w[len(w)/2]
}

// startProfile starts a CPU profile of one phase (build, query) at size n
// in PREFIX-phase-n.pprof; it does nothing when prefix is "". The returned
// function stops it.
func startProfile(prefix, phase string, n int) (func(), error) {
	if prefix == "" {
		return func() {}, nil
	}
	f, err := os.Create(fmt.Sprintf("%s-%s-%d.pprof", prefix, phase, n))
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

func indexOf(id string) int {
	n, _ := strconv.Atoi(strings.TrimLeft(id, "s0"))
	return n
}

func pct(d []time.Duration, p int) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }

// rssMB reads the resident set size of this process.
func rssMB() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			kb, _ := strconv.Atoi(f[1])
			return kb / 1024
		}
	}
	return -1
}
