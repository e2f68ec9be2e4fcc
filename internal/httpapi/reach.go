package httpapi

import (
	"context"
	"net/http"
	"reflect"
	"strconv"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/openapi"
	"github.com/arena-se/arena/internal/reach"
)

// NotificationList is one page of the caller's inbox.
type NotificationList struct {
	Items  []arena.Notification `json:"items"`
	Unread int                  `json:"unread"`
	Next   int64                `json:"next_before,omitempty"` // give as before= for older ones; 0 at the end
}

// ReadRequest names the notifications to mark read; none marks all.
type ReadRequest struct {
	IDs []int64 `json:"ids,omitempty"`
}

// NotificationSettings are how the caller hears of each kind by e-mail,
// and in which language.
type NotificationSettings struct {
	Modes map[string]string `json:"modes"` // kind → immediate, daily, weekly or off
	Lang  string            `json:"lang"`
}

func (s *Server) registerReachRoutes() {
	s.handle("GET", "/api/v1/notifications", s.handleNotifications)
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/notifications", OperationID: "notifications", Tag: "reach", Auth: true,
		Summary:  "The caller's notifications, newest first, with the unread count; one about a need the caller may no longer see is left out",
		Params:   []openapi.Param{{Name: "before", In: "query", Type: "integer", Description: "list those older than this id"}, {Name: "limit", In: "query", Type: "integer"}},
		Response: reflect.TypeFor[NotificationList]()})
	s.handleBody("POST", "/api/v1/notifications/read", smallBody, s.handleNotificationsRead)
	s.doc(openapi.Operation{Method: "POST", Path: "/api/v1/notifications/read", OperationID: "notificationsRead", Tag: "reach", Auth: true,
		Summary: "Mark the caller's notifications read: those named, or all", Request: reflect.TypeFor[ReadRequest](), Status: 204})
	s.handle("GET", "/api/v1/notification-settings", s.handleNotificationSettings)
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/notification-settings", OperationID: "notificationSettings", Tag: "reach", Auth: true,
		Summary: "How the caller hears of each kind of notification by e-mail", Response: reflect.TypeFor[NotificationSettings]()})
	s.handleBody("PUT", "/api/v1/notification-settings", smallBody, s.handleNotificationSettingsSave)
	s.doc(openapi.Operation{Method: "PUT", Path: "/api/v1/notification-settings", OperationID: "notificationSettingsSave", Tag: "reach", Auth: true,
		Summary: "Choose per kind: immediate, daily or weekly digest, or off (the inbox only); and the language of e-mail",
		Request: reflect.TypeFor[NotificationSettings](), Response: reflect.TypeFor[NotificationSettings]()})
	s.handleBody("POST", "/api/v1/calendar-feed", smallBody, s.handleCalendarFeed)
	s.doc(openapi.Operation{Method: "POST", Path: "/api/v1/calendar-feed", OperationID: "calendarFeed", Tag: "reach", Auth: true, Status: 201,
		Summary:  "A new secret address of the caller's iCalendar feed (calls' last days, planned procurements, network activities); the old address stops working",
		Response: reflect.TypeFor[CalendarFeed]()})
}

// CalendarFeed is the secret address of a person's calendar.
type CalendarFeed struct {
	URL string `json:"url"`
}

func (s *Server) handleCalendarFeed(w http.ResponseWriter, r *http.Request) {
	u, err := s.app.Reach.NewCalendarFeed(r.Context())
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusCreated, CalendarFeed{URL: u})
}

func (s *Server) handleNotifications(w http.ResponseWriter, r *http.Request) {
	err := func() error {
		if _, err := arena.RequireActor(r.Context()); err != nil {
			return err
		}
		q := r.URL.Query()
		var before int64
		limit := reach.InboxPage
		if v := q.Get("before"); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				return arena.Invalid("before", "err.id", arena.F{"value": v})
			}
			before = n
		}
		if v := q.Get("limit"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > reach.InboxPage {
				return arena.Invalid("limit", "err.limit", arena.F{"max": reach.InboxPage})
			}
			limit = n
		}
		notes, unread, err := s.app.Reach.Inbox(r.Context(), before, limit)
		if err != nil {
			return err
		}
		out := NotificationList{Items: notes, Unread: unread}
		if out.Items == nil {
			out.Items = []arena.Notification{}
		}
		if len(notes) == limit {
			out.Next = notes[len(notes)-1].ID
		}
		s.writeJSON(w, r, http.StatusOK, out)
		return nil
	}()
	if err != nil {
		s.WriteError(w, r, err)
	}
}

func (s *Server) handleNotificationsRead(w http.ResponseWriter, r *http.Request) {
	err := func() error {
		if _, err := arena.RequireActor(r.Context()); err != nil {
			return err
		}
		var req ReadRequest
		if _, err := decodeInto(r, &req, nil); err != nil {
			return err
		}
		if len(req.IDs) > 1000 {
			return arena.Invalid("ids", "err.limit", arena.F{"max": 1000})
		}
		return s.app.Reach.MarkRead(r.Context(), req.IDs)
	}()
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) settingsOut(w http.ResponseWriter, r *http.Request) error {
	st, err := s.app.Reach.Settings(r.Context())
	if err != nil {
		return err
	}
	out := NotificationSettings{Modes: map[string]string{}, Lang: st.Lang}
	for k, m := range st.Modes {
		out.Modes[string(k)] = string(m)
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

func (s *Server) handleNotificationSettings(w http.ResponseWriter, r *http.Request) {
	if err := s.settingsOut(w, r); err != nil {
		s.WriteError(w, r, err)
	}
}

func (s *Server) handleNotificationSettingsSave(w http.ResponseWriter, r *http.Request) {
	err := func() error {
		if _, err := arena.RequireActor(r.Context()); err != nil {
			return err
		}
		var req NotificationSettings
		if _, err := decodeInto(r, &req, nil); err != nil {
			return err
		}
		if err := s.app.Reach.SaveSettings(r.Context(), req.Modes, req.Lang); err != nil {
			return err
		}
		return s.settingsOut(w, r)
	}()
	if err != nil {
		s.WriteError(w, r, err)
	}
}

// EmailInviteRequest sends an invitation by e-mail.
type EmailInviteRequest struct {
	Email string `json:"email"`
	Lang  string `json:"lang,omitempty"` // sv (default) or en
}

// EmailInviteList is the invitations by e-mail in a network.
type EmailInviteList struct {
	Items []*arena.EmailInvite `json:"items"`
}

func (s *Server) registerInviteRoutes() {
	s.handleBody("POST", "/api/v1/network-members/{id}/email-invites", smallBody, inviteCreate(s, func(id int64, req EmailInviteRequest) *arena.EmailInvite {
		return &arena.EmailInvite{MemberID: id, Email: req.Email, Lang: req.Lang}
	}))
	s.doc(openapi.Operation{Method: "POST", Path: "/api/v1/network-members/{id}/email-invites", OperationID: "emailInvite", Tag: "networks", Auth: true, Status: 201,
		Summary: "Send an invitation that waits for its answer by e-mail, with a sign-up link, when the invited organisation has no admin in Arena (those who run the network)",
		Request: reflect.TypeFor[EmailInviteRequest](), Response: reflect.TypeFor[arena.EmailInvite]()})
	s.handle("GET", "/api/v1/networks/{id}/email-invites", s.inviteList(func(ctx context.Context, id int64) ([]*arena.EmailInvite, error) {
		ns, err := s.app.DB.NetworkState(ctx, id)
		if err != nil {
			return nil, err
		}
		return s.app.DB.EmailInvitesOf(ctx, ns)
	}))
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/networks/{id}/email-invites", OperationID: "emailInvites", Tag: "networks", Auth: true,
		Summary: "The invitations by e-mail in a network, newest first (those who run it; others get none)", Response: reflect.TypeFor[EmailInviteList]()})
	s.handleBody("POST", "/api/v1/organizations/{id}/email-invites", smallBody, inviteCreate(s, func(id int64, req ColleagueInviteRequest) *arena.EmailInvite {
		return &arena.EmailInvite{OrgID: id, Email: req.Email, Role: req.Role, Lang: req.Lang}
	}))
	s.doc(openapi.Operation{Method: "POST", Path: "/api/v1/organizations/{id}/email-invites", OperationID: "colleagueInvite", Tag: "identity", Auth: true, Status: 201,
		Summary: "Invite a colleague by e-mail to join the organisation with a role (its admins, brokers); whoever follows the sign-up link joins at once",
		Request: reflect.TypeFor[ColleagueInviteRequest](), Response: reflect.TypeFor[arena.EmailInvite]()})
	s.handle("GET", "/api/v1/organizations/{id}/email-invites", s.inviteList(func(ctx context.Context, id int64) ([]*arena.EmailInvite, error) {
		if _, err := s.app.DB.Organizations.Get(ctx, id); err != nil {
			return nil, err
		}
		return s.app.DB.ColleagueInvitesOf(ctx, id)
	}))
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/organizations/{id}/email-invites", OperationID: "colleagueInvites", Tag: "identity", Auth: true,
		Summary: "An organisation's invitations of colleagues by e-mail, newest first (its admins, brokers; others get none)", Response: reflect.TypeFor[EmailInviteList]()})
}

// ColleagueInviteRequest is an invitation of a colleague by e-mail.
type ColleagueInviteRequest struct {
	Email string        `json:"email"`
	Role  arena.OrgRole `json:"role,omitempty"` // member when not given
	Lang  string        `json:"lang,omitempty"` // of the e-mail: sv (default) or en
}

// inviteCreate answers a POST of an invitation by e-mail: the body R
// decoded as the API does, the invitation built from it and the path's
// id (build), and written by the store's rules.
func inviteCreate[R any](s *Server, build func(id int64, req R) *arena.EmailInvite) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := func() error {
			id, err := pathID(r)
			if err != nil {
				return err
			}
			if _, err := arena.RequireActor(r.Context()); err != nil {
				return err
			}
			var req R
			if _, err := decodeInto(r, &req, nil); err != nil {
				return err
			}
			inv := build(id, req)
			if err := s.app.DB.CreateEmailInvite(r.Context(), inv); err != nil {
				return err
			}
			s.writeJSON(w, r, http.StatusCreated, inv)
			return nil
		}()
		if err != nil {
			s.WriteError(w, r, err)
		}
	}
}

// inviteList answers a GET of the invitations by e-mail of the path's
// network or organisation, as read reads them for the caller.
func (s *Server) inviteList(read func(ctx context.Context, id int64) ([]*arena.EmailInvite, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := func() error {
			id, err := pathID(r)
			if err != nil {
				return err
			}
			if _, err := arena.RequireActor(r.Context()); err != nil {
				return err
			}
			items, err := read(r.Context(), id)
			if err != nil {
				return err
			}
			if items == nil {
				items = []*arena.EmailInvite{}
			}
			s.writeJSON(w, r, http.StatusOK, EmailInviteList{Items: items})
			return nil
		}()
		if err != nil {
			s.WriteError(w, r, err)
		}
	}
}
