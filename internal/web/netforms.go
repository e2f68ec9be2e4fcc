package web

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/httpapi"
	"github.com/arena-se/arena/internal/networks"
	"github.com/arena-se/arena/internal/store"
)

// The forms on a network's pages share the page's form, so each form's
// fields have names of their own: a failed submit shows its input and
// errors while the other forms keep their stored values.

// planBlankRows is how many empty responsibility rows the plan form offers
// beyond the stored ones; without JavaScript a row cannot be added.
const planBlankRows = 3

// planMaxRows bounds the responsibility rows a posted plan may have.
const planMaxRows = 100

// The fields of each form in page order, for the error summary.
var (
	planFields        = []string{"plan_goal", "plan_rules", "responsibilities"} // then who-N and what-N
	activityFields    = []string{"activity_kind", "activity_title", "activity_description", "activity_start", "activity_end", "activity_status"}
	deliverableFields = []string{"deliverable_kind", "deliverable_title", "deliverable_description", "deliverable_version", "deliverable_published", "deliverable_url"}
	procFields        = []string{"proc_org", "proc_deliverable", "proc_kind", "proc_body", "proc_title", "proc_planned", "proc_ref", "proc_ocid"}
	fundingFields     = []string{"funding_funder", "funding_start", "funding_end", "funding_amount", "funding_note"}
)

// The domain's field names → the forms' names.
var (
	planErrorFields        = map[string]string{"goal": "plan_goal", "rules": "plan_rules"}
	activityErrorFields    = map[string]string{"kind": "activity_kind", "title": "activity_title", "description": "activity_description", "start_date": "activity_start", "end_date": "activity_end", "status": "activity_status"}
	deliverableErrorFields = map[string]string{"kind": "deliverable_kind", "title": "deliverable_title", "description": "deliverable_description", "doc_version": "deliverable_version", "published_date": "deliverable_published", "url": "deliverable_url"}
	procErrorFields        = map[string]string{"org_id": "proc_org", "deliverable_id": "proc_deliverable", "kind": "proc_kind", "central_purchasing_body": "proc_body", "title": "proc_title", "planned_date": "proc_planned", "procurement_ref": "proc_ref", "ocid": "proc_ocid"}
	fundingErrorFields     = map[string]string{"funder_id": "funding_funder", "start_date": "funding_start", "end_date": "funding_end", "amount_sek": "funding_amount", "note": "funding_note"}
)

// procOrgs are the member organisations whose procurements the actor
// may record (arena.CanRecordProcurement, asked for each active member);
// none gives the rule's refusal.
func procOrgs(a *arena.Actor, st *store.NetworkState) ([]int64, error) {
	var orgs []int64
	refusal := arena.Forbidden("err.forbidden.procurement")
	for _, m := range st.Members {
		if m.Status != arena.MemberActive {
			continue
		}
		err := arena.CanRecordProcurement(a, st.Network, st.Members, &arena.MemberProcurement{NetworkID: st.Network.ID, OrgID: m.OrgID})
		if err == nil {
			orgs = append(orgs, m.OrgID)
		} else if arena.ErrorCode(err) == arena.ECONFLICT {
			refusal = err.(*arena.Error)
		}
	}
	if len(orgs) == 0 {
		return nil, refusal
	}
	return orgs, nil
}

// networkFormValues are the forms' values before the user types: the
// stored plan, each activity's status and the usual choices.
func networkFormValues(o *networks.Overview, procOrgs []int64) url.Values {
	v := url.Values{}
	v.Set("plan_version", "0")
	if pl := o.Plan; pl != nil {
		v.Set("plan_goal", pl.Goal)
		v.Set("plan_rules", pl.Rules)
		v.Set("plan_version", strconv.FormatInt(pl.Version, 10))
		for i, x := range pl.Responsibilities {
			v.Set(rowName("who", i), x.Who)
			v.Set(rowName("what", i), x.What)
		}
	}
	for _, a := range o.Activities {
		v.Set("status-"+idStr(a.ID), string(a.Status))
	}
	v.Set("activity_status", string(arena.ActivityPlanned))
	v.Set("proc_kind", string(arena.FollowOwnProcurement))
	if len(procOrgs) > 0 {
		v.Set("proc_org", idStr(procOrgs[0]))
	}
	return v
}

func rowName(col string, i int) string { return col + "-" + strconv.Itoa(i) }

// planRows is how many responsibility rows the plan form shows: the stored
// ones and some empty ones, or as many as were posted.
func planRows(v url.Values, stored int) []int {
	n := stored + planBlankRows
	if p := postedRows(v); p > n {
		n = p
	}
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// postedRows is one more than the highest responsibility row in v.
func postedRows(v url.Values) int {
	n := 0
	for k := range v {
		for _, col := range []string{"who-", "what-"} {
			if s, ok := strings.CutPrefix(k, col); ok {
				if i, err := strconv.Atoi(s); err == nil && i >= 0 && i < planMaxRows && i+1 > n {
					n = i + 1
				}
			}
		}
	}
	return n
}

// ActivityKindOptions are the activity template list.
func (p *page) ActivityKindOptions() []option {
	return enumOptions(p, "activity_kind", arena.ActivityKinds)
}

// ActivityStatusOptions are the activity statuses.
func (p *page) ActivityStatusOptions() []option {
	return enumOptions(p, "activity_status", arena.ActivityStatuses)
}

// DeliverableKindOptions are the kinds of deliverable.
func (p *page) DeliverableKindOptions() []option {
	return enumOptions(p, "deliverable_kind", arena.DeliverableKinds)
}

// FollowKindOptions are own procurement and hand-over.
func (p *page) FollowKindOptions() []option {
	return enumOptions(p, "follow_kind", arena.FollowThroughKinds)
}

// netPost is a form posted about a network: the network with its members
// and the actor's standing, what the rules decide on.
type netPost struct {
	n  *arena.Network
	st *store.NetworkState
	p  *page
}

// loadNetworkPost reads the network a posted form is about, its members
// and the actor's standing; it answers itself and returns nil when that
// fails. The caller has checked the form's CSRF token.
func (u *UI) loadNetworkPost(w http.ResponseWriter, r *http.Request, id int64) *netPost {
	st, err := u.app.DB.NetworkState(r.Context(), id)
	if err != nil {
		u.fail(w, r, err)
		return nil
	}
	return &netPost{n: st.Network, st: st, p: u.newPage(r, "networks")}
}

// networkPostFor checks the form's CSRF token and reads the network of the
// path; nil when the request was answered.
func (u *UI) networkPostFor(w http.ResponseWriter, r *http.Request) *netPost {
	if u.postForm(w, r) == nil {
		return nil
	}
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return nil
	}
	return u.loadNetworkPost(w, r, id)
}

// refused answers a form the rule refused (err, from the domain's rule
// for the form): a closed network shows the tab again with the message
// above the form, any other refusal the error page. It reports whether it
// answered.
func (u *UI) refused(w http.ResponseWriter, r *http.Request, np *netPost, err error, tab string, f *form) bool {
	switch code := arena.ErrorCode(err); code {
	case "":
		return false
	case arena.ECONFLICT:
		f.General = np.p.errorText(err)
		u.renderNetwork(w, r, httpapi.StatusOf(code), np.n.ID, tab, f)
	default:
		u.fail(w, r, err)
	}
	return true
}

// tabPath is the address of a network's tab.
func tabPath(id int64, tab string) string {
	if tab == "" {
		return "/natverk/" + idStr(id)
	}
	return "/natverk/" + idStr(id) + "/" + tab
}

// finishNetworkPost redirects to the tab with a notice after a write, or
// shows the store's refusal with the user's input: invalid values next to
// their fields (422), a closed network or a newer version above the form
// (409), a refused right as 403.
func (u *UI) finishNetworkPost(w http.ResponseWriter, r *http.Request, np *netPost, tab string, f *form, err error, fieldOf map[string]string, notice, staleKey string) {
	p := np.p
	code := arena.ErrorCode(err)
	switch code {
	case "":
		http.Redirect(w, r, withNotice(tabPath(np.n.ID, tab), notice), http.StatusSeeOther)
		return
	case arena.EINVALID:
		p.failFrom(f, err, fieldOf)
	case arena.ECONFLICT:
		f.General = p.errorText(err)
	case arena.EPRECONDITION:
		f.General = p.T(staleKey)
	default:
		u.fail(w, r, err)
		return
	}
	u.renderNetwork(w, r, httpapi.StatusOf(code), np.n.ID, tab, f)
}

// dateField reads a date field; an empty one is nil, or an error with the
// message requiredKey when required.
func dateField(p *page, f *form, name, requiredKey string) *arena.Date {
	s := strings.TrimSpace(f.V(name))
	if s == "" {
		if requiredKey != "" {
			f.Fail(name, p.T(requiredKey))
		}
		return nil
	}
	d, err := arena.ParseDate(s)
	if err != nil {
		f.Fail(name, p.T("err.date"))
		return nil
	}
	return &d
}

// datesInOrder puts an error on the end date when it is before the start.
func datesInOrder(p *page, f *form, start, end *arena.Date, endName string) {
	if start != nil && end != nil && end.Before(start.Time) {
		f.Fail(endName, p.T("err.end_before_start"))
	}
}

// requiredText reads a text field that must not be empty.
func requiredText(p *page, f *form, name, key string) string {
	s := strings.TrimSpace(f.V(name))
	if s == "" {
		f.Fail(name, p.T(key))
	}
	return s
}

// handlePlanSave writes the network's plan: goal, rules and who is
// responsible for what. Empty rows are left out.
func (u *UI) handlePlanSave(w http.ResponseWriter, r *http.Request) {
	np := u.networkPostFor(w, r)
	if np == nil {
		return
	}
	p, n := np.p, np.n
	rows := postedRows(r.PostForm)
	order := append([]string{}, planFields...)
	for i := 0; i < rows; i++ {
		order = append(order, rowName("who", i), rowName("what", i))
	}
	f := newForm(r.PostForm, order...)
	if u.refused(w, r, np, arena.CanWorkInNetwork(np.st.Standing, np.n), "plan", f) {
		return
	}
	plan := &arena.NetworkPlan{NetworkID: n.ID, Goal: strings.TrimSpace(f.V("plan_goal")), Rules: strings.TrimSpace(f.V("plan_rules")),
		Responsibilities: []arena.Responsibility{}}
	for i := 0; i < rows; i++ {
		who, what := strings.TrimSpace(f.V(rowName("who", i))), strings.TrimSpace(f.V(rowName("what", i)))
		switch {
		case who == "" && what == "":
		case who == "":
			f.Fail(rowName("who", i), p.T("err.who_required"))
		case what == "":
			f.Fail(rowName("what", i), p.T("err.what_required"))
		default:
			plan.Responsibilities = append(plan.Responsibilities, arena.Responsibility{Who: who, What: what})
		}
	}
	if !f.OK() {
		u.renderNetwork(w, r, httpapi.StatusOf(arena.EINVALID), n.ID, "plan", f)
		return
	}
	ctx := r.Context()
	plans, err := store.All(ctx, u.app.DB.NetworkPlans, map[string]string{"network_id": idStr(n.ID)})
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if len(plans) == 0 {
		err = u.app.DB.NetworkPlans.Create(ctx, plan)
	} else {
		plan.ID = plans[0].ID
		version, _ := strconv.ParseInt(f.V("plan_version"), 10, 64)
		err = u.app.DB.NetworkPlans.Update(ctx, plan, version)
		if arena.ErrorCode(err) == arena.EPRECONDITION {
			// Saving again now overwrites the newer version on purpose.
			f.Values.Set("plan_version", strconv.FormatInt(plans[0].Version, 10))
		}
	}
	u.finishNetworkPost(w, r, np, "plan", f, err, planErrorFields, "plan", "plan.stale")
}

// handleActivityCreate adds an activity chosen from the template list.
func (u *UI) handleActivityCreate(w http.ResponseWriter, r *http.Request) {
	np := u.networkPostFor(w, r)
	if np == nil {
		return
	}
	p, n := np.p, np.n
	f := newForm(r.PostForm, activityFields...)
	if u.refused(w, r, np, arena.CanWorkInNetwork(np.st.Standing, np.n), "plan", f) {
		return
	}
	a := &arena.Activity{NetworkID: n.ID, Kind: arena.ActivityKind(f.V("activity_kind")), Status: arena.ActivityStatus(f.V("activity_status")),
		Description: strings.TrimSpace(f.V("activity_description"))}
	if !slices.Contains(arena.Codes(arena.ActivityKinds), string(a.Kind)) {
		f.Fail("activity_kind", p.T("err.choice"))
	}
	a.Title = requiredText(p, f, "activity_title", "err.activity_title")
	a.StartDate = dateField(p, f, "activity_start", "")
	a.EndDate = dateField(p, f, "activity_end", "")
	datesInOrder(p, f, a.StartDate, a.EndDate, "activity_end")
	if !f.OK() {
		u.renderNetwork(w, r, httpapi.StatusOf(arena.EINVALID), n.ID, "plan", f)
		return
	}
	err := u.app.DB.Activities.Create(r.Context(), a)
	u.finishNetworkPost(w, r, np, "plan", f, err, activityErrorFields, "aktivitet", "activity.stale")
}

// handleActivityStatus changes an activity's status.
func (u *UI) handleActivityStatus(w http.ResponseWriter, r *http.Request) {
	a := postedRecord(u, w, r, u.app.DB.Activities)
	if a == nil {
		return
	}
	np := u.loadNetworkPost(w, r, a.NetworkID)
	if np == nil {
		return
	}
	name := "status-" + idStr(a.ID)
	f := newForm(r.PostForm, name)
	if u.refused(w, r, np, arena.CanWorkInNetwork(np.st.Standing, np.n), "plan", f) {
		return
	}
	a.Status = arena.ActivityStatus(f.V(name))
	version, _ := strconv.ParseInt(f.V("version"), 10, 64)
	err := u.app.DB.Activities.Update(r.Context(), a, version)
	u.finishNetworkPost(w, r, np, "plan", f, err, map[string]string{"status": name}, "aktivitetsstatus", "activity.stale")
}

// handleDeliverableCreate adds a deliverable with its document version.
func (u *UI) handleDeliverableCreate(w http.ResponseWriter, r *http.Request) {
	np := u.networkPostFor(w, r)
	if np == nil {
		return
	}
	p, n := np.p, np.n
	f := newForm(r.PostForm, deliverableFields...)
	if u.refused(w, r, np, arena.CanWorkInNetwork(np.st.Standing, np.n), "leveranser", f) {
		return
	}
	d := &arena.Deliverable{NetworkID: n.ID, Kind: arena.DeliverableKind(f.V("deliverable_kind")),
		Description: strings.TrimSpace(f.V("deliverable_description")), DocVersion: strings.TrimSpace(f.V("deliverable_version")),
		URL: strings.TrimSpace(f.V("deliverable_url"))}
	if !slices.Contains(arena.Codes(arena.DeliverableKinds), string(d.Kind)) {
		f.Fail("deliverable_kind", p.T("err.choice"))
	}
	d.Title = requiredText(p, f, "deliverable_title", "err.deliverable_title")
	d.PublishedDate = dateField(p, f, "deliverable_published", "")
	if d.URL != "" && !webAddress(d.URL) {
		f.Fail("deliverable_url", p.T("err.url"))
	}
	if !f.OK() {
		u.renderNetwork(w, r, httpapi.StatusOf(arena.EINVALID), n.ID, "leveranser", f)
		return
	}
	err := u.app.DB.Deliverables.Create(r.Context(), d)
	u.finishNetworkPost(w, r, np, "leveranser", f, err, deliverableErrorFields, "leverans", "error.stale.text")
}

// webAddress accepts a full http or https address.
func webAddress(s string) bool {
	x, err := url.Parse(s)
	return err == nil && (x.Scheme == "https" || x.Scheme == "http") && x.Host != "" && !strings.ContainsAny(s, " \t\r\n")
}

// handleProcurementCreate records a member organisation's own procurement
// that uses the network's work, or its hand-over to a central purchasing
// body. It starts at stage planned.
func (u *UI) handleProcurementCreate(w http.ResponseWriter, r *http.Request) {
	np := u.networkPostFor(w, r)
	if np == nil {
		return
	}
	p, n := np.p, np.n
	f := newForm(r.PostForm, procFields...)
	orgs, err := procOrgs(p.Actor, np.st)
	if u.refused(w, r, np, err, "uppfoljning", f) {
		return
	}
	ctx := r.Context()
	pr := &arena.MemberProcurement{NetworkID: n.ID, Kind: arena.FollowThroughKind(f.V("proc_kind")), Stage: arena.StagePlanned,
		ProcurementRef: strings.TrimSpace(f.V("proc_ref")), OCID: strings.TrimSpace(f.V("proc_ocid"))}
	// Whose procurement the user may record is the domain's rule
	// (CanRecordProcurement), asked when it is stored.
	if org, err := strconv.ParseInt(f.V("proc_org"), 10, 64); err == nil {
		pr.OrgID = org
	} else if f.V("proc_org") == "" && len(orgs) == 1 {
		pr.OrgID = orgs[0]
	} else {
		f.Fail("proc_org", p.T("err.proc_org"))
	}
	if s := f.V("proc_deliverable"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		var d *arena.Deliverable
		if err == nil {
			d, err = u.app.DB.Deliverables.Get(ctx, id)
		}
		if err != nil && arena.ErrorCode(err) != arena.ENOTFOUND {
			u.fail(w, r, err)
			return
		}
		if d == nil || d.NetworkID != n.ID {
			f.Fail("proc_deliverable", p.T("err.deliverable_pick"))
		} else {
			pr.DeliverableID = &d.ID
		}
	}
	switch pr.Kind {
	case arena.FollowOwnProcurement:
	case arena.FollowHandover:
		pr.CentralBody = requiredText(p, f, "proc_body", "err.central_body")
	default:
		f.Fail("proc_kind", p.T("err.choice"))
	}
	pr.Title = requiredText(p, f, "proc_title", "err.proc_title")
	pr.PlannedDate = dateField(p, f, "proc_planned", "err.planned_date")
	if !f.OK() {
		u.renderNetwork(w, r, httpapi.StatusOf(arena.EINVALID), n.ID, "uppfoljning", f)
		return
	}
	err = u.app.DB.MemberProcurements.Create(ctx, pr)
	u.finishNetworkPost(w, r, np, "uppfoljning", f, err, procErrorFields, "upphandling", "follow.stale")
}

// handleFundingCreate adds a funding period: who pays, from when to when.
func (u *UI) handleFundingCreate(w http.ResponseWriter, r *http.Request) {
	np := u.networkPostFor(w, r)
	if np == nil {
		return
	}
	p, n := np.p, np.n
	f := newForm(r.PostForm, fundingFields...)
	if u.refused(w, r, np, arena.CanWorkInNetwork(np.st.Standing, np.n), "", f) {
		return
	}
	ctx := r.Context()
	fp := &arena.FundingPeriod{NetworkID: n.ID, Note: strings.TrimSpace(f.V("funding_note"))}
	if id, err := strconv.ParseInt(f.V("funding_funder"), 10, 64); err != nil || id <= 0 {
		f.Fail("funding_funder", p.T("err.funder"))
	} else if _, err := u.app.DB.Funders.Get(ctx, id); arena.ErrorCode(err) == arena.ENOTFOUND {
		f.Fail("funding_funder", p.T("err.funder"))
	} else if err != nil {
		u.fail(w, r, err)
		return
	} else {
		fp.FunderID = &id
	}
	fp.StartDate = dateField(p, f, "funding_start", "err.start_date")
	fp.EndDate = dateField(p, f, "funding_end", "err.end_date")
	datesInOrder(p, f, fp.StartDate, fp.EndDate, "funding_end")
	if s := strings.TrimSpace(f.V("funding_amount")); s != "" {
		if v, err := parseAmount(s); err != nil {
			f.Fail("funding_amount", p.T("err.amount"))
		} else if v < 0 {
			f.Fail("funding_amount", p.T("err.negative"))
		} else {
			fp.AmountSEK = &v
		}
	}
	if !f.OK() {
		u.renderNetwork(w, r, httpapi.StatusOf(arena.EINVALID), n.ID, "", f)
		return
	}
	err := u.app.DB.FundingPeriods.Create(ctx, fp)
	u.finishNetworkPost(w, r, np, "", f, err, fundingErrorFields, "finansiering", "error.stale.text")
}

// handleNetworkClose closes a tactical network: when every member
// procurement is done, or because the members decided so. Whether the
// user may is the domain's (arena.CanCloseNetwork), asked by the service.
func (u *UI) handleNetworkClose(w http.ResponseWriter, r *http.Request) {
	np := u.networkPostFor(w, r)
	if np == nil {
		return
	}
	p, n := np.p, np.n
	f := newForm(r.PostForm, "close_decided")
	version, _ := strconv.ParseInt(f.V("version"), 10, 64)
	_, err := u.app.Networks.Close(r.Context(), n.ID, f.V("close_decided") != "", version)
	switch code := arena.ErrorCode(err); code {
	case "":
		http.Redirect(w, r, withNotice(tabPath(n.ID, ""), "stangt"), http.StatusSeeOther)
	case arena.ECONFLICT, arena.EINVALID:
		f.Fail("close_decided", p.T("close.not_yet", p.errorText(err)))
		u.renderNetwork(w, r, httpapi.StatusOf(code), n.ID, "", f)
	case arena.EPRECONDITION:
		f.General = p.T("error.stale.text")
		u.renderNetwork(w, r, httpapi.StatusOf(code), n.ID, "", f)
	default:
		u.fail(w, r, err)
	}
}

// funderOptions are the funders by name, after a "choose" entry.
func (u *UI) funderOptions(r *http.Request, p *page) ([]option, error) {
	fs, err := store.All(r.Context(), u.app.DB.Funders, nil)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(fs, func(i, j int) bool { return strings.ToLower(fs[i].Name) < strings.ToLower(fs[j].Name) })
	out := []option{{Value: "", Label: p.T("funding.pick_funder")}}
	for _, x := range fs {
		out = append(out, option{Value: idStr(x.ID), Label: x.Name})
	}
	return out, nil
}
