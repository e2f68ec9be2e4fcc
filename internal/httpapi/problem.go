package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	arena "github.com/arena-se/arena"
)

// statusOf is the one place that maps domain error codes to HTTP status.
func statusOf(code string) int {
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
	}
	return http.StatusInternalServerError
}

// statusClientClosed is logged for requests the client cancelled (as
// nginx does); the client never sees it.
const statusClientClosed = 499

// ePreconditionRequired is an HTTP-only code: a write came without If-Match.
const ePreconditionRequired = "precondition_required"

// Problem is an RFC 9457 problem detail.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail,omitempty"`
	Field     string `json:"field,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

// writeError answers with a problem+json body; internal errors are logged
// with their detail and shown without it.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		// The client went away: nothing to answer, nothing went wrong here.
		s.Log.DebugContext(r.Context(), "request cancelled by the client", "request_id", requestID(r.Context()))
		w.WriteHeader(statusClientClosed)
		return
	}
	code := arena.ErrorCode(err)
	status := statusOf(code)
	if status == http.StatusInternalServerError {
		s.Log.ErrorContext(r.Context(), "request failed", "err", err, "request_id", requestID(r.Context()))
	}
	p := Problem{
		Type:      "/problems/" + code,
		Title:     http.StatusText(status),
		Status:    status,
		Detail:    arena.ErrorMessage(err),
		Field:     arena.ErrorField(err),
		RequestID: requestID(r.Context()),
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(p)
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		slog.Debug("write response", "err", err)
	}
}
