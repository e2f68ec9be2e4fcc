package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/match/corpus"
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
func speed(ctx context.Context, needsPath, dataDir, pg, sizes string, queries, pgQueries int) error {
	comp, err := match.ReadCompounds(dataDir)
	if err != nil {
		return err
	}
	fmt.Printf("GOMAXPROCS %d; compound dictionary %v\n", runtime.GOMAXPROCS(0), comp != nil)
	fmt.Printf("%-9s %-12s %-10s %-10s %-10s %-10s %-10s %-10s %s\n", "needs", "build/s", "rss MB", "p50", "p95", "pg p50", "pg p95", "pg load/s", "p95 ratio pg/arena")
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return err
		}
		if err := speedAt(ctx, needsPath, dataDir, pg, comp, n, queries, pgQueries); err != nil {
			return err
		}
	}
	return nil
}

func speedAt(ctx context.Context, needsPath, dataDir, pg string, comp *match.Compounds, n, queries, pgQueries int) error {
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
	err := corpus.Stream(dataDir, needsPath, n, seed, func(g corpus.Need) error {
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
	debug.FreeOSMemory() // collect and return freed memory, so RSS is what the index holds
	rss := rssMB()
	// Warm up, then time.
	for _, q := range qs[:min(20, len(qs))] {
		ix.Similar(q, 10, nil)
	}
	lat := make([]time.Duration, 0, len(qs))
	for _, q := range qs {
		t0 := time.Now()
		ix.Similar(q, 10, nil)
		lat = append(lat, time.Since(t0))
	}
	p50, p95 := pct(lat, 50), pct(lat, 95)
	fmt.Printf("%-9d %-12.0f %-10d %-10s %-10s", n, float64(n)/build.Seconds(), rss, ms(p50), ms(p95))
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
