package match

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestDumpQueries(t *testing.T) {
	qs := os.Getenv("ARENA_DUMP")
	if qs == "" {
		t.Skip()
	}
	recs, ix := loadDev(t, true)
	label := map[string]string{}
	for _, r := range recs {
		label[r.ID] = r.Cluster
		if r.HardNegativeOf != "" {
			label[r.ID] = "HN:" + r.HardNegativeOf
		}
	}
	for _, q := range strings.Split(qs, ",") {
		d := ix.byID[q]
		fmt.Printf("\n=== %s [%s] %s\n", q, label[q], d.need.Title)
		v, sal := ix.vectorsOf(d)
		_ = v
		var ss []string
		for _, s := range sal {
			ss = append(ss, fmt.Sprintf("%s(%.1f)", ix.v.terms[s.id].stem, s.w))
		}
		fmt.Println("  salient:", strings.Join(ss, " "))
		for i, m := range ix.Similar(d.need, 12, nil) {
			mark := "  "
			if label[m.ID] == label[q] {
				mark = "++"
			} else if label[m.ID] == "HN:"+label[q] {
				mark = "HN"
			}
			fmt.Printf(" %2d %s %s %.3f %v %.60s\n", i+1, mark, m.ID, m.Score, fmtF(m.Features), m.doc.need.Title)
		}
	}
}

func fmtF(f [nFeatures]float64) string {
	var b strings.Builder
	for i, x := range f {
		fmt.Fprintf(&b, "%s=%.2f ", FeatureNames[i][:min(4, len(FeatureNames[i]))], x)
	}
	return b.String()
}
