package i18n

import (
	"reflect"

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
	if depth > maxDepth || !v.IsValid() {
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
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				b.fill(v.Field(i), depth+1)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			b.fill(v.Index(i), depth+1)
		}
	case reflect.Map:
		// Map values are not addressable: messages in maps are not filled.
	}
}
