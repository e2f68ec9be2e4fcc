package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// newClient is an HTTP client for loopback targets: keep-alive with an idle
// connection kept for each of conns workers, redirects answered as they
// are (a 303 after a form is a success, not a second request), and a
// dialer that refuses any address that is not a loopback IP.
func newClient(conns int, timeout time.Duration) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
				return nil, fmt.Errorf("refusing %s: loopback addresses only", addr)
			}
			return d.DialContext(ctx, network, addr)
		},
		MaxIdleConns:        2 * conns,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     90 * time.Second,
	}
	return &http.Client{Transport: tr, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// session is how a client is signed in: a session cookie with its CSRF
// token (the demo users, signed in once) or a bearer token.
type session struct {
	email   string
	orgID   int64 // the organisation it posts needs for; 0 when none
	orgName string
	cookies []*http.Cookie
	csrf    string
	bearer  string
}

// sign adds the credentials to a request; writes on a session also carry
// the CSRF token, as the API requires.
func (s *session) sign(req *http.Request) {
	if s == nil {
		return
	}
	if s.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+s.bearer)
		return
	}
	for _, c := range s.cookies {
		req.AddCookie(c)
	}
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		req.Header.Set("X-CSRF-Token", s.csrf)
	}
}

// me is what login and /api/v1/me answer.
type me struct {
	Organizations []struct {
		OrgID int64  `json:"org_id"`
		Role  string `json:"role"`
	} `json:"organizations"`
	CSRFToken string `json:"csrf_token"`
}

// login signs a user in with a password and returns the session.
func login(ctx context.Context, c *http.Client, base, email, password string) (*session, error) {
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	req, _ := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/auth/login", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("sign in %s: %s: %s", email, resp.Status, short(b))
	}
	var m me
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("sign in %s: %w", email, err)
	}
	s := &session{email: email, cookies: resp.Cookies(), csrf: m.CSRFToken}
	if len(s.cookies) == 0 {
		return nil, fmt.Errorf("sign in %s: no session cookie", email)
	}
	if len(m.Organizations) > 0 {
		s.orgID = m.Organizations[0].OrgID
	}
	return s, nil
}

// call sends a JSON request as the session and decodes a 2xx answer into
// out (when not nil); other answers are errors that quote the body.
func call(ctx context.Context, c *http.Client, s *session, method, url string, in, out any) (*http.Response, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return nil, err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	s.sign(req)
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp, err
	}
	if resp.StatusCode/100 != 2 {
		return resp, fmt.Errorf("%s %s: %s: %s", method, url, resp.Status, short(b))
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return resp, fmt.Errorf("%s %s: %w", method, url, err)
		}
	}
	return resp, nil
}

// short is the start of a body, for error messages.
func short(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
