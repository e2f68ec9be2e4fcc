package match

import (
	"maps"
	"slices"
	"sort"
)

// Explain says in words what q and c have in common: the concepts both
// use, heaviest first, as each need writes them ("trygghetslarm" ~ "larm"
// when one need's compound holds the other's word). Both needs are given
// with their full text.
func (ix *Index) Explain(q, c *Need, limit int) []SharedConcept {
	return ix.Explainer(q).Explain(c, limit)
}

// Explainer explains the matches of one need: its words are read once,
// not again for each match.
type Explainer struct {
	ix *Index
	qs side
}

// Explainer returns the explainer of q's matches.
func (ix *Index) Explainer(q *Need) *Explainer {
	return &Explainer{ix: ix, qs: ix.sides(q)}
}

// Explain is Index.Explain of the explainer's need and c.
func (e *Explainer) Explain(c *Need, limit int) []SharedConcept {
	ix, qs := e.ix, e.qs
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	cs := ix.sides(c)
	type cand struct {
		sc  SharedConcept
		w   float64
		idf float64 // of the stem: what carries weighs
	}
	var out []cand
	usedQ, usedC := map[string]bool{}, map[string]bool{} // written forms already given
	add := func(qw, cw string, idf, w float64) {
		if usedQ[qw] || usedC[cw] {
			return
		}
		usedQ[qw], usedC[cw] = true, true
		out = append(out, cand{SharedConcept{Need: qw, Item: cw}, idf * w, idf})
	}
	// Maps are read in the order of their keys, so that the same two needs
	// are always explained alike.
	qWords := slices.Sorted(maps.Keys(qs.words))
	// The same word (by stem) in both.
	for _, stem := range qWords {
		if cw, ok := cs.words[stem]; ok {
			add(qs.words[stem].surface, cw.surface, ix.weightOf(stem), 2)
		}
	}
	// A word of one that is a compound part of the other's word.
	for _, part := range slices.Sorted(maps.Keys(qs.parts)) {
		qw := qs.parts[part]
		if cw, ok := cs.words[part]; ok {
			add(qw.surface, cw.surface, ix.weightOf(part), 1)
		} else if cw, ok := cs.parts[part]; ok && qw.surface != cw.surface {
			add(qw.surface, cw.surface, ix.weightOf(part), 0.8)
		}
	}
	for _, part := range slices.Sorted(maps.Keys(cs.parts)) {
		if qw, ok := qs.words[part]; ok {
			add(qw.surface, cs.parts[part].surface, ix.weightOf(part), 1)
		}
	}
	// Near forms: most of one word's n-grams in the other word. The other
	// need's words are reached through the n-grams they share with the
	// word, so two long texts do not compare every pair of words.
	type cword struct {
		surface string
		grams   int
	}
	var cws []cword
	byGram := map[uint32][]int32{}
	for _, cstem := range slices.Sorted(maps.Keys(cs.words)) {
		g := gramsOf(cstem)
		for _, x := range g {
			byGram[x] = append(byGram[x], int32(len(cws)))
		}
		cws = append(cws, cword{cs.words[cstem].surface, len(g)})
	}
	both := make([]int32, len(cws)) // n-grams shared with the word at hand
	var touched []int32
	for _, stem := range qWords {
		qw := qs.words[stem]
		if usedQ[qw.surface] {
			continue
		}
		g := gramsOf(stem)
		for _, x := range g {
			for _, ci := range byGram[x] {
				if both[ci] == 0 {
					touched = append(touched, ci)
				}
				both[ci]++
			}
		}
		slices.Sort(touched)
		best, bestW := "", 0.0
		for _, ci := range touched {
			n := int(both[ci])
			both[ci] = 0
			cw := cws[ci]
			if usedC[cw.surface] {
				continue
			}
			// the Jaccard overlap of the two n-gram sets (gramJaccard)
			if j := float64(n) / float64(len(g)+cw.grams-n); j >= 0.5 && j > bestW {
				best, bestW = cw.surface, j
			}
		}
		touched = touched[:0]
		if best != "" {
			add(qw.surface, best, ix.weightOf(stem), bestW)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].w != out[j].w {
			return out[i].w > out[j].w
		}
		return out[i].sc.Need < out[j].sc.Need
	})
	idf := make([]float64, len(out))
	for i, c := range out {
		idf[i] = c.idf
	}
	res := make([]SharedConcept, 0, min(limit, len(out)))
	for i, ok := range carries(idf) {
		if ok && len(res) < limit {
			res = append(res, out[i].sc)
		}
	}
	return res
}

type sideWord struct {
	surface string
	n       int
}

// side is a need's words by stem and its compound parts by part stem,
// each with the written form most used.
type side struct {
	words map[string]*sideWord
	parts map[string]*sideWord
}

func (ix *Index) sides(n *Need) side {
	s := side{words: map[string]*sideWord{}, parts: map[string]*sideWord{}}
	note := func(m map[string]*sideWord, key, surface string) {
		if w := m[key]; w != nil {
			w.n++
		} else {
			m[key] = &sideWord{surface: surface, n: 1}
		}
	}
	for _, text := range n.texts() {
		for _, w := range ix.an.analysedWords(text) {
			note(s.words, w.stem, w.surface)
			if !w.transparent {
				continue // no reason through parts the word does not mean (röjning ~ belysning through -ning)
			}
			for _, p := range w.parts {
				if p != w.stem && len([]rune(p)) > minPart {
					note(s.parts, p, w.surface)
				}
			}
		}
	}
	return s
}

// weightOf is a stem's idf in the index (a stem it has never seen weighs
// as a rare one).
func (ix *Index) weightOf(stem string) float64 {
	if id, ok := ix.v.lookup(stem); ok {
		return ix.st.idf(id)
	}
	return log1p(ix.st.n) + 1
}
