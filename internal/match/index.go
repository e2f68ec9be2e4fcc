package match

import (
	"cmp"
	"container/heap"
	"context"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Index holds analysed needs in memory. It is derived from the database
// (or a file) and can be rebuilt at any time; it is safe for concurrent use.
type Index struct {
	an      *Analyzer
	Weights Weights
	Support float64 // weight of the neighbourhood support
	Topics  float64 // weight of the topic cosine (topics.go)
	// TopicStart picks the random start of the topics' decomposition; 0
	// is the product's. The quality depends on it a little, so the
	// benchmarks measure a change over several (arena-bench starts). Set
	// it before the first query.
	TopicStart uint64
	// TopicPower is the decomposition's power iterations, topicPower when
	// 0: a knob for the benchmarks (arena-bench starts --power), as
	// TopicStart is.
	TopicPower int

	mu    sync.RWMutex
	v     *vocab
	byID  map[string]*doc
	slots []*doc           // nil where a need was removed
	free  []int32          // free slots
	post  [][]uint32       // term → postings: slot<<8 | saturated term count
	orgs  map[string]int32 // organisations interned, so comparing them is cheap
	st    stats
	gen   int64 // grows with every write; cached vectors of older generations are stale
	// compactedAt is the size at the last compaction of the postings: a
	// bulk load compacts once the index has grown by a quarter since, so
	// loading in batches copies the postings a logarithmic number of
	// times, not once per batch.
	compactedAt int
	accs        sync.Pool
	// gramPost lists, for each n-gram, title n-gram and word, the needs
	// that have it and how often, while the index is small enough that a
	// query scores every need (gramdots.go); nil when it is not.
	gramPost *postLists
	bulk     bool // UpsertAll is putting needs and lists no n-grams

	// warmMu lets one query compute every need's vectors for a new
	// generation while the others wait (warm); warmGen is the generation
	// they were last computed for.
	warmMu  sync.Mutex
	warmGen atomic.Int64

	// changes counts needs added and removed; the topic model is learned
	// again when they reach a quarter of the index (topicModelNow).
	changes  atomic.Int64
	topicMu  sync.Mutex
	topics   atomic.Pointer[topicModel]
	learning atomic.Bool    // a model is being learned in the background
	learned  sync.WaitGroup // that learning, for tests to wait for
}

// Sizes at which the index changes strategy. Below exhaustiveMax every need
// is scored with all features; above it an inverted index picks candidates.
// Below cacheMax each need's vectors are cached between queries.
const (
	exhaustiveMax = 5000
	cacheMax      = 50000
	candidates    = 300 // candidates read from the postings, for large indexes
	rerankDepth   = 60  // of those, scored with all features
)

// cached are a doc's vectors for one generation of the statistics.
type cached struct {
	gen int64
	vec *vectors
	sal []salient
}

// vectorsOf returns d's vectors, computing them once per generation in a
// small index. Readers may race to compute; each stores a complete value.
func (ix *Index) vectorsOf(d *doc) (*vectors, []salient) {
	if c := d.cache.Load(); c != nil && c.gen == ix.gen {
		return c.vec, c.sal
	}
	v := ix.st.vectors(d)
	sal := ix.st.salient(d, v)
	if ix.st.n <= cacheMax {
		d.cache.Store(&cached{gen: ix.gen, vec: v, sal: sal})
	}
	return v, sal
}

// reweigh is vectorsOf for warm: it writes d's vectors for the new
// generation into the arrays of its vectors of an earlier one. Nobody
// reads those any more: a generation ends under ix.mu held for writing,
// so every query of it has ended; a reader of this generation reads only
// vectors stored for it; and a query's matches leave SimilarContext
// without their vectors. Only warm, one at a time (warmMu), reuses.
func (ix *Index) reweigh(d *doc) {
	c := d.cache.Load()
	if c == nil || c.gen == ix.gen {
		ix.vectorsOf(d)
		return
	}
	v := ix.st.vectorsInto(d, c.vec)
	d.cache.Store(&cached{gen: ix.gen, vec: v, sal: ix.st.salient(d, v)})
}

// warm computes the vectors of every indexed need for the current
// generation, once: in a small index each query scores every need, and
// after a write every query running then would compute them all again
// itself. The caller holds ix.mu for reading, so the generation stays.
// It stops, leaving the rest to be computed as needed, when ctx ends.
func (ix *Index) warm(ctx context.Context) {
	if ix.warmGen.Load() == ix.gen || ix.st.n > cacheMax {
		return
	}
	ix.warmMu.Lock()
	defer ix.warmMu.Unlock()
	if ix.warmGen.Load() == ix.gen {
		return
	}
	for i, d := range ix.slots {
		if i%checkEvery == 0 && ctx.Err() != nil {
			return
		}
		if d != nil {
			ix.reweigh(d)
		}
	}
	ix.warmGen.Store(ix.gen)
}

// NewIndex returns an empty index using the analyzer.
func NewIndex(an *Analyzer) *Index {
	v := newVocab()
	return &Index{an: an, Weights: DefaultWeights, Support: DefaultSupport, Topics: DefaultTopics, v: v, byID: map[string]*doc{}, orgs: map[string]int32{}, st: stats{v: v},
		gramPost: newPostLists()}
}

// SetBackground makes term weights lean on general Swedish public-sector
// text: mix is the share of the background idf (0–1).
func (ix *Index) SetBackground(b *Background, mix float64) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.st.bg, ix.st.bgMix = b, mix
	ix.gen++
}

// Len returns the number of needs indexed.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.byID)
}

// Has reports whether a need is indexed.
func (ix *Index) Has(id string) bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.byID[id] != nil
}

// slim keeps what ranking needs of a need once its text is analysed: not
// its title and description, which the database keeps.
func slim(n *Need) *Need {
	c := *n
	c.Title, c.Description = "", ""
	return &c
}

// Upsert adds a need or replaces the need with the same ID.
func (ix *Index) Upsert(n *Need) {
	occ := parse(ix.an, n, nil)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.put(n, intern(ix.v, slim(n), occ, addTerms))
}

// UpsertAll adds many needs: workers analyse them, and intern those whose
// words the vocabulary has already, while the index takes them in, in
// order.
func (ix *Index) UpsertAll(needs []*Need) {
	workers := max(1, runtime.GOMAXPROCS(0))
	const batch = 256
	type chunk struct {
		start int
		docs  []*doc         // nil where a word has no term id cached for ix.v
		occ   [][]occurrence // the need's words, where docs has nil
	}
	jobs := make(chan int)
	results := make([]chan chunk, 0)
	for start := 0; start < len(needs); start += batch {
		results = append(results, make(chan chunk, 1))
	}
	go func() {
		for start := 0; start < len(needs); start += batch {
			jobs <- start
		}
		close(jobs)
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := localWords{}
			var occ []occurrence // reused: most needs' words are interned here
			for start := range jobs {
				end := min(start+batch, len(needs))
				c := chunk{start: start, docs: make([]*doc, end-start), occ: make([][]occurrence, end-start)}
				for i := start; i < end; i++ {
					occ = appendParsed(occ[:0], ix.an, needs[i], local)
					// ix.v is only read through the words' cached ids
					// here, so this needs no lock while put runs.
					if c.docs[i-start] = intern(ix.v, slim(needs[i]), occ, cachedTerms); c.docs[i-start] == nil {
						c.occ[i-start] = slices.Clone(occ)
					}
				}
				results[start/batch] <- c
			}
		}()
	}
	ix.mu.Lock()
	// A load that may outgrow exhaustiveMax lists no n-grams while it runs.
	ix.bulk = ix.st.n+len(needs) > exhaustiveMax
	if ix.bulk {
		ix.gramPost = nil
	}
	for _, rc := range results {
		c := <-rc
		for i, d := range c.docs {
			n := needs[c.start+i]
			if d == nil {
				d = intern(ix.v, slim(n), c.occ[i], addTerms)
			}
			ix.put(n, d)
		}
	}
	if ix.st.n >= ix.compactedAt+ix.compactedAt/4 {
		ix.compact()
		ix.compactedAt = ix.st.n
	}
	if ix.bulk && ix.st.n <= exhaustiveMax {
		ix.listGrams()
	}
	ix.bulk = false
	ix.mu.Unlock()
	wg.Wait()
}

// put adds d, the interned need n, replacing the need with its id.
func (ix *Index) put(n *Need, d *doc) {
	if old := ix.byID[n.ID]; old != nil {
		ix.drop(old)
	}
	org, ok := ix.orgs[n.Org]
	if !ok {
		org = int32(len(ix.orgs))
		ix.orgs[n.Org] = org
	}
	d.org = org
	if k := len(ix.free); k > 0 {
		d.slot = ix.free[k-1]
		ix.free = ix.free[:k-1]
		ix.slots[d.slot] = d
	} else {
		d.slot = int32(len(ix.slots))
		ix.slots = append(ix.slots, d)
	}
	ix.byID[n.ID] = d
	for len(ix.post) < len(ix.v.terms) {
		ix.post = append(ix.post, nil)
	}
	for _, tc := range d.terms {
		ix.post[tc.id] = append(ix.post[tc.id], uint32(d.slot)<<8|uint32(tc.count()))
	}
	ix.count(d, 1)
	if ix.gramPost != nil {
		if ix.st.n > exhaustiveMax {
			ix.gramPost = nil // queries read candidates' vectors from now on
		} else {
			ix.postGrams(d)
		}
	}
}

// Remove drops a need; removing an unknown id does nothing.
func (ix *Index) Remove(id string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if old := ix.byID[id]; old != nil {
		ix.drop(old)
	}
}

func (ix *Index) drop(d *doc) {
	if ix.gramPost != nil {
		ix.unpostGrams(d)
	}
	ix.count(d, -1)
	for _, tc := range d.terms {
		p := ix.post[tc.id]
		for i, e := range p {
			if int32(e>>8) == d.slot {
				p[i] = p[len(p)-1]
				ix.post[tc.id] = p[:len(p)-1]
				break
			}
		}
	}
	ix.slots[d.slot] = nil
	ix.free = append(ix.free, d.slot)
	delete(ix.byID, d.need.ID)
	if ix.gramPost == nil && !ix.bulk && ix.st.n <= gramPostRebuild {
		ix.listGrams()
	}
}

// count adds delta to the document frequencies of d's terms and grams.
func (ix *Index) count(d *doc, delta int32) {
	ix.gen++
	ix.changes.Add(1)
	ix.st.n += int(delta)
	ix.v.stamp++
	for _, tc := range d.terms {
		ix.v.terms[tc.id].df += delta
		if tc.part {
			continue
		}
		for _, g := range ix.v.terms[tc.id].grams {
			if c := &ix.v.grams[g]; c.seen != ix.v.stamp { // count a gram once per need
				c.seen = ix.v.stamp
				c.df += delta
			}
		}
	}
}

// Match is one ranked need with its score and the features behind it.
type Match struct {
	ID string
	// Score is the ranking's: Pair, the weighed topic cosine and the
	// neighbourhood's support.
	Score float64
	// Pair is how alike the two needs are by themselves, before the
	// topics and the neighbourhood's support move the candidate in the
	// ranking: a property of the pair, on one scale whatever else the
	// index holds (the support lifts unrelated needs when the query's
	// neighbours are alike). What is shown as a match, and how strong, is
	// judged on it.
	Pair     float64
	Features [nFeatures]float64
	Support  float64 // closeness to the query's nearest other needs
	Topic    float64 // closeness in the topics learned from the index
	doc      *doc
	vec      *vectors
	topic    *[topicK]float32 // under the model the list was scored with
}

// Neighbourhood re-ranking: needs that describe one underlying need are
// close to each other, not only to the query, so a candidate close to the
// query's nearest needs moves up even when it shares few words with the
// query itself (gatljus ~ gatubelysning through their neighbours).
const (
	supportNeighbours = 5   // the query's nearest needs that vote
	supportDepth      = 100 // how deep in the list support is computed
)

// DefaultSupport weighs the neighbourhood against the pair score.
const DefaultSupport = 9.0

// Similar ranks the indexed needs of other organisations than q's against
// q, best first, at most k (all when k <= 0). keep, when not nil, says which
// ids may be returned (visibility); q itself is never returned.
func (ix *Index) Similar(q *Need, k int, keep func(id string) bool) []Match {
	ms, _ := ix.SimilarContext(context.Background(), q, k, keep)
	return ms
}

// checkEvery is how many candidates or items are scored between two looks
// at whether the caller has gone: often enough to stop within a
// millisecond, rarely enough to cost nothing measurable.
const checkEvery = 64

// SimilarContext is Similar that gives up, with ctx.Err(), soon after ctx
// ends.
func (ix *Index) SimilarContext(ctx context.Context, q *Need, k int, keep func(id string) bool) ([]Match, error) {
	return ix.similar(ctx, q, k, keep, true)
}

// similar is SimilarContext, with the topics (topics.go) in the score or
// not.
func (ix *Index) similar(ctx context.Context, q *Need, k int, keep func(id string) bool, topics bool) ([]Match, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	qd := ix.byID[q.ID]
	if qd == nil {
		qd = analyse(ix.an, ix.v, q, knownTerms)
	}
	qv, qsal := ix.vectorsOf(qd)
	qq := &query{d: qd, vec: qv, sal: qsal, need: q}
	qorg, known := ix.orgs[q.Org]
	if !known {
		qorg = -1
	}
	ok := func(d *doc) bool {
		return d != qd && d.org != qorg && d.need.ID != q.ID && (keep == nil || keep(d.need.ID))
	}
	if ix.st.n <= exhaustiveMax {
		ix.warm(ctx)
	}
	cands, err := ix.candidates(ctx, qd, qv, ok)
	if err != nil {
		return nil, err
	}
	if ix.st.n <= exhaustiveMax && len(cands) > 0 {
		if qq.dots, err = ix.gramDots(ctx, qq); err != nil {
			return nil, err
		}
	}
	var tm *topicModel
	if topics {
		tm = ix.topicModelNow()
	}
	var qt *[topicK]float32
	if tm != nil {
		qt = ix.topicOf(qd, tm, qv)
	}
	out := make([]Match, 0, len(cands))
	for i, d := range cands {
		if i%checkEvery == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		cv, csal := ix.vectorsOf(d)
		f := ix.st.features(qq, d, cv, csal)
		score := ix.Weights.score(f)
		m := Match{ID: d.need.ID, Score: score, Pair: score, Features: f, doc: d, vec: cv}
		if qt != nil {
			m.topic = ix.topicOf(d, tm, cv)
			m.Topic = topicCosine(qt, m.topic)
			m.Score += ix.Topics * m.Topic
		}
		out = append(out, m)
	}
	if k > 0 && k <= supportDepth && len(out) > supportDepth {
		// Only the best supportDepth can end in the top k (the support
		// moves nothing from below them): sort those, not every need.
		out = bestOf(out, supportDepth)
	}
	sortMatches(out)
	ix.rerank(out)
	if k > 0 && len(out) > k {
		out = slices.Clone(out[:k]) // not the whole list's array, kept as long as the top k
	}
	for i := range out {
		out[i].vec = nil // its arrays are written again after the next write (reweigh)
		out[i].topic = nil
	}
	return out, nil
}

// closeness is how close a candidate is to one of the query's nearest
// needs, for the support, when the index has topics: half their n-gram
// cosine, half their topic cosine. On both labelled sets this ranks
// better than either alone (docs/benchmarks.md).
func closeness(gram, topic float64) float64 { return 0.5*gram + 0.5*topic }

// rerank adds the neighbourhood support to the top of a sorted list.
func (ix *Index) rerank(out []Match) {
	if ix.Support == 0 || len(out) < 2 {
		return
	}
	var voters []Match
	var vecs []*vectors
	for _, x := range out[:min(supportNeighbours, len(out))] {
		if x.Score > 0 {
			voters, vecs = append(voters, x), append(vecs, x.vec)
		}
	}
	if len(voters) == 0 {
		return
	}
	depth := min(supportDepth, len(out))
	tab := newNeighbourGrams(vecs)
	for i := range out[:depth] {
		gv := out[i].vec
		dots := tab.dots(gv.gram)
		var num, den float64
		for j, x := range voters {
			if x.doc == out[i].doc {
				continue
			}
			if xv := x.vec; xv.gramNorm != 0 && gv.gramNorm != 0 { // cosine's
				c := dots[j] / (xv.gramNorm * gv.gramNorm)
				if out[i].topic != nil { // scored with topics
					c = closeness(c, topicCosine(x.topic, out[i].topic))
				}
				num += x.Score * c
			}
			den += x.Score
		}
		if den > 0 {
			out[i].Support = num / den
		}
	}
	for i := range out[:depth] {
		out[i].Score += ix.Support * out[i].Support
	}
	sortMatches(out[:depth])
}

// bestOf returns the n best of ms (n < len(ms)), in no order, by
// compareMatches: a heap of the n best so far, worst on top, which a
// match enters only by beating that worst; O(len(ms) log n), and the
// matches are moved once, when gathered.
func bestOf(ms []Match, n int) []Match {
	h := make([]int32, n) // indexes into ms
	for i := range h {
		h[i] = int32(i)
	}
	worse := func(a, b int32) bool { return compareMatches(&ms[b], &ms[a]) < 0 }
	down := func(i int) {
		for {
			w, l := i, 2*i+1
			if l < n && worse(h[l], h[w]) {
				w = l
			}
			if r := l + 1; r < n && worse(h[r], h[w]) {
				w = r
			}
			if w == i {
				return
			}
			h[i], h[w] = h[w], h[i]
			i = w
		}
	}
	for i := n/2 - 1; i >= 0; i-- {
		down(i)
	}
	for i := n; i < len(ms); i++ {
		if compareMatches(&ms[i], &ms[h[0]]) < 0 {
			h[0] = int32(i)
			down(0)
		}
	}
	out := make([]Match, n)
	for i, j := range h {
		out[i] = ms[j]
	}
	return out
}

// sortMatches sorts best first, ties by id.
func sortMatches(out []Match) {
	slices.SortFunc(out, func(a, b Match) int { return compareMatches(&a, &b) })
}

// compareMatches orders matches best first: a higher score, ties by id.
func compareMatches(a, b *Match) int {
	if c := cmp.Compare(b.Score, a.Score); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// candidates returns the needs to score fully: all of them in a small
// index; in a large one those with the highest BM25-like score over the
// query's terms, read from the postings.
func (ix *Index) candidates(ctx context.Context, qd *doc, qv *vectors, ok func(*doc) bool) ([]*doc, error) {
	if ix.st.n <= exhaustiveMax {
		out := make([]*doc, 0, len(ix.byID))
		for _, d := range ix.slots {
			if d != nil && ok(d) {
				out = append(out, d)
			}
		}
		return out, nil
	}
	acc, _ := ix.accs.Get().(*accumulator)
	if acc == nil || len(acc.score) < len(ix.slots) {
		acc = &accumulator{score: make([]float32, len(ix.slots)+1024)}
	}
	defer ix.accs.Put(acc)
	const k1 = 1.2
	for _, i := range ix.candidateTerms(qd, qv) {
		if err := ctx.Err(); err != nil {
			for _, slot := range acc.touched {
				acc.score[slot] = 0
			}
			acc.touched = acc.touched[:0]
			return nil, err
		}
		tc := qd.terms[i]
		wq := float32(qv.word[i].w)
		idf := float32(ix.st.idf(tc.id))
		for _, e := range ix.post[tc.id] {
			slot := e >> 8
			tf := float32(e & 0xff)
			if acc.score[slot] == 0 {
				acc.touched = append(acc.touched, int32(slot))
			}
			acc.score[slot] += wq * idf * tf * (k1 + 1) / (tf + k1)
		}
	}
	h := &candHeap{}
	for _, slot := range acc.touched {
		sc := acc.score[slot]
		acc.score[slot] = 0
		if h.Len() == candidates && sc < (*h)[0].s {
			continue // cannot enter: no need to read the need (a cache miss)
		}
		d := ix.slots[slot]
		if d == nil {
			continue
		}
		if h.Len() < candidates {
			if ok(d) {
				heap.Push(h, cand{d, sc})
			}
		} else if (sc > (*h)[0].s || sc == (*h)[0].s && d.need.ID < (*h)[0].d.need.ID) && ok(d) {
			(*h)[0] = cand{d, sc}
			heap.Fix(h, 0)
		}
	}
	acc.touched = acc.touched[:0]
	// A second, cheaper cut: the word-vector cosine, so that only the best
	// few get the n-gram vectors and all features.
	type wc struct {
		d *doc
		c float64
	}
	ws := make([]wc, h.Len())
	for i, c := range *h {
		ws[i] = wc{c.d, ix.st.wordCosine(qv, c.d)}
	}
	sort.Slice(ws, func(i, j int) bool {
		if ws[i].c != ws[j].c {
			return ws[i].c > ws[j].c
		}
		return ws[i].d.need.ID < ws[j].d.need.ID
	})
	ws = ws[:min(len(ws), rerankDepth)]
	out := make([]*doc, len(ws))
	for i, w := range ws {
		out[i] = w.d
	}
	return out, nil
}

// candidateTerms picks the query terms whose postings are read: the
// weightiest ones, leaving out terms so common that reading their postings
// costs much and tells little (they still count in the full scoring).
func (ix *Index) candidateTerms(qd *doc, qv *vectors) []int {
	maxDF := int32(max(2000, ix.st.n/20))
	idx := make([]int, 0, len(qd.terms))
	for i, tc := range qd.terms {
		if ix.v.terms[tc.id].df <= maxDF {
			idx = append(idx, i)
		}
	}
	sort.Slice(idx, func(a, b int) bool {
		if qv.word[idx[a]].w != qv.word[idx[b]].w {
			return qv.word[idx[a]].w > qv.word[idx[b]].w
		}
		return idx[a] < idx[b]
	})
	if len(idx) > maxCandidateTerms {
		idx = idx[:maxCandidateTerms]
	}
	return idx
}

// maxCandidateTerms bounds the postings lists read per query.
const maxCandidateTerms = 32

// compact trims the postings to their length after a bulk build, so the
// slack append leaves does not stay in memory.
func (ix *Index) compact() {
	for i, p := range ix.post {
		if cap(p) > len(p)+len(p)/8+4 {
			ix.post[i] = slices.Clone(p)
		}
	}
}

// accumulator is scratch space for scoring postings, reused across queries.
type accumulator struct {
	score   []float32
	touched []int32
}

type cand struct {
	d *doc
	s float32
}

// candHeap is a min-heap on score: its root is the weakest kept candidate.
type candHeap []cand

func (h candHeap) Len() int { return len(h) }
func (h candHeap) Less(i, j int) bool {
	if h[i].s != h[j].s {
		return h[i].s < h[j].s
	}
	return h[i].d.need.ID > h[j].d.need.ID
}
func (h candHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *candHeap) Push(x any)   { *h = append(*h, x.(cand)) }
func (h *candHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
