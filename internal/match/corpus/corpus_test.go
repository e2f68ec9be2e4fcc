package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/arena-se/arena/internal/refdata"
)

// testPaths returns the reference data folder (ARENA_TEST_DATA_DIR, default
// ../shared/data beside the repository) and the development set beside it,
// skipping the test when they are absent.
func testPaths(t testing.TB) (dataDir, evalPath string) {
	t.Helper()
	dataDir = os.Getenv("ARENA_TEST_DATA_DIR")
	if dataDir == "" {
		dataDir = filepath.Join("..", "..", "..", "..", "shared", "data")
	}
	evalPath = filepath.Join(dataDir, "..", "eval", "needs.jsonl")
	for _, p := range []string{filepath.Join(dataDir, filepath.FromSlash(corpusFiles[0])), evalPath} {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("corpus tests skipped: %v (set ARENA_TEST_DATA_DIR to the shared/data folder)", err)
		}
	}
	return dataDir, evalPath
}

func TestDeterministic(t *testing.T) {
	dataDir, evalPath := testPaths(t)
	a, err := Generate(dataDir, evalPath, 1000, 42)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(dataDir, evalPath, 1000, 42)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed gave different needs")
	}

	// Need i does not depend on n: the first 1000 of a longer stream match.
	i := 0
	err = Stream(dataDir, evalPath, 3000, 42, func(nd Need) error {
		if i < len(a) && !reflect.DeepEqual(nd, a[i]) {
			return fmt.Errorf("need %d of a 3000-need stream differs from the 1000-need corpus", i)
		}
		i++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if i != 3000 {
		t.Fatalf("Stream called fn %d times, want 3000", i)
	}

	c, err := Generate(dataDir, evalPath, 1000, 43)
	if err != nil {
		t.Fatal(err)
	}
	same := 0
	for i := range a {
		if a[i].ID != c[i].ID {
			t.Fatalf("id %d: %s vs %s", i, a[i].ID, c[i].ID)
		}
		if a[i].Description == c[i].Description {
			same++
		}
	}
	if same > 50 {
		t.Errorf("seeds 42 and 43 share %d of 1000 descriptions", same)
	}
}

func TestStreamStopsOnError(t *testing.T) {
	dataDir, evalPath := testPaths(t)
	stop := errors.New("stop")
	calls := 0
	err := Stream(dataDir, evalPath, 100, 1, func(Need) error {
		calls++
		if calls == 5 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 5 {
		t.Fatalf("Stream = %v after %d calls, want stop after 5", err, calls)
	}
	if _, err := Generate(dataDir, evalPath, -1, 1); err == nil {
		t.Error("Generate(-1) did not fail")
	}
	if needs, err := Generate(dataDir, evalPath, 0, 1); err != nil || len(needs) != 0 {
		t.Errorf("Generate(0) = %d needs, %v", len(needs), err)
	}
}

func TestFieldRanges(t *testing.T) {
	dataDir, evalPath := testPaths(t)
	const n = 20000
	needs, err := Generate(dataDir, evalPath, n, 7)
	if err != nil {
		t.Fatal(err)
	}
	ref, _, err := refdata.ReadDir(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	valid := map[string]bool{}
	for _, c := range ref.CPV {
		valid[c.Code+"-"+c.Check] = true
	}
	kinds := map[string]bool{}
	for _, k := range orgKinds {
		kinds[k] = true
	}
	kindOf := map[string]string{}
	var withCPV, nullValue, withDevWord int
	years := map[int]int{}
	for i, nd := range needs {
		if want := fmt.Sprintf("s%07d", i+1); nd.ID != want {
			t.Fatalf("need %d: id %q, want %q", i, nd.ID, want)
		}
		if nd.Org == "" || !kinds[nd.OrgKind] {
			t.Errorf("%s: org %q kind %q", nd.ID, nd.Org, nd.OrgKind)
		}
		if k, ok := kindOf[nd.Org]; ok && k != nd.OrgKind {
			t.Errorf("%s: %s is %q here and %q before", nd.ID, nd.Org, nd.OrgKind, k)
		}
		kindOf[nd.Org] = nd.OrgKind
		if w := len(strings.Fields(nd.Title)); w < 1 || w > maxTitleLen {
			t.Errorf("%s: title has %d words: %q", nd.ID, w, nd.Title)
		}
		if w := len(strings.Fields(nd.Description)); w < minDescWords || w > maxDescWords {
			t.Errorf("%s: description has %d words", nd.ID, w)
		}
		if len(nd.CPV) > 2 || (len(nd.CPV) == 2 && nd.CPV[0] == nd.CPV[1]) {
			t.Errorf("%s: cpv %q", nd.ID, nd.CPV)
		}
		for _, c := range nd.CPV {
			if !valid[c] {
				t.Errorf("%s: CPV %q is not in the CPV 2008 list", nd.ID, c)
			}
		}
		if len(nd.CPV) > 0 {
			withCPV++
		}
		if v := nd.EstimatedValueSEK; v == nil {
			nullValue++
		} else if *v < 100_000 || *v > 500_000_000 {
			t.Errorf("%s: estimated value %d", nd.ID, *v)
		}
		if nd.PlannedYear < 2026 || nd.PlannedYear > 2028 {
			t.Errorf("%s: planned year %d", nd.ID, nd.PlannedYear)
		}
		years[nd.PlannedYear]++
		if strings.Contains(strings.ToLower(nd.Description), "tolk") {
			withDevWord++
		}
	}
	between := func(what string, got int, lo, hi float64) {
		if f := float64(got) / n; f < lo || f > hi {
			t.Errorf("%s: %.3f of needs, want %.2f–%.2f", what, f, lo, hi)
		}
	}
	between("with CPV", withCPV, 0.62, 0.72)
	between("without value", nullValue, 0.08, 0.12)
	between("mentioning tolk", withDevWord, 0.0005, 0.02)
	for _, y := range []int{2026, 2027, 2028} {
		between(fmt.Sprint("planned ", y), years[y], 0.15, 0.5)
	}
	if len(kindOf) < 250 {
		t.Errorf("only %d organisations in %d needs", len(kindOf), n)
	}
}

// The development set's organisations are in the organisation list with
// the same kind, so a synthetic corpus can be mixed with the dev set and the
// "other organisations only" rule still means the same body.
func TestOrganisations(t *testing.T) {
	dataDir, evalPath := testPaths(t)
	src, err := load(dataDir, evalPath)
	if err != nil {
		t.Fatal(err)
	}
	devRecs, err := readDev(evalPath)
	if err != nil {
		t.Fatal(err)
	}
	kindOf := map[string]string{}
	total := 0
	for k, orgs := range src.orgs {
		for _, o := range orgs {
			if prev, dup := kindOf[o]; dup {
				t.Errorf("%s listed as %s and %s", o, prev, orgKinds[k])
			}
			kindOf[o] = orgKinds[k]
			total++
		}
	}
	if total < 280 || total > 400 {
		t.Errorf("%d organisations, want about 300", total)
	}
	if len(src.orgs[1]) != 21 {
		t.Errorf("%d regions, want 21", len(src.orgs[1]))
	}
	for _, r := range devRecs {
		if kindOf[r.Org] != r.OrgKind {
			t.Errorf("dev-set org %q (%s) listed as %q", r.Org, r.OrgKind, kindOf[r.Org])
		}
	}
}

func TestWriteJSONL(t *testing.T) {
	dataDir, evalPath := testPaths(t)
	needs, err := Generate(dataDir, evalPath, 200, 3)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteJSONL(&buf, needs); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&buf)
	sc.Buffer(nil, 1<<20)
	i := 0
	for ; sc.Scan(); i++ {
		line := sc.Bytes()
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(line, &fields); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		for _, f := range []string{"id", "org", "org_kind", "title", "description", "cpv", "estimated_value_sek", "planned_year"} {
			if _, ok := fields[f]; !ok {
				t.Errorf("line %d: no field %s", i+1, f)
			}
		}
		if string(fields["cpv"]) == "null" {
			t.Errorf("line %d: cpv is null, want []", i+1)
		}
		var nd Need
		if err := json.Unmarshal(line, &nd); err != nil {
			t.Fatal(err)
		}
		want := needs[i]
		if want.CPV == nil {
			want.CPV = []string{}
		}
		if !reflect.DeepEqual(nd, want) {
			t.Errorf("line %d does not read back as written", i+1)
		}
	}
	if i != len(needs) {
		t.Errorf("%d lines, want %d", i, len(needs))
	}
}

func TestCleanTitle(t *testing.T) {
	for in, want := range map[string]string{
		"Uppdrag till Migrationsverket om vidarebosättning för budgetåret 2024":                              "Vidarebosättning för budgetåret 2024",
		"Uppdrag att ta fram underlag till en utvecklad nationell demensstrategi":                            "Ta fram underlag till en utvecklad nationell demensstrategi",
		"Uppdrag till Institutet för språk och folkminnen att genomföra en fördjupad studie":                 "Genomföra en fördjupad studie",
		"S 1991:08 Pensionärskommittén":                                                                      "Pensionärskommittén",
		"Samlade förmågor för ökad cybersäkerhetSOU 2025:79":                                                 "Samlade förmågor för ökad cybersäkerhet",
		"Inrätta en särskild samordningsfunktionDiarienummer: Ju2025/01954":                                  "Inrätta en särskild samordningsfunktion",
		"Betala ut bidrag för förbättringar i den psykiatriska heldygnsvården samt medel för att stärka":     "Betala ut bidrag för förbättringar i den psykiatriska heldygnsvården samt medel",
		"Vägledning i frågor om organisering av särskilt boende för äldre personer (rskr. 2010/11:188)":      "Vägledning i frågor om organisering av särskilt boende för äldre personer",
		"Utvärdering av förändringar inom Uppdrag om något som har en mycket lång titel med många ord i sig": "Utvärdering av förändringar inom Uppdrag om något som har en mycket lång",
	} {
		if got := cleanTitle(in); got != want {
			t.Errorf("cleanTitle(%q)\n = %q\nwant %q", in, got, want)
		}
	}
}

func TestSplitSentences(t *testing.T) {
	text := "## Rubrik\n\nRegeringen ger Socialstyrelsen i uppdrag att bl.a. kartlägga stödet. Enligt 22 kap. utlänningslagen gäller detta.\n* Punkt ett med flera ord.\n* att göra något;\nUppdraget ska redovisas senast den 1 mars 2020."
	var got []string
	for _, s := range splitSentences(text, true) {
		got = append(got, s.text)
	}
	want := []string{
		"Regeringen ger Socialstyrelsen i uppdrag att bl.a. kartlägga stödet.",
		"Enligt 22 kap. utlänningslagen gäller detta.",
		"Punkt ett med flera ord.",
		"Uppdraget ska redovisas senast den 1 mars 2020.",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("splitSentences = %q\nwant %q", got, want)
	}
}

func BenchmarkStream(b *testing.B) {
	dataDir, evalPath := testPaths(b)
	for b.Loop() {
		if err := Stream(dataDir, evalPath, 100_000, 1, func(Need) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
