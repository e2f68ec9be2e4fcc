package cli

import (
	"errors"
	"flag"

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
	return eval.WriteRankings(env.Stdout, recs, match.MatchRecords(an, recs, *k))
}
