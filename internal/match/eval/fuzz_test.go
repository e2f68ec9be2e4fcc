package eval

// Fuzz tests of the development set's reader and what reads its records:
// the metrics, the folds and the TF-IDF baselines.

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// FuzzReadJSONL: ReadJSONL refuses a file with an error naming a line of
// it, or reads records with unique, non-empty ids, one per non-blank line,
// that written out as JSON lines read back the same. The metrics of any
// ranking of them lie in [0, 1], the folds deal out every cluster label
// once, and the baselines rank, for each query, every record of another
// organisation once.
func FuzzReadJSONL(f *testing.F) {
	f.Add(`{"id":"n1","org":"Falu kommun","org_kind":"kommun","title":"Trygghetslarm","description":"Digitala larm för hemtjänsten.","cpv":["35121700-5"],"estimated_value_sek":4000000,"planned_year":2026,"cluster":"larm"}
{"id":"n2","org":"Mölndals stad","title":"Digitala larm i hemmet","cluster":"larm","hard_negative_of":""}

{"id":"n3","org":"Region Örebro län","title":"Brandlarm i sjukhus","hard_negative_of":"larm","unknown":true}
`, uint8(3))
	f.Add("{\"id\":\"a\"}\r\n  \t\n{\"id\":\"b\",\"cluster\":\"x\",\"org\":\"o\"}", uint8(1))
	f.Add(`{"id":"a"}
{"id":"a"}`, uint8(2))
	f.Add(`{"id":""}`, uint8(1))
	f.Add(`{"title":"utan id"}`, uint8(1))
	f.Add(`{"id":"a"} {"id":"b"}`, uint8(1))
	f.Add(`{"id":"a","estimated_value_sek":1e400}`, uint8(1))
	f.Add(`{"id":"a","cpv":"45000000-7"}`, uint8(1))
	f.Add("{\"id\":\"\xff\",\"title\":\"\\ud800\"}", uint8(1))
	f.Add("[1,2]\nnull", uint8(1))
	f.Add("", uint8(0))
	f.Fuzz(func(t *testing.T, data string, k uint8) {
		recs, err := ReadJSONL(strings.NewReader(data))
		lines := strings.Count(data, "\n") + 1
		if err != nil {
			var n int
			msg, ok := strings.CutPrefix(err.Error(), "eval: line ")
			if ok {
				n, _ = strconv.Atoi(msg[:max(strings.IndexByte(msg, ':'), 0)])
			}
			if !ok || n < 1 || n > lines {
				t.Fatalf("ReadJSONL of %d lines: %v", lines, err)
			}
			return
		}
		nonBlank := 0
		for l := range strings.Lines(data) {
			if len(bytes.TrimSpace([]byte(l))) > 0 {
				nonBlank++
			}
		}
		if len(recs) != nonBlank {
			t.Fatalf("%d records from %d non-blank lines", len(recs), nonBlank)
		}
		ids := map[string]bool{}
		for _, r := range recs {
			if r.ID == "" || ids[r.ID] {
				t.Fatalf("record id %q (seen: %v)", r.ID, ids[r.ID])
			}
			ids[r.ID] = true
		}
		var out bytes.Buffer
		for _, r := range recs {
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			out.Write(b)
			out.WriteByte('\n')
		}
		again, err := ReadJSONL(&out)
		if err != nil || !reflect.DeepEqual(again, recs) {
			t.Fatalf("records %+v written out read as %+v, %v", recs, again, err)
		}
		if len(recs) > 60 {
			return // the checks below are quadratic
		}
		fzCheckRankings(t, recs, "reversed", fzReversed(recs))
		fzCheckRankings(t, recs, "char 3-grams", CharNGramTFIDF(recs, 3))
		fzCheckRankings(t, recs, "words", WordTFIDF(recs, WordOptions{SublinearTF: k%2 == 1, TitleRepeat: int(k % 4)}))
		folds := Folds(recs, int(k%6))
		if k%6 == 0 {
			if folds != nil {
				t.Fatalf("Folds(0) = %q", folds)
			}
			return
		}
		var labels []string
		for _, r := range recs {
			if r.Cluster != "" && !slices.Contains(labels, r.Cluster) {
				labels = append(labels, r.Cluster)
			}
		}
		slices.Sort(labels)
		if len(folds) != int(k%6) {
			t.Fatalf("Folds(%d) gave %d folds", k%6, len(folds))
		}
		for i, l := range labels {
			if fold := folds[i%len(folds)]; !slices.Contains(fold, l) {
				t.Fatalf("label %q (%d of %q) not in fold %d: %q", l, i, labels, i%len(folds), folds)
			}
		}
		if n := func() (n int) {
			for _, fold := range folds {
				n += len(fold)
			}
			return
		}(); n != len(labels) {
			t.Fatalf("%d labels dealt into %q", len(labels), folds)
		}
	})
}

// fzReversed ranks every other record for each query, in reverse order.
func fzReversed(recs []Record) map[string][]string {
	out := map[string][]string{}
	for _, q := range recs {
		for i := len(recs) - 1; i >= 0; i-- {
			if recs[i].ID != q.ID {
				out[q.ID] = append(out[q.ID], recs[i].ID)
			}
		}
	}
	return out
}

// fzCheckRankings holds a ranking and its metrics to their definitions.
func fzCheckRankings(t *testing.T, recs []Record, name string, rankings map[string][]string) {
	t.Helper()
	queries := 0
	for _, q := range recs {
		if q.Cluster == "" {
			continue
		}
		queries++
		if name == "reversed" {
			continue
		}
		var want []string
		for _, d := range recs {
			if d.ID != q.ID && d.Org != q.Org {
				want = append(want, d.ID)
			}
		}
		got := slices.Clone(rankings[q.ID])
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("%s ranks %q for %s, want each of %q once", name, rankings[q.ID], q.ID, want)
		}
	}
	m := Evaluate(recs, rankings)
	if m.Queries != queries {
		t.Fatalf("%s: %d queries, want %d", name, m.Queries, queries)
	}
	check := func(what string, m Metrics) {
		v := reflect.ValueOf(m)
		for i := range v.NumField() {
			if x := v.Field(i); x.Kind() == reflect.Float64 && !(x.Float() >= 0 && x.Float() <= 1) {
				t.Fatalf("%s %s: %s = %v", name, what, v.Type().Field(i).Name, x.Float())
			}
		}
	}
	check("overall", m)
	for c, cm := range PerCluster(recs, rankings) {
		check("cluster "+c, cm)
	}
	if math.IsNaN(m.NDCG10) {
		t.Fatalf("%s: nDCG@10 is NaN", name)
	}
}
