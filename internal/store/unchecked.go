package store

import (
	"context"
	"maps"
	"slices"
	"strings"

	arena "github.com/arena-se/arena"
)

// Unchecked lists every record matching filters, whoever may see them and
// unredacted. Only the services that compute totals (purchasing power, the
// funnel, a network's classification and alerts) use it; what they return
// must not show the records themselves to readers who may not see them.
func Unchecked[T any](ctx context.Context, e *Entity[T], filters map[string]string) ([]*T, error) {
	parts, args := []string{"1=1"}, []any{}
	for _, name := range slices.Sorted(maps.Keys(filters)) {
		f, ok := e.filters[name]
		if !ok {
			return nil, arena.Invalid(name, "err.filter", arena.F{"filter": name, "choices": arena.Choices(e.FilterNames())})
		}
		if err := arena.CheckQuery(name, filters[name]); err != nil {
			return nil, err
		}
		p, a, err := f(e.db, filters[name])
		if err != nil {
			return nil, err
		}
		parts = append(parts, "("+p+")")
		args = append(args, a...)
	}
	return allRead(ctx, e, strings.Join(parts, " AND "), args...)
}
