package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// Record is one need of the development set (one line of needs.jsonl).
// Unknown JSON fields are ignored.
type Record struct {
	ID                string   `json:"id"`
	Org               string   `json:"org"`
	OrgKind           string   `json:"org_kind"`
	Title             string   `json:"title"`
	Description       string   `json:"description"`
	CPV               []string `json:"cpv"`
	EstimatedValueSEK *int64   `json:"estimated_value_sek"`
	PlannedYear       int      `json:"planned_year"`
	// Cluster is the label of the cluster of genuinely shared needs the
	// record belongs to, or "" (label: never an input to a system).
	Cluster string `json:"cluster"`
	// HardNegativeOf is the cluster the record was written to resemble
	// while being a different need, or "" (label: never an input).
	HardNegativeOf string `json:"hard_negative_of"`
	// Subjects are the SCB research subjects (5 digits) of a SweCRIS
	// project, projects-swecris.jsonl (label: never an input).
	Subjects []string `json:"scb_subjects"`
}

// WriteRankings writes one line per record, in the records' order, in the
// format `arena match-file` prints and the scorers read:
// {"id": …, "matches": [ids, best first]}.
func WriteRankings(w io.Writer, recs []Record, rankings map[string][]string) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for _, r := range recs {
		if err := enc.Encode(struct {
			ID      string   `json:"id"`
			Matches []string `json:"matches"`
		}{r.ID, rankings[r.ID]}); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ReadJSONL reads one JSON object per line. Blank (whitespace-only) lines
// are skipped. Errors name the 1-based line number. Lines may be of any
// length.
func ReadJSONL(r io.Reader) ([]Record, error) {
	br := bufio.NewReader(r)
	var recs []Record
	seen := make(map[string]int)
	for lineNo := 1; ; lineNo++ {
		line, err := br.ReadBytes('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("eval: line %d: read: %w", lineNo, err)
		}
		if trimmed := bytes.TrimSpace(line); len(trimmed) > 0 {
			var rec Record
			if uerr := json.Unmarshal(trimmed, &rec); uerr != nil {
				return nil, fmt.Errorf("eval: line %d: %w", lineNo, uerr)
			}
			if rec.ID == "" {
				return nil, fmt.Errorf("eval: line %d: missing id", lineNo)
			}
			if prev, dup := seen[rec.ID]; dup {
				return nil, fmt.Errorf("eval: line %d: duplicate id %q (first on line %d)", lineNo, rec.ID, prev)
			}
			seen[rec.ID] = lineNo
			recs = append(recs, rec)
		}
		if errors.Is(err, io.EOF) {
			return recs, nil
		}
	}
}

// ReadFile reads a JSONL file with ReadJSONL.
func ReadFile(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := ReadJSONL(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return recs, nil
}
