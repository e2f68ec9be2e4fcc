package web

import (
	"context"
	"maps"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/httpapi"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/store"
)

// needFields are the need form's fields in page order.
var needFields = []string{"org_id", "title", "description", "cpv_codes", "sector", "estimated_value_sek", "volume", "volume_unit", "planned_date", "intent", "visibility"}

// needFormData is the need form page's own data.
type needFormData struct {
	Need        *arena.Need // nil for a new need
	Action      string
	Orgs        []option // the user's organisations, when more than one
	Suggestions []cpvView
	SuggestErr  string
	Suggested   bool // the user asked for suggestions
	Stale       *arena.Need
}

// cpvView is a CPV code with its label in the page's language.
type cpvView struct {
	Code, Label, Why string
}

// needListData is the list of needs.
type needListData struct {
	// Mine are the newest ownListMax of the user's organisations' needs;
	// when they have more, MineTotal says how many and MineAllHref lists
	// them all, a page at a time.
	Mine        []needRow
	MineTotal   int
	MineAllHref string
	// OwnOnly: the paged list is the user's organisations' needs
	// (?egna=1), not the others'; AllHref goes back to the others'.
	OwnOnly bool
	AllHref string
	Others  []needRow
	Query   string
	Intent  string
	Total   int
	// Counties are the län to filter by (the reference data's).
	Counties []option
	// OlderHref and NewestHref page through the others' needs, newest
	// first; "" where there is no such page.
	OlderHref, NewestHref string
}

// needRow is a need as a list shows it, its values worded in the page's
// language beforehand: a table of plain fields renders several times
// faster than one that calls the page's methods in every cell.
type needRow struct {
	ID                        int64
	Title, Org                string
	Intent, Visibility, Value string // worded
	Planned                   string // the planned date, ISO
	PlannedText               string // … and in words, where a table shows them
	HasPlanned                bool
}

func (p *page) needRow(n *arena.Need, org string) needRow {
	r := needRow{ID: n.ID, Title: n.Title, Org: org, Intent: p.E("intent", n.Intent), Visibility: p.E("visibility", n.Visibility),
		Value: p.SEK(n.EstimatedValueSEK)}
	if n.PlannedDate != nil {
		r.HasPlanned, r.Planned = true, p.ISO(n.PlannedDate)
	}
	return r
}

// needListPage is how many needs of others a page of the list shows.
const needListPage = 50

// ownListMax is how many of the user's organisations' needs the list
// shows above the others' (the newest); the rest are a link away, so a
// page costs the same whether the organisation has ten needs or a whole
// procurement plan.
const ownListMax = 20

func (u *UI) handleNeedList(w http.ResponseWriter, r *http.Request) {
	p := u.newPage(r, "needs")
	p.Title = p.T("needs.title")
	ctx := r.Context()
	q := r.URL.Query()
	d := &needListData{Query: strings.TrimSpace(q.Get("q")), Intent: q.Get("avsikt")}
	p.Form = newForm(url.Values{"q": {d.Query}, "avsikt": {d.Intent}}, "cpv")
	filters := map[string]string{}
	if d.Query != "" {
		filters["q"] = d.Query
	}
	if d.Intent != "" {
		if !slices.Contains(arena.Codes(arena.Intents), d.Intent) {
			d.Intent = ""
		} else {
			filters["intent"] = d.Intent
		}
	}
	// The CPV code takes its subtree; a code of the wrong form is said
	// next to the field and filters nothing.
	if v := strings.TrimSpace(q.Get("cpv")); v != "" {
		p.Form.Values.Set("cpv", v)
		if _, err := arena.CPVSubtree(v); err != nil {
			p.Form.Fail("cpv", p.errorText(err))
		} else {
			filters["cpv"] = v
		}
	}
	d.Counties = []option{{Value: "", Label: p.T("search.any")}}
	for _, c := range u.app.DB.Reference().Counties() {
		d.Counties = append(d.Counties, option{Value: c.Code, Label: c.Name})
	}
	if v := q.Get("lan"); v != "" && slices.ContainsFunc(d.Counties, func(o option) bool { return o.Value == v }) {
		p.Form.Values.Set("lan", v)
		filters["lan"] = v
	}
	if v := q.Get("organisation"); slices.Contains(arena.Codes(arena.OrgKinds), v) {
		p.Form.Values.Set("organisation", v)
		filters["org_kind"] = v
	}
	// ?egna=1: the page, and its download, are of the user's
	// organisations' needs, which no one watches for news.
	orgIDs := p.Actor.OrgIDs()
	ids := make([]string, len(orgIDs))
	for i, id := range orgIDs {
		ids[i] = idStr(id)
	}
	d.OwnOnly = q.Get("egna") == "1" && len(ids) > 0
	own := maps.Clone(filters)
	own["org_ids"] = strings.Join(ids, ",")
	registered := filters
	if d.OwnOnly {
		registered = own
	} else {
		p.offerWatch(arena.WatchNeeds, filters)
	}
	if u.serveRegister(w, r, p, "needs", registered) {
		return
	}
	// Older pages of the others' needs: those with an id below fore. A
	// bad number is the first page.
	before, err := strconv.ParseInt(q.Get("fore"), 10, 64)
	if err != nil || before < 0 {
		before = 0
	}
	// The newest of the user's organisations' needs, a page of the
	// others' needs, newest first, and how many the others have: bounded
	// reads, not every need. With ?egna=1 the page is of the user's
	// organisations' needs instead.
	page := func(fore int64, own bool) string {
		v := url.Values{}
		if d.Query != "" {
			v.Set("q", d.Query)
		}
		if d.Intent != "" {
			v.Set("avsikt", d.Intent)
		}
		for param, filter := range map[string]string{"cpv": "cpv", "lan": "lan", "organisation": "org_kind"} {
			if f := filters[filter]; f != "" {
				v.Set(param, f)
			}
		}
		if own {
			v.Set("egna", "1")
		}
		if fore > 0 {
			v.Set("fore", strconv.FormatInt(fore, 10))
		}
		if len(v) == 0 {
			return "/behov"
		}
		return "/behov?" + v.Encode()
	}
	listed := maps.Clone(filters)
	if len(ids) > 0 {
		if d.OwnOnly {
			listed = own
			d.AllHref = page(0, false)
		} else {
			listed["not_org_ids"] = own["org_ids"]
			mine, err := store.Newest(ctx, u.app.DB.Needs, own, 0, ownListMax+1)
			if err != nil {
				u.fail(w, r, err)
				return
			}
			if len(mine) > ownListMax {
				mine = mine[:ownListMax]
				if d.MineTotal, err = store.Count(ctx, u.app.DB.Needs, own); err != nil {
					u.fail(w, r, err)
					return
				}
				d.MineAllHref = page(0, true)
			}
			for _, n := range mine {
				d.Mine = append(d.Mine, p.needRow(n, ""))
			}
		}
	}
	// One more than a page tells whether there is an older page.
	newest, err := store.Newest(ctx, u.app.DB.Needs, listed, before, needListPage+1)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	total, err := store.Count(ctx, u.app.DB.Needs, listed)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	nm := u.names(ctx)
	var orgs []int64
	for _, n := range newest {
		orgs = append(orgs, n.OrgID)
	}
	nm.loadOrgs(orgs...)
	for _, n := range newest {
		if len(d.Others) == needListPage {
			d.OlderHref = page(d.Others[len(d.Others)-1].ID, d.OwnOnly)
			break
		}
		d.Others = append(d.Others, p.needRow(n, nm.OrgName(n.OrgID)))
	}
	if before > 0 {
		d.NewestHref = page(0, d.OwnOnly)
	}
	d.Total = total
	p.Data = d
	u.render(w, r, http.StatusOK, "needs", p)
}

func (u *UI) handleNeedNew(w http.ResponseWriter, r *http.Request) {
	a := u.requireActor(w, r)
	if a == nil {
		return
	}
	if len(a.Orgs) == 0 {
		u.errorPage(w, r, httpapi.StatusOf(arena.EFORBIDDEN), "error.no_org", "")
		return
	}
	f := newForm(url.Values{"intent": {string(arena.IntentExplore)}, "visibility": {string(arena.VisibilityPublic)},
		"org_id": {idStr(a.Orgs[0].OrgID)}}, needFields...)
	u.renderNeedForm(w, r, http.StatusOK, nil, f, &needFormData{})
}

func (u *UI) handleNeedEdit(w http.ResponseWriter, r *http.Request) {
	a := u.requireActor(w, r)
	if a == nil {
		return
	}
	n, err := u.ownNeed(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.renderNeedForm(w, r, http.StatusOK, n, needValues(n), &needFormData{Need: n})
}

// ownNeed reads the need of the path, which the actor's organisation must own.
func (u *UI) ownNeed(r *http.Request) (*arena.Need, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	n, err := u.app.DB.Needs.Get(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if err := arena.CanChangeNeed(arena.ActorFrom(r.Context()), n, n); err != nil {
		return nil, err
	}
	return n, nil
}

// needValues fills the form from a stored need.
func needValues(n *arena.Need) *form {
	v := url.Values{}
	v.Set("org_id", idStr(n.OrgID))
	v.Set("title", n.Title)
	v.Set("description", n.Description)
	v.Set("cpv_codes", strings.Join(n.CPVCodes, ", "))
	v.Set("sector", n.Sector)
	if n.EstimatedValueSEK != nil {
		v.Set("estimated_value_sek", groupInt(*n.EstimatedValueSEK, " "))
	}
	if n.Volume != nil {
		v.Set("volume", groupFloat(*n.Volume, " ", ","))
	}
	v.Set("volume_unit", n.VolumeUnit)
	if n.PlannedDate != nil {
		v.Set("planned_date", n.PlannedDate.String())
	}
	v.Set("intent", string(n.Intent))
	v.Set("visibility", string(n.Visibility))
	v.Set("version", strconv.FormatInt(n.Version, 10))
	return newForm(v, needFields...)
}

func (u *UI) renderNeedForm(w http.ResponseWriter, r *http.Request, status int, n *arena.Need, f *form, d *needFormData) {
	p := u.newPage(r, "needs")
	if n == nil {
		p.Title = p.T("need.new_title")
		d.Action = "/behov"
	} else {
		p.Title = p.T("need.edit_title", n.Title)
		d.Action = "/behov/" + idStr(n.ID)
	}
	if len(p.Actor.Orgs) > 1 {
		nm := u.names(r.Context())
		for _, m := range p.Actor.Orgs {
			d.Orgs = append(d.Orgs, option{Value: idStr(m.OrgID), Label: nm.OrgName(m.OrgID)})
		}
	}
	p.Form = f
	p.Data = d
	u.render(w, r, status, "need_form", p)
}

// cpvSplit splits the CPV field at commas, semicolons and white space.
var cpvSplit = regexp.MustCompile(`[\s,;]+`)

// readNeed builds a need from the form, recording on f the errors of
// values that cannot be read (numbers, dates, codes).
func (u *UI) readNeed(p *page, f *form) *arena.Need {
	n := &arena.Need{Title: f.V("title"), Description: f.V("description"), Sector: strings.TrimSpace(f.V("sector")),
		VolumeUnit: strings.TrimSpace(f.V("volume_unit")), Intent: arena.Intent(f.V("intent")), Visibility: arena.Visibility(f.V("visibility"))}
	// Whose need it may be is the domain's rule (CanChangeNeed), asked
	// when it is stored: a form naming another organisation gets the
	// API's answer.
	if id, err := strconv.ParseInt(f.V("org_id"), 10, 64); err == nil {
		n.OrgID = id
	} else if f.V("org_id") != "" {
		f.Fail("org_id", p.T("err.org"))
	} else if len(p.Actor.Orgs) > 0 {
		n.OrgID = p.Actor.Orgs[0].OrgID
	}
	n.CPVCodes = []string{}
	seen := map[string]bool{}
	for _, c := range append(cpvSplit.Split(strings.TrimSpace(f.V("cpv_codes")), -1), f.Values["cpv_pick"]...) {
		if c == "" {
			continue
		}
		code, _, err := arena.SplitCPV(c)
		if err != nil {
			f.Fail("cpv_codes", p.M(arena.M("err.cpv.form", arena.F{"code": c})))
			continue
		}
		if !seen[code] {
			seen[code] = true
			n.CPVCodes = append(n.CPVCodes, c)
		}
	}
	if s := strings.TrimSpace(f.V("estimated_value_sek")); s != "" {
		if v, err := parseAmount(s); err != nil {
			f.Fail("estimated_value_sek", p.T("err.amount"))
		} else {
			n.EstimatedValueSEK = &v
		}
	}
	if s := strings.TrimSpace(f.V("volume")); s != "" {
		if v, err := parseDecimal(s); err != nil {
			f.Fail("volume", p.T("err.number"))
		} else {
			n.Volume = &v
		}
	}
	if s := strings.TrimSpace(f.V("planned_date")); s != "" {
		if d, err := arena.ParseDate(s); err != nil {
			f.Fail("planned_date", p.T("err.date"))
		} else {
			n.PlannedDate = &d
		}
	}
	if strings.TrimSpace(n.Title) == "" {
		f.Fail("title", p.T("err.title_required"))
	}
	return n
}

// needErrorFields maps the domain's field names to the form's.
var needErrorFields = map[string]string{"cpv": "cpv_codes"}

func (u *UI) handleNeedCreate(w http.ResponseWriter, r *http.Request) {
	if u.postForm(w, r) == nil {
		return
	}
	u.saveNeed(w, r, nil)
}

func (u *UI) handleNeedUpdate(w http.ResponseWriter, r *http.Request) {
	if u.postForm(w, r) == nil {
		return
	}
	old, err := u.ownNeed(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.saveNeed(w, r, old)
}

// saveNeed handles both buttons of the need form: "suggest" shows CPV
// suggestions for what is typed, "save" stores the need. Whatever
// happens, what the user typed comes back.
func (u *UI) saveNeed(w http.ResponseWriter, r *http.Request, old *arena.Need) {
	ctx := r.Context()
	p := u.newPage(r, "needs")
	f := newForm(r.PostForm, needFields...)
	d := &needFormData{Need: old}
	n := u.readNeed(p, f)
	if r.PostFormValue("action") == "suggest" {
		d.Suggested = true
		// Picked suggestions join the typed codes, so none is lost when
		// the new suggestions differ.
		if picks := f.Values["cpv_pick"]; len(picks) > 0 {
			typed := strings.TrimSpace(f.V("cpv_codes"))
			for _, c := range picks {
				if !strings.Contains(typed, c) {
					typed = strings.TrimLeft(typed+", "+c, ", ")
				}
			}
			f.Values.Set("cpv_codes", typed)
			f.Values.Del("cpv_pick")
		}
		f.Errors = map[string]string{}
		d.Suggestions, d.SuggestErr = u.suggestCPV(ctx, p, n)
		u.renderNeedForm(w, r, http.StatusOK, old, f, d)
		return
	}
	if !f.OK() {
		u.renderNeedForm(w, r, httpapi.StatusOf(arena.EINVALID), old, f, d)
		return
	}
	var err error
	if old == nil {
		err = u.app.DB.Needs.Create(ctx, n)
	} else {
		n.ID, n.CreatedBy = old.ID, old.CreatedBy
		version, _ := strconv.ParseInt(f.V("version"), 10, 64)
		err = u.app.DB.Needs.Update(ctx, n, version)
	}
	switch code := arena.ErrorCode(err); code {
	case "":
		key := "skapat"
		if old != nil {
			key = "sparat"
		}
		http.Redirect(w, r, withNotice("/behov/"+idStr(n.ID), key), http.StatusSeeOther)
		return
	case arena.EPRECONDITION:
		cur, gerr := u.app.DB.Needs.Get(ctx, old.ID)
		if gerr != nil {
			u.fail(w, r, gerr)
			return
		}
		d.Stale = cur
		f.General = p.T("need.stale", p.DateTime(cur.UpdatedAt))
		// Saving again now overwrites the newer version on purpose.
		f.Values.Set("version", strconv.FormatInt(cur.Version, 10))
		u.renderNeedForm(w, r, httpapi.StatusOf(code), old, f, d)
		return
	case arena.EINVALID, arena.ECONFLICT:
		p.failFrom(f, err, needErrorFields)
		u.renderNeedForm(w, r, httpapi.StatusOf(code), old, f, d)
		return
	}
	u.fail(w, r, err)
}

// handleNeedDelete deletes a need of the user's organisation
// (arena.CanChangeNeed, asked by the store): withdrawn from the arena, it
// leaves the matches and the networks' totals.
func (u *UI) handleNeedDelete(w http.ResponseWriter, r *http.Request) {
	n := postedRecord(u, w, r, u.app.DB.Needs)
	if n == nil {
		return
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err := u.app.DB.Needs.Delete(r.Context(), n.ID, version); err != nil {
		u.fail(w, r, err)
		return
	}
	http.Redirect(w, r, withNotice("/behov", "behov-borttaget"), http.StatusSeeOther)
}

// suggestCPV asks the matching service for CPV codes for the need's text.
func (u *UI) suggestCPV(ctx context.Context, p *page, n *arena.Need) ([]cpvView, string) {
	if strings.TrimSpace(n.Title+n.Description) == "" {
		return nil, p.T("cpv.need_text")
	}
	if u.app.Matching == nil {
		return nil, p.T("cpv.unavailable")
	}
	sug, err := u.app.Matching.SuggestCPV(ctx, n.Title, n.Description, n.OrgID, 8)
	if arena.ErrorCode(err) == arena.EUNAVAILABLE {
		return nil, p.T("cpv.unavailable")
	} else if err != nil {
		u.log.WarnContext(ctx, "cpv suggestions", "err", err)
		return nil, p.T("cpv.unavailable")
	}
	if len(sug) == 0 {
		return nil, p.T("cpv.none")
	}
	out := make([]cpvView, len(sug))
	for i, s := range sug {
		why := make([]string, len(s.Reasons))
		for j, m := range s.Reasons {
			why[j] = p.M(m)
		}
		out[i] = cpvView{Code: s.CodeWithCheck, Label: p.Text(s.LabelSV, s.LabelEN), Why: strings.Join(why, "; ")}
		if out[i].Code == "" {
			out[i].Code = s.Code
		}
	}
	return out, ""
}

// needPageData is a need's page.
type needPageData struct {
	Need        *arena.Need
	Org         *arena.Organization
	CPV         []cpvView
	Needs       []matchView // other organisations' needs, for the network form
	Sections    []matchSection
	CanEdit     bool
	CanDialogue bool // the user may publish a market dialogue about it (arena.CanKeepDialogue)
	CanPropose  bool
	MatchErr    string
}

// matchSection is one kind of match on a need's page.
type matchSection struct {
	Kind  string
	Items []matchView
}

// matchView is a match with where it links to.
type matchView struct {
	matching.Item
	Href string
}

// needMatchLimit is how many matches of each kind a need's page shows.
const needMatchLimit = 10

func (u *UI) handleNeedShow(w http.ResponseWriter, r *http.Request) {
	u.showNeed(w, r, http.StatusOK, nil)
}

// showNeed renders a need's page; f is the network form after a failed
// submit.
func (u *UI) showNeed(w http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	n, err := u.app.DB.Needs.Get(ctx, id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p := u.newPage(r, "needs")
	p.Title = n.Title
	nm := u.names(ctx)
	d := &needPageData{Need: n, Org: nm.Org(n.OrgID)}
	d.CanEdit = arena.CanChangeNeed(p.Actor, n, n) == nil
	d.CanDialogue = arena.CanKeepDialogue(p.Actor, nil, &arena.Dialogue{OrgID: &n.OrgID}, d.Org, nil, nil) == nil
	d.CanPropose = arena.CanProposeFrom(p.Actor, n)
	d.CPV = u.cpvViews(p, n.CPVCodes)
	if u.app.Matching == nil {
		d.MatchErr = p.T("match.unavailable")
	} else {
		now := u.now()
		results, err := u.app.Matching.MatchesOfKinds(ctx, id, matching.Kinds, needMatchLimit, now)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		var deliverables []int64
		for i := range results {
			for _, it := range results[i].Items {
				if it.Type == "deliverable" {
					deliverables = append(deliverables, it.ID)
				}
			}
		}
		// A deliverable's page is its network's: the networks of them all
		// in one query.
		dels, err := u.app.DB.Deliverables.GetMany(ctx, deliverables)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		for i, kind := range matching.Kinds {
			sec := matchSection{Kind: kind}
			for _, it := range results[i].Items {
				sec.Items = append(sec.Items, matchView{Item: it, Href: matchHref(it, dels)})
			}
			if kind == matching.KindNeeds {
				d.Needs = sec.Items
			} else {
				d.Sections = append(d.Sections, sec)
			}
		}
	}
	if f == nil {
		f = newForm(nil, "need", "network_name")
	}
	p.Form = f
	p.Data = d
	u.render(w, r, status, "need", p)
}

// cpvViews labels CPV codes from the reference data, when it is loaded.
func (u *UI) cpvViews(p *page, codes []string) []cpvView {
	ref := u.app.DB.Reference()
	out := make([]cpvView, len(codes))
	for i, c := range codes {
		out[i] = cpvView{Code: c}
		if x, ok := ref.LookupCPV(c); ok {
			out[i].Code = x.Code + "-" + x.Check
			out[i].Label = p.Text(x.LabelSV, x.LabelEN)
		}
	}
	return out
}

// matchHref is the page of a matched item; dels holds the deliverables
// among the items.
func matchHref(it matching.Item, dels map[int64]*arena.Deliverable) string {
	switch it.Type {
	case "need":
		return "/behov/" + idStr(it.ID)
	case "call":
		return "/utlysningar/" + idStr(it.ID)
	case "project":
		return "/projekt/" + idStr(it.ID)
	case "deliverable":
		if d := dels[it.ID]; d != nil {
			return "/natverk/" + idStr(d.NetworkID) + "/leveranser"
		}
	case "expert":
		return "/experter#expert-" + idStr(it.ID)
	case "network":
		return "/natverk/" + idStr(it.ID)
	}
	return ""
}

// handleNeedPropose forms a tactical network from the need and the
// matching needs the user ticked.
func (u *UI) handleNeedPropose(w http.ResponseWriter, r *http.Request) {
	if u.postForm(w, r) == nil {
		return
	}
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	need, err := u.app.DB.Needs.Get(r.Context(), id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if !arena.CanProposeFrom(arena.ActorFrom(r.Context()), need) {
		u.fail(w, r, arena.Forbidden("err.forbidden.propose"))
		return
	}
	p := u.newPage(r, "needs")
	f := newForm(r.PostForm, "need", "network_name")
	ids := []int64{id}
	for _, v := range f.Values["need"] {
		if x, err := strconv.ParseInt(v, 10, 64); err == nil && x != id {
			ids = append(ids, x)
		}
	}
	if len(ids) < 2 {
		f.Fail("need", p.M(arena.M("err.network.pick_needs")))
		u.showNeed(w, r, httpapi.StatusOf(arena.EINVALID), f)
		return
	}
	nid, err := u.proposeNetwork(r, strings.TrimSpace(f.V("network_name")), ids)
	if err != nil {
		if c := arena.ErrorCode(err); c == arena.EINVALID || c == arena.ECONFLICT || c == arena.EFORBIDDEN {
			f.Fail("need", p.errorText(err))
			u.showNeed(w, r, httpapi.StatusOf(c), f)
			return
		}
		u.fail(w, r, err)
		return
	}
	http.Redirect(w, r, withNotice("/natverk/"+idStr(nid), "natverk"), http.StatusSeeOther)
}

// proposeNetwork forms a network around needs and returns its id.
func (u *UI) proposeNetwork(r *http.Request, name string, needIDs []int64) (int64, error) {
	n, err := u.app.Networks.FromNeeds(r.Context(), &arena.Network{Name: name, Open: true}, needIDs)
	if err != nil {
		return 0, err
	}
	return n.ID, nil
}

// Strength says in words how alike two needs are, with the score: the
// matching service's thresholds (matching.Strength), the API's too.
func (p *page) Strength(score float64) string {
	return p.T("match.strength."+matching.Strength(score), p.Num(math.Round(score*100)/100))
}
