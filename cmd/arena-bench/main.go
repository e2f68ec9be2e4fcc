// Command arena-bench measures match quality, CPV suggestion and matching
// speed, next to the baselines, as docs/benchmarks.md reports them.
//
//	arena-bench quality --needs ../shared/eval/needs.jsonl --data-dir ../shared/data --pg URL
//	arena-bench cpv     --needs ../shared/eval/needs.jsonl --data-dir ../shared/data
//	arena-bench speed   --sizes 10000,100000,1000000 --data-dir ../shared/data --needs ../shared/eval/needs.jsonl --pg URL
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "arena-bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errors.New("usage: arena-bench quality|cpv|speed [flags]")
	}
	fs := flag.NewFlagSet("arena-bench "+args[0], flag.ContinueOnError)
	needs := fs.String("needs", "../shared/eval/needs.jsonl", "the dev set")
	dataDir := fs.String("data-dir", "../shared/data", "reference data folder")
	pg := fs.String("pg", os.Getenv("ARENA_TEST_POSTGRES_URL"), "PostgreSQL URL for the baseline (empty: skip it)")
	sizes := fs.String("sizes", "10000,100000,1000000", "index sizes for speed")
	queries := fs.Int("queries", 500, "queries per size for speed")
	pgQueries := fs.Int("pg-queries", 30, "of those, how many the PostgreSQL baseline runs (it takes seconds each)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	switch args[0] {
	case "quality":
		return quality(ctx, *needs, *dataDir, *pg)
	case "cpv":
		return cpvBench(*needs, *dataDir)
	case "speed":
		return speed(ctx, *needs, *dataDir, *pg, *sizes, *queries, *pgQueries)
	}
	return fmt.Errorf("unknown benchmark %q", args[0])
}
