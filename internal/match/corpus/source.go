package corpus

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/arena-se/arena/internal/refdata"
)

// Files read from the data folder, slash-separated.
var corpusFiles = []string{
	"corpora/regeringsuppdrag_sv.jsonl",
	"corpora/regeringen_dir_sou_sv.jsonl",
}

// Description and selection limits.
const (
	minDescWords = 50  // a description has at least this many words …
	maxDescWords = 140 // … and at most this many
	minDocSents  = 2   // sentences taken from the source document, at least …
	maxDocSents  = 6   // … and at most
	maxTitleLen  = 12  // words in a title

	maxDevWords = 60 // dev-set sentences added to one description, in words
)

// Organisation kinds, in the fixed order used for weighted draws.
var orgKinds = []string{"kommun", "region", "statlig myndighet", "kommunalförbund", "kommunalt bolag"}

// regionNames gives the official name of a region where it is not
// "Region " + the short län name (SCB county code → name).
var regionNames = map[string]string{
	"01": "Region Stockholm",
	"03": "Region Uppsala",
	"04": "Region Sörmland",
	"06": "Region Jönköpings län",
	"08": "Region Kalmar län",
	"14": "Västra Götalandsregionen",
	"18": "Region Örebro län",
	"23": "Region Jämtland Härjedalen",
}

// kommunNames corrects names of the SCB file that add a genitive s the
// official name does not have (SCB code → name).
var kommunNames = map[string]string{
	"0880": "Kalmar kommun",
	"1421": "Orust kommun",
	"2080": "Falu kommun",
	"2513": "Överkalix kommun",
	"2514": "Kalix kommun",
}

// sentence is one sentence of a source text with its word count.
type sentence struct {
	text  string
	words int
}

// doc is a source document: a cleaned title and its usable sentences.
type doc struct {
	title string
	sents []sentence
}

// devNeed is what the generator reuses of a development-set need.
type devNeed struct {
	titleWords []string
	sents      []sentence
	cpv        []string
}

// start is a place a description can start: sentence s of document d, from
// which a description of minDescWords–maxDescWords words and
// minDocSents–maxDocSents sentences can be taken without dev-set text.
type start struct {
	d, s int32
}

// source is everything Generate reads, prepared for drawing.
type source struct {
	docs   []doc
	starts []start
	dev    []devNeed

	orgs       [][]string // per orgKinds index, in a fixed order
	kindWeight []uint64   // cumulative, per orgKinds index

	cpvPool []string // dev-set codes and their ancestors, with check digit, sorted

	values      []int64  // candidate estimated values (two significant digits)
	valueWeight []uint64 // cumulative
}

// devRecord is one line of needs.jsonl as read here; labels are ignored.
type devRecord struct {
	ID          string   `json:"id"`
	Org         string   `json:"org"`
	OrgKind     string   `json:"org_kind"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	CPV         []string `json:"cpv"`
}

// load reads and prepares all inputs.
func load(dataDir, evalPath string) (*source, error) {
	ref, notes, err := refdata.ReadDir(dataDir)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	if len(ref.CPV) == 0 || len(ref.Counties) == 0 || len(ref.Municipalities) == 0 {
		return nil, fmt.Errorf("corpus: reference data incomplete in %s: %s", dataDir, strings.Join(notes, "; "))
	}
	devRecs, err := readDev(evalPath)
	if err != nil {
		return nil, err
	}
	src := &source{}
	for _, rel := range corpusFiles {
		if err := src.readCorpus(filepath.Join(dataDir, filepath.FromSlash(rel))); err != nil {
			return nil, err
		}
	}
	src.indexStarts()
	if len(src.starts) == 0 {
		return nil, errors.New("corpus: no source document is long enough for a description")
	}
	if err := src.prepareDev(devRecs, ref); err != nil {
		return nil, err
	}
	src.prepareOrgs(devRecs, ref)
	src.prepareValues()
	return src, nil
}

func readDev(path string) ([]devRecord, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("corpus: development set: %w", err)
	}
	defer f.Close()
	var recs []devRecord
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for line := 1; sc.Scan(); line++ {
		b := sc.Bytes()
		if len(strings.TrimSpace(string(b))) == 0 {
			continue
		}
		var r devRecord
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("corpus: %s: line %d: %w", path, line, err)
		}
		recs = append(recs, r)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("corpus: %s: %w", path, err)
	}
	if len(recs) < 2 {
		return nil, fmt.Errorf("corpus: %s: fewer than two needs", path)
	}
	return recs, nil
}

// readCorpus appends the documents of one corpus file.
func (src *source) readCorpus(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	for line := 1; sc.Scan(); line++ {
		var r struct {
			Title string `json:"title"`
			Text  string `json:"text"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return fmt.Errorf("corpus: %s: line %d: %w", path, line, err)
		}
		title := cleanTitle(r.Title)
		if title == "" {
			continue
		}
		sents := splitSentences(r.Text, true)
		if len(sents) < minDocSents {
			continue
		}
		src.docs = append(src.docs, doc{title: title, sents: sents})
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("corpus: %s: %w", path, err)
	}
	return nil
}

// indexStarts lists every (document, sentence) where a description without
// dev-set text can start.
func (src *source) indexStarts() {
	for d := range src.docs {
		sents := src.docs[d].sents
		for s := range sents {
			if _, ok := take(sents[s:], 0, maxDescWords, minDescWords, minDocSents); ok {
				src.starts = append(src.starts, start{int32(d), int32(s)})
			}
		}
	}
}

// take returns how many sentences to take from sents: at least want (capped
// by what fits), at least minSents, as few as reach minWords, never more than
// maxDocSents or maxWords words. ok is false if no count satisfies all.
func take(sents []sentence, want, maxWords, minWords, minSents int) (int, bool) {
	total := 0
	for k := 1; k <= len(sents) && k <= maxDocSents; k++ {
		total += sents[k-1].words
		if total > maxWords {
			return 0, false
		}
		if k >= minSents && total >= minWords && (k >= want || k == maxDocSents || k == len(sents) || total+sents[k].words > maxWords) {
			return k, true
		}
	}
	return 0, false
}

// prepareDev keeps the dev-set titles, sentences and CPV codes, and builds
// the CPV pool: the dev set's codes and all their ancestors.
func (src *source) prepareDev(recs []devRecord, ref *refdata.Set) error {
	type entry struct{ withCheck, parent string }
	cpv := make(map[string]entry, len(ref.CPV))
	for _, c := range ref.CPV {
		cpv[c.Code] = entry{c.Code + "-" + c.Check, c.Parent}
	}
	inPool := map[string]bool{}
	for _, r := range recs {
		dn := devNeed{titleWords: strings.Fields(r.Title)}
		for _, s := range splitSentences(r.Description, false) {
			if s.words <= maxDevWords {
				dn.sents = append(dn.sents, s)
			}
		}
		for _, c := range r.CPV {
			code, _, _ := strings.Cut(c, "-")
			e, ok := cpv[code]
			if !ok || e.withCheck != c {
				continue // not a valid CPV 2008 code: never reused
			}
			dn.cpv = append(dn.cpv, c)
			for ; ok; e, ok = cpv[e.parent] {
				inPool[e.withCheck] = true
			}
		}
		if len(dn.titleWords) == 0 || len(dn.sents) == 0 {
			continue
		}
		src.dev = append(src.dev, dn)
	}
	if len(src.dev) < 2 {
		return errors.New("corpus: development set has fewer than two usable needs")
	}
	for c := range inPool {
		src.cpvPool = append(src.cpvPool, c)
	}
	slices.Sort(src.cpvPool) // map order must not leak into draws
	if len(src.cpvPool) == 0 {
		return errors.New("corpus: development set has no valid CPV code")
	}
	return nil
}

// prepareOrgs builds the organisation lists per kind and the kind weights
// (the development set's kind frequencies).
func (src *source) prepareOrgs(recs []devRecord, ref *refdata.Set) {
	kindIx := map[string]int{}
	for i, k := range orgKinds {
		kindIx[k] = i
	}
	counts := make([]uint64, len(orgKinds))
	// Official kommun names used by the dev set ("Solna stad") replace the
	// "X kommun" form of the SCB file, matched on the genitive stem.
	official := map[string]string{}
	others := make([]map[string]bool, len(orgKinds))
	for i := range others {
		others[i] = map[string]bool{}
	}
	for _, r := range recs {
		k, ok := kindIx[r.OrgKind]
		if !ok || r.Org == "" {
			continue
		}
		counts[k]++
		switch r.OrgKind {
		case "kommun":
			official[kommunStem(r.Org)] = r.Org
		case "region":
		default:
			others[k][r.Org] = true
		}
	}
	src.orgs = make([][]string, len(orgKinds))
	for _, m := range ref.Municipalities {
		if m.Code == "0980" {
			continue // Gotland's kommun is Region Gotland, listed as a region
		}
		name := m.Name
		if o, ok := kommunNames[m.Code]; ok {
			name = o
		}
		if o, ok := official[kommunStem(name)]; ok {
			name = o
		}
		src.orgs[0] = append(src.orgs[0], name)
	}
	for _, c := range ref.Counties {
		name, ok := regionNames[c.Code]
		if !ok {
			name = "Region " + c.ShortName
		}
		src.orgs[1] = append(src.orgs[1], name)
	}
	for k := 2; k < len(orgKinds); k++ {
		for o := range others[k] {
			src.orgs[k] = append(src.orgs[k], o)
		}
		slices.Sort(src.orgs[k])
	}
	var cum uint64
	for k := range orgKinds {
		if len(src.orgs[k]) > 0 {
			cum += max(counts[k], 1)
		}
		src.kindWeight = append(src.kindWeight, cum)
	}
}

// kommunStem returns a kommun name without its "kommun"/"stad" suffix.
func kommunStem(name string) string {
	for _, suf := range []string{" kommun", " stad", " Stad"} {
		if s, ok := strings.CutSuffix(name, suf); ok {
			return s
		}
	}
	return name
}

// prepareValues builds the candidate estimated values: every two-digit
// mantissa m·10^e from 100 000 to 500 000 000 SEK, weighted ∝ 1/m, which is
// a log-uniform distribution rounded to two significant digits. Integer
// weights keep the draws identical on every machine.
func (src *source) prepareValues() {
	var cum uint64
	for scale := int64(10_000); scale <= 10_000_000; scale *= 10 {
		for m := int64(10); m <= 99; m++ {
			v := m * scale
			if v > 500_000_000 {
				break
			}
			src.values = append(src.values, v)
			cum += uint64(1_000_000_000 / m)
			src.valueWeight = append(src.valueWeight, cum)
		}
	}
}
