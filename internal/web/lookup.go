package web

import (
	"context"
	"sort"
	"strconv"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/store"
)

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

// names looks up and remembers the names of organisations, networks and
// funders for one request. These registers are public. A page that names
// many asks for them first (orgs, networks, funders), in one query each.
type names struct {
	u        *UI
	ctx      context.Context
	orgs     map[int64]*arena.Organization
	networks map[int64]*arena.Network
	funders  map[int64]*arena.Funder
}

func (u *UI) names(ctx context.Context) *names {
	return &names{u: u, ctx: ctx, orgs: map[int64]*arena.Organization{}, networks: map[int64]*arena.Network{}, funders: map[int64]*arena.Funder{}}
}

// Org returns an organisation, nil when it does not exist.
func (n *names) Org(id int64) *arena.Organization {
	if o, ok := n.orgs[id]; ok {
		return o
	}
	o, _ := n.u.app.DB.Organizations.Get(n.ctx, id)
	n.orgs[id] = o
	return o
}

// OrgName returns an organisation's name, "" when unknown.
func (n *names) OrgName(id int64) string {
	if o := n.Org(id); o != nil {
		return o.Name
	}
	return ""
}

// Network returns a network visible to the actor, nil otherwise.
func (n *names) Network(id int64) *arena.Network {
	if x, ok := n.networks[id]; ok {
		return x
	}
	x, _ := n.u.app.DB.Networks.Get(n.ctx, id)
	n.networks[id] = x
	return x
}

// loadOrgs reads the organisations with ids not read yet, in one query.
func (n *names) loadOrgs(ids ...int64) {
	load(n.ctx, n.u.app.DB.Organizations, n.orgs, ids)
}

// loadNetworks reads the networks with ids not read yet, in one query.
func (n *names) loadNetworks(ids ...int64) {
	load(n.ctx, n.u.app.DB.Networks, n.networks, ids)
}

// loadFunders reads the funders with ids not read yet, in one query.
func (n *names) loadFunders(ids ...int64) {
	load(n.ctx, n.u.app.DB.Funders, n.funders, ids)
}

// load reads the records of e with ids missing from have into have, nil
// for those that do not exist (or that the actor may not see), as Get
// would give them one by one.
func load[T any](ctx context.Context, e *store.Entity[T], have map[int64]*T, ids []int64) {
	var missing []int64
	for _, id := range ids {
		if _, ok := have[id]; !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return
	}
	got, err := e.GetMany(ctx, missing)
	if err != nil {
		return // each is then asked for alone
	}
	for _, id := range missing {
		have[id] = got[id]
	}
}

// Funder returns a funder, nil when unknown.
func (n *names) Funder(id int64) *arena.Funder {
	if f, ok := n.funders[id]; ok {
		return f
	}
	f, _ := n.u.app.DB.Funders.Get(n.ctx, id)
	n.funders[id] = f
	return f
}

// FunderName returns a funder's name, "" when unknown.
func (n *names) FunderName(id int64) string {
	if f := n.Funder(id); f != nil {
		return f.Name
	}
	return ""
}

// callView is a funding call with its funder's name.
type callView struct {
	*arena.FundingCall
	Funder string
	Open   bool
}

// sortedCalls lists the calls open first, by closing date (no date last),
// then the coming ones, then the closed ones, latest closed first.
func (u *UI) sortedCalls(ctx context.Context, nm *names) ([]callView, error) {
	calls, err := store.All(ctx, u.app.DB.Calls, nil)
	if err != nil {
		return nil, err
	}
	funders := make([]int64, len(calls))
	for i, c := range calls {
		funders[i] = c.FunderID
	}
	nm.loadFunders(funders...)
	today := u.today()
	out := make([]callView, len(calls))
	for i, c := range calls {
		out[i] = callView{FundingCall: c, Funder: nm.FunderName(c.FunderID), Open: c.IsOpen(today)}
	}
	group := func(c callView) int {
		switch {
		case c.Open:
			return 0
		case c.OpensDate != nil && today.Before(c.OpensDate.Time):
			return 1
		}
		return 2
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		ga, gb := group(a), group(b)
		if ga != gb {
			return ga < gb
		}
		switch {
		case a.ClosesDate == nil && b.ClosesDate == nil:
			return a.Title < b.Title
		case a.ClosesDate == nil:
			return false
		case b.ClosesDate == nil:
			return true
		case ga == 2:
			return a.ClosesDate.After(b.ClosesDate.Time)
		}
		return a.ClosesDate.Before(b.ClosesDate.Time)
	})
	return out, nil
}
