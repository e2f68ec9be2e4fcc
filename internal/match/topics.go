package match

import (
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Topics: what the indexed needs speak of, learned from the needs
// themselves by latent semantic analysis, a truncated singular value
// decomposition of their TF-IDF vectors of n-grams and of words (stems,
// compound parts among them), half each. Needs on one theme in
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
// dimension from 20 to 60; 32 is taken. With the words beside the
// n-grams, half each, the abstracts rank better again, whatever the
// decomposition's random start, and the needs as well or a little better.
// With 14 power iterations instead of 3 the decomposition settles: every
// random start gives the same rankings to three decimals, and the needs'
// hard negatives fall (HN-above 0.278 → 0.255 on the mean of five starts
// with the reference folder, 0.263 → 0.245 without; the abstracts as
// before).

const (
	topicK          = 32   // dimensions kept
	topicOversample = 10   // extra random directions: the decomposition's accuracy
	topicPower      = 14   // power iterations: until the start no longer shows
	minTopicDocs    = 100  // an index of fewer needs learns no topics
	topicSample     = 4000 // a larger index learns from this many, spread evenly
)

// DefaultTopics weighs the topic cosine in the ranking score: as much as
// the n-gram cosine, the evidence the topics are learned from.
const DefaultTopics = 2.0

// topicWordShare is the words' share of what a need's topics are learned
// and read from; the rest is its n-grams. Each part is a unit vector
// (TF-IDF) before the share weighs it, so a long text's many n-grams do
// not drown its words.
const topicWordShare = 0.5

// wordTopicKey is the key of a word (a stem) among the model's n-grams:
// a hash of the stem in [2³¹, 2³² − 2], above every hashed n-gram (they
// are below gramBuckets) and below the one key a gramKeys cannot hold
// (2³² − 1, stored as its key + 1). It follows from the word alone, so two
// indexes of the same needs, whatever order they interned the words in,
// learn the same model.
func wordTopicKey(stem string) uint32 { return 1<<31 + fnv32(stem)%(1<<31-1) }

// topicModel maps n-grams and words to topic coordinates. A need's topic
// vector is the sum, over its n-grams, of its count of the n-gram times
// the n-gram's coordinates, and the same over its words (vector),
// normalised: the coordinates hold the n-gram's or word's idf when the
// model was learned, so a need's topic vector stays the same until the
// index learns again, however the statistics move.
type topicModel struct {
	keys    gramKeys
	row     []int32   // per slot of keys: the n-gram's or word's row in coord
	coord   []float32 // topicK per n-gram or word
	idf     []float32 // per row: the idf it had when learned, for a need's norms
	changes int64     // the index's count of changes when learned
	size    int       // needs in the index when learned
}

// docTopic is a need's topic vector under one model.
type docTopic struct {
	m *topicModel
	v [topicK]float32
}

// learnTopics learns a model from needs' vectors of n-grams and words
// (TF-IDF, of norm 1; a word keyed by wordTopicKey) with a randomized SVD
// (Halko, Martinsson and Tropp 2011): a few products of the vectors with a
// block of directions, started at random and made orthonormal after each,
// find the space of the largest singular vectors; an eigendecomposition of
// a small matrix gives them. idf holds each key's idf of the moment; start
// picks the random start (Index.TopicStart), power the iterations
// (Index.TopicPower, topicPower when 0). Only keys of at least two of
// the needs are kept: one need's n-gram or word tells nothing of what goes
// together.
func learnTopics(rows []sparse, idf map[uint32]float64, start uint64, power int) *topicModel {
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
	// each n-gram from the n-gram itself (and the start, above the
	// n-gram's 32 bits and the direction's 8): what is learned then
	// follows from the needs' text alone, not from their order or ids (but
	// for rounding).
	z := make([]float64, nG*l)
	for c, g := range grams { // Ω, in z's room
		for j := range l {
			z[c*l+j] = unitNoise(start<<40 | uint64(g)<<8 | uint64(j))
		}
	}
	// The products run on every core: y's rows are shared out, and z's
	// (the columns of A) too, each worker reading in every row of A the
	// cells of its columns (a row's cells are in column order). Every sum
	// is taken in the order one core would take it, so the model is the
	// same whatever the number of cores.
	y := make([]float64, m*l)
	rowRanges, colRanges := ranges(m), ranges(nG)
	// from: for each row of A and each range of columns, where the range's
	// cells begin in the row.
	nr := len(colRanges)
	from := make([]int32, m*nr)
	for i, cs := range a {
		k := 0
		for j, x := range cs {
			for k < nr && int(x.c) >= colRanges[k] {
				from[i*nr+k] = int32(j)
				k++
			}
		}
		for ; k < nr; k++ {
			from[i*nr+k] = int32(len(cs))
		}
	}
	prod := func() { // y = A z
		inParallel(rowRanges, m, func(_, lo, hi int) {
			for i, cs := range a[lo:hi] {
				yi := y[(lo+i)*l : (lo+i+1)*l]
				clear(yi)
				for _, x := range cs {
					zc := z[int(x.c)*l : int(x.c+1)*l]
					for j, v := range zc {
						yi[j] += x.w * v
					}
				}
			}
		})
	}
	prod()
	tr := func() { // z = Aᵀ y
		inParallel(colRanges, nG, func(k, lo, hi int) {
			clear(z[lo*l : hi*l])
			for i, cs := range a {
				end := len(cs)
				if k+1 < nr {
					end = int(from[i*nr+k+1])
				}
				yi := y[i*l : (i+1)*l]
				for _, x := range cs[from[i*nr+k]:end] {
					zc := z[int(x.c)*l : int(x.c+1)*l]
					for j, v := range yi {
						zc[j] += x.w * v
					}
				}
			}
		})
	}
	if power <= 0 {
		power = topicPower
	}
	for range power {
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
	sigma := make([]float64, topicK)
	w := make([]float64, l*topicK) // W's columns, largest first, as rows of topicK
	for t := range topicK {
		e := l - 1 - t
		if sigma[t] = math.Sqrt(max(vals[e], 0)); sigma[t] <= 1e-6*top {
			sigma[t] = 0
		}
		for p := range l {
			w[p*topicK+t] = vecs.At(p, e)
		}
	}
	for g, k := range grams {
		model.row[model.keys.slot(k)] = int32(g)
		model.idf[g] = float32(idf[k])
	}
	inParallel(colRanges, nG, func(_, lo, hi int) {
		for g := lo; g < hi; g++ {
			zg := z[g*l : (g+1)*l]
			for t, sg := range sigma {
				if sg == 0 {
					continue
				}
				var s float64
				for p, u := range zg {
					s += u * w[p*topicK+t]
				}
				model.coord[g*topicK+t] = float32(idf[grams[g]] * s / sg)
			}
		}
	})
	return model
}

// emptyTopics is a model with room for n n-grams and words; with none it
// knows none, and every topic vector is 0.
func emptyTopics(n int) *topicModel {
	m := &topicModel{keys: newGramKeys(n), coord: make([]float32, n*topicK), idf: make([]float32, n)}
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

// vector is a need's topic vector, of norm 1, or all 0 when the model
// knows none of its n-grams and words: its n-gram counts (a need's
// gramCounts) and its words (wordCounts) projected, each part divided by
// its norm under the idf the model was learned with and weighed by its
// share (topicWordShare), as the model learned them. With idf not nil,
// grams are weights (a need's vectors' n-grams), each its count times idf
// of its n-gram.
func (m *topicModel) vector(grams sparse, idf func(uint32) float64, words []wordCount) (v [topicK]float32) {
	var accG, accW [topicK]float64
	var normG, normW float64
	add := func(acc *[topicK]float64, norm *float64, key uint32, n float64) {
		i, ok := m.keys.probe(key)
		if !ok {
			return
		}
		r := int(m.row[i])
		w := n * float64(m.idf[r])
		*norm += w * w
		for t, x := range m.coord[r*topicK : (r+1)*topicK] {
			acc[t] += n * float64(x)
		}
	}
	for _, e := range grams {
		n := e.w
		if idf != nil {
			n /= idf(e.k)
		}
		add(&accG, &normG, e.k, n)
	}
	for _, w := range words {
		add(&accW, &normW, w.key, w.tf)
	}
	var acc [topicK]float64
	for _, x := range [2]struct {
		acc         *[topicK]float64
		norm, share float64
	}{{&accG, normG, 1 - topicWordShare}, {&accW, normW, topicWordShare}} {
		if x.norm == 0 {
			continue
		}
		f := math.Sqrt(x.share / x.norm)
		for t := range acc {
			acc[t] += f * x.acc[t]
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

// wordCount is a word of a need for its topics: its key (wordTopicKey)
// and its term frequency.
type wordCount struct {
	key uint32
	tf  float64
}

// topicWords are d's words as its topic vector reads them.
func (s *stats) topicWords(d *doc) []wordCount {
	out := make([]wordCount, len(d.terms))
	for i, tc := range d.terms {
		out[i] = wordCount{s.v.terms[tc.id].key, tc.tf()}
	}
	return out
}

// topicCosine is the cosine of two topic vectors of norm 1 (or 0).
func topicCosine(a, b *[topicK]float32) float64 {
	var s float32
	for t := range a {
		s += a[t] * b[t]
	}
	return float64(s)
}

// LearnTopics learns the index's first topic model now, when it ranks with
// topics and has none, so that no query waits for it (a server calls it
// after building its index, before serving).
func (ix *Index) LearnTopics() {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	ix.topicModelNow()
}

// topicModelNow returns the index's topic model; nil when the index is
// too small to learn from or topics weigh nothing. The caller holds ix.mu
// for reading. The first model is learned at once (the query waits; the
// work is bounded by topicSample needs). Once a quarter of the index has
// changed since, one query starts learning again in the background and
// queries use the model they have until the new one is ready: learning
// takes a tenth of a second or more, which no request should wait for.
func (ix *Index) topicModelNow() *topicModel {
	if !ix.topicsOn() {
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

// topicsOn tells whether the index ranks with topics: they weigh
// something and it is large enough to learn them.
func (ix *Index) topicsOn() bool { return ix.Topics != 0 && ix.st.n >= minTopicDocs }

// topicInput is what a model is learned from, copied from the index so
// that learning needs no lock.
type topicInput struct {
	rows    []sparse // TF-IDF vectors of n-grams and words, of norm 1
	idf     map[uint32]float64
	start   uint64 // Index.TopicStart
	power   int    // Index.TopicPower
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
	in := &topicInput{rows: make([]sparse, len(docs)), idf: map[uint32]float64{}, start: ix.TopicStart, power: ix.TopicPower, changes: ix.changes.Load(), size: ix.st.n}
	for i, d := range docs {
		v, _ := ix.vectorsOf(d)
		row := make(sparse, 0, len(v.gram)+len(v.word))
		if v.gramNorm != 0 {
			f := math.Sqrt(1-topicWordShare) / v.gramNorm
			for _, e := range v.gram {
				row = append(row, entry{e.k, e.w * f})
				if _, ok := in.idf[e.k]; !ok {
					in.idf[e.k] = ix.st.gramIDF(e.k)
				}
			}
		}
		if v.wordNorm != 0 {
			f := math.Sqrt(topicWordShare) / v.wordNorm
			for _, e := range v.word {
				k := ix.v.terms[e.k].key
				row = append(row, entry{k, e.w * f})
				if _, ok := in.idf[k]; !ok {
					in.idf[k] = ix.st.idf(e.k)
				}
			}
		}
		in.rows[i] = mergeCounts(row) // two stems of one key are one word
	}
	return in
}

// learn learns a model from the input; never nil.
func (in *topicInput) learn() *topicModel {
	m := learnTopics(in.rows, in.idf, in.start, in.power)
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
	words := ix.st.topicWords(d)
	switch g := d.grams.Load(); {
	case g != nil:
		t = &docTopic{m: m, v: m.vector(g.gram, nil, words)}
	case v != nil:
		t = &docTopic{m: m, v: m.vector(v.gram, ix.st.gramIDF, words)}
	default:
		t = &docTopic{m: m, v: m.vector(ix.st.gramCounts(d).gram, nil, words)}
	}
	if ix.st.n <= cacheMax {
		d.topic.Store(t)
	}
	return &t.v
}
