package match

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestWords(t *testing.T) {
	got := Words("LED-belysning i gatorna, 2026: mat- och restavfall (SÄBO)!")
	want := []string{"led", "belysning", "ledbelysning", "i", "gatorna", "2026", "mat", "och", "restavfall", "säbo"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Words = %q\nwant %q", got, want)
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
