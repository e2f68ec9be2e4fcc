package main

import (
	"context"
	"fmt"
	"time"

	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/match/corpus"
	"github.com/arena-se/arena/internal/match/eval"
	"github.com/arena-se/arena/internal/match/pgfts"
)

// quality prints the dev-set metrics of Arena's ranking (what match-file
// outputs: match.MatchRecords), with and without the compound dictionary, next to
// the character 5-gram TF-IDF and PostgreSQL full-text baselines computed
// here on the same needs.
func quality(ctx context.Context, needsPath, dataDir, pg string) error {
	recs, err := eval.ReadFile(needsPath)
	if err != nil {
		return err
	}
	const k = 10
	fmt.Printf("%-52s %s\n", "system", "metrics (dev set, 102 queries)")
	comp, err := match.ReadCompounds(dataDir)
	if err != nil {
		return err
	}
	for _, c := range []struct {
		name string
		an   *match.Analyzer
	}{{"arena (match-file, with --data-dir)", match.NewAnalyzer(comp)}, {"arena (match-file, no reference folder)", match.NewAnalyzer(nil)}} {
		if c.name == "arena (match-file, with --data-dir)" && comp == nil {
			continue
		}
		start := time.Now()
		rank := match.MatchRecords(c.an, recs, k)
		fmt.Printf("%-52s %s  [%v]\n", c.name, eval.Evaluate(recs, rank), time.Since(start).Round(time.Millisecond))
	}
	fmt.Printf("%-52s %s\n", "baseline: TF-IDF cosine, character 5-grams", eval.Evaluate(recs, eval.CharNGramTFIDF(recs, 5)))
	if pg == "" {
		fmt.Println("baseline: PostgreSQL full-text search: skipped (give --pg URL)")
		return nil
	}
	schema := fmt.Sprintf("bench_quality_%d", time.Now().UnixNano())
	ix, _, err := pgfts.Load(ctx, pg, schema, func(yield func(corpus.Need) bool) {
		for _, r := range recs {
			if !yield(corpus.Need{ID: r.ID, Org: r.Org, OrgKind: r.OrgKind, Title: r.Title, Description: r.Description, CPV: r.CPV, EstimatedValueSEK: r.EstimatedValueSEK, PlannedYear: r.PlannedYear}) {
				return
			}
		}
	})
	if err != nil {
		return fmt.Errorf("postgres baseline: %w", err)
	}
	defer ix.Close()
	defer ix.Drop(context.Background())
	rank := map[string][]string{}
	for _, r := range recs {
		if r.Cluster == "" {
			continue
		}
		if rank[r.ID], err = ix.Query(ctx, r.Title+" "+r.Description, r.Org, k); err != nil {
			return err
		}
	}
	fmt.Printf("%-52s %s\n", "baseline: PostgreSQL swedish FTS, OR of lexemes", eval.Evaluate(recs, rank))
	return nil
}
