package oidc

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	// cookieName is the flow cookie, scoped by Path to the callback.
	cookieName = "arena_oidc"
	// flowTTL is how long a user has at the provider before the callback
	// is refused: long enough to type a password and a second factor.
	flowTTL = 10 * time.Minute
	// maxCookieLen bounds what open parses; a sealed flow is about 400 bytes.
	maxCookieLen = 2048
	// maxBackLen bounds the return path kept in the cookie.
	maxBackLen = 512
	// macContext separates this MAC from any other made with the same key.
	macContext = "arena oidc flow v1\x00"
)

// flow is what Start keeps for Finish, in the browser, under the server's MAC.
type flow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Back     string `json:"b"`
	Expires  int64  `json:"e"` // Unix seconds
}

// seal encodes f as base64url(JSON) "." base64url(HMAC-SHA256).
func (p *Provider) seal(f flow) string {
	body, _ := json.Marshal(f) // a struct of strings and an int always marshals
	payload := base64.RawURLEncoding.EncodeToString(body)
	return payload + "." + base64.RawURLEncoding.EncodeToString(p.mac(payload))
}

// open checks the MAC and the expiry of a sealed flow and decodes it.
func (p *Provider) open(value string) (flow, error) {
	var f flow
	if len(value) > maxCookieLen {
		return f, errors.New("flow cookie too long")
	}
	payload, sig, ok := strings.Cut(value, ".")
	if !ok {
		return f, errors.New("flow cookie malformed")
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, p.mac(payload)) {
		return f, errors.New("flow cookie signature invalid")
	}
	body, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return f, errors.New("flow cookie payload malformed")
	}
	if err := json.Unmarshal(body, &f); err != nil {
		return f, errors.New("flow cookie payload malformed")
	}
	if f.State == "" || f.Nonce == "" || f.Verifier == "" {
		return f, errors.New("flow cookie incomplete")
	}
	if !p.now().Before(time.Unix(f.Expires, 0)) {
		return f, errors.New("flow cookie expired")
	}
	return f, nil
}

func (p *Provider) mac(payload string) []byte {
	m := hmac.New(sha256.New, p.key)
	m.Write([]byte(macContext))
	m.Write([]byte(payload))
	return m.Sum(nil)
}

func (p *Provider) flowCookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name:     cookieName,
		Value:    value,
		Path:     p.cookiePath,
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   p.secure,
		SameSite: http.SameSiteLaxMode,
	}
}

// localPath returns back if it is a path on this site, else "/": no scheme,
// no host, no "//" or "/\" that browsers read as another host, no control
// characters, valid UTF-8.
func localPath(back string) string {
	if back == "" || len(back) > maxBackLen || back[0] != '/' || !utf8.ValidString(back) ||
		strings.HasPrefix(back, "//") || strings.HasPrefix(back, "/\\") {
		return "/"
	}
	for _, c := range back {
		if c < 0x20 || c == 0x7f || c == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(back)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return back
}
