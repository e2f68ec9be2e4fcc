package arena

import (
	"net/mail"
)

// NetworkMember is an organisation in a network.
type NetworkMember struct {
	Meta
	NetworkID         int64        `json:"network_id"`
	OrgID             int64        `json:"org_id"`
	NeedID            *int64       `json:"need_id,omitempty"` // the need the organisation brought, for tactical networks
	Role              MemberRole   `json:"role"`
	Tier              MemberTier   `json:"tier"`
	Status            MemberStatus `json:"status"`
	ContactName       string       `json:"contact_name,omitempty"`
	ContactEmail      string       `json:"contact_email,omitempty"`
	Mandate           bool         `json:"mandate"`                      // the contact may commit the organisation
	ManagementSponsor string       `json:"management_sponsor,omitempty"` // ledningsförankring: who in management backs it
	CloseConsent      bool         `json:"close_consent"`                // the organisation agrees to closing the network
}

// Validate checks the membership's own rules.
func (m *NetworkMember) Validate() error {
	if m.NetworkID <= 0 {
		return Invalid("network_id", "err.required")
	}
	if m.OrgID <= 0 {
		return Invalid("org_id", "err.required")
	}
	if m.Role == "" {
		m.Role = MemberBuyer
	}
	if m.Tier == "" {
		m.Tier = TierCore
	}
	if m.Status == "" {
		m.Status = MemberInvited
	}
	if err := checkEnum("role", m.Role, MemberRoles, false); err != nil {
		return err
	}
	if err := checkEnum("tier", m.Tier, MemberTiers, false); err != nil {
		return err
	}
	if err := checkEnum("status", m.Status, MemberStatuses, false); err != nil {
		return err
	}
	if err := optionalText("contact_name", &m.ContactName, NameMax); err != nil {
		return err
	}
	if err := optionalText("management_sponsor", &m.ManagementSponsor, NameMax); err != nil {
		return err
	}
	if err := optionalText("contact_email", &m.ContactEmail, EmailMax); err != nil {
		return err
	}
	if m.ContactEmail != "" {
		if a, err := mail.ParseAddress(m.ContactEmail); err != nil || a.Address != m.ContactEmail {
			return Invalid("contact_email", "err.email", F{"value": m.ContactEmail})
		}
	}
	return nil
}

// ---------------------------------------------------------------------------
// Access rules of memberships
//
// An organisation becomes an active member of a network only by its own
// admin's act: those who run the network invite it, and its admin accepts
// or declines, sets its mandate, management sponsor, contact, need and
// consent to closing, and leaves. Those who run the network set members'
// roles and tiers and withdraw invitations.

// CanSeeMember: an active membership (the organisation, its role and tier)
// is public; an invitation, a declined or a left membership is seen by the
// network's insiders and by the organisation's own people.
func CanSeeMember(a *Actor, s Standing, m *NetworkMember) bool {
	return memberStatus(*m) == MemberActive || s.Insider() || a.InOrg(m.OrgID)
}

// CanSeeMemberContact: a member's contact person and management sponsor
// are personal data, seen by the network's insiders, the organisation's own
// people and brokers.
func CanSeeMemberContact(a *Actor, s Standing, m *NetworkMember) bool {
	return s.Insider() || a.InOrg(m.OrgID)
}

// RedactContact removes the personal data of a membership the actor may
// not see (CanSeeMemberContact).
func (m *NetworkMember) RedactContact() {
	m.ContactName, m.ContactEmail, m.ManagementSponsor = "", "", ""
}

// CanCreateMember: those who run a network (n open for changes) invite an
// organisation. The membership starts as invited, unless the organisation
// is one the actor is an admin of: then it joins at once. An organisation's
// admin asks to join an open network (status requested), and those who run
// it decide (Decide). What is the organisation's own decision (its mandate,
// management sponsor, contact, need and consent to closing) only its admins
// set.
func CanCreateMember(a *Actor, s Standing, n *Network, m *NetworkMember) error {
	if n.ReadOnly() {
		return Conflict("status", "err.network.closed")
	}
	if memberStatus(*m) == MemberRequested {
		return CanAskToJoin(a, n, m.OrgID)
	}
	if !s.Manages() {
		return Forbidden("err.forbidden.invite")
	}
	switch memberStatus(*m) {
	case MemberInvited:
	case MemberActive:
		if !a.IsOrgAdmin(m.OrgID) {
			return Invalid("status", "err.member.joins_by_own_act")
		}
	default:
		return Invalid("status", "err.member.starts_invited")
	}
	if !a.IsOrgAdmin(m.OrgID) {
		for _, f := range []struct {
			field string
			set   bool
		}{
			{"mandate", m.Mandate},
			{"management_sponsor", m.ManagementSponsor != ""},
			{"contact_name", m.ContactName != ""},
			{"contact_email", m.ContactEmail != ""},
			{"need_id", m.NeedID != nil},
			{"close_consent", m.CloseConsent},
		} {
			if f.set {
				return Invalid(f.field, "err.member.own_decision")
			}
		}
	}
	return nil
}

// CanAskToJoin: an organisation's admin asks for it to join a network
// that is open for new members and not closed.
func CanAskToJoin(a *Actor, n *Network, orgID int64) error {
	if !a.SignedIn() {
		return Err(EUNAUTHORIZED, "err.sign_in")
	}
	if n.ReadOnly() {
		return Conflict("status", "err.network.closed")
	}
	if !n.Open {
		return Conflict("open", "err.network.not_open")
	}
	if !a.IsOrgAdmin(orgID) {
		return Forbidden("err.forbidden.ask_to_join")
	}
	return nil
}

// Member actions, each the act of one side: the organisation answers an
// invitation or leaves; those who run the network decide a request.
const (
	ActionAccept  = "accept"
	ActionDecline = "decline"
	ActionLeave   = "leave"
	ActionApprove = "approve"
	ActionReject  = "reject"
)

// Decide applies the decision of those who run the network on an
// organisation's request to join: approve makes it an active member,
// reject declines it.
func (m *NetworkMember) Decide(s Standing, n *Network, action string) error {
	if n.ReadOnly() {
		return Conflict("status", "err.network.closed")
	}
	if !s.Manages() {
		return Forbidden("err.forbidden.decide_request")
	}
	if action != ActionApprove && action != ActionReject {
		return Invalid("action", "err.choice", F{"value": action, "choices": Choices{ActionApprove, ActionReject}})
	}
	if memberStatus(*m) != MemberRequested {
		return Conflict("status", "err.member.not_requested", F{"status": memberStatus(*m).Term()})
	}
	m.Status = MemberActive
	if action == ActionReject {
		m.Status = MemberDeclined
	}
	return nil
}

// Answer applies a member organisation's answer to its membership: accept
// or decline an invitation, or leave. Only the organisation's admins answer.
func (m *NetworkMember) Answer(a *Actor, n *Network, action string) error {
	if n.ReadOnly() {
		return Conflict("status", "err.network.closed")
	}
	if !a.IsOrgAdmin(m.OrgID) {
		return Forbidden("err.forbidden.answer")
	}
	switch action {
	case ActionAccept, ActionDecline:
		if memberStatus(*m) != MemberInvited {
			return Conflict("status", "err.member.not_invited", F{"status": memberStatus(*m).Term()})
		}
		m.Status = MemberActive
		if action == ActionDecline {
			m.Status = MemberDeclined
		}
	case ActionLeave:
		if memberStatus(*m) != MemberActive {
			return Conflict("status", "err.member.not_active")
		}
		m.Status = MemberLeft
	default:
		return Invalid("action", "err.choice", F{"value": action, "choices": Choices{ActionAccept, ActionDecline, ActionLeave}})
	}
	return nil
}

// CanChangeMember decides a change of a membership field by field. The
// network and the organisation never change. The status changes by Answer
// (the organisation's admins) only. The organisation's admins set its
// mandate, management sponsor, contact, need and consent to closing; those
// who run the network set role and tier. need is the need named by v (nil
// when v names none or it does not exist): it must be the organisation's
// own and not a draft.
func CanChangeMember(a *Actor, s Standing, n *Network, old, v *NetworkMember, need *Need) error {
	if n.ReadOnly() {
		return Conflict("status", "err.network.closed")
	}
	if old.NetworkID != v.NetworkID || old.OrgID != v.OrgID {
		return Invalid("org_id", "err.member.fixed")
	}
	if memberStatus(*old) != memberStatus(*v) {
		if s.Insider() || a.InOrg(old.OrgID) {
			return Invalid("status", "err.member.status_by_answer")
		}
		return Forbidden("err.forbidden.member_change")
	}
	own := a.IsOrgAdmin(old.OrgID)
	changed := func(field string, ok bool) error {
		if ok {
			return nil
		}
		if s.Insider() || a.InOrg(old.OrgID) {
			return Forbidden("err.forbidden.member_field", F{"field": field})
		}
		return Forbidden("err.forbidden.member_change")
	}
	for _, c := range []struct {
		field   string
		differs bool
		may     bool
	}{
		{"role", old.Role != v.Role, s.Manages()},
		{"tier", old.Tier != v.Tier, s.Manages()},
		{"mandate", old.Mandate != v.Mandate, own},
		{"management_sponsor", old.ManagementSponsor != v.ManagementSponsor, own},
		{"contact_name", old.ContactName != v.ContactName, own},
		{"contact_email", old.ContactEmail != v.ContactEmail, own},
		{"need_id", !sameID(old.NeedID, v.NeedID), own},
		{"close_consent", old.CloseConsent != v.CloseConsent, own},
	} {
		if c.differs {
			if err := changed(c.field, c.may); err != nil {
				return err
			}
		}
	}
	if !sameID(old.NeedID, v.NeedID) {
		return CanAttachNeed(v, need)
	}
	return nil
}

// CanAttachNeed: the need a member brings is one of its own organisation's
// needs, and not a draft. A need that does not exist gets the same answer
// as another organisation's, so the answer tells nothing about needs the
// actor may not see.
func CanAttachNeed(m *NetworkMember, need *Need) error {
	if m.NeedID == nil {
		return nil
	}
	if need == nil || need.ID != *m.NeedID || need.OrgID != m.OrgID || !need.Shared() {
		return Invalid("need_id", "err.member.need_own")
	}
	return nil
}

// CanDeleteMember: those who run a network withdraw an invitation, or
// remove a membership that was declined or left; an active member leaves by
// its own act (Answer) and is not deleted. An organisation's admin
// withdraws its own request to join; those who run the network decide it
// (Decide), so that the organisation hears the answer.
func CanDeleteMember(a *Actor, s Standing, n *Network, m *NetworkMember) error {
	if n.ReadOnly() {
		return Conflict("status", "err.network.closed")
	}
	if memberStatus(*m) == MemberRequested {
		if a.IsOrgAdmin(m.OrgID) {
			return nil
		}
		if s.Manages() {
			return Conflict("status", "err.member.request_by_decision")
		}
		return Forbidden("err.forbidden.invite")
	}
	if !s.Manages() {
		return Forbidden("err.forbidden.invite")
	}
	if memberStatus(*m) == MemberActive {
		return Conflict("status", "err.member.active_leaves")
	}
	return nil
}

// memberStatus returns the member's status; none is read as Validate's
// default, invited: nobody is a member without saying so.
func memberStatus(m NetworkMember) MemberStatus {
	if m.Status == "" {
		return MemberInvited
	}
	return m.Status
}

// memberRole returns the member's role; no role is read as buyer.
func memberRole(m NetworkMember) MemberRole {
	if m.Role == "" {
		return MemberBuyer
	}
	return m.Role
}

// memberIsActive reports whether a member takes part now.
func memberIsActive(m NetworkMember) bool { return memberStatus(m) == MemberActive }

// memberIsCurrent reports whether a member is part of the network as
// composed: active or invited, not declined or left.
func memberIsCurrent(m NetworkMember) bool {
	s := memberStatus(m)
	return s == MemberActive || s == MemberInvited
}
