package arena

import (
	"net/mail"
	"slices"
	"strings"
	"time"
)

// ---------------------------------------------------------------------------
// Invitations by e-mail, and signing up through one
//
// An invitation to a network is told to the invited organisation's admins
// (NotifyOfInvitation). An organisation nobody on Arena speaks for (VA Syd
// before anyone of it has an account) has no one to tell: those who run
// the network then give an e-mail address, and Arena sends a sign-up link
// there. The person who follows it gets an account and asks to join the
// organisation; its admin, or a broker when it has none, confirms the
// person, who then answers the invitation as its admin.

// EmailInvite is an invitation sent by e-mail: to a network, for an
// organisation without an admin on Arena (MemberID), or from an
// organisation's admin to a colleague, to join the organisation with a
// role (OrgID, Role). It is one or the other.
type EmailInvite struct {
	Meta
	MemberID  int64      `json:"member_id,omitempty"` // the invited membership
	OrgID     int64      `json:"org_id,omitempty"`    // the organisation a colleague is invited to
	Role      OrgRole    `json:"role,omitempty"`      // … with this role
	Email     string     `json:"email"`
	Lang      string     `json:"lang"` // of the e-mail: sv or en
	ExpiresAt time.Time  `json:"expires_at"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
	UsedAt    *time.Time `json:"used_at,omitempty"`
}

// EmailInviteTTL is how long a sign-up link works.
const EmailInviteTTL = 30 * 24 * time.Hour

// InviteLangs are the languages an invitation e-mail is written in.
var InviteLangs = Choices{"sv", "en"}

// Validate checks the invitation's own rules.
func (i *EmailInvite) Validate() error {
	switch {
	case i.MemberID > 0 && i.OrgID == 0:
		i.Role = ""
	case i.OrgID > 0 && i.MemberID == 0:
		if i.Role == "" {
			i.Role = OrgRoleMember
		}
		if err := checkEnum("role", i.Role, OrgRoles, false); err != nil {
			return err
		}
	default:
		return Invalid("member_id", "err.required")
	}
	i.Email = strings.ToLower(strings.TrimSpace(i.Email))
	if err := checkText("email", i.Email, EmailMax); err != nil {
		return err
	}
	if a, err := mail.ParseAddress(i.Email); err != nil || a.Address != i.Email {
		return Invalid("email", "err.email", F{"value": i.Email})
	}
	if i.Lang == "" {
		i.Lang = "sv"
	}
	if !slices.Contains(InviteLangs, i.Lang) {
		return Invalid("lang", "err.choice", F{"value": i.Lang, "choices": InviteLangs})
	}
	return nil
}

// MaxEmailInvites is how many invitations by e-mail one membership may
// have: enough for a wrong address or two, too few to send e-mail to
// anyone at will.
const MaxEmailInvites = 5

// CanInviteByEmail: those who run an open network send the invitation of
// a membership still waiting for its answer by e-mail, when the invited
// organisation has no admin on Arena (orgHasAdmin). An organisation with
// an admin is told in the app and by its admins' own e-mail: an address
// given by another organisation must not go round them. earlier is how
// many the membership has had (at most MaxEmailInvites).
func CanInviteByEmail(s Standing, n *Network, m *NetworkMember, orgHasAdmin bool, earlier int) error {
	if n.ReadOnly() {
		return Conflict("status", "err.network.closed")
	}
	if !s.Manages() {
		return Forbidden("err.forbidden.invite")
	}
	if memberStatus(*m) != MemberInvited {
		return Conflict("status", "err.member.not_invited", F{"status": memberStatus(*m).Term()})
	}
	if orgHasAdmin {
		return Conflict("email", "err.email_invite.has_admin")
	}
	if earlier >= MaxEmailInvites {
		return Conflict("email", "err.email_invite.too_many", F{"max": MaxEmailInvites})
	}
	return nil
}

// CanSeeEmailInvites: the addresses invitations went to are personal data,
// seen by those who run the network.
func CanSeeEmailInvites(s Standing) bool { return s.Manages() }

// CheckInviteUsable: a sign-up link works once, until it expires, and,
// for an invitation to a network, while the invitation it carries still
// waits for an answer (m is the invited membership, nil when it is gone).
func CheckInviteUsable(i *EmailInvite, m *NetworkMember, now time.Time) error {
	switch {
	case i.UsedAt != nil:
		return Conflict("token", "err.signup.used")
	case !now.Before(i.ExpiresAt):
		return Invalid("token", "err.signup.expired")
	case i.OrgID != 0:
		return nil
	case m == nil || memberStatus(*m) != MemberInvited:
		return Conflict("token", "err.signup.answered")
	}
	return nil
}

// MaxColleagueInvites is how many invitations of colleagues by e-mail an
// organisation may have waiting at once.
const MaxColleagueInvites = 20

// CanInviteColleague: an organisation's admins, and brokers, invite a
// colleague by e-mail to join it; pending is how many of its invitations
// wait (at most MaxColleagueInvites); member reports whether the address
// is already one of its people's.
func CanInviteColleague(a *Actor, orgID int64, pending int, member bool) error {
	if !a.IsBroker() && !a.IsOrgAdmin(orgID) {
		return Forbidden("err.forbidden.org_members")
	}
	if member {
		return Conflict("email", "err.email_invite.already_member")
	}
	if pending >= MaxColleagueInvites {
		return Conflict("email", "err.email_invite.too_many_colleagues", F{"max": MaxColleagueInvites})
	}
	return nil
}

// CanSeeColleagueInvites: the addresses an organisation invited are seen
// by its admins and brokers.
func CanSeeColleagueInvites(a *Actor, orgID int64) bool { return a.IsBroker() || a.IsOrgAdmin(orgID) }

// ColleagueJoins is what following a colleague's invitation does: the
// person joins the organisation at once, with the role the admin chose
// (the admin invited, the person accepted by following the link). mine
// holds the person's memberships; one already in it joins nothing more.
func ColleagueJoins(userID int64, i *EmailInvite, mine []*OrgMembership) (*OrgMembership, error) {
	for _, m := range mine {
		if m.UserID == userID && m.OrgID == i.OrgID {
			return nil, Conflict("org_id", "err.signup.already")
		}
	}
	return &OrgMembership{UserID: userID, OrgID: i.OrgID, Role: i.Role, Status: OrgMemberActive}, nil
}

// SignupRequest is what following a sign-up link asks for the person:
// to join the invited organisation, as its admin when it has none (someone
// must answer the invitation) and otherwise as a member; a broker or the
// organisation's admin confirms it (CanChangeOrgMembership). mine holds
// the person's memberships; one already in the organisation, or who asked
// already, asks nothing more (ECONFLICT).
func SignupRequest(userID, orgID int64, orgHasAdmin bool, mine []*OrgMembership) (*OrgMembership, error) {
	for _, m := range mine {
		if m.UserID == userID && m.OrgID == orgID {
			return nil, Conflict("org_id", "err.signup.already")
		}
	}
	role := OrgRoleAdmin
	if orgHasAdmin {
		role = OrgRoleMember
	}
	return &OrgMembership{UserID: userID, OrgID: orgID, Role: role, Status: OrgMemberRequested}, nil
}

// OrgMembershipEvent: a request to join an organisation waits for someone
// to decide on it.
func OrgMembershipEvent(old, v *OrgMembership) (EventKind, bool) {
	return EventJoinRequested, old == nil && v != nil && v.Status == OrgMemberRequested
}

// NotifyOfJoinRequest is the rule for telling of a request to join an
// organisation: its admins, who decide on it; when it has none
// (orgHasAdmin), the brokers.
func NotifyOfJoinRequest(recipient *Actor, m *OrgMembership, orgHasAdmin bool) bool {
	if recipient == nil || recipient.System || recipient.UserID() == m.UserID {
		return false
	}
	if orgHasAdmin {
		return recipient.IsOrgAdmin(m.OrgID)
	}
	return recipient.IsBroker()
}
