package match

import (
	"context"
	"math"
	"slices"
	"sort"
	"strings"
)

// DefaultMinItemScore is the score below which an item is noise. Items
// that share only everyday words or chance character n-grams with a need
// ("lösningar", "minska", inflection endings) score about 0.02–0.09; an item
// that shares what the need is about, as words or compound parts, scores
// from about 0.12 (one concept) to 0.4 (several, in the title).
const DefaultMinItemScore = 0.1

// Item is one thing a need can be matched to.
type Item struct {
	ID    string
	Title string
	Body  string
	Tags  []string // themes, subject areas, sector: each counts like a title phrase
}

// ItemMatch is a ranked item with the concepts it shares with the need.
type ItemMatch struct {
	ID     string
	Score  float64
	Shared []SharedConcept
}

// SharedConcept says in words what the need and the item have in common:
// the need's word and the item's word (they differ when matched through a
// compound part or a near form: "trygghetslarm" ~ "trygghet").
type SharedConcept struct {
	Need string `json:"need"`
	Item string `json:"item"`
}

// carryShare: a shared concept is given as a reason when its weight in
// the collection (its idf) is at least this share of the weightiest
// shared concept's; its part of a cosine, the square, is then at least a
// quarter. Words every text of the field uses ("omfattar",
// "leverantören", "lösningen") are shared by many pairs of texts and weigh
// little: they are named only when the match has nothing weightier (then
// they are what it shares), never beside the concepts that carry it.
const carryShare = 0.5

// carries says which of the concepts, of weights w (idf), are named: those
// of at least carryShare of the weightiest (one rule for needs and items).
func carries(w []float64) []bool {
	top := 0.0
	for _, x := range w {
		top = max(top, x)
	}
	out := make([]bool, len(w))
	for i, x := range w {
		out[i] = x >= carryShare*top
	}
	return out
}

// Scoring constants of a collection.
const (
	itemTitleWeight = 2   // a title or tag word counts as this many body words
	itemPartWeight  = 0.5 // a compound part counts as this share of a word
	itemWordShare   = 0.5 // share of the stem cosine in the score; the rest is n-grams
	itemMaxShared   = 6   // concepts given as reasons
	itemNearMin     = 0.5 // n-gram overlap at which two stems are near forms
	itemMinPart     = 4   // shortest compound part (in letters) used
)

// itemSuffixParts are "parts" the compound splitter finds in derived words
// (belys|ning, tryg|ghet): suffixes, not words.
var itemSuffixParts = map[string]bool{"ning": true, "ghet": true, "else": true, "ande": true, "ende": true, "skap": true, "tion": true}

// Collection ranks items against needs. Build it once per set of items
// with NewCollection; it is then safe for concurrent Rank calls. Its
// statistics (IDF over the items plus the need) are its own.
//
// An item's score is 0.5 × the cosine of TF-IDF vectors over stems (and
// compound parts at half weight) plus 0.5 × the cosine of TF-IDF vectors
// over the character 4-grams of the stems; a title or tag word counts twice.
// The need counts as one more document in the IDF, so the weights depend on
// the need; item norms are corrected per query for the terms they share
// with it.
type Collection struct {
	an        *Analyzer
	ids       []string
	docs      []itemDoc
	vocab     map[string]int32 // stem → index in terms and stems
	terms     []itemVocabTerm
	stems     []string
	grams     map[uint32][]itemPosting // gram → the items that have it
	forms     map[string]int32         // written forms over all items, for ties between forms
	wordNorm2 []float64                // squared norms with the items-only document frequencies
	gramNorm2 []float64
}

type itemVocabTerm struct {
	grams []uint32
	post  []itemPosting // items with the term, in item order; df = len(post)
}

type itemPosting struct {
	item int32
	tf   float64
}

// itemDoc is an analysed item or need.
type itemDoc struct {
	terms []itemTerm // sorted by stem
	grams []itemGram // sorted by gram
}

// itemTerm is a stem or compound part of one text.
type itemTerm struct {
	stem  string
	whole float64    // weighted occurrences as a word
	part  float64    // weighted occurrences as a compound part (already scaled)
	forms []itemForm // how the word was written
	from  []itemForm // the words it was a part of
	// meant: a word of the text, or a part of a compound that means its
	// parts (analysed.transparent); only such terms are given as shared
	// concepts, as for needs (Index.Explain). The ranking counts every
	// part itemPartOK lets through: arena-bench collection measured the
	// transparency test there as no better on either labelled set.
	meant bool
}

type itemForm struct {
	s string
	n int32
}

type itemGram struct {
	g uint32
	c float64
}

type itemField struct {
	text string
	w    float64
}

// NewCollection analyses the items and builds the collection's statistics.
// Item IDs should be unique; items are kept in the given order for ties.
// Of each item it reads at most maxTitleRunes of the title and of each of
// the first maxItemTags tags and maxTextRunes of the body. It gives up, with
// ctx.Err(), soon after ctx ends.
func NewCollection(ctx context.Context, an *Analyzer, items []Item) (*Collection, error) {
	c := &Collection{
		an:        an,
		ids:       make([]string, len(items)),
		docs:      make([]itemDoc, len(items)),
		vocab:     map[string]int32{},
		grams:     map[uint32][]itemPosting{},
		forms:     map[string]int32{},
		wordNorm2: make([]float64, len(items)),
		gramNorm2: make([]float64, len(items)),
	}
	for i, it := range items {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		tags := it.Tags[:min(len(it.Tags), maxItemTags)]
		fields := make([]itemField, 0, 2+len(tags))
		fields = append(fields, itemField{clip(it.Title, maxTitleRunes), itemTitleWeight})
		for _, tag := range tags {
			fields = append(fields, itemField{clip(tag, maxTitleRunes), itemTitleWeight})
		}
		fields = append(fields, itemField{clip(it.Body, maxTextRunes), 1})
		d := analyseItem(an, fields)
		c.ids[i] = it.ID
		c.docs[i] = d
		for _, t := range d.terms {
			id, ok := c.vocab[t.stem]
			if !ok {
				id = int32(len(c.terms))
				c.vocab[t.stem] = id
				c.terms = append(c.terms, itemVocabTerm{grams: gramsOf(t.stem)})
				c.stems = append(c.stems, t.stem)
			}
			c.terms[id].post = append(c.terms[id].post, itemPosting{int32(i), itemTF(t.whole + t.part)})
			for _, f := range t.forms {
				c.forms[f.s] += f.n
			}
		}
		for _, g := range d.grams {
			c.grams[g.g] = append(c.grams[g.g], itemPosting{int32(i), itemTF(g.c)})
		}
	}
	for i, d := range c.docs {
		if i%checkEvery == checkEvery-1 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var w2, g2 float64
		for _, t := range d.terms {
			w := itemTF(t.whole+t.part) * c.idf(len(c.terms[c.vocab[t.stem]].post))
			w2 += w * w
		}
		for _, g := range d.grams {
			w := itemTF(g.c) * c.idf(len(c.grams[g.g]))
			g2 += w * w
		}
		c.wordNorm2[i], c.gramNorm2[i] = w2, g2
		c.docs[i].grams = nil // in the postings now
	}
	return c, nil
}

// Len returns the number of items.
func (c *Collection) Len() int { return len(c.ids) }

// idf is the inverse document frequency over the items plus the need.
func (c *Collection) idf(df int) float64 {
	n := float64(len(c.ids) + 1)
	return math.Log((n+1)/(float64(df)+1)) + 1
}

// itemTF damps repeated words; weighted counts below one (a part seen
// once) stay proportional.
func itemTF(c float64) float64 {
	if c <= 0 {
		return 0
	}
	if c < 1 {
		return c
	}
	return 1 + math.Log(c)
}

// analyseItem turns weighted texts into sorted terms and n-grams.
func analyseItem(an *Analyzer, fields []itemField) itemDoc {
	terms := map[string]*itemTerm{}
	get := func(stem string) *itemTerm {
		t := terms[stem]
		if t == nil {
			t = &itemTerm{stem: stem}
			terms[stem] = t
		}
		return t
	}
	partOK := map[string]bool{}
	for _, f := range fields {
		if f.text == "" {
			continue
		}
		an.eachAnalysed(f.text, nil, func(w *analysed) {
			t := get(w.stem)
			t.whole += f.w
			t.meant = true
			t.forms = addForm(t.forms, w.surface)
			for _, p := range w.parts {
				if p == w.stem {
					continue
				}
				ok, seen := partOK[p]
				if !seen {
					ok = itemPartOK(an, p)
					partOK[p] = ok
				}
				if !ok {
					continue
				}
				pt := get(p)
				pt.meant = pt.meant || w.transparent
				pt.part += itemPartWeight * f.w
				pt.from = addForm(pt.from, w.surface)
			}
		})
	}
	d := itemDoc{terms: make([]itemTerm, 0, len(terms))}
	for _, t := range terms {
		d.terms = append(d.terms, *t)
	}
	sort.Slice(d.terms, func(i, j int) bool { return d.terms[i].stem < d.terms[j].stem })
	// Grams come from whole words only: a compound's grams cover its parts.
	grams := map[uint32]float64{}
	for _, t := range d.terms {
		if t.whole == 0 {
			continue
		}
		for _, g := range gramsOf(t.stem) {
			grams[g] += t.whole
		}
	}
	d.grams = make([]itemGram, 0, len(grams))
	for g, x := range grams {
		d.grams = append(d.grams, itemGram{g, x})
	}
	sort.Slice(d.grams, func(i, j int) bool { return d.grams[i].g < d.grams[j].g })
	return d
}

// itemPartOK says whether a compound part is worth matching on. Short
// parts (upp, för, hem, tid), stop words and suffixes more often join
// unrelated words (uppföljning, upphandling) than related ones.
func itemPartOK(an *Analyzer, p string) bool {
	if len([]rune(p)) < itemMinPart || itemSuffixParts[p] {
		return false
	}
	return len(an.Tokens(p)) == 1
}

func addForm(fs []itemForm, s string) []itemForm {
	for i := range fs {
		if fs[i].s == s {
			fs[i].n++
			return fs
		}
	}
	return append(fs, itemForm{s, 1})
}

// surface is the most common written form of a term in one text: as a
// word when it was written as one, else the compound it was part of. Ties
// go to prefer (the need's word, so that both sides read alike), then to
// the form more common in the collection, then the shorter.
func (c *Collection) surface(t *itemTerm, prefer string) string {
	fs := t.forms
	if len(fs) == 0 {
		fs = t.from
	}
	best := itemForm{s: t.stem}
	for i, f := range fs {
		if i == 0 || f.n > best.n || f.n == best.n && c.betterForm(f.s, best.s, prefer) {
			best = f
		}
	}
	return best.s
}

// betterForm breaks a tie between written forms a and b.
func (c *Collection) betterForm(a, b, prefer string) bool {
	if (a == prefer) != (b == prefer) {
		return a == prefer
	}
	if na, nb := c.forms[a], c.forms[b]; na != nb {
		return na > nb
	}
	if la, lb := len([]rune(a)), len([]rune(b)); la != lb {
		return la < lb
	}
	return a < b
}

// itemQuery is an analysed need with its weights in the collection.
type itemQuery struct {
	doc   itemDoc
	w     []float64  // word weight of each term
	df    []int      // item document frequency of each term
	grams [][]uint32 // n-grams of each term's stem
	near  map[int32][]itemNearHit
	// byGram: n-gram → the need's whole words with it, built on first use
	// by nearOf
	byGram map[uint32][]int32
}

// itemNearHit is a need term near a collection term.
type itemNearHit struct {
	a   int // index in the need's terms
	sim float64
}

// nearOf returns the need's whole words near collection term id, computed
// once per query (items share most of their words). Near words share an
// n-gram (a word that begins or ends the other shares its first or last),
// so only the need's words with one of the term's n-grams are compared,
// in the need's order.
func (q *itemQuery) nearOf(c *Collection, id int32) []itemNearHit {
	if hits, ok := q.near[id]; ok {
		return hits
	}
	if q.byGram == nil {
		q.byGram = map[uint32][]int32{}
		for a, t := range q.doc.terms {
			if t.whole == 0 {
				continue
			}
			for _, g := range q.grams[a] {
				q.byGram[g] = append(q.byGram[g], int32(a))
			}
		}
	}
	var cands []int32
	for _, g := range c.terms[id].grams {
		cands = append(cands, q.byGram[g]...)
	}
	slices.Sort(cands)
	var hits []itemNearHit
	stem := c.stems[id]
	for _, a := range slices.Compact(cands) {
		t := &q.doc.terms[a]
		if t.stem == stem {
			continue
		}
		if sim := itemNear(t.stem, stem, q.grams[a], c.terms[id].grams); sim > 0 {
			hits = append(hits, itemNearHit{int(a), sim})
		}
	}
	q.near[id] = hits
	return hits
}

// Rank returns items scoring at least min, best first (ties by ID), at
// most k (all when k <= 0); keep filters items by ID (nil keeps all). The
// need's sector counts like a title phrase, as an item's tags do. It gives
// up, with ctx.Err(), soon after ctx ends.
func (c *Collection) Rank(ctx context.Context, n *Need, k int, min float64, keep func(id string) bool) ([]ItemMatch, error) {
	return c.RankText(ctx, c.Analyse(n), k, min, keep)
}

// ItemText is a need's text analysed for ranking items: every collection
// of the analyzer that made it ranks with it (RankText), so a need's page,
// which ranks four kinds of item, analyses the text once.
type ItemText struct {
	an   *Analyzer
	need *Need
	doc  itemDoc
}

// Analyse analyses n's title, sector and description for RankText.
func (c *Collection) Analyse(n *Need) *ItemText {
	t := n.texts()
	return &ItemText{an: c.an, need: n,
		doc: analyseItem(c.an, []itemField{{t[0], itemTitleWeight}, {clip(n.Sector, maxTitleRunes), itemTitleWeight}, {t[1], 1}})}
}

// RankText is Rank of a need analysed by Analyse, by this collection or
// another of the same analyzer (of another, the need is analysed again).
func (c *Collection) RankText(ctx context.Context, text *ItemText, k int, min float64, keep func(id string) bool) ([]ItemMatch, error) {
	if text.an != c.an {
		text = c.Analyse(text.need)
	}
	q := c.query(text.doc)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m := len(c.ids)
	dotW, adjW := make([]float64, m), make([]float64, m)
	dotG, adjG := make([]float64, m), make([]float64, m)
	var qW2, qG2 float64
	for j, t := range q.doc.terms {
		var post []itemPosting
		if id, ok := c.vocab[t.stem]; ok {
			post = c.terms[id].post
		}
		qW2 += q.w[j] * q.w[j]
		idf0, idf1 := c.idf(len(post)), c.idf(len(post)+1)
		for _, p := range post {
			dotW[p.item] += q.w[j] * p.tf * idf1
			adjW[p.item] += p.tf * p.tf * (idf1*idf1 - idf0*idf0)
		}
	}
	for _, g := range q.doc.grams {
		post := c.grams[g.g]
		idf0, idf1 := c.idf(len(post)), c.idf(len(post)+1)
		w := itemTF(g.c) * idf1
		qG2 += w * w
		for _, p := range post {
			dotG[p.item] += w * p.tf * idf1
			adjG[p.item] += p.tf * p.tf * (idf1*idf1 - idf0*idf0)
		}
	}
	type ranked struct {
		i     int
		score float64
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []ranked
	for i, id := range c.ids {
		if keep != nil && !keep(id) {
			continue
		}
		s := itemWordShare*itemCosine(dotW[i], qW2, c.wordNorm2[i]+adjW[i]) +
			(1-itemWordShare)*itemCosine(dotG[i], qG2, c.gramNorm2[i]+adjG[i])
		if s >= min {
			out = append(out, ranked{i, s})
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].score != out[b].score {
			return out[a].score > out[b].score
		}
		return c.ids[out[a].i] < c.ids[out[b].i]
	})
	if k > 0 && len(out) > k {
		out = out[:k]
	}
	res := make([]ItemMatch, len(out))
	for j, r := range out {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		res[j] = ItemMatch{ID: c.ids[r.i], Score: r.score, Shared: c.shared(q, r.i)}
	}
	return res, nil
}

func itemCosine(dot, a2, b2 float64) float64 {
	if dot <= 0 || a2 <= 0 || b2 <= 0 {
		return 0
	}
	return math.Min(1, dot/math.Sqrt(a2*b2))
}

// query weighs the terms of an analysed need with the collection's
// statistics, the need counting as one more document.
func (c *Collection) query(d itemDoc) *itemQuery {
	q := &itemQuery{doc: d, w: make([]float64, len(d.terms)), df: make([]int, len(d.terms)), grams: make([][]uint32, len(d.terms)), near: map[int32][]itemNearHit{}}
	for j, t := range d.terms {
		if id, ok := c.vocab[t.stem]; ok {
			q.df[j] = len(c.terms[id].post)
			q.grams[j] = c.terms[id].grams
		} else {
			q.grams[j] = gramsOf(t.stem)
		}
		q.w[j] = itemTF(t.whole+t.part) * c.idf(q.df[j]+1)
	}
	return q
}

// shared lists the concepts the need and item i have in common, heaviest
// contribution first: the same stem (as a word or a compound part on
// either side), else two different words whose stems are near (itemNear).
func (c *Collection) shared(q *itemQuery, i int) []SharedConcept {
	d := &c.docs[i]
	type cand struct {
		need, item string
		w          float64
		idf        float64 // of the stem: what carries weighs
		near       bool
	}
	var cands []cand
	qIn := make([]bool, len(q.doc.terms)) // need term the item has
	dIn := make([]bool, len(d.terms))     // item term the need has
	for a, b := 0, 0; a < len(q.doc.terms) && b < len(d.terms); {
		qt, dt := &q.doc.terms[a], &d.terms[b]
		switch {
		case qt.stem == dt.stem:
			qIn[a], dIn[b] = true, true
			if qt.meant && dt.meant { // not through a split that does not mean its parts
				w := q.w[a] * itemTF(dt.whole+dt.part) * c.idf(q.df[a]+1)
				ns := c.surface(qt, "")
				cands = append(cands, cand{ns, c.surface(dt, ns), w, c.idf(q.df[a] + 1), false})
			}
			a++
			b++
		case qt.stem < dt.stem:
			a++
		default:
			b++
		}
	}
	for b := range d.terms {
		dt := &d.terms[b]
		if dIn[b] || dt.whole == 0 {
			continue
		}
		id := c.vocab[dt.stem]
		for _, h := range q.nearOf(c, id) {
			if qIn[h.a] {
				continue
			}
			qt := &q.doc.terms[h.a]
			// A near form counts in the n-gram half of the score only.
			w := (1 - itemWordShare) * h.sim * itemTF(qt.whole) * c.idf(q.df[h.a]+1) * itemTF(dt.whole) * c.idf(len(c.terms[id].post))
			cands = append(cands, cand{c.surface(qt, ""), c.surface(dt, ""), w, c.idf(len(c.terms[id].post)), true})
		}
	}
	sort.Slice(cands, func(a, b int) bool {
		if cands[a].w != cands[b].w {
			return cands[a].w > cands[b].w
		}
		if cands[a].need != cands[b].need {
			return cands[a].need < cands[b].need
		}
		return cands[a].item < cands[b].item
	})
	// A near form of an item word already given says nothing new
	// (trygghetslarm ~ larm, larmkedja ~ larm); nor does another pairing
	// of a need word the item has as it is (innovationsupphandling, not
	// also innovationsupphandling ~ upphandlingen through its part).
	itemHas := map[string]bool{}
	for _, x := range cands {
		if strings.EqualFold(x.need, x.item) {
			itemHas[strings.ToLower(x.need)] = true
		}
	}
	var named []cand
	seen := map[SharedConcept]bool{}
	given := map[string]bool{}
	for _, x := range cands {
		sc := SharedConcept{Need: x.need, Item: x.item}
		if seen[sc] || x.near && given[x.item] || itemHas[strings.ToLower(x.need)] && !strings.EqualFold(x.need, x.item) {
			continue
		}
		seen[sc] = true
		given[x.item] = true
		named = append(named, x)
	}
	idf := make([]float64, len(named))
	for j, x := range named {
		idf[j] = x.idf
	}
	var out []SharedConcept
	for j, ok := range carries(idf) {
		if ok && len(out) < itemMaxShared {
			out = append(out, SharedConcept{Need: named[j].need, Item: named[j].item})
		}
	}
	return out
}

// itemNear is how near two different stems are as forms of one concept,
// 0 when they are not: their n-gram overlap when it is at least
// itemNearMin (digitala ~ digitalt), or itemPartWeight when one of at least
// itemMinPart letters begins or ends the other, a compound part the
// dictionary lacks (trygghet ~ trygghetslarm, larm ~ trygghetslarm).
func itemNear(a, b string, ag, bg []uint32) float64 {
	j := 0.0
	if float64(min(len(ag), len(bg))) >= itemNearMin*float64(max(len(ag), len(bg))) {
		j = gramJaccard(ag, bg) // else it cannot reach itemNearMin
	}
	if j >= itemNearMin {
		return j
	}
	short, long := a, b
	if len(short) > len(long) {
		short, long = long, short
	}
	if len([]rune(short)) >= itemMinPart && (strings.HasPrefix(long, short) || strings.HasSuffix(long, short)) {
		return itemPartWeight
	}
	return 0
}
