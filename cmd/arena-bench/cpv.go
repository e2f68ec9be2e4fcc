package main

import (
	"fmt"

	"github.com/arena-se/arena/internal/cli"
	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/match/eval"
	"github.com/arena-se/arena/internal/refdata"
)

// cpvBench measures CPV suggestion: the share of dev-set needs with CPV
// codes whose top 5 suggestions contain the buyer's CPV group. Each need is
// suggested for as the product does it: from its text, with the other
// organisations' needs voting (leave-one-out: it cannot vote for itself).
func cpvBench(needsPath, dataDir string) error {
	recs, err := eval.ReadFile(needsPath)
	if err != nil {
		return err
	}
	set, _, err := refdata.ReadDir(dataDir)
	if err != nil {
		return err
	}
	if len(set.CPV) == 0 {
		return fmt.Errorf("no CPV list in %s", dataDir)
	}
	comp, err := match.ReadCompounds(dataDir)
	if err != nil {
		return err
	}
	an := match.NewAnalyzer(comp)
	sug := match.NewCPVSuggester(an, set.CPV)
	bg, err := match.ReadBackground(dataDir, an)
	if err != nil {
		return err
	}
	sug.SetBackground(bg) // as arena serve does when the reference folder has the corpora
	ix := match.NewIndex(an)
	needs := make([]*match.Need, len(recs))
	for i, r := range recs {
		needs[i] = cli.RecordNeed(r)
	}
	ix.UpsertAll(needs)
	for _, withIndex := range []bool{true, false} {
		hit, total := 0, 0
		for i, r := range recs {
			if len(r.CPV) == 0 {
				continue
			}
			total++
			var use *match.Index
			if withIndex {
				use = ix
			}
			groups := map[string]bool{}
			for _, c := range needs[i].CPV {
				groups[c[:3]] = true
			}
			for _, s := range sug.Suggest(r.Title, r.Description, use, r.ID, needs[i].Org, 5) {
				if groups[s.Code[:3]] {
					hit++
					break
				}
			}
		}
		name := "labels and similar needs' codes"
		if !withIndex {
			name = "labels only"
		}
		fmt.Printf("CPV group in top 5 (%s): %d of %d = %.3f\n", name, hit, total, float64(hit)/float64(total))
	}
	return nil
}
