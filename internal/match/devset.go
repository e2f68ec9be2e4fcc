package match

import (
	"fmt"
	"slices"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/match/eval"
)

// The development set (eval.Record, ../shared/eval/needs.jsonl) ranked the
// way the product ranks: the quality tests and arena-bench turn records into
// needs here, so they measure one thing.

// RecordNeed converts a development-set record to the need the matcher
// ranks, as `arena match-file` does: the organisation kind written as the
// database writes it, CPV codes cut to their 8 digits.
func RecordNeed(r eval.Record) *Need {
	n := &Need{ID: r.ID, Org: r.Org, OrgKind: r.OrgKind, Title: r.Title, Description: r.Description,
		Year: r.PlannedYear, ValueSEK: r.EstimatedValueSEK}
	if k, ok := arena.ParseOrgKind(r.OrgKind); ok {
		n.OrgKind = string(k)
	}
	for _, c := range r.CPV {
		if len(c) >= 8 {
			n.CPV = append(n.CPV, c[:8])
		}
	}
	return n
}

// RecordIndex indexes the records.
func RecordIndex(an *Analyzer, recs []eval.Record) *Index {
	ix := NewIndex(an)
	needs := make([]*Need, len(recs))
	for i, r := range recs {
		needs[i] = RecordNeed(r)
	}
	ix.UpsertAll(needs)
	return ix
}

// MatchRecords indexes the records and ranks, for each, the records of
// other organisations, best first, k of them (all when k <= 0).
func MatchRecords(an *Analyzer, recs []eval.Record, k int) map[string][]string {
	return MatchIndexed(RecordIndex(an, recs), recs, k)
}

// MatchIndexed is MatchRecords in an index of the records made by the
// caller (RecordIndex), its knobs set.
func MatchIndexed(ix *Index, recs []eval.Record, k int) map[string][]string {
	ranked := RankIndexed(ix, recs, k)
	out := make(map[string][]string, len(recs))
	for i, r := range recs {
		ids := make([]string, len(ranked[i]))
		for j, m := range ranked[i] {
			ids[j] = m.ID
		}
		out[r.ID] = ids
	}
	return out
}

// RankRecords is MatchRecords with the matches' scores: the i-th list is
// the i-th record's.
func RankRecords(an *Analyzer, recs []eval.Record, k int) [][]Match {
	return RankIndexed(RecordIndex(an, recs), recs, k)
}

// RankIndexed is RankRecords in an index of the records made by the
// caller.
func RankIndexed(ix *Index, recs []eval.Record, k int) [][]Match {
	ranked := make([][]Match, len(recs))
	// The queries share the index for reading, on every core.
	inParallel(ranges(len(recs)), len(recs), func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			ranked[i] = ix.Similar(RecordNeed(recs[i]), k, nil)
		}
	})
	return ranked
}

// rankQueries ranks every candidate for each query of the development set
// (the records with a cluster) with the index's own weights.
func rankQueries(recs []eval.Record, ix *Index) (map[string][]string, map[string][]Match) {
	ids := map[string][]string{}
	full := map[string][]Match{}
	for _, r := range recs {
		if r.Cluster == "" {
			continue
		}
		ms := ix.Similar(RecordNeed(r), 0, nil)
		full[r.ID] = ms
		for _, m := range ms {
			ids[r.ID] = append(ids[r.ID], m.ID)
		}
	}
	return ids, full
}

// RankDevSet ranks every candidate for each query of the development set
// with the index's weights, for eval.Evaluate.
func RankDevSet(recs []eval.Record, ix *Index) map[string][]string {
	ids, _ := rankQueries(recs, ix)
	return ids
}

// FeatureReport is what each feature of the need-to-need score achieves on
// its own, and which clusters the full score ranks poorly.
type FeatureReport struct {
	Combined eval.Metrics
	Alone    []FeatureMetrics // in feature order
	// Weak are the clusters with nDCG@10 below 0.9 or a hard negative
	// above a relevant need, as "cluster nDCG x HNabove y".
	Weak []string
}

// FeatureMetrics are the metrics of ranking by one feature alone.
type FeatureMetrics struct {
	Feature string
	Metrics eval.Metrics
}

// ReportFeatures ranks the development set with the index's weights, then
// by each feature alone (the penalties, CPV conflict and year difference,
// with weight -1). The index's weights are restored after.
func ReportFeatures(recs []eval.Record, ix *Index) FeatureReport {
	rank := RankDevSet(recs, ix)
	rep := FeatureReport{Combined: eval.Evaluate(recs, rank)}
	saved := ix.Weights
	for f := range nFeatures {
		var w Weights
		w[f] = 1
		if f == fCPVConflict || f == fYear {
			w[f] = -1
		}
		ix.Weights = w
		rep.Alone = append(rep.Alone, FeatureMetrics{FeatureNames[f], eval.Evaluate(recs, RankDevSet(recs, ix))})
	}
	ix.Weights = saved
	for c, m := range eval.PerCluster(recs, rank) {
		if m.NDCG10 < 0.9 || m.HNAbove > 0 {
			rep.Weak = append(rep.Weak, fmt.Sprintf("%s nDCG %.2f HNabove %.2f", c, m.NDCG10, m.HNAbove))
		}
	}
	slices.Sort(rep.Weak)
	return rep
}
