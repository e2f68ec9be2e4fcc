package httpapi

import (
	"encoding/json"
	"net/http"
	"reflect"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/auth"
	"github.com/arena-se/arena/internal/openapi"
)

// SessionTTL is how long a sign-in lasts.
const SessionTTL = 12 * time.Hour

func (s *Server) registerRoutes() {
	s.mux.HandleFunc("GET /healthz", s.handleHealthz)
	s.mux.HandleFunc("GET /readyz", s.handleReadyz)
	s.handle("GET", "/api/v1/openapi.json", s.handleOpenAPI)
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/openapi.json", OperationID: "openapi", Summary: "This document", Tag: "meta", Response: reflect.TypeFor[map[string]any]()})
	s.handle("GET", "/api/v1/status", s.handleStatus)
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/status", OperationID: "status", Summary: "Version, database and which reference data is loaded or missing", Tag: "meta", Response: reflect.TypeFor[Status]()})
	s.handle("POST", "/api/v1/auth/login", s.handleLogin)
	s.doc(openapi.Operation{Method: "POST", Path: "/api/v1/auth/login", OperationID: "login", Summary: "Sign in with e-mail and password; sets the session cookie", Tag: "identity", Request: reflect.TypeFor[LoginRequest](), Response: reflect.TypeFor[Me]()})
	s.handle("POST", "/api/v1/auth/logout", s.handleLogout)
	s.doc(openapi.Operation{Method: "POST", Path: "/api/v1/auth/logout", OperationID: "logout", Summary: "End the session", Tag: "identity", Status: 204})
	s.handle("GET", "/api/v1/me", s.handleMe)
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/me", OperationID: "me", Summary: "The signed-in user and organisations", Tag: "identity", Response: reflect.TypeFor[Me](), Auth: true})
	s.handle("GET", "/api/v1/cpv/{code}", s.handleCPV)
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/cpv/{code}", OperationID: "cpv", Summary: "A CPV code with Swedish and English labels (reference data loaded)", Tag: "reference",
		Params: []openapi.Param{{Name: "code", In: "path", Type: "string", Required: true, Description: "8 digits, optionally with check digit"}}, Response: reflect.TypeFor[CPVEntry]()})

	db := s.DB
	(&resource[arena.Organization]{s: s, name: "organization", tag: "organisations", path: "organizations", entity: db.Organizations}).register()
	(&resource[arena.User]{s: s, name: "user", tag: "identity", path: "users", entity: db.Users, extra: map[string]func(*http.Request, *arena.User, json.RawMessage) error{
		"password": s.setPassword,
	}}).register()
	(&resource[arena.OrgMembership]{s: s, name: "orgMembership", tag: "identity", path: "org-memberships", entity: db.OrgMemberships}).register()
	(&resource[arena.Need]{s: s, name: "need", tag: "needs", path: "needs", entity: db.Needs}).register()
	(&resource[arena.Network]{s: s, name: "network", tag: "networks", path: "networks", entity: db.Networks, createFn: s.createNetwork,
		extra: map[string]func(*http.Request, *arena.Network, json.RawMessage) error{"from_needs": nil}}).register()
	(&resource[arena.NetworkMember]{s: s, name: "networkMember", tag: "networks", path: "network-members", entity: db.NetworkMembers}).register()
	(&resource[arena.NetworkPlan]{s: s, name: "networkPlan", tag: "networks", path: "network-plans", entity: db.NetworkPlans}).register()
	(&resource[arena.Activity]{s: s, name: "activity", tag: "networks", path: "activities", entity: db.Activities}).register()
	(&resource[arena.Deliverable]{s: s, name: "deliverable", tag: "networks", path: "deliverables", entity: db.Deliverables}).register()
	(&resource[arena.MemberProcurement]{s: s, name: "memberProcurement", tag: "follow-through", path: "member-procurements", entity: db.MemberProcurements}).register()
	(&resource[arena.FundingPeriod]{s: s, name: "fundingPeriod", tag: "funding", path: "funding-periods", entity: db.FundingPeriods}).register()
	(&resource[arena.Funder]{s: s, name: "funder", tag: "funding", path: "funders", entity: db.Funders}).register()
	(&resource[arena.FundingCall]{s: s, name: "call", tag: "funding", path: "calls", entity: db.Calls}).register()
	(&resource[arena.Project]{s: s, name: "project", tag: "register", path: "projects", entity: db.Projects}).register()
	(&resource[arena.Expert]{s: s, name: "expert", tag: "register", path: "experts", entity: db.Experts}).register()
	s.registerMatchRoutes()
	s.registerNetworkRoutes()
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, arena.Errorf(arena.ENOTFOUND, "no such API route: %s %s", r.Method, r.URL.Path))
	})
}

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// handleReadyz answers 200 when the database answers; a load balancer
// stops sending traffic to an instance that cannot reach it.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	if err := s.DB.Ping(r.Context()); err != nil {
		s.writeError(w, r, arena.Errorf(arena.EUNAVAILABLE, "the database does not answer"))
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// Status is what /api/v1/status tells: version, database and what
// reference data is loaded or missing.
type Status struct {
	Version          string         `json:"version"`
	Database         string         `json:"database"`
	Migration        int64          `json:"migration"`
	Reference        map[string]int `json:"reference"`
	ReferenceMissing []string       `json:"reference_missing"`
}

func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	v, err := s.DB.MigrationVersion(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	loaded, missing := s.DB.ReferenceStatus()
	if missing == nil {
		missing = []string{}
	}
	writeJSON(w, http.StatusOK, Status{Version: s.Version, Database: string(s.DB.Dialect), Migration: v, Reference: loaded, ReferenceMissing: missing})
}

// CPVEntry is a CPV code with its labels.
type CPVEntry struct {
	Code      string `json:"code"`
	WithCheck string `json:"code_with_check_digit"`
	Level     int    `json:"level"`
	Parent    string `json:"parent_code,omitempty"`
	LabelSV   string `json:"label_sv"`
	LabelEN   string `json:"label_en"`
}

func (s *Server) handleCPV(w http.ResponseWriter, r *http.Request) {
	ref := s.DB.Reference()
	if !ref.HasCPV() {
		s.writeError(w, r, arena.Errorf(arena.EUNAVAILABLE, "CPV-koderna är inte inlästa (arena reference load --from DIR)"))
		return
	}
	c, ok := ref.LookupCPV(r.PathValue("code"))
	if !ok {
		s.writeError(w, r, arena.NotFound("CPV code"))
		return
	}
	writeJSON(w, http.StatusOK, CPVEntry{Code: c.Code, WithCheck: c.Code + "-" + c.Check, Level: c.Level, Parent: c.Parent, LabelSV: c.LabelSV, LabelEN: c.LabelEN})
}

// setPassword is the user resource's extra field "password".
func (s *Server) setPassword(r *http.Request, u *arena.User, raw json.RawMessage) error {
	var pw string
	if err := json.Unmarshal(raw, &pw); err != nil {
		return arena.Invalid("password", "password must be a string")
	}
	if len([]rune(pw)) < auth.MinPasswordLength {
		return arena.Invalid("password", "the password must be at least %d characters", auth.MinPasswordLength)
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	return s.DB.SetPassword(r.Context(), u.ID, hash)
}

// LoginRequest signs a user in.
type LoginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// Me is the signed-in user with organisations.
type Me struct {
	User          *arena.User           `json:"user"`
	Organizations []arena.OrgMembership `json:"organizations"`
	CSRFToken     string                `json:"csrf_token,omitempty"`
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	var req LoginRequest
	if _, err := decodeInto(r, &req, nil); err != nil {
		s.writeError(w, r, err)
		return
	}
	a, token, csrf, err := s.SignIn(r, req.Email, req.Password)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.setSessionCookie(w, token)
	writeJSON(w, http.StatusOK, Me{User: a.User, Organizations: orEmpty(a.Orgs), CSRFToken: csrf})
}

// SignIn checks a password and starts a session, returning its secret
// token. Wrong e-mail and wrong password give the same answer.
func (s *Server) SignIn(r *http.Request, email, password string) (*arena.Actor, string, string, error) {
	ctx := r.Context()
	bad := arena.Errorf(arena.EUNAUTHORIZED, "wrong e-mail address or password")
	id, hash, err := s.DB.PasswordHash(ctx, normalizeEmail(email))
	if arena.ErrorCode(err) == arena.ENOTFOUND || (err == nil && !auth.CheckPassword(hash, password)) {
		return nil, "", "", bad
	} else if err != nil {
		return nil, "", "", err
	}
	token, tokenHash := auth.NewToken("")
	csrf, _ := auth.NewToken("")
	if err := s.DB.CreateSession(ctx, tokenHash, csrf, id, SessionTTL); err != nil {
		return nil, "", "", err
	}
	a, err := s.DB.ActorFor(ctx, id)
	return a, token, csrf, err
}

func (s *Server) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(SessionTTL / time.Second)})
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if err := s.SignOut(w, r); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// SignOut ends the request's session and clears its cookie.
func (s *Server) SignOut(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(SessionCookie); err == nil {
		if err := s.DB.DeleteSession(r.Context(), auth.HashToken(c.Value)); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, MaxAge: -1})
	return nil
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	a, err := arena.RequireActor(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, Me{User: a.User, Organizations: orEmpty(a.Orgs), CSRFToken: CSRFToken(r.Context())})
}

func orEmpty[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
