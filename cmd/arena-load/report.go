package main

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The targets of issue 9 on a 2-core machine.
const (
	goalReadsPerSecond = 2000
	goalReadP99        = 50 * time.Millisecond
	goalMatchP99       = 100 * time.Millisecond
)

// result is what one target's run measured.
type result struct {
	Target          string       `json:"target"`
	Instances       []string     `json:"instances"`
	Workers         int          `json:"workers"`
	Seconds         float64      `json:"measured_seconds"`
	StoppedByBudget bool         `json:"stopped_by_max_requests"`
	ServerCores     float64      `json:"server_cpu_cores"`   // the instances' CPU time over the measured time
	LoadTestCores   float64      `json:"loadtest_cpu_cores"` // this program's, attacker included
	LoadBefore      string       `json:"load_average_before"`
	LoadAfter       string       `json:"load_average_after"`
	Kinds           []line       `json:"kinds"`
	Routes          []line       `json:"routes"`
	Attacker        []attackLine `json:"attacker,omitempty"`
	Goals           []goal       `json:"goals"`
	Notes           []string     `json:"notes,omitempty"`
}

// line is one row of the tables: a kind or a route.
type line struct {
	Name      string            `json:"name"`
	Requests  uint64            `json:"requests"`
	PerSecond float64           `json:"per_second"`
	P50ms     float64           `json:"p50_ms"`
	P95ms     float64           `json:"p95_ms"`
	P99ms     float64           `json:"p99_ms"`
	MaxMs     float64           `json:"max_ms"`
	Errors    uint64            `json:"errors"`
	Causes    map[string]uint64 `json:"error_causes,omitempty"`
	Examples  []string          `json:"error_examples,omitempty"`
}

// attackLine is one hostile input: how often it was sent and the answers.
type attackLine struct {
	Input    string            `json:"input"`
	Requests uint64            `json:"requests"`
	Statuses map[string]uint64 `json:"statuses"`
	P50ms    float64           `json:"p50_ms"`
	MaxMs    float64           `json:"max_ms"`
}

// goal is one target of the issue, what was measured and whether it was met.
type goal struct {
	Goal     string `json:"goal"`
	Measured string `json:"measured"`
	Met      bool   `json:"met"`
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func (r *result) lineOf(name string, s *stats) line {
	l := line{Name: name, Requests: s.hist.n, P50ms: ms(s.hist.quantile(0.50)), P95ms: ms(s.hist.quantile(0.95)),
		P99ms: ms(s.hist.quantile(0.99)), MaxMs: ms(s.hist.max), Errors: s.errors, Causes: s.causes, Examples: s.examples}
	if r.Seconds > 0 {
		l.PerSecond = float64(s.hist.n) / r.Seconds
	}
	return l
}

// fill makes the rows and judges the goals from the merged statistics.
func (r *result) fill(kinds [nKinds]stats, routes map[string]*stats, att *attacker) {
	var all, reads stats
	for k := range kinds {
		r.Kinds = append(r.Kinds, r.lineOf(kindNames[k], &kinds[k]))
		all.merge(&kinds[k])
		if kind(k) == kindPage || kind(k) == kindAPIRead {
			reads.merge(&kinds[k])
		}
	}
	r.Kinds = append(r.Kinds, r.lineOf("reads (page + api-read)", &reads), r.lineOf("all", &all))
	for _, name := range slices.Sorted(maps.Keys(routes)) {
		r.Routes = append(r.Routes, r.lineOf(name, routes[name]))
	}
	if att != nil {
		for _, s := range att.steps {
			r.Attacker = append(r.Attacker, attackLine{Input: s.name, Requests: s.hist.n, Statuses: s.statuses,
				P50ms: ms(s.hist.quantile(0.5)), MaxMs: ms(s.hist.max)})
		}
	}

	readsPerSecond := 0.0
	if r.Seconds > 0 {
		readsPerSecond = float64(reads.hist.n) / r.Seconds
	}
	page, api, match := &kinds[kindPage].hist, &kinds[kindAPIRead].hist, &kinds[kindMatch].hist
	r.Goals = []goal{
		{fmt.Sprintf("≥ %d reads/s (page + api-read)", goalReadsPerSecond), fmt.Sprintf("%.0f reads/s", readsPerSecond), readsPerSecond >= goalReadsPerSecond},
		{fmt.Sprintf("page p99 ≤ %g ms", ms(goalReadP99)), fmtMs(page.quantile(0.99)), page.n > 0 && page.quantile(0.99) <= goalReadP99},
		{fmt.Sprintf("api-read p99 ≤ %g ms", ms(goalReadP99)), fmtMs(api.quantile(0.99)), api.n > 0 && api.quantile(0.99) <= goalReadP99},
		{fmt.Sprintf("match p99 ≤ %g ms", ms(goalMatchP99)), fmtMs(match.quantile(0.99)), match.n > 0 && match.quantile(0.99) <= goalMatchP99},
		{"0 errors (regular clients)", fmt.Sprintf("%d errors in %d requests", all.errors, all.hist.n), all.errors == 0 && all.hist.n > 0},
	}
}

func fmtMs(d time.Duration) string { return strconv.FormatFloat(ms(d), 'f', 1, 64) + " ms" }

func yesNo(b bool) string {
	if b {
		return "**yes**"
	}
	return "**no**"
}

// writeMarkdown prints the results as Markdown tables.
func writeMarkdown(w io.Writer, cfg *config, results []*result) {
	fmt.Fprintf(w, "# arena-load\n\n`%s`\n\n", cfg.commandLine)
	fmt.Fprintf(w, "%d workers per target, warm-up %s, measured %s, mix %s, request timeout %s, attacker %s, %d needs prepared; %d CPUs (%s).\n",
		cfg.workers, cfg.warmup, cfg.duration, cfg.mixText, cfg.timeout, onOff(cfg.attack), cfg.needs, cfg.cpus, cfg.goVersion)
	for _, r := range results {
		fmt.Fprintf(w, "\n## %s\n\n", r.Target)
		fmt.Fprintf(w, "%s; %.1f s measured", strings.Join(r.Instances, ", "), r.Seconds)
		if r.StoppedByBudget {
			fmt.Fprint(w, " (stopped at --max-requests)")
		}
		fmt.Fprint(w, ".")
		if r.LoadBefore != "" {
			fmt.Fprintf(w, " CPU over the measured time: instances %.2f cores, arena-load %.2f cores; machine load average %s before, %s after.",
				r.ServerCores, r.LoadTestCores, r.LoadBefore, r.LoadAfter)
		}
		fmt.Fprint(w, "\n\n")
		table(w, "kind", r.Kinds)
		fmt.Fprint(w, "\nBy route:\n\n")
		table(w, "route", r.Routes)
		errs := false
		for _, l := range r.Kinds[:nKinds] {
			for _, e := range l.Examples {
				if !errs {
					fmt.Fprint(w, "\nFirst errors:\n\n")
					errs = true
				}
				fmt.Fprintf(w, "- %s: `%s`\n", l.Name, strings.ReplaceAll(e, "`", "'"))
			}
		}
		if len(r.Attacker) > 0 {
			fmt.Fprint(w, "\nAttacker (counted apart; any status is fine):\n\n| input | requests | statuses | p50 | max |\n|---|---:|---|---:|---:|\n")
			for _, a := range r.Attacker {
				fmt.Fprintf(w, "| %s | %d | %s | %.1f ms | %.1f ms |\n", a.Input, a.Requests, statusText(a.Statuses), a.P50ms, a.MaxMs)
			}
		}
		fmt.Fprint(w, "\nTargets of issue 9:\n\n| target | measured | met |\n|---|---|---|\n")
		for _, g := range r.Goals {
			fmt.Fprintf(w, "| %s | %s | %s |\n", g.Goal, g.Measured, yesNo(g.Met))
		}
		for _, n := range r.Notes {
			fmt.Fprintf(w, "\nNote: %s\n", n)
		}
	}
}

func table(w io.Writer, first string, lines []line) {
	fmt.Fprintf(w, "| %s | requests | req/s | p50 | p95 | p99 | max | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|\n", first)
	for _, l := range lines {
		fmt.Fprintf(w, "| %s | %d | %.0f | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %s |\n",
			l.Name, l.Requests, l.PerSecond, l.P50ms, l.P95ms, l.P99ms, l.MaxMs, errorText(l))
	}
}

func errorText(l line) string {
	if l.Errors == 0 {
		return "0"
	}
	return fmt.Sprintf("%d (%s)", l.Errors, statusText(l.Causes))
}

// statusText is "200×12, 400×3", the most frequent first.
func statusText(m map[string]uint64) string {
	keys := slices.Sorted(maps.Keys(m))
	slices.SortStableFunc(keys, func(a, b string) int { return cmp.Compare(m[b], m[a]) })
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s×%d", k, m[k]))
	}
	if len(parts) == 0 {
		return "–"
	}
	return strings.Join(parts, ", ")
}
