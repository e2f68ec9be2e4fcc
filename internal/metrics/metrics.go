// Package metrics gives Arena's Prometheus metrics, on a registry of its
// own (never the client library's global one), for an operator to scrape
// at /metrics.
//
// Every series, its labels and what it means:
//
//	arena_http_requests_total{method,route,status}
//	    counter: requests answered. route is the ServeMux pattern that
//	    matched ("GET /api/v1/needs/{id}"), "other" when none did; method
//	    is the HTTP method, "other" for a non-standard one; status is the
//	    response's status code. Labels never hold a raw path, so their
//	    number stays bounded whatever clients send.
//	arena_http_request_duration_seconds{method,route,status}
//	    histogram: time from the request reaching the middleware until
//	    the handler returned.
//	arena_db_connections{pool,state}
//	    gauge: open connections of a pool, by state (in_use, idle). Pools
//	    are "write" and "read" on SQLite, "pool" on PostgreSQL.
//	arena_db_max_open_connections{pool}
//	    gauge: the pool's limit on open connections (0: none).
//	arena_db_waits_total{pool}
//	    counter: times a query waited for a free connection.
//	arena_db_wait_seconds_total{pool}
//	    counter: time spent waiting for a free connection.
//	arena_db_closed_connections_total{pool,reason}
//	    counter: connections closed by the pool's limits (reason max_idle,
//	    max_idle_time or max_lifetime).
//	arena_match_index_needs
//	    gauge: needs in this instance's match index.
//	arena_match_sync_lag_seconds
//	    gauge: how far this instance's match index is behind the
//	    database's change log: the time since it last applied every
//	    change (a write on another instance is matchable here this much
//	    later, at most).
//	arena_job_runs_total{job,outcome}
//	    counter: runs of a background job, by outcome (ok, error,
//	    canceled).
//	arena_login_failures_total{reason}
//	    counter: failed sign-ins, by the reason the caller names.
//	go_*, process_*
//	    the Go runtime's and the process's own metrics (memory,
//	    goroutines, GC, CPU, open files), from the client library.
//
// The database, index and sync-lag series are read when scraped, from
// functions given to New; the others are counted as things happen.
package metrics

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Sources are what New reads at each scrape; a nil one leaves its series
// out.
type Sources struct {
	// DBStats returns the database's pool statistics by pool name (for
	// Arena's store: (*store.DB).Stats).
	DBStats func() map[string]sql.DBStats
	// IndexSize returns the number of needs in the match index.
	IndexSize func() int
	// SyncLag returns the time since the match index last applied every
	// change of the database's change log.
	SyncLag func() time.Duration
}

// Metrics holds the registry and the series the app records to. JobRun,
// LoginFailed and Middleware of a nil *Metrics do nothing, so code that
// may run without metrics (tests, tools) needs no checks.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	jobs     *prometheus.CounterVec
	logins   *prometheus.CounterVec
}

// latencyBuckets reach down to a millisecond: Arena's reads are expected
// well under 50 ms, which the client library's default buckets barely split.
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// New makes the metrics on a registry of their own, with the Go runtime's
// and the process's collectors and those of src.
func New(src Sources) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "arena_http_requests_total",
			Help: "HTTP requests answered, by method, matched route pattern (other: none) and status code.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "arena_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by method, matched route pattern and status code.",
			Buckets: latencyBuckets,
		}, []string{"method", "route", "status"}),
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "arena_job_runs_total",
			Help: "Runs of background jobs, by job and outcome (ok, error, canceled).",
		}, []string{"job", "outcome"}),
		logins: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "arena_login_failures_total",
			Help: "Failed sign-ins, by reason.",
		}, []string{"reason"}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.jobs, m.logins,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if src.DBStats != nil {
		m.reg.MustRegister(dbCollector{src.DBStats})
	}
	if src.IndexSize != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "arena_match_index_needs",
			Help: "Needs in this instance's match index.",
		}, func() float64 { return float64(src.IndexSize()) }))
	}
	if src.SyncLag != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "arena_match_sync_lag_seconds",
			Help: "Time since this instance's match index last applied every change of the database's change log.",
		}, func() float64 { return src.SyncLag().Seconds() }))
	}
	return m
}

// Handler serves the registry's metrics in Prometheus's formats.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// JobRun counts a run of the background job named job (a fixed name, not
// data) with its outcome: ok for a nil err, canceled when the run was
// stopped by its context, error otherwise.
func (m *Metrics) JobRun(job string, err error) {
	if m == nil {
		return
	}
	outcome := "ok"
	switch {
	case errors.Is(err, context.Canceled):
		outcome = "canceled"
	case err != nil:
		outcome = "error"
	}
	m.jobs.WithLabelValues(job, outcome).Inc()
}

// LoginFailed counts a failed sign-in. reason is one of a few fixed words
// the caller chooses (e.g. bad_password, unknown_account, throttled),
// never the e-mail address or anything else a client sends.
func (m *Metrics) LoginFailed(reason string) {
	if m == nil {
		return
	}
	m.logins.WithLabelValues(reason).Inc()
}

// Middleware counts and times the requests next answers, by method,
// route pattern and status. The route is r.Pattern, which a ServeMux sets
// on the request it is given, so next must be the ServeMux itself (or
// pass the request on unchanged): a middleware in between that calls
// r.WithContext hands the mux a copy, and every route would count as
// "other". A handler that panics is counted with status 500 and the
// panic goes on to the recovery middleware outside.
func (m *Metrics) Middleware(next http.Handler) http.Handler {
	if m == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		panicked := true
		defer func() {
			status := sw.status
			if status == 0 {
				status = http.StatusOK // nothing written: net/http answers 200
				if panicked {
					status = http.StatusInternalServerError
				}
			}
			route := r.Pattern
			if route == "" {
				route = "other"
			}
			labels := []string{methodLabel(r.Method), route, strconv.Itoa(status)}
			m.requests.WithLabelValues(labels...).Inc()
			m.duration.WithLabelValues(labels...).Observe(time.Since(start).Seconds())
		}()
		next.ServeHTTP(sw, r)
		panicked = false
	})
}

// methodLabel keeps the method label to the standard methods: a client
// may send any token as a method.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "other"
}

// statusWriter remembers the status a handler answered with.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 { // 1xx are interim: the final status follows
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Flush lets handlers that stream flush through the middleware.
func (w *statusWriter) Flush() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the writer underneath.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// dbCollector turns database/sql's pool statistics into series at each
// scrape.
type dbCollector struct {
	stats func() map[string]sql.DBStats
}

var (
	dbConnections = prometheus.NewDesc("arena_db_connections",
		"Open connections of a database pool, by state (in_use, idle).", []string{"pool", "state"}, nil)
	dbMaxOpen = prometheus.NewDesc("arena_db_max_open_connections",
		"The pool's limit on open connections (0: none).", []string{"pool"}, nil)
	dbWaits = prometheus.NewDesc("arena_db_waits_total",
		"Times a query waited for a free connection of the pool.", []string{"pool"}, nil)
	dbWaitSeconds = prometheus.NewDesc("arena_db_wait_seconds_total",
		"Time spent waiting for a free connection of the pool.", []string{"pool"}, nil)
	dbClosed = prometheus.NewDesc("arena_db_closed_connections_total",
		"Connections the pool closed by its limits, by reason (max_idle, max_idle_time, max_lifetime).", []string{"pool", "reason"}, nil)
)

func (c dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{dbConnections, dbMaxOpen, dbWaits, dbWaitSeconds, dbClosed} {
		ch <- d
	}
}

func (c dbCollector) Collect(ch chan<- prometheus.Metric) {
	for pool, s := range c.stats() {
		ch <- prometheus.MustNewConstMetric(dbConnections, prometheus.GaugeValue, float64(s.InUse), pool, "in_use")
		ch <- prometheus.MustNewConstMetric(dbConnections, prometheus.GaugeValue, float64(s.Idle), pool, "idle")
		ch <- prometheus.MustNewConstMetric(dbMaxOpen, prometheus.GaugeValue, float64(s.MaxOpenConnections), pool)
		ch <- prometheus.MustNewConstMetric(dbWaits, prometheus.CounterValue, float64(s.WaitCount), pool)
		ch <- prometheus.MustNewConstMetric(dbWaitSeconds, prometheus.CounterValue, s.WaitDuration.Seconds(), pool)
		ch <- prometheus.MustNewConstMetric(dbClosed, prometheus.CounterValue, float64(s.MaxIdleClosed), pool, "max_idle")
		ch <- prometheus.MustNewConstMetric(dbClosed, prometheus.CounterValue, float64(s.MaxIdleTimeClosed), pool, "max_idle_time")
		ch <- prometheus.MustNewConstMetric(dbClosed, prometheus.CounterValue, float64(s.MaxLifetimeClosed), pool, "max_lifetime")
	}
}
