package i18n

import (
	"reflect"
	"sync"

	arena "github.com/arena-se/arena"
)

var msgType = reflect.TypeFor[arena.Msg]()

// Fill words every message in v (a pointer to a response: structs, slices,
// maps and pointers are followed) in both languages, setting its Text, so
// an API client gets the key, the facts and the texts.
func (b *Bundle) Fill(v any) {
	b.fill(reflect.ValueOf(v), 0)
}

// Filled is Fill for a value that may not be a pointer: it returns v with
// its messages worded (a copy when v is not a pointer, so they can be set).
func (b *Bundle) Filled(v any) any {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || rv.Kind() == reflect.Pointer {
		b.Fill(v)
		return v
	}
	p := reflect.New(rv.Type())
	p.Elem().Set(rv)
	b.fill(p, 0)
	return p.Interface()
}

// maxDepth bounds the walk; responses are a few levels deep.
const maxDepth = 12

func (b *Bundle) fill(v reflect.Value, depth int) {
	if depth > maxDepth || !v.IsValid() || !mayHoldMsg(v.Type()) {
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			b.fill(v.Elem(), depth+1)
		}
	case reflect.Struct:
		if v.Type() == msgType {
			if v.CanSet() {
				m := v.Addr().Interface().(*arena.Msg)
				if m.Key != "" {
					m.Text = &arena.Texts{SV: b.For("sv").Msg(*m), EN: b.For("en").Msg(*m)}
				}
			}
			return
		}
		for _, i := range msgFields(v.Type()) {
			b.fill(v.Field(i), depth+1)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			b.fill(v.Index(i), depth+1)
		}
	case reflect.Map:
		// Map values are not addressable: messages in maps are not filled.
	}
}

// A response is walked along the fields that may hold a message only:
// most of a list of records (strings, numbers, times) holds none, and
// which fields may is a property of the type, worked out once.

// typePlan is what the walk needs to know of a type.
type typePlan struct {
	may    bool  // a value of the type may hold a message
	fields []int // a struct's exported fields that may hold one
}

var plans sync.Map // reflect.Type → *typePlan

// mayHoldMsg reports whether a value of type t may hold a message that
// fill reaches: a message itself, or a pointer, interface, struct, slice or
// array that may lead to one. An interface may hold anything.
func mayHoldMsg(t reflect.Type) bool { return planOf(t, nil).may }

// msgFields returns the exported fields of struct type t that may hold a
// message.
func msgFields(t reflect.Type) []int { return planOf(t, nil).fields }

// planOf works out t's plan; seen holds the types being worked out, which
// a recursive type meets again and counts as possibly holding one.
func planOf(t reflect.Type, seen map[reflect.Type]bool) *typePlan {
	if p, ok := plans.Load(t); ok {
		return p.(*typePlan)
	}
	if seen[t] {
		return &typePlan{may: true}
	}
	if seen == nil {
		seen = map[reflect.Type]bool{}
	}
	seen[t] = true
	p := &typePlan{}
	switch t.Kind() {
	case reflect.Interface:
		p.may = true
	case reflect.Pointer, reflect.Slice, reflect.Array:
		p.may = planOf(t.Elem(), seen).may
	case reflect.Struct:
		if t == msgType {
			p.may = true
			break
		}
		for i := range t.NumField() {
			if t.Field(i).IsExported() && planOf(t.Field(i).Type, seen).may {
				p.fields = append(p.fields, i)
			}
		}
		p.may = len(p.fields) > 0
	}
	delete(seen, t)
	plans.Store(t, p)
	return p
}
