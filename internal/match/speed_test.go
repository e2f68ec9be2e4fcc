package match

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/arena-se/arena/internal/match/corpus"
)

func TestSpeedReport(t *testing.T) {
	ns := os.Getenv("ARENA_SPEED")
	if ns == "" {
		t.Skip("set ARENA_SPEED=N to time top-10 queries over N generated needs")
	}
	n, _ := strconv.Atoi(ns)
	t0 := time.Now()
	gen, err := corpus.Generate(refDir(), evalPath(), n, 1)
	if err != nil {
		t.Fatal(err)
	}
	needs := make([]*Need, len(gen))
	for i, g := range gen {
		needs[i] = &Need{ID: g.ID, Org: g.Org, OrgKind: g.OrgKind, Title: g.Title, Description: g.Description, Year: g.PlannedYear}
		for _, c := range g.CPV {
			needs[i].CPV = append(needs[i].CPV, c[:8])
		}
	}
	gen = nil
	fmt.Printf("generated %d in %v\n", n, time.Since(t0))
	c, _ := ReadCompounds(refDir())
	ix := NewIndex(NewAnalyzer(c))
	t0 = time.Now()
	ix.UpsertAll(needs)
	build := time.Since(t0)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("built %d in %v (%.0f needs/s), heap %d MB\n", n, build, float64(n)/build.Seconds(), ms.HeapAlloc>>20)
	var lat []time.Duration
	for i := 0; i < 200; i++ {
		q := needs[(i*7919)%len(needs)]
		t0 := time.Now()
		ix.Similar(q, 10, nil)
		lat = append(lat, time.Since(t0))
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	fmt.Printf("top-10: p50 %v p95 %v max %v\n", lat[len(lat)/2], lat[len(lat)*95/100], lat[len(lat)-1])
}

func BenchmarkBuild(b *testing.B) {
	gen, err := corpus.Generate(refDir(), evalPath(), 20000, 1)
	if err != nil {
		b.Skip(err)
	}
	needs := make([]*Need, len(gen))
	for i, g := range gen {
		needs[i] = &Need{ID: g.ID, Org: g.Org, OrgKind: g.OrgKind, Title: g.Title, Description: g.Description, Year: g.PlannedYear}
	}
	c, _ := ReadCompounds(refDir())
	an := NewAnalyzer(c)
	b.ResetTimer()
	for range b.N {
		ix := NewIndex(an)
		ix.UpsertAll(needs)
	}
	b.ReportMetric(float64(len(needs)*b.N)/b.Elapsed().Seconds(), "needs/s")
}

func TestBuildPhases(t *testing.T) {
	if os.Getenv("ARENA_PHASES") == "" {
		t.Skip()
	}
	gen, _ := corpus.Generate(refDir(), evalPath(), 20000, 1)
	needs := make([]*Need, len(gen))
	for i, g := range gen {
		needs[i] = &Need{ID: g.ID, Org: g.Org, OrgKind: g.OrgKind, Title: g.Title, Description: g.Description, Year: g.PlannedYear}
	}
	c, _ := ReadCompounds(refDir())
	an := NewAnalyzer(c)
	for round := range 2 {
		t0 := time.Now()
		occ := make([][]occurrence, len(needs))
		for i, n := range needs {
			occ[i] = parse(an, n)
		}
		tp := time.Since(t0)
		ix := NewIndex(an)
		t0 = time.Now()
		for i, n := range needs {
			ix.put(n, occ[i])
		}
		fmt.Printf("round %d: parse %v (%.0f/s one core), put %v (%.0f/s)\n", round, tp, float64(len(needs))/tp.Seconds(), time.Since(t0), float64(len(needs))/time.Since(t0).Seconds())
	}
}

func TestHeapProfile(t *testing.T) {
	out := os.Getenv("ARENA_HEAP")
	if out == "" {
		t.Skip()
	}
	gen, _ := corpus.Generate(refDir(), evalPath(), 200000, 1)
	needs := make([]*Need, len(gen))
	for i, g := range gen {
		needs[i] = &Need{ID: g.ID, Org: g.Org, OrgKind: g.OrgKind, Title: g.Title, Description: g.Description, Year: g.PlannedYear}
	}
	gen = nil
	c, _ := ReadCompounds(refDir())
	ix := NewIndex(NewAnalyzer(c))
	ix.UpsertAll(needs)
	needs = nil
	runtime.GC()
	f, _ := os.Create(out)
	pprof.WriteHeapProfile(f)
	f.Close()
	runtime.KeepAlive(ix)
}
