package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/match/eval"
)

// runMatchFile ranks the needs of a JSON Lines file against each other in
// memory, without a database, with the ranking the API uses, and prints
// one line per need: {"id": …, "matches": [ids, best first]}.
func runMatchFile(args []string, env Env) error {
	fs := flag.NewFlagSet("arena match-file", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	in := fs.String("in", "", "needs in JSON Lines (fields id, org, org_kind, title, description, cpv, estimated_value_sek, planned_year)")
	k := fs.Int("k", 10, "matches per need")
	dataDir := fs.String("data-dir", env.Getenv("ARENA_DATA_DIR"), "reference data folder (compound dictionary); env ARENA_DATA_DIR")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" {
		return errors.New("give --in NEEDS.jsonl")
	}
	if *k <= 0 {
		return errors.New("--k must be positive")
	}
	recs, err := eval.ReadFile(*in)
	if err != nil {
		return err
	}
	an, err := newAnalyzer(*dataDir, newLogger(Config{LogFormat: "text"}, env.Stderr))
	if err != nil {
		return err
	}
	rankings := MatchRecords(an, recs, *k)
	w := bufio.NewWriter(env.Stdout)
	enc := json.NewEncoder(w)
	for _, r := range recs {
		if err := enc.Encode(struct {
			ID      string   `json:"id"`
			Matches []string `json:"matches"`
		}{r.ID, rankings[r.ID]}); err != nil {
			return err
		}
	}
	return w.Flush()
}

// RecordNeed is how a line of a needs file becomes a need to match: the
// same fields the database gives the index.
func RecordNeed(r eval.Record) *match.Need {
	n := &match.Need{ID: r.ID, Org: r.Org, OrgKind: normalizeKind(r.OrgKind), Title: r.Title, Description: r.Description,
		Year: r.PlannedYear, ValueSEK: r.EstimatedValueSEK}
	for _, c := range r.CPV {
		if len(c) >= 8 {
			n.CPV = append(n.CPV, c[:8])
		}
	}
	return n
}

// MatchRecords indexes the records and ranks, for each, the records of
// other organisations, best first, k of them.
func MatchRecords(an *match.Analyzer, recs []eval.Record, k int) map[string][]string {
	needs := make([]*match.Need, len(recs))
	for i, r := range recs {
		needs[i] = RecordNeed(r)
	}
	ix := match.NewIndex(an)
	ix.UpsertAll(needs)
	out := make(map[string][]string, len(recs))
	for _, n := range needs {
		ids := []string{}
		for _, m := range ix.Similar(n, k, nil) {
			ids = append(ids, m.ID)
		}
		out[n.ID] = ids
	}
	return out
}

// normalizeKind writes an organisation kind as the database does
// ("statlig myndighet" → statlig_myndighet), so kinds compare alike.
func normalizeKind(k string) string {
	if pk, ok := arena.ParseOrgKind(k); ok {
		return string(pk)
	}
	return k
}
