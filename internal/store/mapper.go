package store

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	arena "github.com/arena-se/arena"
)

// The mapper binds a domain struct's fields to columns of the same name as
// their JSON keys, so one generic repository serves every entity and the
// column list can never drift from the API's field names. Fields tagged
// `db:"-"` or `json:"-"` are not stored.

type fieldKind int

const (
	kString fieldKind = iota
	kInt
	kIntPtr
	kFloat
	kFloatPtr
	kBool
	kDatePtr
	kTime
	kJSON
)

type field struct {
	col   string
	index []int
	kind  fieldKind
}

type mapping struct {
	fields []field
	byCol  map[string]field
}

var (
	dateType     = reflect.TypeFor[arena.Date]()
	timeType     = reflect.TypeFor[time.Time]()
	mappingCache sync.Map // reflect.Type -> *mapping
)

func mappingOf(t reflect.Type) *mapping {
	if m, ok := mappingCache.Load(t); ok {
		return m.(*mapping)
	}
	m := &mapping{byCol: map[string]field{}}
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			idx := append(append([]int{}, index...), i)
			if f.Anonymous && f.Type.Kind() == reflect.Struct {
				walk(f.Type, idx)
				continue
			}
			if !f.IsExported() || f.Tag.Get("db") == "-" {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" || name == "" {
				continue
			}
			fd := field{col: name, index: idx, kind: kindOf(f.Type)}
			m.fields = append(m.fields, fd)
			m.byCol[name] = fd
		}
	}
	walk(t, nil)
	mappingCache.Store(t, m)
	return m
}

func kindOf(t reflect.Type) fieldKind {
	switch {
	case t == timeType:
		return kTime
	case t.Kind() == reflect.Pointer && t.Elem() == dateType:
		return kDatePtr
	case t.Kind() == reflect.Pointer && (t.Elem().Kind() == reflect.Int64 || t.Elem().Kind() == reflect.Int):
		return kIntPtr
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Float64:
		return kFloatPtr
	case t.Kind() == reflect.String:
		return kString
	case t.Kind() == reflect.Int64 || t.Kind() == reflect.Int:
		return kInt
	case t.Kind() == reflect.Float64:
		return kFloat
	case t.Kind() == reflect.Bool:
		return kBool
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Map || t.Kind() == reflect.Struct:
		return kJSON
	}
	panic(fmt.Sprintf("store: no column mapping for %s", t))
}

// value returns what the database driver is given for field f of v.
func (db *DB) value(v reflect.Value, f field) (any, error) {
	fv := v.FieldByIndex(f.index)
	switch f.kind {
	case kString:
		return fv.String(), nil
	case kInt:
		return fv.Int(), nil
	case kFloat:
		return fv.Float(), nil
	case kBool:
		return fv.Bool(), nil
	case kIntPtr:
		if fv.IsNil() {
			return nil, nil
		}
		return fv.Elem().Int(), nil
	case kFloatPtr:
		if fv.IsNil() {
			return nil, nil
		}
		return fv.Elem().Float(), nil
	case kDatePtr:
		if fv.IsNil() {
			return nil, nil
		}
		return fv.Interface().(*arena.Date).String(), nil
	case kTime:
		return db.timeValue(fv.Interface().(time.Time)), nil
	case kJSON:
		if fv.Kind() == reflect.Slice && fv.IsNil() {
			return "[]", nil
		}
		b, err := json.Marshal(fv.Interface())
		return string(b), err
	}
	return nil, fmt.Errorf("store: unknown field kind %d", f.kind)
}

// cell scans one column into a field, whatever type the driver returns.
type cell struct {
	v reflect.Value
	f field
}

func (c cell) Scan(src any) error {
	fv := c.v.FieldByIndex(c.f.index)
	if src == nil {
		fv.SetZero()
		if c.f.kind == kJSON && fv.Kind() == reflect.Slice {
			fv.Set(reflect.MakeSlice(fv.Type(), 0, 0))
		}
		return nil
	}
	str := func() string {
		switch s := src.(type) {
		case string:
			return s
		case []byte:
			return string(s)
		case time.Time:
			return s.Format(arena.DateLayout)
		}
		return fmt.Sprint(src)
	}
	switch c.f.kind {
	case kString:
		fv.SetString(str())
	case kInt, kIntPtr:
		var n int64
		switch s := src.(type) {
		case int64:
			n = s
		case int32:
			n = int64(s)
		case float64:
			n = int64(s)
		default:
			p, err := strconv.ParseInt(str(), 10, 64)
			if err != nil {
				return fmt.Errorf("column %s: %w", c.f.col, err)
			}
			n = p
		}
		if c.f.kind == kInt {
			fv.SetInt(n)
		} else {
			p := reflect.New(fv.Type().Elem())
			p.Elem().SetInt(n)
			fv.Set(p)
		}
	case kFloat, kFloatPtr:
		var x float64
		switch s := src.(type) {
		case float64:
			x = s
		case int64:
			x = float64(s)
		default:
			p, err := strconv.ParseFloat(str(), 64)
			if err != nil {
				return fmt.Errorf("column %s: %w", c.f.col, err)
			}
			x = p
		}
		if c.f.kind == kFloat {
			fv.SetFloat(x)
		} else {
			fv.Set(reflect.ValueOf(&x))
		}
	case kBool:
		switch s := src.(type) {
		case bool:
			fv.SetBool(s)
		case int64:
			fv.SetBool(s != 0)
		default:
			fv.SetBool(str() == "1" || str() == "true" || str() == "t")
		}
	case kDatePtr:
		d, err := arena.ParseDate(str())
		if err != nil {
			return fmt.Errorf("column %s: %w", c.f.col, err)
		}
		fv.Set(reflect.ValueOf(&d))
	case kTime:
		switch s := src.(type) {
		case time.Time:
			fv.Set(reflect.ValueOf(s.UTC()))
		default:
			t, err := time.Parse(time.RFC3339Nano, str())
			if err != nil {
				return fmt.Errorf("column %s: %w", c.f.col, err)
			}
			fv.Set(reflect.ValueOf(t.UTC()))
		}
	case kJSON:
		text := str()
		if fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.String {
			if xs, ok := stringList(text); ok {
				out := reflect.MakeSlice(fv.Type(), len(xs), len(xs))
				for i, x := range xs {
					out.Index(i).SetString(x)
				}
				fv.Set(out)
				return nil
			}
		}
		p := reflect.New(fv.Type())
		if err := json.Unmarshal([]byte(text), p.Interface()); err != nil {
			return fmt.Errorf("column %s: %w", c.f.col, err)
		}
		fv.Set(p.Elem())
		if fv.Kind() == reflect.Slice && fv.IsNil() {
			fv.Set(reflect.MakeSlice(fv.Type(), 0, 0))
		}
	}
	return nil
}

// stringList reads a JSON array of strings without escapes, as the store
// writes lists of codes, without the reflection of encoding/json; ok is
// false for anything else, which json.Unmarshal then reads.
func stringList(s string) (xs []string, ok bool) {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' || strings.IndexByte(s, '\\') >= 0 {
		return nil, false
	}
	rest := s[1 : len(s)-1]
	xs = []string{}
	for rest != "" {
		if rest[0] != '"' {
			return nil, false
		}
		end := strings.IndexByte(rest[1:], '"')
		if end < 0 {
			return nil, false
		}
		xs = append(xs, rest[1:1+end])
		rest = rest[end+2:]
		if rest == "" {
			break
		}
		if rest[0] != ',' || len(rest) == 1 {
			return nil, false
		}
		rest = rest[1:]
	}
	return xs, true
}

// columns returns the mapped column names of m, optionally without the meta
// columns that the repository writes itself.
func (m *mapping) columns(withMeta bool) []field {
	if withMeta {
		return m.fields
	}
	out := make([]field, 0, len(m.fields))
	for _, f := range m.fields {
		switch f.col {
		case "id", "version", "created_at", "updated_at":
			continue
		}
		out = append(out, f)
	}
	return out
}

// column scans one column into a field of the record a scanner is
// filling.
type column struct {
	cur *reflect.Value
	f   field
}

func (c *column) Scan(src any) error { return cell{v: *c.cur, f: c.f}.Scan(src) }

// selects caches each table's select list: "SELECT t.id, … FROM table t".
var selects sync.Map // table name → string

func selectOf(m *mapping, table string) string {
	if s, ok := selects.Load(table); ok {
		return s.(string)
	}
	s := "SELECT " + colNames(m.fields, "t.") + " FROM " + table + " t"
	selects.Store(table, s)
	return s
}

// targets returns the scan targets of v (a struct value, addressable) for fs.
func targets(v reflect.Value, fs []field) []any {
	out := make([]any, len(fs))
	for i, f := range fs {
		out[i] = cell{v: v, f: f}
	}
	return out
}

func colNames(fs []field, prefix string) string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = prefix + f.col
	}
	return strings.Join(names, ", ")
}

func reflectTypeOf(v any) reflect.Type { return reflect.TypeOf(v).Elem() }

// networkID reads the network_id field of v, a pointer to a mapped struct.
func (m *mapping) networkID(v any) int64 {
	return reflect.ValueOf(v).Elem().FieldByIndex(m.byCol["network_id"].index).Int()
}

func reflectValueOf(v any) reflect.Value { return reflect.ValueOf(v).Elem() }
