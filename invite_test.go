package arena

import (
	"strings"
	"testing"
	"time"
)

// TestEmailInviteRules: who sends an invitation by e-mail and when, when
// its link works, what following it asks, and who is told of the request.
func TestEmailInviteRules(t *testing.T) {
	open := &Network{Meta: Meta{ID: 1}}
	closed := &Network{Meta: Meta{ID: 1}, Status: NetworkClosed}
	invited := &NetworkMember{NetworkID: 1, OrgID: 9, Status: MemberInvited}
	active := &NetworkMember{NetworkID: 1, OrgID: 9, Status: MemberActive}
	runs, works := Standing{Owner: true}, Standing{Active: true}
	for _, c := range []struct {
		name     string
		s        Standing
		n        *Network
		m        *NetworkMember
		hasAdmin bool
		earlier  int
		want     string
	}{
		{"the owner, an organisation without an admin", runs, open, invited, false, 0, ""},
		{"a broker, a fifth address", Standing{Broker: true}, open, invited, false, MaxEmailInvites - 1, ""},
		{"a sixth address", runs, open, invited, false, MaxEmailInvites, ECONFLICT},
		{"a member who does not run it", works, open, invited, false, 0, EFORBIDDEN},
		{"an organisation with an admin", runs, open, invited, true, 0, ECONFLICT},
		{"an answered invitation", runs, open, active, false, 0, ECONFLICT},
		{"a closed network", runs, closed, invited, false, 0, ECONFLICT},
	} {
		if got := ErrorCode(CanInviteByEmail(c.s, c.n, c.m, c.hasAdmin, c.earlier)); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	if CanSeeEmailInvites(works) || !CanSeeEmailInvites(runs) {
		t.Error("the addresses are seen by those who run the network alone")
	}

	inv := &EmailInvite{MemberID: 3, Email: " Vera@VASYD.se "}
	if err := inv.Validate(); err != nil || inv.Email != "vera@vasyd.se" || inv.Lang != "sv" {
		t.Errorf("validate: %v %+v", err, inv)
	}
	for _, bad := range []*EmailInvite{{MemberID: 3, Email: "inte en adress"}, {MemberID: 3, Email: "a@b.se", Lang: "de"}, {Email: "a@b.se"},
		{MemberID: 3, Email: strings.Repeat("a", EmailMax) + "@b.se"}} {
		if ErrorCode(bad.Validate()) != EINVALID {
			t.Errorf("accepted %+v", bad)
		}
	}

	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	used := now.Add(-time.Hour)
	for _, c := range []struct {
		name string
		i    *EmailInvite
		m    *NetworkMember
		want string
	}{
		{"usable", &EmailInvite{ExpiresAt: now.Add(time.Hour)}, invited, ""},
		{"expired", &EmailInvite{ExpiresAt: now}, invited, EINVALID},
		{"used", &EmailInvite{ExpiresAt: now.Add(time.Hour), UsedAt: &used}, invited, ECONFLICT},
		{"answered", &EmailInvite{ExpiresAt: now.Add(time.Hour)}, active, ECONFLICT},
		{"withdrawn", &EmailInvite{ExpiresAt: now.Add(time.Hour)}, nil, ECONFLICT},
	} {
		if got := ErrorCode(CheckInviteUsable(c.i, c.m, now)); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}

	if r, err := SignupRequest(5, 9, false, nil); err != nil || r.Role != OrgRoleAdmin || r.Status != OrgMemberRequested {
		t.Errorf("no admin yet: the person asks to be it: %+v %v", r, err)
	}
	if r, _ := SignupRequest(5, 9, true, nil); r.Role != OrgRoleMember {
		t.Errorf("with an admin: a member: %+v", r)
	}
	if _, err := SignupRequest(5, 9, false, []*OrgMembership{{UserID: 5, OrgID: 9, Status: OrgMemberRequested}}); ErrorCode(err) != ECONFLICT {
		t.Errorf("asked already: %v", err)
	}
	req := &OrgMembership{UserID: 5, OrgID: 9, Status: OrgMemberRequested}
	if k, ok := OrgMembershipEvent(nil, req); !ok || k != EventJoinRequested {
		t.Error("a request is an event")
	}
	if _, ok := OrgMembershipEvent(nil, &OrgMembership{UserID: 5, OrgID: 9, Status: OrgMemberActive}); ok {
		t.Error("a membership made by a broker is no request")
	}
	brokerA := &Actor{User: &User{Meta: Meta{ID: 1}, PlatformRoles: []PlatformRole{RoleBroker}}}
	adminA := &Actor{User: &User{Meta: Meta{ID: 2}}, Orgs: []OrgMembership{{UserID: 2, OrgID: 9, Role: OrgRoleAdmin, Status: OrgMemberActive}}}
	self := &Actor{User: &User{Meta: Meta{ID: 5}, PlatformRoles: []PlatformRole{RoleBroker}}}
	for _, c := range []struct {
		name     string
		a        *Actor
		hasAdmin bool
		want     bool
	}{
		{"the broker, no admin", brokerA, false, true},
		{"the broker, an admin decides", brokerA, true, false},
		{"the admin", adminA, true, true},
		{"the person asking", self, false, false},
		{"the platform", SystemActor(), false, false},
	} {
		if got := NotifyOfJoinRequest(c.a, req, c.hasAdmin); got != c.want {
			t.Errorf("%s: %v", c.name, got)
		}
	}

	for pw, want := range map[string]string{"kort": EINVALID, "tio tecken": "", "åäöåäöåäöå": "", strings.Repeat("x", PasswordMax+1): EINVALID} {
		if got := ErrorCode(CheckNewPassword("password", pw)); got != want {
			t.Errorf("password of %d bytes: %q, want %q", len(pw), got, want)
		}
	}
}

// TestKeepsAnAdmin: the last active admin is neither made a member nor
// removed; with another admin, or for a member, both are fine.
func TestKeepsAnAdmin(t *testing.T) {
	admin := &OrgMembership{OrgID: 9, Role: OrgRoleAdmin, Status: OrgMemberActive}
	member := &OrgMembership{OrgID: 9, Role: OrgRoleMember, Status: OrgMemberActive}
	demoted := &OrgMembership{OrgID: 9, Role: OrgRoleMember, Status: OrgMemberActive}
	for _, c := range []struct {
		name   string
		old, v *OrgMembership
		others int
		want   string
	}{
		{"the last admin made a member", admin, demoted, 0, ECONFLICT},
		{"the last admin removed", admin, nil, 0, ECONFLICT},
		{"an admin made a member, another left", admin, demoted, 1, ""},
		{"an admin stays one", admin, admin, 0, ""},
		{"a member removed", member, nil, 0, ""},
		{"a member made an admin", member, admin, 0, ""},
	} {
		if got := ErrorCode(KeepsAnAdmin(c.old, c.v, c.others)); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// An organisation's admins and brokers invite colleagues by e-mail; an
// invitation is to a network or to an organisation, never both; following
// it makes the person an active member with the chosen role, once.
func TestColleagueInvite(t *testing.T) {
	wantErr(t, "admin invites", CanInviteColleague(falunAdmin, 1, 0, false), "", "")
	wantErr(t, "broker invites", CanInviteColleague(broker, 1, 0, false), "", "")
	wantErr(t, "plain member invites", CanInviteColleague(falunMember, 1, 0, false), EFORBIDDEN, "")
	wantErr(t, "another organisation's admin invites", CanInviteColleague(molndalAdmin, 1, 0, false), EFORBIDDEN, "")
	wantErr(t, "one of its people", CanInviteColleague(falunAdmin, 1, 0, true), ECONFLICT, "email")
	wantErr(t, "too many waiting", CanInviteColleague(falunAdmin, 1, MaxColleagueInvites, false), ECONFLICT, "email")
	if !CanSeeColleagueInvites(falunAdmin, 1) || CanSeeColleagueInvites(falunMember, 1) || !CanSeeColleagueInvites(broker, 1) {
		t.Error("CanSeeColleagueInvites: the organisation's admins and brokers")
	}
	for _, c := range []struct {
		name  string
		inv   EmailInvite
		code  string
		field string
	}{
		{"to an organisation", EmailInvite{OrgID: 1, Email: "ny@falun.se"}, "", ""},
		{"to a network", EmailInvite{MemberID: 5, Email: "ny@vasyd.se"}, "", ""},
		{"to both", EmailInvite{MemberID: 5, OrgID: 1, Email: "ny@falun.se"}, EINVALID, "member_id"},
		{"to neither", EmailInvite{Email: "ny@falun.se"}, EINVALID, "member_id"},
		{"an unknown role", EmailInvite{OrgID: 1, Role: "chef", Email: "ny@falun.se"}, EINVALID, "role"},
	} {
		inv := c.inv
		wantErr(t, c.name, inv.Validate(), c.code, c.field)
		if c.code == "" && inv.OrgID != 0 && inv.Role != OrgRoleMember {
			t.Errorf("%s: role %q, want member by default", c.name, inv.Role)
		}
	}
	now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	inv := &EmailInvite{OrgID: 1, Role: OrgRoleAdmin, ExpiresAt: now.Add(time.Hour)}
	wantErr(t, "usable without a membership", CheckInviteUsable(inv, nil, now), "", "")
	wantErr(t, "expired", CheckInviteUsable(inv, nil, now.Add(2*time.Hour)), EINVALID, "token")
	m, err := ColleagueJoins(9, inv, nil)
	if err != nil || m.OrgID != 1 || m.UserID != 9 || m.Role != OrgRoleAdmin || m.Status != OrgMemberActive {
		t.Errorf("ColleagueJoins: %v %+v", err, m)
	}
	_, err = ColleagueJoins(9, inv, []*OrgMembership{{UserID: 9, OrgID: 1, Status: OrgMemberRequested}})
	wantErr(t, "already asked", err, ECONFLICT, "org_id")
}
