package arena

import (
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Meta is what every stored record carries. Version grows by one with each
// update and is the record's ETag: an update names the version it read.
type Meta struct {
	ID        int64     `json:"id"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// GetMeta returns the record's meta data; every entity has it through Meta.
func (m *Meta) GetMeta() *Meta { return m }

// Organization is a public buyer, a company, a university or an association.
type Organization struct {
	Meta
	Name      string  `json:"name"`
	OrgNumber string  `json:"org_number,omitempty"` // organisationsnummer, NNNNNN-NNNN
	Kind      OrgKind `json:"kind"`
	SCBCode   string  `json:"scb_code,omitempty"` // kommun (4 digits) or län of a region (2 digits)
	Country   string  `json:"country,omitempty"`  // ISO 3166-1 alpha-2; empty means SE
	Website   string  `json:"website,omitempty"`
	Source    string  `json:"source,omitempty"` // where the record comes from, e.g. "rapporten 5.1.2"
}

// Validate checks the organisation's own rules and normalises its number.
func (o *Organization) Validate() error {
	if err := requireText("name", &o.Name, NameMax); err != nil {
		return err
	}
	if err := checkText("kind", string(o.Kind), NameMax); err != nil {
		return err
	}
	if k, ok := ParseOrgKind(string(o.Kind)); ok {
		o.Kind = k
	} else {
		return checkEnum("kind", o.Kind, OrgKinds, false)
	}
	if o.OrgNumber != "" {
		if err := checkText("org_number", o.OrgNumber, NameMax); err != nil {
			return err
		}
		n, err := NormalizeOrgNumber(o.OrgNumber)
		if err != nil {
			return err
		}
		o.OrgNumber = n
	}
	if err := checkText("scb_code", o.SCBCode, NameMax); err != nil {
		return err
	}
	if o.SCBCode != "" {
		if o.Kind != OrgKommun && o.Kind != OrgRegion {
			return Invalid("scb_code", "err.scb_code.kind")
		}
		if !ValidSCBCode(o.Kind, o.SCBCode) {
			return Invalid("scb_code", "err.scb_code.form", F{"kind": o.Kind.Term(), "digits": map[OrgKind]int{OrgKommun: 4, OrgRegion: 2}[o.Kind]})
		}
	}
	if !validCountry(o.Country) {
		return Invalid("country", "err.country")
	}
	if err := checkURL("website", &o.Website); err != nil {
		return err
	}
	return optionalText("source", &o.Source, ShortTextMax)
}

// User is a person who signs in.
type User struct {
	Meta
	Email         string         `json:"email"`
	Name          string         `json:"name"`
	PlatformRoles []PlatformRole `json:"platform_roles"`
}

// Validate checks the user's own rules.
func (u *User) Validate() error {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	if err := checkText("email", u.Email, EmailMax); err != nil {
		return err
	}
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
		return Invalid("email", "err.email", F{"value": u.Email})
	}
	if err := optionalText("name", &u.Name, NameMax); err != nil {
		return err
	}
	if u.PlatformRoles == nil {
		u.PlatformRoles = []PlatformRole{}
	}
	for _, r := range u.PlatformRoles {
		if err := checkEnum("platform_roles", r, PlatformRoles, false); err != nil {
			return err
		}
	}
	return nil
}

// HasRole reports whether the user holds a platform role.
func (u *User) HasRole(r PlatformRole) bool { return slices.Contains(u.PlatformRoles, r) }

// OrgMembership ties a user to an organisation with a role. An
// organisation's admin may only invite a person; the membership counts
// (gives the user the organisation's rights, and the organisation sight of
// the user) once the user has accepted it.
type OrgMembership struct {
	Meta
	UserID int64           `json:"user_id"`
	OrgID  int64           `json:"org_id"`
	Role   OrgRole         `json:"role"`
	Status OrgMemberStatus `json:"status"`
}

// Validate checks the membership's own rules.
func (m *OrgMembership) Validate() error {
	if m.UserID <= 0 {
		return Invalid("user_id", "err.required")
	}
	if m.OrgID <= 0 {
		return Invalid("org_id", "err.required")
	}
	if m.Status == "" {
		m.Status = OrgMemberActive
	}
	if err := checkEnum("status", m.Status, OrgMemberStatuses, false); err != nil {
		return err
	}
	return checkEnum("role", m.Role, OrgRoles, false)
}

// ---------------------------------------------------------------------------
// Access rules of organisations and people

// CanRegisterOrganization: brokers register and remove organisations (and
// the platform, when `arena user create` names a new one).
func CanRegisterOrganization(a *Actor) error {
	if a.IsBroker() {
		return nil
	}
	return Forbidden("err.forbidden.org_create")
}

// CanChangeOrganization: the organisation's admins and brokers change an
// organisation's record.
func CanChangeOrganization(a *Actor, o *Organization) error {
	if a.IsBroker() || a.IsOrgAdmin(o.ID) {
		return nil
	}
	return Forbidden("err.forbidden.org_change")
}

// CanSeeUser: a person's record (name, e-mail) is seen by the person, by
// people of the same organisation (both memberships active), by the admins
// of an organisation the person asked to join (to decide on it) and by
// brokers. It is personal data: nobody else, signed in or not. theirs
// holds the person's organisation memberships.
func CanSeeUser(a *Actor, u *User, theirs []*OrgMembership) bool {
	if !a.SignedIn() {
		return false
	}
	if a.UserID() == u.ID || a.IsBroker() {
		return true
	}
	for _, m := range theirs {
		if m.UserID != u.ID {
			continue
		}
		if m.Status == OrgMemberActive && a.InOrg(m.OrgID) || m.Status == OrgMemberRequested && a.IsOrgAdmin(m.OrgID) {
			return true
		}
	}
	return false
}

// CanChangeUser: people change their own name and e-mail; brokers manage
// people and their platform roles.
func CanChangeUser(a *Actor, old, v *User) error {
	if a.IsBroker() {
		return nil
	}
	if old != nil && v != nil && old.ID == a.UserID() && slices.Equal(old.PlatformRoles, v.PlatformRoles) {
		return nil
	}
	return Forbidden("err.forbidden.user_change")
}

// CanSeeOrgMembership: a membership is seen by its person, by the active
// people of its organisation and by brokers.
func CanSeeOrgMembership(a *Actor, m *OrgMembership) bool {
	return a.SignedIn() && (a.UserID() == m.UserID || a.InOrg(m.OrgID) || a.IsBroker())
}

// CanCreateOrgMembership: an organisation's admin invites a person (the
// membership starts as invited, and only the person accepts it); a broker
// may add a person outright.
func CanCreateOrgMembership(a *Actor, m *OrgMembership) error {
	switch {
	case a.IsBroker():
		return nil
	case a.IsOrgAdmin(m.OrgID) && m.Status == OrgMemberInvited:
		return nil
	case a.IsOrgAdmin(m.OrgID):
		return Invalid("status", "err.org_membership.invite_only")
	}
	return Forbidden("err.forbidden.org_members")
}

// CanChangeOrgMembership: the person accepts an invitation and nothing
// else; the organisation's admins approve a person's request (to an
// active member, with the role they choose) and change the role of an
// active member; brokers change anything. The person and the organisation
// never change.
func CanChangeOrgMembership(a *Actor, old, v *OrgMembership) error {
	if old.UserID != v.UserID || old.OrgID != v.OrgID {
		return Invalid("org_id", "err.org_membership.fixed")
	}
	if a.IsBroker() {
		return nil
	}
	if a.UserID() == old.UserID && old.Status == OrgMemberInvited && v.Status == OrgMemberActive && v.Role == old.Role {
		return nil
	}
	if a.IsOrgAdmin(old.OrgID) && (old.Status == OrgMemberActive || old.Status == OrgMemberRequested) && v.Status == OrgMemberActive {
		return nil
	}
	if a.IsOrgAdmin(old.OrgID) || a.UserID() == old.UserID {
		return Invalid("status", "err.org_membership.change")
	}
	return Forbidden("err.forbidden.org_members")
}

// KeepsAnAdmin: an organisation with an admin keeps one. The change of
// old to v (v nil for a removal) may not take away its last active admin;
// otherAdmins counts its other active admins. Without an admin nobody
// answers its invitations or decides who joins.
func KeepsAnAdmin(old, v *OrgMembership, otherAdmins int) error {
	wasAdmin := old.Status == OrgMemberActive && old.Role == OrgRoleAdmin
	staysAdmin := v != nil && v.Status == OrgMemberActive && v.Role == OrgRoleAdmin
	if wasAdmin && !staysAdmin && otherAdmins == 0 {
		return Conflict("role", "err.org_membership.last_admin")
	}
	return nil
}

// CanDeleteOrgMembership: the person leaves (or declines the invitation);
// the organisation's admins and brokers remove a member.
func CanDeleteOrgMembership(a *Actor, m *OrgMembership) error {
	if a.IsBroker() || a.UserID() == m.UserID || a.IsOrgAdmin(m.OrgID) {
		return nil
	}
	return Forbidden("err.forbidden.org_members")
}

// OrgDomain is an e-mail domain of an organisation (falun.se): a person who
// signs in through the organisation's identity provider (OpenID Connect)
// with a verified address there asks to join the organisation.
type OrgDomain struct {
	Meta
	OrgID  int64  `json:"org_id"`
	Domain string `json:"domain"`
}

// Validate checks the domain's own rules: a lower-case host name with a
// dot, without a scheme, path or address part.
func (d *OrgDomain) Validate() error {
	if d.OrgID <= 0 {
		return Invalid("org_id", "err.required")
	}
	d.Domain = strings.ToLower(trimText(d.Domain))
	if err := checkText("domain", d.Domain, NameMax); err != nil {
		return err
	}
	if !validDomain(d.Domain) {
		return Invalid("domain", "err.domain", F{"value": d.Domain})
	}
	return nil
}

// validDomain accepts a DNS name of at least two labels: letters, digits
// and hyphens (Swedish letters in their ASCII form, as DNS has them).
func validDomain(s string) bool {
	labels := strings.Split(s, ".")
	if len(labels) < 2 || len(s) > 253 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// CanChangeOrgDomain: an organisation's admins and brokers register and
// remove its e-mail domains: the admin's approval that people verified at
// the domain may ask to join.
func CanChangeOrgDomain(a *Actor, d *OrgDomain) error {
	if a.IsBroker() || a.IsOrgAdmin(d.OrgID) {
		return nil
	}
	return Forbidden("err.forbidden.org_domain")
}

// DomainOf returns the domain of an e-mail address, lower-cased.
func DomainOf(email string) string {
	_, domain, _ := strings.Cut(strings.ToLower(email), "@")
	return domain
}

// CanSignInVerified: a person whose e-mail address an identity provider
// verified (OpenID Connect) signs in only when the address's domain is an
// organisation's registered domain (d; nil when no organisation has it).
// Registering the domain is the admin's word that the provider speaks for
// addresses there; without it a provider that vouches for any address
// could take over an account by its e-mail.
func CanSignInVerified(email string, d *OrgDomain) error {
	if d == nil || d.Domain != DomainOf(email) {
		return Forbidden("err.sign_in_domain", F{"domain": DomainOf(email)})
	}
	return nil
}

// JoinRequest is what a person asks for by signing in through the
// identity provider with an address at an organisation's domain when not
// yet in the organisation: to be an ordinary member, once one of its
// admins approves (CanChangeOrgMembership). mine holds the person's
// memberships; nil means there is nothing to ask (already invited,
// asked or a member).
func JoinRequest(userID int64, d *OrgDomain, mine []*OrgMembership) *OrgMembership {
	for _, m := range mine {
		if m.UserID == userID && m.OrgID == d.OrgID {
			return nil
		}
	}
	return &OrgMembership{UserID: userID, OrgID: d.OrgID, Role: OrgRoleMember, Status: OrgMemberRequested}
}

// Password lengths: at least PasswordMin characters, at most PasswordMax
// bytes (hashing is the most expensive work a request does).
const (
	PasswordMin = 10
	PasswordMax = 1024
)

// CheckNewPassword is the rule for a password a person chooses, given in
// field.
func CheckNewPassword(field, pw string) error {
	if len(pw) > PasswordMax {
		return Invalid(field, "err.too_long", F{"max": PasswordMax})
	}
	if utf8.RuneCountInString(pw) < PasswordMin {
		return Invalid(field, "err.password_short", F{"min": PasswordMin})
	}
	return nil
}
