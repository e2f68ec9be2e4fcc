package cli

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// serveTemp serves a fresh SQLite database on a loopback port until the
// test ends; change, if given, adjusts the configuration.
func serveTemp(t *testing.T, change func(*Config)) (*Main, context.Context) {
	t.Helper()
	env, _, _ := testEnv(nil)
	cfg := DefaultConfig()
	cfg.DB, cfg.Addr = filepath.Join(t.TempDir(), "arena.db"), "127.0.0.1:0"
	if change != nil {
		change(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	m, err := Open(ctx, cfg, env)
	if err != nil {
		t.Fatal(err)
	}
	go m.Serve(ctx)
	return m, ctx
}

// scrape reads a Prometheus text page.
func scrape(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// value is the value of the first series matching pattern (a regular
// expression over the series' name and labels), -1 when none.
func value(page, pattern string) float64 {
	m := regexp.MustCompile(`(?m)^` + pattern + ` ([0-9.e+-]+)$`).FindStringSubmatch(page)
	if m == nil {
		return -1
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}

// The running server's /metrics, scraped as Prometheus does: requests by
// route pattern (never a raw path), the database pools, the index and its
// sync lag, the daily jobs and failed sign-ins.
func TestMetricsScraped(t *testing.T) {
	m, ctx := serveTemp(t, nil)
	tok, err := CreateUser(ctx, m.DB, UserRequest{Email: "anna@falun.se", OrgNumber: "212000-2411", OrgName: "Falu kommun", OrgKind: "kommun", Password: "ett långt lösenord"})
	if err != nil {
		t.Fatal(err)
	}
	get := func(path, tok string) int {
		req, _ := http.NewRequest("GET", m.URL+path, nil)
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for range 3 {
		get("/api/v1/needs", "")
	}
	get("/api/v1/needs/424242", tok)
	get("/behov", "")
	get("/en/sida/som/inte/finns", "")
	resp, err := http.Post(m.URL+"/api/v1/auth/login", "application/json", strings.NewReader(`{"email": "anna@falun.se", "password": "fel lösenord"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	// The daily jobs run when serving starts.
	var page string
	deadline := time.Now().Add(10 * time.Second)
	for {
		var code int
		code, page = scrape(t, m.URL+"/metrics")
		if code != http.StatusOK {
			t.Fatalf("/metrics: %d", code)
		}
		if value(page, `arena_job_runs_total\{job="refresh_alerts",outcome="ok"\}`) >= 1 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, c := range []struct {
		series string
		min    float64
	}{
		{`arena_http_requests_total\{method="GET",route="GET /api/v1/needs",status="200"\}`, 3},
		{`arena_http_requests_total\{method="GET",route="GET /api/v1/needs/\{id\}",status="404"\}`, 1},
		{`arena_http_requests_total\{method="GET",route="GET /behov",status="200"\}`, 1},
		{`arena_http_requests_total\{method="POST",route="POST /api/v1/auth/login",status="401"\}`, 1},
		{`arena_http_request_duration_seconds_count\{method="GET",route="GET /api/v1/needs",status="200"\}`, 3},
		{`arena_login_failures_total\{reason="wrong"\}`, 1},
		{`arena_db_connections\{pool="write",state="idle"\}`, 0},
		{`arena_db_max_open_connections\{pool="write"\}`, 1},
		{`arena_match_index_needs`, 0},
		{`arena_match_sync_lag_seconds`, 0},
		{`arena_job_runs_total\{job="prune_changes",outcome="ok"\}`, 1},
		{`arena_job_runs_total\{job="prune_sign_ins",outcome="ok"\}`, 1},
		{`arena_job_runs_total\{job="refresh_alerts",outcome="ok"\}`, 1},
		{`go_goroutines`, 1},
	} {
		if v := value(page, c.series); v < c.min {
			t.Errorf("%s = %v, want at least %v", c.series, v, c.min)
		}
	}
	if strings.Contains(page, "424242") || strings.Contains(page, "/sida/som") {
		t.Error("a raw path became a label value")
	}
}

// With --metrics-addr, /metrics has an address of its own and the public
// one does not serve it.
func TestMetricsOnTheirOwnAddress(t *testing.T) {
	m, _ := serveTemp(t, func(c *Config) { c.MetricsAddr = "127.0.0.1:0"; c.Pprof = true })
	if code, _ := scrape(t, m.URL+"/metrics"); code != http.StatusNotFound {
		t.Errorf("/metrics on the public address: %d, want 404", code)
	}
	// The profiler (--pprof) is on the metrics address only.
	if code, _ := scrape(t, m.URL+"/debug/pprof/"); code != http.StatusNotFound {
		t.Errorf("/debug/pprof/ on the public address: %d, want 404", code)
	}
	defer func() {
		if code, body := scrape(t, m.MetricsURL+"/debug/pprof/"); code != http.StatusOK || !strings.Contains(body, "goroutine") {
			t.Errorf("/debug/pprof/ on the metrics address: %d %.200s", code, body)
		}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err := http.Get(m.MetricsURL + "/metrics")
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), "arena_match_index_needs") {
				t.Fatalf("metrics address: %d %.200s", resp.StatusCode, b)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
