package eval

import (
	"fmt"
	"math"
)

// Metrics are macro-averages over queries. Field names follow the README:
// P1..P10 are P@k, R1..R10 are R@k, NDCG10 is nDCG@10 with binary gains,
// HN10 is the share of the top 10 that are hard negatives of the query's
// own cluster, and HNAbove is the share of queries for which a hard
// negative of the query's own cluster outranks at least one of its
// relevant needs within the top 10 (a relevant need missing from the top
// 10 counts as ranked last).
type Metrics struct {
	Queries         int
	P1, P3, P5, P10 float64
	R1, R3, R5, R10 float64
	MRR, NDCG10     float64
	HN10, HNAbove   float64
}

// String gives a one-line summary, e.g.
//
//	nDCG@10 0.907  MRR 0.958  R@5 0.878  R@10 0.967  P@1 0.922  HN@10 0.102  HN-above 0.490  (102 queries)
func (m Metrics) String() string {
	return fmt.Sprintf("nDCG@10 %.3f  MRR %.3f  R@5 %.3f  R@10 %.3f  P@1 %.3f  HN@10 %.3f  HN-above %.3f  (%d queries)",
		m.NDCG10, m.MRR, m.R5, m.R10, m.P1, m.HN10, m.HNAbove, m.Queries)
}

// Evaluate scores rankings (query id -> need ids, best first, any length)
// exactly like the README's reference scorer:
//
//   - queries are the records with a non-empty Cluster;
//   - the relevant needs of a query are the other records of its cluster
//     whose Org differs from the query's;
//   - the query itself and ids of records from the query's own Org are
//     dropped from its ranking before scoring (everything else, including
//     duplicates, is scored as given, as in the reference);
//   - every metric is computed per query and macro-averaged over all
//     queries; a query without a ranking scores 0.
//
// Deviations only where the reference would crash: an id in a ranking
// that is not in recs is kept and treated as a non-relevant need of an
// unknown organisation, and a query without relevant needs (impossible on
// needs.jsonl) contributes 0 to the recall-based metrics and nDCG@10
// instead of dividing by zero. HNAbove is an addition to the reference.
func Evaluate(recs []Record, rankings map[string][]string) Metrics {
	var sum sums
	for _, q := range scoreQueries(recs, rankings) {
		sum.add(q)
	}
	return sum.mean()
}

// PerCluster is Evaluate with the macro-average taken separately over the
// queries of each cluster label.
func PerCluster(recs []Record, rankings map[string][]string) map[string]Metrics {
	by := make(map[string]*sums)
	for _, q := range scoreQueries(recs, rankings) {
		s := by[q.cluster]
		if s == nil {
			s = new(sums)
			by[q.cluster] = s
		}
		s.add(q)
	}
	out := make(map[string]Metrics, len(by))
	for c, s := range by {
		out[c] = s.mean()
	}
	return out
}

// Qrels returns the relevant ids of every query (records with a
// non-empty Cluster): the other members of its cluster from other
// organisations.
func Qrels(recs []Record) map[string]map[string]bool {
	byCluster := make(map[string][]Record)
	for _, r := range recs {
		if r.Cluster != "" {
			byCluster[r.Cluster] = append(byCluster[r.Cluster], r)
		}
	}
	out := make(map[string]map[string]bool)
	for _, members := range byCluster {
		for _, q := range members {
			rel := make(map[string]bool)
			for _, o := range members {
				if o.ID != q.ID && o.Org != q.Org {
					rel[o.ID] = true
				}
			}
			out[q.ID] = rel
		}
	}
	return out
}

// queryScore holds the per-query values; Metrics is their mean.
type queryScore struct {
	cluster string
	m       Metrics // Queries unused
}

type sums struct{ m Metrics }

func (s *sums) add(q queryScore) {
	s.m.Queries++
	s.m.P1 += q.m.P1
	s.m.P3 += q.m.P3
	s.m.P5 += q.m.P5
	s.m.P10 += q.m.P10
	s.m.R1 += q.m.R1
	s.m.R3 += q.m.R3
	s.m.R5 += q.m.R5
	s.m.R10 += q.m.R10
	s.m.MRR += q.m.MRR
	s.m.NDCG10 += q.m.NDCG10
	s.m.HN10 += q.m.HN10
	s.m.HNAbove += q.m.HNAbove
}

func (s *sums) mean() Metrics {
	m := s.m
	if m.Queries == 0 {
		return Metrics{}
	}
	n := float64(m.Queries)
	for _, f := range []*float64{&m.P1, &m.P3, &m.P5, &m.P10, &m.R1, &m.R3, &m.R5, &m.R10, &m.MRR, &m.NDCG10, &m.HN10, &m.HNAbove} {
		*f /= n
	}
	return m
}

// scoreQueries computes per-query metrics in the order of recs.
func scoreQueries(recs []Record, rankings map[string][]string) []queryScore {
	byID := make(map[string]Record, len(recs))
	for _, r := range recs {
		byID[r.ID] = r
	}
	rel := Qrels(recs)
	var out []queryScore
	for _, q := range recs {
		if q.Cluster == "" {
			continue
		}
		out = append(out, queryScore{cluster: q.Cluster, m: scoreQuery(q, rel[q.ID], byID, rankings[q.ID])})
	}
	return out
}

func scoreQuery(q Record, rel map[string]bool, byID map[string]Record, ranking []string) Metrics {
	ranked := make([]string, 0, len(ranking))
	for _, d := range ranking {
		if d == q.ID {
			continue
		}
		if r, ok := byID[d]; ok && r.Org == q.Org {
			continue
		}
		ranked = append(ranked, d)
	}
	hitsAt := func(k int) float64 {
		n := 0
		for i := 0; i < k && i < len(ranked); i++ {
			if rel[ranked[i]] {
				n++
			}
		}
		return float64(n)
	}
	var m Metrics
	nRel := float64(len(rel))
	for _, k := range []int{1, 3, 5, 10} {
		h := hitsAt(k)
		p, r := h/float64(k), 0.0
		if nRel > 0 {
			r = h / nRel
		}
		switch k {
		case 1:
			m.P1, m.R1 = p, r
		case 3:
			m.P3, m.R3 = p, r
		case 5:
			m.P5, m.R5 = p, r
		case 10:
			m.P10, m.R10 = p, r
		}
	}
	for i, d := range ranked {
		if rel[d] {
			m.MRR = 1 / float64(i+1)
			break
		}
	}
	var dcg, idcg float64
	for i := 0; i < 10 && i < len(ranked); i++ {
		if rel[ranked[i]] {
			dcg += 1 / math.Log2(float64(i+2))
		}
	}
	for i := 0; i < len(rel) && i < 10; i++ {
		idcg += 1 / math.Log2(float64(i+2))
	}
	if idcg > 0 {
		m.NDCG10 = dcg / idcg
	}
	isHN := func(d string) bool {
		r, ok := byID[d]
		return ok && r.HardNegativeOf == q.Cluster
	}
	hn := 0
	for i := 0; i < 10 && i < len(ranked); i++ {
		if isHN(ranked[i]) {
			hn++
		}
	}
	m.HN10 = float64(hn) / 10
	// HNAbove: the first hard negative in the top 10 outranks a relevant
	// need unless every relevant need is ranked above it.
	seenRel := make(map[string]bool)
	for i := 0; i < 10 && i < len(ranked); i++ {
		d := ranked[i]
		if isHN(d) {
			if len(seenRel) < len(rel) {
				m.HNAbove = 1
			}
			break
		}
		if rel[d] {
			seenRel[d] = true
		}
	}
	return m
}
