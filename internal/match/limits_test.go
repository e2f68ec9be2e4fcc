package match

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// longLengths are the lengths, in characters, of the long inputs the bounds
// are tried on: one word of 900 000 characters held a core for over ten
// minutes before words and texts were cut.
var longLengths = []int{2000, 8000, 32000, 128000, 900000}

// longWord returns one word of n letters: a compound repeated, so that the
// splitter finds known heads and modifiers all along it.
func longWord(n int) string {
	unit := []rune("gatubelysningsanläggning")
	r := make([]rune, n)
	for i := range r {
		r[i] = unit[i%len(unit)]
	}
	return string(r)
}

// longText returns n characters of ordinary procurement prose.
func longText(n int) string {
	prose := []rune("Kommunen behöver ny gatubelysning med LED-armaturer och styrning på distans. " +
		"Trygghetslarm i hemtjänsten ska fungera digitalt. Insamling av mat- och restavfall med sopbilar som drivs med biogas. ")
	r := make([]rune, n)
	for i := range r {
		r[i] = prose[i%len(prose)]
	}
	return string(r)
}

// limitsCompounds is the reference folder's compound dictionary, or a small
// one when there is no reference folder.
func limitsCompounds(t testing.TB) *Compounds {
	c, err := ReadCompounds(refDir())
	if err != nil {
		t.Fatal(err)
	}
	if c == nil {
		c = NewCompounds([]string{"gata", "anläggning", "sop", "mat"}, []string{"belysning", "anläggning", "larm", "bil", "avfall"})
	}
	return c
}

// TestLongWordAnalysisIsBounded: a word is cut at maxWordRunes before it is
// split, stemmed or cut into n-grams, so a word of any length costs what its
// first maxWordRunes letters cost. The work is counted in allocations (each
// split point tried allocates), not in time, which a shared machine blurs.
func TestLongWordAnalysisIsBounded(t *testing.T) {
	comp := limitsCompounds(t)
	prefix := longWord(maxWordRunes)
	want := NewAnalyzer(comp).Tokens(prefix)
	if len(want) != 1 {
		t.Fatalf("tokens of %q: %v", prefix, want)
	}
	base := testing.AllocsPerRun(3, func() { NewAnalyzer(comp).Tokens(prefix) })
	for _, n := range longLengths {
		w := longWord(n)
		start := time.Now()
		got := NewAnalyzer(comp).Tokens(w) // a new analyser: no cached word
		took := time.Since(start)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%d letters: %d tokens, the first of %d runes; want those of the first %d letters %v", n, len(got), len([]rune(got[0].Surface)), maxWordRunes, want)
		}
		for _, w := range Words(w + " " + w) {
			if r := len([]rune(w)); r > maxWordRunes {
				t.Fatalf("%d letters: Words gave a word of %d runes", n, r)
			}
		}
		allocs := testing.AllocsPerRun(3, func() { NewAnalyzer(comp).Tokens(w) })
		t.Logf("one word of %6d letters: %8v, %3.0f allocations (%3.0f for %d letters)", n, took, allocs, base, maxWordRunes)
		if allocs > base+2 {
			t.Fatalf("one word of %d letters: %.0f allocations, its first %d letters %.0f: the work grows with the word", n, allocs, maxWordRunes, base)
		}
		if parts := NewAnalyzer(comp).Parts(w); !reflect.DeepEqual(parts, NewAnalyzer(comp).Parts(prefix)) {
			t.Fatalf("%d letters: parts %v", n, parts)
		}
	}
}

// TestLongTextParseIsBounded: a need's title and description are read up
// to maxTitleRunes and maxTextRunes; below the caps every word counts, above
// them the work stays that of the caps.
func TestLongTextParseIsBounded(t *testing.T) {
	an := NewAnalyzer(limitsCompounds(t))
	capped := &Need{Title: clip(longText(maxTextRunes), maxTitleRunes), Description: longText(maxTextRunes)}
	want := len(parse(an, capped, nil))
	base := testing.AllocsPerRun(3, func() { parse(an, capped, nil) })
	for _, n := range longLengths {
		nd := &Need{Title: longText(n), Description: longText(n)}
		start := time.Now()
		occ := parse(an, nd, nil)
		took := time.Since(start)
		words := len(an.analysedWords(clip(nd.Title, maxTitleRunes))) + len(an.analysedWords(nd.Description))
		if n <= maxTextRunes && len(occ) != words {
			t.Fatalf("%d characters: %d words analysed, want all %d", n, len(occ), words)
		}
		if n >= maxTextRunes && len(occ) != want {
			t.Fatalf("%d characters: %d words analysed, want the %d of the first %d", n, len(occ), want, maxTextRunes)
		}
		allocs := testing.AllocsPerRun(3, func() { parse(an, nd, nil) })
		t.Logf("a text of %6d characters: %8v, %5d words, %4.0f allocations", n, took, len(occ), allocs)
		if allocs > base+2 {
			t.Fatalf("a text of %d characters: %.0f allocations, the capped text %.0f", n, allocs, base)
		}
	}
}

// TestLongInputSuggestsAsItsCap: CPV suggestion for a long word or text is
// the suggestion for what the caps keep of it, at the same cost.
func TestLongInputSuggestsAsItsCap(t *testing.T) {
	s := NewCPVSuggester(NewAnalyzer(limitsCompounds(t)), testCodes)
	ix := NewIndex(s.an)
	ix.Upsert(&Need{ID: "a", Org: "A", Title: "Ny gatubelysning", Description: "LED-armaturer längs gatorna.", CPV: []string{"34928500"}})
	ix.Upsert(&Need{ID: "b", Org: "B", Title: "Sopbilar", Description: "Insamling av avfall.", CPV: []string{"34144511"}})
	suggest := func(title, desc string) []CPVSuggestion {
		got, err := s.Suggest(context.Background(), title, desc, ix, "", "Q", nil, 5)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	word := func(n int) (string, string) { return longWord(n), "Belysning av gator." }
	inDesc := func(n int) (string, string) { return "Gatubelysning", longWord(n) }
	text := func(n int) (string, string) { return longText(n), longText(n) }
	for _, c := range []struct {
		name   string
		input  func(n int) (string, string)
		capped func() (string, string)
		from   int // the length from which the capped form is what counts
	}{
		{"a long word as title", word, func() (string, string) { return word(maxWordRunes) }, maxWordRunes},
		{"a long word as description", inDesc, func() (string, string) { return inDesc(maxWordRunes) }, maxWordRunes},
		{"a long text", text, func() (string, string) { return longText(maxTitleRunes), longText(maxTextRunes) }, maxTextRunes},
	} {
		ct, cd := c.capped()
		want := suggest(ct, cd)
		base := testing.AllocsPerRun(2, func() { suggest(ct, cd) })
		for _, n := range longLengths {
			title, desc := c.input(n)
			start := time.Now()
			got := suggest(title, desc)
			took := time.Since(start)
			if n >= c.from && !reflect.DeepEqual(got, want) {
				t.Fatalf("%s of %d characters: %v, want the suggestion for its capped form %v", c.name, n, got, want)
			}
			allocs := testing.AllocsPerRun(2, func() { suggest(title, desc) })
			t.Logf("%s of %6d characters: %8v, %6.0f allocations (capped %6.0f)", c.name, n, took, allocs, base)
			if allocs > base*1.05+10 {
				t.Fatalf("%s of %d characters: %.0f allocations, capped %.0f: the work grows with the input", c.name, n, allocs, base)
			}
		}
	}
}

// TestLongInputMatchesAsItsCap: a need with a long word or text ranks, and
// is ranked, and its matches are explained, as its capped form; an item of
// a collection likewise.
func TestLongInputMatchesAsItsCap(t *testing.T) {
	an := NewAnalyzer(limitsCompounds(t))
	others := []*Need{
		{ID: "a", Org: "A", Title: "Ny gatubelysning", Description: "LED-armaturer längs gatorna, styrda på distans."},
		{ID: "b", Org: "B", Title: "Sopbilar som drivs med biogas", Description: "Insamling av mat- och restavfall."},
		{ID: "c", Org: "C", Title: "Trygghetslarm", Description: "Digitala trygghetslarm i hemtjänsten."},
	}
	items := []Item{
		{ID: "call", Title: "Smart belysning i offentlig miljö", Body: "Utlysning för kommuner som vill pröva styrd gatubelysning."},
		{ID: "network", Title: "Avfallsnätverket", Body: "Kommuner som upphandlar insamling av avfall tillsammans."},
	}
	type outcome struct {
		Similar   []string
		Explained [][]SharedConcept
		AsIndexed []string
		Items     []ItemMatch
	}
	ranked := func(title, desc string) outcome {
		ix := NewIndex(an)
		ix.UpsertAll(others)
		q := &Need{ID: "q", Org: "Q", Title: title, Description: desc}
		var o outcome
		for _, m := range ix.Similar(q, 0, nil) {
			o.Similar = append(o.Similar, fmt.Sprintf("%s %.9f", m.ID, m.Score))
			for _, n := range others {
				if n.ID == m.ID {
					o.Explained = append(o.Explained, ix.Explain(q, n, 6))
				}
			}
		}
		ix.Upsert(q)
		for _, m := range ix.Similar(others[0], 0, nil) {
			o.AsIndexed = append(o.AsIndexed, fmt.Sprintf("%s %.9f", m.ID, m.Score))
		}
		c, err := NewCollection(context.Background(), an, append(items[:len(items):len(items)], Item{ID: "long", Title: title, Body: desc, Tags: []string{title}}))
		if err != nil {
			t.Fatal(err)
		}
		if o.Items, err = c.Rank(context.Background(), others[0], 0, 0, nil); err != nil {
			t.Fatal(err)
		}
		return o
	}
	for _, c := range []struct {
		name   string
		input  func(n int) (string, string)
		capped func() (string, string)
		from   int // the length from which the capped form is what counts
	}{
		{"a long word", func(n int) (string, string) { return "Gatubelysning", longWord(n) },
			func() (string, string) { return "Gatubelysning", longWord(maxWordRunes) }, maxWordRunes},
		{"a long text", func(n int) (string, string) { return longText(n), longText(n) },
			func() (string, string) { return longText(maxTitleRunes), longText(maxTextRunes) }, maxTextRunes},
	} {
		want := ranked(c.capped())
		if len(want.Similar) == 0 || len(want.Items) == 0 {
			t.Fatalf("%s: nothing ranked: %+v", c.name, want)
		}
		for _, n := range longLengths {
			if n < c.from {
				continue
			}
			title, desc := c.input(n)
			start := time.Now()
			got := ranked(title, desc)
			t.Logf("%s of %6d characters: ranked, explained, indexed and in a collection in %v", c.name, n, time.Since(start))
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s of %d characters:\n%+v\nwant as capped\n%+v", c.name, n, got, want)
			}
		}
	}
}

// TestRankingStopsWhenTheCallerGoes: ranking needs (both strategies), building
// and ranking a collection and suggesting codes give up with the context's
// error once it ends, also when it ends halfway.
func TestRankingStopsWhenTheCallerGoes(t *testing.T) {
	an := NewAnalyzer(nil)
	// Each need has one rare word of 676 (belysningaa … belysningzz), so
	// a large index reads postings for the query's.
	needs := make([]*Need, exhaustiveMax+100)
	for i := range needs {
		needs[i] = &Need{ID: fmt.Sprint(i), Org: fmt.Sprint(i % 50), Title: fmt.Sprintf("Gatubelysning belysning%c%c", 'a'+i/26%26, 'a'+i%26), Description: "Belysning längs gatorna."}
	}
	small, large := NewIndex(an), NewIndex(an)
	small.UpsertAll(needs[:200])
	large.UpsertAll(needs)
	q := &Need{ID: "q", Org: "Q", Title: "Gatubelysning", Description: "Belysningaa, belysningab och belysningac."}
	cancelling := func() (context.Context, func(string) bool) {
		ctx, cancel := context.WithCancel(context.Background())
		return ctx, func(string) bool { cancel(); return true } // the caller goes while candidates are picked
	}
	for name, ix := range map[string]*Index{"every need scored": small, "candidates from the postings": large} {
		if ms, err := ix.SimilarContext(context.Background(), q, 5, nil); err != nil || len(ms) != 5 {
			t.Fatalf("%s: %d matches, %v", name, len(ms), err)
		}
		ctx, keep := cancelling()
		if ms, err := ix.SimilarContext(ctx, q, 5, keep); !errors.Is(err, context.Canceled) || ms != nil {
			t.Errorf("%s, cancelled halfway: %d matches, error %v", name, len(ms), err)
		}
	}
	items := []Item{{ID: "a", Title: "Gatubelysning"}, {ID: "b", Title: "Sopbilar"}}
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := NewCollection(gone, an, items); !errors.Is(err, context.Canceled) {
		t.Errorf("collection built for a caller gone: %v", err)
	}
	c, err := NewCollection(context.Background(), an, items)
	if err != nil {
		t.Fatal(err)
	}
	ctx, keep := cancelling()
	if ms, err := c.Rank(ctx, q, 0, 0, keep); !errors.Is(err, context.Canceled) || ms != nil {
		t.Errorf("collection ranked for a caller gone: %v, %v", ms, err)
	}
	s := NewCPVSuggester(an, testCodes)
	if got, err := s.Suggest(gone, "Gatubelysning", "", nil, "", "", nil, 5); !errors.Is(err, context.Canceled) || got != nil {
		t.Errorf("codes suggested for a caller gone: %v, %v", got, err)
	}
	ctx, keep = cancelling()
	if got, err := s.Suggest(ctx, "Gatubelysning", "", small, "", "Q", keep, 5); !errors.Is(err, context.Canceled) || got != nil {
		t.Errorf("codes suggested for a caller gone while needs voted: %v, %v", got, err)
	}
}

// TestClip: clip counts runes and reads no further than it keeps.
func TestClip(t *testing.T) {
	for _, c := range []struct {
		s    string
		n    int
		want string
	}{{"", 3, ""}, {"abc", 3, "abc"}, {"abcd", 3, "abc"}, {"åäöå", 3, "åäö"}, {"åä", 3, "åä"}, {strings.Repeat("ö", 10), 0, ""}} {
		if got := clip(c.s, c.n); got != c.want {
			t.Errorf("clip(%q, %d) = %q, want %q", c.s, c.n, got, c.want)
		}
	}
}
