package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	arena "github.com/arena-se/arena"
)

// Lengths of the hostile inputs of issue 9, in characters.
const (
	suggestWordLen = 900_000 // one word in an anonymous CPV suggestion
	needWordLen    = 20_000  // one word in a need's description
	networkWordLen = 32 << 10
)

// longWord is one word of n characters: a Swedish compound repeated, so
// the compound splitter has parts to find all along it.
func longWord(n int) string {
	const part = "energieffektiviseringsupphandlings" // ASCII: n bytes are n characters
	return strings.Repeat(part, n/len(part)+1)[:n]
}

// attackStep is one hostile request the attacker repeats.
type attackStep struct {
	name     string
	build    func(ctx context.Context) *http.Request
	hist     hist
	statuses map[string]uint64
}

// attacker is one client that sends the hostile inputs one after the
// other, in a loop, on its own connection pool so that a stalled answer
// does not hold a regular client's connection.
type attacker struct {
	steps  []*attackStep
	client *http.Client
	pause  time.Duration
}

func newAttacker(t *target, d *dataset, timeout, pause time.Duration) *attacker {
	a := &attacker{client: newClient(2, timeout), pause: pause}
	needID := strconv.FormatInt(d.needIDs[0], 10)
	jsonBody := func(v any) []byte {
		b, _ := json.Marshal(v)
		return b
	}
	send := func(ctx context.Context, method, path string, body []byte, s *session) *http.Request {
		var r io.Reader
		if body != nil {
			r = bytes.NewReader(body)
		}
		req, _ := http.NewRequestWithContext(ctx, method, t.base()+path, r)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		s.sign(req)
		return req
	}
	need := func(title, desc string) []byte {
		return jsonBody(&arena.Need{OrgID: d.attacker.orgID, Title: title, Description: desc,
			Intent: arena.IntentExplore, Visibility: arena.VisibilityPublic})
	}
	suggest := jsonBody(map[string]string{"title": longWord(suggestWordLen)})
	longNeed := need("Behov med ett mycket långt ord", longWord(needWordLen))
	nulNeed := need("Behov med\x00NUL-tecken", "Beskrivning\x00med NUL")
	nulLogin := jsonBody(map[string]string{"email": "anna\x00@falun.demo", "password": "fel-losenord-2026"})
	networkWord := longWord(networkWordLen)
	networks := 0

	a.steps = []*attackStep{
		{name: "POST /api/v1/cpv/suggest, 900 000-character word, anonymous", build: func(ctx context.Context) *http.Request {
			return send(ctx, "POST", "/api/v1/cpv/suggest", suggest, nil)
		}},
		{name: "POST /api/v1/needs, 20 000-character word", build: func(ctx context.Context) *http.Request {
			return send(ctx, "POST", "/api/v1/needs", longNeed, d.attacker)
		}},
		{name: "POST /api/v1/networks, description one 32 KB word", build: func(ctx context.Context) *http.Request {
			networks++
			owner := d.attacker.orgID
			return send(ctx, "POST", "/api/v1/networks", jsonBody(&arena.Network{Name: fmt.Sprintf("Nätverk med långt ord %d", networks),
				Kind: arena.NetworkStrategic, Description: networkWord, OwnerOrgID: &owner, Open: true}), d.attacker)
		}},
		{name: "GET /api/v1/needs/{id}/matches?kind=networks, after it", build: func(ctx context.Context) *http.Request {
			return send(ctx, "GET", "/api/v1/needs/"+needID+"/matches?kind=networks", nil, nil)
		}},
		{name: "POST /api/v1/needs, NUL in title and description", build: func(ctx context.Context) *http.Request {
			return send(ctx, "POST", "/api/v1/needs", nulNeed, d.attacker)
		}},
		{name: "GET /api/v1/needs?q=%00, anonymous", build: func(ctx context.Context) *http.Request {
			return send(ctx, "GET", "/api/v1/needs?q=%00", nil, nil)
		}},
		{name: "POST /api/v1/auth/login, NUL in e-mail", build: func(ctx context.Context) *http.Request {
			return send(ctx, "POST", "/api/v1/auth/login", nulLogin, nil)
		}},
	}
	return a
}

// run sends the steps in turn until ctx ends or the budget is spent. A
// request that ctx cuts off at the end of the run is not counted.
func (a *attacker) run(ctx context.Context, b *budget) {
	defer a.client.CloseIdleConnections()
	for {
		for _, s := range a.steps {
			if ctx.Err() != nil || !b.take() {
				return
			}
			start := time.Now()
			req := s.build(ctx)
			req.Header.Set("X-Forwarded-For", attackerAddr)
			resp, err := a.client.Do(req)
			if err == nil {
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			took := time.Since(start)
			if ctx.Err() != nil {
				return
			}
			if s.statuses == nil {
				s.statuses = map[string]uint64{}
			}
			s.hist.record(took)
			switch {
			case err == nil:
				s.statuses[strconv.Itoa(resp.StatusCode)]++
			case isTimeout(err):
				s.statuses["timeout"]++
			default:
				s.statuses["transport error"]++
			}
			if a.pause > 0 {
				select {
				case <-ctx.Done():
					return
				case <-time.After(a.pause):
				}
			}
		}
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
