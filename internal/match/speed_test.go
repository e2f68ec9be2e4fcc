package match

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/arena-se/arena/internal/match/corpus"
)

// BenchmarkBuild times building an index of 20 000 generated needs
// (arena-bench speed reports the build rate at larger sizes).
func BenchmarkBuild(b *testing.B) {
	needs, c := generatedNeeds(b, 20000)
	an := NewAnalyzer(c)
	b.ResetTimer()
	for range b.N {
		ix := NewIndex(an)
		ix.UpsertAll(needs)
	}
	b.ReportMetric(float64(len(needs)*b.N)/b.Elapsed().Seconds(), "needs/s")
}

// BenchmarkSimilar times top-10 queries on an index of 20 000 generated
// needs (the postings path) and of 5 000 (every need scored), and there a
// query whose description is as long as a need's may be.
func BenchmarkSimilar(b *testing.B) {
	needs, c := generatedNeeds(b, 20000)
	an := NewAnalyzer(c)
	large := NewIndex(an)
	large.UpsertAll(needs)
	small := NewIndex(an)
	small.UpsertAll(needs[:exhaustiveMax])
	var long []rune
	for _, n := range needs {
		if long = append(long, []rune(n.Description+" ")...); len(long) >= maxTextRunes {
			break
		}
	}
	longQuery := &Need{ID: "long", Org: "long", Title: "Gatubelysning", Description: string(long[:maxTextRunes])}
	for _, bc := range []struct {
		name string
		ix   *Index
		q    func(i int) *Need
	}{
		{"postings", large, func(i int) *Need { return needs[i%1000*7] }},
		{"exhaustive", small, func(i int) *Need { return needs[i%1000*7] }},
		{"exhaustive-long-query", small, func(int) *Need { return longQuery }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for i := range b.N {
				bc.ix.Similar(bc.q(i), 10, nil)
			}
		})
	}
}

// BenchmarkWriteThenQuery times a write followed by a query on an index
// of 1 000 generated needs: in an index this small every write changes
// the weights of every need, and the next query weighs them all again.
func BenchmarkWriteThenQuery(b *testing.B) {
	needs, c := generatedNeeds(b, 1000)
	ix := NewIndex(NewAnalyzer(c))
	ix.UpsertAll(needs)
	ix.Similar(needs[0], 10, nil)
	b.ResetTimer()
	for i := range b.N {
		changed := *needs[i%len(needs)]
		changed.Description += " Ändrad."
		ix.Upsert(&changed)
		ix.Similar(needs[(i*7)%len(needs)], 10, nil)
	}
}

// generatedNeeds are n needs generated from the development set, and the
// compound dictionary when the reference folder is there.
func generatedNeeds(tb testing.TB, n int) ([]*Need, *Compounds) {
	gen, err := corpus.Generate(refDir(), evalPath(), n, 1)
	if err != nil {
		tb.Skip(err)
	}
	needs := make([]*Need, len(gen))
	for i, g := range gen {
		needs[i] = &Need{ID: g.ID, Org: g.Org, OrgKind: g.OrgKind, Title: g.Title, Description: g.Description, Year: g.PlannedYear}
	}
	c, _ := ReadCompounds(refDir())
	return needs, c
}

// BenchmarkCorpusWordCounts times counting the words of the reference
// folder's corpora, which ReadCompounds does once per process for
// Compounds.splitPays.
func BenchmarkCorpusWordCounts(b *testing.B) {
	for range b.N {
		freq, err := countCorpusWords(refDir())
		if err != nil {
			b.Fatal(err)
		} else if freq == nil {
			b.Skip("no corpora in ", refDir())
		}
	}
}

// BenchmarkExplain times explaining a need's ten best matches (the
// reasons a need's page gives) in an index of 1 000 generated needs.
func BenchmarkExplain(b *testing.B) {
	needs, c := generatedNeeds(b, 1000)
	ix := NewIndex(NewAnalyzer(c))
	ix.UpsertAll(needs)
	byID := map[string]*Need{}
	for _, n := range needs {
		byID[n.ID] = n
	}
	matches := make([][]*Need, 100)
	for i := range matches {
		for _, m := range ix.Similar(needs[i*7], 10, nil) {
			matches[i] = append(matches[i], byID[m.ID])
		}
	}
	b.ResetTimer()
	for i := range b.N {
		q := i % len(matches)
		ex := ix.Explainer(needs[q*7])
		for _, m := range matches[q] {
			ex.Explain(m, 6)
		}
	}
}

// BenchmarkSmallIndexMemory reports the heap an index of 5 000 generated
// needs holds once queried: with the lists a small index keeps (gramdots.go)
// and without them.
func BenchmarkSmallIndexMemory(b *testing.B) {
	needs, c := generatedNeeds(b, exhaustiveMax)
	an := NewAnalyzer(c)
	NewIndex(an).UpsertAll(needs) // the analyser's caches, which both share
	for _, keep := range []bool{true, false} {
		name := "lists"
		if !keep {
			name = "vectors-only"
		}
		b.Run(name, func(b *testing.B) {
			var before, after runtime.MemStats
			for b.Loop() {
				runtime.GC()
				runtime.ReadMemStats(&before)
				ix := NewIndex(an)
				ix.UpsertAll(needs)
				if !keep {
					ix.mu.Lock()
					ix.gramPost = nil
					ix.mu.Unlock()
				}
				ix.Similar(needs[0], 10, nil)
				runtime.GC()
				runtime.ReadMemStats(&after)
				runtime.KeepAlive(ix)
			}
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1e6, "heap-MB")
		})
	}
}

// BenchmarkTopicLearn times learning the topic model (topics.go) of an
// index of 1 000 and 4 000 generated needs, as a query does in the
// background once a quarter of the index has changed.
func BenchmarkTopicLearn(b *testing.B) {
	for _, n := range []int{1000, 4000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			needs, c := generatedNeeds(b, n)
			ix := NewIndex(NewAnalyzer(c))
			ix.UpsertAll(needs)
			ix.Similar(needs[0], 1, nil) // the vectors of this generation
			ix.mu.RLock()
			defer ix.mu.RUnlock()
			for b.Loop() {
				ix.topicInput().learn()
			}
		})
	}
}
