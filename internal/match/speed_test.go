package match

import (
	"testing"

	"github.com/arena-se/arena/internal/match/corpus"
)

// BenchmarkBuild times building an index of 20 000 generated needs
// (arena-bench speed reports the build rate at larger sizes).
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
