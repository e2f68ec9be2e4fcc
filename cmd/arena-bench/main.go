// Command arena-bench measures and tunes match quality, CPV suggestion and
// matching speed on the development set, next to the baselines, as
// docs/benchmarks.md reports them.
//
//	arena-bench quality        --needs ../shared/eval/needs.jsonl --data-dir ../shared/data --pg URL
//	arena-bench quality-report --needs … --data-dir …   each feature alone, the weak clusters
//	arena-bench tune           --needs … --data-dir … --folds 5   fits the ranking weights (cross-validated)
//	arena-bench cpv            --needs … --data-dir …   CPV group in the top 5
//	arena-bench cpv-misses     --needs … --data-dir …   the needs whose top 5 misses their group
//	arena-bench cpv-sweep      --needs … --data-dir …   each knob's values, the others at their defaults
//	arena-bench cpv-tune       --needs … --data-dir … --folds 5 [--grid Knob1,Knob2 | --only Knob1,Knob2]
//	arena-bench speed          --sizes 10000,100000,1000000 --data-dir … --needs … --pg URL
//	arena-bench longword       --lengths 2000,8000,32000 --data-dir … --needs …   ms per request for one long word
//	arena-bench threshold      --needs … --projects … --data-dir …   what a match threshold does on both labelled sets
//	arena-bench starts         --needs … --projects … --data-dir … --starts 5 [--power N]   both labelled sets over random starts of the topics
//	arena-bench collection     --needs … --projects … --data-dir … --out FILE   the items' ranking (calls, projects, …) on both labelled sets
//	arena-bench reasons        --needs … --projects … --data-dir …   the shared concepts named as reasons, and how many are common words
//	arena-bench import         --rows 10000 --runs 3 --data-dir … --needs … --pg URL   rows/s of a procurement plan's import
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "arena-bench:", err)
		os.Exit(1)
	}
}

// commands are the subcommands, in the order usage lists them.
var commands = []string{"quality", "quality-report", "tune", "cpv", "cpv-misses", "cpv-sweep", "cpv-tune", "speed", "longword", "import", "threshold", "starts", "collection", "reasons"}

func run(ctx context.Context, args []string) error {
	usage := errors.New("usage: arena-bench " + strings.Join(commands, "|") + " [flags]")
	if len(args) == 0 {
		return usage
	}
	fs := flag.NewFlagSet("arena-bench "+args[0], flag.ContinueOnError)
	needs := fs.String("needs", "../shared/eval/needs.jsonl", "the dev set")
	projects := fs.String("projects", "../shared/eval/projects-swecris.jsonl", "the SweCRIS projects (relevance: a shared SCB subject)")
	dataDir := fs.String("data-dir", "../shared/data", "reference data folder")
	pg := fs.String("pg", os.Getenv("ARENA_TEST_POSTGRES_URL"), "PostgreSQL URL for the baseline (empty: skip it)")
	sizes := fs.String("sizes", "10000,100000,1000000", "index sizes for speed")
	queries := fs.Int("queries", 500, "queries per size for speed")
	pgQueries := fs.Int("pg-queries", 30, "of those, how many the PostgreSQL baseline runs (it takes seconds each)")
	folds := fs.Int("folds", 5, "folds of the cross-validation for tune and cpv-tune")
	bgMix := fs.Float64("bg-mix", 0, "for quality-report and tune: share of the background corpora's idf in the term weights (0–1)")
	lengths := fs.String("lengths", "2000,4000,8000,32000,128000,900000", "for longword: lengths in characters of the long word and the long text")
	rows := fs.Int("rows", 10000, "for import: rows of the plan")
	runs := fs.Int("runs", 3, "for import: runs per backend, each on a new database")
	out := fs.String("out", "", "for collection: write the SweCRIS projects' rankings here, in match-file's format")
	cpuProfile := fs.String("cpuprofile", "", "for speed: write CPU profiles of each size's build (with the generation of its needs) and its top-10 queries to PREFIX-build-N.pprof and PREFIX-query-N.pprof")
	joint := fs.Bool("joint", false, "for tune: fit one set of weights for the index with the reference folder and the one without")
	starts := fs.Int("starts", 5, "for starts: random starts of the topics' decomposition to measure (0 is the product's)")
	power := fs.Int("power", 0, "for starts: the decomposition's power iterations (0: the product's)")
	grid := fs.String("grid", "", "for cpv-tune: score the full grid of these knobs (comma-separated) instead of fitting")
	only := fs.String("only", "", "for cpv-tune: fit only these knobs (comma-separated), the others at their defaults")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *folds < 2 {
		return fmt.Errorf("--folds must be at least 2")
	}
	switch args[0] {
	case "quality":
		return quality(ctx, *needs, *dataDir, *pg)
	case "quality-report":
		return qualityReport(*needs, *dataDir, *bgMix)
	case "tune":
		return tune(*needs, *dataDir, *folds, *bgMix, *joint)
	case "cpv":
		return cpvBench(*needs, *dataDir)
	case "cpv-misses":
		return cpvMisses(*needs, *dataDir)
	case "cpv-sweep":
		return cpvSweep(*needs, *dataDir)
	case "cpv-tune":
		if *grid != "" {
			return cpvGrid(*needs, *dataDir, strings.Split(*grid, ","))
		}
		var names []string
		if *only != "" {
			names = strings.Split(*only, ",")
		}
		return cpvTune(*needs, *dataDir, *folds, names)
	case "speed":
		return speed(ctx, *needs, *projects, *dataDir, *pg, *sizes, *queries, *pgQueries, *cpuProfile)
	case "longword":
		return longword(ctx, *needs, *dataDir, *lengths)
	case "collection":
		return collectionBench(ctx, *needs, *projects, *dataDir, *out)
	case "starts":
		if *starts < 1 {
			return fmt.Errorf("--starts must be at least 1")
		}
		return startsBench(*needs, *projects, *dataDir, *starts, *power)
	case "threshold":
		return thresholdBench(*needs, *projects, *dataDir)
	case "reasons":
		return reasonsBench(*needs, *projects, *dataDir)
	case "import":
		if *rows < 1 || *runs < 1 {
			return fmt.Errorf("--rows and --runs must be at least 1")
		}
		return importBench(ctx, *needs, *dataDir, *pg, *rows, *runs)
	}
	return fmt.Errorf("unknown benchmark %q; %w", args[0], usage)
}
