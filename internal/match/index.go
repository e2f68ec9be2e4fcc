package match

import (
	"sort"
	"sync"
)

// Index holds analysed needs in memory. It is derived from the database
// (or a file) and can be rebuilt at any time; it is safe for concurrent use.
type Index struct {
	an      *Analyzer
	Weights Weights
	Support float64 // weight of the neighbourhood support

	mu   sync.RWMutex
	v    *vocab
	docs map[string]*doc
	st   stats
	gen  int64 // grows with every write; cached vectors of older generations are stale
}

// cached are a doc's vectors for one generation of the statistics.
type cached struct {
	gen int64
	vec *vectors
	sal []salient
}

// vectorsOf returns d's vectors, computing them once per generation.
// Readers may race to compute; each stores a complete value atomically.
func (ix *Index) vectorsOf(d *doc) (*vectors, []salient) {
	if c := d.cache.Load(); c != nil && c.gen == ix.gen {
		return c.vec, c.sal
	}
	v := ix.st.vectors(d)
	sal := ix.st.salient(d, v)
	d.cache.Store(&cached{gen: ix.gen, vec: v, sal: sal})
	return v, sal
}

// NewIndex returns an empty index using the analyzer.
func NewIndex(an *Analyzer) *Index {
	v := newVocab()
	return &Index{an: an, Weights: DefaultWeights, Support: DefaultSupport, v: v, docs: map[string]*doc{}, st: stats{v: v, gramDF: v.gramDF}}
}

// SetBackground makes term weights lean on general Swedish public-sector
// text: mix is the share of the background idf (0–1).
func (ix *Index) SetBackground(b *Background, mix float64) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.st.bg, ix.st.bgMix = b, mix
	ix.gen++
}

// Len returns the number of needs indexed.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.docs)
}

// Upsert adds a need or replaces the need with the same ID.
func (ix *Index) Upsert(n *Need) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if old := ix.docs[n.ID]; old != nil {
		ix.count(old, -1)
	}
	d := analyse(ix.an, ix.v, n, false)
	ix.docs[n.ID] = d
	ix.count(d, 1)
}

// Remove drops a need; removing an unknown id does nothing.
func (ix *Index) Remove(id string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if old := ix.docs[id]; old != nil {
		ix.count(old, -1)
		delete(ix.docs, id)
	}
}

// count adds delta to the document frequencies of d's terms and grams.
func (ix *Index) count(d *doc, delta int32) {
	ix.gen++
	ix.st.n += int(delta)
	seen := map[uint32]bool{}
	for _, tc := range d.terms {
		ix.v.terms[tc.id].df += delta
		if tc.part {
			continue
		}
		for _, g := range ix.v.terms[tc.id].grams {
			if !seen[g] {
				seen[g] = true
				ix.v.gramDF[g] += delta
			}
		}
	}
}

// Match is one ranked need with its score and the features behind it.
type Match struct {
	ID       string
	Score    float64
	Features [nFeatures]float64
	Support  float64 // closeness to the query's nearest other needs
	doc      *doc
	query    *query
}

// Neighbourhood re-ranking: needs that describe one underlying need are
// close to each other, not only to the query, so a candidate close to the
// query's nearest needs moves up even when it shares few words with the
// query itself (gatljus ~ gatubelysning through their neighbours).
const (
	supportNeighbours = 5   // the query's nearest needs that vote
	supportDepth      = 100 // how deep in the list support is computed
)

// DefaultSupport weighs the neighbourhood against the pair score.
const DefaultSupport = 9.0

// Similar ranks the indexed needs of other organisations than q's against
// q, best first, at most k (all when k <= 0). keep, when not nil, says which
// ids may be returned (visibility); q itself is never returned.
func (ix *Index) Similar(q *Need, k int, keep func(id string) bool) []Match {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	qd := ix.docs[q.ID]
	if qd == nil || qd.need != q && !sameNeed(qd.need, q) {
		qd = analyse(ix.an, ix.v, q, true)
	}
	qv, qsal := ix.vectorsOf(qd)
	qq := &query{d: qd, vec: qv, sal: qsal, need: q}
	var out []Match
	for id, d := range ix.docs {
		if id == q.ID || d.need.Org == q.Org || (keep != nil && !keep(id)) {
			continue
		}
		cv, csal := ix.vectorsOf(d)
		f := ix.st.features(qq, d, cv, csal)
		out = append(out, Match{ID: id, Score: ix.Weights.score(f), Features: f, doc: d, query: qq})
	}
	sortMatches(out)
	ix.rerank(out)
	if k > 0 && len(out) > k {
		out = out[:k]
	}
	return out
}

// rerank adds the neighbourhood support to the top of a sorted list.
func (ix *Index) rerank(out []Match) {
	if ix.Support == 0 || len(out) < 2 {
		return
	}
	nb := out[:min(supportNeighbours, len(out))]
	depth := min(supportDepth, len(out))
	for i := range out[:depth] {
		gv, _ := ix.vectorsOf(out[i].doc)
		var num, den float64
		for _, x := range nb {
			if x.doc == out[i].doc || x.Score <= 0 {
				continue
			}
			xv, _ := ix.vectorsOf(x.doc)
			num += x.Score * cosine(xv.gram, xv.gramNorm, gv.gram, gv.gramNorm)
			den += x.Score
		}
		if den > 0 {
			out[i].Support = num / den
		}
	}
	for i := range out[:depth] {
		out[i].Score += ix.Support * out[i].Support
	}
	sortMatches(out[:depth])
}

func sortMatches(out []Match) {
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].ID < out[j].ID
	})
}

func sameNeed(a, b *Need) bool {
	return a.Title == b.Title && a.Description == b.Description
}
