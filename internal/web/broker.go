package web

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/httpapi"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/store"
)

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

// latentGroup is one of the matching service's latent networks, numbered
// for the page's forms, with the needs ticked at first: one of each
// organisation (a network takes one need per organisation).
type latentGroup struct {
	Index int
	matching.LatentGroup
	Ticked map[int64]bool
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
	if err := arena.CanUseBrokerView(arena.ActorFrom(r.Context())); err != nil {
		u.fail(w, r, err)
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
	if u.app.Matching != nil {
		groups, err := u.app.Matching.LatentNetworks(ctx, u.now())
		if err != nil {
			u.fail(w, r, err)
			return
		}
		for i, g := range groups {
			lg := latentGroup{Index: i + 1, LatentGroup: g, Ticked: map[int64]bool{}}
			orgs := map[int64]bool{}
			for _, n := range g.Needs {
				if !orgs[n.OrgID] {
					orgs[n.OrgID], lg.Ticked[n.ID] = true, true
				}
			}
			d.Latent = append(d.Latent, lg)
		}
	}
	alerts, err := u.app.DB.Alerts(ctx, store.AlertFilter{})
	if err != nil {
		u.fail(w, r, err)
		return
	}
	byNet := map[int64]*riskRow{}
	for _, a := range alerts {
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
	fu, err := u.app.Networks.Funnel(ctx)
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

// registerCharts counts projects by funder and category and calls by
// funder.
func (u *UI) registerCharts(r *http.Request, p *page, nm *names, d *brokerData) error {
	ctx := r.Context()
	projects, err := store.All(ctx, u.app.DB.Projects, nil)
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
	calls, err := store.All(ctx, u.app.DB.Calls, nil)
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
		f.Fail(field, p.M(arena.M("err.network.two_orgs")))
		u.showBroker(w, r, httpapi.StatusOf(arena.EINVALID), f)
		return
	}
	nid, err := u.proposeNetwork(r, strings.TrimSpace(f.V("network_name")), ids)
	if err != nil {
		if c := arena.ErrorCode(err); c == arena.EINVALID || c == arena.ECONFLICT {
			f.Fail(field, p.errorText(err))
			u.showBroker(w, r, httpapi.StatusOf(c), f)
			return
		}
		u.fail(w, r, err)
		return
	}
	http.Redirect(w, r, withNotice("/natverk/"+idStr(nid), "natverk"), http.StatusSeeOther)
}
