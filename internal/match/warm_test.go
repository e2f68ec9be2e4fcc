package match

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
)

// TestQueriesAfterWritesAgree: queries running at once, between writes,
// give what one query alone gives for the same generation, however the
// vectors of the new generation were computed (warm, by one of them).
func TestQueriesAfterWritesAgree(t *testing.T) {
	ix := NewIndex(NewAnalyzer(nil))
	themes := []string{"Trygghetslarm i hemtjänsten med larmmottagning", "Gatubelysning med LED och närvarostyrning",
		"Skolskjuts med elbussar på landsbygden", "Sensorer som mäter fyllnadsgrad i sopkärl"}
	for i := range 120 {
		ix.Upsert(&Need{ID: fmt.Sprint(i), Org: fmt.Sprint("org", i%7), Title: themes[i%len(themes)], Description: fmt.Sprintf("%s, variant %d.", themes[(i+1)%len(themes)], i)})
	}
	q := &Need{ID: "q", Org: "orgQ", Title: "Digitala trygghetslarm", Description: "Larm för äldre i ordinärt boende."}
	for round := range 5 {
		ix.Upsert(&Need{ID: fmt.Sprint("new", round), Org: "orgN", Title: themes[round%len(themes)], Description: "Ny."})
		results := make([][]Match, 8)
		var wg sync.WaitGroup
		for i := range results {
			wg.Go(func() { results[i] = ix.Similar(q, 10, nil) })
		}
		wg.Wait()
		want := ix.Similar(q, 10, nil)
		for i, got := range results {
			if len(got) != len(want) {
				t.Fatalf("round %d, query %d: %d matches, want %d", round, i, len(got), len(want))
			}
			for j := range got {
				if got[j].ID != want[j].ID || got[j].Score != want[j].Score || !reflect.DeepEqual(got[j].Features, want[j].Features) {
					t.Fatalf("round %d, query %d, rank %d: %s %v, want %s %v", round, i, j, got[j].ID, got[j].Score, want[j].ID, want[j].Score)
				}
			}
		}
	}
	// A query whose context has ended stops warming and answers its error;
	// the next one computes what is missing.
	ix.Upsert(&Need{ID: "late", Org: "orgN", Title: "Sent", Description: "Sent behov."})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.SimilarContext(ctx, q, 10, nil); err == nil {
		t.Fatal("an ended context answered")
	}
	if ms := ix.Similar(q, 10, nil); len(ms) == 0 {
		t.Fatal("no matches after an abandoned query")
	}
}
