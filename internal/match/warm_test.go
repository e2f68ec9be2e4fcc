package match

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
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

// TestWritesRankAsAFreshBuild: an index whose needs were changed and
// removed after queries had weighed them (so each need's kept n-gram
// counts were in use) ranks as an index built afresh from the needs it
// ends with: nothing kept across writes outlives the text it came from.
func TestWritesRankAsAFreshBuild(t *testing.T) {
	themes := []string{"Trygghetslarm i hemtjänsten med larmmottagning", "Gatubelysning med LED och närvarostyrning",
		"Skolskjuts med elbussar på landsbygden", "Sensorer som mäter fyllnadsgrad i sopkärl", "Matsvinn i skolkök och äldreboenden"}
	needs := map[string]*Need{}
	for i := range 60 {
		id := fmt.Sprint(i)
		needs[id] = &Need{ID: id, Org: fmt.Sprint("org", i%7), Title: themes[i%len(themes)], Description: fmt.Sprintf("%s, variant %d.", themes[(i+2)%len(themes)], i)}
	}
	queries := []*Need{
		{ID: "q1", Org: "orgQ", Title: "Digitala trygghetslarm", Description: "Larm för äldre i ordinärt boende."},
		{ID: "q2", Org: "orgQ", Title: "Mindre matsvinn", Description: "Mäta och minska matsvinnet i skolköken."},
	}
	ix := NewIndex(NewAnalyzer(nil))
	for i := range 60 {
		ix.Upsert(needs[fmt.Sprint(i)])
	}
	for round := range 10 {
		for _, q := range queries {
			ix.Similar(q, 10, nil)
		}
		id := fmt.Sprint(round * 5)
		changed := &Need{ID: id, Org: needs[id].Org, Title: themes[(round+1)%len(themes)], Description: fmt.Sprintf("Ändrat behov %d om %s.", round, themes[round%len(themes)])}
		needs[id] = changed
		ix.Upsert(changed)
		if round%3 == 0 {
			gone := fmt.Sprint(round*5 + 1)
			delete(needs, gone)
			ix.Remove(gone)
		}
	}
	fresh := NewIndex(NewAnalyzer(nil))
	for i := range 60 {
		if n := needs[fmt.Sprint(i)]; n != nil {
			fresh.Upsert(n)
		}
	}
	for _, q := range queries {
		got, want := ix.Similar(q, 10, nil), fresh.Similar(q, 10, nil)
		if len(got) != len(want) {
			t.Fatalf("%s: %d matches after writes, %d from a fresh build", q.ID, len(got), len(want))
		}
		for i := range got {
			if got[i].ID != want[i].ID || math.Abs(got[i].Score-want[i].Score) > 1e-9 {
				t.Errorf("%s rank %d: %s %.12f after writes, %s %.12f from a fresh build", q.ID, i, got[i].ID, got[i].Score, want[i].ID, want[i].Score)
			}
		}
	}
}

// TestCreditMemoIsExact: a query remembers how much of each candidate
// concept it has (coverage's credit) and reads candidates' n-grams through
// a hash table; the features of every candidate are the same whether the
// query scored many candidates before it, in any order, or scores it
// alone, and the same as from walking the sorted vectors.
func TestCreditMemoIsExact(t *testing.T) {
	ix := NewIndex(NewAnalyzer(nil))
	texts := []string{"Trygghetslarm i hemtjänsten med larmmottagning", "Digitala larm för äldre i hemmet", "Gatubelysning med LED och närvarostyrning",
		"Belysning av gång- och cykelvägar", "Skolskjuts med elbussar på landsbygden", "Elbussar i kollektivtrafiken"}
	for i := range 60 {
		ix.Upsert(&Need{ID: fmt.Sprint(i), Org: fmt.Sprint("org", i%5), Title: texts[i%len(texts)], Description: texts[(i*5+1)%len(texts)] + fmt.Sprintf(", del %d.", i)})
	}
	q := &Need{ID: "q", Org: "orgQ", Title: "Larm och belysning", Description: "Trygghetslarm och gatubelysning för äldre på landsbygden."}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	qd := analyse(ix.an, ix.v, q, knownTerms)
	qv, qsal := ix.vectorsOf(qd)
	shared := &query{d: qd, vec: qv, sal: qsal, need: q}
	for pass, order := range [][]int{{0, 1, 2, 3, 4, 5, 6}, {6, 5, 4, 3, 2, 1, 0}} {
		for _, slot := range order {
			for _, d := range ix.slots[slot*8 : slot*8+8] {
				cv, csal := ix.vectorsOf(d)
				alone := ix.st.features(&query{d: qd, vec: qv, sal: qsal, need: q}, d, cv, csal)
				if got := ix.st.features(shared, d, cv, csal); got != alone {
					t.Fatalf("pass %d, need %s: features %v with the remembered credit, %v alone", pass, d.need.ID, got, alone)
				}
				// and the n-gram table gives what the sorted vectors give
				want := alone
				want[fGram] = cosine(qv.gram, qv.gramNorm, cv.gram, cv.gramNorm)
				var pq, pd float64
				want[fCoverQ], pq = ix.st.coverage(qsal, d, cv, nil)
				want[fCoverD], pd = ix.st.coverage(csal, qd, qv, nil)
				want[fPairs] = math.Sqrt(pq * pd)
				if alone != want {
					t.Fatalf("need %s: features %v, from the sorted vectors %v", d.need.ID, alone, want)
				}
			}
		}
	}
	if len(shared.credit) == 0 {
		t.Fatal("the query remembered no credit")
	}
}

// TestBulkBuildIsSequential: UpsertAll's workers intern the needs whose
// words the index knows already, in parallel with the index taking in
// earlier ones; loaded in batches (the second and later with most words
// known), and with an analyser whose words another index interned, the
// index holds the same terms, postings and statistics as needs upserted
// one by one, and ranks the same.
func TestBulkBuildIsSequential(t *testing.T) {
	needs, c := generatedNeeds(t, 3000)
	an := NewAnalyzer(c)
	NewIndex(an).UpsertAll(needs[:500]) // the words' cached ids now point elsewhere
	bulk := NewIndex(an)
	for start := 0; start < len(needs); start += 700 {
		bulk.UpsertAll(needs[start:min(start+700, len(needs))])
	}
	bulk.UpsertAll(needs[100:200]) // replaced by the same needs
	one := NewIndex(NewAnalyzer(c))
	for _, n := range needs {
		one.Upsert(n)
	}
	one.UpsertAll(needs[100:200])
	if len(bulk.v.terms) != len(one.v.terms) || bulk.st.n != one.st.n {
		t.Fatalf("bulk: %d terms, %d needs; one by one: %d terms, %d needs", len(bulk.v.terms), bulk.st.n, len(one.v.terms), one.st.n)
	}
	for id, d := range one.byID {
		b := bulk.byID[id]
		if b == nil || !slices.Equal(b.terms, d.terms) {
			t.Fatalf("need %s: bulk terms %v, one by one %v", id, b, d.terms)
		}
	}
	for i, ti := range one.v.terms {
		if bt := bulk.v.terms[i]; bt.stem != ti.stem || bt.df != ti.df {
			t.Fatalf("term %d: bulk %q df %d, one by one %q df %d", i, bt.stem, bt.df, ti.stem, ti.df)
		}
		if !slices.Equal(bulk.post[i], one.post[i]) {
			t.Fatalf("term %q: postings %v in bulk, %v one by one", ti.stem, bulk.post[i], one.post[i])
		}
	}
	if !slices.Equal(bulk.v.grams, one.v.grams) {
		t.Fatal("the n-grams' document frequencies differ")
	}
	for i := 0; i < len(needs); i += 50 {
		q := needs[i]
		got, want := bulk.Similar(q, 10, nil), one.Similar(q, 10, nil)
		if len(got) != len(want) {
			t.Fatalf("%s: %d matches from the bulk build, %d one by one", q.ID, len(got), len(want))
		}
		for i := range got {
			if got[i].ID != want[i].ID || got[i].Score != want[i].Score {
				t.Fatalf("%s rank %d: bulk %s %v, one by one %s %v", q.ID, i, got[i].ID, got[i].Score, want[i].ID, want[i].Score)
			}
		}
	}
}

// TestSupportIsExact: the neighbourhood support reads each candidate's
// n-grams once against a table of the query's nearest needs; it equals,
// bit for bit, the closeness (n-gram and topic cosines) with each of them
// computed one by one.
func TestSupportIsExact(t *testing.T) {
	needs, c := generatedNeeds(t, 1500)
	ix := NewIndex(NewAnalyzer(c))
	ix.UpsertAll(needs)
	checked := 0
	for i := 0; i < len(needs); i += 37 {
		ms := ix.Similar(needs[i], 0, nil)
		tm := ix.topics.Load()
		// Before the support, the list was sorted by the pair score and
		// the topic cosine (Score then was Pair + Topics × Topic): its
		// first supportNeighbours with a score above 0 voted, by it.
		before := func(m Match) float64 { return m.Pair + ix.Topics*m.Topic }
		byPair := slices.Clone(ms[:min(supportDepth, len(ms))])
		slices.SortStableFunc(byPair, func(a, b Match) int { return cmpBefore(a, b, before) })
		var voters []Match
		for _, x := range byPair[:min(supportNeighbours, len(byPair))] {
			if before(x) > 0 {
				voters = append(voters, x)
			}
		}
		for _, m := range byPair {
			var num, den float64
			for _, x := range voters {
				if x.doc == m.doc {
					continue
				}
				ix.mu.RLock()
				xv, _ := ix.vectorsOf(x.doc)
				mv, _ := ix.vectorsOf(m.doc)
				c := closeness(cosine(xv.gram, xv.gramNorm, mv.gram, mv.gramNorm), topicCosine(ix.topicOf(x.doc, tm, nil), ix.topicOf(m.doc, tm, nil)))
				ix.mu.RUnlock()
				num += before(x) * c
				den += before(x)
			}
			want := 0.0
			if den > 0 {
				want = num / den
			}
			if m.Support != want {
				t.Fatalf("query %s, candidate %s: support %v, one cosine at a time %v", needs[i].ID, m.ID, m.Support, want)
			}
			checked++
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d supports checked", checked)
	}
}

// cmpBefore orders matches as their scores before the support ranked
// them: best first, ties by id.
func cmpBefore(a, b Match, before func(Match) float64) int {
	if x, y := before(a), before(b); x != y {
		if x > y {
			return -1
		}
		return 1
	}
	return strings.Compare(a.ID, b.ID)
}

// TestSalientIsTheWeightiest: a need's salient concepts are its salientK
// weightiest terms, weightiest first and ties by term id, as sorting all
// of them would give, whatever their order and ties.
func TestSalientIsTheWeightiest(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var s stats
	for range 2000 {
		n := rng.IntN(30)
		d := &doc{}
		vec := &vectors{}
		for i := range n {
			d.terms = append(d.terms, termCount{id: termID(i * 3)})
			vec.word = append(vec.word, entry{termID(i * 3), float64(rng.IntN(6)) / 2}) // many ties
		}
		want := make([]salient, n)
		for i := range n {
			want[i] = salient{d.terms[i].id, vec.word[i].w}
		}
		slices.SortFunc(want, func(a, b salient) int {
			if a.w != b.w {
				if a.w > b.w {
					return -1
				}
				return 1
			}
			return int(a.id) - int(b.id)
		})
		want = want[:min(salientK, n)]
		if got := s.salient(d, vec); !slices.Equal(got, want) {
			t.Fatalf("salient %v, sorted %v", got, want)
		}
	}
}

// TestTopKIsTheWholeListsHead: asked for its k best, the index sorts only
// the candidates that can end there (bestOf); the answer is the head of
// the whole ranked list, score for score, for every k, ties included
// (generated needs repeat sentences, so some scores tie).
func TestTopKIsTheWholeListsHead(t *testing.T) {
	needs, c := generatedNeeds(t, 800)
	ix := NewIndex(NewAnalyzer(c))
	ix.UpsertAll(needs)
	for i := 0; i < len(needs); i += 53 {
		all := ix.Similar(needs[i], 0, nil)
		if len(all) <= supportDepth {
			t.Fatalf("%d candidates: too few to test the selection", len(all))
		}
		for _, k := range []int{1, 2, 10, supportDepth - 1, supportDepth} {
			top := ix.Similar(needs[i], k, nil)
			if len(top) != k {
				t.Fatalf("k=%d: %d matches", k, len(top))
			}
			for j := range top {
				if top[j].ID != all[j].ID || top[j].Score != all[j].Score || top[j].Support != all[j].Support {
					t.Fatalf("query %s, k=%d, rank %d: %s %v, the whole list's %s %v", needs[i].ID, k, j, top[j].ID, top[j].Score, all[j].ID, all[j].Score)
				}
			}
		}
	}
}

// TestBestOfTies: bestOf keeps the n best by score and then id, whatever
// the order it is given them in.
func TestBestOfTies(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for round := range 200 {
		ms := make([]Match, 5+rng.IntN(60))
		for i := range ms {
			ms[i] = Match{ID: fmt.Sprintf("m%03d", i), Score: float64(rng.IntN(4))} // many ties
		}
		rng.Shuffle(len(ms), func(i, j int) { ms[i], ms[j] = ms[j], ms[i] })
		n := 1 + rng.IntN(len(ms)-1)
		got := bestOf(slices.Clone(ms), n)
		sortMatches(got)
		want := slices.Clone(ms)
		sortMatches(want)
		for i := range got {
			if got[i].ID != want[i].ID {
				t.Fatalf("round %d, n=%d of %d, rank %d: %s, want %s", round, n, len(ms), i, got[i].ID, want[i].ID)
			}
		}
	}
}
