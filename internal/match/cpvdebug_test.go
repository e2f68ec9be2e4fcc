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

func TestCPVSimScores(t *testing.T) {
	if os.Getenv("CPVSIM") == "" {
		t.Skip()
	}
	d := loadCPVDev(t)
	cl := map[string]string{}
	for _, r := range d.recs {
		cl[r.ID] = r.Cluster
	}
	for _, r := range d.recs {
		if d.want[r.ID] == nil {
			continue
		}
		ms := d.ix.Similar(&Need{ID: r.ID, Org: r.Org, Title: r.Title, Description: r.Description}, 6, nil)
		line := fmt.Sprintf("%-4s %-25.25s", r.ID, r.Cluster)
		for _, m := range ms {
			mark := " "
			if cl[m.ID] != "" && cl[m.ID] == r.Cluster {
				mark = "*"
			}
			share := " "
			for _, c := range matchCPV(m) {
				if d.want[r.ID][c[:3]] {
					share = "+"
				}
			}
			line += fmt.Sprintf(" %5.2f%s%s", m.Score, mark, share)
		}
		fmt.Println(line)
	}
}

func TestCPVRanks(t *testing.T) {
	if os.Getenv("CPVRANK") == "" {
		t.Skip()
	}
	d := loadCPVDev(t)
	hist := map[int]int{}
	for _, r := range d.recs {
		if d.want[r.ID] == nil {
			continue
		}
		ix := d.ix
		if os.Getenv("CPVRANK") == "labels" {
			ix = nil
		}
		got := d.s.Suggest(r.Title, r.Description, ix, r.ID, r.Org, 50)
		rank := 99
		for i, g := range got {
			if d.want[r.ID][g.Code[:3]] {
				rank = i + 1
				break
			}
		}
		b := rank
		if b > 5 && b <= 10 {
			b = 10
		} else if b > 10 && b <= 50 {
			b = 50
		}
		hist[b]++
		if rank > 5 {
			top := ""
			for _, g := range got[:3] {
				top += g.Code + " " + g.LabelSV[:min(30, len(g.LabelSV))] + " | "
			}
			fmt.Printf("%s rank %2d %-50.50s %v  top: %s\n", r.ID, rank, r.Title, r.CPV, top)
		}
	}
	fmt.Println(hist)
}

func TestCPVKConsistency(t *testing.T) {
	if os.Getenv("CPVK") == "" {
		t.Skip()
	}
	d := loadCPVDev(t)
	for _, r := range d.recs {
		a := d.s.Suggest(r.Title, r.Description, d.ix, r.ID, r.Org, 5)
		b := d.s.Suggest(r.Title, r.Description, d.ix, r.ID, r.Org, 50)
		for i := range a {
			if a[i].Code != b[i].Code {
				fmt.Println(r.ID, i, a[i].Code, a[i].Score, b[i].Code, b[i].Score)
				break
			}
		}
	}
}

func TestCPVKOne(t *testing.T) {
	if os.Getenv("CPVK1") == "" {
		t.Skip()
	}
	d := loadCPVDev(t)
	for _, r := range d.recs {
		if r.ID != "d001" {
			continue
		}
		for _, k := range []int{5, 50} {
			for _, g := range d.s.Suggest(r.Title, r.Description, d.ix, r.ID, r.Org, k)[:5] {
				fmt.Println(k, g.Code, g.Score, g.LabelSV)
			}
		}
	}
}

func TestCPVExplain(t *testing.T) {
	id := os.Getenv("CPVX")
	if id == "" {
		t.Skip()
	}
	d := loadCPVDev(t)
	for _, r := range d.recs {
		if r.ID != id {
			continue
		}
		q := d.s.analyse(r.Title, r.Description)
		fmt.Println("parts:", q.parts)
		cr := d.s.credits(q)
		own, _ := d.s.labelScores(q)
		text := d.s.hierarchy(own)
		codes := append([]string{}, r.CPV...)
		for _, g := range d.s.Suggest(r.Title, r.Description, nil, r.ID, r.Org, 3) {
			codes = append(codes, g.Code)
		}
		for _, code := range codes {
			i := d.s.byKey[code[:8]]
			c := &d.s.codes[i]
			fmt.Printf("%s %s own %.3f text %.3f norm %.2f\n", c.Code, c.LabelSV, own[i], text[i], c.norm)
			for _, w := range c.words {
				fmt.Printf("   %s(en=%v idf %.2f) word=%v", d.s.terms[w.id].stem, w.en, d.s.terms[w.id].idf, cr[w.id])
				for _, p := range w.parts {
					fmt.Printf(" [%s %v]", d.s.terms[p].stem, cr[p])
				}
				fmt.Println()
			}
		}
	}
}
