package matching

import (
	"context"
	"slices"
	"strings"
	"sync"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/store"
)

// collections are the calls, projects and deliverables, experts and
// networks, each ranked as a small collection and rebuilt from the
// database when the change log says one of their tables changed.
type collections struct {
	mu    sync.Mutex
	built map[string]*collection // by kind
}

type collection struct {
	c       *match.Collection
	records map[string]any // item id → the record
}

// tablesOf says which tables feed which collection.
var tablesOf = map[string][]string{
	KindCalls:    {"funding_calls", "funders"},
	KindProjects: {"projects", "deliverables", "networks"},
	KindExperts:  {"experts", "organizations"},
	KindNetworks: {"networks", "network_members", "needs"},
}

func (cs *collections) invalidate() {
	cs.mu.Lock()
	cs.built = nil
	cs.mu.Unlock()
}

func (cs *collections) changed(table string) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	for kind, tables := range tablesOf {
		if slices.Contains(tables, table) {
			delete(cs.built, kind)
		}
	}
}

// get returns the collection of a kind, building it when needed.
func (s *Service) collection(ctx context.Context, kind string) (*collection, error) {
	cs := &s.colls
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if c := cs.built[kind]; c != nil {
		return c, nil
	}
	c, err := s.buildCollection(ctx, kind)
	if err != nil {
		return nil, err
	}
	if cs.built == nil {
		cs.built = map[string]*collection{}
	}
	cs.built[kind] = c
	return c, nil
}

func (s *Service) buildCollection(ctx context.Context, kind string) (*collection, error) {
	ctx = arena.WithActor(ctx, arena.SystemActor()) // these registers are public
	c := &collection{records: map[string]any{}}
	var items []match.Item
	add := func(id string, rec any, title, body string, tags ...string) {
		c.records[id] = rec
		items = append(items, match.Item{ID: id, Title: title, Body: body, Tags: nonEmpty(tags)})
	}
	switch kind {
	case KindCalls:
		calls, err := store.All(ctx, s.DB.Calls, nil)
		if err != nil {
			return nil, err
		}
		for _, x := range calls {
			add("call:"+key(x.ID), x, x.Title, x.Programme+". "+x.Description, x.Themes...)
		}
	case KindProjects:
		projects, err := store.All(ctx, s.DB.Projects, nil)
		if err != nil {
			return nil, err
		}
		for _, x := range projects {
			add("project:"+key(x.ID), x, x.Title, strings.Join([]string{x.Description, x.Results, x.Lessons, x.Programme}, ". "))
		}
		deliverables, err := store.All(ctx, s.DB.Deliverables, nil)
		if err != nil {
			return nil, err
		}
		for _, x := range deliverables {
			add("deliverable:"+key(x.ID), x, x.Title, x.Description)
		}
	case KindExperts:
		experts, err := store.All(ctx, s.DB.Experts, nil)
		if err != nil {
			return nil, err
		}
		for _, x := range experts {
			add("expert:"+key(x.ID), x, x.Name, x.Description+". "+x.Affiliation, x.SubjectAreas...)
		}
	case KindNetworks:
		networks, err := store.All(ctx, s.DB.Networks, nil)
		if err != nil {
			return nil, err
		}
		for _, x := range networks {
			add("network:"+key(x.ID), x, x.Name, x.Description, x.Sector)
		}
	}
	mc, err := match.NewCollection(ctx, s.an, items)
	if err != nil {
		return nil, err
	}
	c.c = mc
	return c, nil
}

// nonEmpty returns the strings of xs that are not blank, in a new slice.
func nonEmpty(xs []string) []string {
	return slices.DeleteFunc(slices.Clone(xs), func(x string) bool { return strings.TrimSpace(x) == "" })
}
