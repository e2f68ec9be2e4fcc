package web

import (
	"net/http"
	"strconv"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/httpapi"
	"github.com/arena-se/arena/internal/store"
)

// The organisation page's administration: the e-mail domains whose people
// may sign in through the identity provider, and the requests to join the
// organisation they make. The rules are the domain's (CanChangeOrgDomain,
// CanChangeOrgMembership, CanSeeUser); the page asks them only to decide
// what to offer, and the store enforces them.

// orgAdmin is the administration part of an organisation's page.
type orgAdmin struct {
	Domains    []*arena.OrgDomain
	CanDomains bool                 // the actor registers and removes domains
	Requests   []joinRequest        // waiting for an admin's approval
	CanApprove bool                 // the actor approves requests
	People     []joinRequest        // the active people, for those who change their roles
	Invites    []*arena.EmailInvite // invitations of colleagues by e-mail (arena.CanSeeColleagueInvites)
	CanInvite  bool                 // the actor invites colleagues (arena.CanInviteColleague)
}

// joinRequest is a person's request to join, with the person when the
// actor may see them.
type joinRequest struct {
	Membership *arena.OrgMembership
	User       *arena.User
}

// loadOrgAdmin reads the domains and, for those who decide on them, the
// requests to join organisation o.
func (u *UI) loadOrgAdmin(r *http.Request, o *arena.Organization) (*orgAdmin, error) {
	ctx := r.Context()
	a := arena.ActorFrom(ctx)
	d := &orgAdmin{CanDomains: arena.CanChangeOrgDomain(a, &arena.OrgDomain{OrgID: o.ID}) == nil}
	var err error
	if d.Domains, err = store.All(ctx, u.app.DB.OrgDomains, map[string]string{"org_id": idStr(o.ID)}); err != nil {
		return nil, err
	}
	asked := &arena.OrgMembership{OrgID: o.ID, Status: arena.OrgMemberRequested}
	d.CanApprove = a.SignedIn() && arena.CanChangeOrgMembership(a, asked, &arena.OrgMembership{OrgID: o.ID, Status: arena.OrgMemberActive, Role: arena.OrgRoleMember}) == nil
	if !d.CanApprove {
		return d, nil
	}
	if d.Requests, err = u.orgPeople(r, o.ID, arena.OrgMemberRequested); err != nil {
		return nil, err
	}
	d.CanInvite = arena.CanInviteColleague(a, o.ID, 0, false) == nil
	if d.Invites, err = u.app.DB.ColleagueInvitesOf(ctx, o.ID); err != nil {
		return nil, err
	}
	d.People, err = u.orgPeople(r, o.ID, arena.OrgMemberActive)
	return d, err
}

// orgPeople lists an organisation's memberships of a status, each with
// its person when the actor may see them (arena.CanSeeUser).
func (u *UI) orgPeople(r *http.Request, orgID int64, status arena.OrgMemberStatus) ([]joinRequest, error) {
	ctx := r.Context()
	ms, err := store.All(ctx, u.app.DB.OrgMemberships, map[string]string{"org_id": idStr(orgID), "status": string(status)})
	if err != nil {
		return nil, err
	}
	var out []joinRequest
	for _, m := range ms {
		jr := joinRequest{Membership: m}
		if usr, err := u.app.DB.Users.Get(ctx, m.UserID); err == nil {
			jr.User = usr
		} else if arena.ErrorCode(err) != arena.ENOTFOUND {
			return nil, err
		}
		out = append(out, jr)
	}
	return out, nil
}

// handleOrgDomainCreate registers an e-mail domain of an organisation.
func (u *UI) handleOrgDomainCreate(w http.ResponseWriter, r *http.Request) {
	id, ok := u.postedID(w, r)
	if !ok {
		return
	}
	f := newForm(r.PostForm, "domain")
	d := &arena.OrgDomain{OrgID: id, Domain: strings.TrimSpace(f.V("domain"))}
	err := u.app.DB.OrgDomains.Create(r.Context(), d)
	u.finishOrgPost(w, r, id, f, err, map[string]string{"domain": "domain"}, "doman")
}

// handleOrgDomainDelete removes an e-mail domain.
func (u *UI) handleOrgDomainDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := u.postedID(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	d, err := u.app.DB.OrgDomains.Get(ctx, id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	err = u.app.DB.OrgDomains.Delete(ctx, id, version)
	u.finishOrgPost(w, r, d.OrgID, newForm(r.PostForm, "domain"), err, nil, "doman_borttagen")
}

// handleJoinDecide approves a request to join (the person becomes an
// active member with the role chosen) or declines it (it is removed), or
// changes an active member's role or removes the member.
func (u *UI) handleJoinDecide(w http.ResponseWriter, r *http.Request) {
	m := postedRecord(u, w, r, u.app.DB.OrgMemberships)
	if m == nil {
		return
	}
	ctx, id := r.Context(), m.ID
	var err error
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	f := newForm(r.PostForm)
	switch r.PathValue("action") {
	case "godkann":
		m.Status, m.Role = arena.OrgMemberActive, arena.OrgRole(r.PostFormValue("role"))
		if m.Role == "" {
			m.Role = arena.OrgRoleMember
		}
		err = u.app.DB.OrgMemberships.Update(ctx, m, version)
		u.finishOrgPost(w, r, m.OrgID, f, err, nil, "godkand")
	case "avsla":
		err = u.app.DB.OrgMemberships.Delete(ctx, id, version)
		u.finishOrgPost(w, r, m.OrgID, f, err, nil, "avslagen")
	case "roll":
		m.Role = arena.OrgRole(r.PostFormValue("role"))
		err = u.app.DB.OrgMemberships.Update(ctx, m, version)
		u.finishOrgPost(w, r, m.OrgID, f, err, nil, "roll")
	case "ta-bort":
		err = u.app.DB.OrgMemberships.Delete(ctx, id, version)
		u.finishOrgPost(w, r, m.OrgID, f, err, nil, "borttagen")
	default:
		u.handleNotFound(w, r)
	}
}

// finishOrgPost redirects to the organisation's page with a notice after a
// write, or shows the refusal there with the input: an invalid value next
// to its field, a conflict or a stale version above the form.
func (u *UI) finishOrgPost(w http.ResponseWriter, r *http.Request, orgID int64, f *form, err error, fieldOf map[string]string, notice string) {
	code := arena.ErrorCode(err)
	p := u.newPage(r, "orgs")
	switch code {
	case "":
		http.Redirect(w, r, withNotice("/organisationer/"+idStr(orgID), notice)+"#h-org-admin", http.StatusSeeOther)
		return
	case arena.EINVALID:
		p.failFrom(f, err, fieldOf)
	case arena.ECONFLICT:
		f.General = p.errorText(err)
	case arena.EPRECONDITION:
		f.General = p.T("org.stale")
	default:
		u.fail(w, r, err)
		return
	}
	u.renderOrg(w, r, httpapi.StatusOf(code), orgID, f)
}

// postedID reads a form posted to a record's address (postForm: a
// signed-in actor, the CSRF token) and the record's id; false when it has
// answered the request already.
func (u *UI) postedID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	if u.postForm(w, r) == nil {
		return 0, false
	}
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return 0, false
	}
	return id, true
}

// postedRecord reads a form posted to a record's address (postedID) and
// the record, as the actor may see it; nil when it has answered the
// request already.
func postedRecord[T any](u *UI, w http.ResponseWriter, r *http.Request, e *store.Entity[T]) *T {
	id, ok := u.postedID(w, r)
	if !ok {
		return nil
	}
	v, err := e.Get(r.Context(), id)
	if err != nil {
		u.fail(w, r, err)
		return nil
	}
	return v
}

var colleagueFields = []string{"colleague_email", "colleague_role", "colleague_lang"}

// handleColleagueInvite invites a colleague by e-mail to join the
// organisation with a role (arena.CanInviteColleague); the sender sends
// the sign-up link.
func (u *UI) handleColleagueInvite(w http.ResponseWriter, r *http.Request) {
	id, ok := u.postedID(w, r)
	if !ok {
		return
	}
	f := newForm(r.PostForm, colleagueFields...)
	inv := &arena.EmailInvite{OrgID: id, Email: strings.TrimSpace(f.V("colleague_email")), Role: arena.OrgRole(f.V("colleague_role")), Lang: f.V("colleague_lang")}
	err := u.app.DB.CreateEmailInvite(r.Context(), inv)
	u.finishOrgPost(w, r, id, f, err, map[string]string{"email": "colleague_email", "role": "colleague_role", "lang": "colleague_lang"}, "kollega-inbjuden")
}

// OrgRoleOptions are member and admin.
func (p *page) OrgRoleOptions() []option { return enumOptions(p, "org_role", arena.OrgRoles) }
