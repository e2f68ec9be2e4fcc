package match

import (
	"fmt"
	"os"
	"sort"
	"testing"

	"github.com/arena-se/arena/internal/match/eval"
)

// pairFeatures holds the features of every (query, candidate) pair of the
// dev set, so weights can be fitted without recomputing them.
type pairFeatures struct {
	recs    []eval.Record
	cands   map[string][]Match // query id → all candidates
	gram    map[[2]string]float64
	support float64
}

func computePairs(t testing.TB, compounds bool) *pairFeatures {
	recs, ix := loadDev(t, compounds)
	ix.Support = 0
	_, full := rankAll(recs, ix)
	p := &pairFeatures{recs: recs, cands: full, gram: map[[2]string]float64{}, support: DefaultSupport}
	for a, da := range ix.byID {
		va, _ := ix.vectorsOf(da)
		for b, db := range ix.byID {
			vb, _ := ix.vectorsOf(db)
			p.gram[[2]string{a, b}] = cosine(va.gram, va.gramNorm, vb.gram, vb.gramNorm)
		}
	}
	return p
}

// rank scores as Index.Similar does: weights, then neighbourhood support.
func (p *pairFeatures) rank(w Weights, only map[string]bool) map[string][]string {
	out := map[string][]string{}
	type sc struct {
		id string
		s  float64
	}
	order := func(ss []sc) {
		sort.Slice(ss, func(i, j int) bool {
			if ss[i].s != ss[j].s {
				return ss[i].s > ss[j].s
			}
			return ss[i].id < ss[j].id
		})
	}
	for q, ms := range p.cands {
		if only != nil && !only[q] {
			continue
		}
		ss := make([]sc, len(ms))
		for i, m := range ms {
			ss[i] = sc{m.ID, w.score(m.Features)}
		}
		order(ss)
		if p.support != 0 {
			nb := append([]sc(nil), ss[:min(supportNeighbours, len(ss))]...)
			depth := min(supportDepth, len(ss))
			for i := range ss[:depth] {
				var num, den float64
				for _, x := range nb {
					if x.id == ss[i].id || x.s <= 0 {
						continue
					}
					num += x.s * p.gram[[2]string{x.id, ss[i].id}]
					den += x.s
				}
				if den > 0 {
					ss[i].s += p.support * num / den
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

// metricsOn averages the per-cluster metrics over a set of clusters.
func (p *pairFeatures) metricsOn(w Weights, clusters map[string]bool) eval.Metrics {
	only := map[string]bool{}
	for _, r := range p.recs {
		if clusters[r.Cluster] {
			only[r.ID] = true
		}
	}
	per := eval.PerCluster(p.recs, p.rank(w, only))
	var m eval.Metrics
	for c, x := range per {
		if !clusters[c] {
			continue
		}
		n := float64(x.Queries)
		m.Queries += x.Queries
		m.NDCG10 += x.NDCG10 * n
		m.MRR += x.MRR * n
		m.R5 += x.R5 * n
		m.HNAbove += x.HNAbove * n
		m.P1 += x.P1 * n
	}
	n := float64(m.Queries)
	m.NDCG10, m.MRR, m.R5, m.HNAbove, m.P1 = m.NDCG10/n, m.MRR/n, m.R5/n, m.HNAbove/n, m.P1/n
	return m
}

func objective(m eval.Metrics) float64 { return m.NDCG10 - 0.5*m.HNAbove }

// fit runs coordinate ascent on the weights over the given clusters.
func (p *pairFeatures) fit(start Weights, clusters map[string]bool) Weights {
	w := start
	best := objective(p.metricsOn(w, clusters))
	steps := []float64{0.5, 0.2, 0.1, 0.05}
	for _, step := range steps {
		for improved := true; improved; {
			improved = false
			for _, d := range []float64{step * 4, -step * 4} {
				old := p.support
				if p.support+d >= 0 {
					p.support += d
					if o := objective(p.metricsOn(w, clusters)); o > best+1e-9 {
						best, improved = o, true
						continue
					}
				}
				p.support = old
			}
			for f := range nFeatures {
				if f == fWord {
					continue // the scale: fixed at 1
				}
				for _, d := range []float64{step, -step} {
					c := w
					c[f] += d
					if o := objective(p.metricsOn(c, clusters)); o > best+1e-9 {
						best, w, improved = o, c, true
					}
				}
			}
		}
	}
	return w
}

func TestTuneWeights(t *testing.T) {
	if os.Getenv("ARENA_TUNE") == "" {
		t.Skip("set ARENA_TUNE=1 to fit weights with cross-validation by cluster")
	}
	for _, comp := range []bool{false, true} {
		p := computePairs(t, comp)
		folds := eval.Folds(p.recs, 5)
		all := map[string]bool{}
		var cv eval.Metrics
		for i := range folds {
			train, test := map[string]bool{}, map[string]bool{}
			for j, f := range folds {
				for _, c := range f {
					all[c] = true
					if j == i {
						test[c] = true
					} else {
						train[c] = true
					}
				}
			}
			p.support = DefaultSupport
			w := p.fit(DefaultWeights, train)
			m := p.metricsOn(w, test)
			n := float64(m.Queries)
			cv.Queries += m.Queries
			cv.NDCG10 += m.NDCG10 * n
			cv.MRR += m.MRR * n
			cv.R5 += m.R5 * n
			cv.HNAbove += m.HNAbove * n
		}
		n := float64(cv.Queries)
		p.support = DefaultSupport
		fmt.Printf("compounds=%v default: %s\n", comp, p.metricsOn(DefaultWeights, all).String())
		fmt.Printf("compounds=%v 5-fold CV by cluster: nDCG@10 %.3f MRR %.3f R@5 %.3f HN-above %.3f\n", comp, cv.NDCG10/n, cv.MRR/n, cv.R5/n, cv.HNAbove/n)
		p.support = DefaultSupport
		w := p.fit(DefaultWeights, all)
		fmt.Printf("compounds=%v fitted on all: %v support %.2f -> %s\n", comp, w, p.support, p.metricsOn(w, all).String())
	}
}
