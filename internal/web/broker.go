package web

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/store"
)

// latentMinScore is the need-to-need score from which two needs count as
// the same underlying need on the broker's dashboard. Scores are the
// matcher's weighted features: needs that describe one need score about 2,
// needs that only share a CPV class or an everyday word below 1.
const latentMinScore = 1.2

// latentMaxNeeds bounds the needs examined for latent networks, newest first.
const latentMaxNeeds = 400

// brokerData is the broker's dashboard.
type brokerData struct {
	Latent      []latentGroup
	AtRisk      []riskRow
	Funnel      *chart
	ByFunder    *chart
	ByCategory  *chart
	CallsByFund *chart
	Group       string // the group whose form came back with an error
}

// latentGroup is a group of similar needs of different organisations that
// no network has taken up yet.
type latentGroup struct {
	Index    int
	Needs    []latentNeed
	Reasons  []string // why the strongest pair matches
	ValueSEK int64
}

type latentNeed struct {
	*arena.Need
	Org string
}

// riskRow is a network with its alerts.
type riskRow struct {
	Network *arena.Network
	Alerts  []arena.Alert
}

func (u *UI) handleBroker(w http.ResponseWriter, r *http.Request) {
	u.showBroker(w, r, http.StatusOK, nil)
}

func (u *UI) requireBroker(w http.ResponseWriter, r *http.Request) bool {
	a := u.requireActor(w, r)
	if a == nil {
		return false
	}
	if !a.User.HasRole(arena.RoleBroker) {
		u.errorPage(w, r, http.StatusForbidden, "error.forbidden", "")
		return false
	}
	return true
}

func (u *UI) showBroker(w http.ResponseWriter, r *http.Request, status int, f *form) {
	if !u.requireBroker(w, r) {
		return
	}
	ctx := r.Context()
	p := u.newPage(r, "broker")
	p.Title = p.T("broker.title")
	nm := u.names(ctx)
	d := &brokerData{}
	var err error
	if d.Latent, err = u.latentGroups(r, p, nm); err != nil {
		u.fail(w, r, err)
		return
	}
	alerts, err := u.api.DB.Alerts(ctx, store.AlertFilter{})
	if err != nil {
		u.fail(w, r, err)
		return
	}
	byNet := map[int64]*riskRow{}
	for _, a := range nm.withOrgNames(alerts) {
		row := byNet[a.NetworkID]
		if row == nil {
			n := nm.Network(a.NetworkID)
			if n == nil {
				continue
			}
			row = &riskRow{Network: n}
			byNet[a.NetworkID] = row
			d.AtRisk = append(d.AtRisk, *row)
		}
		row.Alerts = append(row.Alerts, a)
	}
	for i := range d.AtRisk {
		d.AtRisk[i] = *byNet[d.AtRisk[i].Network.ID]
	}
	sort.SliceStable(d.AtRisk, func(i, j int) bool { return len(d.AtRisk[i].Alerts) > len(d.AtRisk[j].Alerts) })
	fu, err := u.api.Networks.Funnel(ctx)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d.Funnel = funnelChart(p, "broker-funnel", fu)
	if err := u.registerCharts(r, p, nm, d); err != nil {
		u.fail(w, r, err)
		return
	}
	if f == nil {
		f = newForm(nil)
	}
	d.Group = f.V("group")
	p.Form = f
	p.Data = d
	u.render(w, r, status, "broker", p)
}

// latentGroups finds, for each public need not yet in a network, the
// needs of other organisations that match it strongly and are not in a
// network either, and joins them into groups (connected components).
func (u *UI) latentGroups(r *http.Request, p *page, nm *names) ([]latentGroup, error) {
	ctx := r.Context()
	if u.api.Matching == nil {
		return nil, nil
	}
	members, err := store.All(ctx, u.api.DB.NetworkMembers, nil)
	if err != nil {
		return nil, err
	}
	taken := map[int64]bool{}
	for _, m := range members {
		if m.NeedID != nil && (m.Status == arena.MemberActive || m.Status == arena.MemberInvited) {
			taken[*m.NeedID] = true
		}
	}
	public, err := store.All(ctx, u.api.DB.Needs, map[string]string{"visibility": string(arena.VisibilityPublic)})
	if err != nil {
		return nil, err
	}
	free := map[int64]*arena.Need{}
	var order []int64
	for i := len(public) - 1; i >= 0 && len(order) < latentMaxNeeds; i-- {
		if n := public[i]; !taken[n.ID] {
			free[n.ID] = n
			order = append(order, n.ID)
		}
	}
	parent := map[int64]int64{}
	var find func(int64) int64
	find = func(x int64) int64 {
		if parent[x] == 0 || parent[x] == x {
			parent[x] = x
			return x
		}
		parent[x] = find(parent[x])
		return parent[x]
	}
	type edge struct {
		score   float64
		reasons []matching.Reason
	}
	best := map[int64]edge{} // component root → strongest pair, filled after the union
	var edges []struct {
		a, b int64
		e    edge
	}
	now := u.now()
	for _, id := range order {
		res, err := u.api.Matching.Matches(ctx, id, matching.KindNeeds, 5, now)
		if err != nil {
			return nil, err
		}
		for _, it := range res.Items {
			if it.Score < latentMinScore || free[it.ID] == nil || free[it.ID].OrgID == free[id].OrgID {
				continue
			}
			parent[find(id)] = find(it.ID)
			edges = append(edges, struct {
				a, b int64
				e    edge
			}{id, it.ID, edge{it.Score, it.Reasons}})
		}
	}
	for _, e := range edges {
		root := find(e.a)
		if cur, ok := best[root]; !ok || e.e.score > cur.score {
			best[root] = e.e
		}
	}
	groups := map[int64]*latentGroup{}
	var roots []int64
	for _, id := range order {
		if _, linked := parent[id]; !linked {
			continue
		}
		root := find(id)
		g := groups[root]
		if g == nil {
			g = &latentGroup{}
			groups[root] = g
			roots = append(roots, root)
			for _, rs := range best[root].reasons {
				g.Reasons = append(g.Reasons, p.Text(rs.Text, rs.TextEN))
			}
		}
		n := free[id]
		g.Needs = append(g.Needs, latentNeed{Need: n, Org: nm.OrgName(n.OrgID)})
		if n.EstimatedValueSEK != nil {
			g.ValueSEK += *n.EstimatedValueSEK
		}
	}
	var out []latentGroup
	for _, root := range roots {
		g := groups[root]
		if len(g.Needs) < 2 {
			continue
		}
		sort.SliceStable(g.Needs, func(i, j int) bool { return g.Needs[i].ID < g.Needs[j].ID })
		out = append(out, *g)
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].Needs) > len(out[j].Needs) })
	for i := range out {
		out[i].Index = i + 1
	}
	return out, nil
}

// registerCharts counts projects by funder and category and calls by
// funder.
func (u *UI) registerCharts(r *http.Request, p *page, nm *names, d *brokerData) error {
	ctx := r.Context()
	projects, err := store.All(ctx, u.api.DB.Projects, nil)
	if err != nil {
		return err
	}
	byFunder, byCat := map[string]int{}, map[arena.ProjectCategory]int{}
	for _, x := range projects {
		name := p.T("broker.no_funder")
		if x.FunderID != nil {
			name = nm.FunderName(*x.FunderID)
		}
		byFunder[name]++
		byCat[x.Category]++
	}
	d.ByFunder = countChart(p, "projects-by-funder", p.T("broker.by_funder"), p.T("project.funder"), byFunder)
	cats := map[string]int{}
	for _, c := range arena.ProjectCategories {
		cats[p.E("category", c)] = byCat[c]
	}
	d.ByCategory = countChart(p, "projects-by-category", p.T("broker.by_category"), p.T("project.category"), cats)
	calls, err := store.All(ctx, u.api.DB.Calls, nil)
	if err != nil {
		return err
	}
	callsBy := map[string]int{}
	for _, c := range calls {
		callsBy[nm.FunderName(c.FunderID)]++
	}
	d.CallsByFund = countChart(p, "calls-by-funder", p.T("broker.calls_by_funder"), p.T("call.funder"), callsBy)
	return nil
}

// countChart draws counts by label, largest first.
func countChart(p *page, id, caption, head string, counts map[string]int) *chart {
	c := &chart{ID: id, Caption: caption, Heads: []string{head, p.T("funnel.count")}}
	labels := make([]string, 0, len(counts))
	total := 0
	for l, n := range counts {
		labels = append(labels, l)
		total += n
	}
	sort.SliceStable(labels, func(i, j int) bool {
		if counts[labels[i]] != counts[labels[j]] {
			return counts[labels[i]] > counts[labels[j]]
		}
		return labels[i] < labels[j]
	})
	for _, l := range labels {
		c.Bars = append(c.Bars, bar{Label: l, Display: p.Num(counts[l]), Value: float64(counts[l]), Cells: []string{p.Num(counts[l])}})
	}
	c.Summary = p.T("broker.chart_summary", total, len(labels))
	return c.layout()
}

// handleBrokerPropose forms a network from a latent group's needs.
func (u *UI) handleBrokerPropose(w http.ResponseWriter, r *http.Request) {
	if u.postForm(w, r) == nil || !u.requireBroker(w, r) {
		return
	}
	p := u.newPage(r, "broker")
	g := r.PostFormValue("group")
	if _, err := strconv.Atoi(g); err != nil {
		g = "0"
	}
	field := "group-" + g
	f := newForm(r.PostForm, field)
	var ids []int64
	for _, v := range f.Values["need"] {
		if x, err := strconv.ParseInt(v, 10, 64); err == nil {
			ids = append(ids, x)
		}
	}
	if len(ids) < 2 {
		f.Fail(field, p.T("err.two_orgs"))
		u.showBroker(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	nid, err := u.proposeNetwork(r, strings.TrimSpace(f.V("network_name")), ids)
	if err != nil {
		if c := arena.ErrorCode(err); c == arena.EINVALID || c == arena.ECONFLICT {
			f.Fail(field, p.errorText(err))
			u.showBroker(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		u.fail(w, r, err)
		return
	}
	http.Redirect(w, r, withNotice("/natverk/"+idStr(nid), "natverk"), http.StatusSeeOther)
}
