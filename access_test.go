package arena

import (
	"testing"
)

// The access rules, case by case. Each rule's table names who acts and on
// what, and the outcome: allowed, or the error code (and field) it gives.
// The store and the pages call these functions; the permission matrix of
// the API and the pages (internal/httpapi, internal/web) checks the same
// outcomes end to end.

// People of the fixture: the organisations 1 (Falun), 2 (Mölndal) and 3
// (Örebro); 9 is the brokers' own organisation.
var (
	anonymous    *Actor
	system       = SystemActor()
	falunAdmin   = &Actor{User: &User{Meta: Meta{ID: 11}}, Orgs: []OrgMembership{{UserID: 11, OrgID: 1, Role: OrgRoleAdmin, Status: OrgMemberActive}}}
	falunMember  = &Actor{User: &User{Meta: Meta{ID: 12}}, Orgs: []OrgMembership{{UserID: 12, OrgID: 1, Role: OrgRoleMember, Status: OrgMemberActive}}}
	molndalAdmin = &Actor{User: &User{Meta: Meta{ID: 21}}, Orgs: []OrgMembership{{UserID: 21, OrgID: 2, Role: OrgRoleAdmin, Status: OrgMemberActive}}}
	orebroAdmin  = &Actor{User: &User{Meta: Meta{ID: 31}}, Orgs: []OrgMembership{{UserID: 31, OrgID: 3, Role: OrgRoleAdmin, Status: OrgMemberActive}}}
	broker       = &Actor{User: &User{Meta: Meta{ID: 91}, PlatformRoles: []PlatformRole{RoleBroker}}, Orgs: []OrgMembership{{UserID: 91, OrgID: 9, Role: OrgRoleMember, Status: OrgMemberActive}}}
	funder       = &Actor{User: &User{Meta: Meta{ID: 92}, PlatformRoles: []PlatformRole{RoleFunderOfficer}}, Orgs: []OrgMembership{{UserID: 92, OrgID: 8, Role: OrgRoleMember, Status: OrgMemberActive}}}
	noOrg        = &Actor{User: &User{Meta: Meta{ID: 99}}}
)

// wantErr checks err against a code ("" for allowed) and, for EINVALID, a
// field.
func wantErr(t *testing.T, name string, err error, code, field string) {
	t.Helper()
	if ErrorCode(err) != code {
		t.Errorf("%s: %v; want code %q", name, err, code)
		return
	}
	if code == EINVALID && field != "" && ErrorField(err) != field {
		t.Errorf("%s: %v; want field %q", name, err, field)
	}
	if err != nil && ErrorMsg(err).Key == "" {
		t.Errorf("%s: %v has no message key", name, err)
	}
}

func TestCanSeeNeed(t *testing.T) {
	partnerOf2 := func(org int64) bool { return org == 2 }
	for _, c := range []struct {
		name     string
		a        *Actor
		vis      Visibility
		partners Partners
		want     bool
	}{
		{"public to anonymous", anonymous, VisibilityPublic, nil, true},
		{"public to another organisation", molndalAdmin, VisibilityPublic, nil, true},
		{"draft to its own organisation", falunMember, VisibilityDraft, nil, true},
		{"draft to anonymous", anonymous, VisibilityDraft, nil, false},
		{"draft to another organisation", molndalAdmin, VisibilityDraft, nil, false},
		{"draft to a partner", molndalAdmin, VisibilityDraft, func(int64) bool { return true }, false},
		{"draft to a broker", broker, VisibilityDraft, nil, false},
		{"draft to the platform", system, VisibilityDraft, nil, false},
		{"organisation-only to its own organisation", falunAdmin, VisibilityOrganisation, nil, true},
		{"organisation-only to a partner", molndalAdmin, VisibilityOrganisation, func(int64) bool { return true }, false},
		{"network need to a partner", orebroAdmin, VisibilityNetwork, func(org int64) bool { return org == 1 }, true},
		{"network need to a non-partner", orebroAdmin, VisibilityNetwork, partnerOf2, false},
		{"network need to anonymous", anonymous, VisibilityNetwork, nil, false},
		{"network need to a broker", broker, VisibilityNetwork, nil, false},
		{"network need to its own organisation", falunMember, VisibilityNetwork, nil, true},
	} {
		n := &Need{OrgID: 1, Visibility: c.vis}
		if got := CanSeeNeed(c.a, n, c.partners); got != c.want {
			t.Errorf("%s: CanSeeNeed = %v; want %v", c.name, got, c.want)
		}
	}
}

func TestCanChangeNeed(t *testing.T) {
	own := &Need{OrgID: 1}
	other := &Need{OrgID: 2}
	wantErr(t, "own organisation creates", CanChangeNeed(falunMember, nil, own), "", "")
	wantErr(t, "own organisation changes", CanChangeNeed(falunAdmin, own, own), "", "")
	wantErr(t, "another organisation creates", CanChangeNeed(falunAdmin, nil, other), EFORBIDDEN, "")
	wantErr(t, "another organisation changes", CanChangeNeed(molndalAdmin, own, own), EFORBIDDEN, "")
	wantErr(t, "a broker changes", CanChangeNeed(broker, own, own), EFORBIDDEN, "")
	wantErr(t, "moving to another organisation", CanChangeNeed(&Actor{User: &User{}, Orgs: []OrgMembership{{OrgID: 1}, {OrgID: 2}}}, own, other), EINVALID, "org_id")
	v := &Need{OrgID: 1, CreatedBy: 21}
	StampNeed(falunMember, nil, v)
	if v.CreatedBy != 12 {
		t.Errorf("created_by on create = %d; want the actor 12", v.CreatedBy)
	}
	StampNeed(falunAdmin, &Need{CreatedBy: 12}, v)
	if v.CreatedBy != 12 {
		t.Errorf("created_by on update = %d; want the first author 12", v.CreatedBy)
	}
}

// tacticalNetwork is network 5, owned by Falun, with Mölndal invited and
// Örebro declined.
func tacticalNetwork() (*Network, []NetworkMember) {
	n := &Network{Meta: Meta{ID: 5}, Name: "Trygghetslarm", Kind: NetworkTactical, Status: NetworkActive, OwnerOrgID: new(int64(1))}
	return n, []NetworkMember{
		{Meta: Meta{ID: 51}, NetworkID: 5, OrgID: 1, Status: MemberActive, Role: MemberBuyer, Tier: TierCore},
		{Meta: Meta{ID: 52}, NetworkID: 5, OrgID: 2, Status: MemberInvited, Role: MemberBuyer, Tier: TierCore},
		{Meta: Meta{ID: 53}, NetworkID: 5, OrgID: 3, Status: MemberDeclined, Role: MemberBuyer, Tier: TierCore},
	}
}

func TestStanding(t *testing.T) {
	n, ms := tacticalNetwork()
	for _, c := range []struct {
		name                          string
		a                             *Actor
		manages, works, insider, want bool
	}{
		{"anonymous", anonymous, false, false, false, false},
		{"the platform", system, false, false, false, false},
		{"owner's admin", falunAdmin, true, true, true, true},
		{"owner's member", falunMember, true, true, true, true},
		{"invited", molndalAdmin, false, false, true, true},
		{"declined", orebroAdmin, false, false, false, false},
		{"broker", broker, true, true, true, true},
		{"funder officer", funder, false, false, false, false},
		{"no organisation", noOrg, false, false, false, false},
	} {
		s := StandingIn(c.a, n, ms)
		if s.Manages() != c.manages || s.Works() != c.works || s.Insider() != c.insider || CanSeeNetworkInside(s) != c.want {
			t.Errorf("%s: standing %+v: manages %v works %v insider %v; want %v %v %v", c.name, s, s.Manages(), s.Works(), s.Insider(), c.manages, c.works, c.insider)
		}
	}
	// A coordinator that is no member runs the network too; an active
	// member works in it without running it.
	n.CoordinatorOrgID = new(int64(3))
	if s := StandingIn(orebroAdmin, n, ms); !s.Coordinator || !s.Manages() {
		t.Errorf("coordinator: %+v", s)
	}
	ms[1].Status = MemberActive
	if s := StandingIn(molndalAdmin, n, ms); !s.Active || s.Manages() || !s.Works() {
		t.Errorf("active member: %+v", s)
	}
	// Memberships of other networks do not count.
	if s := StandingIn(molndalAdmin, n, []NetworkMember{{NetworkID: 6, OrgID: 2, Status: MemberActive}}); s.Active {
		t.Errorf("membership of another network counted: %+v", s)
	}
}

func TestCanCreateNetwork(t *testing.T) {
	strategicOwner := Standing{Owner: true}
	stranger := Standing{}
	for _, c := range []struct {
		name   string
		a      *Actor
		n      Network
		parent *Standing
		code   string
		field  string
	}{
		{"signed in, no owner", falunMember, Network{Name: "N", Kind: NetworkTactical}, nil, "", ""},
		{"own organisation as owner", falunMember, Network{OwnerOrgID: new(int64(1))}, nil, "", ""},
		{"another organisation as owner", falunAdmin, Network{OwnerOrgID: new(int64(2))}, nil, EINVALID, "owner_org_id"},
		{"another organisation as coordinator", falunAdmin, Network{CoordinatorOrgID: new(int64(2))}, nil, EINVALID, "coordinator_org_id"},
		{"broker names any owner", broker, Network{OwnerOrgID: new(int64(2)), CoordinatorOrgID: new(int64(3))}, nil, "", ""},
		{"anonymous", anonymous, Network{}, nil, EUNAUTHORIZED, ""},
		{"born closed", falunAdmin, Network{Status: NetworkClosed}, nil, EINVALID, "status"},
		{"sub-group by the parent's owner", falunAdmin, Network{ParentID: new(int64(7))}, &strategicOwner, "", ""},
		{"sub-group by a stranger", molndalAdmin, Network{ParentID: new(int64(7))}, &stranger, EFORBIDDEN, ""},
		{"sub-group by an active member of the parent", molndalAdmin, Network{ParentID: new(int64(7))}, &Standing{Active: true}, EFORBIDDEN, ""},
	} {
		wantErr(t, c.name, CanCreateNetwork(c.a, &c.n, c.parent), c.code, c.field)
	}
}

func TestCanChangeNetwork(t *testing.T) {
	n, ms := tacticalNetwork()
	ms[1].Status = MemberActive // Mölndal active
	with := func(f func(*Network)) *Network { v := *n; f(&v); return &v }
	for _, c := range []struct {
		name  string
		a     *Actor
		v     *Network
		code  string
		field string
	}{
		{"owner renames", falunAdmin, with(func(v *Network) { v.Name = "Nytt" }), "", ""},
		{"active member renames", molndalAdmin, with(func(v *Network) { v.Name = "Nytt" }), EFORBIDDEN, ""},
		{"stranger renames", orebroAdmin, with(func(v *Network) { v.Name = "Nytt" }), EFORBIDDEN, ""},
		{"owner names an active member coordinator", falunAdmin, with(func(v *Network) { v.CoordinatorOrgID = new(int64(2)) }), "", ""},
		{"owner names a non-member coordinator", falunAdmin, with(func(v *Network) { v.CoordinatorOrgID = new(int64(3)) }), EINVALID, "coordinator_org_id"},
		{"owner closes by update", falunAdmin, with(func(v *Network) { v.Status = NetworkClosed }), EINVALID, "status"},
		{"owner moves it under a parent", falunAdmin, with(func(v *Network) { v.ParentID = new(int64(7)) }), EFORBIDDEN, ""},
		{"broker moves it under a parent", broker, with(func(v *Network) { v.ParentID = new(int64(7)) }), "", ""},
	} {
		wantErr(t, c.name, CanChangeNetwork(c.a, StandingIn(c.a, n, ms), n, c.v, ms), c.code, c.field)
	}
	closed := with(func(v *Network) { v.Status = NetworkClosed })
	wantErr(t, "closed network", CanChangeNetwork(falunAdmin, StandingIn(falunAdmin, closed, ms), closed, closed, ms), ECONFLICT, "")
	wantErr(t, "delete by owner", CanDeleteNetwork(StandingIn(falunAdmin, n, ms), n), "", "")
	wantErr(t, "delete by active member", CanDeleteNetwork(StandingIn(molndalAdmin, n, ms), n), EFORBIDDEN, "")
}

func TestCanWorkInNetwork(t *testing.T) {
	n, ms := tacticalNetwork()
	wantErr(t, "owner", CanWorkInNetwork(StandingIn(falunMember, n, ms), n), "", "")
	wantErr(t, "invited", CanWorkInNetwork(StandingIn(molndalAdmin, n, ms), n), EFORBIDDEN, "")
	wantErr(t, "declined", CanWorkInNetwork(StandingIn(orebroAdmin, n, ms), n), EFORBIDDEN, "")
	wantErr(t, "anonymous", CanWorkInNetwork(StandingIn(anonymous, n, ms), n), EFORBIDDEN, "")
	ms[1].Status = MemberActive
	wantErr(t, "active member", CanWorkInNetwork(StandingIn(molndalAdmin, n, ms), n), "", "")
	n.Status = NetworkClosed
	wantErr(t, "closed", CanWorkInNetwork(StandingIn(falunMember, n, ms), n), ECONFLICT, "")
}

func TestCanCloseNetwork(t *testing.T) {
	n, ms := tacticalNetwork()
	ms[1].Status = MemberActive // Falun and Mölndal active
	decided, err := CanCloseNetwork(StandingIn(falunAdmin, n, ms), n, ms)
	wantErr(t, "owner closes", err, "", "")
	if decided {
		t.Errorf("without consents the members have not decided")
	}
	_, err = CanCloseNetwork(StandingIn(molndalAdmin, n, ms), n, ms)
	wantErr(t, "one member closes alone", err, EFORBIDDEN, "")
	ms[1].CloseConsent = true
	_, err = CanCloseNetwork(StandingIn(molndalAdmin, n, ms), n, ms)
	wantErr(t, "one member consented, the other not", err, EFORBIDDEN, "")
	ms[0].CloseConsent = true
	decided, err = CanCloseNetwork(StandingIn(molndalAdmin, n, ms), n, ms)
	wantErr(t, "every active member consented", err, "", "")
	if !decided {
		t.Errorf("with every consent the members have decided")
	}
	_, err = CanCloseNetwork(StandingIn(orebroAdmin, n, ms), n, ms)
	wantErr(t, "a declined organisation closes", err, EFORBIDDEN, "")
	if AllConsentToClose(nil) {
		t.Errorf("a network without active members has no consent")
	}
	n.Status = NetworkClosed
	_, err = CanCloseNetwork(StandingIn(falunAdmin, n, ms), n, ms)
	wantErr(t, "closed already", err, ECONFLICT, "")
}

func TestCanFormNetwork(t *testing.T) {
	falun := &Need{OrgID: 1}
	molndal := &Need{OrgID: 2}
	orebro := &Need{OrgID: 3}
	wantErr(t, "own and another's", CanFormNetwork(falunMember, []*Need{falun, molndal}), "", "")
	wantErr(t, "only others' needs", CanFormNetwork(falunMember, []*Need{molndal, orebro}), EINVALID, "from_needs")
	wantErr(t, "one organisation only", CanFormNetwork(falunMember, []*Need{falun}), EINVALID, "from_needs")
	wantErr(t, "two needs of one organisation", CanFormNetwork(falunMember, []*Need{falun, {OrgID: 1}, molndal}), EINVALID, "from_needs")
	wantErr(t, "no needs", CanFormNetwork(falunMember, nil), EINVALID, "from_needs")
	wantErr(t, "broker from others' needs", CanFormNetwork(broker, []*Need{molndal, orebro}), "", "")
	wantErr(t, "broker from one need", CanFormNetwork(broker, []*Need{molndal}), "", "")
	wantErr(t, "anonymous", CanFormNetwork(anonymous, []*Need{falun, molndal}), EUNAUTHORIZED, "")
	if !CanProposeFrom(falunMember, falun) || CanProposeFrom(molndalAdmin, falun) || !CanProposeFrom(broker, falun) {
		t.Errorf("CanProposeFrom: only the need's organisation and brokers propose from its page")
	}
}

func TestCanCreateMember(t *testing.T) {
	n, ms := tacticalNetwork()
	for _, c := range []struct {
		name  string
		a     *Actor
		m     NetworkMember
		code  string
		field string
	}{
		{"owner invites", falunAdmin, NetworkMember{OrgID: 4, Status: MemberInvited}, "", ""},
		{"owner adds another organisation as active", falunAdmin, NetworkMember{OrgID: 4, Status: MemberActive}, EINVALID, "status"},
		{"owner's plain member adds its own organisation as active", falunMember, NetworkMember{OrgID: 1, Status: MemberActive}, EINVALID, "status"},
		{"owner's admin joins its own organisation", falunAdmin, NetworkMember{OrgID: 1, Status: MemberActive}, "", ""},
		{"owner adds a declined membership", falunAdmin, NetworkMember{OrgID: 4, Status: MemberDeclined}, EINVALID, "status"},
		{"owner records another's consent", falunAdmin, NetworkMember{OrgID: 4, Status: MemberInvited, CloseConsent: true}, EINVALID, "close_consent"},
		{"owner sets another's mandate", falunAdmin, NetworkMember{OrgID: 4, Status: MemberInvited, Mandate: true}, EINVALID, "mandate"},
		{"owner names another's sponsor", falunAdmin, NetworkMember{OrgID: 4, Status: MemberInvited, ManagementSponsor: "KSO"}, EINVALID, "management_sponsor"},
		{"owner names another's contact", falunAdmin, NetworkMember{OrgID: 4, Status: MemberInvited, ContactEmail: "x@y.se"}, EINVALID, "contact_email"},
		{"owner brings another's need", falunAdmin, NetworkMember{OrgID: 4, Status: MemberInvited, NeedID: new(int64(7))}, EINVALID, "need_id"},
		{"owner's admin joins with its own mandate and need", falunAdmin, NetworkMember{OrgID: 1, Status: MemberActive, Mandate: true, NeedID: new(int64(7))}, "", ""},
		{"broker invites", broker, NetworkMember{OrgID: 4, Status: MemberInvited}, "", ""},
		{"broker adds as active", broker, NetworkMember{OrgID: 4, Status: MemberActive}, EINVALID, "status"},
		{"invited member invites", molndalAdmin, NetworkMember{OrgID: 4, Status: MemberInvited}, EFORBIDDEN, ""},
		{"stranger invites itself", orebroAdmin, NetworkMember{OrgID: 3, Status: MemberInvited}, EFORBIDDEN, ""},
		{"anonymous", anonymous, NetworkMember{OrgID: 4, Status: MemberInvited}, EFORBIDDEN, ""},
	} {
		c.m.NetworkID = n.ID
		wantErr(t, c.name, CanCreateMember(c.a, StandingIn(c.a, n, ms), n, &c.m), c.code, c.field)
	}
	n.Status = NetworkClosed
	wantErr(t, "closed network", CanCreateMember(falunAdmin, StandingIn(falunAdmin, n, ms), n, &NetworkMember{OrgID: 4, Status: MemberInvited}), ECONFLICT, "")
}

func TestAnswer(t *testing.T) {
	n, ms := tacticalNetwork()
	for _, c := range []struct {
		name   string
		a      *Actor
		member int
		action string
		code   string
		status MemberStatus
	}{
		{"invited admin accepts", molndalAdmin, 1, ActionAccept, "", MemberActive},
		{"invited admin declines", molndalAdmin, 1, ActionDecline, "", MemberDeclined},
		{"owner accepts for the invited", falunAdmin, 1, ActionAccept, EFORBIDDEN, MemberInvited},
		{"broker accepts for the invited", broker, 1, ActionAccept, EFORBIDDEN, MemberInvited},
		{"invited leaves", molndalAdmin, 1, ActionLeave, ECONFLICT, MemberInvited},
		{"active admin leaves", falunAdmin, 0, ActionLeave, "", MemberLeft},
		{"active plain member leaves", falunMember, 0, ActionLeave, EFORBIDDEN, MemberActive},
		{"declined accepts later", orebroAdmin, 2, ActionAccept, ECONFLICT, MemberDeclined},
		{"unknown action", molndalAdmin, 1, "join", EINVALID, MemberInvited},
		{"anonymous", anonymous, 1, ActionAccept, EFORBIDDEN, MemberInvited},
	} {
		m := ms[c.member]
		err := m.Answer(c.a, n, c.action)
		wantErr(t, c.name, err, c.code, "")
		if m.Status != c.status {
			t.Errorf("%s: status %s; want %s", c.name, m.Status, c.status)
		}
	}
	closed := *n
	closed.Status = NetworkClosed
	m := ms[1]
	wantErr(t, "answer in a closed network", m.Answer(molndalAdmin, &closed, ActionAccept), ECONFLICT, "")
}

func TestCanChangeMember(t *testing.T) {
	n, ms := tacticalNetwork()
	ms[1].Status = MemberActive // Mölndal active
	molndal := ms[1]
	need := func(id, org int64, vis Visibility) *Need {
		return &Need{Meta: Meta{ID: id}, OrgID: org, Visibility: vis}
	}
	for _, c := range []struct {
		name  string
		a     *Actor
		mod   func(*NetworkMember)
		need  *Need
		code  string
		field string
	}{
		{"own admin sets the mandate", molndalAdmin, func(m *NetworkMember) { m.Mandate = true }, nil, "", ""},
		{"own admin records consent", molndalAdmin, func(m *NetworkMember) { m.CloseConsent = true }, nil, "", ""},
		{"own admin sets the contact", molndalAdmin, func(m *NetworkMember) { m.ContactName, m.ContactEmail = "Erik", "erik@molndal.se" }, nil, "", ""},
		{"owner sets another member's mandate", falunAdmin, func(m *NetworkMember) { m.Mandate = true }, nil, EFORBIDDEN, ""},
		{"owner sets another member's consent", falunAdmin, func(m *NetworkMember) { m.CloseConsent = true }, nil, EFORBIDDEN, ""},
		{"broker sets a member's mandate", broker, func(m *NetworkMember) { m.Mandate = true }, nil, EFORBIDDEN, ""},
		{"owner sets the role", falunAdmin, func(m *NetworkMember) { m.Role = MemberResearcher }, nil, "", ""},
		{"owner sets the tier", falunMember, func(m *NetworkMember) { m.Tier = TierObserver }, nil, "", ""},
		{"member sets its own tier", molndalAdmin, func(m *NetworkMember) { m.Tier = TierObserver }, nil, EFORBIDDEN, ""},
		{"member moves to another network", molndalAdmin, func(m *NetworkMember) { m.NetworkID = 6 }, nil, EINVALID, "org_id"},
		{"member changes its status", molndalAdmin, func(m *NetworkMember) { m.Status = MemberLeft }, nil, EINVALID, "status"},
		{"stranger changes the status", orebroAdmin, func(m *NetworkMember) { m.Status = MemberLeft }, nil, EFORBIDDEN, ""},
		{"own admin brings its own need", molndalAdmin, func(m *NetworkMember) { m.NeedID = new(int64(7)) }, need(7, 2, VisibilityPublic), "", ""},
		{"own admin brings another's draft", molndalAdmin, func(m *NetworkMember) { m.NeedID = new(int64(7)) }, need(7, 1, VisibilityDraft), EINVALID, "need_id"},
		{"own admin brings another's public need", molndalAdmin, func(m *NetworkMember) { m.NeedID = new(int64(7)) }, need(7, 1, VisibilityPublic), EINVALID, "need_id"},
		{"own admin brings a need that does not exist", molndalAdmin, func(m *NetworkMember) { m.NeedID = new(int64(99999)) }, nil, EINVALID, "need_id"},
		{"own admin brings its own draft", molndalAdmin, func(m *NetworkMember) { m.NeedID = new(int64(7)) }, need(7, 2, VisibilityDraft), EINVALID, "need_id"},
		{"own plain member sets the mandate", &Actor{User: &User{Meta: Meta{ID: 22}}, Orgs: []OrgMembership{{OrgID: 2, Role: OrgRoleMember}}}, func(m *NetworkMember) { m.Mandate = true }, nil, EFORBIDDEN, ""},
	} {
		v := molndal
		c.mod(&v)
		wantErr(t, c.name, CanChangeMember(c.a, StandingIn(c.a, n, ms), n, &molndal, &v, c.need), c.code, c.field)
	}
	// The same error, whatever the hidden need is.
	m := NetworkMember{OrgID: 2, NeedID: new(int64(7))}
	a, b := CanAttachNeed(&m, nil), CanAttachNeed(&m, need(7, 1, VisibilityDraft))
	if ErrorMsg(a).Key != ErrorMsg(b).Key || ErrorField(a) != ErrorField(b) {
		t.Errorf("a missing need and another's draft answer differently: %v / %v", a, b)
	}
	wantErr(t, "delete an invitation", CanDeleteMember(falunAdmin, StandingIn(falunAdmin, n, ms), n, &ms[2]), "", "")
	wantErr(t, "delete an active member", CanDeleteMember(falunAdmin, StandingIn(falunAdmin, n, ms), n, &ms[1]), ECONFLICT, "")
	wantErr(t, "member deletes another", CanDeleteMember(molndalAdmin, StandingIn(molndalAdmin, n, ms), n, &ms[2]), EFORBIDDEN, "")
}

// An organisation's admin asks to join an open network; those who run it
// approve or reject; the asker may withdraw the request; nobody else
// decides.
func TestJoinRequest(t *testing.T) {
	n, ms := tacticalNetwork()
	ask := NetworkMember{NetworkID: n.ID, OrgID: 3, Status: MemberRequested}
	wantErr(t, "ask to join a network that is not open", CanCreateMember(orebroAdmin, StandingIn(orebroAdmin, n, ms), n, &ask), ECONFLICT, "open")
	n.Open = true
	wantErr(t, "admin asks to join an open network", CanCreateMember(orebroAdmin, StandingIn(orebroAdmin, n, ms), n, &ask), "", "")
	wantErr(t, "admin asks with its own mandate", CanCreateMember(orebroAdmin, StandingIn(orebroAdmin, n, ms), n, &NetworkMember{NetworkID: n.ID, OrgID: 3, Status: MemberRequested, Mandate: true}), "", "")
	wantErr(t, "asks for another organisation", CanCreateMember(orebroAdmin, StandingIn(orebroAdmin, n, ms), n, &NetworkMember{NetworkID: n.ID, OrgID: 4, Status: MemberRequested}), EFORBIDDEN, "")
	plain := &Actor{User: &User{Meta: Meta{ID: 33}}, Orgs: []OrgMembership{{OrgID: 3, Role: OrgRoleMember}}}
	wantErr(t, "a plain member asks", CanCreateMember(plain, StandingIn(plain, n, ms), n, &ask), EFORBIDDEN, "")
	wantErr(t, "anonymous asks", CanAskToJoin(anonymous, n, 3), EUNAUTHORIZED, "")

	asked := append(ms, ask)
	for _, c := range []struct {
		name   string
		a      *Actor
		action string
		code   string
		status MemberStatus
	}{
		{"owner approves", falunAdmin, ActionApprove, "", MemberActive},
		{"owner's plain member rejects", falunMember, ActionReject, "", MemberDeclined},
		{"broker approves", broker, ActionApprove, "", MemberActive},
		{"asker approves itself", orebroAdmin, ActionApprove, EFORBIDDEN, MemberRequested},
		{"invited member approves", molndalAdmin, ActionApprove, EFORBIDDEN, MemberRequested},
		{"owner accepts instead", falunAdmin, ActionAccept, EINVALID, MemberRequested},
	} {
		m := ask
		wantErr(t, c.name, m.Decide(StandingIn(c.a, n, asked), n, c.action), c.code, "")
		if m.Status != c.status {
			t.Errorf("%s: status %s; want %s", c.name, m.Status, c.status)
		}
	}
	inv := ms[1]
	wantErr(t, "approve an invitation", inv.Decide(StandingIn(falunAdmin, n, ms), n, ActionApprove), ECONFLICT, "")
	wantErr(t, "asker answers as if invited", func() error { m := ask; return m.Answer(orebroAdmin, n, ActionAccept) }(), ECONFLICT, "")
	wantErr(t, "asker withdraws", CanDeleteMember(orebroAdmin, StandingIn(orebroAdmin, n, asked), n, &ask), "", "")
	wantErr(t, "another withdraws it", CanDeleteMember(molndalAdmin, StandingIn(molndalAdmin, n, asked), n, &ask), EFORBIDDEN, "")
	wantErr(t, "the owner deletes it instead of deciding", CanDeleteMember(falunAdmin, StandingIn(falunAdmin, n, asked), n, &ask), ECONFLICT, "status")
	if s := StandingIn(orebroAdmin, n, asked); s.Insider() {
		t.Errorf("asking to join makes an insider: %+v", s)
	}
	closed := *n
	closed.Status = NetworkClosed
	wantErr(t, "ask to join a closed network", CanAskToJoin(orebroAdmin, &closed, 3), ECONFLICT, "")
	m := ask
	wantErr(t, "decide in a closed network", m.Decide(StandingIn(falunAdmin, &closed, asked), &closed, ActionApprove), ECONFLICT, "")

	for _, c := range []struct {
		old, v *NetworkMember
		want   EventKind
	}{
		{nil, &NetworkMember{Status: MemberRequested}, EventMemberRequested},
		{&NetworkMember{Status: MemberRequested}, &NetworkMember{Status: MemberActive}, EventMemberDecided},
		{&NetworkMember{Status: MemberRequested}, &NetworkMember{Status: MemberDeclined}, EventMemberDecided},
		{&NetworkMember{Status: MemberInvited}, &NetworkMember{Status: MemberActive}, EventMemberAnswered},
	} {
		if got, _ := MemberEvent(c.old, c.v); got != c.want {
			t.Errorf("MemberEvent(%v, %v) = %q; want %q", c.old, c.v, got, c.want)
		}
	}
	decided := ask
	decided.Status = MemberActive
	if !NotifyOfDecision(orebroAdmin, &decided) || NotifyOfDecision(falunAdmin, &decided) || NotifyOfDecision(orebroAdmin, &ask) {
		t.Errorf("NotifyOfDecision: the asking organisation's admins hear of the decision, and only of a decision")
	}
	if !NotifyOfAnswer(falunAdmin, n, &ask) || NotifyOfAnswer(orebroAdmin, n, &ask) {
		t.Errorf("NotifyOfAnswer: those who run the network hear of a request, the asker does not")
	}
}

func TestMemberSight(t *testing.T) {
	n, ms := tacticalNetwork()
	invited, declined := &ms[1], &ms[2]
	if !CanSeeMember(anonymous, StandingIn(anonymous, n, ms), &ms[0]) {
		t.Errorf("an active membership is public")
	}
	if CanSeeMember(anonymous, StandingIn(anonymous, n, ms), invited) || CanSeeMember(orebroAdmin, StandingIn(orebroAdmin, n, ms), invited) {
		t.Errorf("an invitation is seen by outsiders")
	}
	if !CanSeeMember(orebroAdmin, StandingIn(orebroAdmin, n, ms), declined) {
		t.Errorf("an organisation does not see its own declined membership")
	}
	if CanSeeMemberContact(anonymous, StandingIn(anonymous, n, ms), &ms[0]) || CanSeeMemberContact(funder, StandingIn(funder, n, ms), &ms[0]) {
		t.Errorf("contact people are seen by outsiders")
	}
	if !CanSeeMemberContact(molndalAdmin, StandingIn(molndalAdmin, n, ms), &ms[0]) || !CanSeeMemberContact(broker, StandingIn(broker, n, ms), &ms[0]) {
		t.Errorf("insiders and brokers do not see contact people")
	}
	m := NetworkMember{ContactName: "Anna", ContactEmail: "anna@falun.se", ManagementSponsor: "KSO"}
	m.RedactContact()
	if m.ContactName != "" || m.ContactEmail != "" || m.ManagementSponsor != "" {
		t.Errorf("RedactContact left %+v", m)
	}
}

func TestCanRecordProcurement(t *testing.T) {
	n, ms := tacticalNetwork()
	p := func(org int64) *MemberProcurement { return &MemberProcurement{NetworkID: 5, OrgID: org} }
	wantErr(t, "active member records its own", CanRecordProcurement(falunMember, n, ms, p(1)), "", "")
	wantErr(t, "member records another's", CanRecordProcurement(falunMember, n, ms, p(2)), EFORBIDDEN, "")
	wantErr(t, "invited records its own", CanRecordProcurement(molndalAdmin, n, ms, p(2)), EINVALID, "org_id")
	wantErr(t, "broker records an active member's", CanRecordProcurement(broker, n, ms, p(1)), "", "")
	wantErr(t, "broker records a declined organisation's", CanRecordProcurement(broker, n, ms, p(3)), EINVALID, "org_id")
	d := &Deliverable{Meta: Meta{ID: 8}, NetworkID: 6}
	wantErr(t, "deliverable of another network", CheckDeliverable(&MemberProcurement{NetworkID: 5, DeliverableID: new(int64(8))}, d), EINVALID, "deliverable_id")
	d.NetworkID = 5
	wantErr(t, "deliverable of the network", CheckDeliverable(&MemberProcurement{NetworkID: 5, DeliverableID: new(int64(8))}, d), "", "")
	n.Status = NetworkClosed
	wantErr(t, "closed network", CanRecordProcurement(falunMember, n, ms, p(1)), ECONFLICT, "")
}

func TestOrgMembershipRules(t *testing.T) {
	invite := &OrgMembership{UserID: 50, OrgID: 1, Role: OrgRoleMember, Status: OrgMemberInvited}
	active := &OrgMembership{UserID: 50, OrgID: 1, Role: OrgRoleMember, Status: OrgMemberActive}
	invitee := &Actor{User: &User{Meta: Meta{ID: 50}}}
	wantErr(t, "admin invites", CanCreateOrgMembership(falunAdmin, invite), "", "")
	wantErr(t, "admin adds outright", CanCreateOrgMembership(falunAdmin, active), EINVALID, "status")
	wantErr(t, "plain member invites", CanCreateOrgMembership(falunMember, invite), EFORBIDDEN, "")
	wantErr(t, "another organisation's admin invites", CanCreateOrgMembership(molndalAdmin, invite), EFORBIDDEN, "")
	wantErr(t, "broker adds outright", CanCreateOrgMembership(broker, active), "", "")
	wantErr(t, "the person accepts", CanChangeOrgMembership(invitee, invite, active), "", "")
	wantErr(t, "the person accepts as admin", CanChangeOrgMembership(invitee, invite, &OrgMembership{UserID: 50, OrgID: 1, Role: OrgRoleAdmin, Status: OrgMemberActive}), EINVALID, "status")
	wantErr(t, "the admin accepts for the person", CanChangeOrgMembership(falunAdmin, invite, active), EINVALID, "status")
	wantErr(t, "the admin makes an active member admin", CanChangeOrgMembership(falunAdmin, active, &OrgMembership{UserID: 50, OrgID: 1, Role: OrgRoleAdmin, Status: OrgMemberActive}), "", "")
	wantErr(t, "moving the membership", CanChangeOrgMembership(broker, active, &OrgMembership{UserID: 50, OrgID: 2, Role: OrgRoleMember, Status: OrgMemberActive}), EINVALID, "org_id")
	wantErr(t, "stranger changes", CanChangeOrgMembership(molndalAdmin, active, active), EFORBIDDEN, "")
	wantErr(t, "the person leaves", CanDeleteOrgMembership(invitee, active), "", "")
	wantErr(t, "the admin removes", CanDeleteOrgMembership(falunAdmin, active), "", "")
	wantErr(t, "a plain member removes another", CanDeleteOrgMembership(falunMember, active), EFORBIDDEN, "")
	if !CanSeeOrgMembership(invitee, invite) || !CanSeeOrgMembership(falunMember, invite) || CanSeeOrgMembership(molndalAdmin, invite) || CanSeeOrgMembership(anonymous, invite) {
		t.Errorf("CanSeeOrgMembership: the person, the organisation's people and brokers only")
	}
	u := &User{Meta: Meta{ID: 50}}
	activeInFalun := []*OrgMembership{{UserID: 50, OrgID: 1, Status: OrgMemberActive}}
	askedFalun := []*OrgMembership{{UserID: 50, OrgID: 1, Status: OrgMemberRequested}}
	for _, c := range []struct {
		name   string
		a      *Actor
		theirs []*OrgMembership
		want   bool
	}{
		{"the person", invitee, nil, true},
		{"a colleague", falunAdmin, activeInFalun, true},
		{"a plain colleague", falunMember, activeInFalun, true},
		{"an admin who only invited", falunAdmin, []*OrgMembership{invite}, false},
		{"the admin asked to let the person join", falunAdmin, askedFalun, true},
		{"a plain member of the organisation asked", falunMember, askedFalun, false},
		{"another organisation's admin", molndalAdmin, activeInFalun, false},
		{"someone else's membership passed", falunAdmin, []*OrgMembership{{UserID: 51, OrgID: 1, Status: OrgMemberActive}}, false},
		{"a broker", broker, nil, true},
		{"anonymous", anonymous, activeInFalun, false},
		{"the platform", system, activeInFalun, false},
	} {
		if got := CanSeeUser(c.a, u, c.theirs); got != c.want {
			t.Errorf("%s: CanSeeUser = %v; want %v", c.name, got, c.want)
		}
	}
	wantErr(t, "user renames self", CanChangeUser(invitee, u, &User{Meta: Meta{ID: 50}, Name: "Ny"}), "", "")
	wantErr(t, "user makes self broker", CanChangeUser(invitee, u, &User{Meta: Meta{ID: 50}, PlatformRoles: []PlatformRole{RoleBroker}}), EFORBIDDEN, "")
	wantErr(t, "admin renames a colleague", CanChangeUser(falunAdmin, u, u), EFORBIDDEN, "")
	wantErr(t, "broker registers an organisation", CanRegisterOrganization(broker), "", "")
	wantErr(t, "admin registers an organisation", CanRegisterOrganization(falunAdmin), EFORBIDDEN, "")
	wantErr(t, "admin changes its organisation", CanChangeOrganization(falunAdmin, &Organization{Meta: Meta{ID: 1}}), "", "")
	wantErr(t, "member changes its organisation", CanChangeOrganization(falunMember, &Organization{Meta: Meta{ID: 1}}), EFORBIDDEN, "")
}

func TestRegisterRules(t *testing.T) {
	wantErr(t, "broker", CanKeepRegister(broker), "", "")
	wantErr(t, "funder officer", CanKeepRegister(funder), "", "")
	wantErr(t, "buyer", CanKeepRegister(falunAdmin), EFORBIDDEN, "")
	wantErr(t, "anonymous", CanKeepRegister(anonymous), EFORBIDDEN, "")
	wantErr(t, "the broker view", CanUseBrokerView(broker), "", "")
	wantErr(t, "the broker view for a buyer", CanUseBrokerView(falunAdmin), EFORBIDDEN, "")
	wantErr(t, "the broker view for anonymous", CanUseBrokerView(anonymous), EUNAUTHORIZED, "")
	person := &Expert{Kind: ExpertPerson}
	if CanSeeExpertContact(anonymous, person) || !CanSeeExpertContact(falunMember, person) || !CanSeeExpertContact(anonymous, &Expert{Kind: ExpertEnvironment}) {
		t.Errorf("CanSeeExpertContact: a person's contact for signed-in people, an environment's for all")
	}
	c := &FundingCall{EligibleOrgKinds: []OrgKind{OrgKommun, OrgRegion}}
	if !c.Accepts(OrgKommun) || c.Accepts(OrgCompany) || !c.AcceptsAny([]OrgKind{OrgCompany, OrgRegion}) || c.AcceptsAny([]OrgKind{OrgCompany}) {
		t.Errorf("Accepts: a call accepts the kinds it names")
	}
	open := &FundingCall{}
	if !open.Accepts(OrgCompany) || !open.AcceptsAny(nil) {
		t.Errorf("a call that names no kinds accepts all")
	}
}
