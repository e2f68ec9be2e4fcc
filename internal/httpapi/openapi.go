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

// docResource documents the five operations of a resource.
func docResource[T any](s *Server, path, name, tag string, filters []string) {
	base := "/api/v1/" + path
	t := reflect.TypeFor[T]()
	params := []openapi.Param{
		{Name: "limit", In: "query", Type: "integer", Description: "page size, at most 500 (default 50)"},
		{Name: "after", In: "query", Type: "integer", Description: "the next_after of the previous page"},
	}
	for _, f := range filters {
		params = append(params, openapi.Param{Name: f, In: "query", Type: "string", Description: "filter"})
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
	reflect.TypeFor[arena.OrgKind]():           strs(arena.OrgKinds),
	reflect.TypeFor[arena.OrgRole]():           strs(arena.OrgRoles),
	reflect.TypeFor[arena.PlatformRole]():      strs(arena.PlatformRoles),
	reflect.TypeFor[arena.Intent]():            strs(arena.Intents),
	reflect.TypeFor[arena.Visibility]():        strs(arena.Visibilities),
	reflect.TypeFor[arena.NetworkKind]():       strs(arena.NetworkKinds),
	reflect.TypeFor[arena.NetworkStatus]():     strs(arena.NetworkStatuses),
	reflect.TypeFor[arena.MemberRole]():        strs(arena.MemberRoles),
	reflect.TypeFor[arena.MemberTier]():        strs(arena.MemberTiers),
	reflect.TypeFor[arena.MemberStatus]():      strs(arena.MemberStatuses),
	reflect.TypeFor[arena.ActivityKind]():      strs(arena.ActivityKinds),
	reflect.TypeFor[arena.ActivityStatus]():    strs(arena.ActivityStatuses),
	reflect.TypeFor[arena.DeliverableKind]():   strs(arena.DeliverableKinds),
	reflect.TypeFor[arena.ProcurementStage]():  strs(arena.ProcurementStages),
	reflect.TypeFor[arena.FollowThroughKind](): strs(arena.FollowThroughKinds),
	reflect.TypeFor[arena.FunderKind]():        strs(arena.FunderKinds),
	reflect.TypeFor[arena.ProjectCategory]():   strs(arena.ProjectCategories),
	reflect.TypeFor[arena.Procedure]():         strs(arena.Procedures),
	reflect.TypeFor[arena.ProjectPhase]():      strs(arena.ProjectPhases),
	reflect.TypeFor[arena.ExpertKind]():        strs(arena.ExpertKinds),
}

func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// OpenAPI returns the API's OpenAPI 3.1 document.
func (s *Server) OpenAPI() map[string]any {
	return openapi.Build("Arena API", s.Version,
		"Innovationsupphandlingsarenan: behov, beställarnätverk, finansiering, projekt och experter. Errors are application/problem+json naming the field; updates need If-Match with the ETag read.",
		s.ops, enums)
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.OpenAPI())
}
