package match

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
)

// Need is what the matcher knows of a need; the API and match-file both
// build it, so both rank the same way.
type Need struct {
	ID          string // unique key
	Org         string // the posting organisation; needs of the same one are never matched
	OrgKind     string
	Title       string
	Description string
	CPV         []string // 8-digit codes
	Sector      string
	Year        int // planned procurement year, 0 when unknown
	ValueSEK    *int64
}

// texts are the title and the description as far as they are analysed:
// maxTitleRunes and maxTextRunes runes.
func (n *Need) texts() [2]string {
	return [2]string{clip(n.Title, maxTitleRunes), clip(n.Description, maxTextRunes)}
}

// termCount is a term of a document with its counts in title and body
// (saturating at 255: more says nothing new).
type termCount struct {
	id    termID
	title uint8
	body  uint8
	part  bool // only a compound part, not a whole word
}

// doc is an analysed need. It keeps no description: the index needs only
// terms, and the database keeps the text.
type doc struct {
	need  *Need
	slot  int32
	org   int32       // interned organisation
	terms []termCount // sorted by id
	cache atomic.Pointer[cached]
	grams atomic.Pointer[gramCounts]
	topic atomic.Pointer[docTopic]
}

// partWeight scales compound parts against whole words: a shared part is
// evidence, but weaker than a shared word.
const partWeight = 0.5

// occurrence is one analysed word of a need before interning.
type occurrence struct {
	w     *analysed
	title bool
}

// parse analyses a need's text; it needs no lock, so builds run it in
// parallel.
func parse(a *Analyzer, n *Need, local localWords) []occurrence {
	texts := n.texts()
	return appendParsed(make([]occurrence, 0, wordsIn(texts[0])+wordsIn(texts[1])), a, n, local)
}

// appendParsed is parse appending to out, so a build worker reuses one
// slice for all its needs.
func appendParsed(out []occurrence, a *Analyzer, n *Need, local localWords) []occurrence {
	for i, text := range n.texts() {
		a.eachAnalysed(text, local, func(w *analysed) { out = append(out, occurrence{w: w, title: i == 0}) })
	}
	return out
}

// termIDs returns the term ids of a word and its compound parts in v, adding
// them unless readOnly (then ok is false when the word is unknown).
func (v *vocab) termIDs(w *analysed, readOnly bool) (id termID, parts []termID, ok bool) {
	if r := w.ref.Load(); r != nil && r.v == v {
		return r.id, r.parts, true
	}
	if readOnly {
		id, ok = v.lookup(w.stem)
		if !ok {
			return 0, nil, false
		}
		for _, p := range w.parts {
			if pid, found := v.lookup(p); found && p != w.stem && len([]rune(p)) >= minPart {
				parts = append(parts, pid)
			}
		}
		return id, parts, true
	}
	id = v.id(w.stem)
	for _, p := range w.parts {
		if p != w.stem && len([]rune(p)) >= minPart {
			parts = append(parts, v.id(p))
		}
	}
	w.ref.Store(&vocabRef{v: v, id: id, parts: parts})
	return id, parts, true
}

// hitBufs holds intern's scratch space: a build interns a million needs.
var hitBufs = sync.Pool{New: func() any { return new([]uint64) }}

// internMode says how interning treats words new to the vocabulary.
type internMode int

const (
	addTerms   internMode = iota // add them (the caller holds the index for writing)
	knownTerms                   // leave them out (for a query)
	// cachedTerms reads only the term ids cached in the words for v and
	// touches nothing else of it, so build workers may intern while the
	// index takes in other needs; a word without them makes the need
	// wait for addTerms (intern returns nil).
	cachedTerms
)

// intern turns parsed occurrences into a doc with v's term ids; mode says
// what becomes of words v does not have.
func intern(v *vocab, n *Need, occ []occurrence, mode internMode) *doc {
	// A hit is a term id with two flags below it (in the title; only a
	// compound part), so sorting plain integers groups a term's hits.
	const title, part = 2, 1
	buf := hitBufs.Get().(*[]uint64)
	defer hitBufs.Put(buf)
	hits := (*buf)[:0]
	defer func() { *buf = hits[:0] }() // keep what append grew
	for _, o := range occ {
		var id termID
		var parts []termID
		if mode == cachedTerms {
			r := o.w.ref.Load()
			if r == nil || r.v != v {
				return nil
			}
			id, parts = r.id, r.parts
		} else {
			var ok bool
			if id, parts, ok = v.termIDs(o.w, mode == knownTerms); !ok {
				continue
			}
		}
		var t uint64
		if o.title {
			t = title
		}
		hits = append(hits, uint64(id)<<2|t)
		for _, p := range parts {
			hits = append(hits, uint64(p)<<2|t|part)
		}
	}
	slices.Sort(hits)
	unique := 0
	for i, h := range hits {
		if i == 0 || hits[i-1]>>2 != h>>2 {
			unique++
		}
	}
	d := &doc{need: n, terms: make([]termCount, 0, unique)}
	for i, h := range hits {
		if i == 0 || hits[i-1]>>2 != h>>2 {
			d.terms = append(d.terms, termCount{id: termID(h >> 2), part: true})
		}
		tc := &d.terms[len(d.terms)-1]
		if h&part == 0 {
			tc.part = false
		}
		if h&title != 0 {
			tc.title = sat(tc.title)
		} else {
			tc.body = sat(tc.body)
		}
	}
	return d
}

// count is the term's occurrences with the title counted double, as the
// postings keep it.
func (tc termCount) count() uint8 {
	c := int(tc.title)*titleBoost + int(tc.body)
	return uint8(min(c, 255))
}

func sat(x uint8) uint8 {
	if x == 255 {
		return x
	}
	return x + 1
}

// analyse parses and interns in one step.
func analyse(a *Analyzer, v *vocab, n *Need, mode internMode) *doc {
	return intern(v, n, parse(a, n, nil), mode)
}

// titleBoost counts a word in the title as this many in the body: a
// title says what the need is.
const titleBoost = 2

func (tc termCount) tf() float64 {
	c := float64(tc.title)*titleBoost + float64(tc.body)
	if tc.part {
		c *= partWeight
	}
	if c <= 0 {
		return 0
	}
	return 1 + math.Log(c) // a part seen once: 1 + ln 0.5 ≈ 0.31
}

// stats are the collection statistics weights are computed from.
type stats struct {
	n     int
	v     *vocab
	bg    *Background // optional
	bgMix float64     // share of the background idf in a term's idf
}

func (s *stats) idf(id termID) float64 {
	local := log1p(s.n) - log1p(int(s.v.terms[id].df)) + 1
	if s.bg != nil {
		return (1-s.bgMix)*local + s.bgMix*s.bg.IDF(s.v.terms[id].stem)
	}
	return local
}

func (s *stats) gramIDF(g uint32) float64 {
	return log1p(s.n) - log1p(int(s.v.grams[g].df)) + 1
}

// logTable holds ln(1+i) for small i: weights take two logarithms per
// term and n-gram, and a table lookup is far cheaper.
var logTable = func() []float64 {
	t := make([]float64, 1<<16)
	for i := range t {
		t[i] = math.Log1p(float64(i))
	}
	return t
}()

func log1p(i int) float64 {
	if i >= 0 && i < len(logTable) {
		return logTable[i]
	}
	return math.Log1p(float64(i))
}

// sparse is a sparse vector sorted by key.
type sparse []entry

type entry struct {
	k uint32
	w float64
}

func (v sparse) norm() float64 {
	var s float64
	for _, e := range v {
		s += e.w * e.w
	}
	return math.Sqrt(s)
}

// gallopRatio is how many times longer one vector must be than the other
// for dotSparse to look up the short one's keys in it rather than walk
// both: a long text's vector against a short need's.
const gallopRatio = 8

func dotSparse(a, b sparse) float64 {
	var dot float64
	if len(a) > len(b) {
		a, b = b, a // the sum is the same: products in key order
	}
	if len(b) > gallopRatio*len(a) {
		j := 0
		for _, e := range a {
			if j = seek(b, j, e.k); j == len(b) {
				break
			}
			if b[j].k == e.k {
				dot += e.w * b[j].w
				j++
			}
		}
		return dot
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].k == b[j].k:
			dot += a[i].w * b[j].w
			i++
			j++
		case a[i].k < b[j].k:
			i++
		default:
			j++
		}
	}
	return dot
}

// seek returns the first index from j on whose key is at least k (len(v)
// when none is). It gallops: steps that double, then a binary search, so a
// few keys are found in a long vector in logarithmic time.
func seek(v sparse, j int, k uint32) int {
	hi, step := j, 1
	for hi < len(v) && v[hi].k < k {
		j = hi + 1
		hi += step
		step *= 2
	}
	hi = min(hi, len(v))
	for j < hi { // the answer is in [j, hi]
		m := int(uint(j+hi) >> 1)
		if v[m].k < k {
			j = m + 1
		} else {
			hi = m
		}
	}
	return j
}

// fromMap turns accumulated weights into a sorted sparse vector.
func fromMap(m map[uint32]float64) sparse {
	v := make(sparse, 0, len(m))
	for k, w := range m {
		v = append(v, entry{k, w})
	}
	sort.Slice(v, func(i, j int) bool { return v[i].k < v[j].k })
	return v
}

// vectors are a doc's weighted sparse vectors, computed with the
// statistics of the moment so that weights follow the collection.
type vectors struct {
	word, gram, tgram             sparse
	wordNorm, gramNorm, tgramNorm float64
}

func (s *stats) vectors(d *doc) *vectors { return s.vectorsInto(d, nil) }

// vectorsInto is vectors written into the arrays of old, d's vectors of an
// earlier generation that nobody reads any more (see Index.reweigh), when
// it is not nil: the same numbers without a new vector per need.
func (s *stats) vectorsInto(d *doc, old *vectors) *vectors {
	var vs *vectors
	if old != nil {
		vs = &vectors{word: old.word[:0], gram: old.gram[:0], tgram: old.tgram[:0]}
	} else {
		vs = &vectors{word: make(sparse, 0, len(d.terms))}
	}
	for _, tc := range d.terms {
		vs.word = append(vs.word, entry{tc.id, tc.tf() * s.idf(tc.id)})
	}
	g := d.grams.Load()
	if g == nil {
		g = s.gramCounts(d)
		if s.n <= exhaustiveMax {
			d.grams.Store(g)
		}
	}
	vs.gram, vs.tgram = s.weighInto(vs.gram, g.gram), s.weighInto(vs.tgram, g.tgram)
	vs.wordNorm, vs.gramNorm, vs.tgramNorm = vs.word.norm(), vs.gram.norm(), vs.tgram.norm()
	return vs
}

// gramCounts are a doc's n-gram frequencies in n-gram order, before the
// n-gram idf. They follow from its terms alone, so a small index, where a
// write changes every need's weights, keeps them across generations and
// a write costs weighing them again, not collecting and sorting.
type gramCounts struct{ gram, tgram sparse }

func (s *stats) gramCounts(d *doc) *gramCounts {
	n, nt := 0, 0 // counted first, so each vector is one allocation
	for _, tc := range d.terms {
		if !tc.part {
			k := len(s.v.terms[tc.id].grams)
			n += k
			if tc.title > 0 {
				nt += k
			}
		}
	}
	gram, tgram := make(sparse, 0, n), make(sparse, 0, nt)
	for _, tc := range d.terms {
		if tc.part {
			continue // grams of the whole word already cover its parts
		}
		tf := tc.tf()
		ttf := 0.0
		if tc.title > 0 {
			ttf = 1 + math.Log(float64(tc.title))
		}
		for _, g := range s.v.terms[tc.id].grams {
			gram = append(gram, entry{g, tf})
			if ttf > 0 {
				tgram = append(tgram, entry{g, ttf})
			}
		}
	}
	return &gramCounts{gram: mergeCounts(gram), tgram: mergeCounts(tgram)}
}

// mergeCounts sorts entries by n-gram and adds up duplicates.
func mergeCounts(v sparse) sparse {
	slices.SortFunc(v, func(a, b entry) int { return cmp.Compare(a.k, b.k) })
	out := v[:0]
	for _, e := range v {
		if n := len(out); n > 0 && out[n-1].k == e.k {
			out[n-1].w += e.w
			continue
		}
		out = append(out, e)
	}
	return slices.Clip(out)
}

// weigh returns counts times the n-gram idf, in a new vector.
func (s *stats) weigh(counts sparse) sparse { return s.weighInto(nil, counts) }

// weighInto is weigh appending to out[:0] (its array reused when it has
// room).
func (s *stats) weighInto(out, counts sparse) sparse {
	if cap(out) < len(counts) {
		out = make(sparse, len(counts))
	}
	out = out[:len(counts)]
	for i, e := range counts {
		out[i] = entry{e.k, e.w * s.gramIDF(e.k)}
	}
	return out
}

// wordCosine is the cosine of q's word vector with d's, computed from d's
// terms without building its other vectors.
func (s *stats) wordCosine(q *vectors, d *doc) float64 {
	var dot, nd float64
	j := 0
	for _, tc := range d.terms {
		w := tc.tf() * s.idf(tc.id)
		nd += w * w
		for j < len(q.word) && q.word[j].k < tc.id {
			j++
		}
		if j < len(q.word) && q.word[j].k == tc.id {
			dot += w * q.word[j].w
		}
	}
	if nd == 0 || q.wordNorm == 0 {
		return 0
	}
	return dot / (math.Sqrt(nd) * q.wordNorm)
}

func cosine(a sparse, an float64, b sparse, bn float64) float64 {
	return normed(dotSparse(a, b), an, bn)
}

// normed is a cosine from its dot product and the two norms.
func normed(dot, an, bn float64) float64 {
	if an == 0 || bn == 0 {
		return 0
	}
	return dot / (an * bn)
}

// CPVLink is how two needs' CPV codes are related: their closest pair.
type CPVLink struct {
	Level string  // code, category, class, group or division
	Score float64 // 1 for the same code, then 0.9, 0.75, 0.55, 0.3
	A, B  string  // the pair of 8-digit codes
}

var cpvLevels = []struct {
	digits int
	name   string
	score  float64
}{{8, "code", 1}, {5, "category", 0.9}, {4, "class", 0.75}, {3, "group", 0.55}, {2, "division", 0.3}}

// RelateCPV finds the closest pair of codes of a and b (8 digits each).
// A shared prefix ending in a zero is padding, not a shared level:
// 33100000 and 33100500 share the group 331, not a category. both says
// whether each side has codes at all; ok whether they share a division.
func RelateCPV(a, b []string) (link CPVLink, ok, both bool) {
	if len(a) == 0 || len(b) == 0 {
		return CPVLink{}, false, false
	}
	for _, l := range cpvLevels {
		for _, x := range a {
			for _, y := range b {
				if len(x) < l.digits || len(y) < l.digits || x[:l.digits] != y[:l.digits] {
					continue
				}
				if l.digits < 8 && x[l.digits-1] == '0' {
					continue
				}
				return CPVLink{Level: l.name, Score: l.score, A: x, B: y}, true, true
			}
		}
	}
	return CPVLink{}, false, true
}
