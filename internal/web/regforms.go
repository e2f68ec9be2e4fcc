package web

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/httpapi"
	"github.com/arena-se/arena/internal/store"
)

// The registers' forms: a broker or funder officer adds and changes calls,
// funders, projects and experts (arena.CanKeepRegister), a broker
// registers organisations and their admins change them
// (arena.CanRegisterOrganization, arena.CanChangeOrganization). Each form
// is a list of the record's JSON fields; what is posted becomes the JSON
// object the API would get and is decoded by the API's own decoder
// (httpapi.DecodeFields) onto a new record or over the stored one, so the
// forms and the API give the same answers. The store asks the rule again.

// fieldKind is how a register field is typed and read.
type fieldKind int

const (
	kText     fieldKind = iota // one line
	kTextarea                  // several lines
	kURL                       // a web address
	kEnum                      // one of a list (select)
	kEnums                     // several of a list (checkboxes)
	kDate                      // YYYY-MM-DD
	kAmount                    // a whole number of kronor
	kYear                      // four digits
	kPercent                   // a share, shown and typed in per cent
	kList                      // several short texts, one per line
	kRef                       // a record of another register (select)
	kBool                      // yes or no (one checkbox, value 1)
)

// regField is one field of a register's form.
type regField struct {
	Name     string // the record's JSON field and the form's
	Label    string // message key
	Hint     string // message key, or ""
	Kind     fieldKind
	Required bool
	Options  func(ctx context.Context, u *UI, p *page, rec any) ([]option, error) // kEnum, kEnums, kRef; rec is the stored record or nil
}

// regForm is one register's form over the records of e.
type regForm[T any] struct {
	u        *UI
	of       func(*UI) *store.Entity[T]
	base     string // the register's address: /utlysningar
	list     string // the register's list, when not at base
	title    string // message key prefix: regform.call
	fields   []regField
	mayAdd   func(a *arena.Actor) error       // nil: records are added elsewhere, not by this form
	mayEdit  func(a *arena.Actor, v *T) error // nil: the store's own rule (Entity.Authorize)
	showPath func(v *T) string                // where a saved record is shown
	gone     func(v *T) string                // where a deleted record's register is shown; nil: list or base
}

// regFormData is what the form's template gets.
type regFormData struct {
	Action     string
	Back       string
	Fields     []regFieldView
	Version    int64
	DeletePath string
}

type regFieldView struct {
	View   fieldView
	Kind   string // text, textarea, url, select, checks
	Checks []option
}

func (rf *regForm[T]) ent() *store.Entity[T] { return rf.of(rf.u) }

func (rf *regForm[T]) routes() []route {
	rs := []route{
		{"GET " + rf.base + "/{id}/andra", rf.handleEdit},
		{"POST " + rf.base + "/{id}/andra", rf.handleUpdate},
		{"POST " + rf.base + "/{id}/ta-bort", rf.handleDelete},
	}
	if rf.mayAdd != nil {
		rs = append(rs, route{"GET " + rf.base + "/ny", rf.handleNew}, route{"POST " + rf.base, rf.handleCreate})
	}
	return rs
}

func (rf *regForm[T]) names() []string {
	out := make([]string, len(rf.fields))
	for i, f := range rf.fields {
		out[i] = f.Name
	}
	return out
}

func (rf *regForm[T]) handleNew(w http.ResponseWriter, r *http.Request) {
	a := rf.u.requireActor(w, r)
	if a == nil {
		return
	}
	if err := rf.mayAdd(a); err != nil {
		rf.u.fail(w, r, err)
		return
	}
	// A field may be filled in by the link to the form (a dialogue of a
	// network: ?network_id=).
	v := url.Values{}
	for _, name := range rf.names() {
		if x := r.URL.Query().Get(name); x != "" {
			v.Set(name, x)
		}
	}
	rf.render(w, r, http.StatusOK, nil, newForm(v, rf.names()...))
}

// stored reads the record of the path, which the user must be allowed to
// change.
func (rf *regForm[T]) stored(r *http.Request) (*T, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	v, err := rf.ent().Get(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if rf.mayEdit == nil {
		err = rf.ent().Authorize(r.Context(), v, v)
	} else {
		err = rf.mayEdit(arena.ActorFrom(r.Context()), v)
	}
	if err != nil {
		return nil, err
	}
	return v, nil
}

func (rf *regForm[T]) handleEdit(w http.ResponseWriter, r *http.Request) {
	if rf.u.requireActor(w, r) == nil {
		return
	}
	v, err := rf.stored(r)
	if err != nil {
		rf.u.fail(w, r, err)
		return
	}
	f, err := rf.values(v)
	if err != nil {
		rf.u.fail(w, r, err)
		return
	}
	rf.render(w, r, http.StatusOK, v, f)
}

func (rf *regForm[T]) render(w http.ResponseWriter, r *http.Request, status int, v *T, f *form) {
	var rec any
	if v != nil {
		rec = v
	}
	ctx := r.Context()
	p := rf.u.newPage(r, "")
	p.Form = f
	d := &regFormData{Action: rf.base, Back: rf.base}
	if rf.list != "" {
		d.Back = rf.list
	}
	if v != nil && rf.gone != nil {
		d.Back = rf.gone(v)
	}
	if v == nil {
		p.Title = p.T(rf.title + ".new")
	} else {
		m := metaOf(v)
		p.Title = p.T(rf.title+".edit", recordName(v))
		d.Action = rf.base + "/" + idStr(m.ID) + "/andra"
		d.Back = rf.showPath(v)
		d.Version = m.Version
		d.DeletePath = rf.base + "/" + idStr(m.ID) + "/ta-bort"
	}
	for _, fd := range rf.fields {
		typ := map[fieldKind]string{kTextarea: "textarea", kList: "textarea", kURL: "url", kEnum: "select", kRef: "select", kEnums: "checks", kBool: "checkbox"}[fd.Kind]
		if typ == "" {
			typ = "text"
		}
		fv := regFieldView{Kind: typ, View: p.Field(fd.Name, fd.Label, fd.Hint, typ, fd.Required)}
		switch fd.Kind {
		case kAmount, kYear:
			fv.View.InputMode = "numeric"
		case kPercent:
			fv.View.InputMode = "decimal"
		case kList:
			fv.View.Rows = 4
		}
		if fd.Options != nil {
			opts, err := fd.Options(ctx, rf.u, p, rec)
			if err != nil {
				rf.u.fail(w, r, err)
				return
			}
			if fd.Kind == kEnums {
				for _, o := range opts {
					o.Selected = f.Checked(fd.Name, o.Value)
					fv.Checks = append(fv.Checks, o)
				}
			} else {
				if !fd.Required || fd.Kind == kRef {
					key := "regform.none"
					if fd.Required {
						key = "regform.choose"
					}
					opts = append([]option{{Value: "", Label: p.T(key)}}, opts...)
				}
				// A stored value the list lacks (reference data not
				// loaded) stays a choice, so saving does not lose it.
				if cur := f.V(fd.Name); cur != "" && !slices.ContainsFunc(opts, func(o option) bool { return o.Value == cur }) {
					opts = append(opts, option{Value: cur, Label: cur})
				}
				fv.View = p.Select(fd.Name, fd.Label, fd.Hint, opts)
				fv.View.Required = fd.Required
			}
		}
		d.Fields = append(d.Fields, fv)
	}
	p.Data = d
	rf.u.render(w, r, status, "register_form", p)
}

// values fills the form from a stored record, through its JSON.
func (rf *regForm[T]) values(v *T) (*form, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	out := url.Values{}
	for _, fd := range rf.fields {
		x, ok := m[fd.Name]
		if !ok || x == nil {
			continue
		}
		switch fd.Kind {
		case kEnums, kList:
			var ss []string
			for _, e := range x.([]any) {
				ss = append(ss, fmt.Sprint(e))
			}
			if fd.Kind == kList {
				out.Set(fd.Name, strings.Join(ss, "\n"))
			} else {
				out[fd.Name] = ss
			}
		case kAmount:
			out.Set(fd.Name, groupInt(int64(x.(float64)), " "))
		case kYear, kRef:
			out.Set(fd.Name, strconv.FormatInt(int64(x.(float64)), 10))
		case kPercent:
			out.Set(fd.Name, groupFloat(math.Round(x.(float64)*10000)/100, " ", ","))
		case kBool:
			if x == true {
				out.Set(fd.Name, "1")
			}
		default:
			out.Set(fd.Name, fmt.Sprint(x))
		}
	}
	return newForm(out, rf.names()...), nil
}

// fields turns the posted form into the JSON object the API would get,
// recording on f the values that cannot be read (a date, an amount).
func (rf *regForm[T]) jsonFields(p *page, f *form) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	set := func(name string, v any) {
		b, _ := json.Marshal(v)
		out[name] = b
	}
	for _, fd := range rf.fields {
		s := strings.TrimSpace(f.V(fd.Name))
		switch fd.Kind {
		case kTextarea:
			set(fd.Name, strings.TrimRight(f.V(fd.Name), " \t\r\n"))
		case kEnums:
			set(fd.Name, append([]string{}, f.Values[fd.Name]...))
		case kBool:
			set(fd.Name, s == "1")
		case kList:
			items := []string{}
			for _, line := range strings.Split(f.V(fd.Name), "\n") {
				if line = strings.TrimSpace(line); line != "" {
					items = append(items, line)
				}
			}
			set(fd.Name, items)
		case kDate, kAmount, kYear, kPercent, kRef:
			if s == "" {
				out[fd.Name] = json.RawMessage("null")
				continue
			}
			var v any
			var err error
			switch fd.Kind {
			case kDate:
				var d arena.Date
				if d, err = arena.ParseDate(s); err == nil {
					v = d
				}
			case kAmount:
				v, err = parseAmount(s)
			case kYear:
				v, err = strconv.Atoi(s)
			case kPercent:
				var pc float64
				if pc, err = parseDecimal(strings.TrimSuffix(s, "%")); err == nil {
					v = pc / 100
				}
			case kRef:
				v, err = strconv.ParseInt(s, 10, 64)
			}
			if err != nil {
				f.Fail(fd.Name, p.T(map[fieldKind]string{kDate: "err.date", kAmount: "err.amount", kYear: "regform.year", kPercent: "err.number", kRef: "err.choice"}[fd.Kind]))
				continue
			}
			set(fd.Name, v)
		default:
			set(fd.Name, s)
		}
	}
	return out
}

func (rf *regForm[T]) handleCreate(w http.ResponseWriter, r *http.Request) {
	a := rf.u.postForm(w, r)
	if a == nil {
		return
	}
	if err := rf.mayAdd(a); err != nil {
		rf.u.fail(w, r, err)
		return
	}
	rf.save(w, r, nil)
}

func (rf *regForm[T]) handleUpdate(w http.ResponseWriter, r *http.Request) {
	if rf.u.postForm(w, r) == nil {
		return
	}
	old, err := rf.stored(r)
	if err != nil {
		rf.u.fail(w, r, err)
		return
	}
	rf.save(w, r, old)
}

// save decodes the form onto a new record (old nil) or over the stored
// one and writes it; a refusal shows the form again with what was typed.
func (rf *regForm[T]) save(w http.ResponseWriter, r *http.Request, old *T) {
	ctx := r.Context()
	p := rf.u.newPage(r, "")
	f := newForm(r.PostForm, rf.names()...)
	fields := rf.jsonFields(p, f)
	if !f.OK() {
		rf.render(w, r, httpapi.StatusOf(arena.EINVALID), old, f)
		return
	}
	v := new(T)
	if old != nil {
		c := *old
		v = &c
	}
	_, err := httpapi.DecodeFields(fields, v, nil)
	if err == nil {
		if old == nil {
			err = rf.ent().Create(ctx, v)
		} else {
			version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
			err = rf.ent().Update(ctx, v, version)
		}
	}
	code := arena.ErrorCode(err)
	switch code {
	case "":
		notice := "uppgift-skapad"
		if old != nil {
			notice = "uppgift-sparad"
		}
		http.Redirect(w, r, withNotice(rf.showPath(v), notice), http.StatusSeeOther)
		return
	case arena.EINVALID:
		p.failFrom(f, err, nil)
	case arena.ECONFLICT:
		f.General = p.ErrText(err)
	case arena.EPRECONDITION:
		f.General = p.T("error.stale.text")
	default:
		rf.u.fail(w, r, err)
		return
	}
	rf.render(w, r, httpapi.StatusOf(code), old, f)
}

func (rf *regForm[T]) handleDelete(w http.ResponseWriter, r *http.Request) {
	v := postedRecord(rf.u, w, r, rf.ent())
	if v == nil {
		return
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err := rf.ent().Delete(r.Context(), metaOf(v).ID, version); err != nil {
		rf.u.fail(w, r, err)
		return
	}
	list := rf.base
	if rf.gone != nil {
		list = rf.gone(v)
	} else if rf.list != "" {
		list = rf.list
	}
	http.Redirect(w, r, withNotice(list, "borttaget"), http.StatusSeeOther)
}

func metaOf(v any) *arena.Meta { return v.(interface{ GetMeta() *arena.Meta }).GetMeta() }

// recordName is a record's name or title, for the form's heading.
func recordName(v any) string {
	switch x := v.(type) {
	case *arena.FundingCall:
		return x.Title
	case *arena.Project:
		return x.Title
	case *arena.Funder:
		return x.Name
	case *arena.Expert:
		return x.Name
	case *arena.Organization:
		return x.Name
	case *arena.Activity:
		return x.Title
	case *arena.Dialogue:
		return x.Title
	case *arena.Deliverable:
		return x.Title
	case *arena.MemberProcurement:
		return cmp.Or(x.Title, x.ProcurementRef, "#"+idStr(x.ID))
	case *arena.FundingPeriod:
		if x.StartDate != nil {
			end := ""
			if x.EndDate != nil {
				end = x.EndDate.String()
			}
			return x.StartDate.String() + "–" + end
		}
		return "#" + idStr(x.ID)
	}
	return ""
}
