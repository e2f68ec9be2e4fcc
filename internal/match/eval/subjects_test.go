package eval

import (
	"math"
	"testing"
)

// TestEvaluateSubjects scores a hand-made set as score_subjects.py does:
// gain 2 for a shared subject, 1 for a shared group only, the query
// dropped from its ranking, the ideal from all other records, a query
// with no gain possible left out.
func TestEvaluateSubjects(t *testing.T) {
	recs := []Record{
		{ID: "p1", Subjects: []string{"10101"}},
		{ID: "p2", Subjects: []string{"10101", "20201"}},
		{ID: "p3", Subjects: []string{"10102"}}, // p1's group, not its subject
		{ID: "p4", Subjects: []string{"30301"}}, // nobody's group: left out
		{ID: "p5", Subjects: []string{"20201"}},
	}
	rank := map[string][]string{
		"p1": {"p1", "p3", "p2", "p4"},
		"p2": {"p5"},
		// p3 has no ranking: 0
		"p4": {"p1"},
		"p5": {"p4", "p2", "p2"}, // a duplicate counts as given
	}
	l2, l3, l4 := 1.0, math.Log2(3), 2.0 // discounts of the first three places
	want := []float64{
		(1/l2 + 2/l3) / (2/l2 + 1/l3),   // p1: group, then subject; ideal one of each
		(2 / l2) / (2/l2 + 2/l3 + 1/l4), // p2: p1 and p5 share a subject, p3 the group
		0,                               // p3
		(2/l3 + 2/l4) / (2 / l2),        // p5: only p2 shares, yet counted twice
	}
	var ndcg float64
	for _, x := range want {
		ndcg += x / 4
	}
	got := EvaluateSubjects(recs, rank)
	if got.Queries != 4 || got.Unjudgeable != 1 {
		t.Fatalf("queries %d, unjudgeable %d; want 4 and 1", got.Queries, got.Unjudgeable)
	}
	if !near(got.NDCG10, ndcg, 1e-12) {
		t.Errorf("nDCG@10 = %.6f, want %.6f", got.NDCG10, ndcg)
	}
	if !near(got.P10, (0.1+0.1+0+0.2)/4, 1e-12) || !near(got.P1, 0.25, 1e-12) {
		t.Errorf("P@10 = %.4f, P@1 = %.4f; want 0.1 and 0.25", got.P10, got.P1)
	}
}

// TestEvaluateSubjectsTopTen: only the first ten after the query count.
func TestEvaluateSubjectsTopTen(t *testing.T) {
	recs := []Record{{ID: "q", Subjects: []string{"10101"}}, {ID: "r", Subjects: []string{"10101"}}}
	var rank []string
	for range 10 {
		rank = append(rank, "x") // unknown ids gain 0
	}
	got := EvaluateSubjects(recs, map[string][]string{"q": append([]string{"q"}, append(rank, "r")...)})
	if got.NDCG10 != 0 {
		t.Errorf("a relevant record 11th after the query counted: nDCG@10 %.3f", got.NDCG10)
	}
	got = EvaluateSubjects(recs, map[string][]string{"q": append([]string{"q"}, append(rank[:9], "r")...)})
	if want := (2 / math.Log2(11)) / 2 / 2; !near(got.NDCG10, want, 1e-12) { // r (the query ranks nothing) averaged with q
		t.Errorf("nDCG@10 = %.6f, want %.6f", got.NDCG10, want)
	}
}
