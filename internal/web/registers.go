package web

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/store"
)

// callListData is the list of funding calls.
type callListData struct {
	Calls []callView
}

func (u *UI) handleCallList(w http.ResponseWriter, r *http.Request) {
	p := u.newPage(r, "calls")
	p.Title = p.T("calls.title")
	if u.serveRegister(w, r, p, "calls", nil) {
		return
	}
	calls, err := u.sortedCalls(r.Context(), u.names(r.Context()))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p.Data = &callListData{Calls: calls}
	p.offerWatch(arena.WatchCalls, nil)
	u.render(w, r, http.StatusOK, "calls", p)
}

// CallState is a call's state on day today: open, coming or closed.
func (p *page) CallState(c callView) string {
	switch {
	case c.Open:
		return p.T("call.state.open")
	case c.OpensDate != nil && p.ui.today().Before(c.OpensDate.Time):
		return p.T("call.state.coming")
	}
	return p.T("call.state.closed")
}

// callPageData is a call's page.
type callPageData struct {
	Call     callView
	Kinds    []string
	Needs    []fitView
	Networks []fitView
	FitErr   string
}

// fitView is a need or network that fits a call (the matching service's
// CallFits, the API's too), with where it links to.
type fitView struct {
	matching.FitItem
	Href string
}

func (u *UI) handleCallShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	c, err := u.app.DB.Calls.Get(ctx, id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p := u.newPage(r, "calls")
	p.Title = c.Title
	nm := u.names(ctx)
	d := &callPageData{Call: callView{FundingCall: c, Funder: nm.FunderName(c.FunderID), Open: c.IsOpen(u.today())}}
	for _, k := range c.EligibleOrgKinds {
		d.Kinds = append(d.Kinds, p.E("org_kind", k))
	}
	if u.app.Matching == nil {
		d.FitErr = p.T("match.unavailable")
	} else {
		fit, err := u.app.Matching.CallFits(ctx, id, u.now())
		if err != nil {
			u.fail(w, r, err)
			return
		}
		for _, f := range fit.Needs {
			d.Needs = append(d.Needs, fitView{FitItem: f, Href: "/behov/" + idStr(f.ID)})
		}
		for _, f := range fit.Networks {
			d.Networks = append(d.Networks, fitView{FitItem: f, Href: "/natverk/" + idStr(f.ID)})
		}
	}
	p.Data = d
	u.render(w, r, http.StatusOK, "call", p)
}

// projectListData is the projects register with its filters.
type projectListData struct {
	Rows    []projectRow
	Funders []option
	Total   int
}

type projectRow struct {
	*arena.Project
	Funder string
}

func (u *UI) handleProjectList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := u.newPage(r, "projects")
	p.Title = p.T("projects.title")
	q := r.URL.Query()
	f := newForm(url.Values{})
	filters := map[string]string{}
	set := func(param, filter string, allowed []string) {
		v := strings.TrimSpace(q.Get(param))
		if v == "" || (allowed != nil && !slices.Contains(allowed, v)) {
			return
		}
		f.Values.Set(param, v)
		filters[filter] = v
	}
	set("q", "q", nil)
	set("kategori", "category", arena.Codes(arena.ProjectCategories))
	set("forfarande", "procedure", arena.Codes(arena.Procedures))
	set("fas", "phase", arena.Codes(arena.ProjectPhases))
	funders, err := store.All(ctx, u.app.DB.Funders, nil)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d := &projectListData{Funders: []option{{Value: "", Label: p.T("search.any")}}}
	sort.SliceStable(funders, func(i, j int) bool { return funders[i].Name < funders[j].Name })
	var funderIDs []string
	for _, x := range funders {
		d.Funders = append(d.Funders, option{Value: idStr(x.ID), Label: x.Name})
		funderIDs = append(funderIDs, idStr(x.ID))
	}
	set("finansiar", "funder_id", funderIDs)
	p.offerWatch(arena.WatchProjects, filters)
	if u.serveRegister(w, r, p, "projects", filters) {
		return
	}
	p.Form = f
	projects, err := store.All(ctx, u.app.DB.Projects, filters)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	nm := u.names(ctx)
	for _, x := range projects {
		row := projectRow{Project: x}
		if x.FunderID != nil {
			row.Funder = nm.FunderName(*x.FunderID)
		}
		d.Rows = append(d.Rows, row)
	}
	d.Total = len(d.Rows)
	p.Data = d
	u.render(w, r, http.StatusOK, "projects", p)
}

// CategoryOptions are the project categories with "all" first.
func (p *page) CategoryOptions() []option {
	return append([]option{{Value: "", Label: p.T("search.any")}}, enumOptions(p, "category", arena.ProjectCategories)...)
}

// ProcedureOptions are the procedures with "all" first.
func (p *page) ProcedureOptions() []option {
	return append([]option{{Value: "", Label: p.T("search.any")}}, enumOptions(p, "procedure", arena.Procedures)...)
}

// PhaseOptions are the project phases with "all" first.
func (p *page) PhaseOptions() []option {
	return append([]option{{Value: "", Label: p.T("search.any")}}, enumOptions(p, "phase", arena.ProjectPhases)...)
}

// projectPageData is a project's page.
type projectPageData struct {
	Project     *arena.Project
	Funder      string
	Call        *arena.FundingCall
	Coordinator *arena.Organization
}

func (u *UI) handleProjectShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	x, err := u.app.DB.Projects.Get(ctx, id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p := u.newPage(r, "projects")
	p.Title = x.Title
	nm := u.names(ctx)
	d := &projectPageData{Project: x}
	if x.FunderID != nil {
		d.Funder = nm.FunderName(*x.FunderID)
	}
	if x.CallID != nil {
		d.Call, _ = u.app.DB.Calls.Get(ctx, *x.CallID)
	}
	if x.CoordinatorOrgID != nil {
		d.Coordinator = nm.Org(*x.CoordinatorOrgID)
	}
	p.Data = d
	u.render(w, r, http.StatusOK, "project", p)
}

// expertListData is the list of experts.
type expertListData struct {
	Rows []expertRow
}

type expertRow struct {
	*arena.Expert
	Org *arena.Organization
}

func (u *UI) handleExpertList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := u.newPage(r, "experts")
	p.Title = p.T("experts.title")
	f, filters := searchAndKind(r.URL.Query(), arena.Codes(arena.ExpertKinds))
	p.Form = f
	if u.serveRegister(w, r, p, "experts", filters) {
		return
	}
	experts, err := store.All(ctx, u.app.DB.Experts, filters)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	nm := u.names(ctx)
	d := &expertListData{}
	for _, x := range experts {
		row := expertRow{Expert: x}
		if x.OrgID != nil {
			row.Org = nm.Org(*x.OrgID)
		}
		d.Rows = append(d.Rows, row)
	}
	p.Data = d
	u.render(w, r, http.StatusOK, "experts", p)
}

// ExpertKindOptions are the expert kinds with "all" first.
func (p *page) ExpertKindOptions() []option {
	return append([]option{{Value: "", Label: p.T("search.any")}}, enumOptions(p, "expert_kind", arena.ExpertKinds)...)
}

// orgListData is the list of organisations.
type orgListData struct {
	Rows []*arena.Organization
}

func (u *UI) handleOrgList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := u.newPage(r, "orgs")
	p.Title = p.T("orgs.title")
	f, filters := searchAndKind(r.URL.Query(), arena.Codes(arena.OrgKinds))
	p.Form = f
	orgs, err := store.All(ctx, u.app.DB.Organizations, filters)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	sort.SliceStable(orgs, func(i, j int) bool { return strings.ToLower(orgs[i].Name) < strings.ToLower(orgs[j].Name) })
	p.Data = &orgListData{Rows: orgs}
	u.render(w, r, http.StatusOK, "orgs", p)
}

// OrgKindOptions are the organisation kinds with "all" first.
func (p *page) OrgKindOptions() []option {
	return append([]option{{Value: "", Label: p.T("search.any")}}, enumOptions(p, "org_kind", arena.OrgKinds)...)
}

// orgPageData is an organisation's page.
type orgPageData struct {
	Org         *arena.Organization
	Needs       []*arena.Need
	Memberships []orgMembership
	Projects    []*arena.Project
	Admin       *orgAdmin
}

type orgMembership struct {
	Member  *arena.NetworkMember
	Network *arena.Network
}

func (u *UI) handleOrgShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.renderOrg(w, r, http.StatusOK, id, nil)
}

// renderOrg shows an organisation's page, with the form f of a refused
// write (nil when none).
func (u *UI) renderOrg(w http.ResponseWriter, r *http.Request, status int, id int64, f *form) {
	ctx := r.Context()
	o, err := u.app.DB.Organizations.Get(ctx, id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p := u.newPage(r, "orgs")
	p.Title = o.Name
	p.Form = f
	d := &orgPageData{Org: o}
	if d.Needs, err = store.All(ctx, u.app.DB.Needs, map[string]string{"org_id": idStr(id)}); err != nil {
		u.fail(w, r, err)
		return
	}
	members, err := store.All(ctx, u.app.DB.NetworkMembers, map[string]string{"org_id": idStr(id)})
	if err != nil {
		u.fail(w, r, err)
		return
	}
	nm := u.names(ctx)
	for _, m := range members {
		if n := nm.Network(m.NetworkID); n != nil {
			d.Memberships = append(d.Memberships, orgMembership{Member: m, Network: n})
		}
	}
	projects, err := store.All(ctx, u.app.DB.Projects, nil)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	for _, x := range projects {
		if x.CoordinatorOrgID != nil && *x.CoordinatorOrgID == id {
			d.Projects = append(d.Projects, x)
		}
	}
	if d.Admin, err = u.loadOrgAdmin(r, o); err != nil {
		u.fail(w, r, err)
		return
	}
	p.Data = d
	u.render(w, r, status, "org", p)
}

// searchAndKind reads a register's search text (q) and kind (slag) from the
// query string: the form to show them again and the store's filters.
func searchAndKind(q url.Values, kinds []string) (*form, map[string]string) {
	f := newForm(url.Values{})
	filters := map[string]string{}
	if v := strings.TrimSpace(q.Get("q")); v != "" {
		f.Values.Set("q", v)
		filters["q"] = v
	}
	if v := q.Get("slag"); slices.Contains(kinds, v) {
		f.Values.Set("slag", v)
		filters["kind"] = v
	}
	return f, filters
}
