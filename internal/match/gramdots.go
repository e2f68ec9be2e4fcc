package match

import (
	"context"
	"math/bits"
	"slices"
)

// An index small enough that every query scores every need (up to
// exhaustiveMax) keeps, for each n-gram, title n-gram and word, the needs
// that have it: a query then adds up its dot products with all needs, and
// counts how many of each of its salient concepts' n-grams each need has,
// by reading the lists of its own n-grams and words once, instead of
// reading every need's whole vectors (most of whose entries the query does
// not have). Each need's products are added in key order with the same
// factors as the vector's weights, so the dot products are the very
// numbers the vectors give (TestGramDotsAreTheVectors).

// gramList are the needs (slots) with one n-gram or word, and their counts
// of it before its idf (as gramCounts and termCount.tf give them).
type gramList struct {
	slots  []int32
	counts []float64
}

// postLists are an index's lists: of its n-grams, its titles' n-grams and
// its words (by term id).
type postLists struct {
	gram, tgram, word lists
}

func newPostLists() *postLists {
	return &postLists{gram: lists{}, tgram: lists{}, word: lists{}}
}

func (m lists) add(k uint32, slot int32, count float64) {
	l := m[k]
	if l == nil {
		l = &gramList{}
		m[k] = l
	}
	l.slots = append(l.slots, slot)
	l.counts = append(l.counts, count)
}

func (m lists) remove(k uint32, slot int32) {
	l := m[k]
	if l == nil {
		return
	}
	if i := slices.Index(l.slots, slot); i >= 0 {
		last := len(l.slots) - 1
		l.slots[i], l.counts[i] = l.slots[last], l.counts[last]
		l.slots, l.counts = l.slots[:last], l.counts[:last]
	}
	if len(l.slots) == 0 {
		delete(m, k)
	}
}

type lists map[uint32]*gramList

// gramPostRebuild is the size at which an index that outgrew exhaustiveMax
// lists its n-grams' needs again: below exhaustiveMax, not at it, so a need
// written again and again at the threshold does not list them all each
// time (between the two, queries read the vectors).
const gramPostRebuild = exhaustiveMax * 9 / 10

// postGrams adds d to the lists of its n-grams and words. The caller
// holds ix.mu.
func (ix *Index) postGrams(d *doc) {
	g := d.grams.Load()
	if g == nil {
		g = ix.st.gramCounts(d)
		d.grams.Store(g)
	}
	p := ix.gramPost
	for _, e := range g.gram {
		p.gram.add(e.k, d.slot, e.w)
	}
	for _, e := range g.tgram {
		p.tgram.add(e.k, d.slot, e.w)
	}
	for _, tc := range d.terms {
		p.word.add(tc.id, d.slot, tc.tf())
	}
}

// listGrams lists the n-grams and words of every need. The caller holds
// ix.mu.
func (ix *Index) listGrams() {
	ix.gramPost = newPostLists()
	for _, d := range ix.slots {
		if d != nil {
			ix.postGrams(d)
		}
	}
}

// unpostGrams takes d out of the lists of its n-grams. The caller holds
// ix.mu.
func (ix *Index) unpostGrams(d *doc) {
	g := d.grams.Load()
	if g == nil {
		return
	}
	p := ix.gramPost
	for _, e := range g.gram {
		p.gram.remove(e.k, d.slot)
	}
	for _, e := range g.tgram {
		p.tgram.remove(e.k, d.slot)
	}
	for _, tc := range d.terms {
		p.word.remove(tc.id, d.slot)
	}
}

// gramDots are a query's n-gram, word and title n-gram dot products with
// every need, and how many of each of the query's salient concepts'
// n-grams each has, by slot.
type gramDots struct {
	dot, word, tgram []float64
	found            [][salientK]uint16
}

// gramDots computes them from the lists, or returns nil when the index
// keeps none. The caller holds ix.mu for reading.
func (ix *Index) gramDots(ctx context.Context, q *query) (*gramDots, error) {
	p := ix.gramPost
	if p == nil {
		return nil, nil
	}
	if q.grams == nil {
		q.grams = newGramTable(ix.v, q.vec.gram, q.sal)
	}
	n := len(ix.slots)
	pd := &gramDots{dot: make([]float64, n), word: make([]float64, n), tgram: make([]float64, n), found: make([][salientK]uint16, n)}
	for _, x := range []struct {
		acc []float64
		vec sparse
		ls  lists
		idf func(uint32) float64
	}{{pd.word, q.vec.word, p.word, ix.st.idf}, {pd.tgram, q.vec.tgram, p.tgram, ix.st.gramIDF}, {pd.dot, q.vec.gram, p.gram, ix.st.gramIDF}} {
		if err := x.ls.addDots(ctx, x.acc, x.vec, x.idf); err != nil {
			return nil, err
		}
	}
	// The counts are whole numbers: any order gives the same.
	t := q.grams
	for i, m := range t.mask {
		if m == 0 {
			continue
		}
		if l := p.gram[t.keys[i]-1]; l != nil {
			for _, slot := range l.slots {
				f := &pd.found[slot]
				for b := m; b != 0; b &= b - 1 {
					f[bits.TrailingZeros8(b)]++
				}
			}
		}
	}
	return pd, nil
}

// addDots adds to acc, by slot, each need's dot product with vec, whose
// entries are in key order: each need's products are added in that order,
// each its count times the idf (as the need's vector weighs it) times
// vec's weight, so the sums are those of a merge of the two vectors.
func (m lists) addDots(ctx context.Context, acc []float64, vec sparse, idf func(uint32) float64) error {
	for x, e := range vec {
		if x%checkEvery == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if l := m[e.k]; l != nil {
			w := idf(e.k)
			for j, slot := range l.slots {
				acc[slot] += e.w * (l.counts[j] * w)
			}
		}
	}
	return nil
}

// of returns the slot's dot product and counts as scan gives them.
func (pd *gramDots) of(slot int32) (dot float64, found [salientK]int) {
	for i, n := range pd.found[slot] {
		found[i] = int(n)
	}
	return pd.dot[slot], found
}
