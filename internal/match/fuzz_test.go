package match

// Fuzz tests of what reads text in the matcher: the analyser, the compound
// splitter, the need parser, clip, the CPV suggester's input, the readers
// of the reference folder and the index's query. Each checks what the code
// promises, not only that nothing panics. .ci/fuzz runs them; `go test`
// runs the seeds. The compound dictionary and the CPV list come from the
// reference folder (ARENA_TEST_DATA_DIR) when it is there; without it a
// small dictionary and code tree stand in, so the targets still run.

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/arena-se/arena/internal/refdata"
	"golang.org/x/text/unicode/norm"
)

// fzTexts are seed texts: procurement prose and compounds as buyers write
// them, and what breaks text readers: nothing, only punctuation, NUL,
// invalid UTF-8, long words, combining characters, right-to-left script,
// emoji, case mappings that change a word's length.
var fzTexts = []string{
	"",
	"Brandpostsensor",
	"Skolskjutsupphandling för kommunens grundskolor",
	"Kommunen behöver ny gatubelysning med LED-armaturer och styrning på distans.",
	"Trygghetslarm i hemtjänsten ska fungera digitalt. Insamling av mat- och restavfall med sopbilar som drivs med biogas.",
	"Trafikverket ansvarar för belysning i Grisslehamn. Umeå har LED-armaturer; Säbo-boenden",
	"Vi behöver trygghetslarm för 1200 brukare och larmen ska fungera",
	"Livsmedelstillsyn, renhållningsfordon och kyrkogårdsförvaltning",
	"ÅÄÖ åäö Ååå ÄÄÄ öÖö Åre Östersund Ängelholm",
	"och i att det som på är vi kan ska",
	"!!! ... ,,, --- ??? ;;; ::: ()() •–”\"",
	"-", "--a--", "a-", "-a", "mat- och restavfall", "-- - -- gatu--belysning-",
	"\x00", "gatu\x00belysning", "\x00\x00\x00\x00\x00\x00\x00\x00",
	"\xff\xfe\xfd", "gatu\xffbelysning", "belysning\xc3", "\xc3\xa5\xc3", "\xed\xa0\x80larm",
	strings.Repeat("gatubelysningsanläggning", 5),
	strings.Repeat("a", 200),
	strings.Repeat("ö", 49),
	"Cafe\u0301 e\u0301 cafe\u0301terian a\u0308r o\u0308ver gatubelysnin\u0308g",
	"שלום עולם مرحبا بالعالم trygghetslarm",
	"\u202eLARM\u202c trygghetslarm \u200fbelysning\u200e",
	"🚒 brandbil 🔥 👩🏽‍🚒 😀😀 larm🚨system",
	"İstanbul ǅemal ΣΊΣΥΦΟΣ ß ẞ Ωmega ﬁlm",
	"２０２６ ＬＥＤ１２ belysning ①②③",
	"1200 2026 12,5 3.14 0 00 2026-01-01",
	"Gatubelysning\nBelysning\tstyrning\r\nLED",
}

// fzPairs are seed titles and descriptions.
var fzPairs = [][2]string{
	{"Ny gatubelysning", "LED-armaturer längs gatorna, styrda på distans."},
	{"Sopbilar", "Insamling av mat- och restavfall med sopbilar som drivs med biogas."},
	{"Brandpostsensor", "Sensorer som larmar när en brandpost läcker eller fryser."},
	{"Skolskjutsupphandling", "Upphandling av skolskjuts för grundskolans elever i glesbygd."},
	{"Trygghetslarm", "Digitala trygghetslarm i hemtjänsten."},
	{"", ""},
	{"\xff", "\x00"},
	{strings.Repeat("ö", 300), strings.Repeat("gatubelysning ", 50)},
}

// fzLoad reads what the reference folder gives the targets, once per
// process: the compound dictionary (nil without the folder) and the CPV
// list (testCodes without it).
var fzLoad = sync.OnceValue(func() (r struct {
	dict  *Compounds
	codes []refdata.CPV
	err   error
}) {
	if r.dict, r.err = ReadCompounds(refDir()); r.err != nil {
		return r
	}
	set, _, err := refdata.ReadDir(refDir())
	if r.err = err; err != nil {
		return r
	}
	r.codes = set.CPV
	if len(r.codes) == 0 {
		r.codes = testCodes
	}
	return r
})

// fzReference returns the reference dictionary (nil without the folder)
// and CPV list (testCodes without it).
func fzReference(tb testing.TB) (*Compounds, []refdata.CPV) {
	r := fzLoad()
	if r.err != nil {
		tb.Fatal(r.err)
	}
	return r.dict, r.codes
}

// fzSmallDictionary stands in for the reference dictionary when the folder
// is missing, so splitting is exercised all the same.
func fzSmallDictionary() *Compounds {
	return NewCompounds([]string{"gata", "trygghet", "brand", "post", "skola", "skjuts", "sop", "mat", "rest", "kyrka", "gård", "livsmedel"},
		[]string{"belysning", "larm", "sensor", "upphandling", "bil", "avfall", "förvaltning", "tillsyn", "anläggning", "post"})
}

// fzDictionary is the reference dictionary, or the small one.
func fzDictionary(tb testing.TB) *Compounds {
	if c, _ := fzReference(tb); c != nil {
		return c
	}
	return fzSmallDictionary()
}

// fzTailUnit is repeated after a text so its last word runs far past
// maxWordRunes; a compound, so the splitter finds parts all along it.
const fzTailUnit = "gatubelysning"

// fzTail returns the long tail: 1 MB when the seeds run (`go test`), 32 KB
// while fuzzing, where every iteration pays for it. Either is far past the
// word cap, where a cost that grew with the word would show as hundreds
// of allocations, and past the description cap.
var fzTail = sync.OnceValue(func() string {
	n := 1 << 20
	if f := flag.Lookup("test.fuzz"); f != nil && f.Value.String() != "" {
		n = 32 << 10
	}
	return strings.Repeat(fzTailUnit, n/len(fzTailUnit))
})

// fzShortTail is the shortest tail that fills a word past the cap.
var fzShortTail = strings.Repeat(fzTailUnit, maxWordRunes/len(fzTailUnit)+1)

// fzAllocSlack is how many more allocations the long form of an input may
// cost than its capped form: growing buffers that hold the whole text (its
// normalisation, its lower-cased last word) cost one or two.
const fzAllocSlack = 8

// fzAllocs counts the heap allocations of one call of capped and then of
// long. It reads the allocation counter around single runs (three reads
// for two runs): AllocsPerRun would run each twice, and reading the
// counter stops the world, which costs more than the capped run. The
// counter is the process's: the fuzzing worker's own goroutines allocate
// now and then, so each is the least of three rounds (others' allocations
// only ever add).
func fzAllocs(capped, long func()) (base, allocs uint64) {
	base, allocs = math.MaxUint64, math.MaxUint64
	for range 3 {
		var m [3]runtime.MemStats
		runtime.ReadMemStats(&m[0])
		capped()
		runtime.ReadMemStats(&m[1])
		long()
		runtime.ReadMemStats(&m[2])
		base, allocs = min(base, m[1].Mallocs-m[0].Mallocs), min(allocs, m[2].Mallocs-m[1].Mallocs)
	}
	return base, allocs
}

// runePrefix reports whether p is s cut after some rune.
func runePrefix(p, s string) bool {
	if !strings.HasPrefix(s, p) {
		return false
	}
	return len(p) == len(s) || utf8.RuneStart(s[len(p)])
}

// fzCheckWord checks a word as Words promises it: valid UTF-8, not empty,
// at most maxWordRunes runes, lower case, and letters and digits (with the
// combining marks lower-casing may add: İ becomes i and U+0307).
func fzCheckWord(t *testing.T, text, w string) {
	t.Helper()
	n := utf8.RuneCountInString(w)
	if !utf8.ValidString(w) || n == 0 || n > maxWordRunes {
		t.Fatalf("text %q: word %q of %d runes (valid UTF-8: %v)", text, w, n, utf8.ValidString(w))
	}
	if strings.ToLower(w) != w {
		t.Fatalf("text %q: word %q is not lower case", text, w)
	}
	for _, r := range w {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) {
			t.Fatalf("text %q: word %q has %U, not a letter or digit", text, w, r)
		}
	}
}

// fzCheckTokens checks tokens of text as the analyser promises them: each
// a word of the text, in order, that is no stop word, single letter or
// number, with its Snowball stem (a beginning of the word). Names (a
// capital initial inside a sentence) are the only content words left out:
// in a text without capitals every content word is a token.
func fzCheckTokens(t *testing.T, text string, toks []Token) {
	t.Helper()
	words := Words(text)
	for _, w := range words {
		fzCheckWord(t, text, w)
	}
	j := 0
	for _, tok := range toks {
		s := tok.Surface
		fzCheckWord(t, text, s)
		if utf8.RuneCountInString(s) < 2 || isNoise(s) {
			t.Fatalf("text %q: token %q is noise", text, s)
		}
		if tok.Stem == "" || tok.Stem != Stem(s) || !runePrefix(tok.Stem, s) {
			t.Fatalf("text %q: token %q has stem %q, want %q, a beginning of the word", text, s, tok.Stem, Stem(s))
		}
		for j < len(words) && words[j] != s {
			j++
		}
		if j == len(words) {
			t.Fatalf("text %q: token %q is not among its words %q in order", text, s, words)
		}
		j++
	}
	if strings.IndexFunc(norm.NFC.String(text), func(r rune) bool { return unicode.IsUpper(r) || unicode.IsTitle(r) }) < 0 {
		var want []string
		for _, w := range words {
			if !isNoise(w) {
				want = append(want, w)
			}
		}
		var got []string
		for _, tok := range toks {
			got = append(got, tok.Surface)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("text %q without capitals: tokens %q, want every content word %q", text, got, want)
		}
	}
}

// FuzzAnalyzerTokens: Words and Tokens keep their promises (fzCheckTokens)
// for any text; the answer is the same from a fresh analyser and from one
// that has cached the words, with the compound dictionary and without it
// (the dictionary only adds parts); parts are what the splitter says and
// n-grams are sorted and distinct; and a text whose last word runs 1 MB
// (32 KB while fuzzing) past the word cap gives the tokens of the capped
// word at the allocations of the capped word plus fzAllocSlack.
func FuzzAnalyzerTokens(f *testing.F) {
	for _, s := range fzTexts {
		f.Add(s)
	}
	dict := fzDictionary(f)
	plain, cached := NewAnalyzer(nil), NewAnalyzer(dict)
	f.Fuzz(func(t *testing.T, text string) {
		want := NewAnalyzer(nil).Tokens(text)
		fzCheckTokens(t, text, want)
		for name, got := range map[string][]Token{
			"cached, first": plain.Tokens(text), "cached, again": plain.Tokens(text),
			"with the dictionary": NewAnalyzer(dict).Tokens(text), "with the dictionary, cached": cached.Tokens(text),
		} {
			if !slices.Equal(got, want) {
				t.Fatalf("text %q: tokens %s %q, fresh %q", text, name, got, want)
			}
		}
		for _, tok := range want {
			if p := plain.Parts(tok.Surface); p != nil {
				t.Fatalf("%q: parts %q without a dictionary", tok.Surface, p)
			}
			parts := cached.Parts(tok.Surface)
			if split := dict.Split(tok.Surface); !slices.Equal(parts, split) {
				t.Fatalf("%q: parts %q, the splitter says %q", tok.Surface, parts, split)
			}
			grams := gramsOf(tok.Stem)
			if len(grams) == 0 || len(grams) > max(1, utf8.RuneCountInString(tok.Stem)+3-gramN) {
				t.Fatalf("stem %q: %d n-grams", tok.Stem, len(grams))
			}
			for i := 1; i < len(grams); i++ {
				if grams[i-1] >= grams[i] {
					t.Fatalf("stem %q: n-grams %v not sorted and distinct", tok.Stem, grams)
				}
			}
		}

		var short, long []Token
		base, allocs := fzAllocs(func() { short = NewAnalyzer(dict).Tokens(text + fzShortTail) },
			func() { long = NewAnalyzer(dict).Tokens(text + fzTail()) })
		if !slices.Equal(long, short) {
			t.Fatalf("text %q: a last word of %d more letters gives tokens %q, %d letters more %q", text, len(fzTail()), long, len(fzShortTail), short)
		}
		if allocs > base+fzAllocSlack {
			t.Fatalf("text %q: %d allocations with a last word %d letters long, %d with it capped", text, allocs, len(fzTail()), base)
		}
	})
}

// fzHeadOK is whether the splitter takes the end of a word as the head of
// a compound: an end of the list, as written or inflected (sopbilar,
// larmet).
func fzHeadOK(c *Compounds, head string) bool {
	return c.ends[head] || c.ends[Stem(head)] || c.ends[strings.TrimSuffix(head, "en")] || c.ends[strings.TrimSuffix(head, "ar")]
}

// fzModifiers returns the words of the list the beginning r of a compound
// may stand for: as written, without a linking s, u, e or a
// (trygghet-s-), with its last vowel for an a (gatu- for gata), or with
// an a added (skol- for skola).
func fzModifiers(c *Compounds, r []rune) []string {
	n := len(r)
	w := string(r)
	var out []string
	if c.words[w] {
		out = append(out, w)
	}
	if n > minPart && strings.ContainsRune("suea", r[n-1]) && c.words[string(r[:n-1])] {
		out = append(out, string(r[:n-1]))
	}
	if n > minPart && strings.ContainsRune("uoe", r[n-1]) && c.words[string(r[:n-1])+"a"] {
		out = append(out, string(r[:n-1])+"a")
	}
	if c.words[w+"a"] {
		out = append(out, w+"a")
	}
	return out
}

// fzTwoParts returns the split of r in two Split must give when there is
// one: the fewest parts, and of the two-part splits the one with the
// longest head. The modifier is one of the forms fzModifiers allows.
func fzTwoParts(c *Compounds, r []rune) (mods []string, head string, ok bool) {
	for i := minPart; i <= len(r)-minPart; i++ {
		h := string(r[i:])
		if !fzHeadOK(c, h) {
			continue
		}
		if ms := fzModifiers(c, r[:i]); len(ms) > 0 {
			return ms, h, true
		}
	}
	return nil, "", false
}

// fzSplitOf reports whether parts are the stems of a split of the word r
// into known words, in order: words of the list (as fzModifiers allows
// them) or inflected ends, the last an end of the word. r must be lower
// case letters and digits, so that a stem is a beginning of its word.
func fzSplitOf(c *Compounds, r []rune, parts []string) bool {
	failed := map[[2]int]bool{}
	var from func(j, p int) bool
	from = func(j, p int) bool {
		if j == len(parts) {
			return p == len(r)
		}
		if failed[[2]int{j, p}] {
			return false
		}
		last := j == len(parts)-1
		for q := p + 1; q <= len(r); q++ {
			if last && q < len(r) {
				continue
			}
			seg := r[p:q]
			forms := []string{string(seg)}
			if !last {
				forms = append(forms, string(seg)+"a")
				if len(seg) > 1 {
					forms = append(forms, string(seg[:len(seg)-1]), string(seg[:len(seg)-1])+"a")
				}
			}
			for _, w := range forms {
				if !strings.HasPrefix(w, parts[j]) || Stem(w) != parts[j] {
					continue
				}
				known := fzHeadOK(c, w) || !last && c.words[w]
				if known && from(j+1, q) {
					return true
				}
			}
		}
		failed[[2]int{j, p}] = true
		return false
	}
	return from(0, 0)
}

// fzPlainWord reports whether w is lower-case letters and digits only.
func fzPlainWord(w string) bool {
	if strings.ToLower(w) != w || !utf8.ValidString(w) {
		return false
	}
	for _, r := range w {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// fzCheckSplit checks Split against what it documents: a word is cut at
// maxWordRunes first (so what follows never matters); a word too short to
// hold two parts is not split; a split has at least two parts, each the
// stem of a known word, in the word's order; when the word splits in two,
// the split is that one, with the longest head.
func fzCheckSplit(t *testing.T, c *Compounds, word string) {
	t.Helper()
	got := c.Split(word)
	r := []rune(clip(word, maxWordRunes))
	if again := c.Split(word); !slices.Equal(again, got) {
		t.Fatalf("Split(%q) = %q, then %q", word, got, again)
	}
	if capped := c.Split(string(r)); !slices.Equal(capped, got) {
		t.Fatalf("Split(%q) = %q, but %q for its first %d runes", word, got, capped, maxWordRunes)
	}
	if len(r) == maxWordRunes {
		if longer := c.Split(word + fzShortTail); !slices.Equal(longer, got) {
			t.Fatalf("Split(%q) = %q, but %q with letters after the cap", word, got, longer)
		}
	}
	if got == nil {
		if mods, head, ok := fzTwoParts(c, r); ok && len(r) >= 2*minPart+1 {
			t.Fatalf("Split(%q) = nil, but it is %q + %q", word, mods, head)
		}
		return
	}
	if len(r) < 2*minPart+1 || len(got) < 2 {
		t.Fatalf("Split(%q) = %q", word, got)
	}
	for _, p := range got {
		if p == "" || !utf8.ValidString(p) || utf8.RuneCountInString(p) > maxWordRunes {
			t.Fatalf("Split(%q) = %q: part %q", word, got, p)
		}
	}
	if mods, head, ok := fzTwoParts(c, r); ok {
		var stems []string
		for _, m := range mods {
			stems = append(stems, Stem(m))
		}
		if len(got) != 2 || got[1] != Stem(head) || !slices.Contains(stems, got[0]) {
			t.Fatalf("Split(%q) = %q, want the two parts %q (one of) + %q", word, got, stems, Stem(head))
		}
		return
	}
	if len(got) < 3 {
		t.Fatalf("Split(%q) = %q, but no two-part split exists", word, got)
	}
	if fzPlainWord(string(r)) && !fzSplitOf(c, r, got) {
		t.Fatalf("Split(%q) = %q: not the stems of known words that make up the word", word, got)
	}
}

// FuzzCompoundSplit: Split keeps what fzCheckSplit says, with a dictionary
// the fuzzer writes (words and ends separated by blanks) and with the
// reference dictionary (or a small one without the folder).
func FuzzCompoundSplit(f *testing.F) {
	for _, s := range []struct{ word, words, ends string }{
		{"gatubelysning", "gata", "belysning"},
		{"trygghetslarm", "trygghet", "larm"},
		{"brandpostsensor", "brand post", "post sensor"},
		{"skolskjutsupphandling", "skola skjuts", "skjuts upphandling"},
		{"sopbilar", "sop", "bil"},
		{"kyrkogårdsförvaltning", "kyrka gård", "gård förvaltning"},
		{"livsmedelstillsyn", "livsmedel", "tillsyn"},
		{"renhållningsfordon", "renhållning", "fordon"},
		{"matavfallsinsamling", "mat avfall", "avfall insamling"},
		{"larmlarmlarmlarm", "larm", "larm"},
		{strings.Repeat("gatubelysning", 10), "gata belysning", "belysning"},
		{strings.Repeat("ab", 40), "aba bab ab", "bab aba"},
		{"ÅÄÖåäöÅÄÖåäö", "åäö ÅÄÖ", "åäö"},
		{"", "", ""},
		{"\x00\x00\x00\x00\x00\x00\x00", "\x00\x00\x00", "\x00\x00\x00\x00"},
		{"\xff\xff\xff\xff\xff\xff\xff", "\xff\xff\xff", "\xff\xff\xff\xff"},
		{"gatu\xffbelysning", "gata", "belysning"},
		{"cafe\u0301belysning", "café", "belysning"},
		{"🚒🚒🚒🚨🚨🚨🚨", "🚒🚒🚒", "🚨🚨🚨🚨"},
	} {
		f.Add(s.word, s.words, s.ends)
	}
	dict := fzDictionary(f)
	f.Fuzz(func(t *testing.T, word, words, ends string) {
		fzCheckSplit(t, NewCompounds(strings.Fields(words), strings.Fields(ends)), word)
		fzCheckSplit(t, dict, word)
	})
}

// FuzzParse: parse reads a need as the analyser reads its title cut at
// maxTitleRunes and its description cut at maxTextRunes, the title's
// words first; a need whose title and description run 1 MB on (32 KB
// while fuzzing) parses as its capped form at its allocations plus
// fzAllocSlack; and interning the words gives sorted, distinct terms with
// the counts of the words and their compound parts, and the same terms
// when the vocabulary may not grow.
func FuzzParse(f *testing.F) {
	if len(fzTail()) <= maxTextRunes {
		f.Fatalf("a tail of %d letters does not run past the description cap", len(fzTail()))
	}
	for _, p := range fzPairs {
		f.Add(p[0], p[1])
	}
	for _, s := range fzTexts {
		f.Add(s, s)
	}
	dict := fzDictionary(f)
	an := NewAnalyzer(dict)
	// Interning reads no n-gram frequencies: a vocabulary without their
	// 32 MB table keeps the heap, and so each iteration, small.
	fresh := func() *vocab { return &vocab{ids: map[string]termID{}} }
	v := fresh()
	f.Fuzz(func(t *testing.T, title, description string) {
		n := &Need{ID: "q", Org: "Q", Title: title, Description: description}
		occ := parse(an, n, nil)
		tt, dt := an.Tokens(clip(title, maxTitleRunes)), an.Tokens(clip(description, maxTextRunes))
		if len(occ) != len(tt)+len(dt) {
			t.Fatalf("need %q / %q: %d words parsed, the analyser reads %d + %d", title, description, len(occ), len(tt), len(dt))
		}
		for i, o := range occ {
			tok, inTitle := Token{}, i < len(tt)
			if inTitle {
				tok = tt[i]
			} else {
				tok = dt[i-len(tt)]
			}
			if o.title != inTitle || o.w.noise || o.w.surface != tok.Surface || o.w.stem != tok.Stem {
				t.Fatalf("need %q / %q: word %d is %q (stem %q, title %v), want %+v (title %v)", title, description, i, o.w.surface, o.w.stem, o.title, tok, inTitle)
			}
		}

		// The analyser has seen the capped need's words, so the counts are
		// of reading the texts (the cost of a long word is FuzzAnalyzerTokens').
		long := &Need{Title: title + " " + fzTail(), Description: description + " " + fzTail()}
		capped := &Need{Title: clip(long.Title, maxTitleRunes), Description: clip(long.Description, maxTextRunes)}
		parse(an, capped, nil)
		var lo, co []occurrence
		base, allocs := fzAllocs(func() { co = parse(an, capped, nil) }, func() { lo = parse(an, long, nil) })
		if len(lo) != len(co) {
			t.Fatalf("need %q / %q made long: %d words, capped %d", title, description, len(lo), len(co))
		}
		for i := range lo {
			if lo[i].title != co[i].title || lo[i].w.surface != co[i].w.surface || lo[i].w.stem != co[i].w.stem {
				t.Fatalf("need %q / %q made long: word %d %q, capped %q", title, description, i, lo[i].w.surface, co[i].w.surface)
			}
		}
		if allocs > base+fzAllocSlack {
			t.Fatalf("need %q / %q made long: %d allocations, capped %d", title, description, allocs, base)
		}

		if len(v.terms) > 1<<17 {
			v = fresh() // the vocabulary grows with every input
		}
		d := analyse(an, v, n, addTerms)
		type counts struct{ title, body int }
		whole, parts := map[string]*counts{}, map[string]*counts{}
		add := func(m map[string]*counts, stem string, title bool) {
			c := m[stem]
			if c == nil {
				c = &counts{}
				m[stem] = c
			}
			if title {
				c.title++
			} else {
				c.body++
			}
		}
		for _, o := range occ {
			add(whole, o.w.stem, o.title)
			for _, p := range o.w.parts {
				if p != o.w.stem && utf8.RuneCountInString(p) >= minPart {
					add(parts, p, o.title)
				}
			}
		}
		seen := 0
		for i, tc := range d.terms {
			if i > 0 && d.terms[i-1].id >= tc.id {
				t.Fatalf("need %q / %q: terms not sorted and distinct: %+v", title, description, d.terms)
			}
			stem := v.terms[tc.id].stem
			w, p := whole[stem], parts[stem]
			if tc.part != (w == nil) || w == nil && p == nil {
				t.Fatalf("need %q / %q: term %q (part %v) is not a word or part of it", title, description, stem, tc.part)
			}
			want := counts{}
			for _, c := range []*counts{w, p} {
				if c != nil {
					want.title += c.title
					want.body += c.body
				}
			}
			if int(tc.title) != min(want.title, 255) || int(tc.body) != min(want.body, 255) {
				t.Fatalf("need %q / %q: term %q counted %d + %d, want %d + %d", title, description, stem, tc.title, tc.body, want.title, want.body)
			}
			if w != nil {
				seen++
			}
		}
		if seen != len(whole) || len(d.terms) != len(whole)+len(parts)-countShared(whole, parts) {
			t.Fatalf("need %q / %q: %d terms of %d words and %d parts", title, description, len(d.terms), len(whole), len(parts))
		}
		if ro := analyse(an, v, n, knownTerms); !reflect.DeepEqual(ro.terms, d.terms) {
			t.Fatalf("need %q / %q: read-only terms %+v, interned %+v", title, description, ro.terms, d.terms)
		}
		// A build worker interns from the ids cached in the words; it gives
		// up only on a word without them (the analyser's cache full).
		if c := intern(v, n, parse(an, n, nil), cachedTerms); c == nil && an.cacheSize.Load() < maxCache || c != nil && !reflect.DeepEqual(c.terms, d.terms) {
			t.Fatalf("need %q / %q: interned from cached ids %+v, interned %+v", title, description, c, d.terms)
		}
	})
}

// countShared is how many keys of a are in b too.
func countShared[V any](a, b map[string]V) int {
	n := 0
	for k := range a {
		if _, ok := b[k]; ok {
			n++
		}
	}
	return n
}

// FuzzClip: clip(s, n) is s whole when s has at most n runes, else its
// first n runes: a prefix ending on a rune boundary (an invalid byte
// counts as a rune, as range and RuneCountInString count it); it never
// looks past the n-th rune, so what follows changes nothing; it is
// idempotent and clipping first to more runes changes nothing.
func FuzzClip(f *testing.F) {
	for _, s := range fzTexts {
		for _, n := range []uint16{0, 1, 3, maxWordRunes, maxTitleRunes} {
			f.Add(s, n)
		}
	}
	f.Fuzz(func(t *testing.T, s string, n16 uint16) {
		n := int(n16)
		got := clip(s, n)
		runes := utf8.RuneCountInString(s)
		if !strings.HasPrefix(s, got) {
			t.Fatalf("clip(%q, %d) = %q, not a prefix", s, n, got)
		}
		if runes <= n && got != s || runes > n && utf8.RuneCountInString(got) != n {
			t.Fatalf("clip(%q, %d) = %q: %d runes of %d", s, n, got, utf8.RuneCountInString(got), runes)
		}
		if len(got) < len(s) {
			boundary := false
			for i := range s {
				if i == len(got) {
					boundary = true
					break
				}
			}
			if !boundary {
				t.Fatalf("clip(%q, %d) = %q: cut inside a rune", s, n, got)
			}
		}
		if runes >= n {
			if more := clip(s+"x\xff"+fzTailUnit, n); more != got {
				t.Fatalf("clip(%q, %d) = %q, but %q with more text", s, n, got, more)
			}
		}
		if again := clip(got, n); again != got {
			t.Fatalf("clip(clip(%q, %d)) = %q, once %q", s, n, again, got)
		}
		if twice := clip(clip(s, n+7), n); twice != got {
			t.Fatalf("clip(clip(%q, %d), %d) = %q, once %q", s, n+7, n, twice, got)
		}
	})
}

// fzNeeds are an index's needs for the targets that rank: orgs A, B and C
// may match any query; Q is the asker's own organisation; "hidden" is one
// the asker may not see.
var fzNeeds = []*Need{
	{ID: "a", Org: "A", Title: "Ny gatubelysning", Description: "LED-armaturer längs gatorna, styrda på distans."},
	{ID: "b", Org: "B", Title: "Sopbilar som drivs med biogas", Description: "Insamling av mat- och restavfall."},
	{ID: "c", Org: "C", Title: "Trygghetslarm", Description: "Digitala trygghetslarm i hemtjänsten."},
	{ID: "d", Org: "A", Title: "Brandpostsensorer", Description: "Sensorer som larmar när en brandpost läcker eller fryser."},
	{ID: "e", Org: "B", Title: "Skolskjutsupphandling", Description: "Upphandling av skolskjuts för grundskolans elever."},
	{ID: "own", Org: "Q", Title: "Gatubelysning och trygghetslarm", Description: "Belysning och larm i kommunens parker."},
	{ID: "hidden", Org: "C", Title: "Gatubelysning, utkast", Description: "Gatubelysning med LED, styrd på distans."},
}

// fzKeep is what the asker may see: all but "hidden".
func fzKeep(id string) bool { return id != "hidden" }

// fzMatchKey is what a ranking says: ids, scores and features.
func fzMatchKey(ms []Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = fmt.Sprintf("%s %v %v %v", m.ID, m.Score, m.Support, m.Features)
	}
	return out
}

// FuzzSimilarContext: any query text ranks every need the asker may see
// of other organisations (at most k when k > 0), never the asker's own
// organisation's or a hidden one, each once, best first (ties by id),
// with finite scores; the same query ranks the same; a query whose title
// runs past its cap ranks as its capped form; a query
// changes nothing in the index; a caller already gone gets its error;
// and Explain gives at most its limit of concepts, each written as in
// the query and in the need.
func FuzzSimilarContext(f *testing.F) {
	for _, p := range fzPairs {
		f.Add(p[0], p[1], int8(5))
	}
	for _, s := range fzTexts {
		f.Add(s, s, int8(0))
	}
	an := NewAnalyzer(fzDictionary(f))
	ix := NewIndex(an)
	ix.UpsertAll(fzNeeds)
	eligible := 0
	for _, n := range fzNeeds {
		if n.Org != "Q" && fzKeep(n.ID) {
			eligible++
		}
	}
	baseline := fzMatchKey(ix.Similar(fzNeeds[0], 0, nil))
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	f.Fuzz(func(t *testing.T, title, description string, k8 int8) {
		k := int(k8)
		q := &Need{ID: "q", Org: "Q", Title: title, Description: description}
		ms, err := ix.SimilarContext(context.Background(), q, k, fzKeep)
		if err != nil {
			t.Fatal(err)
		}
		if want := eligible; k > 0 && len(ms) != min(k, want) || k <= 0 && len(ms) != want {
			t.Fatalf("query %q / %q, k %d: %d matches of %d the asker may see", title, description, k, len(ms), want)
		}
		ids := map[string]bool{}
		for i, m := range ms {
			var n *Need
			for _, x := range fzNeeds {
				if x.ID == m.ID {
					n = x
				}
			}
			if n == nil || n.Org == q.Org || !fzKeep(m.ID) || ids[m.ID] {
				t.Fatalf("query %q / %q: match %q (organisation %v, seen %v)", title, description, m.ID, n, ids[m.ID])
			}
			ids[m.ID] = true
			if math.IsNaN(m.Score) || math.IsInf(m.Score, 0) || math.IsNaN(m.Support) || math.IsInf(m.Support, 0) {
				t.Fatalf("query %q / %q: match %q scores %v, support %v", title, description, m.ID, m.Score, m.Support)
			}
			for _, x := range m.Features {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					t.Fatalf("query %q / %q: match %q features %v", title, description, m.ID, m.Features)
				}
			}
			if i > 0 && (ms[i-1].Score < m.Score || ms[i-1].Score == m.Score && ms[i-1].ID > m.ID) {
				t.Fatalf("query %q / %q: not best first: %q", title, description, fzMatchKey(ms))
			}
		}
		again, _ := ix.SimilarContext(context.Background(), q, k, fzKeep)
		if !slices.Equal(fzMatchKey(again), fzMatchKey(ms)) {
			t.Fatalf("query %q / %q ranks %q, then %q", title, description, fzMatchKey(ms), fzMatchKey(again))
		}
		// The title only: a description past its cap costs 20 000 runes of
		// reading each time, and parse, which cuts both, is FuzzParse's.
		long := &Need{ID: "q", Org: "Q", Title: title + " " + fzTail(), Description: description}
		capped := &Need{ID: "q", Org: "Q", Title: clip(long.Title, maxTitleRunes), Description: description}
		lm, _ := ix.SimilarContext(context.Background(), long, k, fzKeep)
		cm, _ := ix.SimilarContext(context.Background(), capped, k, fzKeep)
		if !slices.Equal(fzMatchKey(lm), fzMatchKey(cm)) {
			t.Fatalf("query %q / %q made long ranks %q, capped %q", title, description, fzMatchKey(lm), fzMatchKey(cm))
		}
		if ms, err := ix.SimilarContext(gone, q, k, fzKeep); ms != nil || !errors.Is(err, context.Canceled) {
			t.Fatalf("query %q / %q for a caller gone: %d matches, %v", title, description, len(ms), err)
		}
		if ix.Len() != len(fzNeeds) || !slices.Equal(fzMatchKey(ix.Similar(fzNeeds[0], 0, nil)), baseline) {
			t.Fatalf("query %q / %q changed the index", title, description)
		}
		surfaces := func(n *Need) map[string]bool {
			out := map[string]bool{}
			for _, text := range n.texts() {
				for _, tok := range an.Tokens(text) {
					out[tok.Surface] = true
				}
			}
			return out
		}
		qs := surfaces(q)
		for _, m := range ms[:min(2, len(ms))] {
			c := m.doc.need
			for _, x := range fzNeeds {
				if x.ID == m.ID {
					c = x // the index keeps no text
				}
			}
			ex := ix.Explain(q, c, 6)
			if len(ex) > 6 || !reflect.DeepEqual(ex, ix.Explain(q, c, 6)) {
				t.Fatalf("query %q / %q and %q: %d concepts, or not the same twice: %+v", title, description, c.ID, len(ex), ex)
			}
			cs, usedQ, usedC := surfaces(c), map[string]bool{}, map[string]bool{}
			for _, sc := range ex {
				if !qs[sc.Need] || !cs[sc.Item] || usedQ[sc.Need] || usedC[sc.Item] {
					t.Fatalf("query %q / %q and %q: concept %+v is not written so in both, or given twice: %+v", title, description, c.ID, sc, ex)
				}
				usedQ[sc.Need], usedC[sc.Item] = true, true
			}
		}
	})
}

// fzWhy are the reasons a CPV suggestion may give.
var fzWhy = map[string]bool{
	"cpv.why.used_by_one": true, "cpv.why.used_by_many": true, "cpv.why.same_group": true,
	"cpv.why.label_word": true, "cpv.why.parent_word": true, "cpv.why.label_like": true,
}

// FuzzCPVSuggest: for any title and description, over the reference CPV
// list (testCodes without the folder), Suggest gives at most k codes, each
// once, of the list with its labels and check digit, with a finite score
// rounded to thousandths and reasons of the catalogue: a label word is a
// word of the text, a parent is an ancestor, and only needs that may vote
// (other organisations', not the need asked about, ones the asker may
// see) are said to use a code. A title and description that run past
// their caps suggest as their capped form, which also shows that the same
// text suggests the same.
func FuzzCPVSuggest(f *testing.F) {
	for _, p := range fzPairs {
		f.Add(p[0], p[1], uint8(5))
	}
	for _, s := range fzTexts {
		f.Add(s, "", uint8(3))
	}
	dict, codes := fzReference(f)
	if dict == nil {
		dict = fzSmallDictionary()
	}
	an := NewAnalyzer(dict)
	s := NewCPVSuggester(an, codes)
	byCode := map[string]refdata.CPV{}
	for _, c := range codes {
		byCode[c.Code] = c
	}
	// Voters' codes: two needs share one, so it is used by many.
	pick := func(i int) string { return codes[i*len(codes)/8].Code }
	shared, single, own, hidden, self := pick(1), pick(3), pick(5), pick(6), pick(7)
	needs := []*Need{
		{ID: "a", Org: "A", Title: "Ny gatubelysning", Description: "LED-armaturer längs gatorna, styrda på distans.", CPV: []string{shared}},
		{ID: "b", Org: "B", Title: "Sopbilar som drivs med biogas", Description: "Insamling av mat- och restavfall.", CPV: []string{single}},
		{ID: "c", Org: "C", Title: "Gatubelysning med LED", Description: "Belysning längs gatorna, styrd på distans.", CPV: []string{shared}},
		{ID: "own", Org: "Q", Title: "Gatubelysning", Description: "Ny gatubelysning med LED-armaturer.", CPV: []string{own}},
		{ID: "hidden", Org: "D", Title: "Gatubelysning", Description: "Ny gatubelysning med LED-armaturer.", CPV: []string{hidden}},
		{ID: "self", Org: "E", Title: "Gatubelysning", Description: "Ny gatubelysning med LED-armaturer.", CPV: []string{self}},
	}
	ix := NewIndex(an)
	ix.UpsertAll(needs)
	voters := map[string]int{shared: 2, single: 1}
	keep := func(id string) bool { return id != "hidden" }
	f.Fuzz(func(t *testing.T, title, description string, k8 uint8) {
		k := int(k8 % 16)
		got, err := s.Suggest(context.Background(), title, description, ix, "self", "Q", keep, k)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) > k || k == 0 && got != nil {
			t.Fatalf("%q / %q, k %d: %d suggestions", title, description, k, len(got))
		}
		words := map[string]bool{}
		for _, text := range []string{clip(title, maxTitleRunes), clip(description, maxTextRunes)} {
			for _, tok := range an.Tokens(text) {
				words[tok.Surface] = true
			}
		}
		seen := map[string]bool{}
		for _, g := range got {
			c, ok := byCode[g.Code]
			check := c.Code
			if c.Check != "" {
				check += "-" + c.Check
			}
			if !ok || seen[g.Code] || g.LabelSV != c.LabelSV || g.LabelEN != c.LabelEN || g.CodeWithCheck != check {
				t.Fatalf("%q / %q: suggestion %+v: not of the list, or given twice", title, description, g)
			}
			seen[g.Code] = true
			if math.IsNaN(g.Score) || math.IsInf(g.Score, 0) || g.Score < 0 || math.Round(g.Score*1000)/1000 != g.Score || g.Reasons == nil {
				t.Fatalf("%q / %q: suggestion %s scores %v, reasons %v", title, description, g.Code, g.Score, g.Reasons)
			}
			for _, m := range g.Reasons {
				if !fzWhy[m.Key] {
					t.Fatalf("%q / %q: suggestion %s has reason %v", title, description, g.Code, m)
				}
				switch m.Key {
				case "cpv.why.label_word", "cpv.why.parent_word":
					if w, _ := m.Args["word"].(string); !words[w] {
						t.Fatalf("%q / %q: suggestion %s quotes %q, not a word of the text %v", title, description, g.Code, w, words)
					}
				case "cpv.why.used_by_one", "cpv.why.used_by_many":
					n, _ := m.Args["n"].(int)
					if voters[g.Code] == 0 || m.Key == "cpv.why.used_by_many" && (n < 2 || n > voters[g.Code]) {
						t.Fatalf("%q / %q: suggestion %s said used by %v; the needs that may vote use it %d times", title, description, g.Code, m, voters[g.Code])
					}
				case "cpv.why.same_group":
					if g.Code[:3] != shared[:3] && g.Code[:3] != single[:3] {
						t.Fatalf("%q / %q: suggestion %s said of a voted group", title, description, g.Code)
					}
				}
				if m.Key == "cpv.why.parent_word" {
					code, _ := m.Args["parent_code"].(string)
					ancestor := false
					for p, up := c.Parent, 0; p != "" && !ancestor && up < 8; p, up = byCode[p].Parent, up+1 {
						ancestor = p == code
					}
					if !ancestor || m.Args["parent"] != byCode[code].LabelSV {
						t.Fatalf("%q / %q: suggestion %s names %v as its parent", title, description, g.Code, m)
					}
				}
			}
		}
		lt, ld := title+" "+fzTail(), description+" "+fzTail()
		long, _ := s.Suggest(context.Background(), lt, ld, ix, "self", "Q", keep, k)
		capped, _ := s.Suggest(context.Background(), clip(lt, maxTitleRunes), clip(ld, maxTextRunes), ix, "self", "Q", keep, k)
		if !reflect.DeepEqual(long, capped) {
			t.Fatalf("%q / %q made long suggests %v, capped %v", title, description, long, capped)
		}
	})
}

// fzFileMax bounds the fuzzed files: a reference file is read line by
// line, and longer inputs only make each iteration slower.
const fzFileMax = 32 << 10

// fzLines splits a file as bufio.ScanLines does: at \n, without a \r
// before it, the last line counted when not empty.
func fzLines(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	lines := strings.Split(string(b), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// fzWrite writes b to path when present, else removes the file.
func fzWrite(t *testing.T, path string, b []byte, present bool) {
	t.Helper()
	if !present {
		if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		return
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// FuzzReadCompounds: from any parts list and Hunspell dictionary (each at
// most fzFileMax), ReadCompounds fails exactly when a line after the
// header has fewer than five columns, naming the first such line; no list
// is nil and no error. Otherwise its words are the lower-cased first
// columns and the dictionary's lower-case base forms, of at least three
// runes and without - . , or blank; its ends those with 1 in the fourth
// column and the dictionary's; every word valid UTF-8 and lower case, and
// every end a word.
func FuzzReadCompounds(f *testing.F) {
	header := "word\tcompound_begin\tcompound_middle\tcompound_end\tonly_in_compound\tcompoundrule_flags\n"
	f.Add([]byte(header+"gata\t1\t0\t0\t0\t1\nbelysning\t0\t0\t1\t0\t1\n"), []byte("2\nlarm/AB\nskola\n"), true, true)
	f.Add([]byte(header+"Gata\t1\t0\t0\t0\nÅÄÖ\t1\t1\t1\t1\n-\t1\t0\t1\t0\t06\nab\t1\t0\t1\t0\t1\n"), []byte("x\nStockholm/N\nmat- och/A\n"), true, true)
	f.Add([]byte(header+"gata\t1\t0\n"), []byte(nil), true, false)
	f.Add([]byte(header+"\xff\xfe\xfd\t1\t0\t1\t0\r\n\n"), []byte("\xff\xfe\xfd\n\xff\xff\xff/\n"), true, true)
	f.Add([]byte(""), []byte("1\nlarm\n"), true, true)
	f.Add([]byte(header), []byte(""), false, true)
	f.Add([]byte(header+"İstanbul\t1\t1\t1\t1\nǅemal\t1\t1\t1\t1\n"), []byte("0\n  spaced  /X\nİi\u0307i\n"), true, true)
	dir := f.TempDir()
	tsv, dic := filepath.Join(dir, CompoundsFile), filepath.Join(dir, HunspellDic)
	if err := os.MkdirAll(filepath.Dir(dic), 0o700); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, list, dictionary []byte, hasList, hasDic bool) {
		list, dictionary = list[:min(len(list), fzFileMax)], dictionary[:min(len(dictionary), fzFileMax)]
		fzWrite(t, tsv, list, hasList)
		fzWrite(t, dic, dictionary, hasDic)
		c, err := ReadCompounds(dir)
		if !hasList {
			if c != nil || err != nil {
				t.Fatalf("no parts list: %v, %v", c, err)
			}
			return
		}
		words, ends := map[string]bool{}, map[string]bool{}
		bad := 0
		keep := func(w string) bool { return utf8.RuneCountInString(w) >= 3 && !strings.ContainsAny(w, "-., ") }
		for i, line := range fzLines(list) {
			if i == 0 {
				continue
			}
			cols := strings.Split(line, "\t")
			if len(cols) < 5 {
				bad = i + 1
				break
			}
			if w := strings.ToLower(cols[0]); keep(w) {
				words[w] = true
				if cols[3] == "1" {
					ends[w] = true
				}
			}
		}
		if bad > 0 {
			if c != nil || err == nil || !strings.Contains(err.Error(), fmt.Sprintf("line %d:", bad)) {
				t.Fatalf("list %q: %v, %v; want an error on line %d", list, c, err, bad)
			}
			return
		}
		if hasDic {
			for i, line := range fzLines(dictionary) {
				w, _, _ := strings.Cut(line, "/")
				if w = strings.TrimSpace(w); i > 0 && keep(w) && strings.ToLower(w) == w {
					words[w], ends[w] = true, true
				}
			}
		}
		if err != nil || c == nil {
			t.Fatalf("list %q, dictionary %q: %v, %v", list, dictionary, c, err)
		}
		if !reflect.DeepEqual(c.words, words) || !reflect.DeepEqual(c.ends, ends) {
			t.Fatalf("list %q, dictionary %q: words %q, ends %q; want %q, %q", list, dictionary, slices.Sorted(maps.Keys(c.words)), slices.Sorted(maps.Keys(c.ends)), slices.Sorted(maps.Keys(words)), slices.Sorted(maps.Keys(ends)))
		}
		for w := range c.words {
			if !utf8.ValidString(w) || strings.ToLower(w) != w {
				t.Fatalf("list %q, dictionary %q: word %q is not valid lower-case UTF-8", list, dictionary, w)
			}
		}
		for w := range c.ends {
			if !c.words[w] {
				t.Fatalf("list %q, dictionary %q: end %q is no word", list, dictionary, w)
			}
		}
	})
}

// FuzzReadBackground: from any corpus files (each at most fzFileMax, each
// there or not), ReadBackground fails exactly when a line is no JSON
// object of title and text; with no lines it gives nil and no error;
// otherwise every stem of every document has the idf ln((N+1)/(df+1)) + 1
// of its document frequency df among the N documents, at least 1 and at
// most the idf of an unseen stem, ln((N+1)/2) + 1.
func FuzzReadBackground(f *testing.F) {
	f.Add([]byte(`{"title":"Uppdrag om gatubelysning","text":"Regeringen ger Trafikverket i uppdrag att se över belysningen."}`+"\n"+`{"Title":"Digitalisering","Text":"Stöd till kommunernas digitalisering."}`), []byte(`{"text":"belysning"}`), uint8(3))
	f.Add([]byte(`{"title":"a"}`+"\n\n"+`{"title":"b"}`), []byte(nil), uint8(1))
	f.Add([]byte("null\n{}\n[]\n"), []byte(`"text"`), uint8(3))
	f.Add([]byte(`{"title":"\u00e5\u00e4\u00f6 \ud800","text":"\u0000 gatu\u0000belysning"}`+"\r\n"), []byte("{\"title\":\"\xff\xfe\"}"), uint8(3))
	f.Add([]byte(""), []byte(""), uint8(3))
	f.Add([]byte(`{"title":1}`), []byte(`{"title":"x","title":"y"}`), uint8(2))
	dir := f.TempDir()
	paths := make([]string, len(BackgroundFiles))
	for i, name := range BackgroundFiles {
		paths[i] = filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(paths[i]), 0o700); err != nil {
			f.Fatal(err)
		}
	}
	an := NewAnalyzer(nil)
	f.Fuzz(func(t *testing.T, first, second []byte, present uint8) {
		files := [][]byte{first[:min(len(first), fzFileMax)], second[:min(len(second), fzFileMax)]}
		for i := range files {
			there := present&(1<<i) != 0
			if !there {
				files[i] = nil // as good as empty: no documents
			}
			fzWrite(t, paths[i], files[i], there)
		}
		b, err := ReadBackground(dir, an)
		docs, bad := 0, false
		df := map[string]int{}
		for _, file := range files {
			for _, line := range fzLines(file) {
				var rec struct{ Title, Text string }
				if json.Unmarshal([]byte(line), &rec) != nil {
					bad = true
					break
				}
				docs++
				stems := map[string]bool{}
				for _, tok := range an.Tokens(rec.Title + " " + rec.Text) {
					stems[tok.Stem] = true
				}
				for s := range stems {
					df[s]++
				}
			}
			if bad {
				break
			}
		}
		switch {
		case bad:
			if b != nil || err == nil {
				t.Fatalf("corpora %q: %v, %v; want an error", files, b, err)
			}
			return
		case err != nil:
			t.Fatalf("corpora %q: %v", files, err)
		case docs == 0:
			if b != nil {
				t.Fatalf("corpora %q without documents: %v", files, b)
			}
			return
		case b == nil || b.docs != docs || len(b.idf) != len(df):
			t.Fatalf("corpora %q: %v; want %d documents and %d stems", files, b, docs, len(df))
		}
		unseen := b.IDF("\x00 never a stem")
		if want := math.Log(float64(docs+1)/2) + 1; unseen != want {
			t.Fatalf("corpora %q: an unseen stem has idf %v, want %v", files, unseen, want)
		}
		for s, n := range df {
			idf := b.IDF(s)
			if want := math.Log(float64(docs+1)/float64(n+1)) + 1; idf != want || idf < 1 || idf > unseen {
				t.Fatalf("corpora %q: stem %q in %d of %d documents has idf %v, want %v", files, s, n, docs, idf, want)
			}
		}
	})
}

// FuzzReadStopWords: from any list file (at most fzFileMax, there or not),
// ReadStopWords gives nil and no error without the file, fails exactly
// when a line (blanks trimmed, not empty, not a # comment) is not valid
// UTF-8 or holds a blank, and otherwise gives exactly those lines in lower
// case.
func FuzzReadStopWords(f *testing.F) {
	f.Add([]byte("och\ndet\nta\nfram\n"), true)
	f.Add([]byte("# stopwords-iso\r\n\r\n  Och  \nÅTER\n"), true)
	f.Add([]byte("två ord\n"), true)
	f.Add([]byte("\xff\xfe\n"), true)
	f.Add([]byte("och"), false)
	dir := f.TempDir()
	path := filepath.Join(dir, StopWordsFile)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, list []byte, present bool) {
		list = list[:min(len(list), fzFileMax)]
		fzWrite(t, path, list, present)
		got, err := ReadStopWords(dir)
		if !present {
			if got != nil || err != nil {
				t.Fatalf("no list: %v, %v", got, err)
			}
			return
		}
		want, bad := map[string]bool{}, false
		for _, line := range fzLines(list) {
			w := strings.TrimSpace(line)
			if w == "" || strings.HasPrefix(w, "#") {
				continue
			}
			if !utf8.ValidString(w) || strings.ContainsAny(w, " \t") {
				bad = true
				break
			}
			want[strings.ToLower(w)] = true
		}
		if bad {
			if err == nil {
				t.Fatalf("list %q: %v; want an error", list, got)
			}
			return
		}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("list %q: %q, %v; want %q", list, slices.Sorted(maps.Keys(got)), err, slices.Sorted(maps.Keys(want)))
		}
	})
}
