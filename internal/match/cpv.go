package match

import (
	"cmp"
	"context"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/refdata"
)

// CPV suggestion: a need's text is compared with the labels of the CPV 2008
// codes (Swedish, with the English labels as a weaker signal), evidence is
// spread through the code hierarchy, and, when an index of needs is at hand,
// the codes that buyers chose for similar needs of other organisations vote.

// CPVSuggester suggests CPV codes for a need's text. It is read-only after
// construction and safe for concurrent use.
type CPVSuggester struct {
	an    *Analyzer
	codes []cpvCode
	byKey map[string]int // 8-digit code → index in codes

	terms   []cpvTerm
	termIDs map[string]int32 // stem → index in terms
	// postings: term → the codes whose label has it, as a word or a part.
	postings [][]int32
	// byGram: hashed n-gram → label words with it, to find near words.
	byGram map[uint32][]int32
	// gramIdx numbers the n-grams of Swedish labels densely.
	gramIdx  map[uint32]int32
	gramIDF  []float64
	svWord   map[string]bool // stems of the words of Swedish labels
	modifier map[string]bool // stems that begin label compounds (tolk in tolktjänster)
	// a language model of the labels of each group
	lmGroup *cpvLM
	// the labels of each division as one document: the division's
	// vocabulary, for how close a division as a whole is to a text
	lmDivision *cpvLM
	divNorm    []float64 // norm of each division's vector (branchWeight)
	rel        *relCache
	// bg, when set, tells everyday words of public administration
	// (offentlig, digital, stöd) from words that name a thing.
	bg    *Background
	bgMax float64

	p cpvParams
}

type cpvCode struct {
	refdata.CPV
	parent   int32 // index of the parent, -1 for a division
	group    string
	words    []labelWord
	norm     float64 // label weight the word score is normalised by
	gram     sparse  // n-gram vector of the Swedish label, keys from gramIdx
	gramNorm float64
}

// labelWord is a word of a label: its stem and, for a compound, the stems
// of its parts, the last being the head.
type labelWord struct {
	id    int32
	en    bool
	parts []int32 // the parts that are label words themselves
	head  int32   // index of the head in parts, -1 when it is not kept
}

type cpvTerm struct {
	stem  string
	runes int
	idf   float64
}

// cpvParams are the knobs of the suggester. The defaults were fitted by
// coordinate ascent on the development set; `arena-bench cpv-tune` repeats
// the fit in grouped 5-fold cross-validation to estimate quality on unseen
// needs.
type cpvParams struct {
	Title     float64 // weight added to a word in the title
	TitleHead float64 // weight added to a word of the title's first phrase
	Specific  float64 // exponent of a word's specificity (0: off)
	EN        float64 // weight of an English label word against a Swedish one
	Parts     float64 // credit for a label compound when only its parts are in the text
	Modifier  float64 // weight of a text compound's modifier against its head
	HeadPart  float64 // weight of a label compound's head against its modifiers (beyond idf)
	Head      float64 // credit when the label word is the head of a text compound (belysning ~ gatubelysning)
	Sub       float64 // credit when the text word is the head of a label compound
	Affix     float64 // credit when the words share a beginning (tolk ~ tolkning)
	Alpha     float64 // label length normalisation exponent (1: share of the label covered)
	GramW     float64 // weight of the n-gram cosine against the word score
	GroupW    float64 // weight of the group language model
	GroupMu   float64 // its Dirichlet smoothing
	GroupT    float64 // its temperature
	Division  float64 // exponent of a division's closeness to the text (relative to the closest division's) weighing its codes' label scores
	Ancestor  float64 // share of the parent's score a code inherits (per level)
	Child     float64 // share of its descendants' scores a code inherits
	ChildN    int     // how many of the best descendants count
	Level     [8]float64
	KNN       int     // similar needs that vote
	Vote      float64 // weight of the votes against the text score
	VoteRank  int     // the rank of the similar need whose similarity is the background
	VoteFloor float64 // similarity, as a multiple of the background, below which a need does not vote
	VotePow   float64 // a vote weighs (similarity - VoteFloor)^VotePow
	VoteBase  float64 // share of a code's votes that counts without text support for its group
	VoteGroup float64 // weight of votes for the code's group against votes for the code
	PerGroup  int     // most suggestions from one group before others are tried
}

var defaultCPVParams = cpvParams{
	Title: 2, TitleHead: 1, Specific: 1, EN: 0.05, Parts: 0.8, Modifier: 0.7, HeadPart: 1, Head: 0.3, Sub: 0.25, Affix: 0.2, Alpha: 0.5, GramW: 0.6,
	GroupW: 0.3, GroupMu: 1000, GroupT: 2, Division: 0.5,
	Ancestor: 0.15, Child: 0.5, ChildN: 3,
	Level: [8]float64{0, 0.8, 0.9, 1, 1, 0.95, 0.9, 0.85},
	KNN:   5, Vote: 1, VoteRank: 20, VoteFloor: 1.2, VotePow: 1, VoteBase: 1, VoteGroup: 1, PerGroup: 1,
}

// minCPVPart is the shortest compound part used: shorter parts are too
// often wrong splits (bok-ning, kom-mun).
const minCPVPart = 4

// NewCPVSuggester indexes the CPV labels (Swedish, and English as a weaker
// signal) with the analyzer.
func NewCPVSuggester(an *Analyzer, codes []refdata.CPV) *CPVSuggester {
	s := &CPVSuggester{an: an, byKey: map[string]int{}, termIDs: map[string]int32{}, byGram: map[uint32][]int32{}, rel: &relCache{}, p: defaultCPVParams}
	for _, c := range codes {
		if len(c.Code) != 8 {
			continue
		}
		if _, dup := s.byKey[c.Code]; dup {
			continue
		}
		if c.Level <= 0 {
			// the level from the code: division 12000000 is 1, group
			// 12300000 is 2, and so on
			c.Level = max(1, len(strings.TrimRight(c.Code, "0"))-1)
		}
		s.byKey[c.Code] = len(s.codes)
		s.codes = append(s.codes, cpvCode{CPV: c, parent: -1, group: c.Code[:3]})
	}
	id := func(stem string) int32 {
		if x, ok := s.termIDs[stem]; ok {
			return x
		}
		x := int32(len(s.terms))
		s.termIDs[stem] = x
		s.terms = append(s.terms, cpvTerm{stem: stem, runes: len([]rune(stem))})
		s.postings = append(s.postings, nil)
		return x
	}
	// Analyse every label first: the head of a compound is used only when
	// it is also a word of some Swedish label, which drops wrong splits
	// (uthyr-ning) that a dictionary allows.
	type labelTok struct {
		stem  string
		parts []string
		en    bool
	}
	toks := make([][]labelTok, len(s.codes))
	gramDF := map[uint32]int32{}
	svWord := map[string]bool{}
	for i := range s.codes {
		c := &s.codes[i]
		if p, ok := s.byKey[c.Parent]; ok && c.Parent != c.Code {
			c.parent = int32(p)
		}
		for lang, label := range []string{c.LabelSV, c.LabelEN} {
			for _, tok := range an.Tokens(strings.ToLower(label)) {
				lt := labelTok{stem: tok.Stem, en: lang == 1}
				for _, part := range an.Parts(tok.Surface) {
					if part != tok.Stem && len([]rune(part)) >= minCPVPart {
						lt.parts = append(lt.parts, part)
					}
				}
				toks[i] = append(toks[i], lt)
				if lang == 0 {
					svWord[tok.Stem] = true
				}
			}
		}
	}
	s.svWord = svWord
	s.modifier = map[string]bool{}
	for i := range s.codes {
		c := &s.codes[i]
		seen := map[int32]bool{}
		grams := map[uint32]float64{}
		for _, lt := range toks[i] {
			w := labelWord{id: id(lt.stem), en: lt.en, head: -1}
			for j, part := range lt.parts {
				if j == len(lt.parts)-1 {
					if !svWord[part] {
						continue // a suffix taken for a word
					}
					w.head = int32(len(w.parts))
				} else {
					s.modifier[part] = true
				}
				w.parts = append(w.parts, id(part))
			}
			if slices.ContainsFunc(c.words, func(o labelWord) bool { return o.id == w.id }) {
				continue
			}
			c.words = append(c.words, w)
			for _, t := range append([]int32{w.id}, w.parts...) {
				if !seen[t] {
					seen[t] = true
					s.postings[t] = append(s.postings[t], int32(i))
				}
			}
			if !lt.en {
				for _, g := range gramsOf(lt.stem) {
					grams[g] = 1
				}
			}
		}
		for g := range grams {
			gramDF[g]++
		}
		c.gram = fromMap(grams)
	}
	df := make([]int32, len(s.terms))
	for t, ps := range s.postings {
		df[t] = int32(len(ps))
	}
	n := float64(len(s.codes))
	for t := range s.terms {
		s.terms[t].idf = math.Log((n + 1) / (float64(df[t]) + 0.5))
		for _, g := range gramsOf(s.terms[t].stem) {
			s.byGram[g] = append(s.byGram[g], int32(t))
		}
	}
	s.gramIdx = make(map[uint32]int32, len(gramDF))
	for g := range gramDF {
		s.gramIdx[g] = 0
	}
	keys := slices.Sorted(maps.Keys(s.gramIdx))
	s.gramIDF = make([]float64, len(keys))
	for j, g := range keys {
		s.gramIdx[g] = int32(j)
		s.gramIDF[j] = math.Log((float64(len(s.codes)) + 1) / (float64(gramDF[g]) + 0.5))
	}
	for i := range s.codes {
		c := &s.codes[i]
		for j := range c.gram {
			k := s.gramIdx[c.gram[j].k]
			c.gram[j] = entry{uint32(k), s.gramIDF[k]}
		}
		sort.Slice(c.gram, func(a, b int) bool { return c.gram[a].k < c.gram[b].k })
		c.gramNorm = c.gram.norm()
		for _, w := range c.words {
			if !w.en {
				c.norm += s.terms[w.id].idf
			}
		}
		if c.norm == 0 {
			c.norm = 1
		}
	}
	s.lmGroup = s.newLM(func(code string) string { return code[:3] })
	s.lmDivision = s.newLM(func(code string) string { return code[:2] })
	s.divNorm = make([]float64, len(s.lmDivision.length))
	for t, m := range s.lmDivision.terms {
		for g, n := range m {
			w := s.branchWeight(int32(t), n)
			s.divNorm[g] += w * w
		}
	}
	for g := range s.divNorm {
		s.divNorm[g] = math.Sqrt(s.divNorm[g])
	}
	return s
}

// cpvLM is a language model of the Swedish labels of the codes of a
// branch (a group): what the labels of the branch speak of as a whole.
type cpvLM struct {
	of     []int32             // code → its branch
	length []float64           // branch → term occurrences
	terms  []map[int32]float64 // term → branch → occurrences
	p      []float64           // term → share of all occurrences
}

func (s *CPVSuggester) newLM(branch func(code string) string) *cpvLM {
	ids := map[string]int32{}
	lm := &cpvLM{of: make([]int32, len(s.codes)), terms: make([]map[int32]float64, len(s.terms)), p: make([]float64, len(s.terms))}
	var total float64
	for i := range s.codes {
		c := &s.codes[i]
		key := branch(c.Code)
		g, ok := ids[key]
		if !ok {
			g = int32(len(ids))
			ids[key] = g
			lm.length = append(lm.length, 0)
		}
		lm.of[i] = g
		for _, w := range c.words {
			if w.en {
				continue
			}
			for _, t := range append([]int32{w.id}, w.parts...) {
				if lm.terms[t] == nil {
					lm.terms[t] = map[int32]float64{}
				}
				lm.terms[t][g]++
				lm.p[t]++
				lm.length[g]++
				total++
			}
		}
	}
	for t := range lm.p {
		lm.p[t] = (lm.p[t] + 0.5) / (total + 0.5)
	}
	return lm
}

// scores are the query log-likelihood ratios of the branches' models
// (Dirichlet-smoothed with mu) for the credited label terms.
func (lm *cpvLM) scores(cr []credit, got []int32, mu float64) []float64 {
	out := make([]float64, len(lm.length))
	var base float64
	for _, t := range got {
		base += cr[t].w
	}
	for g := range out {
		out[g] = -base * math.Log(1+lm.length[g]/mu)
	}
	for _, t := range got {
		for g, n := range lm.terms[t] {
			out[g] += cr[t].w * math.Log(1+n/(mu*lm.p[t]))
		}
	}
	return out
}

// boost adds to text the branch scores, scaled to (0, w·top].
func (lm *cpvLM) boost(text, sc []float64, w, temp, top float64) {
	if w == 0 || sc == nil {
		return
	}
	smax := math.Inf(-1)
	for _, x := range sc {
		smax = math.Max(smax, x)
	}
	for i := range text {
		text[i] += w * top * math.Exp((sc[lm.of[i]]-smax)/temp)
	}
}

// branchWeight is the weight of a label term that a branch's labels have n
// times, in the branch's vector: sublinear in n, times the term's idf.
func (s *CPVSuggester) branchWeight(t int32, n float64) float64 {
	return (1 + math.Log(n)) * s.terms[t].idf
}

// weighDivisions weighs each code's label score by how close its division
// is to the text, relative to the closest division: the cosine of the
// credited label terms (each by its credit and idf) with the division's
// labels as one document. A word that a far branch happens to share
// (föreningar: clubs in the need, chemical compounds in Organiska
// föreningar) then counts for less when the need's other words speak of
// another division.
func (s *CPVSuggester) weighDivisions(own []float64, cr []credit, got []int32) {
	if s.p.Division == 0 || len(got) == 0 {
		return
	}
	lm := s.lmDivision
	cos := make([]float64, len(lm.length))
	for _, t := range got {
		qw := cr[t].w * s.terms[t].idf
		for g, n := range lm.terms[t] {
			cos[g] += qw * s.branchWeight(t, n)
		}
	}
	top := 0.0
	for g := range cos {
		if s.divNorm[g] > 0 {
			cos[g] /= s.divNorm[g] // the text's norm is the same for all
		}
		top = math.Max(top, cos[g])
	}
	if top <= 0 {
		return
	}
	for g := range cos {
		cos[g] = math.Pow(cos[g]/top, s.p.Division)
	}
	for i := range own {
		own[i] *= cos[lm.of[i]]
	}
}

// SetBackground makes the suggester weigh the need's words by how
// specific they are in general Swedish public-sector text (see
// ReadBackground); without it every word of the need weighs the same.
// Call it before the suggester is shared.
func (s *CPVSuggester) SetBackground(b *Background) {
	s.bg = b
	if b != nil {
		s.bgMax = b.IDF("\x00")
	}
}

// specificity is the weight of a need's word: 1 for a word rare in
// public-sector text, less for an everyday one.
func (s *CPVSuggester) specificity(stem string) float64 {
	if s.bg == nil || s.p.Specific == 0 || s.bgMax <= 0 {
		return 1
	}
	return math.Pow(math.Min(1, s.bg.IDF(stem)/s.bgMax), s.p.Specific)
}

// CPVSuggestion is one suggested code.
type CPVSuggestion struct {
	Code          string  `json:"code"`
	CodeWithCheck string  `json:"code_with_check_digit"`
	LabelSV       string  `json:"label_sv"`
	LabelEN       string  `json:"label_en"`
	Score         float64 `json:"score"`
	// Reasons say why, by catalogue key (cpv.why.*), the strongest first.
	Reasons []arena.Msg `json:"reasons"`
}

// cpvQuery is an analysed need text.
type cpvQuery struct {
	tf      map[string]float64 // whole word stem → weighted count
	parts   map[string]float64 // compound part stem → weighted count, modifiers weighed down
	title   map[string]bool    // stems and parts in the title
	head    map[string]bool    // stems of the title's first phrase (what is bought)
	surface map[string]string  // stem → a written form, for reasons
	gram    []float64          // dense over gramIdx
	gNorm   float64
}

// analyse reads the title and the description as the matcher does: at
// most maxTitleRunes and maxTextRunes runes.
func (s *CPVSuggester) analyse(title, description string) *cpvQuery {
	title, description = clip(title, maxTitleRunes), clip(description, maxTextRunes)
	q := &cpvQuery{tf: map[string]float64{}, parts: map[string]float64{}, title: map[string]bool{}, head: map[string]bool{}, surface: map[string]string{}}
	grams := map[uint32]float64{}
	head := titleHead(title)
	for i, text := range []string{title, description} {
		w := 1.0
		for _, tok := range s.an.Tokens(text) {
			q.tf[tok.Stem] += w
			if i == 0 {
				q.title[tok.Stem] = true
				if head[tok.Surface] {
					q.head[tok.Stem] = true
				}
			}
			if _, ok := q.surface[tok.Stem]; !ok {
				q.surface[tok.Stem] = tok.Surface
			}
			for _, g := range gramsOf(tok.Stem) {
				grams[g] += w
			}
			var parts []string
			if !s.svWord[tok.Stem] && !s.modifier[tok.Stem] {
				// a word the labels do not know: its parts may help
				// (lönesystem); a known one is not split (domstol)
				parts = s.an.Parts(tok.Surface)
			}
			for j, part := range parts {
				if part == tok.Stem || !(s.svWord[part] || s.modifier[part]) {
					continue
				}
				pw := w
				if j < len(parts)-1 {
					pw *= s.p.Modifier
				}
				q.parts[part] += pw
				if i == 0 {
					q.title[part] = true
					if head[tok.Surface] {
						q.head[part] = true
					}
				}
				if _, ok := q.surface[part]; !ok {
					q.surface[part] = tok.Surface
				}
			}
		}
	}
	q.gram = make([]float64, len(s.gramIDF))
	for g, x := range grams {
		if k, ok := s.gramIdx[g]; ok {
			w := (1 + math.Log(x)) * s.gramIDF[k]
			q.gram[k] = w
			q.gNorm += w * w
		}
	}
	q.gNorm = math.Sqrt(q.gNorm)
	return q
}

// Relations of a label word to a word of the text.
const (
	relSame  uint8 = iota + 1
	relHead        // the label word is the head of a text compound (belysning in gatubelysning)
	relSub         // the text word is the head of a label compound (belysning for gatubelysning)
	relAffix       // they share a beginning (tolk, tolkning)
)

// relation classifies label stem l against text stem q; 0 when unrelated.
func relation(l, q string, ll, lq int) uint8 {
	switch {
	case l == q:
		return relSame
	case ll >= 5 && lq > ll && strings.HasSuffix(q, l):
		return relHead
	case lq >= 5 && ll > lq && strings.HasSuffix(l, q):
		return relSub
	case ll >= 4 && lq > ll && 2*ll >= lq && strings.HasPrefix(q, l):
		return relAffix
	case lq >= 4 && ll > lq && 2*lq >= ll && strings.HasPrefix(l, q):
		return relAffix
	}
	return 0
}

func (p *cpvParams) sim(rel uint8) float64 {
	switch rel {
	case relSame:
		return 1
	case relHead:
		return p.Head
	case relSub:
		return p.Sub
	case relAffix:
		return p.Affix
	}
	return 0
}

// related is a label term related to a text stem.
type related struct {
	id  int32
	rel uint8
}

// relCache maps text stems to their related label terms ([]related).
type relCache struct {
	m    sync.Map
	size atomic.Int64
}

// maxRelCache bounds the cache of related label terms per text stem.
const maxRelCache = 1 << 16

// relatedTerms returns the label terms related to a text stem. Related
// words share a beginning or an end, so only the terms with the stem's
// first or last n-gram are compared.
func (s *CPVSuggester) relatedTerms(st string) []related {
	if x, ok := s.rel.m.Load(st); ok {
		return x.([]related)
	}
	r := []rune(st)
	grams := gramsOf(st)
	var firstLast []uint32
	if len(r)+2 < gramN {
		firstLast = grams
	} else {
		b := append(append([]rune{'^'}, r...), '$')
		firstLast = []uint32{hashRunes(b[:gramN]), hashRunes(b[len(b)-gramN:])}
	}
	var out []related
	seen := map[int32]bool{}
	for _, g := range firstLast {
		for _, id := range s.byGram[g] {
			if seen[id] {
				continue
			}
			seen[id] = true
			t := &s.terms[id]
			if rel := relation(t.stem, st, t.runes, len(r)); rel != 0 {
				out = append(out, related{id, rel})
			}
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].id < out[b].id })
	if s.rel.size.Load() < maxRelCache {
		if _, loaded := s.rel.m.LoadOrStore(st, out); !loaded {
			s.rel.size.Add(1)
		}
	}
	return out
}

// credit is query evidence for a label term.
type credit struct {
	w    float64 // similarity × query term weight
	stem string  // the query stem that gave it
}

// credits are the query's evidence for label terms: a term's best
// similarity to a word or compound part of the text, times that word's
// weight.
func (s *CPVSuggester) credits(q *cpvQuery) ([]credit, []int32) {
	cr := make([]credit, len(s.terms))
	var got []int32
	match := func(st string, qw float64) {
		qidf := -1.0
		if id, ok := s.termIDs[st]; ok {
			qidf = s.terms[id].idf
		}
		for _, r := range s.relatedTerms(st) {
			c := s.p.sim(r.rel) * qw
			if r.rel == relSub && qidf >= 0 {
				// the text word is only the head of the label word
				// (anläggning of radaranläggning): the evidence is as
				// specific as the text word, not as the label word
				c *= math.Min(1, qidf/s.terms[r.id].idf)
			}
			if c <= 0 {
				continue
			}
			if cr[r.id].w == 0 {
				got = append(got, r.id)
			}
			if c > cr[r.id].w {
				cr[r.id] = credit{c, st}
			}
		}
	}
	for _, st := range sortedKeys(q.tf) {
		match(st, q.weight(st, q.tf[st], s.p.Title, s.p.TitleHead)*s.specificity(st))
	}
	for _, st := range sortedKeys(q.parts) {
		match(st, s.p.Parts*q.weight(st, q.parts[st], s.p.Title, s.p.TitleHead)*s.specificity(st))
	}
	return cr, got
}

// weight is the weight of a text word seen n times: sublinear in n, and
// more when the title has it (a title says what is bought).
func (q *cpvQuery) weight(st string, n, title, head float64) float64 {
	w := tfWeight(n)
	if q.title[st] {
		w += title
	}
	if q.head[st] {
		w += head
	}
	return w
}

// titlePrepositions end the first phrase of a title: in "Tolkning på
// skärm vid asylutredningar" the thing bought comes before "på".
var titlePrepositions = map[string]bool{
	"för": true, "av": true, "på": true, "till": true, "med": true, "i": true, "vid": true, "inom": true,
	"från": true, "mot": true, "hos": true, "åt": true, "utan": true, "genom": true, "via": true, "inför": true,
}

// titleHead returns the written words of a title before its first
// preposition.
func titleHead(title string) map[string]bool {
	out := map[string]bool{}
	for _, w := range Words(title) {
		if titlePrepositions[w] {
			break
		}
		out[w] = true
	}
	return out
}

func tfWeight(x float64) float64 {
	if x < 1 {
		return x
	}
	return 1 + math.Log(x)
}

func sortedKeys(m map[string]float64) []string { return slices.Sorted(maps.Keys(m)) }

// labelScores scores the codes whose labels the query touches.
func (s *CPVSuggester) labelScores(q *cpvQuery) (own []float64, best []credit, grp []float64) {
	own = make([]float64, len(s.codes))
	best = make([]credit, len(s.codes))
	cr, got := s.credits(q)
	touched := make([]bool, len(s.codes))
	for _, id := range got {
		for _, c := range s.postings[id] {
			touched[c] = true
		}
	}
	for ci := range touched {
		if !touched[ci] {
			continue
		}
		c := &s.codes[ci]
		var sum, top float64
		for _, w := range c.words {
			x := cr[w.id]
			if len(w.parts) > 0 {
				var got, all float64
				var by credit
				for j, p := range w.parts {
					// The informative part decides (tolk in tolktjänster),
					// the head somewhat more.
					role := s.terms[p].idf
					if int32(j) == w.head {
						role *= s.p.HeadPart
					}
					all += role
					if e := cr[p]; e.w > 0 {
						got += role * e.w
						if by.stem == "" || int32(j) == w.head {
							by = e
						}
					}
				}
				if w.head < 0 {
					all += s.terms[w.id].idf / 2 // the head is unknown: parts alone say less
				}
				if pc := s.p.Parts * got / all; pc > x.w {
					x = credit{pc, by.stem}
				}
			}
			if x.w == 0 {
				continue
			}
			v := s.terms[w.id].idf * x.w
			if w.en {
				v *= s.p.EN
			}
			sum += v
			if v > top {
				top, best[ci] = v, x
			}
		}
		own[ci] = sum / math.Pow(c.norm, s.p.Alpha)
	}
	if s.p.GramW > 0 && q.gNorm > 0 {
		for i := range s.codes {
			c := &s.codes[i]
			var dot float64
			for _, e := range c.gram {
				dot += e.w * q.gram[e.k]
			}

			if dot > 0 {
				own[i] += s.p.GramW * dot / (q.gNorm * c.gramNorm)
			}
		}
	}
	if s.p.GroupW > 0 {
		grp = s.lmGroup.scores(cr, got, s.p.GroupMu)
	}
	s.weighDivisions(own, cr, got)
	return own, best, grp
}

// hierarchy spreads label scores: a code inherits a share of its
// ancestors' scores (context) and of its descendants' (a class is right
// when its categories are: the mean of its ChildN best descendants, so
// broad evidence counts), and is weighed by its level.
func (s *CPVSuggester) hierarchy(own []float64) []float64 {
	inh := make([]float64, len(s.codes))
	top := 0.0
	for i := range s.codes {
		x, f := 0.0, 1.0
		for p := s.codes[i].parent; p >= 0; p = s.codes[p].parent {
			f *= s.p.Ancestor
			x += f * own[p]
		}
		inh[i] = own[i] + x
		top = math.Max(top, inh[i])
	}
	n := max(s.p.ChildN, 1)
	best := map[int32][]float64{} // ancestor → its best descendant scores, high first
	for i := range s.codes {
		x := inh[i]
		if x <= 0.1*top {
			continue
		}
		for p := s.codes[i].parent; p >= 0; p = s.codes[p].parent {
			b := best[p]
			if len(b) == n && b[n-1] >= x {
				continue
			}
			j := sort.Search(len(b), func(j int) bool { return b[j] < x })
			best[p] = slices.Insert(b, j, x)[:min(len(b)+1, n)]
		}
	}
	out := make([]float64, len(s.codes))
	for i := range s.codes {
		lv := s.codes[i].Level
		if lv >= len(s.p.Level) {
			lv = len(s.p.Level) - 1
		}
		var down float64
		for _, x := range best[int32(i)] {
			down += x
		}
		out[i] = s.p.Level[lv] * (inh[i] + s.p.Child*down/float64(n))
	}
	return out
}

// votes are what similar needs of other organisations chose: per code and
// per group, the sum of the voters' weights (how far their similarity
// exceeds VoteFloor), and how many voted.
type cpvVotes struct {
	code, group map[string]float64
	n           map[string]int
}

func (s *CPVSuggester) votes(ms []Match) *cpvVotes {
	v := &cpvVotes{code: map[string]float64{}, group: map[string]float64{}, n: map[string]int{}}
	if len(ms) == 0 {
		return v
	}
	// A need votes by how far it stands out from the query's background:
	// the similarity of its VoteRank-th most similar need. So votes do
	// not depend on the scale of the index's scores. A small index has no
	// background; a quarter of the best similarity stands in.
	bg := ms[0].Score / 4
	if len(ms) >= s.p.VoteRank && ms[s.p.VoteRank-1].Score > 0 {
		bg = ms[s.p.VoteRank-1].Score
	}
	if bg <= 0 {
		return v
	}
	for _, m := range ms[:min(len(ms), s.p.KNN)] {
		w := m.Score/bg - s.p.VoteFloor
		if w <= 0 {
			continue
		}
		w = math.Pow(w, s.p.VotePow)
		groups := map[string]bool{}
		for _, c := range matchCPV(m) {
			if len(c) < 8 {
				continue
			}
			c = c[:8]
			if _, ok := s.byKey[c]; !ok {
				continue
			}
			v.code[c] += w
			v.n[c]++
			groups[c[:3]] = true
		}
		for g := range groups {
			v.group[g] += w
		}
	}
	return v
}

// matchCPV returns the codes of a matched need (the index keeps them).
func matchCPV(m Match) []string {
	if m.doc == nil || m.doc.need == nil {
		return nil
	}
	return m.doc.need.CPV
}

// Suggest returns up to k codes for the text, best first. When ix is not
// nil, codes of similar indexed needs vote too: buyers' own choices are the
// best evidence. Only needs of other organisations than org vote, never
// the need with id self, and only those keep accepts (nil keeps all): the
// caller passes what the asker may see, so a draft never votes. It reads at
// most maxTitleRunes of the title and maxTextRunes of the description, and
// gives up, with ctx.Err(), soon after ctx ends.
func (s *CPVSuggester) Suggest(ctx context.Context, title, description string, ix *Index, self, org string, keep func(id string) bool, k int) ([]CPVSuggestion, error) {
	if k <= 0 || len(s.codes) == 0 {
		return nil, nil
	}
	var ms []Match
	if ix != nil && s.p.KNN > 0 && s.p.Vote > 0 {
		var err error
		// The voters are the needs most alike as pairs, not by theme:
		// needs of one theme (energy) buy under other codes (batteries,
		// solar lights), and with the topics in the score the vote found
		// the right group for fewer needs (docs/benchmarks.md).
		ms, err = ix.similar(ctx, &Need{ID: self, Org: org, Title: title, Description: description}, max(s.p.KNN, s.p.VoteRank), keep, false)
		if err != nil {
			return nil, err
		}
	}
	q := s.analyse(title, description)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.suggest(q, ms, k), nil
}

// cpvCand is a scored code.
type cpvCand struct {
	i           int
	score       float64
	text, voted float64
}

func (s *CPVSuggester) suggest(q *cpvQuery, ms []Match, k int) []CPVSuggestion {
	own, best, grp := s.labelScores(q)
	text := s.hierarchy(own)
	top := 0.0
	for _, x := range text {
		top = math.Max(top, x)
	}
	if top > 0 {
		// the groups whose labels as a whole speak of the text
		s.lmGroup.boost(text, grp, s.p.GroupW, s.p.GroupT, top)
		top = 0
		for _, x := range text {
			top = math.Max(top, x)
		}
	}
	v := s.votes(ms)
	// How well the text supports each group, for weighing votes.
	groupText := map[string]float64{}
	if top > 0 {
		for i := range s.codes {
			g := s.codes[i].group
			groupText[g] = math.Max(groupText[g], text[i]/top)
		}
	}
	// The best candidates of each group: the first PerGroup of a group
	// go before the rest of any group, so that one group does not take
	// every slot.
	per := max(s.p.PerGroup, 1)
	keep := max(k, per)
	byGroup := map[string][]cpvCand{}
	for i := range s.codes {
		t := 0.0
		if top > 0 {
			t = text[i] / top
		}
		c := &s.codes[i]
		// A group's votes lift the codes of the group the text supports;
		// the codes chosen by the voters get their own votes.
		vc := v.code[c.Code]*(s.p.VoteBase+(1-s.p.VoteBase)*groupText[c.group]) + s.p.VoteGroup*v.group[c.group]*t
		x := t + s.p.Vote*vc
		if x <= 0 {
			continue
		}
		cand := cpvCand{i, x, t, vc}
		b := byGroup[c.group]
		if len(b) == keep && !cand.better(b[keep-1]) {
			continue
		}
		j := sort.Search(len(b), func(j int) bool { return cand.better(b[j]) })
		byGroup[c.group] = slices.Insert(b, j, cand)[:min(len(b)+1, keep)]
	}
	var firsts, rest []cpvCand
	for _, b := range byGroup {
		n := min(per, len(b))
		firsts = append(firsts, b[:n]...)
		rest = append(rest, b[n:]...)
	}
	sortCands(firsts)
	sortCands(rest)
	var out []CPVSuggestion
	for _, c := range append(firsts, rest...) {
		if len(out) == k {
			break
		}
		out = append(out, s.suggestion(c, own, best, q, v))
	}
	return out
}

func (a cpvCand) better(b cpvCand) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.i < b.i
}

func sortCands(cs []cpvCand) {
	slices.SortFunc(cs, func(a, b cpvCand) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
}

func (s *CPVSuggester) suggestion(c cpvCand, own []float64, best []credit, q *cpvQuery, v *cpvVotes) CPVSuggestion {
	code := &s.codes[c.i]
	out := CPVSuggestion{Code: code.Code, CodeWithCheck: code.Code, LabelSV: code.LabelSV, LabelEN: code.LabelEN,
		Score: math.Round(c.score*1000) / 1000, Reasons: []arena.Msg{}}
	if code.Check != "" {
		out.CodeWithCheck = code.Code + "-" + code.Check
	}
	var vote *arena.Msg
	if n := v.n[code.Code]; n == 1 {
		vote = &arena.Msg{Key: "cpv.why.used_by_one"}
	} else if n > 1 {
		vote = new(arena.M("cpv.why.used_by_many", arena.F{"n": n}))
	} else if v.group[code.group] > 0 && c.voted > 0 {
		vote = &arena.Msg{Key: "cpv.why.same_group"}
	}
	// The votes come first when they weigh more than the text.
	votedFirst := vote != nil && s.p.Vote*c.voted >= c.text
	if votedFirst {
		out.Reasons = append(out.Reasons, *vote)
	}
	if c.text > 0 {
		if b := best[c.i]; b.stem != "" && own[c.i] > 0 {
			out.Reasons = append(out.Reasons, arena.M("cpv.why.label_word", arena.F{"word": q.surface[b.stem]}))
		} else {
			for p := code.parent; p >= 0; p = s.codes[p].parent {
				if b := best[p]; b.stem != "" {
					out.Reasons = append(out.Reasons, arena.M("cpv.why.parent_word",
						arena.F{"word": q.surface[b.stem], "parent": s.codes[p].LabelSV, "parent_code": s.codes[p].Code}))
					break
				}
			}
		}
		if n := len(out.Reasons); (n == 0 || votedFirst && n == 1) && c.text >= 0.05 {
			out.Reasons = append(out.Reasons, arena.M("cpv.why.label_like"))
		}
	}
	if vote != nil && !votedFirst {
		out.Reasons = append(out.Reasons, *vote)
	}
	return out
}
