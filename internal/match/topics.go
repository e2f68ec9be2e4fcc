package match

import (
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Topics: what the indexed needs speak of, learned from the needs
// themselves by latent semantic analysis, a truncated singular value
// decomposition of their n-gram TF-IDF vectors. Needs on one theme in
// other words (two research projects on one kind of tissue, a flood wall
// and a flood barrier) lie close in the few dimensions that explain most
// of the collection, where their n-grams barely meet. The cosine of two
// needs' topic vectors moves a candidate in the ranking (Match.Score), as
// the neighbourhood's support does, and for the same reason is not part of
// how alike the pair is by itself (Match.Pair): it depends on what else
// the index holds.
//
// Measured on both labelled sets (docs/benchmarks.md): the development
// needs and the SweCRIS abstracts both rank better with it, for any
// dimension from 20 to 60; 32 is taken.

const (
	topicK          = 32   // dimensions kept
	topicOversample = 10   // extra random directions: the decomposition's accuracy
	topicPower      = 3    // power iterations: the same
	minTopicDocs    = 100  // an index of fewer needs learns no topics
	topicSample     = 4000 // a larger index learns from this many, spread evenly
)

// DefaultTopics weighs the topic cosine in the ranking score: as much as
// the n-gram cosine, the evidence the topics are learned from.
const DefaultTopics = 2.0

// topicModel maps n-grams to topic coordinates. A need's topic vector is
// the sum, over its n-grams, of its count of the n-gram times the
// n-gram's coordinates, normalised: the coordinates hold the n-gram's idf
// when the model was learned, so a need's topic vector stays the same
// until the index learns again, however the statistics move.
type topicModel struct {
	keys    gramKeys
	row     []int32   // per slot of keys: the n-gram's row in coord
	coord   []float32 // topicK per n-gram
	changes int64     // the index's count of changes when learned
	size    int       // needs in the index when learned
}

// docTopic is a need's topic vector under one model.
type docTopic struct {
	m *topicModel
	v [topicK]float32
}

// learnTopics learns a model from needs' n-gram vectors (TF-IDF, of norm
// 1) with a randomized SVD (Halko, Martinsson and Tropp 2011): a few
// products of the vectors with a block of directions, started at random
// and made orthonormal after each, find the space of the largest singular
// vectors; an eigendecomposition of a small matrix gives them. idf holds
// each n-gram's idf of the moment. Only n-grams of at least two of the
// needs are kept: one need's n-gram tells nothing of what goes together.
func learnTopics(rows []sparse, idf map[uint32]float64) *topicModel {
	m := len(rows)
	l := topicK + topicOversample
	if m < l {
		return nil
	}
	// The n-grams of two or more needs, numbered in key order.
	df := map[uint32]int32{}
	for _, r := range rows {
		for _, e := range r {
			df[e.k]++
		}
	}
	var grams []uint32
	for g, n := range df {
		if n >= 2 {
			grams = append(grams, g)
		}
	}
	slices.Sort(grams)
	col := make(map[uint32]int32, len(grams))
	for i, g := range grams {
		col[g] = int32(i)
	}
	// The vectors as lists of (column, weight), the rare n-grams left out.
	type cell struct {
		c int32
		w float64
	}
	a := make([][]cell, m)
	for i, r := range rows {
		for _, e := range r {
			if c, ok := col[e.k]; ok {
				a[i] = append(a[i], cell{c, e.w})
			}
		}
	}
	nG := len(grams)
	// y: m × l, row-major; z: nG × l. The start is y = A Ω, Ω drawn for
	// each n-gram from the n-gram itself: what is learned then follows
	// from the needs' text alone, not from their order or ids (but for
	// rounding).
	z := make([]float64, nG*l)
	for c, g := range grams { // Ω, in z's room
		for j := range l {
			z[c*l+j] = unitNoise(uint64(g)<<8 | uint64(j))
		}
	}
	y := make([]float64, m*l)
	prod := func() { // y = A z
		for i, cs := range a {
			yi := y[i*l : (i+1)*l]
			clear(yi)
			for _, x := range cs {
				zc := z[int(x.c)*l : int(x.c+1)*l]
				for j, v := range zc {
					yi[j] += x.w * v
				}
			}
		}
	}
	prod()
	tr := func() { // z = Aᵀ y
		clear(z)
		for i, cs := range a {
			yi := y[i*l : (i+1)*l]
			for _, x := range cs {
				zc := z[int(x.c)*l : int(x.c+1)*l]
				for j, v := range yi {
					zc[j] += x.w * v
				}
			}
		}
	}
	for range topicPower {
		orthonormalColumns(y, m, l)
		tr()
		prod()
	}
	orthonormalColumns(y, m, l)
	// z = Aᵀ Q: the rows of Bᵀ, B = Qᵀ A; bb = BBᵀ, its upper triangle.
	tr()
	bb := make([]float64, l*l)
	for g := range nG {
		zg := z[g*l : (g+1)*l]
		for p, u := range zg {
			row := bb[p*l : (p+1)*l]
			for q := p; q < l; q++ {
				row[q] += u * zg[q]
			}
		}
	}
	c := mat.NewSymDense(l, bb)
	var eig mat.EigenSym
	if !eig.Factorize(c, true) {
		return nil
	}
	vals := eig.Values(nil) // ascending
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	// An n-gram's coordinates: its row of V = Bᵀ W Σ⁻¹, times its idf. A
	// dimension whose singular value is next to nothing (the needs span
	// fewer) is left at 0: dividing by it would only blow up rounding.
	model := emptyTopics(nG)
	top := math.Sqrt(max(vals[l-1], 0))
	for g, k := range grams {
		model.row[model.keys.slot(k)] = int32(g)
		zg := z[g*l : (g+1)*l]
		w := idf[k]
		for t := range topicK {
			e := l - 1 - t // largest first
			sigma := math.Sqrt(max(vals[e], 0))
			if sigma <= 1e-6*top {
				continue
			}
			var s float64
			for p, u := range zg {
				s += u * vecs.At(p, e)
			}
			model.coord[g*topicK+t] = float32(w * s / sigma)
		}
	}
	return model
}

// emptyTopics is a model with room for n n-grams; with none it knows no
// n-gram, and every topic vector is 0.
func emptyTopics(n int) *topicModel {
	m := &topicModel{keys: newGramKeys(n), coord: make([]float32, n*topicK)}
	m.row = make([]int32, len(m.keys.keys))
	return m
}

// unitNoise is a deterministic number in [-1, 1) for i (splitmix64).
func unitNoise(i uint64) float64 {
	i += 0x9E3779B97F4A7C15
	i = (i ^ i>>30) * 0xBF58476D1CE4E5B9
	i = (i ^ i>>27) * 0x94D049BB133111EB
	i ^= i >> 31
	return float64(i>>11)/float64(1<<52) - 1
}

// orthonormalColumns makes the l columns of the m × l row-major matrix y
// orthonormal (modified Gram–Schmidt); a column that depends on the
// earlier ones becomes 0.
func orthonormalColumns(y []float64, m, l int) {
	for j := range l {
		for p := range j {
			var d float64
			for i := range m {
				d += y[i*l+j] * y[i*l+p]
			}
			for i := range m {
				y[i*l+j] -= d * y[i*l+p]
			}
		}
		var n float64
		for i := range m {
			n += y[i*l+j] * y[i*l+j]
		}
		if n < 1e-24 {
			for i := range m {
				y[i*l+j] = 0
			}
			continue
		}
		n = 1 / math.Sqrt(n)
		for i := range m {
			y[i*l+j] *= n
		}
	}
}

// vector is the topic vector of n-gram counts (a need's gramCounts), of
// norm 1, or all 0 when the model knows none of them. With idf not nil,
// counts are weights (a need's vectors' n-grams), each its count times
// idf of its n-gram.
func (m *topicModel) vector(counts sparse, idf func(uint32) float64) (v [topicK]float32) {
	var acc [topicK]float64
	for _, e := range counts {
		i, ok := m.keys.probe(e.k)
		if !ok {
			continue
		}
		n := e.w
		if idf != nil {
			n /= idf(e.k)
		}
		c := m.coord[int(m.row[i])*topicK : int(m.row[i]+1)*topicK]
		for t, x := range c {
			acc[t] += n * float64(x)
		}
	}
	var n float64
	for _, x := range acc {
		n += x * x
	}
	if n == 0 {
		return v
	}
	n = 1 / math.Sqrt(n)
	for t, x := range acc {
		v[t] = float32(x * n)
	}
	return v
}

// topicCosine is the cosine of two topic vectors of norm 1 (or 0).
func topicCosine(a, b *[topicK]float32) float64 {
	var s float32
	for t := range a {
		s += a[t] * b[t]
	}
	return float64(s)
}

// topicModelNow returns the index's topic model; nil when the index is
// too small to learn from or topics weigh nothing. The caller holds ix.mu
// for reading. The first model is learned at once (the query waits; the
// work is bounded by topicSample needs). Once a quarter of the index has
// changed since, one query starts learning again in the background and
// queries use the model they have until the new one is ready: learning
// takes a tenth of a second or more, which no request should wait for.
func (ix *Index) topicModelNow() *topicModel {
	if ix.Topics == 0 || ix.st.n < minTopicDocs {
		return nil
	}
	m := ix.topics.Load()
	if m != nil {
		if ix.topicsStale(m) && ix.learning.CompareAndSwap(false, true) {
			in := ix.topicInput()
			ix.learned.Go(func() {
				defer ix.learning.Store(false)
				ix.topics.Store(in.learn())
			})
		}
		return m
	}
	ix.topicMu.Lock()
	defer ix.topicMu.Unlock()
	if m = ix.topics.Load(); m == nil {
		m = ix.topicInput().learn()
		ix.topics.Store(m)
	}
	return m
}

// topicInput is what a model is learned from, copied from the index so
// that learning needs no lock.
type topicInput struct {
	rows    []sparse // n-gram TF-IDF vectors of norm 1
	idf     map[uint32]float64
	changes int64
	size    int
}

// topicInput copies the vectors of the needs learned from: all, or those
// of an even spread of the hashes of their ids; in the order of their ids,
// so the same needs learn the same model whatever the order they were
// written in. The caller holds ix.mu for reading.
func (ix *Index) topicInput() *topicInput {
	stride := uint32(max(1, (ix.st.n+topicSample-1)/topicSample))
	var docs []*doc
	for _, d := range ix.slots {
		if d != nil && (stride == 1 || fnv32(d.need.ID)%stride == 0) {
			docs = append(docs, d)
		}
	}
	slices.SortFunc(docs, func(a, b *doc) int { return strings.Compare(a.need.ID, b.need.ID) })
	in := &topicInput{rows: make([]sparse, len(docs)), idf: map[uint32]float64{}, changes: ix.changes.Load(), size: ix.st.n}
	for i, d := range docs {
		v, _ := ix.vectorsOf(d)
		if v.gramNorm == 0 {
			continue
		}
		row := make(sparse, len(v.gram))
		for j, e := range v.gram {
			row[j] = entry{e.k, e.w / v.gramNorm}
			if _, ok := in.idf[e.k]; !ok {
				in.idf[e.k] = ix.st.gramIDF(e.k)
			}
		}
		in.rows[i] = row
	}
	return in
}

// learn learns a model from the input; never nil.
func (in *topicInput) learn() *topicModel {
	m := learnTopics(in.rows, in.idf)
	if m == nil {
		m = emptyTopics(0)
	}
	m.changes, m.size = in.changes, in.size
	return m
}

// topicsStale tells whether the index has changed enough since m was
// learned to learn again.
func (ix *Index) topicsStale(m *topicModel) bool {
	return ix.changes.Load()-m.changes >= int64(max(m.size/4, minTopicDocs/4))
}

// topicOf returns d's topic vector under m, computing it once per model in
// an index small enough to keep it. v, when not nil, are d's vectors of
// this generation: in a large index, which keeps no need's n-gram counts,
// the counts are read back from them rather than collected and sorted a
// second time for the same candidate.
func (ix *Index) topicOf(d *doc, m *topicModel, v *vectors) *[topicK]float32 {
	if t := d.topic.Load(); t != nil && t.m == m {
		return &t.v
	}
	var t *docTopic
	switch g := d.grams.Load(); {
	case g != nil:
		t = &docTopic{m: m, v: m.vector(g.gram, nil)}
	case v != nil:
		t = &docTopic{m: m, v: m.vector(v.gram, ix.st.gramIDF)}
	default:
		t = &docTopic{m: m, v: m.vector(ix.st.gramCounts(d).gram, nil)}
	}
	if ix.st.n <= cacheMax {
		d.topic.Store(t)
	}
	return &t.v
}
