package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/export"
	"github.com/arena-se/arena/internal/store"
)

// Bodies are bounded per route (see handle): a record's JSON is far below
// maxBody, the sign-in and the actions' far below smallBody.
const (
	maxBody   = 256 << 10
	smallBody = 16 << 10
)

// resource serves create, read, update, delete and list of one entity.
type resource[T any] struct {
	s      *Server
	name   string // singular, for the documentation: "need"
	tag    string // documentation group
	path   string // plural path segment: "needs"
	entity *store.Entity[T]
	// extra names the fields a create body may have beyond T's own (a
	// user's password, a network's from_needs); createFn gets them.
	extra []string
	// createFn, when set, stores a new record in place of the entity's
	// Create, with the body's extra fields, in one transaction.
	createFn func(r *http.Request, v *T, extra map[string]json.RawMessage) error
	// export, when set, is the register's table: the list answers with it
	// when asked for CSV or XLSX (see exportFormat).
	export *export.Register
}

func (rs *resource[T]) register() {
	base := "/api/v1/" + rs.path
	rs.s.handle("GET", base, rs.list)
	rs.s.handle("POST", base, rs.create)
	rs.s.handle("GET", base+"/{id}", rs.get)
	rs.s.handle("PATCH", base+"/{id}", rs.update)
	rs.s.handle("DELETE", base+"/{id}", rs.delete)
	docResource[T](rs.s, rs.path, rs.name, rs.tag, rs.entity.FilterNames(), rs.export != nil)
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, arena.NotFound("record")
	}
	return id, nil
}

func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// ifMatch reads the version a write was based on from If-Match.
func ifMatch(r *http.Request) (int64, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" {
		return 0, &arena.Error{Code: ePreconditionRequired, Msg: arena.M("err.if_match_required")}
	}
	h = strings.TrimPrefix(h, "W/")
	v, err := strconv.ParseInt(strings.Trim(h, `"`), 10, 64)
	if err != nil || v <= 0 {
		return 0, arena.Invalid("If-Match", "err.if_match")
	}
	return v, nil
}

func (rs *resource[T]) get(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		var v *T
		if v, err = rs.entity.Get(r.Context(), id); err == nil {
			m := metaOf(v)
			w.Header().Set("ETag", etag(m.Version))
			if inm := r.Header.Get("If-None-Match"); inm != "" && strings.Trim(strings.TrimPrefix(inm, "W/"), `"`) == strconv.FormatInt(m.Version, 10) {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			rs.s.writeJSON(w, r, http.StatusOK, v)
			return
		}
	}
	rs.s.WriteError(w, r, err)
}

func (rs *resource[T]) list(w http.ResponseWriter, r *http.Request) {
	if rs.export != nil {
		w.Header().Add("Vary", "Accept")
		format, err := exportFormat(r)
		if err != nil {
			rs.s.WriteError(w, r, err)
			return
		}
		if format != "" {
			rs.s.exportRegister(w, r, rs.export, format)
			return
		}
	}
	lq, err := listQuery(r)
	if err == nil {
		var page *store.Page[T]
		if page, err = rs.entity.List(r.Context(), lq); err == nil {
			rs.s.writeJSON(w, r, http.StatusOK, page)
			return
		}
	}
	rs.s.WriteError(w, r, err)
}

// listQuery reads paging and filters from the query string.
func listQuery(r *http.Request) (store.ListQuery, error) {
	lq := store.ListQuery{Filters: map[string]string{}}
	for k, vs := range r.URL.Query() {
		v := vs[len(vs)-1]
		switch k {
		case "limit":
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				return lq, arena.Invalid("limit", "err.positive")
			}
			lq.Limit = n
		case "after":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return lq, arena.Invalid("after", "err.id", arena.F{"value": v})
			}
			lq.After = n
		default:
			lq.Filters[k] = v
		}
	}
	return lq, nil
}

func (rs *resource[T]) create(w http.ResponseWriter, r *http.Request) {
	v := new(T)
	extra, err := decodeInto(r, v, rs.extra)
	if err == nil {
		if rs.createFn != nil {
			err = rs.createFn(r, v, extra)
		} else {
			err = rs.entity.Create(r.Context(), v)
		}
	}
	if err != nil {
		rs.s.WriteError(w, r, err)
		return
	}
	m := metaOf(v)
	w.Header().Set("ETag", etag(m.Version))
	w.Header().Set("Location", "/api/v1/"+rs.path+"/"+strconv.FormatInt(m.ID, 10))
	rs.s.writeJSON(w, r, http.StatusCreated, v)
}

// update merges the body's fields onto the stored record (JSON merge) and
// writes it if the record is still at the If-Match version.
func (rs *resource[T]) update(w http.ResponseWriter, r *http.Request) {
	err := func() error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		version, err := ifMatch(r)
		if err != nil {
			return err
		}
		v, err := rs.entity.Get(r.Context(), id)
		if err != nil {
			return err
		}
		if _, err := decodeInto(r, v, nil); err != nil {
			return err
		}
		m := metaOf(v)
		m.ID = id
		if err := rs.entity.Update(r.Context(), v, version); err != nil {
			return err
		}
		w.Header().Set("ETag", etag(m.Version))
		rs.s.writeJSON(w, r, http.StatusOK, v)
		return nil
	}()
	if err != nil {
		rs.s.WriteError(w, r, err)
	}
}

func (rs *resource[T]) delete(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		var version int64
		if version, err = ifMatch(r); err == nil {
			if err = rs.entity.Delete(r.Context(), id, version); err == nil {
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
	}
	rs.s.WriteError(w, r, err)
}

func metaOf(v any) *arena.Meta { return v.(interface{ GetMeta() *arena.Meta }).GetMeta() }

// readOnly are fields the server sets; a body may echo them back, and what
// it says is ignored.
var readOnly = map[string]bool{"id": true, "version": true, "created_at": true, "updated_at": true, "created_by": true}

// decodeInto decodes a JSON object body onto v field by field, so that an
// error names the field it is about. Fields in extra are returned raw;
// unknown fields are refused.
func decodeInto[T any](r *http.Request, v *T, extra []string) (map[string]json.RawMessage, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") && !strings.HasPrefix(ct, "application/merge-patch+json") {
		return nil, arena.Invalid("Content-Type", "err.content_type")
	}
	body, err := io.ReadAll(r.Body)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, arena.Invalid("body", "err.body_large", arena.F{"max": int(tooLarge.Limit)})
	} else if err != nil {
		return nil, arena.Invalid("body", "err.body_read")
	}
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&fields); err != nil || fields == nil {
		return nil, arena.Invalid("body", "err.body_object")
	}
	var after json.RawMessage
	if err := dec.Decode(&after); !errors.Is(err, io.EOF) {
		return nil, arena.Invalid("body", "err.body_trailing")
	}
	return DecodeFields(fields, v, extra)
}

// DecodeFields decodes the fields of a JSON object onto v one by one, so
// that an error names the field it is about, as the API does with a body:
// fields in extra are returned raw, the server's own fields (id, version,
// …) are ignored, unknown fields and invalid UTF-8 are refused. The UI's
// forms decode through it too, and so give the API's answers.
func DecodeFields[T any](fields map[string]json.RawMessage, v *T, extra []string) (map[string]json.RawMessage, error) {
	known := jsonFields(reflect.TypeFor[T]())
	out := map[string]json.RawMessage{}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		raw := fields[name]
		// encoding/json would put U+FFFD in place of invalid UTF-8 and of
		// an unpaired surrogate escape; the API refuses them instead.
		if !utf8.ValidString(name) || strings.ContainsRune(name, utf8.RuneError) {
			return nil, arena.Invalid("body", "err.utf8")
		}
		if !utf8.Valid(raw) || unpairedSurrogate(raw) {
			return nil, arena.Invalid(name, "err.utf8")
		}
		if slices.Contains(extra, name) {
			out[name] = raw
			continue
		}
		if readOnly[name] {
			continue
		}
		if !known[name] {
			return nil, arena.Invalid(name, "err.unknown_field", arena.F{"field": name})
		}
		one, _ := json.Marshal(map[string]json.RawMessage{name: raw})
		if err := json.Unmarshal(one, v); err != nil {
			return nil, fieldError(name, err)
		}
	}
	return out, nil
}

// unpairedSurrogate reports whether a JSON value escapes half of a UTF-16
// surrogate pair (\ud800 without \udc00 after it, or the other way round),
// which decodes to U+FFFD.
func unpairedSurrogate(raw []byte) bool {
	high := false // the last escape was a high surrogate
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' || i+1 >= len(raw) {
			if high {
				return true
			}
			continue
		}
		if raw[i+1] != 'u' || i+6 > len(raw) {
			if high {
				return true
			}
			i++ // an escaped character: skip it
			continue
		}
		v, err := strconv.ParseUint(string(raw[i+2:i+6]), 16, 16)
		if err != nil {
			return false // not JSON; the decoder says so
		}
		switch {
		case v >= 0xD800 && v <= 0xDBFF:
			if high {
				return true
			}
			high = true
		case v >= 0xDC00 && v <= 0xDFFF:
			if !high {
				return true
			}
			high = false
		default:
			if high {
				return true
			}
		}
		i += 5
	}
	return high
}

func fieldError(name string, err error) error {
	var te *json.UnmarshalTypeError
	var ae *arena.Error
	switch {
	case errors.As(err, &te):
		return arena.Invalid(name, "err.type", arena.F{"type": arena.Term{Key: "json." + jsonKind(te.Type)}})
	case errors.As(err, &ae):
		ae.Field = name
		return ae
	}
	return arena.Invalid(name, "err.unreadable")
}

// jsonKind names the JSON type a Go type is written as.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "integer"
	case reflect.Float64:
		return "number"
	case reflect.Bool:
		return "boolean"
	case reflect.Slice:
		return "list"
	}
	return "object"
}

// jsonFields returns the JSON names of T's fields, embedded ones included.
func jsonFields(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			for k := range jsonFields(f.Type) {
				out[k] = true
			}
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.IsExported() && name != "" && name != "-" {
			out[name] = true
		}
	}
	return out
}
