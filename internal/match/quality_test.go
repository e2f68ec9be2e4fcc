package match

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arena-se/arena/internal/match/eval"
)

func evalPath() string {
	if d := os.Getenv("ARENA_TEST_EVAL_DIR"); d != "" {
		return filepath.Join(d, "needs.jsonl")
	}
	return filepath.Join("..", "..", "..", "shared", "eval", "needs.jsonl")
}

func refDir() string {
	if d := os.Getenv("ARENA_TEST_DATA_DIR"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "data")
}

// needFromRecord is how match-file turns a dev-set line into a Need.
func needFromRecord(r eval.Record) *Need {
	n := &Need{ID: r.ID, Org: r.Org, OrgKind: r.OrgKind, Title: r.Title, Description: r.Description, Year: r.PlannedYear, ValueSEK: r.EstimatedValueSEK}
	for _, c := range r.CPV {
		if len(c) >= 8 {
			n.CPV = append(n.CPV, c[:8])
		}
	}
	return n
}

func loadDev(t testing.TB, withCompounds bool) ([]eval.Record, *Index) {
	recs, err := eval.ReadFile(evalPath())
	if err != nil {
		t.Skip("no dev set: ", err)
	}
	var c *Compounds
	if withCompounds {
		if c, err = ReadCompounds(refDir()); err != nil {
			t.Fatal(err)
		}
	}
	an := NewAnalyzer(c)
	ix := NewIndex(an)
	if mix := os.Getenv("ARENA_BGMIX"); mix != "" {
		bg, err := ReadBackground(refDir(), an)
		if err != nil {
			t.Fatal(err)
		}
		var m float64
		fmt.Sscanf(mix, "%g", &m)
		ix.SetBackground(bg, m)
	}
	for _, r := range recs {
		ix.Upsert(needFromRecord(r))
	}
	return recs, ix
}

func rankAll(recs []eval.Record, ix *Index) (map[string][]string, map[string][]Match) {
	out := map[string][]string{}
	full := map[string][]Match{}
	for _, r := range recs {
		if r.Cluster == "" {
			continue
		}
		ms := ix.Similar(ix.byID[r.ID].need, 0, nil)
		full[r.ID] = ms
		for _, m := range ms {
			out[r.ID] = append(out[r.ID], m.ID)
		}
	}
	return out, full
}

// TestDevSetQuality guards the ranking's quality on the development set at
// the level docs/benchmarks.md reports (with and without the compound
// dictionary), so a change that makes matching worse fails.
func TestDevSetQuality(t *testing.T) {
	for _, comp := range []bool{false, true} {
		recs, ix := loadDev(t, comp)
		if comp && !ix.an.HasCompounds() {
			t.Skip("no compound dictionary in the reference folder")
		}
		rank, _ := rankAll(recs, ix)
		m := eval.Evaluate(recs, rank)
		t.Logf("compounds=%v: %s", comp, m)
		if m.NDCG10 < 0.95 || m.MRR < 0.95 || m.HNAbove > 0.35 {
			t.Errorf("compounds=%v: quality fell below nDCG@10 0.95, MRR 0.95, HN-above 0.35: %s", comp, m)
		}
	}
}

func TestDevQualityReport(t *testing.T) {
	if os.Getenv("ARENA_QUALITY_REPORT") == "" {
		t.Skip("set ARENA_QUALITY_REPORT=1 to print the dev-set report")
	}
	for _, comp := range []bool{false, true} {
		recs, ix := loadDev(t, comp)
		rank, _ := rankAll(recs, ix)
		fmt.Printf("compounds=%v combined: %s\n", comp, eval.Evaluate(recs, rank))
		for f := range nFeatures {
			var w Weights
			w[f] = 1
			if f == fCPVConflict || f == fYear {
				w[f] = -1
			}
			ix.Weights = w
			r, _ := rankAll(recs, ix)
			fmt.Printf("  only %-12s %s\n", FeatureNames[f], eval.Evaluate(recs, r))
		}
		ix.Weights = DefaultWeights
		per := eval.PerCluster(recs, rank)
		var bad []string
		for c, m := range per {
			if m.NDCG10 < 0.9 || m.HNAbove > 0 {
				bad = append(bad, fmt.Sprintf("%s nDCG %.2f HNabove %.2f", c, m.NDCG10, m.HNAbove))
			}
		}
		fmt.Println("  weak clusters:", strings.Join(bad, "; "))
	}
}
