package match

import (
	"fmt"
	"os"
	"testing"
)

func TestHNCases(t *testing.T) {
	if os.Getenv("ARENA_HN") == "" {
		t.Skip()
	}
	recs, ix := loadDev(t, true)
	label := map[string]string{}
	hn := map[string]string{}
	for _, r := range recs {
		label[r.ID] = r.Cluster
		hn[r.ID] = r.HardNegativeOf
	}
	for _, r := range recs {
		if r.Cluster == "" {
			continue
		}
		ms := ix.Similar(ix.byID[r.ID].need, 0, nil)
		firstHN, lastRel := -1, -1
		for i, m := range ms {
			if hn[m.ID] == r.Cluster && firstHN < 0 {
				firstHN = i
			}
			if label[m.ID] == r.Cluster {
				lastRel = i
			}
		}
		if firstHN >= 0 && firstHN < 10 && (lastRel > firstHN || lastRel >= 10) {
			h, l := ms[firstHN], ms[lastRel]
			fmt.Printf("%s %-28.28s HN %s@%d %s\n      worst rel %s@%d %s\n   HN %.45s | REL %.45s\n", r.ID, r.Title, h.ID, firstHN+1, fmtF(h.Features), l.ID, lastRel+1, fmtF(l.Features), h.doc.need.Title, l.doc.need.Title)
		}
	}
}
