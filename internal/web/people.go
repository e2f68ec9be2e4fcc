package web

import (
	"net/http"
	"strconv"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/httpapi"
	"github.com/arena-se/arena/internal/store"
)

// A broker's page of people (/maklare/personer): find a person by name or
// e-mail, see their organisations, and remove the account on request
// (arena.CanChangeUser; a person who is the last admin of an organisation
// is not removed, arena.KeepsAnAdmin).

type personRow struct {
	*arena.User
	Orgs []string
}

type peopleData struct {
	Rows  []personRow
	Query string
	More  bool
}

// peopleLimit bounds the people the page lists.
const peopleLimit = 50

func (u *UI) handlePeople(w http.ResponseWriter, r *http.Request) {
	if u.requireActor(w, r) == nil || !u.requireBroker(w, r) {
		return
	}
	u.renderPeople(w, r, http.StatusOK, newForm(nil))
}

func (u *UI) renderPeople(w http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx := r.Context()
	p := u.newPage(r, "broker")
	p.Title = p.T("people.title")
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if err := arena.CheckQuery("q", q); err != nil {
		u.fail(w, r, err)
		return
	}
	d := &peopleData{Query: q}
	page, err := u.app.DB.Users.List(ctx, store.ListQuery{Filters: map[string]string{"q": q}, Limit: peopleLimit + 1})
	if err != nil {
		u.fail(w, r, err)
		return
	}
	nm := u.names(ctx)
	for i, x := range page.Items {
		if i == peopleLimit {
			d.More = true
			break
		}
		row := personRow{User: x}
		ms, err := store.All(ctx, u.app.DB.OrgMemberships, map[string]string{"user_id": idStr(x.ID)})
		if err != nil {
			u.fail(w, r, err)
			return
		}
		for _, m := range ms {
			row.Orgs = append(row.Orgs, nm.OrgName(m.OrgID)+" ("+p.E("org_role", m.Role)+")")
		}
		d.Rows = append(d.Rows, row)
	}
	p.Form, p.Data = f, d
	u.render(w, r, status, "people", p)
}

// handlePersonDelete removes a person's account, with its memberships and
// sessions.
func (u *UI) handlePersonDelete(w http.ResponseWriter, r *http.Request) {
	x := postedRecord(u, w, r, u.app.DB.Users)
	if x == nil {
		return
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	err := u.app.DB.Users.Delete(r.Context(), x.ID, version)
	switch code := arena.ErrorCode(err); code {
	case "":
		http.Redirect(w, r, withNotice("/maklare/personer", "person-borttagen"), http.StatusSeeOther)
	case arena.ECONFLICT, arena.EPRECONDITION:
		f := newForm(nil)
		f.General = u.newPage(r, "broker").ErrText(err)
		u.renderPeople(w, r, httpapi.StatusOf(code), f)
	default:
		u.fail(w, r, err)
	}
}
