package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
)

func TestHistQuantiles(t *testing.T) {
	var a, b hist
	// 1 ms … 10 s in 1 ms steps, split over two histograms as workers would.
	for i := 1; i <= 10_000; i++ {
		h := &a
		if i%2 == 0 {
			h = &b
		}
		h.record(time.Duration(i) * time.Millisecond)
	}
	a.merge(&b)
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 5 * time.Second}, {0.95, 9500 * time.Millisecond}, {0.99, 9900 * time.Millisecond}, {1, 10 * time.Second}} {
		got := a.quantile(c.q)
		if got < c.want || float64(got) > float64(c.want)*histGrowth {
			t.Errorf("p%v = %s, want %s to 1 %% above", c.q*100, got, c.want)
		}
	}
	if a.n != 10_000 || a.max != 10*time.Second {
		t.Errorf("n = %d, max = %s", a.n, a.max)
	}
	var empty hist
	if empty.quantile(0.99) != 0 || empty.mean() != 0 {
		t.Error("an empty histogram should say 0")
	}
}

func TestBuckets(t *testing.T) {
	for _, d := range []time.Duration{0, time.Nanosecond, histMin, histMin + 1, 3 * time.Millisecond, time.Second, time.Hour} {
		i := bucketOf(d)
		if i > 0 && i < histN-1 && (d > bucketUpper(i) || d <= bucketUpper(i-1)) {
			t.Errorf("%s in bucket %d of (%s, %s]", d, i, bucketUpper(i-1), bucketUpper(i))
		}
	}
	if bucketOf(time.Hour) != histN-1 {
		t.Error("an hour should fall in the last bucket")
	}
}

func TestParseMix(t *testing.T) {
	m, err := parseMix("page=40, api-read=40,match=15,write=5")
	if err != nil || m != (mix{40, 40, 15, 5}) {
		t.Fatalf("parseMix = %v, %v", m, err)
	}
	for _, bad := range []string{"", "page", "page=-1", "pages=3", "page=0,write=0", "page=x"} {
		if _, err := parseMix(bad); err == nil {
			t.Errorf("parseMix(%q) should fail", bad)
		}
	}
	only, _ := parseMix("match=1")
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		if k := only.pick(rng); k != kindMatch {
			t.Fatalf("picked %s with weight 0", kindNames[k])
		}
	}
}

func TestLoopbackOnly(t *testing.T) {
	for host, want := range map[string]bool{"127.0.0.1": true, "127.1.2.3": true, "::1": true, "localhost": true,
		"10.0.0.1": false, "db.example.org": false, "": false, "0.0.0.0": false} {
		if isLoopback(host) != want {
			t.Errorf("isLoopback(%q) = %v", host, !want)
		}
	}
	if err := checkPostgresURL("postgres://postgres@127.0.0.1:5432/test?sslmode=disable"); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"postgres://postgres@db.example.org/test", "mysql://127.0.0.1/x", "::"} {
		if checkPostgresURL(bad) == nil {
			t.Errorf("checkPostgresURL(%q) should refuse", bad)
		}
	}
	if _, err := parseFlags([]string{"--pg", "postgres://10.1.1.1/test"}, &bytes.Buffer{}); err == nil {
		t.Error("a non-loopback --pg should be refused")
	}
	// The client refuses before connecting: no packet leaves the machine.
	_, err := newClient(1, time.Second).Get("http://192.0.2.1:80/")
	if err == nil || !strings.Contains(err.Error(), "loopback addresses only") {
		t.Errorf("GET to a non-loopback address: %v", err)
	}
}

func TestFlagBounds(t *testing.T) {
	for _, args := range [][]string{{"--duration", "11m"}, {"--duration", "0s"}, {"--warmup", "3m"}, {"--workers", "0"},
		{"--max-requests", "0"}, {"--max-requests", "20000000"}, {"--targets", "mysql"}, {"--mix", "page=0"}} {
		if _, err := parseFlags(args, &bytes.Buffer{}); err == nil {
			t.Errorf("%v should be refused", args)
		}
	}
}

// The prepared data must pass the domain's own rules, or preparation fails.
func TestPreparedDataIsValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		n := newNeed(rng, 7, "Uppsala kommun")
		if err := n.Validate(); err != nil {
			t.Fatalf("%q: %v", n.Title, err)
		}
	}
	for _, o := range append(extraOrgs, attackerOrg) {
		if _, err := arena.NormalizeOrgNumber(o.number); err != nil {
			t.Errorf("%s %s: %v", o.name, o.number, err)
		}
	}
	for _, n := range []int{needWordLen, networkWordLen, suggestWordLen} {
		if w := longWord(n); len([]rune(w)) != n || strings.ContainsAny(w, " \t\n") {
			t.Errorf("longWord(%d) has %d characters or a space", n, len([]rune(w)))
		}
	}
}

// TestRunSQLite runs the whole program briefly on SQLite: it builds arena,
// serves, prepares, loads, reports and leaves no process behind.
func TestRunSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and serves arena")
	}
	out := filepath.Join(t.TempDir(), "load.json")
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"--targets", "sqlite", "--data-dir", "", "--duration", "1s", "--warmup", "0s",
		"--workers", "4", "--needs", "20", "--max-requests", "400", "--json", out}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	for _, want := range []string{"## SQLite: 1 instance", "| page |", "| match |", "| write |", "Attacker", "Targets of issue 9"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, stdout.String())
		}
	}
	var got struct {
		Results []result `json:"results"`
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &got); err != nil || len(got.Results) != 1 {
		t.Fatalf("JSON: %v, %d results", err, len(got.Results))
	}
	r := got.Results[0]
	if all := r.Kinds[len(r.Kinds)-1]; all.Name != "all" || all.Requests == 0 || all.Requests > 400 {
		t.Errorf("all: %+v", all)
	}
	if len(r.Attacker) == 0 || len(r.Goals) != 5 {
		t.Errorf("attacker %d rows, goals %d", len(r.Attacker), len(r.Goals))
	}
	if runtime.GOOS == "linux" {
		if kids := children(t); len(kids) > 0 {
			t.Errorf("processes left behind: %v", kids)
		}
	}
}

// children lists the processes whose parent is this test.
func children(t *testing.T) []string {
	t.Helper()
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var out []string
	me := strconv.Itoa(os.Getpid())
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) > 1 && f[1] == me {
			out = append(out, strings.TrimSpace(s[:strings.LastIndexByte(s, ')')+1]))
		}
	}
	return out
}
