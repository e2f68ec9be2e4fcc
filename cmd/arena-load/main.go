// Command arena-load is the load test of issue 9: it starts two `arena
// serve` instances on one fresh PostgreSQL schema and one on a fresh SQLite
// file, all on loopback, prepares needs through the API, and sends each
// target a fixed mix of page views, API reads, match requests and writes
// for a fixed time, while an attacker sends the long-word and NUL inputs
// of the issue. It prints throughput and p50/p95/p99 per kind as Markdown,
// and whether the targets were met.
//
//	go run ./cmd/arena-load --duration 30s --warmup 5s --workers 16
//	go run ./cmd/arena-load --attack=false --targets sqlite --json load.json
//
// It never leaves a process or a schema behind when it ends or is
// interrupted; only a kill -9 leaves its schema (arena_load_PID_TIME) in
// the database, and the kernel then stops the instances.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The first Ctrl-C stops the instances and drops the schema in order; a
	// second one ends the program at once (the kernel then kills the
	// instances, and the schema stays).
	go func() {
		<-ctx.Done()
		stop()
	}()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "arena-load:", err)
		os.Exit(1)
	}
}

// Bounds of the flags: the load test is bounded in time and requests
// whatever it is given.
const (
	maxDuration    = 10 * time.Minute
	maxWarmup      = 2 * time.Minute
	maxWorkers     = 256
	maxRequestsCap = 10_000_000
)

// config is what the flags say.
type config struct {
	arena         string
	dataDir       string
	pg            string
	targets       []string
	duration      time.Duration
	warmup        time.Duration
	workers       int
	maxRequests   int64
	timeout       time.Duration
	needs         int
	mix           mix
	mixText       string
	attack        bool
	attackTimeout time.Duration
	attackPause   time.Duration
	jsonPath      string
	profile       string // file name prefix of the instances' CPU profiles; "" for none
	seed          uint64
	keep          bool

	commandLine string
	cpus        int
	goVersion   string
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	cfg := &config{cpus: runtime.NumCPU(), goVersion: runtime.Version(), commandLine: commandLine(args)}
	fs := flag.NewFlagSet("arena-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.arena, "arena", "", "the arena binary to run (default: go build ./cmd/arena into a temporary folder)")
	fs.StringVar(&cfg.dataDir, "data-dir", "../shared/data", "reference data folder for `arena serve --data-dir` (\"\" for none)")
	fs.StringVar(&cfg.pg, "pg", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "PostgreSQL on loopback; a fresh schema is made in it and dropped at the end")
	targets := fs.String("targets", "postgres,sqlite", "what to load, in order: postgres (2 instances, round-robin), sqlite (1 instance)")
	fs.DurationVar(&cfg.duration, "duration", 30*time.Second, "measured time per target (at most 10m)")
	fs.DurationVar(&cfg.warmup, "warmup", 5*time.Second, "unmeasured time before it (at most 2m)")
	fs.IntVar(&cfg.workers, "workers", 16, "regular clients per target, each one request at a time")
	fs.Int64Var(&cfg.maxRequests, "max-requests", 2_000_000, "hard cap on requests of the whole run, preparation and attacker included")
	fs.DurationVar(&cfg.timeout, "timeout", 5*time.Second, "a regular request that takes longer is an error")
	fs.IntVar(&cfg.needs, "needs", 300, "public needs to post before the load, spread over 8 organisations")
	fs.StringVar(&cfg.mixText, "mix", "page=40,api-read=40,match=15,write=5", "weights of the kinds of request")
	fs.BoolVar(&cfg.attack, "attack", true, "run the attacker beside the regular clients")
	fs.DurationVar(&cfg.attackTimeout, "attack-timeout", 10*time.Second, "the attacker gives up on a request after this")
	fs.DurationVar(&cfg.attackPause, "attack-pause", 0, "the attacker's pause between requests")
	fs.StringVar(&cfg.profile, "profile", "", "write a CPU profile of each instance over the measured time to PREFIX-TARGET-INSTANCE.pprof (go tool pprof reads it)")
	fs.StringVar(&cfg.jsonPath, "json", "", "also write the results as JSON to this file (- for stdout)")
	fs.Uint64Var(&cfg.seed, "seed", 1, "seed of the random choices, for runs that send the same requests")
	fs.BoolVar(&cfg.keep, "keep", false, "keep the temporary folder with the instances' logs")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	var err error
	if cfg.mix, err = parseMix(cfg.mixText); err != nil {
		return nil, err
	}
	for t := range strings.SplitSeq(*targets, ",") {
		switch t = strings.TrimSpace(t); t {
		case "postgres", "sqlite":
			cfg.targets = append(cfg.targets, t)
		default:
			return nil, fmt.Errorf("--targets: unknown target %q (postgres, sqlite)", t)
		}
	}
	switch {
	case cfg.duration <= 0 || cfg.duration > maxDuration:
		return nil, fmt.Errorf("--duration: between 0 and %s", maxDuration)
	case cfg.warmup < 0 || cfg.warmup > maxWarmup:
		return nil, fmt.Errorf("--warmup: between 0 and %s", maxWarmup)
	case cfg.workers < 1 || cfg.workers > maxWorkers:
		return nil, fmt.Errorf("--workers: between 1 and %d", maxWorkers)
	case cfg.maxRequests < 1 || cfg.maxRequests > maxRequestsCap:
		return nil, fmt.Errorf("--max-requests: between 1 and %d", maxRequestsCap)
	case cfg.timeout <= 0 || cfg.attackTimeout <= 0 || cfg.attackPause < 0:
		return nil, errors.New("--timeout and --attack-timeout must be positive, --attack-pause not negative")
	case cfg.needs < 1 || cfg.needs > 10_000:
		return nil, errors.New("--needs: between 1 and 10000")
	}
	if slices.Contains(cfg.targets, "postgres") {
		if err := checkPostgresURL(cfg.pg); err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

// commandLine is the command as one would type it, for the report.
func commandLine(args []string) string {
	parts := []string{"go run ./cmd/arena-load"}
	for _, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\"'&?;|$") {
			a = strconv.Quote(a)
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if cfg.dataDir != "" {
		if _, err := os.Stat(cfg.dataDir); err != nil {
			return fmt.Errorf("--data-dir: %w (give --data-dir \"\" to run without reference data)", err)
		}
		if cfg.dataDir, err = filepath.Abs(cfg.dataDir); err != nil {
			return err
		}
	}
	// The whole run is bounded too: ten minutes for building and starting,
	// and each target's time plus a minute for preparing and stopping.
	limit := 10*time.Minute + time.Duration(len(cfg.targets))*(cfg.warmup+cfg.duration+time.Minute)
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	progress := func(s string) { fmt.Fprintf(stderr, "arena-load: %s\n", s) }

	dir, err := os.MkdirTemp("", "arena-load-")
	if err != nil {
		return err
	}
	if cfg.keep {
		defer progress("kept " + dir)
	} else {
		defer os.RemoveAll(dir)
	}
	bin := cfg.arena
	if bin == "" {
		progress("building ./cmd/arena")
		if bin, err = buildArena(ctx, dir); err != nil {
			return err
		}
	}

	b := &budget{}
	b.left.Store(cfg.maxRequests)
	rng := rand.New(rand.NewPCG(cfg.seed, 2026))
	var results []*result
	var runErr error
	for _, name := range cfg.targets {
		r, err := runTarget(ctx, cfg, bin, dir, name, b, rng, progress)
		if err != nil {
			runErr = fmt.Errorf("%s: %w", name, err)
			if ctx.Err() != nil {
				runErr = fmt.Errorf("%s: interrupted or out of time (%w)", name, err)
			}
			break
		}
		results = append(results, r)
	}
	if len(results) == 0 {
		return runErr
	}
	// What was measured is reported even when a later target could not run.
	writeMarkdown(stdout, cfg, results)
	if err := writeJSON(stdout, cfg, results); err != nil {
		return err
	}
	return runErr
}

// writeJSON writes the results to --json's file, or after the tables for "-".
func writeJSON(stdout io.Writer, cfg *config, results []*result) error {
	if cfg.jsonPath == "" {
		return nil
	}
	b, _ := json.MarshalIndent(struct {
		Command string    `json:"command"`
		CPUs    int       `json:"cpus"`
		Results []*result `json:"results"`
	}{cfg.commandLine, cfg.cpus, results}, "", "  ")
	if cfg.jsonPath == "-" {
		_, err := fmt.Fprintf(stdout, "\n```json\n%s\n```\n", b)
		return err
	}
	return os.WriteFile(cfg.jsonPath, append(b, '\n'), 0o644)
}

// runTarget starts the target's instances on a fresh database, prepares
// data, runs the load and stops the instances (and drops the schema)
// whatever happens.
func runTarget(ctx context.Context, cfg *config, bin, dir, name string, b *budget, rng *rand.Rand, progress func(string)) (*result, error) {
	var db string
	var names []string
	t := &target{label: name}
	switch name {
	case "postgres":
		schema, err := createSchema(ctx, cfg.pg)
		if err != nil {
			return nil, err
		}
		defer func() {
			if err := schema.drop(); err != nil {
				progress("could not drop schema " + schema.name + ": " + err.Error())
			} else {
				progress("dropped schema " + schema.name)
			}
		}()
		db = schema.url()
		names = []string{"postgres-1", "postgres-2"}
		t.name = "PostgreSQL: 2 instances on schema " + schema.name + ", round-robin"
	case "sqlite":
		db = filepath.Join(dir, "arena.db")
		names = []string{"sqlite"}
		t.name = "SQLite: 1 instance"
	}

	var insts []*instance
	defer func() {
		if len(insts) == 0 {
			return
		}
		progress(name + ": stopping the instances")
		var wg sync.WaitGroup
		for _, in := range insts {
			wg.Go(in.stop)
		}
		wg.Wait()
		progress(name + ": instances stopped")
	}()
	// The instances start together: on PostgreSQL they migrate and seed
	// the one schema at the same time, as a deployment's would.
	for _, n := range names {
		in, err := startInstance(bin, n, db, cfg.dataDir, dir, cfg.profile != "")
		if err != nil {
			return nil, err
		}
		insts = append(insts, in)
		t.bases = append(t.bases, in.url)
		t.pids = append(t.pids, in.cmd.Process.Pid)
		t.pprof = append(t.pprof, in.metricsURL)
	}
	client := newClient(8, cfg.timeout)
	defer client.CloseIdleConnections()
	started := time.Now()
	for _, in := range insts {
		if err := in.waitReady(ctx, client, 2*time.Minute); err != nil {
			return nil, err
		}
	}
	progress(fmt.Sprintf("%s: ready in %s", name, time.Since(started).Round(time.Millisecond)))

	started = time.Now()
	// Preparation has its own client with a generous timeout: its requests
	// are not measured but must succeed.
	prep := newClient(8, time.Minute)
	defer prep.CloseIdleConnections()
	d, err := prepare(ctx, prep, t, bin, db, cfg.needs, rng)
	if err != nil {
		return nil, fmt.Errorf("preparing data: %w", err)
	}
	// The preparation's requests count too: the posts, and about two per
	// network and per account.
	b.left.Add(-int64(cfg.needs + 2*len(d.networkIDs) + 2*(len(d.readers)+len(extraOrgs)+1)))
	progress(fmt.Sprintf("%s: %d needs posted by 8 organisations, %d networks to view, in %s",
		name, len(d.needIDs), len(d.networkIDs), time.Since(started).Round(time.Millisecond)))

	r := drive(ctx, cfg, t, d, b, rng, progress)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	for _, in := range insts {
		if in.exited() {
			r.Notes = append(r.Notes, fmt.Sprintf("%s exited during the run (%v); its log ends:\n\n```\n%s\n```", in.name, in.err, tail(in.logPath, 10)))
		}
	}
	return r, nil
}

// statusOK reports whether an answer is a success for a regular client.
func statusOK(code int) bool { return code >= http.StatusOK && code < http.StatusBadRequest }
