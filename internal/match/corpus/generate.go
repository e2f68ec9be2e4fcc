package corpus

import (
	"math/bits"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Probabilities, in percent.
const (
	pctDevText   = 15 // a description also gets 1–2 sentences of a dev-set need
	pctDevTitle  = 50 // … and then the title is that need's title with a word swapped
	pctCPV       = 67 // a need has CPV codes
	pctTwoCPV    = 15 // … two of them rather than one
	pctDevCPV    = 50 // … those of the dev-set need whose text it borrowed, if any
	pctNullValue = 10 // no estimated value
)

// plannedYears and their weights (the dev set's 92 : 71 : 42).
var (
	plannedYears = []int{2026, 2027, 2028}
	yearWeight   = []uint64{92, 92 + 71, 92 + 71 + 42}
)

// rng draws with integer arithmetic only from a PCG stream.
type rng struct{ pcg rand.PCG }

// seedFor starts the stream of need i of the corpus with the given seed.
func (r *rng) seedFor(seed uint64, i int) {
	a := splitmix(seed ^ 0x6a09e667f3bcc908)
	r.pcg.Seed(splitmix(a+uint64(i)), splitmix(a^splitmix(uint64(i)+0xbb67ae8584caa73b)))
}

// splitmix is the SplitMix64 finaliser, a bijective 64-bit mix.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// uint64n returns a uniform number in [0, n), n > 0 (Lemire's method).
func (r *rng) uint64n(n uint64) uint64 {
	hi, lo := bits.Mul64(r.pcg.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(r.pcg.Uint64(), n)
		}
	}
	return hi
}

func (r *rng) intn(n int) int { return int(r.uint64n(uint64(n))) }

// pct reports true with probability p percent.
func (r *rng) pct(p int) bool { return r.intn(100) < p }

// weighted draws an index from cumulative weights.
func (r *rng) weighted(cum []uint64) int {
	x := r.uint64n(cum[len(cum)-1])
	i, _ := slices.BinarySearchFunc(cum, x, func(c, x uint64) int {
		if c <= x {
			return -1
		}
		return 1
	})
	return i
}

// generator makes needs from a prepared source.
type generator struct {
	src *source
	r   rng
	buf []sentence
}

// need returns need i of the corpus with the given seed.
func (g *generator) need(seed uint64, i int) Need {
	src, r := g.src, &g.r
	r.seedFor(seed, i)
	nd := Need{ID: id(i)}

	k := r.weighted(src.kindWeight)
	nd.OrgKind = orgKinds[k]
	nd.Org = src.orgs[k][r.intn(len(src.orgs[k]))]

	// Dev-set sentences first: they decide how many words are left.
	var dev *devNeed
	var devSents []sentence
	devWords := 0
	if r.pct(pctDevText) {
		dev = &src.dev[r.intn(len(src.dev))]
		j := r.intn(len(dev.sents))
		devSents = dev.sents[j : j+1]
		if r.intn(2) == 0 && j+1 < len(dev.sents) && dev.sents[j].words+dev.sents[j+1].words <= maxDevWords {
			devSents = dev.sents[j : j+2]
		}
		for _, s := range devSents {
			devWords += s.words
		}
	}

	// Sentences of one source document.
	want := minDocSents + r.intn(maxDocSents-minDocSents+1)
	var d *doc
	var sents []sentence
	for attempt := 0; ; attempt++ {
		st := src.starts[r.intn(len(src.starts))]
		d = &src.docs[st.d]
		if attempt == 16 {
			// Give up on the dev text rather than loop on: every start
			// fits a description of its own.
			dev, devSents, devWords = nil, nil, 0
		}
		if n, ok := take(d.sents[st.s:], want, maxDescWords-devWords, minDescWords-devWords, minDocSents); ok {
			sents = d.sents[st.s : int(st.s)+n]
			break
		}
	}
	g.buf = append(g.buf[:0], sents...)
	if len(devSents) > 0 {
		at := r.intn(len(g.buf) + 1)
		g.buf = slices.Insert(g.buf, at, devSents...)
	}
	nd.Description = joinSentences(g.buf)

	if dev != nil && r.pct(pctDevTitle) {
		other := &src.dev[r.intn(len(src.dev)-1)]
		if other == dev {
			other = &src.dev[len(src.dev)-1]
		}
		nd.Title = swapWord(r, dev.titleWords, other.titleWords)
	} else {
		nd.Title = d.title
	}

	if r.pct(pctCPV) {
		if dev != nil && len(dev.cpv) > 0 && r.pct(pctDevCPV) {
			nd.CPV = slices.Clone(dev.cpv)
		} else {
			a := src.cpvPool[r.intn(len(src.cpvPool))]
			nd.CPV = []string{a}
			if r.pct(pctTwoCPV) && len(src.cpvPool) > 1 {
				b := src.cpvPool[r.intn(len(src.cpvPool)-1)]
				if b == a {
					b = src.cpvPool[len(src.cpvPool)-1]
				}
				nd.CPV = append(nd.CPV, b)
			}
		}
	}

	if !r.pct(pctNullValue) {
		v := src.values[r.weighted(src.valueWeight)]
		nd.EstimatedValueSEK = &v
	}
	nd.PlannedYear = plannedYears[r.weighted(yearWeight)]
	return nd
}

// joinSentences joins sentence texts with single spaces.
func joinSentences(ss []sentence) string {
	n := len(ss) - 1
	for _, s := range ss {
		n += len(s.text)
	}
	var b strings.Builder
	b.Grow(n)
	for i, s := range ss {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s.text)
	}
	return b.String()
}

// swapWord returns title with one of its longer words replaced by a longer
// word of other ("Tandvårdsbuss eller mobil klinik" → "Tandvårdsbuss eller
// mobil belysning"). Short function words are left alone.
func swapWord(r *rng, title, other []string) string {
	var pos, cand []int
	for i, w := range title {
		if utf8.RuneCountInString(w) >= 4 {
			pos = append(pos, i)
		}
	}
	for i, w := range other {
		if utf8.RuneCountInString(w) >= 4 {
			cand = append(cand, i)
		}
	}
	words := slices.Clone(title)
	if len(pos) == 0 || len(cand) == 0 {
		return joinWords(words)
	}
	at := pos[r.intn(len(pos))]
	from := cand[r.intn(len(cand))]
	w := other[from]
	if at == 0 {
		w = upperFirst(w)
	} else if from == 0 && !isAllUpper(w) {
		// The capital of a first title word goes mid-title; acronyms
		// (SÄBO, LED) keep theirs.
		w = lowerFirst(w)
	}
	words[at] = w
	return joinWords(words)
}

func isAllUpper(w string) bool {
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
	}
	return true
}

func lowerFirst(w string) string {
	r, size := utf8.DecodeRuneInString(w)
	return string(unicode.ToLower(r)) + w[size:]
}
