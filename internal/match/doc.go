package match

import (
	"math"
	"sort"
	"strings"
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

// termCount is a term of a document with its counts in title and body.
type termCount struct {
	id    termID
	title float32
	body  float32
	part  bool // a compound part, not a whole word
}

// doc is an analysed need.
type doc struct {
	need  *Need
	terms []termCount // sorted by id
	// len of the text in tokens, for reasons and length normalisation
	length int
	cache  atomic.Pointer[cached]
}

// partWeight scales compound parts against whole words: a shared part is
// evidence, but weaker than a shared word.
const partWeight = 0.5

// analyse turns a need into a doc, interning its terms in v; when
// readOnly, v is not changed and terms it lacks are left out.
func analyse(a *Analyzer, v *vocab, n *Need, readOnly bool) *doc {
	counts := map[termID]*termCount{}
	add := func(stem, surface string, title bool, part bool, w float32) {
		var id termID
		if readOnly {
			var ok bool
			if id, ok = v.lookup(stem); !ok {
				return
			}
			surface = ""
		} else {
			id = v.id(stem)
		}
		tc := counts[id]
		if tc == nil {
			tc = &termCount{id: id, part: part}
			counts[id] = tc
		}
		if !part {
			tc.part = false
		}
		if title {
			tc.title += w
		} else {
			tc.body += w
		}
		if surface != "" {
			t := &v.terms[id]
			if t.surface == nil {
				t.surface = map[string]int32{}
			}
			if len(t.surface) < 8 || t.surface[surface] > 0 {
				t.surface[surface]++
			}
		}
	}
	d := &doc{need: n}
	for i, text := range []string{n.Title, n.Description} {
		for _, tok := range a.Tokens(text) {
			d.length++
			add(tok.Stem, tok.Surface, i == 0, false, 1)
			for _, p := range a.Parts(tok.Surface) {
				if p != tok.Stem && len([]rune(p)) >= minPart {
					add(p, "", i == 0, true, partWeight)
				}
			}
		}
	}
	d.terms = make([]termCount, 0, len(counts))
	for _, tc := range counts {
		d.terms = append(d.terms, *tc)
	}
	sort.Slice(d.terms, func(i, j int) bool { return d.terms[i].id < d.terms[j].id })
	return d
}

// titleBoost counts a word in the title as this many in the body: a
// title says what the need is.
const titleBoost = 2

func (tc termCount) tf() float64 {
	c := float64(tc.title*titleBoost + tc.body)
	if c <= 0 {
		return 0
	}
	return 1 + math.Log(c)
}

// stats are the collection statistics weights are computed from.
type stats struct {
	n      int
	v      *vocab
	bg     *Background // optional
	bgMix  float64     // share of the background idf in a term's idf
	gramDF []int32
}

func (s *stats) idf(id termID) float64 {
	df := float64(s.v.terms[id].df)
	local := math.Log((float64(s.n)+1)/(df+1)) + 1
	if s.bg != nil {
		return (1-s.bgMix)*local + s.bgMix*s.bg.IDF(s.v.terms[id].stem)
	}
	return local
}

func (s *stats) gramIDF(g uint32) float64 {
	return math.Log((float64(s.n)+1)/(float64(s.gramDF[g])+1)) + 1
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

func (v sparse) get(k uint32) float64 {
	i := sort.Search(len(v), func(i int) bool { return v[i].k >= k })
	if i < len(v) && v[i].k == k {
		return v[i].w
	}
	return 0
}

func dotSparse(a, b sparse) float64 {
	var dot float64
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

func (s *stats) vectors(d *doc) *vectors {
	vs := &vectors{word: make(sparse, 0, len(d.terms))}
	gram, tgram := map[uint32]float64{}, map[uint32]float64{}
	for _, tc := range d.terms {
		vs.word = append(vs.word, entry{tc.id, tc.tf() * s.idf(tc.id)})
		if tc.part {
			continue // grams of the whole word already cover its parts
		}
		for _, g := range s.v.terms[tc.id].grams {
			gram[g] += tc.tf()
			if tc.title > 0 {
				tgram[g] += 1 + math.Log(float64(tc.title))
			}
		}
	}
	for g, x := range gram {
		gram[g] = x * s.gramIDF(g)
	}
	for g, x := range tgram {
		tgram[g] = x * s.gramIDF(g)
	}
	vs.gram, vs.tgram = fromMap(gram), fromMap(tgram)
	vs.wordNorm, vs.gramNorm, vs.tgramNorm = vs.word.norm(), vs.gram.norm(), vs.tgram.norm()
	return vs
}

func cosine(a sparse, an float64, b sparse, bn float64) float64 {
	if an == 0 || bn == 0 {
		return 0
	}
	return dotSparse(a, b) / (an * bn)
}

// cpvRelation is the closeness of two CPV code sets: 1 for a shared
// category (5 digits), then class, group, division; 0 when unrelated; and
// whether both sides had codes at all.
func cpvRelation(a, b []string) (score float64, level string, ca, cb string, both bool) {
	if len(a) == 0 || len(b) == 0 {
		return 0, "", "", "", false
	}
	levels := []struct {
		digits int
		name   string
		score  float64
	}{{8, "code", 1}, {5, "category", 0.9}, {4, "class", 0.75}, {3, "group", 0.55}, {2, "division", 0.3}}
	for _, l := range levels {
		for _, x := range a {
			for _, y := range b {
				if len(x) >= l.digits && len(y) >= l.digits && x[:l.digits] == y[:l.digits] && !allZero(x[l.digits-1:l.digits]) {
					return l.score, l.name, x, y, true
				}
			}
		}
	}
	return 0, "", "", "", true
}

// allZero reports whether a code digit is 0: a CPV code's trailing zeros
// are padding, so 33000000 and 33100000 share a division, not a class.
func allZero(s string) bool { return strings.Trim(s, "0") == "" }
