package match

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"
)

// collItems is a small hand-made collection: calls, projects, an expert,
// a network and a deliverable, in Swedish.
var collItems = []Item{
	{ID: "call:valfardsteknik", Title: "Välfärdsteknik och e-hälsa i kommunerna",
		Body: "Utlysningen stödjer kommuner och regioner som vill pröva digitala tjänster för äldreomsorg och funktionsstöd, till exempel digital tillsyn och stöd på distans.",
		Tags: []string{"välfärdsteknik", "e-hälsa", "digitalisering"}},
	{ID: "proj:molndal", Title: "Trygghetsskapande teknik i hemtjänsten",
		Body: "Vård- och omsorgsförvaltningen upphandlar teknik som ger trygghet och självständighet för brukare i ordinärt boende: larm som fungerar utanför bostaden och rörelsesensorer för tillsyn på natten."},
	{ID: "exp:cirkular", Title: "Forskare i hållbar upphandling",
		Body: "Forskar om hur offentliga inköpare ställer krav som främjar återbruk och långa livslängder.",
		Tags: []string{"cirkulär ekonomi", "offentlig upphandling"}},
	{ID: "net:lokaler", Title: "Beställargruppen för lokaler",
		Body: "Nätverk för fastighetsägare som vill minska energianvändningen genom gemensamma teknikupphandlingar av ventilation, belysning och styrsystem.",
		Tags: []string{"energieffektiva lokaler"}},
	{ID: "proj:biobank", Title: "Automatiserad provhantering i biobanken",
		Body: "Regionen upphandlar en robot som sorterar och fryser prover för att korta ledtider i laboratoriet."},
	{ID: "del:vagledning", Title: "Vägledning för innovationsupphandling",
		Body: "Rapporten beskriver hur en upphandlande organisation planerar en innovationsupphandling steg för steg, med dialog och utvärdering."},
	{ID: "call:transport", Title: "Fossilfria transporter i kommunal verksamhet",
		Body: "Stöd till kommuner som ställer om fordonsflottan till el och biogas.",
		Tags: []string{"transporter", "klimat"}},
}

// collCompounds is a compound dictionary just large enough for the items.
func collCompounds() *Compounds {
	return NewCompounds(
		[]string{"trygghet", "välfärd", "energi", "skola", "hem", "larm", "prov", "bio", "fordon", "omsorg", "kontor"},
		[]string{"larm", "teknik", "kedja", "tjänst", "effektiv", "lokal", "hantering", "bank", "skapande", "flotta", "möbel", "belysning", "användning", "upphandling", "system"},
	)
}

func collNeed(id, title, desc string) *Need {
	return &Need{ID: id, Org: "org", Title: title, Description: desc}
}

var collNeeds = []struct {
	need   *Need
	first  string
	shared []SharedConcept // some of the concepts the first item must show
}{
	{collNeed("n1", "Trygghetslarm med digital larmkedja för hemtjänsten",
		"Vi behöver trygghetslarm för brukare i ordinärt boende, med larmmottagning dygnet runt. Effekten vi söker är ökad trygghet för äldre som bor hemma."),
		"proj:molndal", []SharedConcept{{"hemtjänsten", "hemtjänsten"}, {"trygghet", "trygghet"}}},
	{collNeed("n2", "Digital tillsyn inom äldreomsorgen",
		"Vi vill införa välfärdsteknik och e-hälsa så att äldre kan få stöd på distans."),
		"call:valfardsteknik", []SharedConcept{{"välfärdsteknik", "välfärdsteknik"}}},
	{collNeed("n3", "Cirkulära kontorsmöbler",
		"Vi vill ställa krav på återbruk av möbler i offentlig upphandling och få råd om cirkulär ekonomi."),
		"exp:cirkular", []SharedConcept{{"cirkulär", "cirkulär"}, {"återbruk", "återbruk"}}},
	{collNeed("n4", "Energieffektiv belysning i skollokaler",
		"Vi vill byta belysningen i skolorna för att minska energianvändningen."),
		"net:lokaler", []SharedConcept{{"energieffektiv", "energieffektiva"}, {"skollokaler", "lokaler"}}},
	{collNeed("n5", "Robot för hantering av prover",
		"Laboratoriet behöver automatisera provhanteringen i biobanken."),
		"proj:biobank", []SharedConcept{{"biobanken", "biobanken"}}},
}

func TestCollectionRanksRightItemFirst(t *testing.T) {
	for _, comp := range []*Compounds{nil, collCompounds()} {
		c := collection(t, NewAnalyzer(comp), collItems)
		for _, tc := range collNeeds {
			got := c.rank(tc.need, 0, 0, nil)
			if len(got) == 0 || got[0].ID != tc.first {
				t.Errorf("compounds=%v: %q: first %v, want %s", comp != nil, tc.need.Title, collSummary(got), tc.first)
				continue
			}
			if got[0].Score < DefaultMinItemScore {
				t.Errorf("compounds=%v: %q: best score %.3f below DefaultMinItemScore", comp != nil, tc.need.Title, got[0].Score)
			}
			if len(got) > 1 && got[1].Score >= got[0].Score {
				t.Errorf("%q: not sorted: %v", tc.need.Title, collSummary(got))
			}
			for _, want := range tc.shared {
				if !slices.Contains(got[0].Shared, want) {
					t.Errorf("compounds=%v: %q: shared %v lacks %v", comp != nil, tc.need.Title, got[0].Shared, want)
				}
			}
		}
	}
}

// Compound parts let a need match words it does not contain.
func TestCollectionCompoundParts(t *testing.T) {
	c := collection(t, NewAnalyzer(collCompounds()), collItems)
	n := collNeed("n", "Trygghetslarm", "")
	got := c.rank(n, 1, 0, nil)
	if len(got) != 1 || got[0].ID != "proj:molndal" {
		t.Fatalf("got %v, want proj:molndal", collSummary(got))
	}
	if want := (SharedConcept{"trygghetslarm", "trygghet"}); !slices.Contains(got[0].Shared, want) {
		t.Errorf("shared %v lacks %v", got[0].Shared, want)
	}
	// Without the dictionary, n-grams still find it, and the reason is the
	// word that begins the compound.
	plain := collection(t, NewAnalyzer(nil), collItems)
	got = plain.rank(n, 0, DefaultMinItemScore, nil)
	if len(got) != 1 || got[0].ID != "proj:molndal" {
		t.Fatalf("without compounds: got %v, want proj:molndal alone", collSummary(got))
	}
	if want := (SharedConcept{"trygghetslarm", "trygghet"}); !slices.Contains(got[0].Shared, want) {
		t.Errorf("without compounds: shared %v lacks %v", got[0].Shared, want)
	}
}

// Shared concepts are words as written in the need and the item, not
// stems, without duplicates and at most six.
func TestCollectionSharedReadable(t *testing.T) {
	byID := map[string]Item{}
	for _, it := range collItems {
		byID[it.ID] = it
	}
	for _, comp := range []*Compounds{nil, collCompounds()} {
		c := collection(t, NewAnalyzer(comp), collItems)
		for _, tc := range collNeeds {
			needWords := Words(tc.need.Title + " " + tc.need.Description)
			for _, m := range c.rank(tc.need, 0, 0, nil) {
				it := byID[m.ID]
				itemWords := Words(fmt.Sprint(it.Title, " ", it.Body, " ", it.Tags))
				if len(m.Shared) > itemMaxShared {
					t.Errorf("%s: %d shared concepts", m.ID, len(m.Shared))
				}
				seen := map[SharedConcept]bool{}
				for _, s := range m.Shared {
					if seen[s] {
						t.Errorf("%q / %s: duplicate %v", tc.need.Title, m.ID, s)
					}
					seen[s] = true
					if !slices.Contains(needWords, s.Need) {
						t.Errorf("%q / %s: need word %q is not written in the need", tc.need.Title, m.ID, s.Need)
					}
					if !slices.Contains(itemWords, s.Item) {
						t.Errorf("%q / %s: item word %q is not written in the item", tc.need.Title, m.ID, s.Item)
					}
				}
			}
		}
	}
	// "trygghet" stems to "trygg": the reason must show the word.
	c := collection(t, NewAnalyzer(collCompounds()), collItems)
	got := c.rank(collNeeds[0].need, 1, 0, nil)
	for _, s := range got[0].Shared {
		if s.Need == "trygg" || s.Item == "trygg" || s.Item == "hemtjänst" || s.Need == "brukar" {
			t.Errorf("stem in shared: %v", got[0].Shared)
		}
	}
}

func TestCollectionMinKeepAndK(t *testing.T) {
	c := collection(t, NewAnalyzer(collCompounds()), collItems)
	n := collNeeds[0].need
	all := c.rank(n, 0, 0, nil)
	if len(all) != len(collItems) {
		t.Fatalf("min 0 returned %d of %d items", len(all), len(collItems))
	}
	above := c.rank(n, 0, DefaultMinItemScore, nil)
	if len(above) == 0 || len(above) == len(all) {
		t.Fatalf("default minimum kept %d of %d: %v", len(above), len(all), collSummary(all))
	}
	for _, m := range above {
		if m.Score < DefaultMinItemScore {
			t.Errorf("%s scores %.3f < min", m.ID, m.Score)
		}
	}
	if !reflect.DeepEqual(above, all[:len(above)]) {
		t.Errorf("min changed the order: %v vs %v", collSummary(above), collSummary(all))
	}
	if got := c.rank(n, 0, 1.01, nil); len(got) != 0 {
		t.Errorf("min above 1 returned %v", collSummary(got))
	}
	if got := c.rank(n, 2, 0, nil); !reflect.DeepEqual(got, all[:2]) {
		t.Errorf("k=2: %v, want %v", collSummary(got), collSummary(all[:2]))
	}
	keep := func(id string) bool { return id != "proj:molndal" }
	got := c.rank(n, 0, 0, keep)
	if len(got) != len(all)-1 {
		t.Fatalf("keep: %d items, want %d", len(got), len(all)-1)
	}
	for _, m := range got {
		if m.ID == "proj:molndal" {
			t.Errorf("keep did not filter: %v", collSummary(got))
		}
	}
	// Filtering does not change the scores of the other items.
	score := map[string]float64{}
	for _, m := range all {
		score[m.ID] = m.Score
	}
	for _, m := range got {
		if m.Score != score[m.ID] {
			t.Errorf("keep changed %s's score: %.4f, was %.4f", m.ID, m.Score, score[m.ID])
		}
	}
}

func TestCollectionTiesByID(t *testing.T) {
	it := Item{Title: "Energieffektiva lokaler", Body: "Belysning och ventilation."}
	var items []Item
	for _, id := range []string{"c", "a", "d", "b"} {
		x := it
		x.ID = id
		items = append(items, x)
	}
	items = append(items, Item{ID: "0", Title: "Fossilfria transporter"})
	c := collection(t, NewAnalyzer(nil), items)
	got := c.rank(collNeed("n", "Energieffektiv belysning i lokaler", ""), 0, 0, nil)
	var ids []string
	for _, m := range got {
		ids = append(ids, m.ID)
	}
	if want := []string{"a", "b", "c", "d", "0"}; !reflect.DeepEqual(ids, want) {
		t.Fatalf("order %v, want %v", collSummary(got), want)
	}
	for _, m := range got[1:4] {
		if m.Score != got[0].Score || !reflect.DeepEqual(m.Shared, got[0].Shared) {
			t.Errorf("equal items differ: %v", got)
		}
	}
}

func TestCollectionDeterministic(t *testing.T) {
	an := NewAnalyzer(collCompounds())
	first := map[string][]ItemMatch{}
	for _, tc := range collNeeds {
		first[tc.need.ID] = collection(t, an, collItems).rank(tc.need, 0, 0, nil)
	}
	c := collection(t, an, collItems)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 5 {
				for _, tc := range collNeeds {
					if got := c.rank(tc.need, 0, 0, nil); !reflect.DeepEqual(got, first[tc.need.ID]) {
						t.Errorf("%q: ranking differs between runs:\n%v\n%v", tc.need.Title, got, first[tc.need.ID])
					}
				}
			}
		})
	}
	wg.Wait()
}

func TestCollectionEmpty(t *testing.T) {
	an := NewAnalyzer(nil)
	if got := collection(t, an, nil).rank(collNeeds[0].need, 5, 0, nil); len(got) != 0 {
		t.Errorf("empty collection returned %v", got)
	}
	c := collection(t, an, append(collItems, Item{ID: "empty"}))
	for _, m := range c.rank(collNeed("n", "", ""), 0, 0, nil) {
		if m.Score != 0 || len(m.Shared) != 0 {
			t.Errorf("empty need matched %v", m)
		}
	}
}

// With the reference compound dictionary (when the data folder is there),
// the demo need finds Mölndal's project through "trygghet".
func TestCollectionReferenceCompounds(t *testing.T) {
	dir := os.Getenv("ARENA_TEST_DATA_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data")
	}
	comp, err := ReadCompounds(dir)
	if err != nil {
		t.Fatal(err)
	}
	if comp == nil {
		t.Skip("no reference data folder")
	}
	c := collection(t, NewAnalyzer(comp), collItems)
	for _, tc := range collNeeds {
		got := c.rank(tc.need, 3, DefaultMinItemScore, nil)
		if len(got) == 0 || got[0].ID != tc.first {
			t.Errorf("%q: %v, want %s first", tc.need.Title, collSummary(got), tc.first)
		}
	}
}

func collSummary(ms []ItemMatch) string {
	s := ""
	for _, m := range ms {
		s += fmt.Sprintf("\n  %.3f %s %v", m.Score, m.ID, m.Shared)
	}
	return s
}

// collection builds a collection without a deadline.
func collection(tb testing.TB, an *Analyzer, items []Item) *Collection {
	tb.Helper()
	c, err := NewCollection(context.Background(), an, items)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// rank is Rank without a deadline.
func (c *Collection) rank(n *Need, k int, min float64, keep func(id string) bool) []ItemMatch {
	ms, err := c.Rank(context.Background(), n, k, min, keep)
	if err != nil {
		panic(err) // a background context never ends
	}
	return ms
}

// A word both have is the reason; another pairing of it (through a
// compound part, a near form) adds nothing: Vinnova's checkar and Belok
// share innovationsupphandling, not also innovationsupphandling ~
// upphandlingen.
func TestCollectionSharedNoEcho(t *testing.T) {
	belok := Item{ID: "net:belok", Title: "Belok (Beställargruppen lokaler)", Tags: []string{"Energieffektiva lokaler"}, Body: "Nätverk med fokus på energieffektiva lokaler som bildades 2001 och finansieras och drivs av Energimyndigheten. Samlar 27 aktörer som representerar 25 procent av lokalytan i Sverige, men även forskare och andra intressenter; både offentliga beställare och privata aktörer deltar. Nätverket möjliggör större risktagande för att ta fram och visa ny teknik. Ett exempel är en innovationsupphandling som slutade med en tekniktävling: upphandlingen slutfördes inte, men nya lösningar kom fram och nådde marknaden, och ett antal kravspecifikationer gjordes tillgängliga."}
	checkar := collNeed("n", "Checkar för innovationsupphandling", "Vinnovas satsning inom regeringsuppdraget att stimulera innovationsupphandling. Den första utlysningen, Checkar för innovationsupphandling 2021 – pilot, genomfördes hösten 2021. Stödet riktar sig till upphandlande organisationer som är inne i en pågående innovationsupphandling eller ska ta fram beslutsunderlag för en kommande innovationsupphandling. innovationsupphandling")
	ref, err := ReadCompounds(refDir()) // nil without the folder: n-grams only
	if err != nil {
		t.Fatal(err)
	}
	for _, an := range []*Analyzer{NewAnalyzer(nil), NewAnalyzer(collCompounds()), NewAnalyzer(ref)} {
		got := collection(t, an, []Item{belok}).rank(checkar, 1, 0, nil)
		if len(got) != 1 || !slices.Contains(got[0].Shared, SharedConcept{"innovationsupphandling", "innovationsupphandling"}) {
			t.Fatalf("got %v", got)
		}
		for _, sc := range got[0].Shared {
			if sc.Need == "innovationsupphandling" && sc.Item != "innovationsupphandling" {
				t.Errorf("shared %v: the need's word is given again as %q", got[0].Shared, sc.Item)
			}
		}
	}
}

// TestCollectionReasonsOnlyThroughMeantParts: as for needs, an item's
// shared concepts name a compound's part only when the compound means its
// parts (the corpora find the parts alone, more often than the whole):
// vattenkraft ~ kraft is given, stensättning ~ sättning is not (sten and
// sättning never stand alone here), though both count in the ranking.
// Without the corpora every split counts, so the test fails if the gate
// goes.
func TestCollectionReasonsOnlyThroughMeantParts(t *testing.T) {
	comp := referenceFolder(t, "vatten\t1\t0\t0\t0\t\nkraft\t0\t0\t1\t0\t\nsten\t1\t0\t0\t0\t\nsättning\t0\t0\t1\t0\t\n",
		`{"title": "Vatten", "text": "Vatten och kraft. Mer vatten ger kraft. Stensättning och stensättning."}`,
		`{"title": "Vattenkraft", "text": "Vattenkraft."}`)
	need := &Need{ID: "q", Org: "a", Title: "Vattenkraft och stensättning", Description: "Underhåll av vattenkraft och stensättning vid dammen."}
	items := []Item{{ID: "i", Title: "Kraft och sättning", Body: "Kraft, sättning och underhåll vid dammar."}}
	shared := func(an *Analyzer) map[string]bool {
		c, err := NewCollection(context.Background(), an, items)
		if err != nil {
			t.Fatal(err)
		}
		ms, err := c.Rank(context.Background(), need, 1, 0, nil)
		if err != nil || len(ms) != 1 {
			t.Fatalf("rank: %v %v", ms, err)
		}
		out := map[string]bool{}
		for _, sc := range ms[0].Shared {
			out[sc.Need+" ~ "+sc.Item] = true
		}
		return out
	}
	if got := shared(NewAnalyzer(comp)); !got["vattenkraft ~ kraft"] || got["stensättning ~ sättning"] {
		t.Errorf("with the corpora: %v, want vattenkraft ~ kraft and not stensättning ~ sättning", got)
	}
	bare := &Compounds{words: comp.words, ends: comp.ends}
	if got := shared(NewAnalyzer(bare)); !got["vattenkraft ~ kraft"] || !got["stensättning ~ sättning"] {
		t.Errorf("without the corpora: %v, want vattenkraft ~ kraft and stensättning ~ sättning", got)
	}
}

// A need analysed once ranks in every collection of its analyzer as Rank
// ranks it, and in a collection of another analyzer too (analysed again).
func TestRankTextIsRank(t *testing.T) {
	an := NewAnalyzer(collCompounds())
	first, second := collection(t, an, collItems[:len(collItems)/2]), collection(t, an, collItems[len(collItems)/2:])
	other := collection(t, NewAnalyzer(nil), collItems)
	for _, tc := range collNeeds {
		text := first.Analyse(tc.need)
		for name, c := range map[string]*Collection{"first": first, "second": second, "other analyzer": other} {
			want := c.rank(tc.need, 0, 0, nil)
			got, err := c.RankText(context.Background(), text, 0, 0, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%q in the %s collection: RankText %v, Rank %v", tc.need.Title, name, collSummary(got), collSummary(want))
			}
		}
	}
}
