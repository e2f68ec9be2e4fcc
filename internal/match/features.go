package match

import (
	"math"
	"math/bits"
	"sort"
	"strings"
)

// Feature indexes of a candidate pair.
const (
	fWord        = iota // cosine of stem TF-IDF vectors
	fGram               // cosine of character n-gram TF-IDF vectors
	fTitleGram          // cosine of the titles' n-gram vectors
	fCoverQ             // share of the query's salient concepts the candidate has
	fCoverD             // share of the candidate's salient concepts the query has
	fPairs              // share of pairs of salient concepts both present, both ways
	fCPV                // CPV closeness, when both have codes
	fCPVConflict        // both have codes and they share no division
	fSameKind           // same organisation kind
	fSector             // same sector, when both name one
	fYear               // planned years differ (0, 1, 2 …)
	nFeatures
)

// FeatureNames name the features, for tuning output.
var FeatureNames = [nFeatures]string{"word", "gram", "title_gram", "cover_q", "cover_d", "pairs", "cpv", "cpv_conflict", "same_kind", "sector", "year_diff"}

// Weights weigh the features into one score.
type Weights [nFeatures]float64

// DefaultWeights were fitted on the development set with cross-validation
// by cluster (docs/benchmarks.md tells how); they weigh meaning (shared
// concepts) far above form (same kind, timing).
var DefaultWeights = Weights{1, 2, 0.5, 0.7, 1, 1, 0.2, -0.5, 0.05, 0.1, -0.03}

// salientK is how many of a need's most weighty concepts coverage checks.
const salientK = 8

// pair holds what scoring a candidate needs about the query.
type query struct {
	d    *doc
	vec  *vectors
	sal  []salient
	need *Need
	// credit remembers how much of a candidate's concept the query has
	// (coverage's credit): it depends on the concept and the query only,
	// and many candidates share their weightiest concepts.
	credit map[termID]float64
	grams  *gramTable // built at the first candidate
	dots   *gramDots  // in a small index, every need's n-gram dot product and counts at once
}

// gramTable is a query's n-gram vector as a hash table, with, for each
// n-gram, which of the query's salient concepts have it: one pass over a
// candidate's n-gram vector then gives both the n-gram dot product and how
// many of each concept's n-grams the candidate has, where walking both
// sorted vectors (and searching the candidate's for each concept) took
// most of a query's time.
type gramTable struct {
	gramKeys
	w    []float64
	mask []uint8       // bit i: the query's salient concept i has the n-gram
	nSal [salientK]int // n-grams of each salient concept
}

func newGramTable(v *vocab, gram sparse, sal []salient) *gramTable {
	n := len(gram)
	for _, t := range sal {
		n += len(v.terms[t.id].grams)
	}
	keys := newGramKeys(n)
	size := len(keys.keys)
	tab := &gramTable{gramKeys: keys, w: make([]float64, size), mask: make([]uint8, size)}
	for _, e := range gram {
		tab.w[tab.slot(e.k)] = e.w
	}
	for i, t := range sal {
		gs := v.terms[t.id].grams
		tab.nSal[i] = len(gs)
		for _, g := range gs {
			tab.mask[tab.slot(g)] |= 1 << i
		}
	}
	return tab
}

// gramKeys is a set of n-grams, each with a slot for what a table keeps
// of it (open addressing, at most half full).
type gramKeys struct {
	keys  []uint32 // n-gram + 1; 0 is an empty slot
	shift uint
}

// newGramKeys returns an empty set with room for n n-grams.
func newGramKeys(n int) gramKeys {
	size, shift := 16, uint(32-4)
	for size < 2*n {
		size, shift = size*2, shift-1
	}
	return gramKeys{keys: make([]uint32, size), shift: shift}
}

// probe returns the slot k is in (found) or would take: open addressing
// with linear probing.
func (t *gramKeys) probe(k uint32) (i int, found bool) {
	mask := len(t.keys) - 1
	for i = int((k * 0x9E3779B1) >> t.shift); ; i = (i + 1) & mask {
		switch t.keys[i] {
		case k + 1:
			return i, true
		case 0:
			return i, false
		}
	}
}

// slot returns k's slot, claiming an empty one for it when it has none.
func (t *gramKeys) slot(k uint32) int {
	i, found := t.probe(k)
	if !found {
		t.keys[i] = k + 1
	}
	return i
}

// find returns k's slot, or -1 when k is not in the set.
func (t *gramKeys) find(k uint32) int {
	if i, found := t.probe(k); found {
		return i
	}
	return -1
}

// scan reads a candidate's n-gram vector once: the dot product with the
// query's (the products added in n-gram order, as dotSparse adds them) and,
// per salient concept of the query, how many of its n-grams it has.
func (t *gramTable) scan(c sparse) (dot float64, found [salientK]int) {
	for _, e := range c {
		if i := t.find(e.k); i >= 0 {
			if w := t.w[i]; w != 0 {
				dot += w * e.w
			}
			for m := t.mask[i]; m != 0; m &= m - 1 {
				found[bits.TrailingZeros8(m)]++
			}
		}
	}
	return dot, found
}

// neighbourGrams holds the n-gram vectors of a query's nearest needs in
// one table, so that a candidate's dot products with all of them are one
// pass over its vector instead of one merge with each.
type neighbourGrams struct {
	gramKeys
	at []int32                      // slot → 1 + index in w (0: none)
	w  [][supportNeighbours]float64 // per n-gram, each neighbour's weight
}

func newNeighbourGrams(vs []*vectors) *neighbourGrams {
	n := 0
	for _, v := range vs {
		n += len(v.gram)
	}
	t := &neighbourGrams{gramKeys: newGramKeys(n)}
	t.at = make([]int32, len(t.keys))
	t.w = make([][supportNeighbours]float64, 0, n)
	for j, v := range vs {
		for _, e := range v.gram {
			i := t.slot(e.k)
			if t.at[i] == 0 {
				t.w = append(t.w, [supportNeighbours]float64{})
				t.at[i] = int32(len(t.w))
			}
			t.w[t.at[i]-1][j] = e.w
		}
	}
	return t
}

// dots returns c's dot product with each neighbour's n-gram vector, the
// products added in n-gram order as dotSparse adds them.
func (t *neighbourGrams) dots(c sparse) (dot [supportNeighbours]float64) {
	for _, e := range c {
		if i := t.find(e.k); i >= 0 {
			for j, w := range &t.w[t.at[i]-1] {
				if w != 0 {
					dot[j] += w * e.w
				}
			}
		}
	}
	return dot
}

type salient struct {
	id termID
	w  float64
}

func (s *stats) salient(d *doc, vec *vectors) []salient {
	// The salientK weightiest, kept in order while the terms are read once:
	// a write re-weighs every need of a small index, and sorting all of a
	// need's terms each time cost more than the rest of its weighing.
	out := make([]salient, 0, min(salientK, len(d.terms)))
	for i, tc := range d.terms {
		x := salient{tc.id, vec.word[i].w}
		if len(out) == salientK && !heavier(x, out[salientK-1]) {
			continue
		}
		if len(out) < salientK {
			out = append(out, x)
		}
		j := len(out) - 1
		for ; j > 0 && heavier(x, out[j-1]); j-- {
			out[j] = out[j-1]
		}
		out[j] = x
	}
	return out
}

// heavier orders salient concepts: weightier first, then by term id.
func heavier(a, b salient) bool {
	return a.w > b.w || a.w == b.w && a.id < b.id
}

// gramJaccard is the overlap of two terms' n-gram sets.
func gramJaccard(a, b []uint32) float64 {
	i, j, both := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			both++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	union := len(a) + len(b) - both
	if union == 0 {
		return 0
	}
	return float64(both) / float64(union)
}

// fuzzyMin is the share of a word's n-grams that must be found for a near
// form to count as the same concept.
const fuzzyMin = 0.6

// coverage is the weighted share of sal's concepts that d has, a word
// counting fully and a near word by its n-gram overlap; pairs is the
// weighted share of pairs of those concepts that d has both of. A need
// that shares one striking word but not the second concept is usually a
// different need. memo, when not nil, keeps each concept's credit in d
// across calls with the same d.
func (s *stats) coverage(sal []salient, d *doc, dv *vectors, memo map[termID]float64) (cover, pairs float64) {
	var credit [salientK]float64
	for i, t := range sal {
		if c, ok := memo[t.id]; ok {
			credit[i] = c
			continue
		}
		if d.has(t.id) {
			credit[i] = 1
		} else if c := containment(s.v.terms[t.id].grams, dv.gram); c >= fuzzyMin {
			credit[i] = c
		}
		if memo != nil {
			memo[t.id] = credit[i]
		}
	}
	return covered(sal, &credit)
}

// coverageFound is coverage of the query's salient concepts in d, with
// the n-grams of each that d has counted already (gramTable.scan).
func coverageFound(sal []salient, d *doc, tab *gramTable, found *[salientK]int) (cover, pairs float64) {
	var credit [salientK]float64
	for i, t := range sal {
		if d.has(t.id) {
			credit[i] = 1
		} else if n := tab.nSal[i]; n > 0 {
			if c := float64(found[i]) / float64(n); c >= fuzzyMin {
				credit[i] = c
			}
		}
	}
	return covered(sal, &credit)
}

// covered weighs the concepts' credits into coverage and pairs.
func covered(sal []salient, credit *[salientK]float64) (cover, pairs float64) {
	var got, total float64
	for i, t := range sal {
		total += t.w
		got += t.w * credit[i]
	}
	if total == 0 {
		return 0, 0
	}
	var pg, pt float64
	for i := range sal {
		for j := i + 1; j < len(sal); j++ {
			w := sal[i].w * sal[j].w
			pt += w
			pg += w * credit[i] * credit[j]
		}
	}
	if pt > 0 {
		pairs = pg / pt
	}
	return got / total, pairs
}

// containment is the share of a word's n-grams found anywhere in a text's
// n-gram vector: a near form (tolk, tolkning) or a word inside a compound
// (larm in trygghetslarm) finds most of its grams.
func containment(grams []uint32, v sparse) float64 {
	if len(grams) == 0 {
		return 0
	}
	found, j := 0, 0
	for _, g := range grams { // both sorted: the text's vector is searched onwards
		if j = seek(v, j, g); j == len(v) {
			break
		}
		if v[j].k == g {
			found++
		}
	}
	return float64(found) / float64(len(grams))
}

func (d *doc) has(id termID) bool {
	i := sort.Search(len(d.terms), func(i int) bool { return d.terms[i].id >= id })
	return i < len(d.terms) && d.terms[i].id == id
}

// features computes the feature vector of candidate c for query q.
func (s *stats) features(q *query, c *doc, cvec *vectors, csal []salient) [nFeatures]float64 {
	var f [nFeatures]float64
	if q.grams == nil {
		q.grams = newGramTable(s.v, q.vec.gram, q.sal)
	}
	// The dot products: from the index's lists when it keeps them
	// (gramDots), else from the vectors.
	var word, gram, tgram float64
	var found [salientK]int
	if q.dots != nil {
		word, tgram = q.dots.word[c.slot], q.dots.tgram[c.slot]
		gram, found = q.dots.of(c.slot)
	} else {
		word, tgram = dotSparse(q.vec.word, cvec.word), dotSparse(q.vec.tgram, cvec.tgram)
		gram, found = q.grams.scan(cvec.gram)
	}
	f[fWord] = normed(word, q.vec.wordNorm, cvec.wordNorm)
	f[fGram] = normed(gram, q.vec.gramNorm, cvec.gramNorm)
	f[fTitleGram] = normed(tgram, q.vec.tgramNorm, cvec.tgramNorm)
	var pq, pd float64
	f[fCoverQ], pq = coverageFound(q.sal, c, q.grams, &found)
	if q.credit == nil {
		q.credit = map[termID]float64{}
	}
	f[fCoverD], pd = s.coverage(csal, q.d, q.vec, q.credit)
	f[fPairs] = math.Sqrt(pq * pd)
	link, related, both := RelateCPV(q.need.CPV, c.need.CPV)
	f[fCPV] = link.Score
	if both && !related {
		f[fCPVConflict] = 1
	}
	if q.need.OrgKind != "" && q.need.OrgKind == c.need.OrgKind {
		f[fSameKind] = 1
	}
	if q.need.Sector != "" && strings.EqualFold(q.need.Sector, c.need.Sector) {
		f[fSector] = 1
	}
	if q.need.Year > 0 && c.need.Year > 0 {
		f[fYear] = math.Abs(float64(q.need.Year - c.need.Year))
	}
	return f
}

func (w *Weights) score(f [nFeatures]float64) float64 {
	var s float64
	for i, x := range f {
		s += w[i] * x
	}
	return s
}
