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
	// The need's words and parts by stem in order (maps are read in the
	// order of their keys, so that the same two needs are always explained
	// alike), and each word's n-grams.
	words, parts []string
	grams        [][]uint32
}

// Explainer returns the explainer of q's matches.
func (ix *Index) Explainer(q *Need) *Explainer {
	e := &Explainer{ix: ix, qs: ix.sides(q)}
	e.words = slices.Sorted(maps.Keys(e.qs.words))
	e.parts = slices.Sorted(maps.Keys(e.qs.parts))
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	e.grams = make([][]uint32, len(e.words))
	for i, stem := range e.words {
		e.grams[i] = ix.gramsOfStem(stem)
	}
	return e
}

// gramsOfStem is gramsOf(stem), from the vocabulary when it has the stem.
func (ix *Index) gramsOfStem(stem string) []uint32 {
	if id, ok := ix.v.lookup(stem); ok {
		return ix.v.terms[id].grams
	}
	return gramsOf(stem)
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
	// The same word (by stem) in both.
	for _, stem := range e.words {
		if cw, ok := cs.words[stem]; ok {
			add(qs.words[stem].surface, cw.surface, ix.weightOf(stem), 2)
		}
	}
	// A word of one that is a compound part of the other's word.
	for _, part := range e.parts {
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
	// word, so two long texts do not compare every pair of words: its
	// words' n-grams are sorted (n-gram, word) pairs, searched for each of
	// the need's n-grams.
	cstems := slices.Sorted(maps.Keys(cs.words))
	cgrams := make([]int, len(cstems)) // n-grams of each word
	var pairs []uint64
	for ci, cstem := range cstems {
		g := ix.gramsOfStem(cstem)
		cgrams[ci] = len(g)
		for _, x := range g {
			pairs = append(pairs, uint64(x)<<32|uint64(ci))
		}
	}
	slices.Sort(pairs)
	both := make([]int32, len(cstems)) // n-grams shared with the word at hand
	var touched []int32
	for qi, stem := range e.words {
		qw := qs.words[stem]
		if usedQ[qw.surface] {
			continue
		}
		g := e.grams[qi]
		for _, x := range g {
			i, _ := slices.BinarySearch(pairs, uint64(x)<<32)
			for ; i < len(pairs) && pairs[i]>>32 == uint64(x); i++ {
				ci := int32(pairs[i] & (1<<32 - 1))
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
			cw := cs.words[cstems[ci]].surface
			if usedC[cw] {
				continue
			}
			// the Jaccard overlap of the two n-gram sets (gramJaccard)
			if j := float64(n) / float64(len(g)+cgrams[ci]-n); j >= 0.5 && j > bestW {
				best, bestW = cw, j
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
