package match

import (
	"bufio"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"sync"
	"unicode"
)

// Compounds splits Swedish compounds into their parts with the Hunspell
// word list in nlp/sv_compound_parts.tsv: a word of the list, an optional
// linking letter (trygghet-s-larm, gat-u-belysning), then more words, the
// last of which may end a compound. No library does this for Swedish.
type Compounds struct {
	words map[string]bool // may stand first or in the middle
	ends  map[string]bool // may end a compound
	// freq is how often each word form stands alone in the corpora of
	// the reference folder (nil without them). It tells a real split
	// from one the word lists merely allow (splitPays, after Koehn and
	// Knight 2003): trygghetslarm is trygghet + larm, but kommun is not
	// kom(a) + mun nor lösning lös + ning. Match reasons give only real
	// splits; ranking and CPV suggestion use every split.
	freq map[string]int32
}

// CompoundsFile is where the parts list lives in a reference folder.
const CompoundsFile = "nlp/sv_compound_parts.tsv"

// ReadCompounds reads the parts list from a reference folder; it returns
// nil and no error when the file is not there.
func ReadCompounds(dataDir string) (*Compounds, error) {
	path := filepath.Join(dataDir, CompoundsFile)
	f, err := openOptional(path)
	if f == nil || err != nil {
		return nil, err
	}
	defer f.Close()
	c := &Compounds{words: map[string]bool{}, ends: map[string]bool{}}
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		if line == 1 {
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 5 {
			return nil, fmt.Errorf("%s: line %d: want 6 columns", path, line)
		}
		w := strings.ToLower(cols[0])
		if len([]rune(w)) < 3 || strings.ContainsAny(w, "-., ") {
			continue
		}
		c.words[w] = true
		if cols[3] == "1" {
			c.ends[w] = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	// The parts list lacks many plain nouns (gata, skola); the Hunspell
	// dictionary's base forms fill the gap as parts of either place.
	if err := c.readDic(filepath.Join(dataDir, HunspellDic)); err != nil {
		return nil, err
	}
	freq, err := readWordFreq(dataDir)
	if err != nil {
		return nil, err
	}
	c.freq = freq
	return c, nil
}

// wordFreqs remembers the corpora's word counts per reference folder: the
// files do not change while Arena runs, and counting takes a while.
var wordFreqs struct {
	sync.Mutex
	m map[string]map[string]int32
}

// readWordFreq counts the written forms of the words of the corpora in a
// reference folder (BackgroundFiles); nil without error when none is
// there.
func readWordFreq(dataDir string) (map[string]int32, error) {
	wordFreqs.Lock()
	defer wordFreqs.Unlock()
	if m, ok := wordFreqs.m[dataDir]; ok {
		return m, nil
	}
	freq, err := countCorpusWords(dataDir)
	if err != nil {
		return nil, err
	}
	if wordFreqs.m == nil {
		wordFreqs.m = map[string]map[string]int32{}
	}
	wordFreqs.m[dataDir] = freq
	return freq, nil
}

// countCorpusWords is readWordFreq's count, made each time it is called.
func countCorpusWords(dataDir string) (map[string]int32, error) {
	freq := map[string]int32{}
	docs, err := eachCorpusDoc(dataDir, func(title, text string) {
		countWords(freq, title)
		countWords(freq, text)
	})
	if err != nil || docs == 0 {
		return nil, err
	}
	return freq, nil
}

// HunspellDic is the Hunspell dictionary in a reference folder.
const HunspellDic = "nlp/hunspell-sv/sv_SE.dic"

func (c *Compounds) readDic(path string) error {
	f, err := openOptional(path)
	if f == nil || err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	first := true
	for sc.Scan() {
		if first { // the first line is the entry count
			first = false
			continue
		}
		w, _, _ := strings.Cut(sc.Text(), "/")
		w = strings.TrimSpace(w)
		if len([]rune(w)) < 3 || strings.ContainsAny(w, "-., ") || strings.ToLower(w) != w {
			continue // short words, phrases and proper names split badly
		}
		c.words[w] = true
		c.ends[w] = true
	}
	return sc.Err()
}

// NewCompounds builds a splitter from word lists, for tests.
func NewCompounds(words, ends []string) *Compounds {
	c := &Compounds{words: map[string]bool{}, ends: map[string]bool{}}
	for _, w := range words {
		c.words[w] = true
	}
	for _, w := range ends {
		c.words[w] = true
		c.ends[w] = true
	}
	return c
}

const minPart = 3

// Split returns the stems of the parts of a compound word, or nil when the
// word cannot be split into known words. It prefers the split with the
// fewest parts, then the longest last part (the head of a Swedish compound).
// A word is cut at maxWordRunes first.
func (c *Compounds) Split(word string) []string {
	out, _ := c.split(word)
	return out
}

// split is Split, and whether the split pays (splitPays; true without the
// corpora).
func (c *Compounds) split(word string) (stems []string, pays bool) {
	r := []rune(clip(word, maxWordRunes))
	if len(r) < 2*minPart+1 {
		return nil, false
	}
	sp := splitter{c: c, r: r, memo: make([][]string, len(r)+1), done: make([]bool, len(r)+1)}
	parts := sp.split(len(r), true)
	if len(parts) < 2 {
		return nil, false
	}
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = Stem(p)
	}
	return out, c.freq == nil || c.splitPays(string(r), parts)
}

// countWords counts the words of text that stand alone: not the pieces of
// a word written with a hyphen (utpress-ning, mat- och restavfall), which
// are no words of their own.
func countWords(freq map[string]int32, text string) {
	for _, f := range strings.FieldsFunc(plain(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' }) {
		if !strings.Contains(f, "-") {
			freq[strings.ToLower(clip(f, maxWordRunes))]++
		}
	}
}

// splitPays reports whether a word's parts, as the splitter found them
// (gata for gatu-), are words of their own in the corpora, more common
// than the word is: the geometric mean of their counts above the word's
// count. A part never seen alone (ning in belysning) or that is a stop
// word (till in tillstånd) is no word of its own.
func (c *Compounds) splitPays(word string, parts []string) bool {
	logMean := 0.0
	for _, p := range parts {
		n := c.freq[p]
		if n == 0 || isNoise(p) {
			return false
		}
		logMean += math.Log(float64(n))
	}
	logMean /= float64(len(parts))
	return logMean > math.Log(float64(c.freq[word]))
}

// splitter splits one word. Every inner split is of a prefix of the word
// (what stands before a head), so each prefix's split is found once and
// remembered: searched afresh, the splits of a word made of many short
// words multiply.
type splitter struct {
	c    *Compounds
	r    []rune
	memo [][]string // prefix length → its split as a modifier
	done []bool
}

// split finds parts for the first n runes; last says they must end with a
// compound end.
func (sp *splitter) split(n int, last bool) []string {
	if !last && sp.done[n] {
		return sp.memo[n]
	}
	c, r := sp.c, sp.r[:n]
	best := []string(nil)
	// Try the longest head first: split point i leaves r[i:] as the head.
	for i := minPart; i <= len(r)-minPart; i++ {
		head := string(r[i:])
		ok := c.ends[head] || (!last && c.words[head])
		if !ok {
			// an inflected head: sopbilar, larmet
			ok = c.ends[Stem(head)] || c.ends[strings.TrimSuffix(head, "en")] || c.ends[strings.TrimSuffix(head, "ar")]
		}
		if !ok {
			continue
		}
		for _, mod := range sp.modifiers(i) {
			cand := append(append([]string{}, mod...), head)
			if best == nil || len(cand) < len(best) {
				best = cand
			}
		}
		if best != nil && len(best) == 2 {
			break
		}
	}
	if !last {
		sp.memo[n], sp.done[n] = best, true
	}
	return best
}

// modifiers returns the ways the first n runes, the first part of a
// compound, split into known words, allowing a linking s, u, e or a.
func (sp *splitter) modifiers(n int) [][]string {
	c, r := sp.c, sp.r[:n]
	var out [][]string
	w := string(r)
	switch {
	case c.words[w]:
		out = append(out, []string{w})
	case n > minPart && strings.ContainsRune("suea", r[n-1]) && c.words[string(r[:n-1])]:
		out = append(out, []string{string(r[:n-1])}) // trygghet-s-
	case n > minPart && strings.ContainsRune("uoe", r[n-1]) && c.words[string(r[:n-1])+"a"]:
		out = append(out, []string{string(r[:n-1]) + "a"}) // gatu- for gata, kyrko- for kyrka
	case c.words[w+"a"]:
		out = append(out, []string{w + "a"}) // skol- for skola
	}
	if len(out) > 0 || n < 2*minPart {
		return out
	}
	if rest := sp.split(n, false); len(rest) > 1 {
		out = append(out, rest)
	}
	if n > 2*minPart && strings.ContainsRune("suea", r[n-1]) {
		if rest := sp.split(n-1, false); len(rest) > 1 {
			out = append(out, rest)
		}
	}
	return out
}
