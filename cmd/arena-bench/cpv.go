package main

import (
	"fmt"
	"strings"

	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/match/eval"
	"github.com/arena-se/arena/internal/refdata"
)

// cpvDevSet reads the dev set and the CPV list and builds the suggester
// as arena serve does when the reference folder has the corpora (without
// them when background is false).
func cpvDevSet(needsPath, dataDir string, background bool) (*match.CPVDevSet, error) {
	recs, err := eval.ReadFile(needsPath)
	if err != nil {
		return nil, err
	}
	set, _, err := refdata.ReadDir(dataDir)
	if err != nil {
		return nil, err
	}
	if len(set.CPV) == 0 {
		return nil, fmt.Errorf("no CPV list in %s", dataDir)
	}
	comp, err := match.ReadCompounds(dataDir)
	if err != nil {
		return nil, err
	}
	an := match.NewAnalyzer(comp)
	sug := match.NewCPVSuggester(an, set.CPV)
	if background {
		bg, err := match.ReadBackground(dataDir, an)
		if err != nil {
			return nil, err
		}
		sug.SetBackground(bg)
	}
	return match.NewCPVDevSet(recs, sug), nil
}

// cpvBench measures CPV suggestion: the share of dev-set needs with CPV
// codes whose top 5 suggestions contain the buyer's CPV group. Each need is
// suggested for as the product does it: from its text, with the other
// organisations' needs voting (leave-one-out: it cannot vote for itself).
func cpvBench(needsPath, dataDir string) error {
	for _, background := range []bool{true, false} {
		d, err := cpvDevSet(needsPath, dataDir, background)
		if err != nil {
			return err
		}
		for _, withIndex := range []bool{true, false} {
			share, misses := d.GroupAt5(withIndex)
			name := "labels and similar needs' codes"
			if !withIndex {
				name = "labels only"
			}
			if !background {
				name += ", without the government corpora"
			}
			fmt.Printf("CPV group in top 5 (%s): %d of %d = %.3f\n", name, d.Needs()-len(misses), d.Needs(), share)
		}
	}
	return nil
}

// cpvMisses lists the needs whose top 5 has none of their codes' groups,
// from labels only and with the index, with what was suggested instead.
func cpvMisses(needsPath, dataDir string) error {
	d, err := cpvDevSet(needsPath, dataDir, true)
	if err != nil {
		return err
	}
	for _, withIndex := range []bool{false, true} {
		share, misses := d.GroupAt5(withIndex)
		name := "labels only"
		if withIndex {
			name = "with the index"
		}
		fmt.Printf("misses, %s (group@5 %.3f, %d of %d):\n", name, share, len(misses), d.Needs())
		for _, m := range misses {
			var got []string
			for _, g := range m.Got {
				got = append(got, g.Code+" "+g.LabelSV)
			}
			fmt.Printf("%s %s %v\n   got %s\n", m.Record.ID, m.Record.Title, m.Record.CPV, strings.Join(got, " | "))
		}
	}
	return nil
}

// cpvSweep prints group@5 (labels only / with the index) for each value of
// each knob, the others at their defaults.
func cpvSweep(needsPath, dataDir string) error {
	d, err := cpvDevSet(needsPath, dataDir, true)
	if err != nil {
		return err
	}
	tu := match.NewCPVTuner(d)
	labels, index := tu.Default()
	fmt.Printf("default: labels %.3f index %.3f\n", labels, index)
	for i, row := range tu.Sweep() {
		cells := make([]string, len(row))
		for j, c := range row {
			_, value, _ := strings.Cut(c.Setting, "=")
			cells[j] = fmt.Sprintf("%s: %.3f/%.3f", value, c.Labels, c.Index)
		}
		fmt.Printf("%-10s %s\n", match.CPVKnobs()[i], strings.Join(cells, "  "))
	}
	return nil
}

// cpvTune fits the knobs (only those named, when any are) in grouped
// cross-validation and prints the held-out group@5, then the fit on every
// need.
func cpvTune(needsPath, dataDir string, folds int, only []string) error {
	d, err := cpvDevSet(needsPath, dataDir, true)
	if err != nil {
		return err
	}
	tu := match.NewCPVTuner(d)
	fit, err := tu.Tune(folds, only...)
	if err != nil {
		return err
	}
	if only != nil {
		// what no fold fits, for the fitted knobs' held-out figures to be
		// read against
		labels, index := tu.Default()
		fmt.Printf("defaults, not fitted: group@5 %.3f with the index, %.3f labels only\n", index, labels)
	}
	for i, f := range fit.Folds {
		fmt.Printf("fold %d: train objective %.3f  held-out %.3f / labels %.3f (%d needs)  %s\n", i, f.TrainObjective, f.Index, f.Labels, f.Needs, f.Knobs)
	}
	fmt.Printf("cross-validated group@5: %.3f with the index, %.3f labels only\n", fit.Index, fit.Labels)
	fmt.Printf("all needs: objective %.3f  %s\n", fit.AllObjective, fit.AllKnobs)
	return nil
}

// cpvGrid prints the best 15 settings of the full grid of the named knobs.
func cpvGrid(needsPath, dataDir string, knobs []string) error {
	d, err := cpvDevSet(needsPath, dataDir, true)
	if err != nil {
		return err
	}
	cells, err := match.NewCPVTuner(d).Grid(knobs)
	if err != nil {
		return err
	}
	fmt.Println("index / labels  setting")
	for _, c := range cells[:min(15, len(cells))] {
		fmt.Printf("%.3f / %.3f   %s\n", c.Index, c.Labels, c.Setting)
	}
	return nil
}
