package browser

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/arena-se/arena/internal/seed"
)

// pageSpeedBudget is the budget for the start page and a need's
// page with matches: p95 at most 50 ms with the demo data.
const pageSpeedBudget = 50 * time.Millisecond

// loadWorkers is how many requests are in flight at once: one a core of
// the project's 2-core machines.
const loadWorkers = 2

// loadResult is what one load run measured.
type loadResult struct {
	Requests, Errors int
	P50, P95, P99    time.Duration
	Max              time.Duration
	PerSecond        float64
}

func (r loadResult) String() string {
	return fmt.Sprintf("%d requests, %d errors, %.0f req/s, p50 %s, p95 %s, p99 %s, max %s",
		r.Requests, r.Errors, r.PerSecond, r.P50.Round(10*time.Microsecond), r.P95.Round(10*time.Microsecond),
		r.P99.Round(10*time.Microsecond), r.Max.Round(10*time.Microsecond))
}

// load sends n GET requests for url from workers goroutines on loopback,
// bounded by n and by the timeout, and measures each response read whole.
func load(client *http.Client, url string, n, workers int, timeout time.Duration) loadResult {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var (
		mu    sync.Mutex
		lat   = make([]time.Duration, 0, n)
		errs  int
		next  = make(chan struct{}, n)
		wg    sync.WaitGroup
		start = time.Now()
	)
	for range n {
		next <- struct{}{}
	}
	close(next)
	for range workers {
		wg.Go(func() {
			for range next {
				if ctx.Err() != nil {
					return
				}
				t0 := time.Now()
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
				resp, err := client.Do(req)
				ok := err == nil
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					ok = err == nil && resp.StatusCode == http.StatusOK
				}
				d := time.Since(t0)
				mu.Lock()
				if ok {
					lat = append(lat, d)
				} else {
					errs++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	q := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))]
	}
	r := loadResult{Requests: len(lat), Errors: errs, P50: q(0.50), P95: q(0.95), P99: q(0.99)}
	if len(lat) > 0 {
		r.Max = lat[len(lat)-1]
		r.PerSecond = float64(len(lat)) / elapsed.Seconds()
	}
	return r
}

// signedInClient signs in through the API and keeps the session cookie
// (and the UI's visit cookie) as a browser would.
func signedInClient(t *testing.T, base, email string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	body, _ := json.Marshal(map[string]string{"email": email, "password": seed.DemoPassword})
	resp, err := c.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("sign in as %s: %s", email, resp.Status)
	}
	return c
}

// TestPageSpeed loads the start page and a need's page with matches as
// Anna, with the demo data, from a small Go load client on loopback (2
// connections, one a core; 1,500 requests a page after 100 to warm up)
// and checks p95 ≤ 50 ms. A busy machine (other test packages run beside this one)
// gets up to three runs; the quietest counts.
func TestPageSpeed(t *testing.T) {
	if testing.Short() {
		t.Skip("page speed is measured without -short")
	}
	s := startServer(t)
	c := signedInClient(t, s.URL, annaEmail)

	resp, err := c.Get(s.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	home, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`href="(/behov/[0-9]+)">Trygghetslarm med digital larmkedja`).FindSubmatch(home)
	if m == nil {
		t.Fatalf("Anna's start page links no trygghetslarm need:\n%s", home)
	}
	needPath := string(m[1])
	resp, err = c.Get(s.URL + needPath)
	if err != nil {
		t.Fatal(err)
	}
	needPage, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Contains(needPage, []byte(molndalNeed)) {
		t.Fatalf("%s lists no match %q", needPath, molndalNeed)
	}

	for _, pg := range []struct{ name, path string }{
		{"start page", "/"},
		{"need with matches", needPath},
	} {
		load(c, s.URL+pg.path, 100, loadWorkers, 30*time.Second) // warm up
		var best loadResult
		for try := range 3 {
			r := load(c, s.URL+pg.path, 1500, loadWorkers, 60*time.Second)
			t.Logf("%s (%s), run %d: %s", pg.name, pg.path, try+1, r)
			if r.Errors > 0 {
				t.Errorf("%s: %d requests failed", pg.name, r.Errors)
			}
			if try == 0 || r.P95 < best.P95 {
				best = r
			}
			if best.P95 <= pageSpeedBudget {
				break
			}
		}
		if best.P95 > pageSpeedBudget {
			t.Errorf("%s: p95 %s is over the budget of %s (%s)", pg.name, best.P95, pageSpeedBudget, best)
		}
	}
}
