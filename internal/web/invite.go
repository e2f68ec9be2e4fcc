package web

import (
	"net/http"
	"strconv"
	"strings"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/httpapi"
	"github.com/arena-se/arena/internal/store"
)

// Inviting an organisation to a network from its members tab, by name or
// organisation number, as POST /api/v1/network-members does: the rule is
// the domain's (CanCreateMember), asked first so that only those who run
// the network search for organisations, and again by the store.

var inviteOrgFields = []string{"invite_org", "org_id", "member_role", "member_tier"}

// maxOrgChoices is how many organisations a name may match before the
// form asks for more of it.
const maxOrgChoices = 10

func (u *UI) handleMemberInvite(w http.ResponseWriter, r *http.Request) {
	np := u.networkPostFor(w, r)
	if np == nil {
		return
	}
	p, n := np.p, np.n
	f := newForm(r.PostForm, inviteOrgFields...)
	m := &arena.NetworkMember{NetworkID: n.ID, Status: arena.MemberInvited,
		Role: arena.MemberRole(f.V("member_role")), Tier: arena.MemberTier(f.V("member_tier"))}
	if u.refused(w, r, np, arena.CanCreateMember(p.Actor, np.st.Standing, n, m), "medlemmar", f) {
		return
	}
	org, ok := u.chooseOrg(r, p, f)
	if !ok {
		u.renderNetwork(w, r, httpapi.StatusOf(arena.EINVALID), n.ID, "medlemmar", f)
		return
	}
	m.OrgID = org
	err := u.app.DB.NetworkMembers.Create(r.Context(), m)
	if arena.ErrorCode(err) == arena.ECONFLICT && arena.ErrorMsg(err).Key == "err.unique" {
		// The organisation has a membership already (a unique key).
		err = arena.Invalid("org_id", "err.member.already")
	}
	u.finishNetworkPost(w, r, np, "medlemmar", f, err,
		map[string]string{"org_id": "invite_org", "role": "member_role", "tier": "member_tier"}, "inbjuden", "error.stale.text")
}

// chooseOrg finds the organisation the form names: the one chosen among
// several (org_id), or the one whose organisation number, or name, the
// user typed. Several matching a name are offered as a choice; none, or
// nothing typed, is an error on the field.
func (u *UI) chooseOrg(r *http.Request, p *page, f *form) (int64, bool) {
	if v := f.V("org_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			f.Fail("invite_org", p.T("err.choice"))
			return 0, false
		}
		return id, true
	}
	q := strings.TrimSpace(f.V("invite_org"))
	if q == "" {
		f.Fail("invite_org", p.T("member.invite_org_required"))
		return 0, false
	}
	if err := arena.CheckQuery("invite_org", q); err != nil {
		f.Fail("invite_org", p.ErrText(err))
		return 0, false
	}
	filters := map[string]string{"q": q}
	if number, err := arena.NormalizeOrgNumber(q); err == nil {
		filters = map[string]string{"org_number": number}
	}
	found, err := u.app.DB.Organizations.List(r.Context(), store.ListQuery{Filters: filters, Limit: maxOrgChoices + 1})
	if err != nil {
		f.Fail("invite_org", p.ErrText(err))
		return 0, false
	}
	for _, o := range found.Items {
		if len(found.Items) == 1 || strings.EqualFold(o.Name, q) {
			return o.ID, true
		}
	}
	switch n := len(found.Items); {
	case n == 0:
		f.Fail("invite_org", p.T("member.invite_org_none", q))
	case n > maxOrgChoices:
		f.Fail("invite_org", p.T("member.invite_org_many", maxOrgChoices))
	default:
		f.Fail("org_id", p.T("member.invite_org_choose"))
		opts := make([]option, len(found.Items))
		for i, o := range found.Items {
			label := o.Name
			if o.OrgNumber != "" {
				label += " (" + o.OrgNumber + ")"
			}
			opts[i] = option{Value: idStr(o.ID), Label: label}
		}
		f.Choices = map[string][]option{"org_id": opts}
	}
	return 0, false
}

// OrgChoices are the organisations the form offers after a name matched
// several.
func (p *page) OrgChoices() []option {
	if p.Form == nil {
		return nil
	}
	return p.Form.Choices["org_id"]
}

// MemberRoleOptions and MemberTierOptions are a membership's roles and
// tiers.
func (p *page) MemberRoleOptions() []option { return enumOptions(p, "member_role", arena.MemberRoles) }

// MemberTierOptions: see MemberRoleOptions.
func (p *page) MemberTierOptions() []option { return enumOptions(p, "member_tier", arena.MemberTiers) }
