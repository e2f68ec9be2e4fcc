package match

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// themeWords are made-up words for n themes, k words each, of letters no
// two themes share, so words of different themes have no n-gram in common
// and words of one theme almost none.
func themeWords(n, k int) [][]string {
	alphabets := []string{"bdfgk", "lmnpr", "stvxz"}
	vowels := "aeiouy"
	rng := rand.New(rand.NewPCG(7, 9))
	out := make([][]string, n)
	seen := map[string]bool{}
	for th := range n {
		for len(out[th]) < k {
			var b strings.Builder
			for range 4 {
				b.WriteByte(alphabets[th][rng.IntN(5)])
				b.WriteByte(vowels[rng.IntN(6)])
			}
			if w := b.String(); !seen[w] {
				seen[w] = true
				out[th] = append(out[th], w)
			}
		}
	}
	return out
}

// themedNeeds are needs of the themes, each of 10 of its theme's words
// drawn at random.
func themedNeeds(words [][]string, n int) []*Need {
	rng := rand.New(rand.NewPCG(1, 3))
	needs := make([]*Need, n)
	for i := range needs {
		th := words[i%len(words)]
		var text []string
		for range 10 {
			text = append(text, th[rng.IntN(len(th))])
		}
		needs[i] = &Need{ID: fmt.Sprintf("n%03d", i), Org: fmt.Sprint("org", i), Title: text[0] + " " + text[1], Description: strings.Join(text, " ")}
	}
	return needs
}

// TestTopicsJoinWordsThatGoTogether: needs of one theme, written with
// words drawn at random from the theme's, are on average much closer in
// the topics than in their n-grams, and needs of different themes (no
// n-gram in common) are not close at all; the ranking's score is the pair
// score, the weighed topic cosine and the support.
func TestTopicsJoinWordsThatGoTogether(t *testing.T) {
	needs := themedNeeds(themeWords(3, 60), 300)
	ix := NewIndex(NewAnalyzer(nil))
	ix.UpsertAll(needs)
	for _, m := range ix.Similar(needs[0], 0, nil) {
		if m.Score != m.Pair+ix.Topics*m.Topic+ix.Support*m.Support {
			t.Fatalf("%s: score %v, want pair %v + %v × topic %v + %v × support %v", m.ID, m.Score, m.Pair, ix.Topics, m.Topic, ix.Support, m.Support)
		}
	}
	model := ix.topics.Load()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var topicSame, gramSame, topicOther, same, other float64
	for i := range 90 {
		for j := i + 1; j < 90; j++ {
			a, b := ix.byID[needs[i].ID], ix.byID[needs[j].ID]
			tc := topicCosine(ix.topicOf(a, model, nil), ix.topicOf(b, model, nil))
			if i%3 != j%3 { // themedNeeds takes the themes in turn
				topicOther += tc
				other++
				continue
			}
			av, _ := ix.vectorsOf(a)
			bv, _ := ix.vectorsOf(b)
			topicSame += tc
			gramSame += cosine(av.gram, av.gramNorm, bv.gram, bv.gramNorm)
			same++
		}
	}
	topicSame, gramSame, topicOther = topicSame/same, gramSame/same, topicOther/other
	t.Logf("one theme: topic cosine %.3f, n-gram cosine %.3f; other themes: topic cosine %.3f", topicSame, gramSame, topicOther)
	if topicSame < 0.25 || topicSame < 2*gramSame || math.Abs(topicOther) > 0.05 {
		t.Errorf("one theme: topic cosine %.3f (want ≥ 0.25 and twice the n-gram cosine %.3f); other themes %.3f (want about 0)", topicSame, gramSame, topicOther)
	}
}

// TestTopicsLeavePairAlone: the topics move the ranking's score, never how
// alike a pair is (Pair), which decides what is shown as a match.
func TestTopicsLeavePairAlone(t *testing.T) {
	needs := themedNeeds(themeWords(3, 60), 150)
	with, without := NewIndex(NewAnalyzer(nil)), NewIndex(NewAnalyzer(nil))
	without.Topics = 0
	with.UpsertAll(needs)
	without.UpsertAll(needs)
	for _, q := range needs[:20] {
		a, b := with.Similar(q, 0, nil), without.Similar(q, 0, nil)
		pair := map[string]float64{}
		for _, m := range b {
			if m.Topic != 0 {
				t.Fatalf("%s: topic %v with weight 0", m.ID, m.Topic)
			}
			pair[m.ID] = m.Pair
		}
		moved := 0
		for i, m := range a {
			if m.Pair != pair[m.ID] {
				t.Fatalf("%s ~ %s: pair %v with topics, %v without", q.ID, m.ID, m.Pair, pair[m.ID])
			}
			if m.ID != b[i].ID {
				moved++
			}
		}
		if moved == 0 {
			t.Errorf("%s: the topics moved no candidate", q.ID)
		}
	}
}

// TestTopicsFollowTheIndex: an index too small learns no topics; one large
// enough learns them at its first query, and again, in the background,
// only once a quarter of it has changed, its queries meanwhile using the
// model they have; the same needs give the same model whatever the order
// of the writes since.
func TestTopicsFollowTheIndex(t *testing.T) {
	needs := themedNeeds(themeWords(3, 60), 240)
	ix := NewIndex(NewAnalyzer(nil))
	ix.UpsertAll(needs[:minTopicDocs-1])
	for _, m := range ix.Similar(needs[0], 0, nil) {
		if m.Topic != 0 {
			t.Fatalf("%d needs: topic %v, want none below %d", ix.Len(), m.Topic, minTopicDocs)
		}
	}
	model := func() *topicModel {
		ix.Similar(needs[0], 1, nil)
		return ix.topics.Load()
	}
	for _, n := range needs[minTopicDocs-1 : 160] {
		ix.Upsert(n)
	}
	first := model()
	if first == nil || first.size != 160 {
		t.Fatalf("model %+v, want one learned from 160 needs", first)
	}
	for _, n := range needs[160:199] { // 39 changes: fewer than 160/4
		ix.Upsert(n)
	}
	if model() != first {
		t.Fatal("learned again after fewer changes than a quarter of the index")
	}
	ix.Upsert(needs[199])
	if model() != first {
		t.Fatal("a query waited for the model to be learned again")
	}
	ix.learned.Wait()
	second := ix.topics.Load()
	if second == first || second.size != 200 {
		t.Fatalf("after 40 changes to 160 needs: model of %d needs, want a new one of 200", second.size)
	}
	// The same 200 needs, written in another order, learn the same model.
	again := NewIndex(NewAnalyzer(nil))
	rev := slices.Clone(needs[:200])
	slices.Reverse(rev)
	again.UpsertAll(rev)
	again.Similar(needs[0], 1, nil)
	a, b := ix.Similar(needs[5], 10, nil), again.Similar(needs[5], 10, nil)
	for i := range a {
		if a[i].ID != b[i].ID || a[i].Topic != b[i].Topic {
			t.Fatalf("rank %d: %s topic %v, after writes in another order %s topic %v", i, a[i].ID, a[i].Topic, b[i].ID, b[i].Topic)
		}
	}
}

// themedModel indexes 150 needs of three themes, learns their topics and
// holds the index for reading until the test ends.
func themedModel(t *testing.T) ([]*Need, *Index, *topicModel) {
	needs := themedNeeds(themeWords(3, 60), 150)
	ix := NewIndex(NewAnalyzer(nil))
	ix.UpsertAll(needs)
	ix.Similar(needs[0], 1, nil)
	m := ix.topics.Load()
	ix.mu.RLock()
	t.Cleanup(ix.mu.RUnlock)
	return needs, ix, m
}

// TestTopicFromVectorsIsFromCounts: a large index reads a candidate's
// n-gram counts back from its weighted vector (weight over idf); the topic
// vector is the one its counts give, but for rounding.
func TestTopicFromVectorsIsFromCounts(t *testing.T) {
	needs, ix, m := themedModel(t)
	for _, n := range needs[:30] {
		d := ix.byID[n.ID]
		v, _ := ix.vectorsOf(d)
		words := ix.st.topicWords(d)
		a, b := m.vector(d.grams.Load().gram, nil, words), m.vector(v.gram, ix.st.gramIDF, words)
		if a == ([topicK]float32{}) {
			t.Fatalf("%s: no topic vector", n.ID)
		}
		for i := range a {
			if math.Abs(float64(a[i]-b[i])) > 1e-5 {
				t.Fatalf("%s dimension %d: %v from the counts, %v from the vector", n.ID, i, a[i], b[i])
			}
		}
	}
}

// TestTopicPartsWeighTheirShare: a need's topic vector reads its n-grams
// and its words each as a unit vector weighed by its share
// (topicWordShare), so a text's many n-grams do not drown its words:
// counts of one part ten times as high give the same vector, and the words
// move it.
func TestTopicPartsWeighTheirShare(t *testing.T) {
	needs, ix, m := themedModel(t)
	times := func(g sparse, ws []wordCount, f float64) (sparse, []wordCount) {
		g2, ws2 := slices.Clone(g), slices.Clone(ws)
		for i := range g2 {
			g2[i].w *= f
		}
		for i := range ws2 {
			ws2[i].tf *= f
		}
		return g2, ws2
	}
	near := func(a, b [topicK]float32) bool {
		for i := range a {
			if math.Abs(float64(a[i]-b[i])) > 1e-5 {
				return false
			}
		}
		return true
	}
	for _, n := range needs[:30] {
		d := ix.byID[n.ID]
		g, ws := d.grams.Load().gram, ix.st.topicWords(d)
		both := m.vector(g, nil, ws)
		g10, ws10 := times(g, ws, 10)
		if got := m.vector(g10, nil, ws); !near(got, both) {
			t.Fatalf("%s: ten times the n-gram counts moved the topic vector: %v…, was %v…", n.ID, got[:3], both[:3])
		}
		if got := m.vector(g, nil, ws10); !near(got, both) {
			t.Fatalf("%s: ten times the word counts moved the topic vector: %v…, was %v…", n.ID, got[:3], both[:3])
		}
		if near(m.vector(g, nil, nil), both) {
			t.Fatalf("%s: the words do not move the topic vector", n.ID)
		}
	}
}

// TestTopicStartIsAKnob: the decomposition's random start (TopicStart)
// changes the model learned, and only it: the same start learns the same
// model, another start other coordinates for the same themes; so does the
// count of power iterations (TopicPower).
func TestTopicStartIsAKnob(t *testing.T) {
	needs := themedNeeds(themeWords(3, 60), 150)
	learn := func(start uint64) ([]Match, *topicModel) {
		ix := NewIndex(NewAnalyzer(nil))
		ix.TopicStart = start
		ix.UpsertAll(needs)
		return ix.Similar(needs[0], 10, nil), ix.topics.Load()
	}
	a, ma := learn(1)
	b, mb := learn(1)
	_, m0 := learn(0)
	if !slices.Equal(ma.coord, mb.coord) {
		t.Fatal("one start learned two models")
	}
	for i := range a {
		if a[i].ID != b[i].ID || a[i].Score != b[i].Score {
			t.Fatalf("rank %d: %s %v, then %s %v with the same start", i, a[i].ID, a[i].Score, b[i].ID, b[i].Score)
		}
	}
	if slices.Equal(ma.coord, m0.coord) {
		t.Fatal("starts 0 and 1 learned the same coordinates: the start is not used")
	}
	ix := NewIndex(NewAnalyzer(nil))
	ix.TopicPower = 1
	ix.UpsertAll(needs)
	ix.LearnTopics()
	if slices.Equal(ix.topics.Load().coord, m0.coord) {
		t.Fatal("one power iteration learned what the product's learn: TopicPower is not used")
	}
}

// TestTopicsAnyCores: the model learned on every core is the one learned
// on one, to the bit (each sum is taken in one order).
func TestTopicsAnyCores(t *testing.T) {
	needs := themedNeeds(themeWords(3, 60), 400)
	learn := func(procs int) *topicModel {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		ix := NewIndex(NewAnalyzer(nil))
		ix.UpsertAll(needs)
		ix.Similar(needs[0], 1, nil)
		return ix.topics.Load()
	}
	one, many := learn(1), learn(4)
	if len(one.coord) == 0 || !slices.Equal(one.coord, many.coord) || !slices.Equal(one.idf, many.idf) {
		t.Fatal("four cores learned another model than one")
	}
}

// TestLearnTopicsBeforeQueries: LearnTopics learns the first model at
// once, so the first query finds it; an index too small to learn from
// learns none.
func TestLearnTopicsBeforeQueries(t *testing.T) {
	needs := themedNeeds(themeWords(3, 60), 150)
	ix := NewIndex(NewAnalyzer(nil))
	ix.UpsertAll(needs[:minTopicDocs-1])
	ix.LearnTopics()
	if ix.topics.Load() != nil {
		t.Fatalf("a model learned from %d needs", minTopicDocs-1)
	}
	ix.UpsertAll(needs)
	ix.LearnTopics()
	m := ix.topics.Load()
	if m == nil || m.size != len(needs) {
		t.Fatal("no model of the index's needs after LearnTopics")
	}
	ix.Similar(needs[0], 10, nil)
	if ix.topics.Load() != m {
		t.Fatal("the first query learned another model")
	}
}
