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

// Bevakningar: the person's watches, listed, made, changed, paused and
// deleted here, and offered on the register pages as "Bevaka denna
// sökning" (watchOffer). The rules are the domain's (arena.Watch.Validate,
// CanChangeWatch), through the store, as in the API.

// watchOffer is a register page's search, offered as a watch.
type watchOffer struct {
	Target  arena.WatchTarget
	Filters []option // filter name (Value) and value (Label), as hidden fields
	Name    string   // a name to start from
}

// offerWatch puts "Bevaka denna sökning" on a register page for a signed-in
// person: the page's filters, as the register's list takes them.
func (p *page) offerWatch(target arena.WatchTarget, filters map[string]string) {
	if !p.SignedIn() {
		return
	}
	o := &watchOffer{Target: target}
	var words []string
	for _, name := range arena.WatchFilters[target] {
		if v := filters[name]; v != "" {
			o.Filters = append(o.Filters, option{Value: name, Label: v})
			words = append(words, v)
		}
	}
	what := p.cat.Term(target.Term())
	if len(words) == 0 {
		o.Name = p.T("watch.name_all", what)
	} else {
		o.Name = p.T("watch.name_search", what, strings.Join(words, ", "))
	}
	if r := []rune(o.Name); len(r) > arena.NameMax {
		o.Name = string(r[:arena.NameMax])
	}
	p.WatchOffer = o
}

type watchRow struct {
	*arena.Watch
	Target  string
	Filters string // the filters in words
}

type watchListData struct {
	Rows    []watchRow
	Targets []option // links to a new watch of each register
}

func (u *UI) handleWatchList(w http.ResponseWriter, r *http.Request) {
	if u.requireActor(w, r) == nil {
		return
	}
	ctx := r.Context()
	watches, err := store.All(ctx, u.app.DB.Watches, nil)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p := u.newPage(r, "inbox")
	p.Title = p.T("watches.title")
	d := &watchListData{}
	for _, wt := range watches {
		d.Rows = append(d.Rows, watchRow{Watch: wt, Target: p.cat.Term(wt.Target.Term()), Filters: p.watchFilters(wt)})
	}
	for _, t := range arena.WatchTargets {
		d.Targets = append(d.Targets, option{Value: string(t), Label: p.T("watches.new_of", p.cat.Term(t.Term()))})
	}
	p.Data = d
	u.render(w, r, http.StatusOK, "watches", p)
}

// watchFilters says a watch's filters in words: "Ord: vatten · CPV: 45000000".
func (p *page) watchFilters(wt *arena.Watch) string {
	var parts []string
	for _, name := range arena.WatchFilters[wt.Target] {
		if v, ok := wt.Filters[name]; ok {
			parts = append(parts, p.T("watch.filter."+name)+": "+p.watchValue(name, v))
		}
	}
	if len(parts) == 0 {
		return p.T("watches.everything")
	}
	return strings.Join(parts, " · ")
}

// watchValue is a filter's value in words where it is a code.
func (p *page) watchValue(name, v string) string {
	if prefix, ok := watchEnums[name]; ok {
		return p.E(prefix, v)
	}
	ref := p.ui.app.DB.Reference()
	switch name {
	case "lan":
		if c, ok := ref.County(v); ok {
			return c.Name
		}
	case "kommun":
		if m, ok := ref.Municipality(v); ok {
			return m.Name
		}
	case "cpv":
		if c, ok := ref.LookupCPV(v); ok {
			return v + " " + p.Text(c.LabelSV, c.LabelEN)
		}
	}
	return v
}

// watchEnums are the filters whose values are codes of an enumeration,
// with the catalogue prefix of their words.
var watchEnums = map[string]string{
	"intent": "intent", "org_kind": "org_kind", "eligible_org_kind": "org_kind",
	"category": "category", "procedure": "procedure", "phase": "phase", "kind": "network_kind",
}

// watchEnumCodes are the codes of those enumerations.
var watchEnumCodes = map[string][]string{
	"intent": arena.Codes(arena.Intents), "org_kind": arena.Codes(arena.OrgKinds), "eligible_org_kind": arena.Codes(arena.OrgKinds),
	"category": arena.Codes(arena.ProjectCategories), "procedure": arena.Codes(arena.Procedures), "phase": arena.Codes(arena.ProjectPhases),
	"kind": arena.Codes(arena.NetworkKinds),
}

type watchFormData struct {
	Watch  *arena.Watch // nil for a new one
	Target arena.WatchTarget
	What   string
	Fields []fieldView
}

// handleWatchNew shows the form of a new watch of the register ?mal=.
func (u *UI) handleWatchNew(w http.ResponseWriter, r *http.Request) {
	if u.requireActor(w, r) == nil {
		return
	}
	target := arena.WatchTarget(r.URL.Query().Get("mal"))
	if !target.Valid() {
		target = arena.WatchNeeds
	}
	u.renderWatchForm(w, r, http.StatusOK, nil, target, newForm(url.Values{}))
}

// handleWatchEdit shows the form of one of the person's watches.
func (u *UI) handleWatchEdit(w http.ResponseWriter, r *http.Request) {
	if u.requireActor(w, r) == nil {
		return
	}
	wt, err := u.pathWatch(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	v := url.Values{"name": {wt.Name}, "version": {strconv.FormatInt(wt.Version, 10)}}
	for name, val := range wt.Filters {
		v.Set(name, val)
	}
	if wt.Paused {
		v.Set("paused", "1")
	}
	u.renderWatchForm(w, r, http.StatusOK, wt, wt.Target, newForm(v))
}

func (u *UI) pathWatch(r *http.Request) (*arena.Watch, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return u.app.DB.Watches.Get(r.Context(), id)
}

func (u *UI) renderWatchForm(w http.ResponseWriter, r *http.Request, status int, wt *arena.Watch, target arena.WatchTarget, f *form) {
	p := u.newPage(r, "inbox")
	f.Order = append([]string{"name"}, arena.WatchFilters[target]...)
	p.Form = f
	d := &watchFormData{Watch: wt, Target: target, What: p.cat.Term(target.Term())}
	if wt == nil {
		p.Title = p.T("watches.new_of", d.What)
	} else {
		p.Title = p.T("watches.edit", wt.Name)
	}
	for _, name := range arena.WatchFilters[target] {
		label, hint := "watch.filter."+name, ""
		if name == "cpv" || name == "lan" || name == "kommun" || name == "q" {
			hint = "watch.hint." + name
		}
		if prefix, ok := watchEnums[name]; ok {
			opts := []option{{Value: "", Label: p.T("search.any")}}
			for _, c := range watchEnumCodes[name] {
				opts = append(opts, option{Value: c, Label: p.E(prefix, c)})
			}
			d.Fields = append(d.Fields, p.Select(name, label, hint, opts))
			continue
		}
		fv := p.Field(name, label, hint, "text", false)
		if name == "lan" || name == "kommun" || name == "funder_id" {
			fv = fv.WithInputMode("numeric")
		}
		d.Fields = append(d.Fields, fv)
	}
	p.Data = d
	u.render(w, r, status, "watch_form", p)
}

// readWatch reads the form's name and filters; a filter of the target not
// in the form is dropped, so a form may leave any empty.
func readWatch(f *form, target arena.WatchTarget) *arena.Watch {
	wt := &arena.Watch{Name: f.V("name"), Target: target, Filters: map[string]string{}}
	for _, name := range arena.WatchFilters[target] {
		if v := strings.TrimSpace(f.V(name)); v != "" {
			wt.Filters[name] = v
		}
	}
	wt.Paused = f.V("paused") == "1"
	return wt
}

// handleWatchCreate makes a watch from the form, or from a register
// page's "Bevaka denna sökning".
func (u *UI) handleWatchCreate(w http.ResponseWriter, r *http.Request) {
	if u.postForm(w, r) == nil {
		return
	}
	target := arena.WatchTarget(r.PostFormValue("target"))
	if !target.Valid() {
		u.fail(w, r, arena.Invalid("target", "err.choice", arena.F{"value": string(target), "choices": arena.Choices(arena.Codes(arena.WatchTargets))}))
		return
	}
	f := newForm(r.PostForm)
	wt := readWatch(f, target)
	u.saveWatch(w, r, nil, wt, f)
}

// handleWatchUpdate saves the edit form of a watch.
func (u *UI) handleWatchUpdate(w http.ResponseWriter, r *http.Request) {
	if u.postForm(w, r) == nil {
		return
	}
	old, err := u.pathWatch(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	wt := readWatch(f, old.Target)
	wt.ID = old.ID
	u.saveWatch(w, r, old, wt, f)
}

func (u *UI) saveWatch(w http.ResponseWriter, r *http.Request, old, wt *arena.Watch, f *form) {
	ctx := r.Context()
	var err error
	if old == nil {
		err = u.app.DB.Watches.Create(ctx, wt)
	} else {
		version, _ := strconv.ParseInt(f.V("version"), 10, 64)
		err = u.app.DB.Watches.Update(ctx, wt, version)
	}
	switch code := arena.ErrorCode(err); code {
	case "":
		key := "bevakning"
		if old != nil {
			key = "sparat"
		}
		http.Redirect(w, r, withNotice("/bevakningar#watch-"+idStr(wt.ID), key), http.StatusSeeOther)
		return
	case arena.EINVALID, arena.EPRECONDITION, arena.ECONFLICT:
		p := u.newPage(r, "inbox")
		f.Order = append([]string{"name"}, arena.WatchFilters[wt.Target]...)
		if code == arena.EPRECONDITION {
			cur, gerr := u.app.DB.Watches.Get(ctx, old.ID)
			if gerr != nil {
				u.fail(w, r, gerr)
				return
			}
			f.General = p.T("watch.stale", p.DateTime(cur.UpdatedAt))
			f.Values.Set("version", strconv.FormatInt(cur.Version, 10))
		} else {
			p.failFrom(f, err, nil)
		}
		u.renderWatchForm(w, r, httpapi.StatusOf(code), old, wt.Target, f)
		return
	}
	u.fail(w, r, err)
}

// handleWatchPause pauses a watch or starts it again (paused=1 or 0).
func (u *UI) handleWatchPause(w http.ResponseWriter, r *http.Request) {
	if u.postForm(w, r) == nil {
		return
	}
	wt, err := u.pathWatch(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	wt.Paused = r.PostFormValue("paused") == "1"
	if err := u.app.DB.Watches.Update(r.Context(), wt, version); err != nil {
		u.fail(w, r, err)
		return
	}
	key := "bevakning_igang"
	if wt.Paused {
		key = "bevakning_pausad"
	}
	http.Redirect(w, r, withNotice("/bevakningar#watch-"+idStr(wt.ID), key), http.StatusSeeOther)
}

// handleWatchDelete deletes a watch.
func (u *UI) handleWatchDelete(w http.ResponseWriter, r *http.Request) {
	if u.postForm(w, r) == nil {
		return
	}
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err := u.app.DB.Watches.Delete(r.Context(), id, version); err != nil {
		u.fail(w, r, err)
		return
	}
	http.Redirect(w, r, withNotice("/bevakningar", "bevakning_borttagen"), http.StatusSeeOther)
}
