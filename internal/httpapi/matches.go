package httpapi

import (
	"net/http"
	"reflect"
	"strconv"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/openapi"
)

func (s *Server) registerMatchRoutes() {
	s.handle("GET", "/api/v1/needs/{id}/matches", s.handleNeedMatches)
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/needs/{id}/matches", OperationID: "needMatches", Tag: "matching",
		Summary: "What a need matches: other organisations' needs, calls, projects and deliverables, experts or networks, ranked, with reasons and strength",
		Params: []openapi.Param{
			{Name: "kind", In: "query", Type: "string", Enum: matching.Kinds, Description: "what to match (default needs)"},
			{Name: "limit", In: "query", Type: "integer", Description: "at most this many (default 10, at most 100)"},
		},
		Response: reflect.TypeFor[matching.Result]()})
	s.handle("GET", "/api/v1/calls/{id}/fits", s.handleCallFits)
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/calls/{id}/fits", OperationID: "callFits", Tag: "matching",
		Summary:  "The needs (that the caller may see, of organisations the call accepts) and the running networks that fit a call, with reasons, as the call's page shows them",
		Response: reflect.TypeFor[matching.CallFit]()})
	s.handleBody("POST", "/api/v1/cpv/suggest", 4*(arena.NeedTitleMax+arena.NeedDescriptionMax)+smallBody, s.handleCPVSuggest)
	s.doc(openapi.Operation{Method: "POST", Path: "/api/v1/cpv/suggest", OperationID: "cpvSuggest", Tag: "matching",
		Summary: "Suggest CPV codes, with Swedish labels and reasons, for a need's text (needs the CPV list loaded); only needs the caller may see vote",
		Request: reflect.TypeFor[CPVSuggestRequest](), Response: reflect.TypeFor[CPVSuggestResponse]()})
}

func (s *Server) matching() (*matching.Service, error) {
	if s.app.Matching == nil {
		return nil, arena.Err(arena.EUNAVAILABLE, "err.matching_off")
	}
	return s.app.Matching, nil
}

func (s *Server) handleNeedMatches(w http.ResponseWriter, r *http.Request) {
	err := func() error {
		m, err := s.matching()
		if err != nil {
			return err
		}
		id, err := pathID(r)
		if err != nil {
			return err
		}
		kind := r.URL.Query().Get("kind")
		if kind == "" {
			kind = matching.KindNeeds
		}
		limit := 10
		if v := r.URL.Query().Get("limit"); v != "" {
			if limit, err = strconv.Atoi(v); err != nil || limit <= 0 {
				return arena.Invalid("limit", "err.positive")
			}
		}
		res, err := m.Matches(r.Context(), id, kind, limit, s.app.Now())
		if err != nil {
			return err
		}
		s.writeJSON(w, r, http.StatusOK, res)
		return nil
	}()
	if err != nil {
		s.WriteError(w, r, err)
	}
}

func (s *Server) handleCallFits(w http.ResponseWriter, r *http.Request) {
	err := func() error {
		m, err := s.matching()
		if err != nil {
			return err
		}
		id, err := pathID(r)
		if err != nil {
			return err
		}
		fit, err := m.CallFits(r.Context(), id, s.app.Now())
		if err != nil {
			return err
		}
		s.writeJSON(w, r, http.StatusOK, fit)
		return nil
	}()
	if err != nil {
		s.WriteError(w, r, err)
	}
}

// CPVSuggestRequest is the text to suggest CPV codes for.
type CPVSuggestRequest struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	OrgID       int64  `json:"org_id,omitempty"` // the asking organisation: its own needs do not vote
	Limit       int    `json:"limit,omitempty"`  // default 5
}

// CPVSuggestResponse holds the suggestions, best first.
type CPVSuggestResponse struct {
	Suggestions []match.CPVSuggestion `json:"suggestions"`
}

func (s *Server) handleCPVSuggest(w http.ResponseWriter, r *http.Request) {
	err := func() error {
		m, err := s.matching()
		if err != nil {
			return err
		}
		var req CPVSuggestRequest
		if _, err := decodeInto(r, &req, nil); err != nil {
			return err
		}
		if req.Title == "" && req.Description == "" {
			return arena.Invalid("title", "err.cpv.need_text")
		}
		if err := arena.CheckNeedText(req.Title, req.Description); err != nil {
			return err
		}
		if req.Limit == 0 {
			req.Limit = 5
		} else if req.Limit < 0 || req.Limit > 20 {
			return arena.Invalid("limit", "err.between", arena.F{"min": 1, "max": 20})
		}
		sug, err := m.SuggestCPV(r.Context(), req.Title, req.Description, req.OrgID, req.Limit)
		if err != nil {
			return err
		}
		s.writeJSON(w, r, http.StatusOK, CPVSuggestResponse{Suggestions: orEmpty(sug)})
		return nil
	}()
	if err != nil {
		s.WriteError(w, r, err)
	}
}
