package match

import (
	"sort"
)

// Explain says in words what q and c have in common: the concepts both
// use, heaviest first, as each need writes them ("trygghetslarm" ~ "larm"
// when one need's compound holds the other's word). Both needs are given
// with their full text.
func (ix *Index) Explain(q, c *Need, limit int) []SharedConcept {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	qs, cs := ix.sides(q), ix.sides(c)
	type cand struct {
		sc SharedConcept
		w  float64
	}
	var out []cand
	used := map[string]bool{}
	add := func(qw, cw string, w float64) {
		if used["q:"+qw] || used["c:"+cw] {
			return
		}
		used["q:"+qw], used["c:"+cw] = true, true
		out = append(out, cand{SharedConcept{Need: qw, Item: cw}, w})
	}
	// The same word (by stem) in both.
	for stem, qw := range qs.words {
		if cw, ok := cs.words[stem]; ok {
			add(qw.surface, cw.surface, ix.weightOf(stem)*2)
		}
	}
	// A word of one that is a compound part of the other's word.
	for part, qw := range qs.parts {
		if cw, ok := cs.words[part]; ok {
			add(qw.surface, cw.surface, ix.weightOf(part))
		} else if cw, ok := cs.parts[part]; ok && qw.surface != cw.surface {
			add(qw.surface, cw.surface, ix.weightOf(part)*0.8)
		}
	}
	for part, cw := range cs.parts {
		if qw, ok := qs.words[part]; ok {
			add(qw.surface, cw.surface, ix.weightOf(part))
		}
	}
	// Near forms: most of one word's n-grams in the other word.
	for stem, qw := range qs.words {
		if used["q:"+qw.surface] {
			continue
		}
		g := gramsOf(stem)
		best, bestW := "", 0.0
		for cstem, cw := range cs.words {
			if used["c:"+cw.surface] {
				continue
			}
			if j := gramJaccard(g, gramsOf(cstem)); j >= 0.5 && j > bestW {
				best, bestW = cw.surface, j
			}
		}
		if best != "" {
			add(qw.surface, best, ix.weightOf(stem)*bestW)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].w != out[j].w {
			return out[i].w > out[j].w
		}
		return out[i].sc.Need < out[j].sc.Need
	})
	res := make([]SharedConcept, 0, min(limit, len(out)))
	for _, c := range out {
		if len(res) == limit {
			break
		}
		res = append(res, c.sc)
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
	for _, text := range []string{n.Title, n.Description} {
		for _, w := range ix.an.analysedWords(text) {
			note(s.words, w.stem, w.surface)
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
