package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/i18n"
)

// StatusOf is the one place that maps domain error codes to HTTP status,
// for the API and the pages alike.
func StatusOf(code string) int {
	switch code {
	case arena.EINVALID:
		return http.StatusBadRequest
	case arena.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case arena.EFORBIDDEN:
		return http.StatusForbidden
	case arena.ENOTFOUND:
		return http.StatusNotFound
	case arena.ECONFLICT:
		return http.StatusConflict
	case arena.EPRECONDITION:
		return http.StatusPreconditionFailed
	case ePreconditionRequired:
		return http.StatusPreconditionRequired
	case arena.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	case arena.ELIMITED:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// statusClientClosed is logged for requests the client cancelled (as
// nginx does); the client never sees it.
const statusClientClosed = 499

// ePreconditionRequired is an HTTP-only code: a write came without If-Match.
const ePreconditionRequired = "precondition_required"

// Problem is an RFC 9457 problem detail, with the message's key and facts.
type Problem struct {
	Type      string  `json:"type"`
	Title     string  `json:"title"`
	Status    int     `json:"status"`
	Detail    string  `json:"detail,omitempty"` // the message in the language the request asks for (Accept-Language), English by default
	Field     string  `json:"field,omitempty"`
	Key       string  `json:"key,omitempty"`
	Args      arena.F `json:"args,omitempty"`
	RequestID string  `json:"request_id,omitempty"`
}

// WriteError is the one error responder: it logs internal errors with
// their detail, takes the status from StatusOf and answers with a
// problem+json body, or with an HTML page for page requests when the web
// has registered its renderer.
func (s *Server) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		// The client went away: nothing to answer, nothing went wrong here.
		s.log.DebugContext(r.Context(), "request cancelled by the client", "request_id", requestID(r.Context()))
		w.WriteHeader(statusClientClosed)
		return
	}
	if errors.Is(err, context.DeadlineExceeded) && r.Context().Err() != nil {
		err = arena.Err(arena.EUNAVAILABLE, "err.timeout")
	}
	code := arena.ErrorCode(err)
	status := StatusOf(code)
	m := arena.ErrorMsg(err)
	if code == arena.ELIMITED || code == arena.EUNAVAILABLE {
		secs := 5
		if n, ok := m.Args["seconds"].(int); ok {
			secs = n
		}
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	if status == http.StatusInternalServerError {
		s.log.ErrorContext(r.Context(), "request failed", "err", err, "request_id", requestID(r.Context()))
	}
	if s.pageError != nil && !strings.HasPrefix(r.URL.Path, "/api/") {
		s.pageError(w, r, status, err)
		return
	}
	s.writeProblem(w, r, s.problem(r, err))
}

// problem is the problem detail of err for the request.
func (s *Server) problem(r *http.Request, err error) Problem {
	code := arena.ErrorCode(err)
	status := StatusOf(code)
	m := arena.ErrorMsg(err)
	return Problem{
		Type:      "/problems/" + code,
		Title:     http.StatusText(status),
		Status:    status,
		Detail:    s.app.Texts.For(apiLang(r)).Msg(m),
		Field:     arena.ErrorField(err),
		Key:       m.Key,
		Args:      m.Args,
		RequestID: requestID(r.Context()),
	}
}

// writeProblem answers with a problem detail, or a value that embeds one
// (ImportProblem), its messages worded from the catalogues.
func (s *Server) writeProblem(w http.ResponseWriter, r *http.Request, p any) {
	status := http.StatusInternalServerError
	switch v := p.(type) {
	case Problem:
		status = v.Status
	case ImportProblem:
		status = v.Status
		p = s.app.Texts.Filled(v)
	}
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Language", apiLang(r))
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(p)
}

// apiLang is the language of the API's texts: Swedish when the request
// prefers it (Accept-Language), English otherwise.
func apiLang(r *http.Request) string {
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag = strings.ToLower(tag)
		switch {
		case tag == "sv" || strings.HasPrefix(tag, "sv-"):
			return "sv"
		case tag == "en" || strings.HasPrefix(tag, "en-"):
			return "en"
		}
	}
	return "en"
}

// writeJSON answers with v as JSON, every message in it worded in Swedish
// and English from the catalogues. An answer to a signed-in caller is
// never stored by a cache; a public one is revalidated.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	v = s.app.Texts.Filled(v)
	if a := arena.ActorFrom(r.Context()); a.SignedIn() {
		w.Header().Set("Cache-Control", "no-store")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		slog.Debug("write response", "err", err)
	}
}

// Texts is the catalogue set the API words its messages from.
func (s *Server) Texts() *i18n.Bundle { return s.app.Texts }
