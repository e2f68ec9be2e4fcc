package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// kind is a class of request that the report and the targets keep apart.
type kind int

const (
	kindPage kind = iota
	kindAPIRead
	kindMatch
	kindWrite
	nKinds
)

var kindNames = [nKinds]string{"page", "api-read", "match", "write"}

// mix weighs the kinds of request; a worker picks each request's kind at
// random by these weights.
type mix [nKinds]int

// parseMix reads "page=40,api-read=40,match=15,write=5"; a kind not named
// gets weight 0.
func parseMix(s string) (mix, error) {
	var m mix
	total := 0
	for part := range strings.SplitSeq(s, ",") {
		name, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		n, err := strconv.Atoi(val)
		if !ok || err != nil || n < 0 {
			return m, fmt.Errorf("--mix: %q is not kind=weight", part)
		}
		k := -1
		for i, kn := range kindNames {
			if kn == name {
				k = i
			}
		}
		if k < 0 {
			return m, fmt.Errorf("--mix: unknown kind %q (page, api-read, match, write)", name)
		}
		m[k] = n
		total += n
	}
	if total == 0 {
		return m, errors.New("--mix: all weights are 0")
	}
	return m, nil
}

func (m mix) pick(rng *rand.Rand) kind {
	total := 0
	for _, w := range m {
		total += w
	}
	n := rng.IntN(total)
	for k, w := range m {
		if n < w {
			return kind(k)
		}
		n -= w
	}
	return nKinds - 1
}

// target is what one run is against: one instance, or several that a load
// balancer would spread requests over round-robin.
type target struct {
	label string // postgres or sqlite, for progress lines
	name  string
	bases []string
	pids  []int    // the instances' processes, for their CPU time
	pprof []string // the instances' profiler addresses ("" when not profiled)
	rr    atomic.Uint64
}

func (t *target) base() string {
	return t.bases[(t.rr.Add(1)-1)%uint64(len(t.bases))]
}

// budget is the hard cap on requests over the whole program.
type budget struct {
	left atomic.Int64
	hit  atomic.Bool
}

func (b *budget) take() bool {
	if b.left.Add(-1) < 0 {
		b.hit.Store(true)
		return false
	}
	return true
}

// phase is the time plan of a run: warm-up, then measurement until stopAt.
type phase struct {
	measureFrom, stopAt time.Time
	budget              *budget
	mix                 mix
	sent                atomic.Int64 // requests sent by the regular clients, for progress
}

// stats is what one kind or one route measured.
type stats struct {
	hist     hist
	errors   uint64
	causes   map[string]uint64 // "HTTP 500", "timeout", "transport error"
	examples []string          // the first few errors, to say what went wrong
}

const maxExamples = 3

func (s *stats) fail(cause, example string) {
	s.errors++
	if s.causes == nil {
		s.causes = map[string]uint64{}
	}
	s.causes[cause]++
	if len(s.examples) < maxExamples {
		s.examples = append(s.examples, example)
	}
}

func (s *stats) merge(o *stats) {
	s.hist.merge(&o.hist)
	s.errors += o.errors
	for c, n := range o.causes {
		if s.causes == nil {
			s.causes = map[string]uint64{}
		}
		s.causes[c] += n
	}
	for _, e := range o.examples {
		if len(s.examples) < maxExamples {
			s.examples = append(s.examples, e)
		}
	}
}

// ownNeed is a need a worker posted, with the version it last saw, so
// its updates send a current If-Match and never race another worker's.
type ownNeed struct {
	id   int64
	etag string
}

const maxOwn = 16

// worker is one regular client: it sends one request at a time.
type worker struct {
	t      *target
	d      *dataset
	client *http.Client
	rng    *rand.Rand
	reader *session // signed-in reads
	addr   string   // the address the worker is, behind the "load balancer" (see clientAddr)
	writer *session // writes
	own    []ownNeed
	buf    bytes.Buffer
	kinds  [nKinds]stats
	routes map[string]*stats
}

// clientAddr is the address of regular client i. The instances trust
// X-Forwarded-For from the loopback address as they would from a load
// balancer (--trusted-proxies), so each worker, and the attacker
// (attackerAddr), is a client of its own for the server's limits, as
// people on their own computers are; otherwise every anonymous request of
// the test would share the one queue of 127.0.0.1. The addresses are of
// 198.18.0.0/15, the range set aside for benchmarks (RFC 2544).
func clientAddr(i int) string { return fmt.Sprintf("198.18.%d.%d", i/250, i%250+1) }

// attackerAddr is the attacker's address (see clientAddr).
const attackerAddr = "198.19.0.1"

// request is one request of the mix with its kind, its route (the path
// with {id}) and what to do with a successful answer.
type request struct {
	kind  kind
	route string
	req   *http.Request
	after func(resp *http.Response, body []byte)
}

func (w *worker) id(ids []int64) string {
	return strconv.FormatInt(ids[w.rng.IntN(len(ids))], 10)
}

// signedIn is the session of half the reads; nil, anonymous, for the other half.
func (w *worker) signedIn() *session {
	if w.rng.IntN(2) == 0 {
		return w.reader
	}
	return nil
}

// get is a read, signed in half the time; the route says which, as a
// signed-in page may cost more (the actor, the CSRF token, own needs).
func (w *worker) get(ctx context.Context, k kind, route, path string) request {
	req, _ := http.NewRequestWithContext(ctx, "GET", w.t.base()+path, nil)
	req.Header.Set("Accept-Language", "sv")
	if s := w.signedIn(); s != nil {
		s.sign(req)
		route += " · signed in"
	}
	return request{kind: k, route: route, req: req}
}

func (w *worker) next(ctx context.Context, k kind) request {
	switch k {
	case kindPage:
		switch w.rng.IntN(5) {
		case 0:
			return w.get(ctx, k, "GET /", "/")
		case 1:
			return w.get(ctx, k, "GET /behov", "/behov")
		case 2:
			return w.get(ctx, k, "GET /behov/{id}", "/behov/"+w.id(w.d.needIDs))
		case 3:
			return w.get(ctx, k, "GET /natverk/{id}", "/natverk/"+w.id(w.d.networkIDs))
		default:
			return w.get(ctx, k, "GET /utlysningar", "/utlysningar")
		}
	case kindAPIRead:
		switch w.rng.IntN(4) {
		case 0:
			return w.get(ctx, k, "GET /api/v1/needs?limit=50", "/api/v1/needs?limit=50")
		case 1:
			return w.get(ctx, k, "GET /api/v1/needs/{id}", "/api/v1/needs/"+w.id(w.d.needIDs))
		case 2:
			return w.get(ctx, k, "GET /api/v1/networks/{id}/overview", "/api/v1/networks/"+w.id(w.d.networkIDs)+"/overview")
		default:
			return w.get(ctx, k, "GET /api/v1/calls", "/api/v1/calls")
		}
	case kindMatch:
		if w.rng.IntN(2) == 0 {
			return w.get(ctx, k, "GET /api/v1/needs/{id}/matches", "/api/v1/needs/"+w.id(w.d.needIDs)+"/matches")
		}
		return w.get(ctx, k, "GET /api/v1/needs/{id}/matches?kind=calls", "/api/v1/needs/"+w.id(w.d.needIDs)+"/matches?kind=calls")
	}
	if len(w.own) > 0 && w.rng.IntN(2) == 0 {
		return w.patch(ctx)
	}
	return w.post(ctx)
}

// post creates a public need of the writer's organisation.
func (w *worker) post(ctx context.Context) request {
	body, _ := json.Marshal(newNeed(w.rng, w.writer.orgID, w.writer.orgName))
	req, _ := http.NewRequestWithContext(ctx, "POST", w.t.base()+"/api/v1/needs", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	w.writer.sign(req)
	return request{kind: kindWrite, route: "POST /api/v1/needs", req: req, after: func(resp *http.Response, b []byte) {
		var out struct {
			ID int64 `json:"id"`
		}
		if json.Unmarshal(b, &out) == nil && out.ID > 0 {
			if len(w.own) == maxOwn {
				w.own = w.own[1:]
			}
			w.own = append(w.own, ownNeed{out.ID, resp.Header.Get("ETag")})
		}
	}}
}

// patch edits one of the worker's own needs at the version it last saw.
// The need leaves the worker's list until the answer gives its new version,
// so a failed update is not repeated with a stale If-Match.
func (w *worker) patch(ctx context.Context) request {
	i := w.rng.IntN(len(w.own))
	n := w.own[i]
	w.own = append(w.own[:i], w.own[i+1:]...)
	value := 500_000 + w.rng.IntN(20_000_000)
	body, _ := json.Marshal(map[string]any{
		"description":         newNeed(w.rng, w.writer.orgID, w.writer.orgName).Description,
		"estimated_value_sek": value,
	})
	req, _ := http.NewRequestWithContext(ctx, "PATCH", w.t.base()+"/api/v1/needs/"+strconv.FormatInt(n.id, 10), bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/merge-patch+json")
	req.Header.Set("If-Match", n.etag)
	w.writer.sign(req)
	return request{kind: kindWrite, route: "PATCH /api/v1/needs/{id}", req: req, after: func(resp *http.Response, _ []byte) {
		if et := resp.Header.Get("ETag"); et != "" {
			w.own = append(w.own, ownNeed{n.id, et})
		}
	}}
}

// run sends requests until the phase ends, the budget is spent or the
// program is interrupted; only requests that start after the warm-up
// count.
func (w *worker) run(ctx context.Context, p *phase) {
	for {
		if ctx.Err() != nil || !time.Now().Before(p.stopAt) || !p.budget.take() {
			return
		}
		r := w.next(ctx, p.mix.pick(w.rng))
		r.req.Header.Set("X-Forwarded-For", w.addr)
		p.sent.Add(1)
		start := time.Now()
		resp, err := w.client.Do(r.req)
		status := 0
		if err == nil {
			w.buf.Reset()
			_, err = w.buf.ReadFrom(resp.Body)
			resp.Body.Close()
			status = resp.StatusCode
		}
		took := time.Since(start)
		if ctx.Err() != nil {
			return // interrupted: not the server's doing
		}
		ok := err == nil && statusOK(status)
		if ok && r.after != nil {
			r.after(resp, w.buf.Bytes())
		}
		if start.Before(p.measureFrom) {
			continue
		}
		rs := w.routes[r.route]
		if rs == nil {
			rs = &stats{}
			w.routes[r.route] = rs
		}
		for _, s := range []*stats{&w.kinds[r.kind], rs} {
			s.hist.record(took)
			if !ok {
				cause, example := failure(r, status, err, w.buf.Bytes())
				s.fail(cause, example)
			}
		}
	}
}

// failure names what went wrong with a request: its class, and an example
// with the URL and the start of the answer.
func failure(r request, status int, err error, body []byte) (cause, example string) {
	where := r.req.Method + " " + r.req.URL.RequestURI()
	if err != nil {
		cause = "transport error"
		if isTimeout(err) {
			cause = "timeout"
		}
		return cause, where + ": " + err.Error()
	}
	return "HTTP " + strconv.Itoa(status), where + " → " + strconv.Itoa(status) + ": " + short(body)
}

// drive runs the mix against the target with the attacker beside it, and
// returns what was measured.
func drive(ctx context.Context, cfg *config, t *target, d *dataset, b *budget, rng *rand.Rand, progress func(string)) *result {
	start := time.Now()
	p := &phase{measureFrom: start.Add(cfg.warmup), stopAt: start.Add(cfg.warmup + cfg.duration), budget: b, mix: cfg.mix}
	client := newClient(cfg.workers, cfg.timeout)
	defer client.CloseIdleConnections()

	workers := make([]*worker, cfg.workers)
	for i := range workers {
		workers[i] = &worker{t: t, d: d, client: client, rng: rand.New(rand.NewPCG(rng.Uint64(), uint64(i))),
			reader: d.readers[i%len(d.readers)], writer: d.writers[i%len(d.writers)], routes: map[string]*stats{}, addr: clientAddr(i)}
	}
	var att *attacker
	var attWG sync.WaitGroup
	actx, stopAttack := context.WithDeadline(ctx, p.stopAt)
	defer stopAttack()
	if cfg.attack {
		att = newAttacker(t, d, cfg.attackTimeout, cfg.attackPause)
		attWG.Go(func() { att.run(actx, b) })
	}

	progress(fmt.Sprintf("%s: warm-up %s, then measuring %s with %d workers (attacker %s)",
		t.label, cfg.warmup, cfg.duration, cfg.workers, onOff(cfg.attack)))
	tick := time.NewTicker(10 * time.Second)
	defer tick.Stop()
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				progress(fmt.Sprintf("%s: %s, %d requests sent", t.label, time.Since(start).Round(time.Second), p.sent.Load()))
			}
		}
	}()
	// CPU time of the instances and of this program over the measurement,
	// taken when it starts, so the report says who used the cores.
	var cpu0 []time.Duration
	var cpuFrom time.Time
	var cpuWG sync.WaitGroup
	cpuWG.Go(func() {
		select {
		case <-time.After(time.Until(p.measureFrom)):
			cpu0, cpuFrom = cpuTimes(t.pids), time.Now()
		case <-done:
		}
	})
	if cfg.profile != "" {
		for i, base := range t.pprof {
			file := fmt.Sprintf("%s-%s-%d.pprof", cfg.profile, t.label, i+1)
			cpuWG.Go(func() {
				select {
				case <-time.After(time.Until(p.measureFrom)):
					if err := fetchProfile(ctx, base, file, p.stopAt.Sub(time.Now())); err != nil {
						progress(fmt.Sprintf("%s: profile of instance %d: %v", t.label, i+1, err))
					} else {
						progress(fmt.Sprintf("%s: CPU profile of instance %d in %s", t.label, i+1, file))
					}
				case <-done:
				}
			})
		}
	}
	res := &result{Target: t.name, Instances: t.bases, Workers: cfg.workers, LoadBefore: loadAvg()}
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Go(func() { w.run(ctx, p) })
	}
	wg.Wait()
	end := time.Now()
	close(done)
	cpuWG.Wait()
	cpu1, cpuTo := cpuTimes(t.pids), time.Now()
	stopAttack()
	attWG.Wait()

	res.LoadAfter = loadAvg()
	res.StoppedByBudget = b.hit.Load()
	// The measured window ends at stopAt (requests still in flight then are
	// counted, as they were sent in it), or earlier when the budget ran out;
	// 0 when it ran out during the warm-up.
	if end.After(p.stopAt) {
		end = p.stopAt
	}
	res.Seconds = max(end.Sub(p.measureFrom).Seconds(), 0)
	if wall := cpuTo.Sub(cpuFrom).Seconds(); cpu0 != nil && wall > 0 {
		for i := range t.pids {
			res.ServerCores += (cpu1[i] - cpu0[i]).Seconds() / wall
		}
		res.LoadTestCores = (cpu1[len(t.pids)] - cpu0[len(t.pids)]).Seconds() / wall
	}
	var kinds [nKinds]stats
	routes := map[string]*stats{}
	for _, w := range workers {
		for k := range kinds {
			kinds[k].merge(&w.kinds[k])
		}
		for r, s := range w.routes {
			if routes[r] == nil {
				routes[r] = &stats{}
			}
			routes[r].merge(s)
		}
	}
	res.fill(kinds, routes, att)
	return res
}

// fetchProfile writes the CPU profile of the instance whose profiler is
// at base, taken over the next d, to file.
func fetchProfile(ctx context.Context, base, file string, d time.Duration) error {
	secs := max(1, int(d.Round(time.Second)/time.Second))
	req, err := http.NewRequestWithContext(ctx, "GET", base+"/debug/pprof/profile?seconds="+strconv.Itoa(secs), nil)
	if err != nil {
		return err
	}
	resp, err := (&http.Client{Timeout: d + time.Minute}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("profiler answered %s", resp.Status)
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// cpuTimes is the CPU time of each process and, last, of this program.
func cpuTimes(pids []int) []time.Duration {
	var out []time.Duration
	for _, pid := range append(slices.Clip(pids), os.Getpid()) {
		out = append(out, cpuTime(pid))
	}
	return out
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
