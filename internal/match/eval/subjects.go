package eval

import (
	"fmt"
	"math"
)

// SubjectMetrics are the scores of rankings of the SweCRIS projects
// (projects-swecris.jsonl), macro-averaged over the queries.
type SubjectMetrics struct {
	Queries     int
	NDCG10      float64
	P10, P1     float64 // share of the top 10 / of first places with a shared subject
	Unjudgeable int     // projects without another of their subjects' group, left out
}

func (m SubjectMetrics) String() string {
	return fmt.Sprintf("nDCG@10 %.3f  P@10 %.3f  P@1 %.3f  (%d queries)", m.NDCG10, m.P10, m.P1, m.Queries)
}

// EvaluateSubjects scores rankings (query id -> ids, best first) of
// records labelled with SCB research subjects as the set's reference
// scorer, score_subjects.py, does: a ranked project gains 2 when it shares
// a 5-digit subject with the query, 1 when it shares only a 3-digit group,
// else 0; the query itself is dropped from its ranking and the first 10
// count; the ideal top 10 takes the best gains among all other records.
// Every record is a query, but one whose ideal gains are all 0; a query
// without a ranking scores 0. An id not in recs gains 0.
func EvaluateSubjects(recs []Record, rankings map[string][]string) SubjectMetrics {
	labels := make(map[string][]string, len(recs))
	for _, r := range recs {
		labels[r.ID] = r.Subjects
	}
	var m SubjectMetrics
	for _, r := range recs {
		n2, n1 := others(recs, r) // for the ideal top 10
		ideal := 0.0
		for i := range min(10, n2+n1) {
			g := 1.0
			if i < n2 {
				g = 2
			}
			ideal += g / math.Log2(float64(i+2))
		}
		if ideal == 0 {
			m.Unjudgeable++
			continue
		}
		var dcg, p10 float64
		i := 0
		for _, id := range rankings[r.ID] {
			if id == r.ID {
				continue
			}
			if i == 10 {
				break
			}
			g := gain(r.Subjects, labels[id])
			dcg += float64(g) / math.Log2(float64(i+2))
			if g == 2 {
				p10++
				if i == 0 {
					m.P1++
				}
			}
			i++
		}
		m.NDCG10 += dcg / ideal
		m.P10 += p10 / 10
		m.Queries++
	}
	if m.Queries > 0 {
		n := float64(m.Queries)
		m.NDCG10, m.P10, m.P1 = m.NDCG10/n, m.P10/n, m.P1/n
	}
	return m
}

// others counts the records other than q that share a 5-digit subject
// with it (n2) and those that share only a 3-digit group (n1): every
// pair is tested, which the set's few thousand records allow.
func others(recs []Record, q Record) (n2, n1 int) {
	for _, r := range recs {
		if r.ID == q.ID {
			continue
		}
		switch gain(q.Subjects, r.Subjects) {
		case 2:
			n2++
		case 1:
			n1++
		}
	}
	return n2, n1
}

// SharesSubject tells whether two projects share a 5-digit SCB subject:
// the relevance the scorer gives full gain.
func SharesSubject(a, b []string) bool { return gain(a, b) == 2 }

// gain is 2 when a and b share a subject, 1 when they share only its
// first 3 digits (its group), else 0.
func gain(a, b []string) int {
	g := 0
	for _, x := range a {
		for _, y := range b {
			switch {
			case x == y:
				return 2
			case len(x) >= 3 && len(y) >= 3 && x[:3] == y[:3]:
				g = 1
			}
		}
	}
	return g
}
