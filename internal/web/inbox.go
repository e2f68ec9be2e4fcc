package web

import (
	"net/http"
	"strconv"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/reach"
	"github.com/arena-se/arena/internal/store"
)

// unreadBadgeMax is the most unread notifications the header counts; more
// read as "99+", so the count costs the same however many there are.
const unreadBadgeMax = 99

// UnreadBadge is the signed-in person's count of unread notifications, for
// the header: "" when there are none, for a visitor, and when it cannot be
// read (the header never fails a page); "99+" above unreadBadgeMax.
func (p *page) UnreadBadge() string {
	if !p.SignedIn() || p.ui.app.Reach == nil {
		return ""
	}
	n, err := p.ui.app.DB.UnreadCountUpTo(p.ctx, p.Actor.UserID(), unreadBadgeMax+1)
	switch {
	case err != nil || n == 0:
		return ""
	case n > unreadBadgeMax:
		return strconv.Itoa(unreadBadgeMax) + "+"
	}
	return strconv.Itoa(n)
}

// inboxItem is one notification as the inbox shows it.
type inboxItem struct {
	arena.Notification
	Href string
}

type inboxData struct {
	Items  []inboxItem
	Unread int
	Older  int64 // the id to list older ones from; 0 at the end
}

func (u *UI) handleInbox(w http.ResponseWriter, r *http.Request) {
	if u.requireActor(w, r) == nil {
		return
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("fore"), 10, 64)
	notes, unread, err := u.app.Reach.Inbox(r.Context(), before, reach.InboxPage)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p := u.newPage(r, "inbox")
	p.Title = p.T("inbox.title")
	d := &inboxData{Unread: unread}
	for _, n := range notes {
		d.Items = append(d.Items, inboxItem{Notification: n, Href: reach.Path(n)})
	}
	if len(notes) == reach.InboxPage {
		d.Older = notes[len(notes)-1].ID
	}
	p.Data = d
	u.render(w, r, http.StatusOK, "inbox", p)
}

// handleInboxRead marks one notification read (id given) or all, then
// goes to the notification's page (gå=1) or back to the inbox.
func (u *UI) handleInboxRead(w http.ResponseWriter, r *http.Request) {
	if u.postForm(w, r) == nil {
		return
	}
	var ids []int64
	if s := r.PostFormValue("id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			u.fail(w, r, arena.Invalid("id", "err.id", arena.F{"value": s}))
			return
		}
		ids = []int64{id}
	}
	if err := u.app.Reach.MarkRead(r.Context(), ids); err != nil {
		u.fail(w, r, err)
		return
	}
	if to := r.PostFormValue("till"); to != "" {
		http.Redirect(w, r, localPath(to), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, withNotice("/inkorg", "last"), http.StatusSeeOther)
}

// settingsKind is one kind's choice on the settings page.
type settingsKind struct {
	Kind    arena.NotificationKind
	Label   string
	Options []option
}

type settingsData struct {
	Kinds []settingsKind
	Langs []option
	// HasCalendar is whether the person has a calendar address;
	// CalendarURL is a new one, shown once.
	HasCalendar bool
	CalendarURL string
}

func (u *UI) handleNotifySettings(w http.ResponseWriter, r *http.Request) {
	if u.requireActor(w, r) == nil {
		return
	}
	st, err := u.app.Reach.Settings(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.renderNotifySettings(w, r, http.StatusOK, st, nil, "")
}

func (u *UI) renderNotifySettings(w http.ResponseWriter, r *http.Request, status int, st store.NotificationSettings, f *form, calendarURL string) {
	p := u.newPage(r, "inbox")
	p.Title = p.T("notify_settings.title")
	p.Form = f
	d := &settingsData{}
	for _, k := range arena.NotificationKinds {
		sk := settingsKind{Kind: k, Label: p.cat.Term(k.Term())}
		for _, m := range arena.DeliveryModes {
			sk.Options = append(sk.Options, option{Value: string(m), Label: p.cat.Term(m.Term()), Selected: st.Modes[k] == m})
		}
		d.Kinds = append(d.Kinds, sk)
	}
	for _, l := range []string{"sv", "en"} {
		d.Langs = append(d.Langs, option{Value: l, Label: p.T("lang." + l), Selected: st.Lang == l})
	}
	has, err := u.app.DB.HasCalendarFeed(r.Context(), p.Actor.UserID())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d.HasCalendar, d.CalendarURL = has, calendarURL
	p.Data = d
	u.render(w, r, status, "notify_settings", p)
}

// handleCalendarNew makes a new secret calendar address and shows it once
// on the settings page; the old address stops working.
func (u *UI) handleCalendarNew(w http.ResponseWriter, r *http.Request) {
	if u.postForm(w, r) == nil {
		return
	}
	ctx := r.Context()
	addr, err := u.app.Reach.NewCalendarFeed(ctx)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	st, err := u.app.Reach.Settings(ctx)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.renderNotifySettings(w, r, http.StatusOK, st, nil, addr)
}

// handleCalendarFeed serves a person's calendar (RFC 5545) at its secret
// address, without a session: the address is the key.
func (u *UI) handleCalendarFeed(w http.ResponseWriter, r *http.Request) {
	// A secret is auth.NewToken's: 43 characters of base64url.
	token, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok || len(token) != 43 || strings.Trim(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
		u.handleNotFound(w, r)
		return
	}
	doc, found, err := u.app.Reach.CalendarFeed(r.Context(), token)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if !found {
		u.handleNotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write([]byte(doc))
}

func (u *UI) handleNotifySettingsSave(w http.ResponseWriter, r *http.Request) {
	if u.postForm(w, r) == nil {
		return
	}
	modes := map[string]string{}
	for _, k := range arena.NotificationKinds {
		if r.PostForm.Has(string(k)) {
			modes[string(k)] = r.PostFormValue(string(k))
		}
	}
	ctx := r.Context()
	if err := u.app.Reach.SaveSettings(ctx, modes, r.PostFormValue("lang")); err != nil {
		if arena.ErrorCode(err) != arena.EINVALID {
			u.fail(w, r, err)
			return
		}
		f := newForm(r.PostForm)
		u.newPage(r, "inbox").failFrom(f, err, nil)
		st, rerr := u.app.Reach.Settings(ctx)
		if rerr != nil {
			u.fail(w, r, rerr)
			return
		}
		u.renderNotifySettings(w, r, http.StatusBadRequest, st, f, "")
		return
	}
	http.Redirect(w, r, withNotice("/installningar/aviseringar", "sparat"), http.StatusSeeOther)
}

type unsubscribeData struct {
	Token string
	Kinds string
	Done  bool
	Err   string
}

// handleUnsubscribe shows what a link from an e-mail would stop, with a
// button; GET never changes anything (link checkers open links).
func (u *UI) handleUnsubscribe(w http.ResponseWriter, r *http.Request) {
	p := u.newPage(r, "")
	p.Title = p.T("unsubscribe.title")
	token := r.URL.Query().Get("t")
	d := &unsubscribeData{Token: token}
	p.Data = d
	un, err := u.app.Reach.ParseUnsubscribe(r.Context(), token)
	if err != nil {
		if arena.ErrorCode(err) != arena.EINVALID {
			u.fail(w, r, err)
			return
		}
		d.Err = p.ErrText(err)
		u.render(w, r, http.StatusBadRequest, "unsubscribe", p)
		return
	}
	d.Kinds = p.kindList(un.Kinds)
	u.render(w, r, http.StatusOK, "unsubscribe", p)
}

// handleUnsubscribePost is the one-click unsubscribe (RFC 8058): the mail
// client, or the page's button, posts to the link; the signed token is
// the consent, so it needs no session.
func (u *UI) handleUnsubscribePost(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	r.ParseForm()
	p := u.newPage(r, "")
	p.Title = p.T("unsubscribe.title")
	d := &unsubscribeData{}
	p.Data = d
	un, err := u.app.Reach.ApplyUnsubscribe(r.Context(), r.URL.Query().Get("t"))
	if err != nil {
		if arena.ErrorCode(err) != arena.EINVALID {
			u.fail(w, r, err)
			return
		}
		d.Err = p.ErrText(err)
		u.render(w, r, http.StatusBadRequest, "unsubscribe", p)
		return
	}
	d.Done, d.Kinds = true, p.kindList(un.Kinds)
	u.render(w, r, http.StatusOK, "unsubscribe", p)
}

func (p *page) kindList(kinds []arena.NotificationKind) string {
	words := make([]string, len(kinds))
	for i, k := range kinds {
		words[i] = p.cat.Term(k.Term())
	}
	return p.cat.List(words)
}
