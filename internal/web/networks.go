package web

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/export"
	"github.com/arena-se/arena/internal/httpapi"
	"github.com/arena-se/arena/internal/networks"
	"github.com/arena-se/arena/internal/store"
)

// networkTabs are a network's pages: the path segment and the catalogue
// key of its name. The overview has no segment.
var networkTabs = []struct{ Slug, Key string }{
	{"", "network.tab.overview"},
	{"medlemmar", "network.tab.members"},
	{"plan", "network.tab.plan"},
	{"leveranser", "network.tab.deliverables"},
	{"uppfoljning", "network.tab.follow"},
	{"klassning", "network.tab.classification"},
	{"varningar", "network.tab.alerts"},
}

// networkListData is the list of networks.
type networkListData struct {
	Rows   []networkRow
	Query  string
	Kind   string
	Status string
}

type networkRow struct {
	*arena.Network
	Owner string
}

func (u *UI) handleNetworkList(w http.ResponseWriter, r *http.Request) {
	p := u.newPage(r, "networks")
	p.Title = p.T("networks.title")
	ctx := r.Context()
	q := r.URL.Query()
	d := &networkListData{Query: strings.TrimSpace(q.Get("q"))}
	filters := map[string]string{}
	if d.Query != "" {
		filters["q"] = d.Query
	}
	if k := q.Get("slag"); slices.Contains(arena.Codes(arena.NetworkKinds), k) {
		d.Kind, filters["kind"] = k, k
	}
	if s := q.Get("status"); slices.Contains(arena.Codes(arena.NetworkStatuses), s) {
		d.Status, filters["status"] = s, s
	}
	p.offerWatch(arena.WatchNetworks, filters)
	if u.serveRegister(w, r, p, "networks", filters) {
		return
	}
	p.Form = newForm(url.Values{"q": {d.Query}, "slag": {d.Kind}, "status": {d.Status}})
	nets, err := store.All(ctx, u.app.DB.Networks, filters)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	nm := u.names(ctx)
	for _, n := range nets {
		row := networkRow{Network: n}
		if n.OwnerOrgID != nil {
			row.Owner = nm.OrgName(*n.OwnerOrgID)
		}
		d.Rows = append(d.Rows, row)
	}
	sort.SliceStable(d.Rows, func(i, j int) bool { return strings.ToLower(d.Rows[i].Name) < strings.ToLower(d.Rows[j].Name) })
	p.Data = d
	u.render(w, r, http.StatusOK, "networks", p)
}

// KindOptions are the network kinds with "all" first.
func (p *page) KindOptions() []option {
	return append([]option{{Value: "", Label: p.T("search.any")}}, enumOptions(p, "network_kind", arena.NetworkKinds)...)
}

// StatusOptions are the network statuses with "all" first.
func (p *page) StatusOptions() []option {
	return append([]option{{Value: "", Label: p.T("search.any")}}, enumOptions(p, "network_status", arena.NetworkStatuses)...)
}

// networkPageData is one of a network's pages.
type networkPageData struct {
	O           *networks.Overview
	Tab         string
	Tabs        []tabView
	Members     []memberView
	Invitations []invitation // open invitations the user may answer
	Power       *chart
	Timeline    *timeline
	Funnel      *chart
	Procs       []procView
	Funders     map[int64]string // funding period → its funder's name
	Activities  []*arena.Activity
	CanEdit     bool     // the user may change the network's parts
	Editable    bool     // … and the network is not closed: the forms show
	CanClose    bool     // … and it is tactical
	ProcOrgs    []option // member organisations whose procurements the user records
	FunderOpts  []option
	DelivOpts   []option // the network's deliverables, for a member procurement
	PlanRows    []int
	IntentRows  []intentRow
	// Invitations by e-mail: the memberships the user may invite so (of
	// organisations without an admin), and those sent.
	InviteMembers []option
	EmailInvites  []inviteView
	CanInvite     bool     // the user may invite organisations (arena.CanCreateMember)
	AskOrgs       []option // the user's organisations that may ask to join (arena.CanAskToJoin)
	CanChange     bool     // the user may change the network's record (arena.CanChangeNetwork)
	CanSubGroup   bool     // the user may start a sub-group under it (arena.CanCreateNetwork)
	CanDialogue   bool     // the user may publish a market dialogue for it (arena.CanKeepDialogue)
	// The follow-up tab's funnel and members' procurements as downloads.
	FunnelExports, ProcExports *exportOffer
}

// inviteView is an invitation by e-mail with its organisation's name.
type inviteView struct {
	*arena.EmailInvite
	Org string
}

type tabView struct {
	Href, Label string
	Current     bool
}

// memberView is a member with what the user may do about it.
type memberView struct {
	networks.MemberView
	CanAnswer   bool // invited, and the user belongs to the organisation
	CanLeave    bool // active, and the user belongs to the organisation
	CanEdit     bool // the user runs the network or is the organisation's admin, and it is open
	CanWithdraw bool // the user may withdraw or remove it (arena.CanDeleteMember)
	CanDecide   bool // a request to join the user may approve or reject (arena.NetworkMember.Decide)
}

// intentRow is the purchasing power of one intent to buy.
type intentRow struct {
	Intent arena.Intent
	arena.IntentTotal
}

// procView is a member procurement with its advance form.
type procView struct {
	*arena.MemberProcurement
	Org         string
	Deliverable string
	Next        []option
	CanAdvance  bool
	CanEdit     bool // the user records this organisation's procurements, and the network is open
}

// StageDates lists the stages reached with their dates.
func (v procView) StageDates() []stageDate {
	var out []stageDate
	for _, s := range arena.ProcurementStages {
		if d := v.StageDate(s); d != nil {
			out = append(out, stageDate{Stage: s, Date: *d})
		}
	}
	return out
}

type stageDate struct {
	Stage arena.ProcurementStage
	Date  arena.Date
}

func (u *UI) handleNetworkShow(w http.ResponseWriter, r *http.Request) {
	u.showNetwork(w, r, http.StatusOK, nil)
}

// showNetwork renders a network's page for the tab of the path; f is a
// form of the page after a failed submit.
func (u *UI) showNetwork(w http.ResponseWriter, r *http.Request, status int, f *form) {
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	tab := r.PathValue("tab")
	known := false
	for _, t := range networkTabs {
		known = known || t.Slug == tab
	}
	if !known {
		u.handleNotFound(w, r)
		return
	}
	u.renderNetwork(w, r, status, id, tab, f)
}

func (u *UI) renderNetwork(w http.ResponseWriter, r *http.Request, status int, id int64, tab string, f *form) {
	ctx := r.Context()
	o, err := u.app.Networks.Overview(ctx, id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p := u.newPage(r, "networks")
	n := o.Network
	p.Title = n.Name
	d := &networkPageData{O: o, Tab: tab}
	for _, t := range networkTabs {
		href := "/natverk/" + idStr(n.ID)
		if t.Slug != "" {
			href += "/" + t.Slug
		}
		d.Tabs = append(d.Tabs, tabView{Href: href, Label: p.T(t.Key), Current: t.Slug == tab})
		if t.Slug == tab && t.Slug != "" {
			p.Title = p.T(t.Key) + " – " + n.Name
		}
	}
	a := p.Actor
	for _, m := range o.Members {
		mv := memberView{MemberView: m}
		// What the user may answer is the rule's (Answer), asked on a copy.
		mv.CanAnswer = mayAnswer(a, n, m.NetworkMember, arena.ActionAccept)
		mv.CanLeave = mayAnswer(a, n, m.NetworkMember, arena.ActionLeave)
		if mv.CanAnswer {
			d.Invitations = append(d.Invitations, invitation{Member: &mv.NetworkMember, Network: n, Org: orgName(m.Org), CanAnswer: true})
		}
		d.Members = append(d.Members, mv)
	}
	ns := o.State()
	st := ns.Standing
	for i := range d.Members {
		mv := &d.Members[i]
		mv.CanEdit = !n.ReadOnly() && (st.Manages() || a.IsOrgAdmin(mv.OrgID))
		mv.CanWithdraw = arena.CanDeleteMember(a, st, n, &mv.NetworkMember) == nil
		probe := mv.NetworkMember
		mv.CanDecide = probe.Decide(st, n, arena.ActionApprove) == nil
	}
	d.CanEdit = st.Works()
	d.Editable = arena.CanWorkInNetwork(st, n) == nil
	_, closeErr := arena.CanCloseNetwork(st, n, ns.Members)
	d.CanClose = closeErr == nil && n.Kind == arena.NetworkTactical
	nm := u.names(ctx)
	d.AskOrgs = askOrgs(a, n, d.Members, nm.OrgName)
	d.CanChange = arena.CanChangeNetwork(a, st, n, n, ns.Members) == nil
	d.CanDialogue = arena.CanKeepDialogue(a, nil, &arena.Dialogue{NetworkID: &n.ID}, nil, n, &st) == nil
	d.CanSubGroup = n.Kind == arena.NetworkStrategic && !n.ReadOnly() &&
		arena.CanCreateNetwork(a, &arena.Network{ParentID: &n.ID, Kind: arena.NetworkTactical}, &st) == nil
	recordFor, _ := procOrgs(a, ns)
	if f == nil {
		f = newForm(nil)
	}
	for k, v := range networkFormValues(o, recordFor) {
		if _, ok := f.Values[k]; !ok {
			f.Values[k] = v
		}
	}
	switch tab {
	case "":
		d.Power, d.IntentRows = powerChart(p, o.Power)
		d.Timeline = needTimeline(p, o)
		d.Funders = map[int64]string{}
		for _, fp := range o.FundingPeriods {
			if fp.FunderID != nil {
				d.Funders[fp.ID] = nm.FunderName(*fp.FunderID)
			}
		}
		if d.Editable {
			if d.FunderOpts, err = u.funderOptions(r, p); err != nil {
				u.fail(w, r, err)
				return
			}
		}
	case "plan":
		d.Activities = append(d.Activities, o.Activities...)
		sort.SliceStable(d.Activities, func(i, j int) bool {
			a, b := d.Activities[i].StartDate, d.Activities[j].StartDate
			if a == nil || b == nil {
				return a != nil
			}
			return a.Before(b.Time)
		})
		stored := 0
		if o.Plan != nil {
			stored = len(o.Plan.Responsibilities)
		}
		d.PlanRows = planRows(f.Values, stored)
	case "medlemmar":
		d.CanInvite = arena.CanCreateMember(a, st, n, &arena.NetworkMember{NetworkID: n.ID, Status: arena.MemberInvited}) == nil
		if err := u.emailInvites(r, d, ns); err != nil {
			u.fail(w, r, err)
			return
		}
	case "uppfoljning":
		if r.Method == http.MethodGet && u.serveNetworkExport(w, r, p, o) {
			return
		}
		tabPath := "/natverk/" + idStr(n.ID) + "/uppfoljning"
		d.FunnelExports = p.offerExport(r, tabPath, "tratt", "export.funnel", "export-funnel")
		d.ProcExports = p.offerExport(r, tabPath, "", "export.download", "export")
		d.Funnel = funnelChart(p, "network-funnel", o.Funnel)
		dels := map[int64]string{}
		for _, x := range o.Deliverables {
			dels[x.ID] = x.Title
		}
		for _, pr := range o.Procurements {
			v := procView{MemberProcurement: pr, Org: nm.OrgName(pr.OrgID)}
			if pr.DeliverableID != nil {
				v.Deliverable = dels[*pr.DeliverableID]
			}
			v.Next = nextStages(p, pr.Stage)
			v.CanEdit = slices.Contains(recordFor, pr.OrgID) && !n.ReadOnly()
			v.CanAdvance = len(v.Next) > 0 && v.CanEdit
			d.Procs = append(d.Procs, v)
		}
		for _, org := range recordFor {
			d.ProcOrgs = append(d.ProcOrgs, option{Value: idStr(org), Label: nm.OrgName(org)})
		}
		d.DelivOpts = []option{{Value: "", Label: p.T("follow.no_deliverable")}}
		for _, x := range o.Deliverables {
			d.DelivOpts = append(d.DelivOpts, option{Value: idStr(x.ID), Label: x.Title})
		}
	}
	p.Form = f
	p.Data = d
	u.render(w, r, status, "network", p)
}

// serveNetworkExport answers the follow-up tab asked for a format with
// its funnel (tabell=tratt) or its members' procurements, as the API's
// export of the network's funnel and of member-procurements?network_id=
// give them, and reports whether it did.
func (u *UI) serveNetworkExport(w http.ResponseWriter, r *http.Request, p *page, o *networks.Overview) bool {
	format, err := exportAsked(r)
	if err != nil {
		u.fail(w, r, err)
		return true
	}
	if format == "" {
		return false
	}
	name, build := export.FileName(export.FunnelFile, u.now()), func() (*export.Table, error) { return export.Funnel(o.Funnel, p.cat), nil }
	if r.URL.Query().Get("tabell") != "tratt" {
		reg := export.Registers["member-procurements"]
		name, build = export.FileName(reg.File, u.now()), func() (*export.Table, error) {
			return reg.Table(r.Context(), u.app.DB, map[string]string{"network_id": idStr(o.Network.ID)}, p.cat)
		}
	}
	if err := httpapi.ServeTable(w, r, u.app.Limits, format, name, build); err != nil {
		u.fail(w, r, err)
	}
	return true
}

// emailInvites fills in the members tab's invitations by e-mail: whom
// the user may invite so (arena.CanInviteByEmail) and what was sent
// (arena.CanSeeEmailInvites).
func (u *UI) emailInvites(r *http.Request, d *networkPageData, ns *store.NetworkState) error {
	ctx, st, n := r.Context(), ns.Standing, ns.Network
	invites, err := u.app.DB.EmailInvitesOf(ctx, ns)
	if err != nil || invites == nil && !st.Manages() {
		return err
	}
	var orgIDs []int64
	names := map[int64]string{}
	for _, m := range d.Members {
		orgIDs = append(orgIDs, m.OrgID)
		names[m.ID] = orgName(m.Org)
	}
	admins, err := u.app.DB.OrgsWithAdmin(ctx, orgIDs)
	if err != nil {
		return err
	}
	earlier := map[int64]int{}
	for _, i := range invites {
		d.EmailInvites = append(d.EmailInvites, inviteView{EmailInvite: i, Org: names[i.MemberID]})
		earlier[i.MemberID]++
	}
	for _, m := range d.Members {
		if arena.CanInviteByEmail(st, n, &m.NetworkMember, admins[m.OrgID], earlier[m.ID]) == nil {
			d.InviteMembers = append(d.InviteMembers, option{Value: idStr(m.ID), Label: orgName(m.Org)})
		}
	}
	return nil
}

// mayAnswer reports whether the actor may give the answer to a
// membership, by the domain's rule run on a copy.
func mayAnswer(a *arena.Actor, n *arena.Network, m arena.NetworkMember, action string) bool {
	return m.Answer(a, n, action) == nil
}

func orgName(o *arena.Organization) string {
	if o == nil {
		return ""
	}
	return o.Name
}

// nextStages are the stages a procurement at stage cur may move to.
func nextStages(p *page, cur arena.ProcurementStage) []option {
	var out []option
	switch cur {
	case arena.StageEvaluated, arena.StageWithdrawn:
		return nil
	case "":
		out = append(out, option{Value: string(arena.StagePlanned), Label: p.E("stage", arena.StagePlanned)})
	default:
		for i, s := range arena.ProcurementStages[:4] {
			if s == cur {
				next := arena.ProcurementStages[i+1]
				out = append(out, option{Value: string(next), Label: p.E("stage", next)})
			}
		}
	}
	return append(out, option{Value: string(arena.StageWithdrawn), Label: p.E("stage", arena.StageWithdrawn)})
}

// powerChart draws the joint purchasing power by intent to buy.
func powerChart(p *page, pp arena.PurchasingPower) (*chart, []intentRow) {
	c := &chart{ID: "power-chart", Caption: p.T("power.chart_caption"),
		Heads: []string{p.T("need.intent"), p.T("power.needs"), p.T("power.value")}}
	var rows []intentRow
	for i, in := range arena.Intents {
		t := pp.ByIntent[in]
		rows = append(rows, intentRow{Intent: in, IntentTotal: t})
		c.Bars = append(c.Bars, bar{Label: p.E("intent", in), Display: p.SEK(t.ValueSEK), Value: float64(t.ValueSEK), Class: i,
			Cells: []string{p.Num(t.Needs), p.SEK(t.ValueSEK)}})
	}
	c.Summary = p.T("power.chart_summary", p.SEK(pp.ValueSEK), pp.Members)
	return c.layout(), rows
}

// needTimeline places the members' planned procurements on a time axis.
func needTimeline(p *page, o *networks.Overview) *timeline {
	t := &timeline{ID: "timeline", Caption: p.T("timeline.caption"),
		Heads: []string{p.T("member.org"), p.T("need.title"), p.T("need.planned_date"), p.T("need.intent")}}
	for _, m := range o.Members {
		if m.Need == nil || m.Need.PlannedDate == nil || (m.Status != arena.MemberActive && m.Status != arena.MemberInvited) {
			continue
		}
		label := orgName(m.Org)
		if m.Status == arena.MemberInvited {
			label += " (" + p.T("member_status.invited") + ")"
		}
		t.Events = append(t.Events, event{Date: m.Need.PlannedDate.Time, Label: label,
			Cells: []string{m.Need.Title, p.ISO(m.Need.PlannedDate), p.E("intent", m.Need.Intent)}})
	}
	sort.SliceStable(t.Events, func(i, j int) bool { return t.Events[i].Date.Before(t.Events[j].Date) })
	if len(t.Events) == 0 {
		return nil
	}
	t.StartLabel = p.ISO(t.Events[0].Date)
	t.EndLabel = p.ISO(t.Events[len(t.Events)-1].Date)
	t.Summary = p.T("timeline.summary", len(t.Events), p.Date(t.Events[0].Date), p.Date(t.Events[len(t.Events)-1].Date))
	return t.layout()
}

// funnelChart draws the way from needs to implemented innovation.
func funnelChart(p *page, id string, f arena.Funnel) *chart {
	c := &chart{ID: id, Caption: p.T("funnel.caption"), Heads: []string{p.T("funnel.step"), p.T("funnel.count")}}
	add := func(label string, n, class int) {
		c.Bars = append(c.Bars, bar{Label: label, Display: p.Num(n), Value: float64(n), Class: class, Cells: []string{p.Num(n)}})
	}
	add(p.T("funnel.needs"), f.Needs, 0)
	add(p.T("funnel.networks"), f.Networks, 0)
	add(p.T("funnel.deliverables"), f.Deliverables, 0)
	for _, s := range arena.ProcurementStages {
		class := 1
		if s == arena.StageWithdrawn {
			class = 4
		}
		add(p.T("funnel.procurements", p.E("stage", s)), f.Procurements[s], class)
	}
	add(p.T("funnel.handovers"), f.Handovers, 5)
	add(p.T("funnel.implemented"), f.Implemented, 1)
	c.Summary = p.T("funnel.summary", f.Needs, f.Networks, f.Deliverables, f.Implemented)
	return c.layout()
}

// handleMemberRespond accepts or declines an invitation, or leaves.
func (u *UI) handleMemberRespond(w http.ResponseWriter, r *http.Request) {
	if u.postForm(w, r) == nil {
		return
	}
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	action := r.PathValue("action")
	notice := map[string]string{arena.ActionAccept: "accepted", arena.ActionDecline: "declined", arena.ActionLeave: "left",
		arena.ActionApprove: "medlem-godkand", arena.ActionReject: "medlem-avslagen"}[action]
	if notice == "" {
		u.handleNotFound(w, r)
		return
	}
	m, err := u.app.Networks.Act(r.Context(), id, action, 0)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	back := "/natverk/" + idStr(m.NetworkID)
	if action == arena.ActionApprove || action == arena.ActionReject {
		back = tabPath(m.NetworkID, "medlemmar")
	} else if b := r.PostFormValue("tillbaka"); b != "" && action != "decline" {
		back = localPath(b)
	} else if action == "decline" {
		back = "/"
	}
	http.Redirect(w, r, withNotice(back, notice), http.StatusSeeOther)
}

// handleAdvance moves a member procurement to its next stage.
func (u *UI) handleAdvance(w http.ResponseWriter, r *http.Request) {
	pr := postedRecord(u, w, r, u.app.DB.MemberProcurements)
	if pr == nil {
		return
	}
	ctx, id := r.Context(), pr.ID
	var err error
	p := u.newPage(r, "networks")
	sfx := "-" + idStr(id)
	f := newForm(r.PostForm, "stage"+sfx, "date"+sfx, "reason"+sfx)
	stage := arena.ProcurementStage(f.V("stage" + sfx))
	var on arena.Date
	if s := strings.TrimSpace(f.V("date" + sfx)); s == "" {
		f.Fail("date"+sfx, p.M(arena.M("err.procurement.stage_date", arena.F{"stage": stage.Term()})))
	} else if on, err = arena.ParseDate(s); err != nil {
		f.Fail("date"+sfx, p.M(arena.M("err.date", arena.F{"value": s})))
	}
	if f.OK() {
		version, _ := strconv.ParseInt(f.V("version"), 10, 64)
		_, err = u.app.Networks.Advance(ctx, id, stage, on, f.V("reason"+sfx), version)
		switch arena.ErrorCode(err) {
		case "":
			http.Redirect(w, r, withNotice("/natverk/"+idStr(pr.NetworkID)+"/uppfoljning", "steg"), http.StatusSeeOther)
			return
		case arena.EINVALID:
			field := arena.ErrorField(err)
			switch {
			case field == "stage":
				field = "stage" + sfx
			case strings.HasSuffix(field, "_date") || field == "date":
				field = "date" + sfx
			case field == "withdrawn_reason":
				field = "reason" + sfx
			}
			p.failFrom(f, &arena.Error{Code: arena.EINVALID, Field: field, Msg: arena.ErrorMsg(err)}, nil)
		case arena.EPRECONDITION:
			f.General = p.T("follow.stale")
		case arena.ECONFLICT:
			f.General = p.errorText(err)
		default:
			u.fail(w, r, err)
			return
		}
	}
	code := arena.ErrorCode(err)
	if code == "" {
		code = arena.EINVALID // the form's own checks failed
	}
	u.renderNetwork(w, r, httpapi.StatusOf(code), pr.NetworkID, "uppfoljning", f)
}
