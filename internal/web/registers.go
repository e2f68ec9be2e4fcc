package web

import (
	"net/http"
	"net/url"
	"sort"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/store"
)

// callListData is the list of funding calls.
type callListData struct {
	Calls []callView
}

func (u *UI) handleCallList(w http.ResponseWriter, r *http.Request) {
	p := u.newPage(r, "calls")
	p.Title = p.T("calls.title")
	calls, err := u.sortedCalls(r.Context(), u.names(r.Context()))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p.Data = &callListData{Calls: calls}
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

// fitView is a need or network that fits a call, with the reasons.
type fitView struct {
	Href, Title, Org string
	Score            float64
	Reasons          []string
}

// callFitLimit is how many needs and networks a call's page lists.
const callFitLimit = 15

func (u *UI) handleCallShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	c, err := u.api.DB.Calls.Get(ctx, id)
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
	if u.api.Matching == nil {
		d.FitErr = p.T("match.unavailable")
	} else if d.Needs, d.Networks, err = u.callFits(r, p, c, nm); err != nil {
		u.fail(w, r, err)
		return
	}
	p.Data = d
	u.render(w, r, http.StatusOK, "call", p)
}

// callFits ranks the needs the user may see and the running networks
// against a call's text; needs of organisations the call does not accept
// are left out.
func (u *UI) callFits(r *http.Request, p *page, c *arena.FundingCall, nm *names) (needs, nets []fitView, err error) {
	ctx := r.Context()
	an := u.api.Matching.Analyzer()
	q := &match.Need{Title: c.Title, Description: strings.Join(append([]string{c.Programme, c.Description}, c.Themes...), ". ")}
	all, err := store.All(ctx, u.api.DB.Needs, nil)
	if err != nil {
		return nil, nil, err
	}
	byID := map[string]*arena.Need{}
	var items []match.Item
	for _, n := range all {
		if n.Visibility == arena.VisibilityDraft {
			continue
		}
		o := nm.Org(n.OrgID)
		if o == nil || !callAccepts(c, o.Kind) {
			continue
		}
		key := idStr(n.ID)
		byID[key] = n
		items = append(items, match.Item{ID: key, Title: n.Title, Body: n.Description, Tags: nonEmpty(n.Sector)})
	}
	today := u.today()
	for _, m := range rank(an, items, q) {
		n := byID[m.ID]
		o := nm.Org(n.OrgID)
		f := fitView{Href: "/behov/" + m.ID, Title: n.Title, Org: o.Name, Score: m.Score}
		f.Reasons = append(f.Reasons, p.T("fit.concepts", concepts(m.Shared)))
		if len(c.EligibleOrgKinds) > 0 {
			f.Reasons = append(f.Reasons, p.T("fit.eligible", p.E("org_kind", o.Kind)))
		}
		if c.ClosesDate != nil && n.PlannedDate != nil && !c.ClosesDate.Before(today.Time) {
			if c.ClosesDate.Before(n.PlannedDate.Time) {
				f.Reasons = append(f.Reasons, p.T("fit.timing_before", p.Date(c.ClosesDate), p.Date(n.PlannedDate)))
			} else {
				f.Reasons = append(f.Reasons, p.T("fit.timing_after", p.Date(c.ClosesDate), p.Date(n.PlannedDate)))
			}
		}
		needs = append(needs, f)
		if len(needs) >= callFitLimit {
			break
		}
	}
	networks, err := store.All(ctx, u.api.DB.Networks, map[string]string{"status": string(arena.NetworkActive)})
	if err != nil {
		return nil, nil, err
	}
	netByID := map[string]*arena.Network{}
	items = items[:0]
	for _, n := range networks {
		key := idStr(n.ID)
		netByID[key] = n
		items = append(items, match.Item{ID: key, Title: n.Name, Body: n.Description, Tags: nonEmpty(n.Sector)})
	}
	for _, m := range rank(an, items, q) {
		n := netByID[m.ID]
		f := fitView{Href: "/natverk/" + m.ID, Title: n.Name, Score: m.Score,
			Reasons: []string{p.T("fit.concepts", concepts(m.Shared)), p.T("fit.network_kind", p.E("network_kind", n.Kind))}}
		nets = append(nets, f)
		if len(nets) >= callFitLimit {
			break
		}
	}
	return needs, nets, nil
}

// rank ranks items against q, best first, above the noise floor.
func rank(an *match.Analyzer, items []match.Item, q *match.Need) []match.ItemMatch {
	if len(items) == 0 {
		return nil
	}
	ms := match.NewCollection(an, items).Rank(q, callFitLimit, match.DefaultMinItemScore, nil)
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].Score > ms[j].Score })
	return ms
}

func callAccepts(c *arena.FundingCall, k arena.OrgKind) bool {
	if len(c.EligibleOrgKinds) == 0 {
		return true
	}
	for _, x := range c.EligibleOrgKinds {
		if x == k {
			return true
		}
	}
	return false
}

// concepts writes shared concepts as the matching service does.
func concepts(cs []match.SharedConcept) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		if c.Need == c.Item {
			parts[i] = c.Need
		} else {
			parts[i] = c.Need + " ~ " + c.Item
		}
	}
	return strings.Join(parts, ", ")
}

func nonEmpty(xs ...string) []string {
	var out []string
	for _, x := range xs {
		if strings.TrimSpace(x) != "" {
			out = append(out, x)
		}
	}
	return out
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
		if v == "" || (allowed != nil && !containsStr(allowed, v)) {
			return
		}
		f.Values.Set(param, v)
		filters[filter] = v
	}
	set("q", "q", nil)
	set("kategori", "category", enumStrings(arena.ProjectCategories))
	set("forfarande", "procedure", enumStrings(arena.Procedures))
	set("fas", "phase", enumStrings(arena.ProjectPhases))
	funders, err := store.All(ctx, u.api.DB.Funders, nil)
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
	p.Form = f
	projects, err := store.All(ctx, u.api.DB.Projects, filters)
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
	x, err := u.api.DB.Projects.Get(ctx, id)
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
		d.Call, _ = u.api.DB.Calls.Get(ctx, *x.CallID)
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
	f, filters := searchAndKind(r.URL.Query(), enumStrings(arena.ExpertKinds))
	p.Form = f
	experts, err := store.All(ctx, u.api.DB.Experts, filters)
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
	f, filters := searchAndKind(r.URL.Query(), enumStrings(arena.OrgKinds))
	p.Form = f
	orgs, err := store.All(ctx, u.api.DB.Organizations, filters)
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
}

type orgMembership struct {
	Member  *arena.NetworkMember
	Network *arena.Network
}

func (u *UI) handleOrgShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	o, err := u.api.DB.Organizations.Get(ctx, id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p := u.newPage(r, "orgs")
	p.Title = o.Name
	d := &orgPageData{Org: o}
	if d.Needs, err = store.All(ctx, u.api.DB.Needs, map[string]string{"org_id": idStr(id)}); err != nil {
		u.fail(w, r, err)
		return
	}
	members, err := store.All(ctx, u.api.DB.NetworkMembers, map[string]string{"org_id": idStr(id)})
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
	projects, err := store.All(ctx, u.api.DB.Projects, nil)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	for _, x := range projects {
		if x.CoordinatorOrgID != nil && *x.CoordinatorOrgID == id {
			d.Projects = append(d.Projects, x)
		}
	}
	p.Data = d
	u.render(w, r, http.StatusOK, "org", p)
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
	if v := q.Get("slag"); containsStr(kinds, v) {
		f.Values.Set("slag", v)
		filters["kind"] = v
	}
	return f, filters
}
