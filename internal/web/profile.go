package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/httpapi"
)

// A person's own profile: name and e-mail address (arena.CanChangeUser,
// as PATCH /api/v1/users/{id}) and password (App.ChangePassword, as POST
// /api/v1/me/password).

var (
	profileFields  = []string{"name", "email"}
	passwordFields = []string{"current_password", "new_password", "new_password2"}
)

func (u *UI) handleProfile(w http.ResponseWriter, r *http.Request) {
	if u.requireActor(w, r) == nil {
		return
	}
	u.renderProfile(w, r, http.StatusOK, nil)
}

// renderProfile shows the profile page with f, the form just sent (nil
// for the stored values).
func (u *UI) renderProfile(w http.ResponseWriter, r *http.Request, status int, f *form) {
	p := u.newPage(r, "profile")
	p.Title = p.T("profile.title")
	me, err := u.app.DB.Users.Get(r.Context(), p.Actor.UserID())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if f == nil {
		f = newForm(nil, append(profileFields, passwordFields...)...)
	}
	for k, v := range map[string]string{"name": me.Name, "email": me.Email, "version": strconv.FormatInt(me.Version, 10)} {
		if _, ok := f.Values[k]; !ok {
			f.Values.Set(k, v)
		}
	}
	p.Form, p.Data = f, me
	u.render(w, r, status, "profile", p)
}

// handleProfileSave changes the person's name and e-mail address.
func (u *UI) handleProfileSave(w http.ResponseWriter, r *http.Request) {
	a := u.postForm(w, r)
	if a == nil {
		return
	}
	ctx := r.Context()
	f := newForm(r.PostForm, profileFields...)
	p := u.newPage(r, "")
	me, err := u.app.DB.Users.Get(ctx, a.UserID())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	version, _ := strconv.ParseInt(f.V("version"), 10, 64)
	me.Name = strings.TrimSpace(f.V("name"))
	if _, ok := f.Values["email"]; ok {
		me.Email = strings.TrimSpace(f.V("email"))
	}
	err = u.app.DB.Users.Update(ctx, me, version)
	switch code := arena.ErrorCode(err); code {
	case "":
		http.Redirect(w, r, withNotice("/installningar/profil", "sparat"), http.StatusSeeOther)
		return
	case arena.EINVALID:
		p.failFrom(f, err, nil)
	case arena.ECONFLICT:
		f.Fail("email", p.ErrText(err)) // the address is someone else's
	case arena.EPRECONDITION:
		f.General = p.T("error.stale.text")
	default:
		u.fail(w, r, err)
		return
	}
	u.renderProfile(w, r, httpapi.StatusOf(arena.ErrorCode(err)), f)
}

// handlePasswordSave changes the person's password.
func (u *UI) handlePasswordSave(w http.ResponseWriter, r *http.Request) {
	if u.postForm(w, r) == nil {
		return
	}
	// Keep no password in the form shown again.
	f := newForm(nil, passwordFields...)
	p := u.newPage(r, "")
	next := r.PostFormValue("new_password")
	if next != r.PostFormValue("new_password2") {
		f.Fail("new_password2", p.T("signup.password_mismatch"))
		u.renderProfile(w, r, httpapi.StatusOf(arena.EINVALID), f)
		return
	}
	err := u.app.ChangePassword(r.Context(), r.PostFormValue("current_password"), next)
	switch code := arena.ErrorCode(err); code {
	case "":
		http.Redirect(w, r, withNotice("/installningar/profil", "losenord"), http.StatusSeeOther)
		return
	case arena.EINVALID:
		p.failFrom(f, err, nil)
	case arena.ELIMITED:
		f.General = p.ErrText(err)
		w.Header().Set("Retry-After", fmt.Sprint(arena.ErrorMsg(err).Args["seconds"]))
	default:
		u.fail(w, r, err)
		return
	}
	u.renderProfile(w, r, httpapi.StatusOf(arena.ErrorCode(err)), f)
}
