// Package openapi builds an OpenAPI 3.1 document from Go types by
// reflection. The document is returned as nested maps ready for
// json.Marshal; schemas follow encoding/json's rules for field names,
// omitempty and embedded structs.
package openapi

import (
	"encoding"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Param is a query or path parameter.
type Param struct {
	Name        string
	In          string // "query" or "path"
	Description string
	Required    bool     // always true for path parameters
	Type        string   // "string", "integer" or "boolean"; empty means "string"
	Enum        []string // allowed values, if limited
}

// Operation is one method on one path.
type Operation struct {
	Method string // GET, POST, PUT, PATCH, DELETE
	Path   string // in OpenAPI form: /api/v1/needs/{id}

	OperationID string
	Summary     string
	Tag         string

	// Params are query and path parameters. Parameters named in Path
	// but not listed here are added as required path parameters
	// (integer when named "id" or ending in "_id", string otherwise).
	Params []Param

	Request  reflect.Type // request body type; nil when there is no body
	Response reflect.Type // success body type; nil for 204; for lists the page type
	Status   int          // success status: 200, 201, 204; 0 means 200 (204 without Response)

	Auth bool // needs a bearer token or the session cookie

	// ETag says the success response carries an ETag header. On PATCH
	// and DELETE it also makes the If-Match header required and adds
	// the 412 and 428 responses.
	ETag bool
}

// Enums maps a named string type to its allowed values, for example
// reflect.TypeFor[arena.OrgKind]() to []string{"kommun", ...}.
type Enums map[reflect.Type][]string

// Content types used in the document.
const (
	jsonType    = "application/json"
	problemType = "application/problem+json"
)

// Build returns an OpenAPI 3.1 document describing ops. Operations on
// the same path share one path item. Each named struct type reached from
// a request or response becomes one entry in components.schemas and is
// referenced with $ref. Build panics when two operations share a method
// and path, since that is a programming error in the route table.
func Build(title, version, description string, ops []Operation, enums Enums) map[string]any {
	g := &gen{
		enums:   enums,
		names:   map[reflect.Type]string{},
		taken:   map[string]reflect.Type{},
		schemas: map[string]any{},
	}
	g.schemas["Problem"] = problemSchema()
	g.taken["Problem"] = nil

	paths := map[string]any{}
	tagSet := map[string]bool{}
	for _, op := range ops {
		item, _ := paths[op.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[op.Path] = item
		}
		method := strings.ToLower(op.Method)
		if _, dup := item[method]; dup {
			panic(fmt.Sprintf("openapi: duplicate operation %s %s", op.Method, op.Path))
		}
		item[method] = g.operation(op)
		if op.Tag != "" {
			tagSet[op.Tag] = true
		}
	}

	info := map[string]any{"title": title, "version": version}
	if description != "" {
		info["description"] = description
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info":    info,
		"paths":   paths,
		"components": map[string]any{
			"schemas": g.schemas,
			"securitySchemes": map[string]any{
				"bearerAuth": map[string]any{
					"type":   "http",
					"scheme": "bearer",
				},
				"cookieAuth": map[string]any{
					"type": "apiKey",
					"in":   "cookie",
					"name": "arena_session",
				},
			},
		},
	}
	if len(tagSet) > 0 {
		var tags []any
		for _, t := range slices.Sorted(maps.Keys(tagSet)) {
			tags = append(tags, map[string]any{"name": t})
		}
		doc["tags"] = tags
	}
	return doc
}

func problemSchema() map[string]any {
	str := func(desc string) map[string]any {
		return map[string]any{"type": "string", "description": desc}
	}
	typ := str("URI reference identifying the problem type, e.g. /problems/invalid")
	typ["format"] = "uri-reference"
	return map[string]any{
		"type":        "object",
		"description": "An RFC 9457 problem detail.",
		"properties": map[string]any{
			"type":       typ,
			"title":      str("Short summary of the problem type"),
			"status":     map[string]any{"type": "integer", "description": "HTTP status code"},
			"detail":     str("Explanation specific to this occurrence"),
			"field":      str("The request field the problem concerns, if any"),
			"request_id": str("Identifier of the request, for support"),
		},
		"required": []string{"type", "title", "status"},
	}
}

var pathParamRE = regexp.MustCompile(`\{([^{}]+)\}`)

func (g *gen) operation(op Operation) map[string]any {
	out := map[string]any{}
	if op.OperationID != "" {
		out["operationId"] = op.OperationID
	}
	if op.Summary != "" {
		out["summary"] = op.Summary
	}
	if op.Tag != "" {
		out["tags"] = []string{op.Tag}
	}

	// Parameters: given ones first, then path parameters not given.
	var params []any
	given := map[string]bool{}
	for _, p := range op.Params {
		given[p.In+":"+p.Name] = true
		params = append(params, paramObject(p))
	}
	pathParams := pathParamRE.FindAllStringSubmatch(op.Path, -1)
	for _, m := range pathParams {
		name := m[1]
		if given["path:"+name] {
			continue
		}
		typ := "string"
		if name == "id" || strings.HasSuffix(name, "_id") {
			typ = "integer"
		}
		params = append(params, paramObject(Param{Name: name, In: "path", Required: true, Type: typ}))
	}
	method := strings.ToUpper(op.Method)
	ifMatch := op.ETag && (method == http.MethodPatch || method == http.MethodDelete)
	if ifMatch {
		params = append(params, map[string]any{
			"name":        "If-Match",
			"in":          "header",
			"required":    true,
			"description": "The ETag of the version the change is based on.",
			"schema":      map[string]any{"type": "string"},
		})
	}
	if len(params) > 0 {
		out["parameters"] = params
	}

	if op.Request != nil {
		out["requestBody"] = map[string]any{
			"required": true,
			"content": map[string]any{
				jsonType: map[string]any{"schema": g.topSchema(op.Request)},
			},
		}
	}

	status := op.Status
	if status == 0 {
		status = http.StatusOK
		if op.Response == nil {
			status = http.StatusNoContent
		}
	}
	success := map[string]any{"description": statusText(status)}
	if op.Response != nil && status != http.StatusNoContent {
		success["content"] = map[string]any{
			jsonType: map[string]any{"schema": g.topSchema(op.Response)},
		}
	}
	if op.ETag && status != http.StatusNoContent {
		success["headers"] = map[string]any{
			"ETag": map[string]any{
				"description": "Version of the returned record.",
				"schema":      map[string]any{"type": "string"},
			},
		}
	}
	responses := map[string]any{strconv.Itoa(status): success}
	problem := func(code int) {
		responses[strconv.Itoa(code)] = map[string]any{
			"description": statusText(code),
			"content": map[string]any{
				problemType: map[string]any{"schema": ref("Problem")},
			},
		}
	}
	if op.Request != nil || len(op.Params) > 0 || len(pathParams) > 0 {
		problem(http.StatusBadRequest)
	}
	if op.Auth {
		problem(http.StatusUnauthorized)
		problem(http.StatusForbidden)
	}
	if len(pathParams) > 0 {
		problem(http.StatusNotFound)
	}
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		problem(http.StatusConflict)
	}
	if ifMatch {
		problem(http.StatusPreconditionFailed)
		problem(http.StatusPreconditionRequired)
	}
	out["responses"] = responses

	if op.Auth {
		out["security"] = []any{
			map[string]any{"bearerAuth": []string{}},
			map[string]any{"cookieAuth": []string{}},
		}
	}
	return out
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return t
	}
	return "Status " + strconv.Itoa(code)
}

func paramObject(p Param) map[string]any {
	typ := p.Type
	if typ == "" {
		typ = "string"
	}
	schema := map[string]any{"type": typ}
	if typ == "integer" {
		schema["format"] = "int64"
	}
	if len(p.Enum) > 0 {
		schema["enum"] = slices.Clone(p.Enum)
	}
	o := map[string]any{
		"name":     p.Name,
		"in":       p.In,
		"required": p.Required || p.In == "path",
		"schema":   schema,
	}
	if p.Description != "" {
		o["description"] = p.Description
	}
	return o
}

func ref(name string) map[string]any {
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

// gen holds the state of one Build: the component schemas made so far
// and the names given to their types.
type gen struct {
	enums   Enums
	names   map[reflect.Type]string // struct type -> component name
	taken   map[string]reflect.Type // component name -> struct type
	schemas map[string]any
}

var (
	timeType          = reflect.TypeFor[time.Time]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// topSchema is the schema of a request or response body: a pointer is
// the value it points to, not a nullable value.
func (g *gen) topSchema(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return g.schema(t)
}

// schema returns the schema of t. Named struct types become components
// and are returned as $ref.
func (g *gen) schema(t reflect.Type) map[string]any {
	if t.Kind() == reflect.Pointer {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		return nullable(g.schema(t))
	}
	if vals, ok := g.enums[t]; ok {
		return map[string]any{"type": "string", "enum": slices.Clone(vals)}
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case isDate(t):
		return map[string]any{"type": "string", "format": "date"}
	case t.Kind() != reflect.String && implementsText(t):
		// encoding/json writes TextMarshalers as strings.
		return map[string]any{"type": "string"}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64:
		return map[string]any{"type": "integer", "format": "int64"}
	case reflect.Int8, reflect.Int16, reflect.Int32:
		return map[string]any{"type": "integer", "format": "int32"}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return map[string]any{"type": "integer", "minimum": 0}
	case reflect.Float32:
		return map[string]any{"type": "number", "format": "float"}
	case reflect.Float64:
		return map[string]any{"type": "number", "format": "double"}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 && t.Kind() == reflect.Slice {
			return map[string]any{"type": "string", "contentEncoding": "base64"}
		}
		return map[string]any{"type": "array", "items": g.elemSchema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.elemSchema(t.Elem())}
	case reflect.Struct:
		if t.Name() == "" {
			return g.structSchema(t)
		}
		return ref(g.component(t))
	}
	// Interfaces and anything else: any JSON value.
	return map[string]any{}
}

// elemSchema is the schema of a slice or map element. Pointer elements
// are not marked nullable: the service never stores nil in a list.
func (g *gen) elemSchema(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return g.schema(t)
}

// nullable widens s to also accept null, in the OpenAPI 3.1 way.
func nullable(s map[string]any) map[string]any {
	if _, ok := s["$ref"]; ok {
		return map[string]any{"oneOf": []any{s, map[string]any{"type": "null"}}}
	}
	typ, ok := s["type"].(string)
	if !ok {
		return s // already accepts anything, or already nullable
	}
	out := make(map[string]any, len(s))
	for k, v := range s {
		out[k] = v
	}
	out["type"] = []string{typ, "null"}
	if enum, ok := s["enum"].([]string); ok {
		vals := make([]any, 0, len(enum)+1)
		for _, e := range enum {
			vals = append(vals, e)
		}
		out["enum"] = append(vals, nil)
	}
	return out
}

func implementsText(t reflect.Type) bool {
	return t.Implements(textMarshalerType) || reflect.PointerTo(t).Implements(textMarshalerType)
}

// isDate reports whether t is a calendar date type like arena.Date: a
// struct named Date that marshals as text.
func isDate(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t.Name() == "Date" && implementsText(t)
}

// component registers the named struct type t in components.schemas and
// returns its name. The name is reserved before the schema is built, so
// recursive types end in a $ref rather than a loop.
func (g *gen) component(t reflect.Type) string {
	if name, ok := g.names[t]; ok {
		return name
	}
	name := g.uniqueName(t)
	g.names[t] = name
	g.taken[name] = t
	g.schemas[name] = g.structSchema(t)
	return name
}

func (g *gen) uniqueName(t reflect.Type) string {
	base := typeName(t)
	if _, used := g.taken[base]; !used {
		return base
	}
	// Same name in another package: prefix the package's last element.
	pkg := t.PkgPath()
	if i := strings.LastIndex(pkg, "/"); i >= 0 {
		pkg = pkg[i+1:]
	}
	name := sanitize(exportCase(pkg) + base)
	for i := 2; ; i++ {
		if _, used := g.taken[name]; !used {
			return name
		}
		name = sanitize(exportCase(pkg)+base) + strconv.Itoa(i)
	}
}

// typeName is t's name made fit for a component key: type arguments of a
// generic type lose their package paths and punctuation, so
// store.Page[arena.Need] becomes PageNeed.
func typeName(t reflect.Type) string {
	name := t.Name()
	i := strings.IndexByte(name, '[')
	if i < 0 {
		return sanitize(name)
	}
	base, args := name[:i], name[i:]
	var b strings.Builder
	b.WriteString(base)
	// Drop qualified package paths: keep what follows the last '.' of
	// each identifier run that contains a '/' or '.'.
	var word strings.Builder
	flush := func() {
		w := word.String()
		word.Reset()
		if j := strings.LastIndexByte(w, '.'); j >= 0 {
			w = w[j+1:]
		}
		b.WriteString(exportCase(w))
	}
	for _, r := range args {
		switch {
		case r == '[' || r == ']' || r == ',' || r == '*' || r == ' ':
			flush()
		default:
			word.WriteRune(r)
		}
	}
	flush()
	return sanitize(b.String())
}

func exportCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]`)

func sanitize(s string) string {
	return unsafeName.ReplaceAllString(s, "")
}

// field is one JSON property of a struct.
type field struct {
	name     string
	typ      reflect.Type
	optional bool // omitempty or omitzero
	asString bool // the ",string" option
	depth    int  // embedding depth, for encoding/json's dominance rule
	tagged   bool
	index    int // order of appearance
}

// structSchema builds the object schema of struct type t.
func (g *gen) structSchema(t reflect.Type) map[string]any {
	var fields []field
	collectFields(t, 0, map[reflect.Type]bool{}, &fields)
	fields = dominant(fields)

	props := map[string]any{}
	var required []string
	for _, f := range fields {
		var s map[string]any
		if f.asString && isScalar(f.typ) {
			s = g.stringified(f.typ)
		} else {
			s = g.schema(f.typ)
		}
		props[f.name] = s
		if !f.optional {
			required = append(required, f.name)
		}
	}
	out := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

func isScalar(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.String:
		return true
	}
	return false
}

// stringified is the schema of a scalar written with the ",string" option.
func (g *gen) stringified(t reflect.Type) map[string]any {
	s := map[string]any{"type": "string"}
	if t.Kind() == reflect.Pointer {
		return nullable(s)
	}
	return s
}

// collectFields appends the JSON fields of t, flattening embedded
// structs without a json name as encoding/json does.
func collectFields(t reflect.Type, depth int, visiting map[reflect.Type]bool, out *[]field) {
	if visiting[t] {
		return
	}
	visiting[t] = true
	defer delete(visiting, t)

	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := sf.Type
		if sf.Anonymous {
			et := ft
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if !sf.IsExported() && et.Kind() != reflect.Struct {
				continue
			}
			if name == "" && et.Kind() == reflect.Struct && !isSpecialStruct(et) {
				collectFields(et, depth+1, visiting, out)
				continue
			}
		} else if !sf.IsExported() {
			continue
		}
		tagged := name != ""
		if name == "" {
			name = sf.Name
		}
		var optional, asString bool
		for o := range strings.SplitSeq(opts, ",") {
			switch o {
			case "omitempty", "omitzero":
				optional = true
			case "string":
				asString = true
			}
		}
		*out = append(*out, field{
			name: name, typ: ft, optional: optional, asString: asString,
			depth: depth, tagged: tagged, index: len(*out),
		})
	}
}

// isSpecialStruct reports whether an embedded struct is marshalled as a
// value of its own rather than flattened. encoding/json flattens it
// regardless, unless it marshals itself; time.Time and Date-like types do.
func isSpecialStruct(t reflect.Type) bool {
	return t == timeType || implementsText(t)
}

// dominant applies encoding/json's rule for fields sharing a name: the
// shallowest wins; among equally shallow ones a single tagged field wins;
// otherwise all are dropped.
func dominant(fields []field) []field {
	byName := map[string][]field{}
	var order []string
	for _, f := range fields {
		if _, seen := byName[f.name]; !seen {
			order = append(order, f.name)
		}
		byName[f.name] = append(byName[f.name], f)
	}
	var out []field
	for _, name := range order {
		fs := byName[name]
		sort.SliceStable(fs, func(i, j int) bool { return fs[i].depth < fs[j].depth })
		top := fs[0].depth
		var same []field
		for _, f := range fs {
			if f.depth == top {
				same = append(same, f)
			}
		}
		if len(same) == 1 {
			out = append(out, same[0])
			continue
		}
		var tagged []field
		for _, f := range same {
			if f.tagged {
				tagged = append(tagged, f)
			}
		}
		if len(tagged) == 1 {
			out = append(out, tagged[0])
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].index < out[j].index })
	return out
}
