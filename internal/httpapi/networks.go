package httpapi

import (
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strconv"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/export"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/networks"
	"github.com/arena-se/arena/internal/openapi"
	"github.com/arena-se/arena/internal/store"
)

// createNetwork is the network resource's create: with from_needs it forms
// a tactical network around those needs and invites their organisations;
// with join true the owner organisation joins it at once (its admins).
func (s *Server) createNetwork(r *http.Request, n *arena.Network, extra map[string]json.RawMessage) error {
	// The right first, as the store would: anonymous is told to sign in.
	if _, err := arena.RequireActor(r.Context()); err != nil {
		return err
	}
	raw, ok := extra["from_needs"]
	if !ok {
		join := false
		if j, ok := extra["join"]; ok {
			if err := json.Unmarshal(j, &join); err != nil {
				return arena.Invalid("join", "err.type", arena.F{"type": arena.Term{Key: "json.boolean"}})
			}
		}
		return s.app.Networks.Start(r.Context(), n, join)
	}
	var ids []int64
	if err := json.Unmarshal(raw, &ids); err != nil {
		return arena.Invalid("from_needs", "err.type", arena.F{"type": arena.Term{Key: "json.id_list"}})
	}
	_, err := s.app.Networks.FromNeeds(r.Context(), n, ids)
	return err
}

func (s *Server) registerNetworkRoutes() {
	for _, action := range []string{arena.ActionAccept, arena.ActionDecline, arena.ActionLeave, arena.ActionApprove, arena.ActionReject} {
		s.handleBody("POST", "/api/v1/network-members/{id}/"+action, smallBody, s.handleMemberRespond(action))
		s.doc(openapi.Operation{Method: "POST", Path: "/api/v1/network-members/{id}/" + action, OperationID: action + "Membership", Tag: "networks",
			Summary: map[string]string{"accept": "Accept an invitation to a network (the organisation's admins); If-Match optional", "decline": "Decline an invitation (the organisation's admins)", "leave": "Leave a network (the organisation's admins); the member's need leaves the totals",
				"approve": "Approve an organisation's request to join an open network (those who run it); it becomes an active member", "reject": "Decline an organisation's request to join (those who run it)"}[action],
			Response: reflect.TypeFor[arena.NetworkMember](), Auth: true})
	}
	s.handle("GET", "/api/v1/networks/{id}/overview", s.handleNetworkOverview)
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/networks/{id}/overview", OperationID: "networkOverview", Tag: "networks",
		Summary:  "A network with members, joint purchasing power and timeline, plan, activities, deliverables, procurements, classification, prerequisite gaps, alerts and funnel",
		Response: reflect.TypeFor[networks.Overview]()})
	s.handleBody("POST", "/api/v1/networks/{id}/close", smallBody, s.handleNetworkClose)
	s.doc(openapi.Operation{Method: "POST", Path: "/api/v1/networks/{id}/close", OperationID: "closeNetwork", Tag: "networks",
		Summary: "Close a tactical network whose member procurements are done, or by the members' decision (the owner or coordinator says so, or every active member has recorded close_consent); it becomes read-only; If-Match optional",
		Request: reflect.TypeFor[CloseRequest](), Response: reflect.TypeFor[arena.Network](), Auth: true})
	s.handleBody("POST", "/api/v1/member-procurements/{id}/advance", smallBody, s.handleAdvance)
	s.doc(openapi.Operation{Method: "POST", Path: "/api/v1/member-procurements/{id}/advance", OperationID: "advanceProcurement", Tag: "follow-through",
		Summary: "Move a member procurement to its next stage (planned → announced → awarded → implemented → evaluated, or withdrawn)",
		Request: reflect.TypeFor[AdvanceRequest](), Response: reflect.TypeFor[arena.MemberProcurement](), Auth: true})
	s.handle("GET", "/api/v1/funnel", s.handleFunnel)
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/funnel", OperationID: "funnel", Tag: "follow-through",
		Summary: "The overall funnel: needs → networks → deliverables → procurements by stage → implemented", Response: reflect.TypeFor[arena.Funnel](),
		Params: []openapi.Param{formatParam}})
	s.handle("GET", "/api/v1/networks/{id}/funnel", s.handleNetworkFunnel)
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/networks/{id}/funnel", OperationID: "networkFunnel", Tag: "follow-through",
		Summary: "A network's funnel, as its overview has it: its needs → deliverables → members' procurements by stage → implemented", Response: reflect.TypeFor[arena.Funnel](),
		Params: []openapi.Param{formatParam}})
	s.handle("GET", "/api/v1/alerts", s.handleAlerts)
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/alerts", OperationID: "alerts", Tag: "networks",
		Summary: "Health alerts of the networks the caller is an insider of (all for brokers), as the daily job last computed them",
		Params: []openapi.Param{{Name: "network_id", In: "query", Type: "integer"}, {Name: "org_id", In: "query", Type: "integer"},
			{Name: "kind", In: "query", Type: "string", Enum: arena.AlertKinds}},
		Response: reflect.TypeFor[AlertList]()})
	s.handleBody("POST", "/api/v1/alerts/refresh", smallBody, s.handleAlertsRefresh)
	s.doc(openapi.Operation{Method: "POST", Path: "/api/v1/alerts/refresh", OperationID: "refreshAlerts", Tag: "networks",
		Summary: "Recompute the alerts now (brokers)", Response: reflect.TypeFor[AlertList](), Auth: true})
	s.handle("GET", "/api/v1/broker/latent-networks", s.handleLatentNetworks)
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/broker/latent-networks", OperationID: "latentNetworks", Tag: "broker",
		Summary:  "Latent networks: groups of published needs of different organisations that match each other strongly and are in no network yet (brokers), as the broker's page shows them",
		Response: reflect.TypeFor[LatentList](), Auth: true})
}

func (s *Server) handleMemberRespond(action string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := func() error {
			id, err := pathID(r)
			if err != nil {
				return err
			}
			version, err := optionalIfMatch(r)
			if err != nil {
				return err
			}
			m, err := s.app.Networks.Act(r.Context(), id, action, version)
			if err != nil {
				return err
			}
			w.Header().Set("ETag", etag(m.Version))
			s.writeJSON(w, r, http.StatusOK, m)
			return nil
		}()
		if err != nil {
			s.WriteError(w, r, err)
		}
	}
}

// optionalIfMatch reads If-Match when it is given; 0 means the current
// version (an action that checks its own state).
func optionalIfMatch(r *http.Request) (int64, error) {
	if r.Header.Get("If-Match") == "" {
		return 0, nil
	}
	return ifMatch(r)
}

func (s *Server) handleNetworkOverview(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		var o *networks.Overview
		if o, err = s.app.Networks.Overview(r.Context(), id); err == nil {
			s.writeJSON(w, r, http.StatusOK, o)
			return
		}
	}
	s.WriteError(w, r, err)
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
		version, err := optionalIfMatch(r)
		if err != nil {
			return err
		}
		n, err := s.app.Networks.Close(r.Context(), id, req.MembersDecided, version)
		if err != nil {
			return err
		}
		w.Header().Set("ETag", etag(n.Version))
		s.writeJSON(w, r, http.StatusOK, n)
		return nil
	}()
	if err != nil {
		s.WriteError(w, r, err)
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
			return arena.Invalid("date", "err.procurement.stage_date", arena.F{"stage": req.Stage.Term()})
		}
		version, err := optionalIfMatch(r)
		if err != nil {
			return err
		}
		p, err := s.app.Networks.Advance(r.Context(), id, req.Stage, *req.Date, req.Reason, version)
		if err != nil {
			return err
		}
		w.Header().Set("ETag", etag(p.Version))
		s.writeJSON(w, r, http.StatusOK, p)
		return nil
	}()
	if err != nil {
		s.WriteError(w, r, err)
	}
}

func (s *Server) handleFunnel(w http.ResponseWriter, r *http.Request) {
	f, err := s.app.Networks.Funnel(r.Context())
	s.writeFunnel(w, r, f, err)
}

func (s *Server) handleNetworkFunnel(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	var o *networks.Overview
	if err == nil {
		o, err = s.app.Networks.Overview(r.Context(), id)
	}
	var f arena.Funnel
	if err == nil {
		f = o.Funnel
	}
	s.writeFunnel(w, r, f, err)
}

// writeFunnel answers with a funnel, as JSON or, asked for CSV or XLSX,
// as a table (see exportFormat).
func (s *Server) writeFunnel(w http.ResponseWriter, r *http.Request, f arena.Funnel, err error) {
	w.Header().Add("Vary", "Accept")
	var format string
	if err == nil {
		format, err = exportFormat(r)
	}
	switch {
	case err != nil:
		s.WriteError(w, r, err)
	case format != "":
		if err := ServeTable(w, r, s.app.Limits, format, export.FileName(export.FunnelFile, s.app.Now()), func() (*export.Table, error) {
			return export.Funnel(f, s.app.Texts.For(apiLang(r))), nil
		}); err != nil {
			s.WriteError(w, r, err)
		}
	default:
		s.writeJSON(w, r, http.StatusOK, f)
	}
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
					return arena.Invalid(name, "err.id", arena.F{"value": v})
				}
				*dst = n
			}
		}
		f.Kind = q.Get("kind")
		if f.Kind != "" && !slices.Contains(arena.AlertKinds, f.Kind) {
			return arena.Invalid("kind", "err.choice", arena.F{"value": f.Kind, "choices": arena.Choices(arena.AlertKinds)})
		}
		alerts, err := s.db.Alerts(r.Context(), f)
		if err != nil {
			return err
		}
		s.writeJSON(w, r, http.StatusOK, AlertList{Items: alerts})
		return nil
	}()
	if err != nil {
		s.WriteError(w, r, err)
	}
}

func (s *Server) handleAlertsRefresh(w http.ResponseWriter, r *http.Request) {
	err := func() error {
		if err := arena.CanUseBrokerView(arena.ActorFrom(r.Context())); err != nil {
			return err
		}
		if _, err := s.app.Networks.RefreshAlerts(r.Context()); err != nil {
			return err
		}
		alerts, err := s.db.Alerts(r.Context(), store.AlertFilter{})
		if err != nil {
			return err
		}
		s.writeJSON(w, r, http.StatusOK, AlertList{Items: alerts})
		return nil
	}()
	if err != nil {
		s.WriteError(w, r, err)
	}
}

// LatentList holds latent networks.
type LatentList struct {
	Items []matching.LatentGroup `json:"items"`
}

func (s *Server) handleLatentNetworks(w http.ResponseWriter, r *http.Request) {
	err := func() error {
		if s.app.Matching == nil {
			return arena.Err(arena.EUNAVAILABLE, "err.matching_off")
		}
		groups, err := s.app.Matching.LatentNetworks(r.Context(), s.app.Now())
		if err != nil {
			return err
		}
		s.writeJSON(w, r, http.StatusOK, LatentList{Items: orEmpty(groups)})
		return nil
	}()
	if err != nil {
		s.WriteError(w, r, err)
	}
}
