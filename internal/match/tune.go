package match

import (
	"cmp"
	"slices"

	"github.com/arena-se/arena/internal/match/eval"
)

// WeightTuner fits the weights of the need-to-need score on the
// development set (`arena-bench tune`). It holds the features of every
// (query, candidate) pair and the n-gram closeness of every two needs, so
// a setting is scored without analysing text again.
type WeightTuner struct {
	recs    []eval.Record
	cands   map[string][]Match    // query id → all candidates
	gram    map[[2]string]float64 // closeness, as the support weighs it
	support float64
	topics  float64 // the index's weight of the topic cosine (Match.Topic)
}

// NewWeightTuner computes the pairs of the records indexed in ix.
func NewWeightTuner(recs []eval.Record, ix *Index) *WeightTuner {
	saved := ix.Support
	ix.Support = 0 // the tuner adds the support itself
	_, full := rankQueries(recs, ix)
	ix.Support = saved
	t := &WeightTuner{recs: recs, cands: full, gram: map[[2]string]float64{}, support: DefaultSupport, topics: ix.Topics}
	var tm *topicModel // the model rankQueries scored with, if any
	if ix.topicsOn() {
		tm = ix.topics.Load()
	}
	for a, da := range ix.byID {
		va, _ := ix.vectorsOf(da)
		for b, db := range ix.byID {
			vb, _ := ix.vectorsOf(db)
			c := cosine(va.gram, va.gramNorm, vb.gram, vb.gramNorm)
			if tm != nil {
				c = closeness(c, topicCosine(ix.topicOf(da, tm, nil), ix.topicOf(db, tm, nil)))
			}
			t.gram[[2]string{a, b}] = c
		}
	}
	return t
}

// rank scores as Index.Similar does: weights, then neighbourhood support.
func (t *WeightTuner) rank(w Weights, only map[string]bool) map[string][]string {
	type scored struct {
		id string
		s  float64
	}
	order := func(ss []scored) {
		slices.SortFunc(ss, func(a, b scored) int {
			if c := cmp.Compare(b.s, a.s); c != 0 {
				return c
			}
			return cmp.Compare(a.id, b.id)
		})
	}
	out := map[string][]string{}
	for q, ms := range t.cands {
		if only != nil && !only[q] {
			continue
		}
		ss := make([]scored, len(ms))
		for i, m := range ms {
			ss[i] = scored{m.ID, w.score(m.Features) + t.topics*m.Topic}
		}
		order(ss)
		if t.support != 0 {
			nb := slices.Clone(ss[:min(supportNeighbours, len(ss))])
			depth := min(supportDepth, len(ss))
			for i := range ss[:depth] {
				var num, den float64
				for _, x := range nb {
					if x.id == ss[i].id || x.s <= 0 {
						continue
					}
					num += x.s * t.gram[[2]string{x.id, ss[i].id}]
					den += x.s
				}
				if den > 0 {
					ss[i].s += t.support * num / den
				}
			}
			order(ss[:depth])
		}
		for _, x := range ss {
			out[q] = append(out[q], x.id)
		}
	}
	return out
}

// Metrics are the metrics under weights w and the tuner's support weight
// over the queries of the given clusters (all when nil), averaged per
// query.
func (t *WeightTuner) Metrics(w Weights, clusters map[string]bool) eval.Metrics {
	var only map[string]bool
	if clusters != nil {
		only = map[string]bool{}
		for _, r := range t.recs {
			if clusters[r.Cluster] {
				only[r.ID] = true
			}
		}
	}
	var m eval.Metrics
	for c, x := range eval.PerCluster(t.recs, t.rank(w, only)) {
		if clusters != nil && !clusters[c] {
			continue
		}
		m = addMetrics(m, x)
	}
	return meanMetrics(m)
}

// addMetrics adds x's metrics, weighed by its queries, to the sums in m.
func addMetrics(m, x eval.Metrics) eval.Metrics {
	n := float64(x.Queries)
	m.Queries += x.Queries
	m.NDCG10 += x.NDCG10 * n
	m.MRR += x.MRR * n
	m.R5 += x.R5 * n
	m.R10 += x.R10 * n
	m.HN10 += x.HN10 * n
	m.HNAbove += x.HNAbove * n
	m.P1 += x.P1 * n
	return m
}

// meanMetrics turns the sums of addMetrics into means.
func meanMetrics(m eval.Metrics) eval.Metrics {
	if m.Queries == 0 {
		return m
	}
	n := float64(m.Queries)
	m.NDCG10, m.MRR, m.R5, m.R10, m.HN10, m.HNAbove, m.P1 = m.NDCG10/n, m.MRR/n, m.R5/n, m.R10/n, m.HN10/n, m.HNAbove/n, m.P1/n
	return m
}

// objective is what fitting maximises: ranking quality, less half the
// share of queries where a hard negative outranks a relevant need.
func objective(m eval.Metrics) float64 { return m.NDCG10 - 0.5*m.HNAbove }

// Tuners fit one set of weights for several indexes of the same records
// (with the reference folder and without): what fitting maximises is
// their mean objective, so the weights hold in both.
type Tuners []*WeightTuner

func (ts Tuners) setSupport(x float64) {
	for _, t := range ts {
		t.support = x
	}
}

func (ts Tuners) objective(w Weights, clusters map[string]bool) float64 {
	sum := 0.0
	for _, t := range ts {
		sum += objective(t.Metrics(w, clusters))
	}
	return sum / float64(len(ts))
}

// fit runs coordinate ascent on the weights and the support weight over
// the given clusters, from start.
func (ts Tuners) fit(start Weights, clusters map[string]bool) Weights {
	w := start
	best := ts.objective(w, clusters)
	for _, step := range []float64{0.5, 0.2, 0.1, 0.05} {
		for improved := true; improved; {
			improved = false
			for _, d := range []float64{step * 4, -step * 4} {
				old := ts[0].support
				if old+d >= 0 {
					ts.setSupport(old + d)
					if o := ts.objective(w, clusters); o > best+1e-9 {
						best, improved = o, true
						continue
					}
				}
				ts.setSupport(old)
			}
			for f := range nFeatures {
				if f == fWord {
					continue // the scale: fixed at 1
				}
				for _, d := range []float64{step, -step} {
					c := w
					c[f] += d
					if o := ts.objective(c, clusters); o > best+1e-9 {
						best, w, improved = o, c, true
					}
				}
			}
		}
	}
	return w
}

// WeightFit is what fitting the weights found, for one index.
type WeightFit struct {
	Default eval.Metrics // DefaultWeights and DefaultSupport on every cluster
	// CV is held out: each fold's clusters ranked with the weights fitted
	// on the other folds, from the defaults.
	CV      eval.Metrics
	Weights Weights // fitted on every cluster
	Support float64 // the support weight fitted with them
	Fitted  eval.Metrics
}

// Tune fits the weights in k-fold cross-validation by cluster (eval.Folds)
// and then on every cluster.
func (t *WeightTuner) Tune(k int) WeightFit { return Tuners{t}.Tune(k)[0] }

// Tune fits one set of weights for all the tuners' indexes, in k-fold
// cross-validation by cluster (eval.Folds, of the first tuner's records,
// which all share) and then on every cluster; it gives each index's
// figures.
func (ts Tuners) Tune(k int) []WeightFit {
	fits := make([]WeightFit, len(ts))
	ts.setSupport(DefaultSupport)
	for i, t := range ts {
		fits[i].Default = t.Metrics(DefaultWeights, nil)
	}
	folds := eval.Folds(ts[0].recs, k)
	for i, test := range folds {
		train := map[string]bool{}
		for j, f := range folds {
			if j != i {
				for _, c := range f {
					train[c] = true
				}
			}
		}
		held := map[string]bool{}
		for _, c := range test {
			held[c] = true
		}
		ts.setSupport(DefaultSupport)
		w := ts.fit(DefaultWeights, train)
		for j, t := range ts {
			fits[j].CV = addMetrics(fits[j].CV, t.Metrics(w, held))
		}
	}
	ts.setSupport(DefaultSupport)
	w := ts.fit(DefaultWeights, nil)
	for i, t := range ts {
		fits[i].CV = meanMetrics(fits[i].CV)
		fits[i].Weights, fits[i].Support = w, t.support
		fits[i].Fitted = t.Metrics(w, nil)
	}
	ts.setSupport(DefaultSupport)
	return fits
}
