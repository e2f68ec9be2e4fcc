package match

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strings"
)

// Feature indexes of a candidate pair.
const (
	fWord        = iota // cosine of stem TF-IDF vectors
	fGram               // cosine of character n-gram TF-IDF vectors
	fTitleGram          // cosine of the titles' n-gram vectors
	fCoverQ             // share of the query's salient concepts the candidate has
	fCoverD             // share of the candidate's salient concepts the query has
	fPairs              // share of pairs of salient concepts both present, both ways
	fCPV                // CPV closeness, when both have codes
	fCPVConflict        // both have codes and they share no division
	fSameKind           // same organisation kind
	fSector             // same sector, when both name one
	fYear               // planned years differ (0, 1, 2 …)
	nFeatures
)

// FeatureNames name the features, for tuning output.
var FeatureNames = [nFeatures]string{"word", "gram", "title_gram", "cover_q", "cover_d", "pairs", "cpv", "cpv_conflict", "same_kind", "sector", "year_diff"}

// Weights weigh the features into one score.
type Weights [nFeatures]float64

// DefaultWeights were fitted on the development set with cross-validation
// by cluster (docs/benchmarks.md tells how); they weigh meaning (shared
// concepts) far above form (same kind, timing).
var DefaultWeights = Weights{1, 2, 0.5, 0.7, 1, 1, 0.2, -0.5, 0.05, 0.1, -0.03}

// salientK is how many of a need's most weighty concepts coverage checks.
const salientK = 8

// pair holds what scoring a candidate needs about the query.
type query struct {
	d    *doc
	vec  *vectors
	sal  []salient
	need *Need
}

type salient struct {
	id termID
	w  float64
}

func (s *stats) salient(d *doc, vec *vectors) []salient {
	out := make([]salient, 0, len(d.terms))
	for i, tc := range d.terms {
		out = append(out, salient{tc.id, vec.word[i].w})
	}
	slices.SortFunc(out, func(a, b salient) int {
		if c := cmp.Compare(b.w, a.w); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	if len(out) > salientK {
		out = out[:salientK]
	}
	return out
}

// gramJaccard is the overlap of two terms' n-gram sets.
func gramJaccard(a, b []uint32) float64 {
	i, j, both := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			both++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	union := len(a) + len(b) - both
	if union == 0 {
		return 0
	}
	return float64(both) / float64(union)
}

// fuzzyMin is the share of a word's n-grams that must be found for a near
// form to count as the same concept.
const fuzzyMin = 0.6

// coverage is the weighted share of sal's concepts that d has, a word
// counting fully and a near word by its n-gram overlap; pairs is the
// weighted share of pairs of those concepts that d has both of. A need
// that shares one striking word but not the second concept is usually a
// different need.
func (s *stats) coverage(sal []salient, d *doc, dv *vectors) (cover, pairs float64) {
	var credit [salientK]float64
	var got, total float64
	for i, t := range sal {
		total += t.w
		if d.has(t.id) {
			credit[i] = 1
		} else if c := containment(s.v.terms[t.id].grams, dv.gram); c >= fuzzyMin {
			credit[i] = c
		}
		got += t.w * credit[i]
	}
	if total == 0 {
		return 0, 0
	}
	var pg, pt float64
	for i := range sal {
		for j := i + 1; j < len(sal); j++ {
			w := sal[i].w * sal[j].w
			pt += w
			pg += w * credit[i] * credit[j]
		}
	}
	if pt > 0 {
		pairs = pg / pt
	}
	return got / total, pairs
}

// containment is the share of a word's n-grams found anywhere in a text's
// n-gram vector: a near form (tolk, tolkning) or a word inside a compound
// (larm in trygghetslarm) finds most of its grams.
func containment(grams []uint32, v sparse) float64 {
	if len(grams) == 0 {
		return 0
	}
	found, j := 0, 0
	for _, g := range grams { // both sorted: the text's vector is searched onwards
		if j = seek(v, j, g); j == len(v) {
			break
		}
		if v[j].k == g {
			found++
		}
	}
	return float64(found) / float64(len(grams))
}

func (d *doc) has(id termID) bool {
	i := sort.Search(len(d.terms), func(i int) bool { return d.terms[i].id >= id })
	return i < len(d.terms) && d.terms[i].id == id
}

// features computes the feature vector of candidate c for query q.
func (s *stats) features(q *query, c *doc, cvec *vectors, csal []salient) [nFeatures]float64 {
	var f [nFeatures]float64
	f[fWord] = cosine(q.vec.word, q.vec.wordNorm, cvec.word, cvec.wordNorm)
	f[fGram] = cosine(q.vec.gram, q.vec.gramNorm, cvec.gram, cvec.gramNorm)
	f[fTitleGram] = cosine(q.vec.tgram, q.vec.tgramNorm, cvec.tgram, cvec.tgramNorm)
	var pq, pd float64
	f[fCoverQ], pq = s.coverage(q.sal, c, cvec)
	f[fCoverD], pd = s.coverage(csal, q.d, q.vec)
	f[fPairs] = math.Sqrt(pq * pd)
	link, related, both := RelateCPV(q.need.CPV, c.need.CPV)
	f[fCPV] = link.Score
	if both && !related {
		f[fCPVConflict] = 1
	}
	if q.need.OrgKind != "" && q.need.OrgKind == c.need.OrgKind {
		f[fSameKind] = 1
	}
	if q.need.Sector != "" && strings.EqualFold(q.need.Sector, c.need.Sector) {
		f[fSector] = 1
	}
	if q.need.Year > 0 && c.need.Year > 0 {
		f[fYear] = math.Abs(float64(q.need.Year - c.need.Year))
	}
	return f
}

func (w *Weights) score(f [nFeatures]float64) float64 {
	var s float64
	for i, x := range f {
		s += w[i] * x
	}
	return s
}
