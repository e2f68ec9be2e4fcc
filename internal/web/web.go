// Package web serves Arena's user interface: server-rendered HTML pages
// from embedded templates, in Swedish by default and English by choice,
// that work without JavaScript. It is the second face of the app's
// services (the API is the first): the same operations, the same rules,
// the same errors with the same status. It runs on the API server's router
// and middleware, so the signed-in actor and the session's CSRF token come
// from the request context, and errors go through the API's one responder,
// which renders them with this package's error page.
package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/app"
	"github.com/arena-se/arena/internal/httpapi"
	"github.com/arena-se/arena/internal/i18n"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Cookie names of the UI.
const (
	langCookie      = "arena_lang"       // the chosen language, sv or en
	loginCSRFCookie = "arena_login_csrf" // double-submit token of the sign-in form
)

// UI is the web interface.
type UI struct {
	app   *app.App
	errs  *httpapi.Server // the one error responder; set by Register
	log   *slog.Logger
	pages map[string]*template.Template
	css   []byte
	cssV  string // a short hash of the stylesheet, for cache busting
	js    []byte
	jsV   string
}

// New parses the templates on the app's services; it fails when they are
// broken.
func New(a *app.App) (*UI, error) {
	u := &UI{app: a, log: a.Log}
	if u.log == nil {
		u.log = slog.Default()
	}
	var err error
	if u.pages, err = parsePages(); err != nil {
		return nil, err
	}
	if u.css, err = fs.ReadFile(staticFS, "static/arena.css"); err != nil {
		return nil, err
	}
	u.cssV = shortHash(u.css)
	if u.js, err = fs.ReadFile(staticFS, "static/arena.js"); err != nil {
		return nil, err
	}
	u.jsV = shortHash(u.js)
	return u, nil
}

// Register adds the pages to the API's router and makes the API's error
// responder render page errors with the error page. The API owns /api/,
// /healthz and /readyz; every other path is the UI's.
func (u *UI) Register(api *httpapi.Server) {
	u.errs = api
	api.SetPageError(u.renderError)
	for _, r := range u.routes() {
		api.Mux().HandleFunc(r.pattern, r.h)
	}
}

type route struct {
	pattern string
	h       http.HandlerFunc
}

// Patterns lists the UI's routes as "METHOD /pattern", for tests that
// must cover every page and form.
func (u *UI) Patterns() []string {
	var out []string
	for _, r := range u.routes() {
		out = append(out, r.pattern)
	}
	return out
}

// routes is the UI's route table.
func (u *UI) routes() []route {
	return append(append([]route{
		{"GET /static/arena.css", u.handleCSS},
		{"GET /static/arena.js", u.handleJS},
		{"GET /sprak/{lang}", u.handleLanguage},
		{"GET /logga-in", u.handleSignInForm},
		{"POST /logga-in", u.handleSignIn},
		{"GET /logga-in/oidc", u.handleOIDCStart},
		{"GET /logga-in/oidc/klar", u.handleOIDCFinish},
		{"POST /logga-ut", u.handleSignOut},
		{"GET /{$}", u.handleHome},

		{"GET /behov", u.handleNeedList},
		{"GET /behov/nytt", u.handleNeedNew},
		{"POST /behov", u.handleNeedCreate},
		{"GET /behov/{id}", u.handleNeedShow},
		{"GET /behov/{id}/andra", u.handleNeedEdit},
		{"POST /behov/{id}", u.handleNeedUpdate},
		{"POST /behov/{id}/natverk", u.handleNeedPropose},
		{"POST /behov/{id}/ta-bort", u.handleNeedDelete},

		{"GET /natverk", u.handleNetworkList},
		{"GET /natverk/nytt", u.handleNetworkNew},
		{"POST /natverk", u.handleNetworkCreate},
		{"GET /natverk/{id}/andra", u.handleNetworkEdit},
		{"POST /natverk/{id}", u.handleNetworkUpdate},
		{"POST /natverk/{id}/ta-bort", u.handleNetworkDelete},
		{"GET /natverk/{id}", u.handleNetworkShow},
		{"GET /natverk/{id}/{tab}", u.handleNetworkShow},
		{"POST /natverksmedlemmar/{id}/{action}", u.handleMemberRespond},
		{"GET /natverksmedlemmar/{id}/andra", u.handleMemberEdit},
		{"POST /natverksmedlemmar/{id}/andra", u.handleMemberSave},
		{"POST /natverksmedlemmar/{id}/dra-tillbaka", u.handleMemberWithdraw},
		{"POST /medlemsupphandlingar/{id}/steg", u.handleAdvance},
		{"POST /natverk/{id}/plan", u.handlePlanSave},
		{"POST /natverk/{id}/aktiviteter", u.handleActivityCreate},
		{"POST /aktiviteter/{id}/status", u.handleActivityStatus},
		{"POST /natverk/{id}/leveranser", u.handleDeliverableCreate},
		{"POST /natverk/{id}/medlemsupphandlingar", u.handleProcurementCreate},
		{"POST /natverk/{id}/finansiering", u.handleFundingCreate},
		{"POST /natverk/{id}/stang", u.handleNetworkClose},
		{"POST /natverk/{id}/medlemmar", u.handleMemberInvite},
		{"POST /natverk/{id}/e-postinbjudan", u.handleEmailInviteCreate},
		{"POST /natverk/{id}/ansok", u.handleAskToJoin},
		{"GET /inbjudan", u.handleSignupForm},
		{"POST /inbjudan", u.handleSignup},

		{"GET /utlysningar", u.handleCallList},
		{"GET /utlysningar/{id}", u.handleCallShow},
		{"GET /projekt", u.handleProjectList},
		{"GET /projekt/{id}", u.handleProjectShow},
		{"GET /experter", u.handleExpertList},
		{"GET /leveranser", u.handleLibrary},
		{"GET /leveranser/{id}", u.handleDeliverableShow},
		{"POST /leveranser/{id}/filer", u.deliverableFiles().upload},
		{"GET /leveranser/{id}/filer/{file}", u.deliverableFiles().download},
		{"POST /leveranser/{id}/filer/{file}/ta-bort", u.deliverableFiles().remove},
		{"GET /organisationer", u.handleOrgList},
		{"GET /organisationer/{id}", u.handleOrgShow},
		{"POST /organisationer/{id}/domaner", u.handleOrgDomainCreate},
		{"POST /organisationer/{id}/kollegor", u.handleColleagueInvite},
		{"POST /organisationsdomaner/{id}/ta-bort", u.handleOrgDomainDelete},
		{"POST /organisationsmedlemskap/{id}/{action}", u.handleJoinDecide},

		{"GET /inkorg", u.handleInbox},
		{"POST /inkorg/last", u.handleInboxRead},
		{"GET /installningar/aviseringar", u.handleNotifySettings},
		{"GET /installningar/profil", u.handleProfile},
		{"POST /installningar/profil", u.handleProfileSave},
		{"POST /installningar/losenord", u.handlePasswordSave},
		{"POST /installningar/kalender", u.handleCalendarNew},
		{"GET /kalender/{file}", u.handleCalendarFeed},
		{"GET /bevakningar", u.handleWatchList},
		{"GET /bevakningar/ny", u.handleWatchNew},
		{"POST /bevakningar", u.handleWatchCreate},
		{"GET /bevakningar/{id}", u.handleWatchEdit},
		{"POST /bevakningar/{id}", u.handleWatchUpdate},
		{"POST /bevakningar/{id}/paus", u.handleWatchPause},
		{"POST /bevakningar/{id}/ta-bort", u.handleWatchDelete},
		{"POST /installningar/aviseringar", u.handleNotifySettingsSave},
		{"GET /avregistrera", u.handleUnsubscribe},
		{"POST /avregistrera", u.handleUnsubscribePost},

		{"GET /maklare", u.handleBroker},
		{"POST /maklare/natverk", u.handleBrokerPropose},
		{"GET /maklare/personer", u.handlePeople},
		{"POST /personer/{id}/ta-bort", u.handlePersonDelete},
	}, append(append(u.dialogueRoutes(), u.registerFormRoutes()...), u.importRoutes()...)...), route{"/", u.handleNotFound})
}

// SetSessionCookie sets the session cookie as the API's sign-in does.
func (u *UI) SetSessionCookie(w http.ResponseWriter, token string) {
	httpapi.SetSessionCookie(w, token, u.app.SecureCookies)
}

func (u *UI) now() time.Time { return u.app.Now() }

func (u *UI) today() arena.Date { return arena.DateOf(u.now()) }

// page is what every template gets: the language, the actor, the CSRF
// token and the page's own data.
type page struct {
	ui      *UI
	ctx     context.Context // the request's
	Lang    string
	cat     *i18n.Catalog
	Actor   *arena.Actor
	CSRF    string
	Path    string // the request's path and query, for the language switch
	Section string // which main navigation entry is current
	Title   string
	Notice  string // a confirmation after a redirect
	Form    *form  // the page's form, with input and errors
	Data    any
	// WatchOffer is a register page's search offered as a watch
	// ("Bevaka denna sökning"); nil where there is none.
	WatchOffer *watchOffer
	// Exports are a register page's list as downloads ("Ladda ner som
	// Excel / CSV"); nil where there are none.
	Exports *exportOffer
}

// newPage prepares a page for the request.
func (u *UI) newPage(r *http.Request, section string) *page {
	lang := langOf(r)
	p := &page{ui: u, ctx: r.Context(), Lang: lang, cat: u.app.Texts.For(lang), Actor: arena.ActorFrom(r.Context()),
		CSRF: httpapi.CSRFToken(r.Context()), Path: r.URL.RequestURI(), Section: section}
	if k := r.URL.Query().Get("klart"); k != "" {
		if key, ok := notices[k]; ok {
			p.Notice = p.T(key)
		}
	}
	return p
}

// notices are the confirmations a redirect may ask for with ?klart=.
var notices = map[string]string{
	"sparat": "notice.saved",

	"bevakning":           "notice.watch_created",
	"bevakning_pausad":    "notice.watch_paused",
	"bevakning_igang":     "notice.watch_resumed",
	"bevakning_borttagen": "notice.watch_deleted",

	"skapat":   "notice.created",
	"accepted": "notice.accepted",
	"declined": "notice.declined",
	"left":     "notice.left",
	"steg":     "notice.advanced",
	"natverk":  "notice.network_created",
	"utloggad": "notice.signed_out",
	"ansokan":  "notice.join_requested",

	"doman":           "notice.domain_added",
	"doman_borttagen": "notice.domain_removed",
	"godkand":         "notice.join_approved",
	"avslagen":        "notice.join_declined",

	"plan":              "notice.plan_saved",
	"aktivitet":         "notice.activity_added",
	"aktivitetsstatus":  "notice.activity_status",
	"leverans":          "notice.deliverable_added",
	"upphandling":       "notice.procurement_added",
	"finansiering":      "notice.funding_added",
	"stangt":            "notice.network_closed",
	"last":              "notice.read",
	"e-postinbjudan":    "notice.email_invite",
	"inbjuden":          "notice.member_invited",
	"losenord":          "notice.password_changed",
	"roll":              "notice.org_role_changed",
	"borttagen":         "notice.org_member_removed",
	"tillbakadragen":    "notice.member_withdrawn",
	"forfragan-skickad": "notice.join_asked",
	"natverk-borttaget": "notice.network_deleted",
	"borttaget":         "notice.deleted",
	"behov-borttaget":   "notice.need_deleted",
	"uppgift-skapad":    "notice.record_created",
	"uppgift-sparad":    "notice.record_saved",
	"medlem-godkand":    "notice.request_approved",
	"medlem-avslagen":   "notice.request_rejected",
	"registrerad":       "notice.signed_up",

	"dialog-svar-sparat":       "notice.dialogue_answer_saved",
	"dialog-svar-borttaget":    "notice.dialogue_answer_withdrawn",
	"dialog-fraga-stalld":      "notice.dialogue_question_asked",
	"dialog-fraga-besvarad":    "notice.dialogue_question_answered",
	"dialog-fraga-borttagen":   "notice.dialogue_question_removed",
	"dialog-anmald":            "notice.dialogue_registered",
	"dialog-anmalan-borttagen": "notice.dialogue_unregistered",
}

// SignedIn reports whether a user is signed in.
func (p *page) SignedIn() bool { return p.Actor != nil && p.Actor.User != nil }

// IsBroker reports whether the user is a broker.
func (p *page) IsBroker() bool { return p.Actor.IsBroker() }

// UserName is the signed-in user's name, or e-mail when the name is empty.
func (p *page) UserName() string {
	if !p.SignedIn() {
		return ""
	}
	if p.Actor.User.Name != "" {
		return p.Actor.User.Name
	}
	return p.Actor.User.Email
}

// OtherLang is the language the switch offers.
func (p *page) OtherLang() string {
	if p.Lang == "en" {
		return "sv"
	}
	return "en"
}

// SwitchURL is the language switch's link back to this page.
func (p *page) SwitchURL() string {
	return "/sprak/" + p.OtherLang() + "?tillbaka=" + url.QueryEscape(p.Path)
}

// CSSURL is the stylesheet's address with its version.
func (p *page) CSSURL() string { return "/static/arena.css?v=" + p.ui.cssV }

// JSURL is the script's address with its version.
func (p *page) JSURL() string { return "/static/arena.js?v=" + p.ui.jsV }

// render executes a page template into a buffer and writes it with status.
func (u *UI) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t := u.pages[name]
	if t == nil {
		u.log.ErrorContext(r.Context(), "no such page template", "template", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		u.log.ErrorContext(r.Context(), "render page", "template", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", p.Lang)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorData is what the error page shows.
type errorData struct {
	Status  int
	Heading string
	Message string
}

// fail answers a request that failed: a visitor who must sign in is sent
// to the sign-in page; every other error goes through the API's one error
// responder, which logs internal errors, takes the status from its one
// table and renders the error page (renderError).
func (u *UI) fail(w http.ResponseWriter, r *http.Request, err error) {
	if arena.ErrorCode(err) == arena.EUNAUTHORIZED {
		u.toSignIn(w, r)
		return
	}
	u.errs.WriteError(w, r, err)
}

// errorKeys name the error page's heading and general text by code.
var errorKeys = map[string]string{
	arena.ENOTFOUND:     "error.not_found",
	arena.EFORBIDDEN:    "error.forbidden",
	arena.EINVALID:      "error.invalid",
	arena.ECONFLICT:     "error.conflict",
	arena.EPRECONDITION: "error.stale",
	arena.EUNAVAILABLE:  "error.unavailable",
	arena.ELIMITED:      "error.limited",
}

// renderError is the page rendering of the one error responder: a heading
// by the error's code and the domain's message, in the page's language.
func (u *UI) renderError(w http.ResponseWriter, r *http.Request, status int, err error) {
	key, ok := errorKeys[arena.ErrorCode(err)]
	if !ok {
		u.errorPage(w, r, status, "error.internal", "")
		return
	}
	p := u.newPage(r, "")
	detail := ""
	if m := arena.ErrorMsg(err); m.Key != "" && !strings.HasPrefix(m.Key, "err.not_found") {
		detail = p.cat.Msg(m)
	}
	u.errorPage(w, r, status, key, detail)
}

// errorPage renders the error page with a heading key and an optional detail.
func (u *UI) errorPage(w http.ResponseWriter, r *http.Request, status int, key, detail string) {
	p := u.newPage(r, "")
	p.Title = p.T(key + ".title")
	p.Data = errorData{Status: status, Heading: p.Title, Message: p.T(key + ".text")}
	if detail != "" {
		p.Data = errorData{Status: status, Heading: p.Title, Message: detail}
	}
	u.render(w, r, status, "error", p)
}

func (u *UI) handleNotFound(w http.ResponseWriter, r *http.Request) {
	u.fail(w, r, arena.NotFound("page"))
}

// toSignIn sends an anonymous visitor to the sign-in page, and back here
// after signing in.
func (u *UI) toSignIn(w http.ResponseWriter, r *http.Request) {
	back := r.URL.RequestURI()
	if r.Method != http.MethodGet {
		back = "/"
	}
	http.Redirect(w, r, "/logga-in?tillbaka="+url.QueryEscape(back), http.StatusSeeOther)
}

// requireActor returns the signed-in actor, or sends the visitor to sign in
// and returns nil.
func (u *UI) requireActor(w http.ResponseWriter, r *http.Request) *arena.Actor {
	a := arena.ActorFrom(r.Context())
	if a == nil || a.User == nil {
		u.toSignIn(w, r)
		return nil
	}
	return a
}

// checkCSRF refuses a state-changing form without the session's token. It
// answers itself and returns false when the form is refused.
func (u *UI) checkCSRF(w http.ResponseWriter, r *http.Request) bool {
	want := httpapi.CSRFToken(r.Context())
	if want == "" {
		u.toSignIn(w, r)
		return false
	}
	got := r.PostFormValue("csrf")
	if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		u.errorPage(w, r, httpapi.StatusOf(arena.EFORBIDDEN), "error.csrf", "")
		return false
	}
	return true
}

// postForm parses a form and checks its CSRF token and the actor; it
// answers itself and returns nil when the request is refused.
func (u *UI) postForm(w http.ResponseWriter, r *http.Request) *arena.Actor {
	r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
	if err := r.ParseForm(); err != nil {
		u.fail(w, r, arena.Invalid("body", "err.form_unreadable"))
		return nil
	}
	if err := cleanForm(r.PostForm); err != nil {
		u.fail(w, r, err)
		return nil
	}
	a := u.requireActor(w, r)
	if a == nil || !u.checkCSRF(w, r) {
		return nil
	}
	return a
}

// cleanForm refuses a form with a value that is not valid UTF-8 or holds a
// NUL: no field of any form may carry one (the domain's rules say so of
// what is stored; this covers the rest, before anything is read).
func cleanForm(v url.Values) error {
	for name, vs := range v {
		for _, x := range vs {
			if !utf8.ValidString(name) || !utf8.ValidString(x) {
				return arena.Invalid("body", "err.utf8")
			}
			if strings.ContainsRune(x, 0) {
				return arena.Invalid(name, "err.text.control")
			}
		}
	}
	return nil
}

// pathID reads the {id} of the path; a bad one is "not found".
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, arena.NotFound("page")
	}
	return id, nil
}

// localPath accepts only a path on this site as a place to return to.
func localPath(s string) string {
	// A backslash or a control character has no place in a local path:
	// browsers read a backslash as a slash and drop tabs and line breaks,
	// and http.Redirect cleans "/./\x" to "/\x", another site.
	if s == "" || s[0] != '/' || strings.ContainsFunc(s, func(r rune) bool { return r == '\\' || r < 0x20 || r == 0x7f }) {
		return "/"
	}
	u, err := url.Parse(s)
	// The decoded path must not start with two slashes either:
	// "/%2Fevil.example" is written back as "//evil.example".
	if err != nil || u.Host != "" || u.Scheme != "" || u.Opaque != "" || strings.HasPrefix(u.Path, "//") || strings.ContainsRune(u.Path, '\\') {
		return "/"
	}
	return s
}

// withNotice adds ?klart=key to a local path, keeping the path as given.
func withNotice(p, key string) string {
	rest, frag, hasFrag := strings.Cut(p, "#")
	path, query, _ := strings.Cut(rest, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		q = url.Values{}
	}
	q.Set("klart", key)
	out := path + "?" + q.Encode()
	if hasFrag {
		out += "#" + frag
	}
	return out
}

func (u *UI) handleCSS(w http.ResponseWriter, r *http.Request) {
	serveStatic(w, r, "text/css; charset=utf-8", u.css, u.cssV)
}

func (u *UI) handleJS(w http.ResponseWriter, r *http.Request) {
	serveStatic(w, r, "text/javascript; charset=utf-8", u.js, u.jsV)
}

// serveStatic serves an embedded file; asked for with its version it may
// be cached for good.
func serveStatic(w http.ResponseWriter, r *http.Request, typ string, body []byte, version string) {
	w.Header().Set("Content-Type", typ)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if r.URL.Query().Get("v") == version {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	w.Write(body)
}

// handleLanguage remembers the chosen language and returns to the page.
func (u *UI) handleLanguage(w http.ResponseWriter, r *http.Request) {
	lang := r.PathValue("lang")
	if !slices.Contains(i18n.Languages, lang) {
		u.handleNotFound(w, r)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: u.app.SecureCookies, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, localPath(r.URL.Query().Get("tillbaka")), http.StatusSeeOther)
}

// langOf is the request's language: the remembered choice, else Swedish.
func langOf(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == "en" || c.Value == "sv") {
		return c.Value
	}
	return "sv"
}

func randomToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func shortHash(b []byte) string {
	var h uint32 = 2166136261
	for _, c := range b {
		h ^= uint32(c)
		h *= 16777619
	}
	return fmt.Sprintf("%08x", h)
}

// parsePages parses the layout and partials once for each page template.
func parsePages() (map[string]*template.Template, error) {
	entries, err := fs.ReadDir(templateFS, "templates")
	if err != nil {
		return nil, err
	}
	base := template.New("base").Funcs(funcs)
	var pages []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, "_") {
			b, err := fs.ReadFile(templateFS, "templates/"+name)
			if err != nil {
				return nil, err
			}
			if _, err := base.New(name).Parse(string(b)); err != nil {
				return nil, fmt.Errorf("template %s: %w", name, err)
			}
		} else {
			pages = append(pages, name)
		}
	}
	out := map[string]*template.Template{}
	for _, name := range pages {
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		b, err := fs.ReadFile(templateFS, "templates/"+name)
		if err != nil {
			return nil, err
		}
		if _, err := t.New(name).Parse(string(b)); err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		out[strings.TrimSuffix(path.Base(name), ".html")] = t
	}
	return out, nil
}
