package main

import (
	"fmt"
	"strings"

	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/match/eval"
)

// devIndex reads the dev set and indexes it, with the compound dictionary
// or without, and with the background corpora mixed into the term weights
// when bgMix > 0.
func devIndex(needsPath, dataDir string, compounds bool, bgMix float64) ([]eval.Record, *match.Index, error) {
	recs, err := eval.ReadFile(needsPath)
	if err != nil {
		return nil, nil, err
	}
	var comp *match.Compounds
	if compounds {
		if comp, err = match.ReadCompounds(dataDir); err != nil {
			return nil, nil, err
		}
		if comp == nil {
			return nil, nil, fmt.Errorf("no compound dictionary in %s", dataDir)
		}
	}
	an := match.NewAnalyzer(comp)
	ix := match.RecordIndex(an, recs)
	if bgMix > 0 {
		bg, err := match.ReadBackground(dataDir, an)
		if err != nil {
			return nil, nil, err
		}
		ix.SetBackground(bg, bgMix)
	}
	return recs, ix, nil
}

// qualityReport prints, with and without the compound dictionary, the
// dev-set metrics of the ranking, of each feature alone, and the clusters
// it ranks poorly.
func qualityReport(needsPath, dataDir string, bgMix float64) error {
	for _, comp := range []bool{false, true} {
		recs, ix, err := devIndex(needsPath, dataDir, comp, bgMix)
		if err != nil {
			return err
		}
		rep := match.ReportFeatures(recs, ix)
		fmt.Printf("compounds=%v combined: %s\n", comp, rep.Combined)
		for _, f := range rep.Alone {
			fmt.Printf("  only %-12s %s\n", f.Feature, f.Metrics)
		}
		fmt.Println("  weak clusters:", strings.Join(rep.Weak, "; "))
	}
	return nil
}

// tune fits the ranking weights with cross-validation by cluster and
// prints the held-out metrics next to the defaults', then the weights
// fitted on every cluster; with joint, one set of weights for the index
// with the compound dictionary and the one without.
func tune(needsPath, dataDir string, folds int, bgMix float64, joint bool) error {
	var ts match.Tuners
	for _, comp := range []bool{false, true} {
		recs, ix, err := devIndex(needsPath, dataDir, comp, bgMix)
		if err != nil {
			return err
		}
		ts = append(ts, match.NewWeightTuner(recs, ix))
	}
	var fits []match.WeightFit
	if joint {
		fits = ts.Tune(folds)
	} else {
		for _, t := range ts {
			fits = append(fits, t.Tune(folds))
		}
	}
	for i, fit := range fits {
		comp := i == 1
		fmt.Printf("compounds=%v default: %s\n", comp, fit.Default)
		fmt.Printf("compounds=%v %d-fold CV by cluster: %s\n", comp, folds, fit.CV)
		fmt.Printf("compounds=%v fitted on all: %s support %.2f -> %s\n", comp, weights(fit.Weights), fit.Support, fit.Fitted)
	}
	return nil
}

// weights writes weights by feature name, rounded: word=1 gram=2.2 ….
func weights(w match.Weights) string {
	parts := make([]string, len(w))
	for i, x := range w {
		parts[i] = fmt.Sprintf("%s=%.3g", match.FeatureNames[i], x)
	}
	return strings.Join(parts, " ")
}
