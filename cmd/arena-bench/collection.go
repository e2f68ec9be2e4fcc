package main

import (
	"context"
	"fmt"
	"os"

	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/match/eval"
)

// collectionBench measures the ranking calls, projects, experts and
// networks get (match.Collection), which has no labelled set of its own,
// on the two labelled sets of needs: every record is an item, and each
// record, as a need, ranks the items of other organisations. The needs
// set is scored here (nDCG@10, hard negatives); the SweCRIS rankings are
// written to out in match-file's format for score_subjects.py.
func collectionBench(ctx context.Context, needsPath, projectsPath, dataDir, out string) error {
	comp, err := match.ReadCompounds(dataDir)
	if err != nil {
		return err
	}
	an := match.NewAnalyzer(comp)
	fmt.Printf("compound dictionary %v\n", comp != nil)
	needs, err := eval.ReadFile(needsPath)
	if err != nil {
		return err
	}
	ranked, err := rankAsItems(ctx, an, needs)
	if err != nil {
		return err
	}
	fmt.Printf("needs (%d): %s\n", len(needs), eval.Evaluate(needs, ranked))
	if out == "" {
		return nil
	}
	projects, err := eval.ReadFile(projectsPath)
	if err != nil {
		return err
	}
	if ranked, err = rankAsItems(ctx, an, projects); err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := eval.WriteRankings(f, projects, ranked); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Printf("projects (%d): rankings in %s (score with score_subjects.py)\n", len(projects), out)
	return nil
}

// rankAsItems ranks, for each record, the other organisations' records as
// collection items, top 10.
func rankAsItems(ctx context.Context, an *match.Analyzer, recs []eval.Record) (map[string][]string, error) {
	items := make([]match.Item, len(recs))
	org := make(map[string]string, len(recs))
	for i, r := range recs {
		items[i] = match.Item{ID: r.ID, Title: r.Title, Body: r.Description}
		org[r.ID] = r.Org
	}
	c, err := match.NewCollection(ctx, an, items)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]string, len(recs))
	for _, r := range recs {
		ms, err := c.Rank(ctx, match.RecordNeed(r), 10, 0, func(id string) bool { return org[id] != r.Org })
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			out[r.ID] = append(out[r.ID], m.ID)
		}
	}
	return out, nil
}
