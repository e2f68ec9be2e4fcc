package oidc

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// maxProviderText bounds how much of the provider's error text is kept.
const maxProviderText = 200

// Start begins a sign-in: it makes a fresh state, nonce and PKCE verifier,
// keeps them with back (a path on this site; anything else becomes "/") in
// the signed flow cookie for ten minutes, and redirects the browser to the
// provider's authorization endpoint with the state, the nonce and the S256
// code challenge.
func (p *Provider) Start(w http.ResponseWriter, r *http.Request, back string) {
	f := flow{
		State:    rand.Text(),
		Nonce:    rand.Text(),
		Verifier: oauth2.GenerateVerifier(),
		Back:     localPath(back),
		Expires:  p.now().Add(flowTTL).Unix(),
	}
	http.SetCookie(w, p.flowCookie(p.seal(f), int(flowTTL.Seconds())))
	w.Header().Set("Cache-Control", "no-store")
	target := p.oauth.AuthCodeURL(f.State, gooidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier))
	http.Redirect(w, r, target, http.StatusFound)
}

// Finish completes the sign-in at the callback. It clears the flow cookie
// first, whatever the outcome, so a callback works at most once per browser;
// then it checks the cookie and the state, refuses a provider error, exchanges
// the code with the PKCE verifier, verifies the ID token and its nonce, and
// requires a verified e-mail address. It returns who signed in and the path
// given to Start. Every failure is an *Error whose Kind says which step
// failed; calls to the provider use r's context, bounded by Config.Timeout.
//
// Finish sets headers but writes no body: the caller answers, typically by
// creating a session and redirecting to back.
func (p *Provider) Finish(w http.ResponseWriter, r *http.Request) (*Identity, string, error) {
	http.SetCookie(w, p.flowCookie("", -1))
	// The callback URL carries the code: keep it out of caches and Referer.
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")

	c, err := r.Cookie(cookieName)
	if err != nil {
		return nil, "", failText(KindState, "no flow cookie: sign-in not started in this browser, or finished already")
	}
	f, err := p.open(c.Value)
	if err != nil {
		return nil, "", fail(KindState, err)
	}
	q := r.URL.Query()
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(f.State)) != 1 {
		return nil, "", failText(KindState, "state does not match the flow cookie")
	}
	// RFC 9207: a provider that names itself must be the one we asked.
	if q.Has("iss") && q.Get("iss") != p.issuer {
		return nil, "", fail(KindState, fmt.Errorf("callback from issuer %q, expected %q", clip(q.Get("iss")), p.issuer))
	}
	if e := q.Get("error"); e != "" {
		return nil, "", fail(KindProviderError, fmt.Errorf("provider answered %q: %q", clip(e), clip(q.Get("error_description"))))
	}
	code := q.Get("code")
	if code == "" {
		return nil, "", failText(KindProviderError, "callback has neither code nor error")
	}

	ctx, cancel := context.WithTimeout(gooidc.ClientContext(r.Context(), p.client), p.timeout)
	defer cancel()
	token, err := p.oauth.Exchange(ctx, code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return nil, "", fail(KindExchange, err)
	}
	raw, _ := token.Extra("id_token").(string)
	if raw == "" {
		return nil, "", failText(KindToken, "token response has no id_token")
	}
	idToken, err := p.verifier.Verify(ctx, raw)
	if err != nil {
		return nil, "", fail(KindToken, err)
	}
	if subtle.ConstantTimeCompare([]byte(idToken.Nonce), []byte(f.Nonce)) != 1 {
		return nil, "", failText(KindNonce, "ID token nonce does not match the flow cookie")
	}
	var claims struct {
		Email string `json:"email"`
		// Raw, so that only the JSON literal true counts: not "true", not 1.
		EmailVerified json.RawMessage `json:"email_verified"`
		Name          string          `json:"name"`
	}
	if err := idToken.Claims(&claims); err != nil {
		return nil, "", fail(KindToken, err)
	}
	email := strings.ToLower(strings.TrimSpace(claims.Email))
	if email == "" {
		return nil, "", failText(KindEmailMissing, "ID token has no email claim (is the email scope granted?)")
	}
	if string(claims.EmailVerified) != "true" {
		return nil, "", fail(KindEmailUnverified, fmt.Errorf("email_verified is %s for %s", orAbsent(claims.EmailVerified), email))
	}
	return &Identity{
		Subject: idToken.Subject,
		Issuer:  idToken.Issuer,
		Email:   email,
		Name:    strings.TrimSpace(claims.Name),
	}, f.Back, nil
}

// clip shortens text the provider (or whoever crafted the URL) chose.
func clip(s string) string {
	if len(s) > maxProviderText {
		return s[:maxProviderText] + "…"
	}
	return s
}

func orAbsent(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "absent"
	}
	return clip(string(raw))
}
