package eval

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func checkMetrics(t *testing.T, name string, got, want Metrics) {
	t.Helper()
	if got.Queries != want.Queries {
		t.Errorf("%s: Queries = %d, want %d", name, got.Queries, want.Queries)
	}
	g := reflect.ValueOf(got)
	w := reflect.ValueOf(want)
	for i := 0; i < g.NumField(); i++ {
		if g.Field(i).Kind() != reflect.Float64 {
			continue
		}
		if !near(g.Field(i).Float(), w.Field(i).Float(), 1e-9) {
			t.Errorf("%s: %s = %.6f, want %.6f", name, g.Type().Field(i).Name, g.Field(i).Float(), w.Field(i).Float())
		}
	}
}

// tiny is a hand-made set: cluster A = a1..a3 (orgs O1..O3) with hard
// negatives h1, h2; cluster B = b1 (O2), b2 (O7); x1 is a distractor from
// O1 (a1's org); d01..d09 are distractors from other orgs.
func tiny() []Record {
	recs := []Record{
		{ID: "a1", Org: "O1", Cluster: "A"},
		{ID: "a2", Org: "O2", Cluster: "A"},
		{ID: "a3", Org: "O3", Cluster: "A"},
		{ID: "h1", Org: "O4", HardNegativeOf: "A"},
		{ID: "h2", Org: "O5", HardNegativeOf: "A"},
		{ID: "x1", Org: "O1"},
		{ID: "b1", Org: "O2", Cluster: "B"},
		{ID: "b2", Org: "O7", Cluster: "B"},
	}
	for _, d := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9"} {
		recs = append(recs, Record{ID: "d0" + d, Org: "P" + d})
	}
	return recs
}

var (
	l2of3 = 1 / math.Log2(3)
	l2of5 = 1 / math.Log2(5)
	idcg2 = 1 + l2of3
)

func tinyRankings() map[string][]string {
	return map[string][]string{
		// Self and same-org x1 are dropped: [h1 a2 d01 a3]. HN above both
		// relevant needs.
		"a1": {"a1", "x1", "h1", "a2", "d01", "a3"},
		// a1 first, h1 10th, a3 11th: the relevant a3 is missing from the
		// top 10, so it counts as ranked below h1.
		"a2": {"a1", "d01", "d02", "d03", "d04", "d05", "d06", "d07", "d08", "h1", "a3"},
		// Both relevant above both hard negatives.
		"a3": {"a1", "a2", "h1", "h2"},
		// h1 is a hard negative of A, not of B; "nope" is an unknown id
		// (kept, non-relevant); b2 is 3rd.
		"b1": {"h1", "nope", "b2"},
		// b2 has no ranking at all.
	}
}

// Per-query values, hand-computed (and checked against the README's
// Python scorer, with "nope" replaced by a known distractor).
var tinyPerQuery = map[string]Metrics{
	"a1": {P1: 0, P3: 1.0 / 3, P5: 2.0 / 5, P10: 2.0 / 10, R1: 0, R3: 0.5, R5: 1, R10: 1,
		MRR: 0.5, NDCG10: (l2of3 + l2of5) / idcg2, HN10: 0.1, HNAbove: 1},
	"a2": {P1: 1, P3: 1.0 / 3, P5: 1.0 / 5, P10: 1.0 / 10, R1: 0.5, R3: 0.5, R5: 0.5, R10: 0.5,
		MRR: 1, NDCG10: 1 / idcg2, HN10: 0.1, HNAbove: 1},
	"a3": {P1: 1, P3: 2.0 / 3, P5: 2.0 / 5, P10: 2.0 / 10, R1: 0.5, R3: 1, R5: 1, R10: 1,
		MRR: 1, NDCG10: 1, HN10: 0.2, HNAbove: 0},
	"b1": {P1: 0, P3: 1.0 / 3, P5: 1.0 / 5, P10: 1.0 / 10, R1: 0, R3: 1, R5: 1, R10: 1,
		MRR: 1.0 / 3, NDCG10: 0.5, HN10: 0, HNAbove: 0},
	"b2": {},
}

func meanOf(ids ...string) Metrics {
	var s sums
	for _, id := range ids {
		s.add(queryScore{m: tinyPerQuery[id]})
	}
	return s.mean()
}

func TestEvaluatePerQuery(t *testing.T) {
	recs := tiny()
	for q, want := range tinyPerQuery {
		// Only q has a ranking; every other query scores 0, so the
		// average over 5 queries is want/5.
		got := Evaluate(recs, map[string][]string{q: tinyRankings()[q]})
		var s sums
		s.add(queryScore{m: want})
		for i := 0; i < 4; i++ {
			s.add(queryScore{})
		}
		checkMetrics(t, q, got, s.mean())
	}
}

func TestEvaluateMacroAverage(t *testing.T) {
	got := Evaluate(tiny(), tinyRankings())
	want := meanOf("a1", "a2", "a3", "b1", "b2")
	checkMetrics(t, "all", got, want)
	// Spot-check the averages by hand too.
	if !near(got.MRR, (0.5+1+1+1.0/3+0)/5, 1e-12) || !near(got.HNAbove, 0.4, 1e-12) || !near(got.HN10, 0.08, 1e-12) {
		t.Errorf("averages: %+v", got)
	}
}

func TestPerCluster(t *testing.T) {
	got := PerCluster(tiny(), tinyRankings())
	if len(got) != 2 {
		t.Fatalf("clusters = %v", got)
	}
	checkMetrics(t, "A", got["A"], meanOf("a1", "a2", "a3"))
	checkMetrics(t, "B", got["B"], meanOf("b1", "b2"))
	if !near(got["A"].HNAbove, 2.0/3, 1e-12) {
		t.Errorf("A HNAbove = %v", got["A"].HNAbove)
	}
}

func TestHNAboveEdgeCases(t *testing.T) {
	recs := tiny()
	d := func(n int) []string {
		var ids []string
		for i := 1; i <= n; i++ {
			ids = append(ids, "d0"+string(rune('0'+i)))
		}
		return ids
	}
	cases := []struct {
		name    string
		ranking []string
		want    float64
	}{
		{"HN above one relevant", []string{"a2", "h1", "a3"}, 1},
		{"HN between relevant and missing one", []string{"a2", "h1"}, 1},
		{"relevant missing, HN 11th", append(append([]string{"a2"}, d(9)...), "h1"), 0},
		{"no HN at all, relevant missing", []string{"a2"}, 0},
		{"HN of another cluster", []string{"b2", "a2", "a3"}, 0},
		{"HN after all relevant", []string{"a3", "a2", "h2", "h1"}, 0},
		{"HN first, no relevant returned", []string{"h2"}, 1},
		{"self and same-org dropped before HN", []string{"a1", "x1", "a2", "a3", "h1"}, 0},
	}
	for _, c := range cases {
		got := Evaluate(recs, map[string][]string{"a1": c.ranking}).HNAbove * 5
		if !near(got, c.want, 1e-12) {
			t.Errorf("%s: HNAbove = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestQrelsSameOrg(t *testing.T) {
	recs := []Record{
		{ID: "c1", Org: "O8", Cluster: "C"},
		{ID: "c2", Org: "O8", Cluster: "C"},
		{ID: "c3", Org: "O9", Cluster: "C"},
		{ID: "n1", Org: "O9"},
	}
	got := Qrels(recs)
	want := map[string]map[string]bool{
		"c1": {"c3": true},
		"c2": {"c3": true},
		"c3": {"c1": true, "c2": true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Qrels = %v, want %v", got, want)
	}
	// c2 is dropped from c1's ranking (same org), so c3 is first.
	m := Evaluate(recs, map[string][]string{"c1": {"c2", "c3"}})
	if m.Queries != 3 || !near(m.MRR, 1.0/3, 1e-12) {
		t.Errorf("Evaluate = %+v", m)
	}
}

func TestEvaluateEmpty(t *testing.T) {
	if m := Evaluate(nil, nil); m != (Metrics{}) {
		t.Errorf("Evaluate(nil) = %+v", m)
	}
}

func TestMetricsString(t *testing.T) {
	m := Metrics{Queries: 102, NDCG10: 0.9031, MRR: 0.951, R5: 0.9, R10: 0.97, P1: 0.9, HN10: 0.031, HNAbove: 0.49}
	want := "nDCG@10 0.903  MRR 0.951  R@5 0.900  R@10 0.970  P@1 0.900  HN@10 0.031  HN-above 0.490  (102 queries)"
	if got := m.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestReadJSONL(t *testing.T) {
	in := `{"id":"d001","org":"Region Skåne","org_kind":"region","title":"T","description":"D\nE","cpv":["90919200-4"],"estimated_value_sek":1500000,"planned_year":2027,"cluster":"c01","hard_negative_of":"","extra":{"x":1}}

   
{"id":"d002","org":"VA SYD","cpv":[],"estimated_value_sek":null,"planned_year":2026,"cluster":"","hard_negative_of":"c01"}`
	recs, err := ReadJSONL(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("len = %d", len(recs))
	}
	r := recs[0]
	if r.ID != "d001" || r.Org != "Region Skåne" || r.OrgKind != "region" || r.Description != "D\nE" ||
		!reflect.DeepEqual(r.CPV, []string{"90919200-4"}) || r.EstimatedValueSEK == nil || *r.EstimatedValueSEK != 1500000 ||
		r.PlannedYear != 2027 || r.Cluster != "c01" {
		t.Errorf("rec 0 = %+v", r)
	}
	if recs[1].EstimatedValueSEK != nil || recs[1].HardNegativeOf != "c01" || len(recs[1].CPV) != 0 {
		t.Errorf("rec 1 = %+v", recs[1])
	}

	long := `{"id":"d1","description":"` + strings.Repeat("å", 100000) + `"}`
	if recs, err := ReadJSONL(strings.NewReader(long + "\n")); err != nil || len(recs) != 1 {
		t.Errorf("long line: %v, %d", err, len(recs))
	}
	if recs, err := ReadJSONL(strings.NewReader("")); err != nil || len(recs) != 0 {
		t.Errorf("empty input: %v, %v", recs, err)
	}
}

func TestReadJSONLErrors(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"bad json", "{\"id\":\"a\"}\n\n{\"id\":\"b\",\n", "line 3"},
		{"wrong type", "{\"id\":\"a\",\"planned_year\":\"2026\"}\n", "line 1"},
		{"not an object", "{\"id\":\"a\"}\n[1,2]\n", "line 2"},
		{"missing id", "{\"id\":\"a\"}\n{\"org\":\"x\"}\n", "line 2: missing id"},
		{"duplicate id", "{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\"a\"}\n", "line 3: duplicate id \"a\" (first on line 1)"},
		{"trailing garbage", "{\"id\":\"a\"} x\n", "line 1"},
	}
	for _, c := range cases {
		_, err := ReadJSONL(strings.NewReader(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to contain %q", c.name, err, c.want)
		}
	}
	if _, err := ReadFile(filepath.Join(t.TempDir(), "missing.jsonl")); err == nil {
		t.Error("ReadFile(missing) succeeded")
	}
}

func TestFolds(t *testing.T) {
	recs := []Record{{Cluster: "c"}, {Cluster: "a"}, {Cluster: "e"}, {Cluster: "b"}, {Cluster: "a"}, {}, {Cluster: "d"}, {HardNegativeOf: "z"}}
	if got, want := Folds(recs, 2), [][]string{{"a", "c", "e"}, {"b", "d"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Folds(2) = %v, want %v", got, want)
	}
	if got := Folds(recs, 7); len(got) != 7 || len(got[5]) != 0 || !reflect.DeepEqual(got[4], []string{"e"}) {
		t.Errorf("Folds(7) = %v", got)
	}
	if got := Folds(recs, 0); got != nil {
		t.Errorf("Folds(0) = %v", got)
	}
}

func TestTFIDFRankingRules(t *testing.T) {
	recs := []Record{
		{ID: "q", Org: "O1", Cluster: "K", Title: "Klimatsmart betong", Description: "i  anläggningar\n- broar"},
		{ID: "s", Org: "O1", Title: "Klimatsmart betong", Description: "i anläggningar - broar"},
		{ID: "y", Org: "O2", Title: "KLIMATSMART betong", Description: "i anläggningar - broar"},
		{ID: "x", Org: "O3", Title: "Klimatsmart  betong", Description: "i anläggningar\t- broar"},
		{ID: "w", Org: "O4", Title: "Skolskjuts", Description: "upphandling av skolskjutsar"},
		{ID: "v", Org: "O5", Title: "Klimatsmart", Description: "asfalt"},
	}
	want := []string{"x", "y", "v", "w"} // x, y tie (identical after normalisation): by id
	for name, got := range map[string]map[string][]string{
		"char5": CharNGramTFIDF(recs, 5),
		"word":  WordTFIDF(recs, WordOptions{}),
		"word+": WordTFIDF(recs, WordOptions{SublinearTF: true, TitleRepeat: 2}),
	} {
		if len(got) != 1 || !reflect.DeepEqual(got["q"], want) {
			t.Errorf("%s = %v, want only q: %v", name, got, want)
		}
	}
}

func TestTokenizers(t *testing.T) {
	if got := wordTokens("gc-passager, 3 st. e_post ö 2026"); !reflect.DeepEqual(got, []string{"gc", "passager", "st", "e_post", "2026"}) {
		t.Errorf("wordTokens = %q", got)
	}
	if got := charNGrams("åäö x", 3); !reflect.DeepEqual(got, []string{"åäö", "äö ", "ö x"}) {
		t.Errorf("charNGrams = %q", got)
	}
	if got := charNGrams("ab", 3); got != nil {
		t.Errorf("short charNGrams = %q", got)
	}
}

// devSet loads needs.jsonl from $ARENA_TEST_EVAL_DIR (default
// ../../../../shared/eval relative to this package) or skips.
func devSet(t *testing.T) []Record {
	t.Helper()
	dir := os.Getenv("ARENA_TEST_EVAL_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "..", "shared", "eval")
	}
	path := filepath.Join(dir, "needs.jsonl")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("dev set not available: %v", err)
	}
	recs, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestDevSetShape(t *testing.T) {
	recs := devSet(t)
	if len(recs) != 205 {
		t.Errorf("records = %d, want 205", len(recs))
	}
	queries, hn := 0, 0
	for _, r := range recs {
		if r.Cluster != "" {
			queries++
		}
		if r.HardNegativeOf != "" {
			hn++
		}
	}
	if queries != 102 || hn != 33 {
		t.Errorf("queries = %d (want 102), hard negatives = %d (want 33)", queries, hn)
	}
	if m := Evaluate(recs, nil); m.Queries != 102 || m.NDCG10 != 0 {
		t.Errorf("Evaluate(no rankings) = %+v", m)
	}
	folds := Folds(recs, 5)
	total := 0
	for _, f := range folds {
		if len(f) != 5 {
			t.Errorf("fold %v has %d clusters, want 5", f, len(f))
		}
		total += len(f)
	}
	if total != 25 {
		t.Errorf("clusters in folds = %d, want 25", total)
	}
}

// TestDevSetBaselines checks the lexical baselines against the README.
//
// The README rounds to two decimals (±0.005) and does not pin the text
// preprocessing; measured variants of the char 5-gram baseline (e.g. how a
// lone "\n" is treated) move nDCG@10 by ~0.004 and HN-above by 0.02, so
// the README checks use ±0.02 for nDCG@10/MRR/R@10 and ±0.03 (three
// queries) for HN-above. The pinned values below are this
// implementation's own numbers, cross-checked against the README's Python
// scorer fed with these rankings; they guard against regressions.
func TestDevSetBaselines(t *testing.T) {
	recs := devSet(t)

	char5 := Evaluate(recs, CharNGramTFIDF(recs, 5))
	t.Logf("char 5-gram TF-IDF: %v", char5)
	readme := []struct {
		name      string
		got, want float64
		tol       float64
	}{
		{"nDCG@10", char5.NDCG10, 0.90, 0.02},
		{"MRR", char5.MRR, 0.95, 0.02},
		{"R@10", char5.R10, 0.97, 0.02},
		{"HN-above", char5.HNAbove, 0.49, 0.03},
	}
	for _, c := range readme {
		if !near(c.got, c.want, c.tol) {
			t.Errorf("char5 %s = %.3f, README %.2f ± %.2f", c.name, c.got, c.want, c.tol)
		}
	}
	pinned := Metrics{Queries: 102, P1: 0.921569, P3: 0.758170, P5: 0.545098, P10: 0.302941,
		R1: 0.303922, R3: 0.736111, R5: 0.878268, R10: 0.966503, MRR: 0.957516, NDCG10: 0.906886,
		HN10: 0.101961, HNAbove: 0.490196}
	checkClose(t, "char5", char5, pinned)

	word := Evaluate(recs, WordTFIDF(recs, WordOptions{}))
	t.Logf("word TF-IDF: %v", word)
	checkClose(t, "word", word, Metrics{Queries: 102, P1: 0.705882, P3: 0.460784, P5: 0.354902, P10: 0.224510,
		R1: 0.230392, R3: 0.452614, R5: 0.580065, R10: 0.727941, MRR: 0.805642, NDCG10: 0.649424,
		HN10: 0.069608, HNAbove: 0.529412})
	if word.NDCG10 >= char5.NDCG10 {
		t.Errorf("word nDCG@10 %.3f >= char5 %.3f", word.NDCG10, char5.NDCG10)
	}
	wordPlus := Evaluate(recs, WordTFIDF(recs, WordOptions{SublinearTF: true, TitleRepeat: 2}))
	t.Logf("word TF-IDF, sublinear tf, title x2: %v", wordPlus)
	if !near(wordPlus.NDCG10, 0.71, 0.02) {
		t.Errorf("word+ nDCG@10 = %.3f, README word row 0.71 ± 0.02", wordPlus.NDCG10)
	}
}

func checkClose(t *testing.T, name string, got, want Metrics) {
	t.Helper()
	if got.Queries != want.Queries {
		t.Errorf("%s: Queries = %d, want %d", name, got.Queries, want.Queries)
	}
	g, w := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := 0; i < g.NumField(); i++ {
		if g.Field(i).Kind() == reflect.Float64 && !near(g.Field(i).Float(), w.Field(i).Float(), 2e-6) {
			t.Errorf("%s: %s = %.6f, pinned %.6f", name, g.Type().Field(i).Name, g.Field(i).Float(), w.Field(i).Float())
		}
	}
}

// TestWriteRankings: one line per record, in the records' order, with its
// matches best first, as match-file prints them and the scorers read them.
func TestWriteRankings(t *testing.T) {
	recs := []Record{{ID: "b"}, {ID: "a"}, {ID: "c"}}
	var buf strings.Builder
	if err := WriteRankings(&buf, recs, map[string][]string{"a": {"c", "b"}, "b": {"a"}}); err != nil {
		t.Fatal(err)
	}
	want := `{"id":"b","matches":["a"]}` + "\n" + `{"id":"a","matches":["c","b"]}` + "\n" + `{"id":"c","matches":null}` + "\n"
	if buf.String() != want {
		t.Errorf("wrote\n%s\nwant\n%s", buf.String(), want)
	}
}
