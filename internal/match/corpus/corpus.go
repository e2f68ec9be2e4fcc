// Package corpus generates a deterministic synthetic corpus of Swedish
// procurement needs for benchmarking the need→need matcher at scale (10k,
// 100k, 1M needs).
//
// The text is real Swedish public-sector prose: sentences of government
// assignments, committee directives and SOU summaries
// (corpora/regeringsuppdrag_sv.jsonl, corpora/regeringen_dir_sou_sv.jsonl in
// the reference data folder), mixed with sentences of the hand-written
// development set (eval/needs.jsonl) so that its topic vocabulary (tolk,
// biogas, gatubelysning, …) occurs at plausible rates in a big index. The
// organisations are real Swedish public bodies: the 290 kommuner less
// Gotland (which is Region Gotland), the 21 regions and the agencies,
// kommunalförbund and municipal companies of the development set.
//
// Need i (0-based) depends only on the seed, i and the input files, not on
// n: Generate(…, 1000, s) is the first 1000 needs of Generate(…, 1_000_000, s).
// Every random choice comes from a math/rand/v2 PCG stream seeded from
// (seed, i) and is made with integer arithmetic only, so the output is the
// same on every machine and Go version.
package corpus

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Need is one synthetic procurement need. The JSON field names are those of
// the development set (eval/needs.jsonl), without its labels.
type Need struct {
	ID                string   `json:"id"`
	Org               string   `json:"org"`
	OrgKind           string   `json:"org_kind"`
	Title             string   `json:"title"`
	Description       string   `json:"description"`
	CPV               []string `json:"cpv"`
	EstimatedValueSEK *int64   `json:"estimated_value_sek"`
	PlannedYear       int      `json:"planned_year"`
}

// Generate returns n needs, the same for the same (n, seed) on every machine.
// It reads the corpora, CPV list and geography from dataDir (a folder laid
// out like shared/data) and the development set from evalPath.
func Generate(dataDir, evalPath string, n int, seed uint64) ([]Need, error) {
	if n < 0 {
		return nil, fmt.Errorf("corpus: negative count %d", n)
	}
	needs := make([]Need, 0, n)
	err := Stream(dataDir, evalPath, n, seed, func(nd Need) error {
		needs = append(needs, nd)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return needs, nil
}

// Stream is Generate without holding all needs: fn is called for each need
// in order, and an error from fn stops the stream and is returned.
func Stream(dataDir, evalPath string, n int, seed uint64, fn func(Need) error) error {
	if n < 0 {
		return fmt.Errorf("corpus: negative count %d", n)
	}
	if n > maxNeeds {
		return fmt.Errorf("corpus: %d needs asked, at most %d supported", n, maxNeeds)
	}
	src, err := load(dataDir, evalPath)
	if err != nil {
		return err
	}
	var g generator
	g.src = src
	for i := range n {
		if err := fn(g.need(seed, i)); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSONL writes one JSON object per line with the field names of
// needs.jsonl; a need without CPV codes gets "cpv": [], as in the dev set.
func WriteJSONL(w io.Writer, needs []Need) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range needs {
		nd := needs[i]
		if nd.CPV == nil {
			nd.CPV = []string{}
		}
		if err := enc.Encode(&nd); err != nil {
			return fmt.Errorf("corpus: write need %s: %w", nd.ID, err)
		}
	}
	return bw.Flush()
}

// maxNeeds is the largest count whose ids fit the "s" + 7 digits form.
const maxNeeds = 9_999_999

// id returns the id of need i (0-based): "s0000001" for i = 0.
func id(i int) string {
	var b [8]byte
	b[0] = 's'
	v := i + 1
	for j := 7; j >= 1; j-- {
		b[j] = byte('0' + v%10)
		v /= 10
	}
	return string(b[:])
}

// joinWords is strings.Join(words, " ") for titles.
func joinWords(words []string) string { return strings.Join(words, " ") }
