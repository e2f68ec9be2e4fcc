package match

import (
	"hash/fnv"
	"slices"
)

// gramN is the character n-gram length used to compare words whatever
// their inflection or compounding: gatubelysning and vägbelysning share
// "belys", "elysn", …; tolk and tolkning share "^tolk".
const gramN = 4

// gramBuckets bounds the gram document-frequency table; grams are hashed
// into it, and the rare collision only blurs a weight.
const gramBuckets = 1 << 22

type termID = uint32

// termInfo is what the vocabulary knows of one term (a stem or a compound
// part).
type termInfo struct {
	stem  string
	df    int32    // documents with the term
	grams []uint32 // hashed character n-grams of the stem
	key   uint32   // the stem's key among the topics' n-grams (wordTopicKey)
}

// vocab interns terms and keeps document frequencies of terms and grams.
type vocab struct {
	ids   map[string]termID
	terms []termInfo
	// grams holds each hashed n-gram's document frequency and, beside it in
	// the same cache line, the stamp of the last need that counted it (so a
	// gram counts once per need without a set per need).
	grams []gramCell
	stamp uint32
}

type gramCell struct {
	df   int32
	seen uint32
}

func newVocab() *vocab {
	return &vocab{ids: map[string]termID{}, grams: make([]gramCell, gramBuckets)}
}

func (v *vocab) id(stem string) termID {
	if id, ok := v.ids[stem]; ok {
		return id
	}
	id := termID(len(v.terms))
	v.ids[stem] = id
	v.terms = append(v.terms, termInfo{stem: stem, grams: gramsOf(stem), key: wordTopicKey(stem)})
	return id
}

func (v *vocab) lookup(stem string) (termID, bool) {
	id, ok := v.ids[stem]
	return id, ok
}

// gramsOf returns the distinct hashed n-grams of a stem with boundary
// marks, so a short stem still has grams and word starts weigh.
func gramsOf(stem string) []uint32 {
	r := append(append([]rune{'^'}, []rune(stem)...), '$')
	if len(r) < gramN {
		return []uint32{hashRunes(r)}
	}
	out := make([]uint32, 0, len(r)-gramN+1)
	for i := 0; i+gramN <= len(r); i++ {
		out = append(out, hashRunes(r[i:i+gramN]))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func hashRunes(r []rune) uint32 {
	h := fnv.New32a()
	var b [4]byte
	for _, c := range r {
		b[0], b[1], b[2], b[3] = byte(c), byte(c>>8), byte(c>>16), byte(c>>24)
		h.Write(b[:])
	}
	return h.Sum32() % gramBuckets
}
