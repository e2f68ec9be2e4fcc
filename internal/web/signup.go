package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/httpapi"
	"github.com/arena-se/arena/internal/reach"
)

// Signing up through an invitation by e-mail (arena.EmailInvite): the link
// in the e-mail opens /inbjudan, which tells what the organisation is
// invited to and makes the person's account (or, for someone signed in,
// asks to join the organisation). The rules are the domain's
// (CheckInviteUsable, SignupRequest, CheckNewPassword), through the app.

// signupData is the sign-up page's own data.
type signupData struct {
	Token   string
	In      *reach.Invitation
	Err     string // the link does not work, and why
	SignedU *arena.User
}

var signupFields = []string{"name", "password", "password2"}

// signupAction is the form's address, with the token.
func (d *signupData) Action() string { return "/inbjudan?t=" + url.QueryEscape(d.Token) }

func (u *UI) handleSignupForm(w http.ResponseWriter, r *http.Request) {
	u.renderSignup(w, r, http.StatusOK, r.URL.Query().Get("t"), newForm(nil, signupFields...))
}

func (u *UI) renderSignup(w http.ResponseWriter, r *http.Request, status int, token string, f *form) {
	p := u.newPage(r, "")
	p.Title = p.T("signup.title")
	d := &signupData{Token: token}
	p.Data, p.Form = d, f
	in, err := u.app.Reach.OpenInvitation(r.Context(), token)
	switch code := arena.ErrorCode(err); code {
	case "":
		d.In = in
	case arena.EINVALID, arena.ECONFLICT:
		d.Err = p.ErrText(err)
		u.render(w, r, httpapi.StatusOf(code), "signup", p)
		return
	default:
		u.fail(w, r, err)
		return
	}
	if a := p.Actor; a != nil && a.User != nil {
		d.SignedU = a.User
	} else {
		p.CSRF = u.loginToken(w, r, "/inbjudan")
	}
	u.render(w, r, status, "signup", p)
}

// handleSignup makes the account (or, signed in, asks to join) and goes to
// the start page, which tells that a broker or an admin confirms it.
func (u *UI) handleSignup(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("t")
	if a := arena.ActorFrom(r.Context()); a != nil && a.User != nil {
		if u.postForm(w, r) == nil {
			return
		}
		m, err := u.app.JoinByInvite(r.Context(), token)
		u.finishSignup(w, r, token, newForm(r.PostForm, signupFields...), m, err)
		return
	}
	if !u.parseSmallForm(w, r) {
		return
	}
	// Keep the name, never the password.
	f := newForm(nil, signupFields...)
	f.Values.Set("name", r.PostFormValue("name"))
	p := u.newPage(r, "")
	if !loginCSRFOK(r) {
		f.General = p.T("signin.expired")
		u.renderSignup(w, r, httpapi.StatusOf(arena.EFORBIDDEN), token, f)
		return
	}
	if pw := r.PostFormValue("password"); pw != r.PostFormValue("password2") {
		f.Fail("password2", p.T("signup.password_mismatch"))
		u.renderSignup(w, r, httpapi.StatusOf(arena.EINVALID), token, f)
		return
	}
	sess, m, err := u.app.SignUpByInvite(r.Context(), token, r.PostFormValue("name"), r.PostFormValue("password"))
	if err == nil {
		u.SetSessionCookie(w, sess.Token)
		http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: "", Path: "/inbjudan", MaxAge: -1})
	}
	u.finishSignup(w, r, token, f, m, err)
}

// finishSignup goes to the start page: a colleague invited by an admin is
// in the organisation at once (m active); a request waits for someone to
// confirm it.
func (u *UI) finishSignup(w http.ResponseWriter, r *http.Request, token string, f *form, m *arena.OrgMembership, err error) {
	p := u.newPage(r, "")
	switch code := arena.ErrorCode(err); code {
	case "":
		notice := "registrerad"
		if m != nil && m.Status == arena.OrgMemberActive {
			notice = "med-i-organisationen"
		}
		http.Redirect(w, r, withNotice("/", notice), http.StatusSeeOther)
	case arena.EINVALID, arena.ECONFLICT:
		if field := arena.ErrorField(err); slices.Contains(signupFields, field) {
			f.Fail(field, p.ErrText(err))
		} else {
			f.General = p.ErrText(err)
		}
		u.renderSignup(w, r, httpapi.StatusOf(code), token, f)
	default:
		u.fail(w, r, err)
	}
}

// handleEmailInviteCreate sends an invitation of a network's membership by
// e-mail (arena.CanInviteByEmail).
func (u *UI) handleEmailInviteCreate(w http.ResponseWriter, r *http.Request) {
	np := u.networkPostFor(w, r)
	if np == nil {
		return
	}
	p, n := np.p, np.n
	f := newForm(r.PostForm, "invite_member", "invite_email", "invite_lang")
	id, _ := strconv.ParseInt(f.V("invite_member"), 10, 64)
	m, err := u.app.DB.NetworkMembers.Get(r.Context(), id)
	if err != nil || m.NetworkID != n.ID {
		f.Fail("invite_member", p.T("err.choice"))
		u.renderNetwork(w, r, httpapi.StatusOf(arena.EINVALID), n.ID, "medlemmar", f)
		return
	}
	inv := &arena.EmailInvite{MemberID: m.ID, Email: strings.TrimSpace(f.V("invite_email")), Lang: f.V("invite_lang")}
	err = u.app.DB.CreateEmailInvite(r.Context(), inv)
	u.finishNetworkPost(w, r, np, "medlemmar", f, err,
		map[string]string{"email": "invite_email", "lang": "invite_lang", "member_id": "invite_member"}, "e-postinbjudan", "error.stale.text")
}

// InviteLangOptions are the languages an invitation e-mail is written in.
func (p *page) InviteLangOptions() []option {
	out := make([]option, len(arena.InviteLangs))
	for i, l := range arena.InviteLangs {
		out[i] = option{Value: l, Label: p.T("lang." + l)}
	}
	return out
}
