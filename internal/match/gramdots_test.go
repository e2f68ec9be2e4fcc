package match

import (
	"context"
	"fmt"
	"testing"
)

// checkGramDots compares, for the query, every need's n-gram, word and
// title n-gram dot products and salient n-gram counts read from the
// index's lists with those read from the need's vectors: they must be the
// same numbers, not close ones.
func checkGramDots(t *testing.T, ix *Index, q *Need) {
	t.Helper()
	ctx := context.Background()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.gramPost == nil {
		t.Fatalf("%d needs: the index keeps no n-gram lists", ix.st.n)
	}
	qd := ix.byID[q.ID]
	qv, qsal := ix.vectorsOf(qd)
	qq := &query{d: qd, vec: qv, sal: qsal, need: q}
	ix.warm(ctx)
	pd, err := ix.gramDots(ctx, qq)
	if err != nil || pd == nil {
		t.Fatal("no dot products: ", err)
	}
	checked := 0
	for _, d := range ix.slots {
		if d == nil {
			continue
		}
		cv, _ := ix.vectorsOf(d)
		wantDot, wantFound := qq.grams.scan(cv.gram)
		dot, found := pd.of(d.slot)
		if dot != wantDot || found != wantFound {
			t.Fatalf("%s against %s: from the lists %v %v, from the vector %v %v", q.ID, d.need.ID, dot, found, wantDot, wantFound)
		}
		if w, tg := dotSparse(qv.word, cv.word), dotSparse(qv.tgram, cv.tgram); pd.word[d.slot] != w || pd.tgram[d.slot] != tg {
			t.Fatalf("%s against %s: words and titles' n-grams %v %v from the lists, %v %v from the vectors", q.ID, d.need.ID, pd.word[d.slot], pd.tgram[d.slot], w, tg)
		}
		checked++
	}
	if checked != ix.st.n {
		t.Fatalf("checked %d of %d needs", checked, ix.st.n)
	}
}

// TestGramDotsAreTheVectors: the n-gram lists a small index keeps give
// every need's dot product and counts exactly as its vector does, after
// needs are added, changed and removed, after loads, and after the index
// grows past the size that keeps them and shrinks back.
func TestGramDotsAreTheVectors(t *testing.T) {
	needs, c := generatedNeeds(t, exhaustiveMax+1)
	ix := NewIndex(NewAnalyzer(c))
	ix.UpsertAll(needs[:400])
	for i := range 5 {
		checkGramDots(t, ix, needs[i*71])
	}
	for i := range 60 {
		changed := *needs[i*5]
		changed.Description = fmt.Sprintf("%s Ändrad %d gång, nu även med gatubelysning.", changed.Description, i)
		ix.Upsert(&changed)
	}
	for i := range 40 {
		ix.Remove(needs[i*7+1].ID)
	}
	ix.Upsert(needs[1]) // back in a freed slot
	for i := range 5 {
		checkGramDots(t, ix, needs[i*70])
	}
	// A load that might outgrow the size, but does not (the same needs
	// again), lists them again when it is done.
	ix.UpsertAll(needs[:3000])
	ix.UpsertAll(needs[:3000])
	checkGramDots(t, ix, needs[2999])
	ix.UpsertAll(needs)
	if ix.gramPost != nil || ix.st.n != exhaustiveMax+1 {
		t.Fatalf("%d needs, above %d: the index still keeps n-gram lists", ix.st.n, exhaustiveMax)
	}
	for _, n := range needs[:exhaustiveMax-gramPostRebuild+1] {
		ix.Remove(n.ID)
	}
	for i := range 3 {
		checkGramDots(t, ix, needs[exhaustiveMax-i*100])
	}
}

// TestListingIndexRanksAsVectors: an index that lists its n-grams' needs
// ranks and scores every candidate exactly as one that reads every
// candidate's n-gram vector.
func TestListingIndexRanksAsVectors(t *testing.T) {
	needs, c := generatedNeeds(t, 600)
	an := NewAnalyzer(c)
	listing, vectorsOnly := NewIndex(an), NewIndex(an)
	listing.UpsertAll(needs)
	vectorsOnly.UpsertAll(needs)
	vectorsOnly.mu.Lock()
	vectorsOnly.gramPost = nil
	vectorsOnly.mu.Unlock()
	for i := range 30 {
		q := needs[i*19]
		got, want := listing.Similar(q, 0, nil), vectorsOnly.Similar(q, 0, nil)
		if len(got) != len(want) || len(got) < 500 {
			t.Fatalf("%s: %d and %d matches", q.ID, len(got), len(want))
		}
		for j := range got {
			g, w := got[j], want[j]
			if g.ID != w.ID || g.Score != w.Score || g.Pair != w.Pair || g.Support != w.Support || g.Features != w.Features {
				t.Fatalf("%s, match %d: listing %s %v %v %v, vectors %s %v %v %v", q.ID, j, g.ID, g.Score, g.Pair, g.Support, w.ID, w.Score, w.Pair, w.Support)
			}
		}
	}
}
