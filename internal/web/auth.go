package web

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/app"
	"github.com/arena-se/arena/internal/httpapi"
	"github.com/arena-se/arena/internal/oidc"
)

// signInData is the sign-in page's own data.
type signInData struct {
	Back string // where to go after signing in
	OIDC bool   // sign-in through the organisation's identity provider is offered
}

// loginToken returns the double-submit token of a form posted before
// signing in (the sign-in form at path, the sign-up form), setting the
// cookie that carries it to path when there is none yet.
func (u *UI) loginToken(w http.ResponseWriter, r *http.Request, path string) string {
	if c, err := r.Cookie(loginCSRFCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	t := randomToken()
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: t, Path: path, HttpOnly: true,
		Secure: u.app.SecureCookies, SameSite: http.SameSiteStrictMode, MaxAge: 2 * 3600})
	return t
}

func (u *UI) handleSignInForm(w http.ResponseWriter, r *http.Request) {
	back := localPath(r.URL.Query().Get("tillbaka"))
	if a := arena.ActorFrom(r.Context()); a != nil && a.User != nil {
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	u.renderSignIn(w, r, http.StatusOK, newForm(nil, "email", "password"), back)
}

func (u *UI) renderSignIn(w http.ResponseWriter, r *http.Request, status int, f *form, back string) {
	p := u.newPage(r, "")
	p.Title = p.T("signin.title")
	p.CSRF = u.loginToken(w, r, "/logga-in")
	p.Form = f
	p.Data = signInData{Back: back, OIDC: u.app.OIDCConfigured}
	u.render(w, r, status, "signin", p)
}

func (u *UI) handleSignIn(w http.ResponseWriter, r *http.Request) {
	if !u.parseSmallForm(w, r) {
		return
	}
	back := localPath(r.PostFormValue("tillbaka"))
	// Keep the e-mail address, never the password.
	f := newForm(nil, "email", "password")
	f.Values.Set("email", r.PostFormValue("email"))
	p := u.newPage(r, "")
	if !loginCSRFOK(r) {
		f.General = p.T("signin.expired")
		u.renderSignIn(w, r, httpapi.StatusOf(arena.EFORBIDDEN), f, back)
		return
	}
	email, pw := strings.TrimSpace(r.PostFormValue("email")), r.PostFormValue("password")
	if email == "" {
		f.Fail("email", p.T("signin.email_required"))
	}
	if pw == "" {
		f.Fail("password", p.T("signin.password_required"))
	}
	if !f.OK() {
		u.renderSignIn(w, r, httpapi.StatusOf(arena.EINVALID), f, back)
		return
	}
	sess, err := u.app.SignIn(r.Context(), email, pw)
	switch code := arena.ErrorCode(err); code {
	case "":
	case arena.EUNAUTHORIZED:
		f.General = p.T("signin.wrong")
		u.renderSignIn(w, r, httpapi.StatusOf(code), f, back)
		return
	case arena.ELIMITED, arena.EINVALID:
		f.General = p.ErrText(err)
		if code == arena.ELIMITED {
			w.Header().Set("Retry-After", fmt.Sprint(arena.ErrorMsg(err).Args["seconds"]))
		}
		u.renderSignIn(w, r, httpapi.StatusOf(code), f, back)
		return
	default:
		u.fail(w, r, err)
		return
	}
	u.SetSessionCookie(w, sess.Token)
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: "", Path: "/logga-in", MaxAge: -1})
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// parseSmallForm reads a small form posted before signing in (sign-in,
// sign-up); false when it has answered the request already.
func (u *UI) parseSmallForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		u.fail(w, r, arena.Invalid("body", "err.form_unreadable"))
		return false
	}
	if err := cleanForm(r.PostForm); err != nil {
		u.fail(w, r, err)
		return false
	}
	return true
}

// loginCSRFOK checks a form posted before signing in against its cookie.
func loginCSRFOK(r *http.Request) bool {
	c, err := r.Cookie(loginCSRFCookie)
	return err == nil && c.Value != "" && subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue("csrf"))) == 1
}

func (u *UI) handleSignOut(w http.ResponseWriter, r *http.Request) {
	if u.postForm(w, r) == nil {
		return
	}
	if err := u.errs.SignOut(w, r); err != nil {
		u.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/?klart=utloggad", http.StatusSeeOther)
}

// oidcRefusals words why sign-in through the identity provider failed, by
// the kind of failure; the details go to the log.
var oidcRefusals = map[oidc.Kind]string{
	oidc.KindState:           "signin.oidc_expired",
	oidc.KindProviderError:   "signin.oidc_cancelled",
	oidc.KindExchange:        "signin.oidc_failed",
	oidc.KindToken:           "signin.oidc_failed",
	oidc.KindNonce:           "signin.oidc_failed",
	oidc.KindEmailMissing:    "signin.oidc_email",
	oidc.KindEmailUnverified: "signin.oidc_email",
}

// handleOIDCStart sends the browser to the identity provider.
func (u *UI) handleOIDCStart(w http.ResponseWriter, r *http.Request) {
	back := localPath(r.URL.Query().Get("tillbaka"))
	p := u.app.OIDC()
	if p == nil {
		u.oidcRefused(w, r, arena.EUNAVAILABLE, "signin.oidc_unavailable", back)
		return
	}
	p.Start(w, r, back)
}

// handleOIDCFinish is where the identity provider sends the browser back:
// the person is signed in (getting an account and asking to join the
// organisation of the address's domain when new), or the sign-in page
// says why not.
func (u *UI) handleOIDCFinish(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := u.app.OIDC()
	if p == nil {
		u.oidcRefused(w, r, arena.EUNAVAILABLE, "signin.oidc_unavailable", "/")
		return
	}
	id, back, err := p.Finish(w, r)
	if err != nil {
		kind := oidc.KindOf(err)
		u.log.WarnContext(ctx, "sign-in through the identity provider failed", "kind", kind, "err", err)
		u.app.LoginFailed("oidc_" + string(kind))
		key, ok := oidcRefusals[kind]
		if !ok {
			key = "signin.oidc_failed"
		}
		u.oidcRefused(w, r, arena.EUNAUTHORIZED, key, back)
		return
	}
	in, err := u.app.SignInVerified(ctx, app.Verified{Email: id.Email, Name: id.Name})
	switch code := arena.ErrorCode(err); code {
	case "":
	case arena.EFORBIDDEN, arena.EINVALID:
		f := newForm(nil, "email", "password")
		f.General = u.newPage(r, "").ErrText(err)
		u.renderSignIn(w, r, httpapi.StatusOf(code), f, back)
		return
	default:
		u.fail(w, r, err)
		return
	}
	u.SetSessionCookie(w, in.Token)
	if in.Requested != nil {
		back = withNotice(back, "ansokan")
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// oidcRefused shows the sign-in page with why signing in through the
// identity provider did not work.
func (u *UI) oidcRefused(w http.ResponseWriter, r *http.Request, code, key, back string) {
	f := newForm(nil, "email", "password")
	f.General = u.newPage(r, "").T(key)
	u.renderSignIn(w, r, httpapi.StatusOf(code), f, back)
}
