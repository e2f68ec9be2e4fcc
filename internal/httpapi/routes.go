package httpapi

import (
	"encoding/json"
	"net/http"
	"reflect"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/app"
	"github.com/arena-se/arena/internal/auth"
	"github.com/arena-se/arena/internal/export"
	"github.com/arena-se/arena/internal/openapi"
	"github.com/arena-se/arena/internal/store"
)

func (s *Server) registerRoutes() {
	s.mux.HandleFunc("GET /healthz", s.handleHealthz)
	s.mux.HandleFunc("GET /readyz", s.handleReadyz)
	s.handle("GET", "/api/v1/openapi.json", s.handleOpenAPI)
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/openapi.json", OperationID: "openapi", Summary: "This document", Tag: "meta", Response: reflect.TypeFor[map[string]any]()})
	s.handle("GET", "/api/v1/status", s.handleStatus)
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/status", OperationID: "status", Summary: "Version, database and which reference data is loaded or missing", Tag: "meta", Response: reflect.TypeFor[Status]()})
	s.handleBody("POST", "/api/v1/auth/login", smallBody, s.handleLogin)
	s.doc(openapi.Operation{Method: "POST", Path: "/api/v1/auth/login", OperationID: "login", Summary: "Sign in with e-mail and password; sets the session cookie", Tag: "identity", Request: reflect.TypeFor[LoginRequest](), Response: reflect.TypeFor[Me]()})
	s.handleBody("POST", "/api/v1/auth/logout", smallBody, s.handleLogout)
	s.doc(openapi.Operation{Method: "POST", Path: "/api/v1/auth/logout", OperationID: "logout", Summary: "End the session", Tag: "identity", Status: 204})
	s.handle("GET", "/api/v1/me", s.handleMe)
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/me", OperationID: "me", Summary: "The signed-in user and organisations", Tag: "identity", Response: reflect.TypeFor[Me](), Auth: true})
	s.handleBody("POST", "/api/v1/me/password", smallBody, s.handlePasswordChange)
	s.doc(openapi.Operation{Method: "POST", Path: "/api/v1/me/password", OperationID: "changePassword", Tag: "identity", Auth: true, Status: 204,
		Summary: "Change the signed-in person's password, giving the current one (a wrong one counts as a failed sign-in)", Request: reflect.TypeFor[PasswordChange]()})
	s.handle("GET", "/api/v1/cpv/{code}", s.handleCPV)
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/cpv/{code}", OperationID: "cpv", Summary: "A CPV code with Swedish and English labels (reference data loaded)", Tag: "reference",
		Params: []openapi.Param{{Name: "code", In: "path", Type: "string", Required: true, Description: "8 digits, optionally with check digit"}}, Response: reflect.TypeFor[CPVEntry]()})

	db := s.db
	(&resource[arena.Organization]{s: s, name: "organization", tag: "organisations", path: "organizations", entity: db.Organizations}).register()
	(&resource[arena.User]{s: s, name: "user", tag: "identity", path: "users", entity: db.Users, createFn: s.createUser,
		extra: []string{"password"}}).register()
	(&resource[arena.OrgMembership]{s: s, name: "orgMembership", tag: "identity", path: "org-memberships", entity: db.OrgMemberships}).register()
	(&resource[arena.OrgDomain]{s: s, name: "orgDomain", tag: "identity", path: "org-domains", entity: db.OrgDomains}).register()
	(&resource[arena.Need]{s: s, name: "need", tag: "needs", path: "needs", entity: db.Needs, export: export.Registers["needs"]}).register()
	(&resource[arena.Network]{s: s, name: "network", tag: "networks", path: "networks", entity: db.Networks, createFn: s.createNetwork,
		extra: []string{"from_needs", "join"}, export: export.Registers["networks"]}).register()
	(&resource[arena.NetworkMember]{s: s, name: "networkMember", tag: "networks", path: "network-members", entity: db.NetworkMembers}).register()
	(&resource[arena.NetworkPlan]{s: s, name: "networkPlan", tag: "networks", path: "network-plans", entity: db.NetworkPlans}).register()
	(&resource[arena.Activity]{s: s, name: "activity", tag: "networks", path: "activities", entity: db.Activities}).register()
	(&resource[arena.Deliverable]{s: s, name: "deliverable", tag: "networks", path: "deliverables", entity: db.Deliverables, export: export.Registers["deliverables"]}).register()
	(&resource[arena.MemberProcurement]{s: s, name: "memberProcurement", tag: "follow-through", path: "member-procurements", entity: db.MemberProcurements, export: export.Registers["member-procurements"]}).register()
	(&resource[arena.FundingPeriod]{s: s, name: "fundingPeriod", tag: "funding", path: "funding-periods", entity: db.FundingPeriods}).register()
	(&resource[arena.Funder]{s: s, name: "funder", tag: "funding", path: "funders", entity: db.Funders}).register()
	(&resource[arena.FundingCall]{s: s, name: "call", tag: "funding", path: "calls", entity: db.Calls, export: export.Registers["calls"]}).register()
	(&resource[arena.Project]{s: s, name: "project", tag: "register", path: "projects", entity: db.Projects, export: export.Registers["projects"]}).register()
	(&resource[arena.Expert]{s: s, name: "expert", tag: "register", path: "experts", entity: db.Experts, export: export.Registers["experts"]}).register()
	(&resource[arena.Watch]{s: s, name: "watch", tag: "reach", path: "watches", entity: db.Watches}).register()
	(&resource[arena.Dialogue]{s: s, name: "dialogue", tag: "dialogues", path: "dialogues", entity: db.Dialogues}).register()
	(&resource[arena.DialogueAnswer]{s: s, name: "dialogueAnswer", tag: "dialogues", path: "dialogue-answers", entity: db.DialogueAnswers}).register()
	(&resource[arena.DialogueQuestion]{s: s, name: "dialogueQuestion", tag: "dialogues", path: "dialogue-questions", entity: db.DialogueQuestions}).register()
	(&resource[arena.DialogueRegistration]{s: s, name: "dialogueRegistration", tag: "dialogues", path: "dialogue-registrations", entity: db.DialogueRegistrations}).register()
	s.registerMatchRoutes()
	s.registerNetworkRoutes()
	s.registerReachRoutes()
	s.registerInviteRoutes()
	s.registerFileRoutes()
	s.registerDialogueRoutes()
	s.registerImportRoutes()
	s.registerOCDSRoutes()
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.WriteError(w, r, arena.Err(arena.ENOTFOUND, "err.no_route", arena.F{"method": r.Method, "path": r.URL.Path}))
	})
}

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	s.writeJSON(w, r, http.StatusOK, map[string]string{"status": "ok"})
}

// handleReadyz answers 200 when the database answers; a load balancer
// stops sending traffic to an instance that cannot reach it.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	if err := s.db.Ping(r.Context()); err != nil {
		s.WriteError(w, r, arena.Err(arena.EUNAVAILABLE, "err.database"))
		return
	}
	s.writeJSON(w, r, http.StatusOK, map[string]string{"status": "ready"})
}

// Status is what /api/v1/status tells: version, database and what
// reference data is loaded or missing.
type Status struct {
	Version          string         `json:"version"`
	Database         string         `json:"database"`
	Migration        int64          `json:"migration"`
	Reference        map[string]int `json:"reference"`
	ReferenceMissing []arena.Msg    `json:"reference_missing"`
}

func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	v, err := s.db.MigrationVersion(r.Context())
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	loaded, missing := s.db.ReferenceStatus()
	if missing == nil {
		missing = []arena.Msg{}
	}
	s.writeJSON(w, r, http.StatusOK, Status{Version: s.app.Version, Database: string(s.db.Dialect), Migration: v, Reference: loaded, ReferenceMissing: missing})
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
	ref := s.db.Reference()
	if !ref.HasCPV() {
		s.WriteError(w, r, arena.Err(arena.EUNAVAILABLE, "err.cpv.not_loaded"))
		return
	}
	c, ok := ref.LookupCPV(r.PathValue("code"))
	if !ok {
		s.WriteError(w, r, arena.NotFound("cpv_code"))
		return
	}
	s.writeJSON(w, r, http.StatusOK, CPVEntry{Code: c.Code, WithCheck: c.Code + "-" + c.Check, Level: c.Level, Parent: c.Parent, LabelSV: c.LabelSV, LabelEN: c.LabelEN})
}

// createUser is the user resource's create: with the extra field
// "password", the user and the password's hash are stored in one
// transaction, after the password is checked, so a refused password
// stores nothing.
func (s *Server) createUser(r *http.Request, u *arena.User, extra map[string]json.RawMessage) error {
	raw, ok := extra["password"]
	if !ok {
		return s.db.Users.Create(r.Context(), u)
	}
	// The right first, as the store would: a refused caller learns nothing
	// of the password's rules.
	a, err := arena.RequireActor(r.Context())
	if err != nil {
		return err
	}
	if err := arena.CanChangeUser(a, nil, u); err != nil {
		return err
	}
	var pw string
	if err := json.Unmarshal(raw, &pw); err != nil {
		return arena.Invalid("password", "err.type", arena.F{"type": arena.Term{Key: "json.string"}})
	}
	if err := arena.CheckNewPassword("password", pw); err != nil {
		return err
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	return s.db.InTx(r.Context(), func(tx *store.Tx) error {
		if err := s.db.Users.CreateTx(r.Context(), tx, u); err != nil {
			return err
		}
		return tx.SetPasswordTx(r.Context(), u.ID, hash)
	})
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
		s.WriteError(w, r, err)
		return
	}
	sess, err := s.app.SignIn(r.Context(), req.Email, req.Password)
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	SetSessionCookie(w, sess.Token, s.app.SecureCookies)
	s.writeJSON(w, r, http.StatusOK, Me{User: sess.Actor.User, Organizations: orEmpty(sess.Actor.Orgs), CSRFToken: sess.CSRF})
}

// SetSessionCookie sets the session cookie, for the API's sign-in and the
// sign-in page alike.
func SetSessionCookie(w http.ResponseWriter, token string, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(app.SessionTTL / time.Second)})
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if err := s.SignOut(w, r); err != nil {
		s.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// SignOut ends the request's session and clears its cookie.
func (s *Server) SignOut(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(SessionCookie); err == nil {
		if err := s.app.SignOut(r.Context(), c.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, MaxAge: -1})
	return nil
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	a, err := arena.RequireActor(r.Context())
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, Me{User: a.User, Organizations: orEmpty(a.Orgs), CSRFToken: CSRFToken(r.Context())})
}

func orEmpty[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// PasswordChange is a new password with the current one.
type PasswordChange struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

func (s *Server) handlePasswordChange(w http.ResponseWriter, r *http.Request) {
	err := func() error {
		if _, err := arena.RequireActor(r.Context()); err != nil {
			return err
		}
		var req PasswordChange
		if _, err := decodeInto(r, &req, nil); err != nil {
			return err
		}
		return s.app.ChangePassword(r.Context(), req.CurrentPassword, req.NewPassword)
	}()
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
