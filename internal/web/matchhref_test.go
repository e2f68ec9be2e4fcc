package web

import (
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/matching"
)

// TestMatchHref: a matched deliverable links to its network's deliverables,
// read with the page's other deliverables; one not read links nowhere.
func TestMatchHref(t *testing.T) {
	dels := map[int64]*arena.Deliverable{7: {NetworkID: 3}}
	for _, c := range []struct {
		it   matching.Item
		want string
	}{
		{matching.Item{Type: "deliverable", ID: 7}, "/natverk/3/leveranser"},
		{matching.Item{Type: "deliverable", ID: 8}, ""},
		{matching.Item{Type: "need", ID: 5}, "/behov/5"},
		{matching.Item{Type: "call", ID: 2}, "/utlysningar/2"},
	} {
		if got := matchHref(c.it, dels); got != c.want {
			t.Errorf("matchHref(%s %d) = %q, want %q", c.it.Type, c.it.ID, got, c.want)
		}
	}
}
