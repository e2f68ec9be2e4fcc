package metrics_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/arena-se/arena/internal/metrics"
	"github.com/arena-se/arena/internal/store"
)

// scrape fetches the metrics over HTTP, as Prometheus would.
func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("scrape: %d %v", resp.StatusCode, err)
	}
	return string(b)
}

// TestScrapeAfterRequests sends requests through the middleware to a real
// ServeMux over HTTP, feeds the other series, and scrapes the handler.
func TestScrapeAfterRequests(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "arena.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m := metrics.New(metrics.Sources{
		DBStats:   db.Stats,
		IndexSize: func() int { return 42 },
		SyncLag:   func() time.Duration { return 1500 * time.Millisecond },
	})

	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/needs/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") == "404" {
			http.Error(w, "no such need", http.StatusNotFound)
			return
		}
		w.Write([]byte(`{"id":` + r.PathValue("id") + `}`))
	})
	mux.HandleFunc("POST /api/v1/needs", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {}) // writes nothing: 200
	app := httptest.NewServer(m.Middleware(mux))
	defer app.Close()

	for _, req := range []struct{ method, path string }{
		{"GET", "/api/v1/needs/1"},
		{"GET", "/api/v1/needs/2"},
		{"GET", "/api/v1/needs/404"},
		{"POST", "/api/v1/needs"},
		{"GET", "/healthz"},
		{"GET", "/no/such/page/8f3a"},
		{"BREW", "/api/v1/needs/3"},
	} {
		r, _ := http.NewRequest(req.method, app.URL+req.path, nil)
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	m.JobRun("network_alerts", nil)
	m.JobRun("network_alerts", nil)
	m.JobRun("network_alerts", errors.New("database gone"))
	m.JobRun("match_sync", context.Canceled)
	m.LoginFailed("bad_password")
	m.LoginFailed("bad_password")
	m.LoginFailed("throttled")

	body := scrape(t, m)
	for _, want := range []string{
		`arena_http_requests_total{method="GET",route="GET /api/v1/needs/{id}",status="200"} 2`,
		`arena_http_requests_total{method="GET",route="GET /api/v1/needs/{id}",status="404"} 1`,
		`arena_http_requests_total{method="POST",route="POST /api/v1/needs",status="201"} 1`,
		`arena_http_requests_total{method="GET",route="GET /healthz",status="200"} 1`,
		`arena_http_requests_total{method="GET",route="other",status="404"} 1`,
		`arena_http_requests_total{method="other",route="other",status="405"} 1`,
		`arena_http_request_duration_seconds_bucket{method="GET",route="GET /api/v1/needs/{id}",status="200",le="+Inf"} 2`,
		`arena_http_request_duration_seconds_bucket{method="GET",route="GET /api/v1/needs/{id}",status="200",le="0.001"}`,
		`arena_http_request_duration_seconds_count{method="POST",route="POST /api/v1/needs",status="201"} 1`,
		`arena_db_connections{pool="write",state="idle"} 1`,
		`arena_db_connections{pool="read",state="in_use"} 0`,
		`arena_db_max_open_connections{pool="write"} 1`,
		`arena_db_max_open_connections{pool="read"} 8`,
		`arena_db_waits_total{pool="read"} 0`,
		`arena_db_wait_seconds_total{pool="write"} 0`,
		`arena_db_closed_connections_total{pool="read",reason="max_lifetime"} 0`,
		`arena_match_index_needs 42`,
		`arena_match_sync_lag_seconds 1.5`,
		`arena_job_runs_total{job="network_alerts",outcome="ok"} 2`,
		`arena_job_runs_total{job="network_alerts",outcome="error"} 1`,
		`arena_job_runs_total{job="match_sync",outcome="canceled"} 1`,
		`arena_login_failures_total{reason="bad_password"} 2`,
		`arena_login_failures_total{reason="throttled"} 1`,
		"# HELP arena_http_requests_total ",
		"# TYPE arena_http_request_duration_seconds histogram",
		"go_goroutines ",
		"process_cpu_seconds_total ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("scrape lacks %s", want)
		}
	}
	// Raw paths and custom methods never become label values.
	for _, never := range []string{`/api/v1/needs/1"`, `/no/such/page`, `BREW`} {
		if strings.Contains(body, never) {
			t.Errorf("scrape holds %q: label values must be route patterns", never)
		}
	}
	if t.Failed() {
		t.Logf("scrape:\n%s", body)
	}
}

// TestPanicCountsAs500: a handler that panics is counted with 500 and the
// panic reaches the recovery middleware outside.
func TestPanicCountsAs500(t *testing.T) {
	m := metrics.New(metrics.Sources{})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) { panic("boom") })
	recovered := make(chan any, 1)
	h := m.Middleware(mux)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			p := recover()
			recovered <- p
			if p != nil {
				w.WriteHeader(http.StatusInternalServerError)
			}
		}()
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/boom")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if p := <-recovered; p != "boom" {
		t.Fatalf("the panic did not reach the outer middleware: %v", p)
	}
	if body := scrape(t, m); !strings.Contains(body, `arena_http_requests_total{method="GET",route="GET /boom",status="500"} 1`) {
		t.Fatalf("panic not counted as 500:\n%s", body)
	}
}

// TestNilMetricsRecordNothing: code may hold a nil *Metrics.
func TestNilMetricsRecordNothing(t *testing.T) {
	var m *metrics.Metrics
	m.JobRun("x", nil)
	m.LoginFailed("x")
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	rec := httptest.NewRecorder()
	m.Middleware(h).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != http.StatusTeapot {
		t.Fatalf("nil middleware answered %d", rec.Code)
	}
}

// TestStreamingFlushes: the middleware's writer still lets a handler flush.
func TestStreamingFlushes(t *testing.T) {
	m := metrics.New(metrics.Sources{})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /stream", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("first"))
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Errorf("flush: %v", err)
		}
	})
	rec := httptest.NewRecorder()
	m.Middleware(mux).ServeHTTP(rec, httptest.NewRequest("GET", "/stream", nil))
	if !rec.Flushed {
		t.Fatal("not flushed")
	}
}
