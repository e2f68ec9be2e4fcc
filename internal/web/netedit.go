package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/httpapi"
	"github.com/arena-se/arena/internal/store"
)

// Starting, changing and deleting a network, as POST, PATCH and DELETE
// /api/v1/networks do: the rules are the domain's (CanCreateNetwork,
// CanChangeNetwork, CanDeleteNetwork), asked before a form is shown so
// that only those allowed see it, and again by the store.

var networkFields = []string{"name", "kind", "sector", "description", "owner_org_id", "coordinator_org_id", "start_year", "end_year", "website", "open", "join"}

// networkFormData is the network form's own data.
type networkFormData struct {
	Network   *arena.Network // the stored network; nil for a new one
	Parent    *arena.Network // the strategic network a new sub-group belongs to
	Action    string
	OrgOpts   []option // owner and coordinator: none, the user's organisations, active members
	CanJoin   bool     // the user may make the owner an active member at once
	CanDelete bool     // arena.CanDeleteNetwork
	Stale     *arena.Network
}

// parentOf reads the strategic network a new sub-group is to belong to
// (the query's or form's "overordnat") and checks that the user may start
// one under it (arena.CanCreateNetwork); nil without one.
func (u *UI) parentOf(r *http.Request, a *arena.Actor, raw string) (*arena.Network, error) {
	if raw == "" {
		return nil, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return nil, arena.NotFound("network")
	}
	st, err := u.app.DB.NetworkState(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if err := arena.CanCreateNetwork(a, &arena.Network{ParentID: &id, Kind: arena.NetworkTactical}, &st.Standing); err != nil {
		return nil, err
	}
	if err := arena.CheckParent(st.Network); err != nil {
		return nil, err
	}
	return st.Network, nil
}

func (u *UI) handleNetworkNew(w http.ResponseWriter, r *http.Request) {
	a := u.requireActor(w, r)
	if a == nil {
		return
	}
	parent, err := u.parentOf(r, a, r.URL.Query().Get("overordnat"))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	v := url.Values{"kind": {string(arena.NetworkTactical)}}
	for _, m := range a.Orgs {
		v.Set("owner_org_id", idStr(m.OrgID))
		if a.IsOrgAdmin(m.OrgID) {
			v.Set("join", "1")
		}
		break
	}
	if parent != nil {
		v.Set("sector", parent.Sector)
	}
	u.renderNetworkForm(w, r, http.StatusOK, &networkFormData{Parent: parent}, newForm(v, networkFields...))
}

// managedNetwork reads the network of the path with the user's standing,
// and checks that the user may change it (arena.CanChangeNetwork).
func (u *UI) managedNetwork(r *http.Request) (*store.NetworkState, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	st, err := u.app.DB.NetworkState(r.Context(), id)
	if err != nil {
		return nil, err
	}
	n := st.Network
	if err := arena.CanChangeNetwork(arena.ActorFrom(r.Context()), st.Standing, n, n, st.Members); err != nil {
		return nil, err
	}
	return st, nil
}

func (u *UI) handleNetworkEdit(w http.ResponseWriter, r *http.Request) {
	if u.requireActor(w, r) == nil {
		return
	}
	st, err := u.managedNetwork(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.renderNetworkForm(w, r, http.StatusOK, &networkFormData{Network: st.Network}, networkValues(st.Network))
}

// networkValues fills the form from a stored network.
func networkValues(n *arena.Network) *form {
	v := url.Values{"name": {n.Name}, "kind": {string(n.Kind)}, "sector": {n.Sector}, "description": {n.Description},
		"website": {n.Website}, "version": {strconv.FormatInt(n.Version, 10)}}
	for name, id := range map[string]*int64{"owner_org_id": n.OwnerOrgID, "coordinator_org_id": n.CoordinatorOrgID} {
		if id != nil {
			v.Set(name, idStr(*id))
		}
	}
	for name, y := range map[string]*int{"start_year": n.StartYear, "end_year": n.EndYear} {
		if y != nil {
			v.Set(name, strconv.Itoa(*y))
		}
	}
	if n.Open {
		v.Set("open", "1")
	}
	return newForm(v, networkFields...)
}

func (u *UI) renderNetworkForm(w http.ResponseWriter, r *http.Request, status int, d *networkFormData, f *form) {
	ctx := r.Context()
	p := u.newPage(r, "networks")
	a := p.Actor
	nm := u.names(ctx)
	seen := map[int64]bool{}
	d.OrgOpts = []option{{Value: "", Label: p.T("network.org_none")}}
	addOrg := func(id int64) {
		if !seen[id] {
			seen[id] = true
			d.OrgOpts = append(d.OrgOpts, option{Value: idStr(id), Label: nm.OrgName(id)})
		}
	}
	for _, m := range a.Orgs {
		addOrg(m.OrgID)
		d.CanJoin = d.CanJoin || a.IsOrgAdmin(m.OrgID)
	}
	if n := d.Network; n == nil {
		p.Title = p.T("network.new_title")
		d.Action = "/natverk"
		if d.Parent != nil {
			p.Title = p.T("network.new_subgroup_title", d.Parent.Name)
		}
	} else {
		p.Title = p.T("network.edit_title", n.Name)
		d.Action = "/natverk/" + idStr(n.ID)
		d.CanJoin = false
		st, err := u.app.DB.NetworkState(ctx, n.ID)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		for _, id := range []*int64{n.OwnerOrgID, n.CoordinatorOrgID} {
			if id != nil {
				addOrg(*id)
			}
		}
		// The members the rule lets the user name owner (CanChangeNetwork).
		for _, m := range st.Members {
			probe := *n
			probe.OwnerOrgID = &m.OrgID
			if arena.CanChangeNetwork(a, st.Standing, n, &probe, st.Members) == nil {
				addOrg(m.OrgID)
			}
		}
		d.CanDelete = arena.CanDeleteNetwork(st.Standing, n) == nil
	}
	p.Form, p.Data = f, d
	u.render(w, r, status, "network_form", p)
}

// readNetwork builds a network from the form over base (the stored one,
// or a new one), recording on f the errors of values that cannot be read.
func readNetwork(p *page, f *form, base arena.Network) *arena.Network {
	n := base
	n.Name, n.Sector, n.Description, n.Website = strings.TrimSpace(f.V("name")), strings.TrimSpace(f.V("sector")), f.V("description"), strings.TrimSpace(f.V("website"))
	n.Open = f.V("open") == "1"
	for name, dst := range map[string]**int64{"owner_org_id": &n.OwnerOrgID, "coordinator_org_id": &n.CoordinatorOrgID} {
		*dst = nil
		if s := f.V(name); s != "" {
			if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
				*dst = &id
			} else {
				f.Fail(name, p.T("network.org_choice"))
			}
		}
	}
	for name, dst := range map[string]**int{"start_year": &n.StartYear, "end_year": &n.EndYear} {
		*dst = nil
		if s := strings.TrimSpace(f.V(name)); s != "" {
			if y, err := strconv.Atoi(s); err == nil {
				*dst = &y
			} else {
				f.Fail(name, p.T("network.year_number"))
			}
		}
	}
	if n.Name == "" {
		f.Fail("name", p.T("network.name_required"))
	}
	return &n
}

func (u *UI) handleNetworkCreate(w http.ResponseWriter, r *http.Request) {
	a := u.postForm(w, r)
	if a == nil {
		return
	}
	parent, err := u.parentOf(r, a, r.PostFormValue("overordnat"))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p := u.newPage(r, "networks")
	f := newForm(r.PostForm, networkFields...)
	d := &networkFormData{Parent: parent}
	n := readNetwork(p, f, arena.Network{Kind: arena.NetworkKind(f.V("kind"))})
	if parent != nil {
		n.ParentID, n.Kind = &parent.ID, arena.NetworkTactical
	}
	if !f.OK() {
		u.renderNetworkForm(w, r, httpapi.StatusOf(arena.EINVALID), d, f)
		return
	}
	err = u.app.Networks.Start(r.Context(), n, f.V("join") == "1")
	u.finishNetworkForm(w, r, p, d, f, err, n, "natverk")
}

func (u *UI) handleNetworkUpdate(w http.ResponseWriter, r *http.Request) {
	if u.postForm(w, r) == nil {
		return
	}
	st, err := u.managedNetwork(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p := u.newPage(r, "networks")
	f := newForm(r.PostForm, networkFields...)
	d := &networkFormData{Network: st.Network}
	n := readNetwork(p, f, *st.Network)
	if !f.OK() {
		u.renderNetworkForm(w, r, httpapi.StatusOf(arena.EINVALID), d, f)
		return
	}
	version, _ := strconv.ParseInt(f.V("version"), 10, 64)
	err = u.app.DB.Networks.Update(r.Context(), n, version)
	u.finishNetworkForm(w, r, p, d, f, err, n, "sparat")
}

// finishNetworkForm redirects to the network after a write, or shows the
// form again with the store's refusal: invalid values at their fields, a
// newer version with what is stored now.
func (u *UI) finishNetworkForm(w http.ResponseWriter, r *http.Request, p *page, d *networkFormData, f *form, err error, n *arena.Network, notice string) {
	switch code := arena.ErrorCode(err); code {
	case "":
		http.Redirect(w, r, withNotice("/natverk/"+idStr(n.ID), notice), http.StatusSeeOther)
		return
	case arena.EPRECONDITION:
		cur, gerr := u.app.DB.Networks.Get(r.Context(), d.Network.ID)
		if gerr != nil {
			u.fail(w, r, gerr)
			return
		}
		d.Stale = cur
		f.General = p.T("network.stale", p.DateTime(cur.UpdatedAt))
		// Saving again now overwrites the newer version on purpose.
		f.Values.Set("version", strconv.FormatInt(cur.Version, 10))
		u.renderNetworkForm(w, r, httpapi.StatusOf(code), d, f)
	case arena.EINVALID, arena.ECONFLICT:
		p.failFrom(f, err, map[string]string{"parent_id": "name", "status": "name"})
		u.renderNetworkForm(w, r, httpapi.StatusOf(code), d, f)
	default:
		u.fail(w, r, err)
	}
}

// handleNetworkDelete deletes a network that is not closed
// (arena.CanDeleteNetwork, asked by the store).
func (u *UI) handleNetworkDelete(w http.ResponseWriter, r *http.Request) {
	n := postedRecord(u, w, r, u.app.DB.Networks)
	if n == nil {
		return
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err := u.app.DB.Networks.Delete(r.Context(), n.ID, version); err != nil {
		u.fail(w, r, err)
		return
	}
	http.Redirect(w, r, withNotice("/natverk", "natverk-borttaget"), http.StatusSeeOther)
}

// NetworkKindOptions are the network kinds, for the network form.
func (p *page) NetworkKindOptions() []option {
	return enumOptions(p, "network_kind", arena.NetworkKinds)
}
