package openapi

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

type testMeta struct {
	ID        int64     `json:"id"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
}

type Kind string

// Date mimics arena.Date: a struct named Date that marshals as text.
type Date struct{ time.Time }

func (d Date) MarshalText() ([]byte, error) { return []byte(d.Format(time.DateOnly)), nil }

type Need struct {
	testMeta
	Title    string            `json:"title"`
	Kind     Kind              `json:"kind"`
	Due      Date              `json:"due,omitempty"`
	Budget   *int64            `json:"budget"`
	Owner    *Org              `json:"owner,omitempty"`
	Tags     []string          `json:"tags"`
	Labels   map[string]int    `json:"labels,omitempty"`
	Score    float64           `json:"score"`
	Open     bool              `json:"open"`
	MaybeK   *Kind             `json:"maybe_kind,omitempty"`
	Children []*Need           `json:"children,omitempty"` // recursive
	Secret   string            `json:"-"`
	hidden   string            // unexported: must be skipped
	Extra    map[string]string `json:"extra,omitzero"`
}

type Org struct {
	testMeta
	Name   string `json:"name"`
	Parent *Org   `json:"parent,omitempty"` // recursive through a pointer
}

type Page[T any] struct {
	Items []*T  `json:"items"`
	Total int   `json:"total"`
	Next  int64 `json:"next_after,omitempty"`
}

type NeedInput struct {
	Title string `json:"title"`
	Kind  Kind   `json:"kind"`
}

func buildTestDoc(t *testing.T) map[string]any {
	t.Helper()
	_ = Need{}.hidden
	ops := []Operation{
		{Method: "GET", Path: "/api/v1/needs", OperationID: "listNeeds", Tag: "needs",
			Params:   []Param{{Name: "kind", In: "query", Enum: []string{"a", "b"}}, {Name: "limit", In: "query", Type: "integer"}},
			Response: reflect.TypeFor[Page[Need]](), Status: 200},
		{Method: "POST", Path: "/api/v1/needs", OperationID: "createNeed", Tag: "needs",
			Request: reflect.TypeFor[NeedInput](), Response: reflect.TypeFor[*Need](), Status: 201, Auth: true, ETag: true},
		{Method: "GET", Path: "/api/v1/needs/{id}", OperationID: "getNeed", Tag: "needs",
			Response: reflect.TypeFor[Need](), Status: 200, ETag: true},
		{Method: "PATCH", Path: "/api/v1/needs/{id}", OperationID: "updateNeed", Tag: "needs",
			Request: reflect.TypeFor[NeedInput](), Response: reflect.TypeFor[Need](), Status: 200, Auth: true, ETag: true},
		{Method: "DELETE", Path: "/api/v1/orgs/{id}/members/{user}", OperationID: "removeMember", Tag: "orgs",
			Status: 204, Auth: true},
	}
	enums := Enums{reflect.TypeFor[Kind](): {"kommun", "region"}}
	return Build("Arena", "1.0", "test", ops, enums)
}

// get walks doc along a "|"-separated path of map keys.
func get(t *testing.T, v any, path string) any {
	t.Helper()
	for _, k := range strings.Split(path, "|") {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s: %q is not under an object (got %T)", path, k, v)
		}
		v, ok = m[k]
		if !ok {
			t.Fatalf("%s: no key %q", path, k)
		}
	}
	return v
}

func TestSchemas(t *testing.T) {
	doc := buildTestDoc(t)
	if doc["openapi"] != "3.1.0" {
		t.Errorf("openapi = %v", doc["openapi"])
	}
	schemas := get(t, doc, "components|schemas").(map[string]any)
	for _, name := range []string{"Need", "Org", "PageNeed", "NeedInput", "Problem"} {
		if schemas[name] == nil {
			t.Errorf("missing schema %s; have %v", name, keys(schemas))
		}
	}
	if len(schemas) != 5 {
		t.Errorf("schemas = %v, want exactly 5", keys(schemas))
	}

	need := schemas["Need"].(map[string]any)
	wantReq := []string{"id", "version", "created_at", "title", "kind", "budget", "tags", "score", "open"}
	if got := need["required"].([]string); !slices.Equal(got, wantReq) {
		t.Errorf("Need required = %v, want %v", got, wantReq)
	}
	props := need["properties"].(map[string]any)
	for _, skip := range []string{"Secret", "hidden", "testMeta", "-"} {
		if _, ok := props[skip]; ok {
			t.Errorf("Need has property %q", skip)
		}
	}
	check := func(name string, want map[string]any) {
		t.Helper()
		if got := props[name]; !reflect.DeepEqual(got, want) {
			t.Errorf("Need.%s = %#v, want %#v", name, got, want)
		}
	}
	check("id", map[string]any{"type": "integer", "format": "int64"})
	check("created_at", map[string]any{"type": "string", "format": "date-time"})
	check("due", map[string]any{"type": "string", "format": "date"})
	check("kind", map[string]any{"type": "string", "enum": []string{"kommun", "region"}})
	check("budget", map[string]any{"type": []string{"integer", "null"}, "format": "int64"})
	check("maybe_kind", map[string]any{"type": []string{"string", "null"}, "enum": []any{"kommun", "region", nil}})
	check("owner", map[string]any{"oneOf": []any{
		map[string]any{"$ref": "#/components/schemas/Org"},
		map[string]any{"type": "null"},
	}})
	check("tags", map[string]any{"type": "array", "items": map[string]any{"type": "string"}})
	check("labels", map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "integer", "format": "int64"}})
	check("score", map[string]any{"type": "number", "format": "double"})
	check("open", map[string]any{"type": "boolean"})
	check("children", map[string]any{"type": "array", "items": map[string]any{"$ref": "#/components/schemas/Need"}})

	page := schemas["PageNeed"].(map[string]any)
	if got := page["required"].([]string); !slices.Equal(got, []string{"items", "total"}) {
		t.Errorf("PageNeed required = %v", got)
	}
	if got := get(t, page, "properties|items|items|$ref"); got != "#/components/schemas/Need" {
		t.Errorf("PageNeed items = %v", got)
	}

	problem := schemas["Problem"].(map[string]any)
	for _, p := range []string{"type", "title", "status", "detail", "field", "request_id"} {
		get(t, problem, "properties|"+p)
	}

	// Every $ref in the document resolves.
	var walk func(v any)
	n := 0
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if r, ok := v["$ref"].(string); ok {
				n++
				name, ok := strings.CutPrefix(r, "#/components/schemas/")
				if !ok || schemas[name] == nil {
					t.Errorf("unresolved $ref %q", r)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	if n < 10 {
		t.Errorf("found only %d $refs", n)
	}
}

func TestPaths(t *testing.T) {
	doc := buildTestDoc(t)
	paths := doc["paths"].(map[string]any)
	if len(paths) != 3 {
		t.Fatalf("paths = %v, want 3", keys(paths))
	}
	needs := paths["/api/v1/needs"].(map[string]any)
	if len(needs) != 2 || needs["get"] == nil || needs["post"] == nil {
		t.Errorf("/api/v1/needs methods = %v", keys(needs))
	}
	item := paths["/api/v1/needs/{id}"].(map[string]any)
	if len(item) != 2 || item["get"] == nil || item["patch"] == nil {
		t.Errorf("/api/v1/needs/{id} methods = %v", keys(item))
	}

	// List: query params with enum, page response by $ref.
	list := needs["get"].(map[string]any)
	if got := get(t, list, "responses|200|content|application/json"); got == nil {
		t.Error("no list content")
	}

	// PATCH with ETag: required If-Match, auto path id, 412 and 428.
	patch := item["patch"].(map[string]any)
	params := patch["parameters"].([]any)
	var sawID, sawIfMatch bool
	for _, p := range params {
		p := p.(map[string]any)
		switch p["name"] {
		case "id":
			sawID = true
			if p["in"] != "path" || p["required"] != true || get(t, p, "schema|type") != "integer" {
				t.Errorf("id param = %v", p)
			}
		case "If-Match":
			sawIfMatch = true
			if p["in"] != "header" || p["required"] != true {
				t.Errorf("If-Match param = %v", p)
			}
		}
	}
	if !sawID || !sawIfMatch {
		t.Errorf("PATCH params = %v", params)
	}
	responses := patch["responses"].(map[string]any)
	for _, code := range []string{"200", "400", "401", "403", "404", "409", "412", "428"} {
		if responses[code] == nil {
			t.Errorf("PATCH lacks %s response; has %v", code, keys(responses))
		}
	}
	if got := get(t, responses, "412|content|application/problem+json|schema|$ref"); got != "#/components/schemas/Problem" {
		t.Errorf("412 schema = %v", got)
	}
	if get(t, responses, "200|headers|ETag") == nil {
		t.Error("no ETag header on PATCH 200")
	}
	if len(patch["security"].([]any)) != 2 {
		t.Errorf("security = %v", patch["security"])
	}

	// GET with ETag: no If-Match, no 412.
	getOp := item["get"].(map[string]any)
	for _, p := range getOp["parameters"].([]any) {
		if p.(map[string]any)["name"] == "If-Match" {
			t.Error("GET has If-Match")
		}
	}
	if getOp["responses"].(map[string]any)["412"] != nil {
		t.Error("GET has 412")
	}
	if _, ok := getOp["security"]; ok {
		t.Error("public GET has security")
	}

	// DELETE 204 with two path params, no body content.
	del := get(t, paths, "/api/v1/orgs/{id}/members/{user}|delete").(map[string]any)
	if len(del["parameters"].([]any)) != 2 {
		t.Errorf("DELETE params = %v", del["parameters"])
	}
	if get(t, del, "parameters").([]any)[1].(map[string]any)["schema"].(map[string]any)["type"] != "string" {
		t.Error("{user} should be a string")
	}
	if c := get(t, del, "responses|204").(map[string]any)["content"]; c != nil {
		t.Errorf("204 has content %v", c)
	}

	// Request body.
	post := needs["post"].(map[string]any)
	if got := get(t, post, "requestBody|content|application/json|schema|$ref"); got != "#/components/schemas/NeedInput" {
		t.Errorf("POST body = %v", got)
	}
	if got := get(t, post, "responses|201|content|application/json|schema|$ref"); got != "#/components/schemas/Need" {
		t.Errorf("POST response = %v", got)
	}
}

func TestMarshal(t *testing.T) {
	doc := buildTestDoc(t)
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	secs := get(t, back, "components|securitySchemes").(map[string]any)
	if get(t, secs, "bearerAuth|scheme") != "bearer" || get(t, secs, "cookieAuth|name") != "arena_session" {
		t.Errorf("securitySchemes = %v", secs)
	}
	// Building twice gives the same document.
	b2, _ := json.Marshal(buildTestDoc(t))
	if string(b) != string(b2) {
		t.Error("Build is not deterministic")
	}
}

func TestTypeName(t *testing.T) {
	for _, c := range []struct {
		typ  reflect.Type
		want string
	}{
		{reflect.TypeFor[Need](), "Need"},
		{reflect.TypeFor[Page[Need]](), "PageNeed"},
		{reflect.TypeFor[Page[*Org]](), "PageOrg"},
		{reflect.TypeFor[Page[map[string]int]](), "PageMapStringInt"},
	} {
		if got := typeName(c.typ); got != c.want {
			t.Errorf("typeName(%v) = %q, want %q", c.typ, got, c.want)
		}
	}
}

func TestDuplicatePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic on duplicate operation")
		}
	}()
	op := Operation{Method: "GET", Path: "/x"}
	Build("t", "1", "", []Operation{op, op}, nil)
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
