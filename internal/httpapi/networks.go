package httpapi

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/networks"
	"github.com/arena-se/arena/internal/openapi"
	"github.com/arena-se/arena/internal/store"
)

// createNetwork is the network resource's create: with from_needs it forms
// a tactical network around those needs and invites their organisations.
func (s *Server) createNetwork(r *http.Request, n *arena.Network, extra map[string]json.RawMessage) error {
	raw, ok := extra["from_needs"]
	if !ok {
		return s.DB.Networks.Create(r.Context(), n)
	}
	var ids []int64
	if err := json.Unmarshal(raw, &ids); err != nil {
		return arena.Invalid("from_needs", "from_needs is a list of need ids")
	}
	if s.Networks == nil {
		return arena.Errorf(arena.EUNAVAILABLE, "network service not running")
	}
	_, err := s.Networks.FromNeeds(r.Context(), n, ids)
	return err
}

func (s *Server) registerNetworkRoutes() {
	for _, action := range []string{"accept", "decline", "leave"} {
		s.handle("POST", "/api/v1/network-members/{id}/"+action, s.handleMemberRespond(action))
		s.doc(openapi.Operation{Method: "POST", Path: "/api/v1/network-members/{id}/" + action, OperationID: action + "Membership", Tag: "networks",
			Summary:  map[string]string{"accept": "Accept an invitation to a network", "decline": "Decline an invitation", "leave": "Leave a network; the member's need leaves the totals"}[action],
			Response: reflect.TypeFor[arena.NetworkMember](), Auth: true})
	}
	s.handle("GET", "/api/v1/networks/{id}/overview", s.handleNetworkOverview)
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/networks/{id}/overview", OperationID: "networkOverview", Tag: "networks",
		Summary:  "A network with members, joint purchasing power and timeline, plan, activities, deliverables, procurements, classification, prerequisite gaps, alerts and funnel",
		Response: reflect.TypeFor[networks.Overview]()})
	s.handle("POST", "/api/v1/networks/{id}/close", s.handleNetworkClose)
	s.doc(openapi.Operation{Method: "POST", Path: "/api/v1/networks/{id}/close", OperationID: "closeNetwork", Tag: "networks",
		Summary: "Close a tactical network whose member procurements are done, or by the members' decision; it becomes read-only",
		Request: reflect.TypeFor[CloseRequest](), Response: reflect.TypeFor[arena.Network](), Auth: true})
	s.handle("POST", "/api/v1/member-procurements/{id}/advance", s.handleAdvance)
	s.doc(openapi.Operation{Method: "POST", Path: "/api/v1/member-procurements/{id}/advance", OperationID: "advanceProcurement", Tag: "follow-through",
		Summary: "Move a member procurement to its next stage (planned → announced → awarded → implemented → evaluated, or withdrawn)",
		Request: reflect.TypeFor[AdvanceRequest](), Response: reflect.TypeFor[arena.MemberProcurement](), Auth: true})
	s.handle("GET", "/api/v1/funnel", s.handleFunnel)
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/funnel", OperationID: "funnel", Tag: "follow-through",
		Summary: "The overall funnel: needs → networks → deliverables → procurements by stage → implemented", Response: reflect.TypeFor[arena.Funnel]()})
	s.handle("GET", "/api/v1/alerts", s.handleAlerts)
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/alerts", OperationID: "alerts", Tag: "networks",
		Summary: "Health alerts of networks, as the daily job last computed them",
		Params: []openapi.Param{{Name: "network_id", In: "query", Type: "integer"}, {Name: "org_id", In: "query", Type: "integer"},
			{Name: "kind", In: "query", Type: "string", Enum: []string{"funding_ends_soon", "funding_ended", "inactive", "members_without_mandate", "call_deadline"}}},
		Response: reflect.TypeFor[AlertList]()})
	s.handle("POST", "/api/v1/alerts/refresh", s.handleAlertsRefresh)
	s.doc(openapi.Operation{Method: "POST", Path: "/api/v1/alerts/refresh", OperationID: "refreshAlerts", Tag: "networks",
		Summary: "Recompute the alerts now (brokers)", Response: reflect.TypeFor[AlertList](), Auth: true})
}

func (s *Server) handleMemberRespond(action string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err == nil {
			var m *arena.NetworkMember
			if m, err = s.Networks.Respond(r.Context(), id, action); err == nil {
				s.afterWrite(r)
				w.Header().Set("ETag", etag(m.Version))
				writeJSON(w, http.StatusOK, m)
				return
			}
		}
		s.writeError(w, r, err)
	}
}

func (s *Server) handleNetworkOverview(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		var o *networks.Overview
		if o, err = s.Networks.Overview(r.Context(), id); err == nil {
			writeJSON(w, http.StatusOK, o)
			return
		}
	}
	s.writeError(w, r, err)
}

// CloseRequest closes a network.
type CloseRequest struct {
	MembersDecided bool `json:"members_decided"` // the members decided to close it before every procurement is done
}

func (s *Server) handleNetworkClose(w http.ResponseWriter, r *http.Request) {
	err := func() error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		var req CloseRequest
		if r.ContentLength != 0 {
			if _, err := decodeInto(r, &req, nil); err != nil {
				return err
			}
		}
		n, err := s.Networks.Close(r.Context(), id, req.MembersDecided)
		if err != nil {
			return err
		}
		s.afterWrite(r)
		w.Header().Set("ETag", etag(n.Version))
		writeJSON(w, http.StatusOK, n)
		return nil
	}()
	if err != nil {
		s.writeError(w, r, err)
	}
}

// AdvanceRequest moves a member procurement to a stage.
type AdvanceRequest struct {
	Stage  arena.ProcurementStage `json:"stage"`
	Date   *arena.Date            `json:"date"`
	Reason string                 `json:"reason,omitempty"` // why, when withdrawn
}

func (s *Server) handleAdvance(w http.ResponseWriter, r *http.Request) {
	err := func() error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		var req AdvanceRequest
		if _, err := decodeInto(r, &req, nil); err != nil {
			return err
		}
		if req.Date == nil {
			return arena.Invalid("date", "give the date the stage was reached")
		}
		var version int64
		if r.Header.Get("If-Match") != "" {
			if version, err = ifMatch(r); err != nil {
				return err
			}
		}
		p, err := s.Networks.Advance(r.Context(), id, req.Stage, *req.Date, req.Reason, version)
		if err != nil {
			return err
		}
		s.afterWrite(r)
		w.Header().Set("ETag", etag(p.Version))
		writeJSON(w, http.StatusOK, p)
		return nil
	}()
	if err != nil {
		s.writeError(w, r, err)
	}
}

func (s *Server) handleFunnel(w http.ResponseWriter, r *http.Request) {
	f, err := s.Networks.Funnel(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, f)
}

// AlertList holds alerts.
type AlertList struct {
	Items []arena.Alert `json:"items"`
}

func (s *Server) handleAlerts(w http.ResponseWriter, r *http.Request) {
	err := func() error {
		var f store.AlertFilter
		q := r.URL.Query()
		for name, dst := range map[string]*int64{"network_id": &f.NetworkID, "org_id": &f.OrgID} {
			if v := q.Get(name); v != "" {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil || n <= 0 {
					return arena.Invalid(name, "%s must be an id", name)
				}
				*dst = n
			}
		}
		f.Kind = q.Get("kind")
		switch f.Kind {
		case "", "funding_ends_soon", "funding_ended", "inactive", "members_without_mandate", "call_deadline":
		default:
			return arena.Invalid("kind", "unknown alert kind %q", f.Kind)
		}
		alerts, err := s.DB.Alerts(r.Context(), f)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, AlertList{Items: alerts})
		return nil
	}()
	if err != nil {
		s.writeError(w, r, err)
	}
}

func (s *Server) handleAlertsRefresh(w http.ResponseWriter, r *http.Request) {
	err := func() error {
		a, err := arena.RequireActor(r.Context())
		if err != nil {
			return err
		}
		if !a.Has(arena.RoleBroker) {
			return arena.Errorf(arena.EFORBIDDEN, "brokers refresh the alerts")
		}
		if _, err := s.Networks.RefreshAlerts(r.Context()); err != nil {
			return err
		}
		alerts, err := s.DB.Alerts(r.Context(), store.AlertFilter{})
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, AlertList{Items: alerts})
		return nil
	}()
	if err != nil {
		s.writeError(w, r, err)
	}
}
