package httpapi

import (
	"net/http"
	"reflect"
	"strconv"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/openapi"
)

func (s *Server) registerMatchRoutes() {
	s.handle("GET", "/api/v1/needs/{id}/matches", s.handleNeedMatches)
	s.doc(openapi.Operation{Method: "GET", Path: "/api/v1/needs/{id}/matches", OperationID: "needMatches", Tag: "matching",
		Summary: "What a need matches: other organisations' needs, calls, projects and deliverables, experts or networks, ranked, with reasons",
		Params: []openapi.Param{
			{Name: "kind", In: "query", Type: "string", Enum: matching.Kinds, Description: "what to match (default needs)"},
			{Name: "limit", In: "query", Type: "integer", Description: "at most this many (default 10, at most 100)"},
		},
		Response: reflect.TypeFor[matching.Result]()})
	s.handle("POST", "/api/v1/cpv/suggest", s.handleCPVSuggest)
	s.doc(openapi.Operation{Method: "POST", Path: "/api/v1/cpv/suggest", OperationID: "cpvSuggest", Tag: "matching",
		Summary: "Suggest CPV codes, with Swedish labels, for a need's text (needs the CPV list loaded)",
		Request: reflect.TypeFor[CPVSuggestRequest](), Response: reflect.TypeFor[CPVSuggestResponse]()})
}

func (s *Server) handleNeedMatches(w http.ResponseWriter, r *http.Request) {
	err := func() error {
		if s.Matching == nil {
			return arena.Errorf(arena.EUNAVAILABLE, "matching is not running on this instance")
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
				return arena.Invalid("limit", "limit must be a positive number")
			}
		}
		res, err := s.Matching.Matches(r.Context(), id, kind, limit, s.now())
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, res)
		return nil
	}()
	if err != nil {
		s.writeError(w, r, err)
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
		if s.Matching == nil {
			return arena.Errorf(arena.EUNAVAILABLE, "matching is not running on this instance")
		}
		var req CPVSuggestRequest
		if _, err := decodeInto(r, &req, nil); err != nil {
			return err
		}
		if req.Title == "" && req.Description == "" {
			return arena.Invalid("title", "give a title or a description to suggest codes for")
		}
		if req.Limit == 0 {
			req.Limit = 5
		} else if req.Limit < 0 || req.Limit > 20 {
			return arena.Invalid("limit", "limit must be between 1 and 20")
		}
		sug, err := s.Matching.SuggestCPV(r.Context(), req.Title, req.Description, req.OrgID, req.Limit)
		if err != nil {
			return err
		}
		if sug == nil {
			sug = []match.CPVSuggestion{}
		}
		writeJSON(w, http.StatusOK, CPVSuggestResponse{Suggestions: sug})
		return nil
	}()
	if err != nil {
		s.writeError(w, r, err)
	}
}

// now is the server's clock.
func (s *Server) now() time.Time {
	if s.DB.Now != nil {
		return s.DB.Now()
	}
	return time.Now()
}

// afterWrite brings this instance's derived indexes up to date at once, so
// a need just written is matchable in the next request.
func (s *Server) afterWrite(r *http.Request) {
	if s.Matching == nil {
		return
	}
	if err := s.Matching.Sync(r.Context()); err != nil {
		s.Log.WarnContext(r.Context(), "match index sync after write", "err", err)
	}
}
