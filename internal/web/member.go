package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/httpapi"
)

// A membership's own page of changes, as PATCH /api/v1/network-members/{id}:
// those who run the network set its role and tier; the organisation's
// admins its mandate, management sponsor, contact and consent to closing
// (arena.CanChangeMember decides field by field). Those who run the
// network also withdraw an invitation (arena.CanDeleteMember).

// memberFormData is the member form's own data.
type memberFormData struct {
	Member  *arena.NetworkMember
	Network *arena.Network
	Org     string
	Runs    bool // the user runs the network: role and tier
	Own     bool // the user is the organisation's admin: its own decisions
}

var memberFields = []string{"member_role", "member_tier", "mandate", "management_sponsor", "contact_name", "contact_email", "close_consent"}

// memberForm reads the membership of the path and what the user may
// change of it; a user who may change nothing is refused as the rule
// refuses.
func (u *UI) memberForm(r *http.Request) (*memberFormData, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	m, err := u.app.DB.NetworkMembers.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	ns, err := u.app.DB.NetworkState(ctx, m.NetworkID)
	if err != nil {
		return nil, err
	}
	a := arena.ActorFrom(ctx)
	d := &memberFormData{Member: m, Network: ns.Network, Runs: ns.Standing.Manages(), Own: a.IsOrgAdmin(m.OrgID)}
	if ns.Network.ReadOnly() {
		return nil, arena.Conflict("status", "err.network.closed")
	}
	if !d.Runs && !d.Own {
		return nil, arena.Forbidden("err.forbidden.member_change")
	}
	if o, err := u.app.DB.Organizations.Get(ctx, m.OrgID); err == nil {
		d.Org = o.Name
	}
	return d, nil
}

func (u *UI) handleMemberEdit(w http.ResponseWriter, r *http.Request) {
	if u.requireActor(w, r) == nil {
		return
	}
	d, err := u.memberForm(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	m := d.Member
	v := url.Values{"member_role": {string(m.Role)}, "member_tier": {string(m.Tier)}, "management_sponsor": {m.ManagementSponsor},
		"contact_name": {m.ContactName}, "contact_email": {m.ContactEmail}, "version": {strconv.FormatInt(m.Version, 10)}}
	if m.Mandate {
		v.Set("mandate", "1")
	}
	if m.CloseConsent {
		v.Set("close_consent", "1")
	}
	u.renderMember(w, r, http.StatusOK, d, newForm(v, memberFields...))
}

func (u *UI) renderMember(w http.ResponseWriter, r *http.Request, status int, d *memberFormData, f *form) {
	p := u.newPage(r, "networks")
	p.Title = p.T("member.edit_title", d.Org, d.Network.Name)
	p.Form, p.Data = f, d
	u.render(w, r, status, "member", p)
}

// handleMemberSave changes what the form shows the user may change; the
// rest stays as it was.
func (u *UI) handleMemberSave(w http.ResponseWriter, r *http.Request) {
	if u.postForm(w, r) == nil {
		return
	}
	d, err := u.memberForm(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm, memberFields...)
	m := *d.Member
	if d.Runs {
		m.Role, m.Tier = arena.MemberRole(f.V("member_role")), arena.MemberTier(f.V("member_tier"))
	}
	if d.Own {
		m.Mandate, m.CloseConsent = f.V("mandate") == "1", f.V("close_consent") == "1"
		m.ManagementSponsor, m.ContactName, m.ContactEmail = strings.TrimSpace(f.V("management_sponsor")), strings.TrimSpace(f.V("contact_name")), strings.TrimSpace(f.V("contact_email"))
	}
	version, _ := strconv.ParseInt(f.V("version"), 10, 64)
	err = u.app.DB.NetworkMembers.Update(r.Context(), &m, version)
	p := u.newPage(r, "networks")
	switch code := arena.ErrorCode(err); code {
	case "":
		http.Redirect(w, r, withNotice(tabPath(m.NetworkID, "medlemmar"), "sparat"), http.StatusSeeOther)
		return
	case arena.EINVALID:
		p.failFrom(f, err, map[string]string{"role": "member_role", "tier": "member_tier"})
	case arena.ECONFLICT:
		f.General = p.ErrText(err)
	case arena.EPRECONDITION:
		f.General = p.T("error.stale.text")
	default:
		u.fail(w, r, err)
		return
	}
	u.renderMember(w, r, httpapi.StatusOf(arena.ErrorCode(err)), d, f)
}

// handleMemberWithdraw withdraws an invitation, or removes a membership
// that was declined or left.
func (u *UI) handleMemberWithdraw(w http.ResponseWriter, r *http.Request) {
	m := postedRecord(u, w, r, u.app.DB.NetworkMembers)
	if m == nil {
		return
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err := u.app.DB.NetworkMembers.Delete(r.Context(), m.ID, version); err != nil {
		u.fail(w, r, err)
		return
	}
	http.Redirect(w, r, withNotice(tabPath(m.NetworkID, "medlemmar"), "tillbakadragen"), http.StatusSeeOther)
}

// handleAskToJoin asks, for one of the user's organisations, to join an
// open network (arena.CanAskToJoin); those who run it decide on the
// members tab. The contact is the person who asks.
func (u *UI) handleAskToJoin(w http.ResponseWriter, r *http.Request) {
	np := u.networkPostFor(w, r)
	if np == nil {
		return
	}
	p, n := np.p, np.n
	f := newForm(r.PostForm, "ask_org")
	org, _ := strconv.ParseInt(f.V("ask_org"), 10, 64)
	a := p.Actor
	if u.refused(w, r, np, arena.CanAskToJoin(a, n, org), "", f) {
		return
	}
	m := &arena.NetworkMember{NetworkID: n.ID, OrgID: org, Status: arena.MemberRequested,
		ContactName: a.User.Name, ContactEmail: a.User.Email}
	err := u.app.DB.NetworkMembers.Create(r.Context(), m)
	if arena.ErrorCode(err) == arena.ECONFLICT && arena.ErrorMsg(err).Key == "err.unique" {
		err = arena.Invalid("org_id", "err.member.already")
	}
	u.finishNetworkPost(w, r, np, "", f, err, map[string]string{"org_id": "ask_org"}, "forfragan-skickad", "error.stale.text")
}

// askOrgs are the user's organisations that may ask to join the network:
// those the user is an admin of without a membership in it, as the rule
// allows (arena.CanAskToJoin).
func askOrgs(a *arena.Actor, n *arena.Network, members []memberView, name func(int64) string) []option {
	if !a.SignedIn() || !n.Open {
		return nil
	}
	in := map[int64]bool{}
	for _, m := range members {
		in[m.OrgID] = true
	}
	var out []option
	for _, om := range a.Orgs {
		if !in[om.OrgID] && arena.CanAskToJoin(a, n, om.OrgID) == nil {
			out = append(out, option{Value: idStr(om.OrgID), Label: name(om.OrgID)})
		}
	}
	return out
}
