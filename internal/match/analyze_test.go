package match

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestWords(t *testing.T) {
	got := Words("LED-belysning i gatorna, 2026: mat- och restavfall (SÄBO)!")
	want := []string{"led", "belysning", "ledbelysning", "i", "gatorna", "2026", "mat", "och", "restavfall", "säbo"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Words = %q\nwant %q", got, want)
	}
}

// TestWordsInvisible: a soft hyphen or a zero-width character, as text
// from word processors and PDFs carries them, does not cut a word in two.
func TestWordsInvisible(t *testing.T) {
	got := Words("utpress\u00adning och gatu\u200bbelysning\u2060en")
	want := []string{"utpressning", "och", "gatubelysningen"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Words = %q, want %q", got, want)
	}
}

func TestTokensDropNames(t *testing.T) {
	a := NewAnalyzer(nil)
	var got []string
	for _, tok := range a.Tokens("Trafikverket ansvarar för belysning i Grisslehamn. Umeå har LED-armaturer; Säbo-boenden") {
		got = append(got, tok.Surface)
	}
	want := []string{"trafikverket", "ansvarar", "belysning", "umeå", "led", "armaturer", "ledarmaturer", "säbo", "boenden", "säboboenden"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("tokens %q, want %q", got, want)
	}
}

func TestTokensDropNoise(t *testing.T) {
	a := NewAnalyzer(nil)
	var stems []string
	for _, tok := range a.Tokens("Vi behöver trygghetslarm för 1200 brukare och larmen ska fungera") {
		stems = append(stems, tok.Stem)
	}
	want := []string{"trygghetslarm", "bruk", "larm"}
	if !reflect.DeepEqual(stems, want) {
		t.Fatalf("stems %q, want %q", stems, want)
	}
}

func TestCompoundSplit(t *testing.T) {
	c := NewCompounds([]string{"trygghet", "gata", "mat", "sop", "distans"}, []string{"larm", "belysning", "bil", "tolkning", "avfall"})
	for word, parts := range map[string][]string{
		"trygghetslarm":   {"trygghet", "larm"},
		"gatubelysning":   {"gata", "belysning"},
		"sopbilar":        {"sop", "bil"},
		"distanstolkning": {"distans", "tolkning"},
		"belysning":       nil,
		"matavfall":       {"mat", "avfall"},
	} {
		var want []string
		for _, p := range parts {
			want = append(want, Stem(p))
		}
		if got := c.Split(word); !reflect.DeepEqual(got, want) {
			t.Errorf("Split(%q) = %q, want %q", word, got, want)
		}
	}
}

func TestCompoundsFromReferenceData(t *testing.T) {
	dir := os.Getenv("ARENA_TEST_DATA_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data")
	}
	c, err := ReadCompounds(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c == nil {
		t.Skip("no reference data folder")
	}
	for word, head := range map[string]string{"trygghetslarm": "larm", "gatubelysning": "belysning", "livsmedelstillsyn": "tillsyn", "renhållningsfordon": "fordon"} {
		parts := c.Split(word)
		if len(parts) < 2 || parts[len(parts)-1] != Stem(head) {
			t.Errorf("Split(%q) = %q, want head %q", word, parts, head)
		}
	}
}

// TestTransparentCompounds: with the corpora, a split is a reason only
// when its parts are words of their own, more common than the word:
// trygghetslarm is trygghet + larm, but röjning is not röj + ning (ning is
// no word; it stands alone in the corpora only as the piece of a
// hyphenated word). Without the corpora every split the dictionary allows
// is given, as before.
// referenceFolder writes a reference folder of a compound dictionary (its
// rows after the header) and one corpus file of 20 copies of the common
// document and one of the rare one (JSON lines), and reads its compounds.
func referenceFolder(t *testing.T, dicRows, common, rare string) *Compounds {
	t.Helper()
	var corpus []string
	for range 20 {
		corpus = append(corpus, common)
	}
	corpus = append(corpus, rare)
	dir := t.TempDir()
	write := func(name, text string) {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(CompoundsFile, "word\tcompound_begin\tcompound_middle\tcompound_end\tonly_in_compound\tcompoundrule_flags\n"+dicRows)
	write(BackgroundFiles[0], strings.Join(corpus, "\n"))
	comp, err := ReadCompounds(dir)
	if err != nil || comp == nil {
		t.Fatal("compounds: ", comp, err)
	}
	return comp
}

func TestTransparentCompounds(t *testing.T) {
	comp := referenceFolder(t, "trygghet\t1\t0\t1\t0\t\nlarm\t1\t0\t1\t0\t\nröj\t1\t0\t0\t0\t\nbelys\t1\t0\t0\t0\t\nning\t0\t0\t1\t0\t\n",
		`{"title": "Trygghet", "text": "Trygghet och larm. Ett larm, en röj i skogen, belys vägen. Utpress-ning."}`,
		`{"title": "Trygghetslarm", "text": "Röjning och belysning."}`)
	q := &Need{ID: "q", Org: "a", Title: "Röjning och trygghetslarm", Description: "Röjning längs vägar och trygghetslarm."}
	c := &Need{ID: "c", Org: "b", Title: "Belysning och larm", Description: "Belysning av gångvägar och larm."}
	explain := func(an *Analyzer) map[string]bool {
		ix := NewIndex(an)
		ix.UpsertAll([]*Need{q, c})
		out := map[string]bool{}
		for _, sc := range ix.Explain(q, c, 10) {
			out[sc.Need+" ~ "+sc.Item] = true
		}
		return out
	}
	got := explain(NewAnalyzer(comp))
	if !got["trygghetslarm ~ larm"] || got["röjning ~ belysning"] {
		t.Errorf("with the corpora: %v, want trygghetslarm ~ larm and not röjning ~ belysning", got)
	}
	// The same dictionary without the corpora: every split counts.
	bare := &Compounds{words: comp.words, ends: comp.ends}
	if got := explain(NewAnalyzer(bare)); !got["trygghetslarm ~ larm"] || !got["röjning ~ belysning"] {
		t.Errorf("without the corpora: %v, want trygghetslarm ~ larm and röjning ~ belysning", got)
	}
}

func TestRelateCPV(t *testing.T) {
	for _, tc := range []struct {
		a, b  []string
		level string
		ok    bool
		both  bool
	}{
		{[]string{"50232000"}, []string{"50232000"}, "code", true, true},
		{[]string{"34144511"}, []string{"34144512"}, "category", true, true},
		{[]string{"33141000"}, []string{"33140000"}, "class", true, true},
		{[]string{"33100000"}, []string{"33100500"}, "group", true, true}, // 3310 and 33100 are padding
		{[]string{"33000000"}, []string{"33100000"}, "division", true, true},
		{[]string{"33000000"}, []string{"45000000"}, "", false, true},
		{nil, []string{"45000000"}, "", false, false},
		{[]string{"45000000", "34144510"}, []string{"34144511"}, "category", true, true}, // the closest pair wins
	} {
		link, ok, both := RelateCPV(tc.a, tc.b)
		if link.Level != tc.level || ok != tc.ok || both != tc.both {
			t.Errorf("RelateCPV(%v, %v) = %+v, %v, %v", tc.a, tc.b, link, ok, both)
		}
	}
}
