package match

import (
	"fmt"
	"os"
	"testing"
)

func TestCPVDebug(t *testing.T) {
	id := os.Getenv("CPVDBG")
	if id == "" {
		t.Skip()
	}
	d := loadCPVDev(t)
	for _, r := range d.recs {
		if r.ID != id {
			continue
		}
		q := d.s.analyse(r.Title, r.Description)
		fmt.Println(q.tf)
		own, best := d.s.labelScores(q)
		text := d.s.hierarchy(own)
		for _, code := range []string{"43132000", "90610000", "79540000", "48000000", "48332000"} {
			i := d.s.byKey[code]
			fmt.Println(code, d.s.codes[i].LabelSV, own[i], text[i], best[i], d.s.codes[i].norm)
		}
		ms := d.ix.Similar(&Need{ID: r.ID, Org: r.Org, Title: r.Title, Description: r.Description}, 15, nil)
		for _, m := range ms {
			fmt.Println(m.ID, m.Score, matchCPV(m))
		}
		v := d.s.votes(ms)
		fmt.Println(v.code, v.group)
	}
}

func BenchmarkCPVSuggest(b *testing.B) {
	d := loadCPVDev(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := d.recs[i%len(d.recs)]
		d.s.Suggest(r.Title, r.Description, nil, r.ID, r.Org, 5)
	}
}
func BenchmarkCPVSuggestIx(b *testing.B) {
	d := loadCPVDev(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := d.recs[i%len(d.recs)]
		d.s.Suggest(r.Title, r.Description, d.ix, r.ID, r.Org, 5)
	}
}
