// Package match finds, for a procurement need, the needs of other
// organisations that describe the same underlying need, and the calls,
// projects, experts and networks that fit it, each with reasons a person can
// read. The same ranking serves the API and the offline match-file command.
package match

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/swedish"
	"golang.org/x/text/unicode/norm"
)

// Token is one word of a text: as written (lower case) and its stem.
type Token struct {
	Surface string
	Stem    string
}

// Analyzer turns Swedish (and some English) procurement text into tokens:
// normalised, stop words dropped, Snowball-stemmed, and compounds split into
// parts when a compound dictionary is loaded. Compounds are also caught
// without a dictionary, through the character n-grams the ranking uses.
type Analyzer struct {
	compounds *Compounds
	// cache remembers the analysis of written words: words repeat, and
	// stemming and compound splitting dominate the cost of a build.
	cache     [cacheShards]cacheShard
	cacheSize atomic.Int64
}

const cacheShards = 64

type cacheShard struct {
	mu sync.RWMutex
	m  map[string]*analysed
}

type analysed struct {
	surface string
	stem    string
	parts   []string
	// transparent: the parts are common words of their own, more common
	// than the word (Compounds.splitPays), so the word means what they
	// say (trygghetslarm), not a word the dictionary merely lets split
	// (kommun as kom(a) + mun, lösning as lös + ning). Only such parts are
	// given as reasons.
	transparent bool
	noise       bool
	// ref caches the word's term ids in the vocabulary that last interned
	// it, so building an index does not look each word up again.
	ref atomic.Pointer[vocabRef]
}

type vocabRef struct {
	v     *vocab
	id    termID
	parts []termID
}

// maxCache bounds the word cache; past it, words are analysed each time.
const maxCache = 300_000

func (a *Analyzer) word(w string) *analysed {
	w = clip(w, maxWordRunes)
	sh := &a.cache[fnv32(w)%cacheShards]
	sh.mu.RLock()
	r := sh.m[w]
	sh.mu.RUnlock()
	if r != nil {
		return r
	}
	r = &analysed{surface: w, noise: isNoise(w)}
	if !r.noise {
		r.stem = Stem(w)
		if a.compounds != nil {
			r.parts, r.transparent = a.compounds.split(w)
		}
	}
	if a.cacheSize.Load() < maxCache {
		sh.mu.Lock()
		if sh.m == nil {
			sh.m = map[string]*analysed{}
		}
		if sh.m[w] == nil {
			sh.m[w] = r
			a.cacheSize.Add(1)
		}
		sh.mu.Unlock()
	}
	return r
}

func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// NewAnalyzer returns an analyzer; compounds may be nil.
func NewAnalyzer(c *Compounds) *Analyzer { return &Analyzer{compounds: c} }

// Words splits text into lower-case words: letters and digits, with
// hyphenated words kept whole ("led-belysning") as well as in parts. A word
// is cut at maxWordRunes runes.
func Words(text string) []string {
	var out []string
	for _, w := range words(text) {
		out = append(out, w.text)
	}
	return out
}

// word is a lower-cased word and whether it was written as a name: with a
// capital initial inside a sentence (Trafikverket, Grisslehamn). Names tell
// who and where, not what is needed; all-capital abbreviations (LED, SÄBO)
// are not names.
type word struct {
	text string
	name bool
}

func words(text string) []word {
	var out []word
	eachWord(text, func(w word) { out = append(out, w) })
	return out
}

// eachWord calls yield with each word of text in order, as words returns
// them, without collecting them: a build reads a million texts.
func eachWord(text string, yield func(word)) {
	text = plain(text)
	start := -1
	hyphen := false
	sentenceStart := true
	flush := func(end int) {
		if start < 0 {
			return
		}
		raw := text[start:end]
		if hyphen {
			raw = strings.Trim(raw, "-")
		}
		start = -1
		if raw == "" {
			return
		}
		name := !sentenceStart && isName(raw)
		sentenceStart = false
		w := strings.ToLower(raw)
		if hyphen && strings.Contains(w, "-") {
			parts := strings.Split(w, "-")
			joined := strings.Join(parts, "")
			for _, p := range parts {
				if p != "" {
					yield(word{clip(p, maxWordRunes), name})
				}
			}
			// "mat- och restavfall": a part that ends in a hyphen is a
			// shortened compound; the joined form is the whole word.
			if len(parts) > 1 && joined != "" {
				yield(word{clip(joined, maxWordRunes), name})
			}
			return
		}
		yield(word{clip(w, maxWordRunes), name})
	}
	for i, r := range text {
		if r < utf8.RuneSelf {
			if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' && start >= 0 {
				if start < 0 {
					start, hyphen = i, false
				}
				hyphen = hyphen || r == '-'
				continue
			}
		} else if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start, hyphen = i, false
			}
			continue
		}
		flush(i)
		switch r {
		case '.', '!', '?', ':', ';', '\n', '•', '–', '(', '"', '”':
			sentenceStart = true
		}
	}
	flush(len(text))
}

// invisible drops the characters that are not seen inside a word: the soft
// hyphen (utpress\u00adning, as texts from word processors and PDFs carry
// it) and the zero-width space and joiners. Left in, they cut a word in two.
var invisible = strings.NewReplacer("\u00ad", "", "\u200b", "", "\u200c", "", "\u200d", "", "\u2060", "", "\ufeff", "")

// plain is text as words are read from it: composed (NFC), without the
// invisible characters.
func plain(text string) string {
	text = norm.NFC.String(text) // the text itself when it is composed already
	if !hasInvisible(text) {
		return text
	}
	return invisible.Replace(text)
}

// hasInvisible reports whether text holds a character invisible drops: a
// byte scan, as most texts have none and the replacer costs more.
func hasInvisible(text string) bool {
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case 0xC2, 0xE2, 0xEF: // the lead bytes of U+00AD, U+200B–U+2060, U+FEFF
			r, _ := utf8.DecodeRuneInString(text[i:])
			switch r {
			case '\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
				return true
			}
		}
	}
	return false
}

// isName reports whether a word is written like a name: a capital letter
// followed by at least one small one.
func isName(w string) bool {
	n := 0
	for _, r := range w {
		if n == 0 && !unicode.IsUpper(r) || n > 0 && unicode.IsUpper(r) {
			return false
		}
		n++
	}
	return n >= 2
}

// Tokens analyses text.
func (a *Analyzer) Tokens(text string) []Token {
	ws := a.analysedWords(text)
	out := make([]Token, len(ws))
	for i, w := range ws {
		out[i] = Token{Surface: w.surface, Stem: w.stem}
	}
	return out
}

// analysedWords returns the content words of text, analysed.
func (a *Analyzer) analysedWords(text string) []*analysed {
	out := make([]*analysed, 0, wordsIn(text))
	a.eachAnalysed(text, nil, func(w *analysed) { out = append(out, w) })
	return out
}

// eachAnalysed calls yield with each content word of text, analysed. local,
// when not nil, is a cache of one goroutine in front of the shared one: a
// build worker looks up every word of its needs, and the shared cache's
// locks, taken by every worker for the commonest words, then cost more
// than the lookups.
func (a *Analyzer) eachAnalysed(text string, local localWords, yield func(*analysed)) {
	eachWord(text, func(w word) {
		if w.name {
			return
		}
		r := local[w.text]
		if r == nil {
			r = a.word(w.text)
			if local != nil && len(local) < maxCache {
				local[r.surface] = r
			}
		}
		if !r.noise {
			yield(r)
		}
	})
}

// localWords is a goroutine's own cache of analysed words (written word →
// analysis).
type localWords map[string]*analysed

// wordsIn estimates how many content words a text has, for sizing: Swedish
// words average about six letters and a space, and stop words drop out.
func wordsIn(text string) int { return len(text)/8 + 4 }

// Parts returns the compound parts of a word (stemmed), or nil when the
// word is not a compound the dictionary knows.
func (a *Analyzer) Parts(word string) []string {
	if a.compounds == nil {
		return nil
	}
	return a.word(word).parts
}

// HasCompounds reports whether a compound dictionary is loaded.
func (a *Analyzer) HasCompounds() bool { return a.compounds != nil }

// Stem returns the Swedish Snowball stem of a lower-case word.
func Stem(w string) string { return swedish.Stem(w, false) }

// isNoise drops stop words, single letters and pure numbers (years, counts
// and amounts say little about what a need is for).
func isNoise(w string) bool {
	if len([]rune(w)) < 2 || swedish.IsStopWord(w) || extraStop[w] || english.IsStopWord(w) && !swedishWord[w] {
		return true
	}
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// extraStop are words of procurement prose that say nothing about what is
// bought: the Snowball list covers grammar words only.
var extraStop = map[string]bool{
	"ska": true, "bör": true, "kan": true, "kunna": true, "vill": true, "behöver": true, "behov": false,
	"även": true, "samt": true, "t": true, "ex": true, "bl": true, "a": true, "etc": true, "osv": true,
	"ca": true, "cirka": true, "st": true, "kr": true, "sek": true, "mnkr": true, "tkr": true, "miljoner": true, "miljon": true,
	"längs": true, "ner": true, "upp": true, "ut": true, "in": true, "per": true, "via": true, "inom": true, "enligt": true, "mellan": true,
	"två": true, "tre": true, "fyra": true, "fem": true, "sex": true, "sju": true, "åtta": true, "nio": true, "tio": true, "elva": true,
	"tolv": true, "tjugo": true, "trettio": true, "hundra": true, "tusen": true, "tiotal": true, "hundratal": true, "tal": true,
	"vår": true, "våra": true, "vårt": true, "oss": true, "vi": true, "också": true, "redan": true,
	"idag": true, "dag": true, "dagens": true, "finns": true, "får": true, "göra": true, "gör": true,
	"söker": true, "söka": true, "fungera": true, "fungerar": true, "gärna": true, "bland": true, "annat": true,
}

// swedishWord are Swedish content words that are also English stop words.
var swedishWord = map[string]bool{"by": true, "far": true, "hem": true, "is": true, "over": true, "under": true, "art": true, "most": true, "vi": true}
