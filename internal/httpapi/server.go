// Package httpapi serves Arena's JSON API under /api/v1, the health checks
// and the OpenAPI document.
package httpapi

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/app"
	"github.com/arena-se/arena/internal/auth"
	"github.com/arena-se/arena/internal/openapi"
	"github.com/arena-se/arena/internal/store"
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "arena_session"

// Server is the JSON API on the app's services, and the router and
// middleware the web pages share.
type Server struct {
	app *app.App
	db  *store.DB
	log *slog.Logger

	// pageError renders an error as an HTML page, for requests outside
	// /api/; nil answers every error as problem+json.
	pageError func(w http.ResponseWriter, r *http.Request, status int, err error)
	// wrap is a middleware around the routes (metrics); nil for none.
	wrap func(http.Handler) http.Handler

	routes []route
	ops    []openapi.Operation
	mux    *http.ServeMux
}

// route is one registered method and pattern, kept so the OpenAPI test can
// compare what is served with what is documented.
type route struct{ Method, Pattern string }

// NewServer builds the server and its route table on the app's services.
func NewServer(a *app.App) *Server {
	s := &Server{app: a, db: a.DB, log: a.Log, mux: http.NewServeMux()}
	s.registerRoutes()
	return s
}

// SetPageError makes errors of requests outside /api/ render as HTML pages
// by fn, with the status the one table (StatusOf) gives.
func (s *Server) SetPageError(fn func(w http.ResponseWriter, r *http.Request, status int, err error)) {
	s.pageError = fn
}

// Routes returns the registered API routes as "METHOD /pattern".
func (s *Server) Routes() []string {
	out := make([]string, len(s.routes))
	for i, r := range s.routes {
		out[i] = r.Method + " " + r.Pattern
	}
	return out
}

// handle registers a route whose body may be at most maxBody bytes.
func (s *Server) handle(method, pattern string, h http.HandlerFunc) {
	s.handleBody(method, pattern, maxBody, h)
}

// handleBody registers a route whose body may be at most limit bytes: a
// larger one is refused (decodeInto answers 400 naming the body) without
// being read further.
func (s *Server) handleBody(method, pattern string, limit int64, h http.HandlerFunc) {
	s.routes = append(s.routes, route{method, pattern})
	s.mux.HandleFunc(method+" "+pattern, func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		h(w, r)
	})
}

// Mux returns the router, for the web UI to add its pages to.
func (s *Server) Mux() *http.ServeMux { return s.mux }

// Handler returns the server with its middleware: request id, access
// log, security headers, limits, recovery and identity.
func (s *Server) Handler() http.Handler {
	var h http.Handler = s.mux
	if s.wrap != nil {
		h = s.wrap(h)
	}
	h = s.withActor(h)
	h = s.withRecover(h)
	h = s.withLimits(h)
	return s.withRequestID(s.withLog(s.withHeaders(h)))
}

// Wrap adds a middleware right around the router (metrics): it sees the
// request the router sets the matched pattern on (r.Pattern), with the
// actor known, and the handler's own time.
func (s *Server) Wrap(mw func(http.Handler) http.Handler) { s.wrap = mw }

// withHeaders sets the headers every answer carries: no content sniffing,
// and, behind TLS, HSTS.
func (s *Server) withHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		if s.app.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// withLimits bounds each request: a deadline on its context (the store,
// matching and the limiter stop when it passes) and the client's address
// in its context, for the limits of expensive work and sign-in throttling.
func (s *Server) withLimits(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := app.WithClient(r.Context(), s.clientAddr(r))
		if t := s.app.RequestTimeout; t > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, t)
			defer cancel()
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// clientAddr is the address a request comes from (without its port).
// Behind load balancers named in App.TrustedProxies it is the address the
// nearest of them saw, from X-Forwarded-For: read from the right, the
// first address that is not a trusted proxy. Any other client's
// X-Forwarded-For is not believed: it could name anyone.
func (s *Server) clientAddr(r *http.Request) string {
	return app.ClientAddr(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), s.app.TrustedProxies)
}

type ctxKey int

const requestIDKey ctxKey = iota

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

func (s *Server) withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-ID")
		if id == "" || len(id) > 64 {
			b := make([]byte, 8)
			rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-ID", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey, id)))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (s *Server) withLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Int("status", sw.status),
			slog.Duration("duration", time.Since(start)), slog.String("request_id", requestID(r.Context())))
	})
}

func (s *Server) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "panic", "value", v, "request_id", requestID(r.Context()))
				s.WriteError(w, r, arena.Err(arena.EINTERNAL, "err.internal"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// withActor finds who is calling: a bearer token, else a session cookie.
// A bad bearer token is refused; a stale cookie is ignored.
func (s *Server) withActor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if h := r.Header.Get("Authorization"); h != "" {
			token, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				s.WriteError(w, r, arena.Err(arena.EUNAUTHORIZED, "err.bearer"))
				return
			}
			// The token and its user's actor in one query.
			a, err := s.db.TokenActor(ctx, auth.HashToken(strings.TrimSpace(token)))
			if err != nil {
				s.WriteError(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(arena.WithActor(ctx, a)))
			return
		}
		if c, err := r.Cookie(SessionCookie); err == nil {
			// The session and its user's actor in one query.
			if a, csrf, err := s.db.SessionActor(ctx, auth.HashToken(c.Value)); err == nil {
				ctx = withCSRF(arena.WithActor(ctx, a), csrf)
				// A browser sends the cookie with any site's request: API
				// writes on a session must also show the session's token.
				if isWrite(r) && strings.HasPrefix(r.URL.Path, "/api/") && r.URL.Path != "/api/v1/auth/login" &&
					subtle.ConstantTimeCompare([]byte(r.Header.Get("X-CSRF-Token")), []byte(csrf)) != 1 {
					s.WriteError(w, r, arena.Err(arena.EFORBIDDEN, "err.csrf_header"))
					return
				}
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

const csrfKey ctxKey = 1

func withCSRF(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, csrfKey, token)
}

// CSRFToken returns the session's CSRF token, "" without a session.
func CSRFToken(ctx context.Context) string {
	t, _ := ctx.Value(csrfKey).(string)
	return t
}

func isWrite(r *http.Request) bool {
	return r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions
}
