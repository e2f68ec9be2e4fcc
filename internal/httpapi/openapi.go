package httpapi

import (
	"net/http"
	"reflect"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/openapi"
	"github.com/arena-se/arena/internal/store"
)

// doc records the documentation of one operation. Handlers are registered
// with handle; TestOpenAPIMatchesRoutes holds the two lists together.
func (s *Server) doc(op openapi.Operation) { s.ops = append(s.ops, op) }

// docResource documents the five operations of a resource; a list that
// exports takes format.
func docResource[T any](s *Server, path, name, tag string, filters []string, exports bool) {
	base := "/api/v1/" + path
	t := reflect.TypeFor[T]()
	params := []openapi.Param{
		{Name: "limit", In: "query", Type: "integer", Description: "page size, at most 500 (default 50)"},
		{Name: "after", In: "query", Type: "integer", Description: "the next_after of the previous page"},
	}
	for _, f := range filters {
		params = append(params, openapi.Param{Name: f, In: "query", Type: "string", Description: "filter"})
	}
	if exports {
		params = append(params, formatParam)
	}
	title := strings.ToUpper(name[:1]) + name[1:]
	s.doc(openapi.Operation{Method: "GET", Path: base, OperationID: "list" + title, Summary: "List " + path, Tag: tag, Params: params, Response: reflect.TypeFor[store.Page[T]](), Status: 200})
	s.doc(openapi.Operation{Method: "POST", Path: base, OperationID: "create" + title, Summary: "Create a " + name, Tag: tag, Request: t, Response: t, Status: 201, Auth: true, ETag: true})
	s.doc(openapi.Operation{Method: "GET", Path: base + "/{id}", OperationID: "get" + title, Summary: "Read a " + name, Tag: tag, Response: t, Status: 200, ETag: true})
	s.doc(openapi.Operation{Method: "PATCH", Path: base + "/{id}", OperationID: "update" + title, Summary: "Change fields of a " + name + " (JSON merge); needs If-Match", Tag: tag, Request: t, Response: t, Status: 200, Auth: true, ETag: true})
	s.doc(openapi.Operation{Method: "DELETE", Path: base + "/{id}", OperationID: "delete" + title, Summary: "Delete a " + name + "; needs If-Match", Tag: tag, Status: 204, Auth: true, ETag: true})
}

// enums lists every named string type of the domain with its values.
var enums = openapi.Enums{
	reflect.TypeFor[arena.OrgKind]():           arena.Codes(arena.OrgKinds),
	reflect.TypeFor[arena.OrgRole]():           arena.Codes(arena.OrgRoles),
	reflect.TypeFor[arena.OrgMemberStatus]():   arena.Codes(arena.OrgMemberStatuses),
	reflect.TypeFor[arena.PlatformRole]():      arena.Codes(arena.PlatformRoles),
	reflect.TypeFor[arena.Intent]():            arena.Codes(arena.Intents),
	reflect.TypeFor[arena.Visibility]():        arena.Codes(arena.Visibilities),
	reflect.TypeFor[arena.NetworkKind]():       arena.Codes(arena.NetworkKinds),
	reflect.TypeFor[arena.NetworkStatus]():     arena.Codes(arena.NetworkStatuses),
	reflect.TypeFor[arena.MemberRole]():        arena.Codes(arena.MemberRoles),
	reflect.TypeFor[arena.MemberTier]():        arena.Codes(arena.MemberTiers),
	reflect.TypeFor[arena.MemberStatus]():      arena.Codes(arena.MemberStatuses),
	reflect.TypeFor[arena.ActivityKind]():      arena.Codes(arena.ActivityKinds),
	reflect.TypeFor[arena.ActivityStatus]():    arena.Codes(arena.ActivityStatuses),
	reflect.TypeFor[arena.DeliverableKind]():   arena.Codes(arena.DeliverableKinds),
	reflect.TypeFor[arena.ProcurementStage]():  arena.Codes(arena.ProcurementStages),
	reflect.TypeFor[arena.FollowThroughKind](): arena.Codes(arena.FollowThroughKinds),
	reflect.TypeFor[arena.FunderKind]():        arena.Codes(arena.FunderKinds),
	reflect.TypeFor[arena.ProjectCategory]():   arena.Codes(arena.ProjectCategories),
	reflect.TypeFor[arena.Procedure]():         arena.Codes(arena.Procedures),
	reflect.TypeFor[arena.ProjectPhase]():      arena.Codes(arena.ProjectPhases),
	reflect.TypeFor[arena.ExpertKind]():        arena.Codes(arena.ExpertKinds),
}

// OpenAPI returns the API's OpenAPI 3.1 document.
func (s *Server) OpenAPI() map[string]any {
	return openapi.Build("Arena API", s.app.Version,
		"Innovationsupphandlingsarenan: behov, beställarnätverk, finansiering, projekt och experter. Errors are application/problem+json naming the field, with the message's key and facts and its text in the language Accept-Language asks for (sv or en, English by default); every message in a response (match reasons, alerts, gaps, classification) carries its key, facts and text in Swedish and English. Updates need If-Match with the ETag read.",
		s.ops, enums)
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	s.writeJSON(w, r, http.StatusOK, s.OpenAPI())
}
