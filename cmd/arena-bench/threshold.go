package main

import (
	"fmt"

	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/match/eval"
)

// thresholdBench shows, for scores from 0 to 3, what a match threshold
// would do on both labelled sets at once: of the top 10 above it, the
// share that is relevant (precision) and the share of the top 10's
// relevant that stay (kept); how many queries show nothing; on the needs,
// how many of the needs that match nothing (the distractors) still show a
// match, and how many hard negatives of the query's cluster are shown. The
// threshold the product uses (matching.ShowMatch) is chosen from this
// table: a match above it is more often right than wrong on both sets.
func thresholdBench(needsPath, projectsPath, dataDir string) error {
	needs, projects, comp, err := bothSets(needsPath, projectsPath, dataDir)
	if err != nil {
		return err
	}
	subjects := make(map[string][]string, len(projects))
	for _, r := range projects {
		subjects[r.ID] = r.Subjects
	}
	const steps = 46 // 0, 0.1, … 4.5
	var meanF1, needsPrecision [steps]float64
	sets := 0
	for _, a := range []struct {
		name string
		an   *match.Analyzer
	}{{"with the reference folder", match.NewAnalyzer(comp)}, {"without it", match.NewAnalyzer(nil)}} {
		if comp == nil && a.name != "without it" {
			continue
		}
		nr := match.RankRecords(a.an, needs, 10)
		pr := match.RankRecords(a.an, projects, 10)
		fmt.Printf("\n%s: needs (%d), projects (%d)\n", a.name, len(needs), len(projects))
		fmt.Printf("%-6s | %-9s %-6s %-6s %-10s %-12s %-8s | %-9s %-6s %-6s %-6s\n", "score", "precision", "kept", "F1", "none shown", "distractors", "HN/query", "precision", "kept", "F1", "none")
		for i := range steps {
			t := float64(i) / 10
			d := needsAt(needs, nr, t)
			p := projectsAt(projects, subjects, pr, t)
			fmt.Printf("%-6.1f | %-9.3f %-6.3f %-6.3f %-10.3f %-12.3f %-8.3f | %-9.3f %-6.3f %-6.3f %-6.3f\n", t, d.precision, d.kept, d.f1(), d.none, d.distractors, d.hn, p.precision, p.kept, p.f1(), p.none)
			meanF1[i] += d.f1() + p.f1()
			needsPrecision[i] += d.precision
		}
		sets += 2
	}
	best := 0
	for i := range steps {
		if meanF1[i] > meanF1[best] {
			best = i
		}
	}
	fmt.Printf("\nshow a match from (the best mean F1 of precision and kept over both sets, with and without the reference folder): %.1f (mean F1 %.3f)\n", float64(best)/10, meanF1[best]/float64(sets))
	for _, p := range []float64{0.85, 0.90} {
		for i := best; i < steps; i++ {
			if m := needsPrecision[i] / float64(sets/2); m >= p {
				fmt.Printf("the lowest score from which %.0f %% of the needs shown are relevant (mean with and without the reference folder): %.1f (%.3f)\n", 100*p, float64(i)/10, m)
				break
			}
		}
	}
	return nil
}

// f1 is the harmonic mean of precision and kept.
func (a atThreshold) f1() float64 {
	if a.precision+a.kept == 0 {
		return 0
	}
	return 2 * a.precision * a.kept / (a.precision + a.kept)
}

// atThreshold is what a threshold does on one set.
type atThreshold struct {
	precision   float64 // relevant among the shown
	kept        float64 // of the top 10's relevant, the share shown
	none        float64 // queries that show nothing
	distractors float64 // needs: of the needs in no cluster, the share that show a match
	hn          float64 // needs: hard negatives of the query's cluster shown, per query
}

func needsAt(recs []eval.Record, ranked [][]match.Match, t float64) atThreshold {
	var out atThreshold
	cluster := map[string]string{}
	hnOf := map[string]string{}
	for _, r := range recs {
		cluster[r.ID], hnOf[r.ID] = r.Cluster, r.HardNegativeOf
	}
	var shown, rel, relTop, queries, distractors, distractorsShown int
	for i, r := range recs {
		above := 0
		for _, m := range ranked[i] {
			isRel := r.Cluster != "" && cluster[m.ID] == r.Cluster
			if isRel {
				relTop += b2i(r.Cluster != "")
			}
			if m.Pair < t {
				continue
			}
			above++
			if r.Cluster == "" {
				continue
			}
			shown++
			if isRel {
				rel++
			}
			if hnOf[m.ID] == r.Cluster {
				out.hn++
			}
		}
		switch {
		case r.Cluster != "":
			queries++
			if above == 0 {
				out.none++
			}
		case r.HardNegativeOf == "":
			distractors++
			if above > 0 {
				distractorsShown++
			}
		}
	}
	out.precision = ratio(rel, shown)
	out.kept = ratio(rel, relTop)
	out.none /= float64(max(queries, 1))
	out.hn /= float64(max(queries, 1))
	out.distractors = ratio(distractorsShown, distractors)
	return out
}

func projectsAt(recs []eval.Record, subjects map[string][]string, ranked [][]match.Match, t float64) atThreshold {
	var out atThreshold
	var shown, rel, relTop int
	for i, r := range recs {
		above := 0
		for _, m := range ranked[i] {
			isRel := eval.SharesSubject(subjects[r.ID], subjects[m.ID])
			if isRel {
				relTop++
			}
			if m.Pair < t {
				continue
			}
			above++
			shown++
			if isRel {
				rel++
			}
		}
		if above == 0 {
			out.none++
		}
	}
	out.precision = ratio(rel, shown)
	out.kept = ratio(rel, relTop)
	out.none /= float64(max(len(recs), 1))
	return out
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// bothSets reads the two labelled sets and the compound dictionary of the
// reference folder (nil when it has none).
func bothSets(needsPath, projectsPath, dataDir string) (needs, projects []eval.Record, comp *match.Compounds, err error) {
	if needs, err = eval.ReadFile(needsPath); err != nil {
		return nil, nil, nil, err
	}
	if projects, err = eval.ReadFile(projectsPath); err != nil {
		return nil, nil, nil, err
	}
	comp, err = match.ReadCompounds(dataDir)
	return needs, projects, comp, err
}
