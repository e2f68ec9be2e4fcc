package arena

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// ruleCase is one row of a Validate table: a change to a valid base value and
// the field the resulting error must name ("" when the value stays valid).
type ruleCase[T any] struct {
	name  string
	mod   func(*T)
	field string
}

// runRules validates base() changed by each case and checks the outcome.
func runRules[T any, P interface {
	*T
	Validate() error
}](t *testing.T, base func() T, cases []ruleCase[T]) {
	t.Helper()
	t.Run("base", func(t *testing.T) {
		v := base()
		if err := P(&v).Validate(); err != nil {
			t.Fatalf("the base value is invalid: %v", err)
		}
	})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := base()
			if tc.mod != nil {
				tc.mod(&v)
			}
			err := P(&v).Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v; want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil; want an %s error on %s", EINVALID, tc.field)
			}
			if ErrorCode(err) != EINVALID || ErrorField(err) != tc.field {
				t.Fatalf("Validate() = %v (code %q, field %q); want code %q, field %q",
					err, ErrorCode(err), ErrorField(err), EINVALID, tc.field)
			}
		})
	}
}

// entDate returns a pointer to the date y-m-d.
func entDate(y int, m time.Month, d int) *Date { return new(NewDate(y, m, d)) }

func TestOrganizationValidate(t *testing.T) {
	base := func() Organization {
		return Organization{Name: "Falu kommun", OrgNumber: "212000-2411", Kind: OrgKommun, SCBCode: "2080", Country: "SE"}
	}
	runRules(t, base, []ruleCase[Organization]{
		{"only required fields", func(o *Organization) { *o = Organization{Name: "Acme AB", Kind: OrgCompany} }, ""},
		{"region with two-digit SCB code", func(o *Organization) { o.Kind, o.SCBCode, o.OrgNumber = OrgRegion, "20", "" }, ""},
		{"org number without hyphen", func(o *Organization) { o.OrgNumber = "2120002411" }, ""},
		{"foreign country", func(o *Organization) { o.Country = "NL" }, ""},
		{"name empty", func(o *Organization) { o.Name = "" }, "name"},
		{"name blank", func(o *Organization) { o.Name = " \t " }, "name"},
		{"kind empty", func(o *Organization) { o.Kind = "" }, "kind"},
		{"kind unknown", func(o *Organization) { o.Kind = "bank" }, "kind"},
		{"org number wrong check digit", func(o *Organization) { o.OrgNumber = "212000-2412" }, "org_number"},
		{"org number too short", func(o *Organization) { o.OrgNumber = "212000-241" }, "org_number"},
		{"org number hyphen misplaced", func(o *Organization) { o.OrgNumber = "21200-02411" }, "org_number"},
		{"org number letters", func(o *Organization) { o.OrgNumber = "21200a-2411" }, "org_number"},
		{"SCB code on a company", func(o *Organization) { o.Kind = OrgCompany }, "scb_code"},
		{"SCB code on an agency", func(o *Organization) { o.Kind = OrgAgency }, "scb_code"},
		{"kommun SCB code too short", func(o *Organization) { o.SCBCode = "208" }, "scb_code"},
		{"kommun SCB code not digits", func(o *Organization) { o.SCBCode = "20a0" }, "scb_code"},
		{"region SCB code four digits", func(o *Organization) { o.Kind = OrgRegion }, "scb_code"},
		{"country lower case", func(o *Organization) { o.Country = "se" }, "country"},
		{"country three letters", func(o *Organization) { o.Country = "SWE" }, "country"},
		{"country one letter", func(o *Organization) { o.Country = "S" }, "country"},
	})
}

func TestOrganizationNormalises(t *testing.T) {
	for _, tc := range []struct {
		kind OrgKind
		want OrgKind
	}{
		{"statlig myndighet", OrgAgency},
		{"Statlig myndighet", OrgAgency},
		{"Kommunalförbund", OrgKommunalforbund},
		{"KOMMUN", OrgKommun},
		{"Lärosäte/institut", OrgAcademia},
	} {
		o := Organization{Name: "  Testorg  ", Kind: tc.kind, OrgNumber: " 2120002411 "}
		if err := o.Validate(); err != nil {
			t.Fatalf("kind %q: %v", tc.kind, err)
		}
		if o.Kind != tc.want {
			t.Errorf("kind %q normalised to %q; want %q", tc.kind, o.Kind, tc.want)
		}
		if o.OrgNumber != "212000-2411" {
			t.Errorf("org number normalised to %q; want 212000-2411", o.OrgNumber)
		}
		if o.Name != "Testorg" {
			t.Errorf("name normalised to %q; want Testorg", o.Name)
		}
	}
}

func TestUserValidate(t *testing.T) {
	base := func() User {
		return User{Email: "anna@falun.se", Name: "Anna", PlatformRoles: []PlatformRole{RoleBroker}}
	}
	runRules(t, base, []ruleCase[User]{
		{"no roles", func(u *User) { u.PlatformRoles = nil }, ""},
		{"both roles", func(u *User) { u.PlatformRoles = []PlatformRole{RoleBroker, RoleFunderOfficer} }, ""},
		{"no name", func(u *User) { u.Name = "" }, ""},
		{"email empty", func(u *User) { u.Email = "" }, "email"},
		{"email without at", func(u *User) { u.Email = "anna.falun.se" }, "email"},
		{"email with display name", func(u *User) { u.Email = "Anna <anna@falun.se>" }, "email"},
		{"role unknown", func(u *User) { u.PlatformRoles = []PlatformRole{"god"} }, "platform_roles"},
		{"second role unknown", func(u *User) { u.PlatformRoles = []PlatformRole{RoleBroker, "admin"} }, "platform_roles"},
	})
}

func TestUserNormalises(t *testing.T) {
	u := User{Email: "  Anna@Falun.SE ", Name: " Anna "}
	if err := u.Validate(); err != nil {
		t.Fatal(err)
	}
	if u.Email != "anna@falun.se" || u.Name != "Anna" {
		t.Errorf("normalised to %q, %q", u.Email, u.Name)
	}
	if u.PlatformRoles == nil || len(u.PlatformRoles) != 0 {
		t.Errorf("platform roles = %#v; want an empty, non-nil slice", u.PlatformRoles)
	}
	if u.HasRole(RoleBroker) {
		t.Error("HasRole true for a user without roles")
	}
}

func TestOrgMembershipValidate(t *testing.T) {
	base := func() OrgMembership { return OrgMembership{UserID: 1, OrgID: 2, Role: OrgRoleMember} }
	runRules(t, base, []ruleCase[OrgMembership]{
		{"admin", func(m *OrgMembership) { m.Role = OrgRoleAdmin }, ""},
		{"user_id zero", func(m *OrgMembership) { m.UserID = 0 }, "user_id"},
		{"user_id negative", func(m *OrgMembership) { m.UserID = -1 }, "user_id"},
		{"org_id zero", func(m *OrgMembership) { m.OrgID = 0 }, "org_id"},
		{"org_id negative", func(m *OrgMembership) { m.OrgID = -3 }, "org_id"},
		{"role empty", func(m *OrgMembership) { m.Role = "" }, "role"},
		{"role unknown", func(m *OrgMembership) { m.Role = "owner" }, "role"},
	})
}

func TestNeedValidate(t *testing.T) {
	base := func() Need {
		return Need{
			OrgID: 1, Title: "Digital tillsyn", Description: "Vi vill minska tiden för tillsyn.",
			CPVCodes: []string{"33196000-0"}, EstimatedValueSEK: new(int64(100000)),
			Volume: new(10.0), VolumeUnit: "st", PlannedDate: entDate(2025, 3, 1),
			Intent: IntentPlan, Visibility: VisibilityNetwork,
		}
	}
	runRules(t, base, []ruleCase[Need]{
		{"minimal", func(n *Need) { *n = Need{OrgID: 1, Title: "x"} }, ""},
		{"title of 200 characters", func(n *Need) { n.Title = strings.Repeat("å", 200) }, ""},
		{"description of 20000 characters", func(n *Need) { n.Description = strings.Repeat("ö", 20000) }, ""},
		{"estimated value zero", func(n *Need) { n.EstimatedValueSEK = new(int64(0)) }, ""},
		{"volume zero", func(n *Need) { n.Volume = new(0.0) }, ""},
		{"volume without unit", func(n *Need) { n.VolumeUnit = "" }, ""},
		{"org_id zero", func(n *Need) { n.OrgID = 0 }, "org_id"},
		{"org_id negative", func(n *Need) { n.OrgID = -1 }, "org_id"},
		{"title empty", func(n *Need) { n.Title = "" }, "title"},
		{"title blank", func(n *Need) { n.Title = "   " }, "title"},
		{"title of 201 characters", func(n *Need) { n.Title = strings.Repeat("å", 201) }, "title"},
		{"description of 20001 characters", func(n *Need) { n.Description = strings.Repeat("ö", 20001) }, "description"},
		{"cpv too short", func(n *Need) { n.CPVCodes = []string{"3319600"} }, "cpv_codes"},
		{"cpv check digit too long", func(n *Need) { n.CPVCodes = []string{"33196000-00"} }, "cpv_codes"},
		{"cpv letters", func(n *Need) { n.CPVCodes = []string{"33196000", "4500000X"} }, "cpv_codes"},
		{"cpv empty string", func(n *Need) { n.CPVCodes = []string{""} }, "cpv_codes"},
		{"estimated value negative", func(n *Need) { n.EstimatedValueSEK = new(int64(-1)) }, "estimated_value_sek"},
		{"volume negative", func(n *Need) { n.Volume = new(-0.5) }, "volume"},
		{"volume unit without volume", func(n *Need) { n.Volume = nil }, "volume"},
		{"intent unknown", func(n *Need) { n.Intent = "maybe" }, "intent"},
		{"visibility unknown", func(n *Need) { n.Visibility = "secret" }, "visibility"},
	})
}

func TestNeedNormalises(t *testing.T) {
	n := Need{OrgID: 1, Title: "  Laddinfrastruktur ", CPVCodes: []string{"33196000-0", "33196000", " 45000000-7 ", "45000000"}}
	if err := n.Validate(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"33196000", "45000000"}; !slices.Equal(n.CPVCodes, want) {
		t.Errorf("CPV codes = %q; want %q", n.CPVCodes, want)
	}
	if n.Title != "Laddinfrastruktur" {
		t.Errorf("title = %q", n.Title)
	}
	if n.Intent != IntentExplore {
		t.Errorf("default intent = %q; want %q", n.Intent, IntentExplore)
	}
	if n.Visibility != VisibilityDraft {
		t.Errorf("default visibility = %q; want %q", n.Visibility, VisibilityDraft)
	}

	empty := Need{OrgID: 1, Title: "t"}
	if err := empty.Validate(); err != nil {
		t.Fatal(err)
	}
	if empty.CPVCodes == nil || len(empty.CPVCodes) != 0 {
		t.Errorf("CPV codes of a need without codes = %#v; want an empty, non-nil slice", empty.CPVCodes)
	}
}

func TestNetworkValidate(t *testing.T) {
	base := func() Network {
		return Network{
			Meta: Meta{ID: 7}, Name: "Nätverk för vård", Kind: NetworkStrategic, Status: NetworkActive,
			StartYear: new(2020), EndYear: new(2024), Country: "SE",
		}
	}
	runRules(t, base, []ruleCase[Network]{
		{"status defaults", func(n *Network) { n.Status = "" }, ""},
		{"ended", func(n *Network) { n.Status = NetworkEnded }, ""},
		{"closed", func(n *Network) { n.Status = NetworkClosed }, ""},
		{"tactical sub-group", func(n *Network) { n.Kind, n.ParentID = NetworkTactical, new(int64(3)) }, ""},
		{"years on the boundaries", func(n *Network) { n.StartYear, n.EndYear = new(1900), new(2200) }, ""},
		{"same start and end year", func(n *Network) { n.EndYear = new(2020) }, ""},
		{"only an end year", func(n *Network) { n.StartYear = nil }, ""},
		{"name empty", func(n *Network) { n.Name = "" }, "name"},
		{"name blank", func(n *Network) { n.Name = "  " }, "name"},
		{"kind empty", func(n *Network) { n.Kind = "" }, "kind"},
		{"kind unknown", func(n *Network) { n.Kind = "regional" }, "kind"},
		{"status unknown", func(n *Network) { n.Status = "paused" }, "status"},
		{"parent of a strategic network", func(n *Network) { n.ParentID = new(int64(3)) }, "parent_id"},
		{"parent zero", func(n *Network) { n.Kind, n.ParentID = NetworkTactical, new(int64(0)) }, "parent_id"},
		{"parent negative", func(n *Network) { n.Kind, n.ParentID = NetworkTactical, new(int64(-2)) }, "parent_id"},
		{"parent is itself", func(n *Network) { n.Kind, n.ParentID = NetworkTactical, new(int64(7)) }, "parent_id"},
		{"start year too early", func(n *Network) { n.StartYear = new(1899) }, "start_year"},
		{"start year too late", func(n *Network) { n.StartYear, n.EndYear = new(2201), nil }, "start_year"},
		{"end year too early", func(n *Network) { n.StartYear, n.EndYear = nil, new(1899) }, "end_year"},
		{"end year too late", func(n *Network) { n.EndYear = new(2201) }, "end_year"},
		{"end year before start year", func(n *Network) { n.EndYear = new(2019) }, "end_year"},
		{"country three letters", func(n *Network) { n.Country = "SWE" }, "country"},
		{"country one letter", func(n *Network) { n.Country = "S" }, "country"},
	})
	n := Network{Name: "n", Kind: NetworkTactical}
	if err := n.Validate(); err != nil || n.Status != NetworkActive {
		t.Errorf("default status = %q, %v; want %q", n.Status, err, NetworkActive)
	}
}

func TestNetworkMemberValidate(t *testing.T) {
	base := func() NetworkMember {
		return NetworkMember{
			NetworkID: 1, OrgID: 2, Role: MemberBuyer, Tier: TierCore, Status: MemberActive,
			ContactName: "Anna", ContactEmail: "anna@falun.se", Mandate: true,
		}
	}
	runRules(t, base, []ruleCase[NetworkMember]{
		{"defaults", func(m *NetworkMember) { *m = NetworkMember{NetworkID: 1, OrgID: 2} }, ""},
		{"observer supplier invited", func(m *NetworkMember) { m.Role, m.Tier, m.Status = MemberSupplier, TierObserver, MemberInvited }, ""},
		{"no contact email", func(m *NetworkMember) { m.ContactEmail = "" }, ""},
		{"network_id zero", func(m *NetworkMember) { m.NetworkID = 0 }, "network_id"},
		{"network_id negative", func(m *NetworkMember) { m.NetworkID = -1 }, "network_id"},
		{"org_id zero", func(m *NetworkMember) { m.OrgID = 0 }, "org_id"},
		{"role unknown", func(m *NetworkMember) { m.Role = "sponsor" }, "role"},
		{"tier unknown", func(m *NetworkMember) { m.Tier = "gold" }, "tier"},
		{"status unknown", func(m *NetworkMember) { m.Status = "banned" }, "status"},
		{"contact email malformed", func(m *NetworkMember) { m.ContactEmail = "anna at falun" }, "contact_email"},
	})
	m := NetworkMember{NetworkID: 1, OrgID: 2}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	if m.Role != MemberBuyer || m.Tier != TierCore || m.Status != MemberInvited {
		t.Errorf("defaults = %q, %q, %q", m.Role, m.Tier, m.Status)
	}
}

func TestNetworkPlanValidate(t *testing.T) {
	base := func() NetworkPlan {
		return NetworkPlan{NetworkID: 1, Goal: "g", Rules: "r", Responsibilities: []Responsibility{{Who: "Falun", What: "samordning"}}}
	}
	runRules(t, base, []ruleCase[NetworkPlan]{
		{"no responsibilities", func(p *NetworkPlan) { p.Responsibilities = nil }, ""},
		{"network_id zero", func(p *NetworkPlan) { p.NetworkID = 0 }, "network_id"},
		{"responsibility without who", func(p *NetworkPlan) { p.Responsibilities[0].Who = "" }, "responsibilities"},
		{"responsibility with blank what", func(p *NetworkPlan) { p.Responsibilities[0].What = "  " }, "responsibilities"},
		{"second responsibility empty", func(p *NetworkPlan) { p.Responsibilities = append(p.Responsibilities, Responsibility{}) }, "responsibilities"},
	})
	p := NetworkPlan{NetworkID: 1}
	if err := p.Validate(); err != nil || p.Responsibilities == nil {
		t.Errorf("responsibilities = %#v, %v; want an empty, non-nil slice", p.Responsibilities, err)
	}
}

func TestActivityValidate(t *testing.T) {
	base := func() Activity {
		return Activity{
			NetworkID: 1, Kind: ActivityMarketDialogue, Title: "Dialogmöte", Status: ActivityOngoing,
			StartDate: entDate(2024, 2, 1), EndDate: entDate(2024, 2, 28),
		}
	}
	runRules(t, base, []ruleCase[Activity]{
		{"status defaults", func(a *Activity) { a.Status = "" }, ""},
		{"same start and end", func(a *Activity) { a.EndDate = entDate(2024, 2, 1) }, ""},
		{"only an end date", func(a *Activity) { a.StartDate = nil }, ""},
		{"no dates", func(a *Activity) { a.StartDate, a.EndDate = nil, nil }, ""},
		{"network_id zero", func(a *Activity) { a.NetworkID = 0 }, "network_id"},
		{"kind empty", func(a *Activity) { a.Kind = "" }, "kind"},
		{"kind unknown", func(a *Activity) { a.Kind = "fika" }, "kind"},
		{"title empty", func(a *Activity) { a.Title = "" }, "title"},
		{"title blank", func(a *Activity) { a.Title = " " }, "title"},
		{"status unknown", func(a *Activity) { a.Status = "postponed" }, "status"},
		{"end before start", func(a *Activity) { a.EndDate = entDate(2024, 1, 31) }, "end_date"},
	})
	a := Activity{NetworkID: 1, Kind: ActivityOther, Title: "t"}
	if err := a.Validate(); err != nil || a.Status != ActivityPlanned {
		t.Errorf("default status = %q, %v; want %q", a.Status, err, ActivityPlanned)
	}
}

func TestDeliverableValidate(t *testing.T) {
	base := func() Deliverable {
		return Deliverable{NetworkID: 1, Kind: DeliverableRequirementSpec, Title: "Kravspecifikation", PublishedDate: entDate(2024, 5, 1)}
	}
	runRules(t, base, []ruleCase[Deliverable]{
		{"dps", func(d *Deliverable) { d.Kind = DeliverableDPS }, ""},
		{"network_id zero", func(d *Deliverable) { d.NetworkID = 0 }, "network_id"},
		{"kind empty", func(d *Deliverable) { d.Kind = "" }, "kind"},
		{"kind unknown", func(d *Deliverable) { d.Kind = "report" }, "kind"},
		{"title empty", func(d *Deliverable) { d.Title = "" }, "title"},
		{"title blank", func(d *Deliverable) { d.Title = "\n" }, "title"},
	})
}

func TestMemberProcurementValidate(t *testing.T) {
	// An own procurement that has reached awarded, each stage dated.
	base := func() MemberProcurement {
		return MemberProcurement{
			NetworkID: 1, OrgID: 2, Kind: FollowOwnProcurement, Title: "Upphandling",
			Stage:       StageAwarded,
			PlannedDate: entDate(2024, 1, 10), AnnouncedDate: entDate(2024, 3, 1), AwardedDate: entDate(2024, 6, 1),
			OCID: "ocds-abc123-2024-001",
		}
	}
	full := func(p *MemberProcurement) {
		p.ImplementedDate, p.EvaluatedDate = entDate(2024, 9, 1), entDate(2025, 1, 15)
	}
	runRules(t, base, []ruleCase[MemberProcurement]{
		// valid variants
		{"kind and stage default", func(p *MemberProcurement) {
			*p = MemberProcurement{NetworkID: 1, OrgID: 2, PlannedDate: entDate(2024, 1, 1)}
		}, ""},
		{"planned", func(p *MemberProcurement) { p.Stage, p.AnnouncedDate, p.AwardedDate = StagePlanned, nil, nil }, ""},
		{"announced", func(p *MemberProcurement) { p.Stage, p.AwardedDate = StageAnnounced, nil }, ""},
		{"implemented", func(p *MemberProcurement) { p.Stage, p.ImplementedDate = StageImplemented, entDate(2024, 9, 1) }, ""},
		{"evaluated", func(p *MemberProcurement) { p.Stage = StageEvaluated; full(p) }, ""},
		{"all stages on one day", func(p *MemberProcurement) {
			d := entDate(2024, 1, 1)
			p.Stage, p.PlannedDate, p.AnnouncedDate, p.AwardedDate, p.ImplementedDate, p.EvaluatedDate = StageEvaluated, d, d, d, d, d
		}, ""},
		{"hand-over with central body", func(p *MemberProcurement) { p.Kind, p.CentralBody = FollowHandover, "Adda" }, ""},
		{"no ocid", func(p *MemberProcurement) { p.OCID = "" }, ""},
		{"withdrawn after awarded", func(p *MemberProcurement) {
			p.Stage, p.WithdrawnDate, p.WithdrawnReason = StageWithdrawn, entDate(2024, 7, 1), "överprövning"
		}, ""},
		{"withdrawn with every stage dated", func(p *MemberProcurement) {
			full(p)
			p.Stage, p.WithdrawnDate, p.WithdrawnReason = StageWithdrawn, entDate(2025, 2, 1), "budget"
		}, ""},
		{"withdrawn without other dates", func(p *MemberProcurement) {
			p.PlannedDate, p.AnnouncedDate, p.AwardedDate = nil, nil, nil
			p.Stage, p.WithdrawnDate, p.WithdrawnReason = StageWithdrawn, entDate(2024, 7, 1), "budget"
		}, ""},
		{"withdrawn the day of the last stage", func(p *MemberProcurement) {
			p.Stage, p.WithdrawnDate, p.WithdrawnReason = StageWithdrawn, entDate(2024, 6, 1), "budget"
		}, ""},

		// ids, kind, stage, ocid
		{"network_id zero", func(p *MemberProcurement) { p.NetworkID = 0 }, "network_id"},
		{"org_id zero", func(p *MemberProcurement) { p.OrgID = 0 }, "org_id"},
		{"kind unknown", func(p *MemberProcurement) { p.Kind = "lease" }, "kind"},
		{"hand-over without central body", func(p *MemberProcurement) { p.Kind = FollowHandover }, "central_purchasing_body"},
		{"hand-over with blank central body", func(p *MemberProcurement) { p.Kind, p.CentralBody = FollowHandover, "  " }, "central_purchasing_body"},
		{"stage unknown", func(p *MemberProcurement) { p.Stage = "signed" }, "stage"},
		{"ocid without ocds prefix", func(p *MemberProcurement) { p.OCID = "abc123-2024-001" }, "ocid"},
		{"ocid without id", func(p *MemberProcurement) { p.OCID = "ocds-abc123" }, "ocid"},
		{"ocid upper case prefix", func(p *MemberProcurement) { p.OCID = "OCDS-abc123-1" }, "ocid"},

		// each stage needs its date
		{"planned without date", func(p *MemberProcurement) {
			p.Stage, p.PlannedDate, p.AnnouncedDate, p.AwardedDate = StagePlanned, nil, nil, nil
		}, "planned_date"},
		{"default stage without date", func(p *MemberProcurement) { *p = MemberProcurement{NetworkID: 1, OrgID: 2} }, "planned_date"},
		{"announced without date", func(p *MemberProcurement) { p.Stage, p.AnnouncedDate, p.AwardedDate = StageAnnounced, nil, nil }, "announced_date"},
		{"awarded without date", func(p *MemberProcurement) { p.AwardedDate = nil }, "awarded_date"},
		{"implemented without date", func(p *MemberProcurement) { p.Stage = StageImplemented }, "implemented_date"},
		{"evaluated without date", func(p *MemberProcurement) { full(p); p.Stage, p.EvaluatedDate = StageEvaluated, nil }, "evaluated_date"},

		// later stages cannot be dated before they are reached
		{"planned with announced date", func(p *MemberProcurement) { p.Stage, p.AwardedDate = StagePlanned, nil }, "announced_date"},
		{"planned with evaluated date", func(p *MemberProcurement) {
			p.Stage, p.AnnouncedDate, p.AwardedDate, p.EvaluatedDate = StagePlanned, nil, nil, entDate(2025, 1, 1)
		}, "evaluated_date"},
		{"announced with awarded date", func(p *MemberProcurement) { p.Stage = StageAnnounced }, "awarded_date"},
		{"awarded with implemented date", func(p *MemberProcurement) { p.ImplementedDate = entDate(2024, 9, 1) }, "implemented_date"},
		{"implemented with evaluated date", func(p *MemberProcurement) { full(p); p.Stage = StageImplemented }, "evaluated_date"},

		// dates never go backwards
		{"announced before planned", func(p *MemberProcurement) { p.AnnouncedDate = entDate(2024, 1, 9) }, "announced_date"},
		{"awarded before announced", func(p *MemberProcurement) { p.AwardedDate = entDate(2024, 2, 28) }, "awarded_date"},
		{"awarded with an undated announcement", func(p *MemberProcurement) {
			p.AnnouncedDate, p.AwardedDate = nil, entDate(2024, 1, 1)
		}, "announced_date"},
		{"ocid with empty id", func(p *MemberProcurement) { p.OCID = "ocds--" }, "ocid"},
		{"implemented before awarded", func(p *MemberProcurement) {
			p.Stage, p.ImplementedDate = StageImplemented, entDate(2024, 5, 31)
		}, "implemented_date"},
		{"evaluated before implemented", func(p *MemberProcurement) {
			full(p)
			p.Stage, p.EvaluatedDate = StageEvaluated, entDate(2024, 8, 31)
		}, "evaluated_date"},
		{"withdrawn with dates out of order", func(p *MemberProcurement) {
			p.AwardedDate = entDate(2024, 2, 1)
			p.Stage, p.WithdrawnDate, p.WithdrawnReason = StageWithdrawn, entDate(2024, 7, 1), "budget"
		}, "awarded_date"},

		// withdrawal
		{"withdrawn without reason", func(p *MemberProcurement) { p.Stage, p.WithdrawnDate = StageWithdrawn, entDate(2024, 7, 1) }, "withdrawn_reason"},
		{"withdrawn with blank reason", func(p *MemberProcurement) {
			p.Stage, p.WithdrawnDate, p.WithdrawnReason = StageWithdrawn, entDate(2024, 7, 1), " "
		}, "withdrawn_reason"},
		{"withdrawn without date", func(p *MemberProcurement) { p.Stage, p.WithdrawnReason = StageWithdrawn, "budget" }, "withdrawn_date"},
		{"withdrawn before the last stage", func(p *MemberProcurement) {
			p.Stage, p.WithdrawnDate, p.WithdrawnReason = StageWithdrawn, entDate(2024, 5, 31), "budget"
		}, "withdrawn_date"},
		{"withdrawal date while not withdrawn", func(p *MemberProcurement) { p.WithdrawnDate = entDate(2024, 7, 1) }, "withdrawn_date"},
		{"withdrawal reason while not withdrawn", func(p *MemberProcurement) { p.WithdrawnReason = "budget" }, "withdrawn_date"},
	})

	p := MemberProcurement{NetworkID: 1, OrgID: 2, PlannedDate: entDate(2024, 1, 1)}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if p.Kind != FollowOwnProcurement || p.Stage != StagePlanned {
		t.Errorf("defaults = %q, %q; want %q, %q", p.Kind, p.Stage, FollowOwnProcurement, StagePlanned)
	}
}

func TestMemberProcurementStageDate(t *testing.T) {
	p := MemberProcurement{
		PlannedDate: entDate(2024, 1, 1), AnnouncedDate: entDate(2024, 1, 2), AwardedDate: entDate(2024, 1, 3),
		ImplementedDate: entDate(2024, 1, 4), EvaluatedDate: entDate(2024, 1, 5), WithdrawnDate: entDate(2024, 1, 6),
	}
	for i, s := range ProcurementStages {
		if d := p.StageDate(s); d == nil || d.Day() != i+1 {
			t.Errorf("StageDate(%s) = %v", s, d)
		}
	}
	if p.StageDate("signed") != nil {
		t.Error("StageDate of an unknown stage is not nil")
	}
}

func TestFundingPeriodValidate(t *testing.T) {
	base := func() FundingPeriod {
		return FundingPeriod{
			NetworkID: 1, FunderID: new(int64(2)), StartDate: entDate(2023, 1, 1), EndDate: entDate(2025, 12, 31),
			AmountSEK: new(int64(1_500_000)),
		}
	}
	runRules(t, base, []ruleCase[FundingPeriod]{
		{"amount zero", func(f *FundingPeriod) { f.AmountSEK = new(int64(0)) }, ""},
		{"one day", func(f *FundingPeriod) { f.EndDate = entDate(2023, 1, 1) }, ""},
		{"open-ended", func(f *FundingPeriod) { f.EndDate = nil }, ""},
		{"network_id zero", func(f *FundingPeriod) { f.NetworkID = 0 }, "network_id"},
		{"amount negative", func(f *FundingPeriod) { f.AmountSEK = new(int64(-1)) }, "amount_sek"},
		{"end before start", func(f *FundingPeriod) { f.EndDate = entDate(2022, 12, 31) }, "end_date"},
	})
}

func TestFunderValidate(t *testing.T) {
	base := func() Funder { return Funder{Name: "Vinnova", Kind: FunderAgency} }
	runRules(t, base, []ruleCase[Funder]{
		{"eu", func(f *Funder) { f.Kind = FunderEU }, ""},
		{"name empty", func(f *Funder) { f.Name = "" }, "name"},
		{"name blank", func(f *Funder) { f.Name = "  " }, "name"},
		{"kind empty", func(f *Funder) { f.Kind = "" }, "kind"},
		{"kind unknown", func(f *Funder) { f.Kind = "bank" }, "kind"},
	})
}

func TestFundingCallValidate(t *testing.T) {
	base := func() FundingCall {
		return FundingCall{
			FunderID: 1, Title: "Utmaningsdriven innovation", EligibleOrgKinds: []OrgKind{OrgKommun, OrgRegion},
			Themes: []string{"vård"}, OpensDate: entDate(2024, 1, 1), ClosesDate: entDate(2024, 3, 31),
			MinAmountSEK: new(int64(100)), MaxAmountSEK: new(int64(1000)), BudgetSEK: new(int64(10000)),
			CoFundingRate: new(0.5),
		}
	}
	runRules(t, base, []ruleCase[FundingCall]{
		{"minimal", func(c *FundingCall) { *c = FundingCall{FunderID: 1, Title: "t"} }, ""},
		{"opens and closes the same day", func(c *FundingCall) { c.ClosesDate = entDate(2024, 1, 1) }, ""},
		{"min equals max", func(c *FundingCall) { c.MaxAmountSEK = new(int64(100)) }, ""},
		{"amounts zero", func(c *FundingCall) {
			c.MinAmountSEK, c.MaxAmountSEK, c.BudgetSEK = new(int64(0)), new(int64(0)), new(int64(0))
		}, ""},
		{"co-funding rate 0", func(c *FundingCall) { c.CoFundingRate = new(0.0) }, ""},
		{"co-funding rate 1", func(c *FundingCall) { c.CoFundingRate = new(1.0) }, ""},
		{"Swedish eligible kinds", func(c *FundingCall) { c.EligibleOrgKinds = []OrgKind{"Statlig myndighet", "Kommunalförbund"} }, ""},
		{"funder_id zero", func(c *FundingCall) { c.FunderID = 0 }, "funder_id"},
		{"funder_id negative", func(c *FundingCall) { c.FunderID = -1 }, "funder_id"},
		{"title empty", func(c *FundingCall) { c.Title = "" }, "title"},
		{"title blank", func(c *FundingCall) { c.Title = "  " }, "title"},
		{"eligible kind unknown", func(c *FundingCall) { c.EligibleOrgKinds = []OrgKind{OrgKommun, "bank"} }, "eligible_org_kinds"},
		{"eligible kind empty", func(c *FundingCall) { c.EligibleOrgKinds = []OrgKind{""} }, "eligible_org_kinds"},
		{"closes before opens", func(c *FundingCall) { c.ClosesDate = entDate(2023, 12, 31) }, "closes_date"},
		{"min amount negative", func(c *FundingCall) { c.MinAmountSEK = new(int64(-1)) }, "min_amount_sek"},
		{"max amount negative", func(c *FundingCall) { c.MinAmountSEK, c.MaxAmountSEK = nil, new(int64(-1)) }, "max_amount_sek"},
		{"budget negative", func(c *FundingCall) { c.BudgetSEK = new(int64(-1)) }, "budget_sek"},
		{"max below min", func(c *FundingCall) { c.MaxAmountSEK = new(int64(99)) }, "max_amount_sek"},
		{"co-funding rate negative", func(c *FundingCall) { c.CoFundingRate = new(-0.1) }, "co_funding_rate"},
		{"co-funding rate above 1", func(c *FundingCall) { c.CoFundingRate = new(1.1) }, "co_funding_rate"},
	})
}

func TestFundingCallNormalises(t *testing.T) {
	c := FundingCall{FunderID: 1, Title: " Utlysning ", EligibleOrgKinds: []OrgKind{"statlig myndighet", "Kommunalförbund", "KOMMUN"}}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if want := []OrgKind{OrgAgency, OrgKommunalforbund, OrgKommun}; !slices.Equal(c.EligibleOrgKinds, want) {
		t.Errorf("eligible kinds = %q; want %q", c.EligibleOrgKinds, want)
	}
	if c.Title != "Utlysning" {
		t.Errorf("title = %q", c.Title)
	}
	if c.Themes == nil || len(c.Themes) != 0 {
		t.Errorf("themes = %#v; want an empty, non-nil slice", c.Themes)
	}
	empty := FundingCall{FunderID: 1, Title: "t"}
	if err := empty.Validate(); err != nil || empty.EligibleOrgKinds == nil {
		t.Errorf("eligible kinds = %#v, %v; want an empty, non-nil slice", empty.EligibleOrgKinds, err)
	}
}

func TestFundingCallIsOpen(t *testing.T) {
	opens, closes := entDate(2024, 1, 1), entDate(2024, 3, 31)
	for _, tc := range []struct {
		name          string
		opens, closes *Date
		day           Date
		want          bool
	}{
		{"day before opening", opens, closes, NewDate(2023, 12, 31), false},
		{"opening day", opens, closes, NewDate(2024, 1, 1), true},
		{"in the middle", opens, closes, NewDate(2024, 2, 15), true},
		{"closing day", opens, closes, NewDate(2024, 3, 31), true},
		{"day after closing", opens, closes, NewDate(2024, 4, 1), false},
		{"no opening date, before closing", nil, closes, NewDate(2000, 1, 1), true},
		{"no opening date, after closing", nil, closes, NewDate(2024, 4, 1), false},
		{"no closing date, after opening", opens, nil, NewDate(2099, 1, 1), true},
		{"no closing date, before opening", opens, nil, NewDate(2023, 12, 31), false},
		{"no dates", nil, nil, NewDate(2024, 6, 1), true},
		{"day from a local time", opens, closes, DateOf(time.Date(2024, 3, 31, 23, 30, 0, 0, time.FixedZone("CEST", 2*3600))), true},
	} {
		c := FundingCall{OpensDate: tc.opens, ClosesDate: tc.closes}
		if got := c.IsOpen(tc.day); got != tc.want {
			t.Errorf("%s: IsOpen(%s) = %v; want %v", tc.name, tc.day, got, tc.want)
		}
	}
}

func TestProjectValidate(t *testing.T) {
	base := func() Project {
		return Project{
			Title: "Innovationspartnerskap för äldreomsorg", Category: CategoryInnovationProcurement,
			Procedure: ProcedureInnovationPartnership, Phase: PhaseOngoing,
			StartYear: new(2021), EndYear: new(2024), Participants: []string{"Falu kommun"},
		}
	}
	runRules(t, base, []ruleCase[Project]{
		{"no procedure", func(p *Project) { p.Procedure = "" }, ""},
		{"no phase", func(p *Project) { p.Phase = "" }, ""},
		{"no participants", func(p *Project) { p.Participants = nil }, ""},
		{"same start and end year", func(p *Project) { p.EndYear = new(2021) }, ""},
		{"title empty", func(p *Project) { p.Title = "" }, "title"},
		{"title blank", func(p *Project) { p.Title = " " }, "title"},
		{"category empty", func(p *Project) { p.Category = "" }, "category"},
		{"category unknown", func(p *Project) { p.Category = "defence" }, "category"},
		{"procedure unknown", func(p *Project) { p.Procedure = "direct_award" }, "procedure"},
		{"phase unknown", func(p *Project) { p.Phase = "paused" }, "phase"},
		{"start year too early", func(p *Project) { p.StartYear = new(1899) }, "start_year"},
		{"end year too late", func(p *Project) { p.EndYear = new(2201) }, "end_year"},
		{"end year before start year", func(p *Project) { p.EndYear = new(2020) }, "end_year"},
	})
	p := Project{Title: "t", Category: CategoryResearch}
	if err := p.Validate(); err != nil || p.Participants == nil {
		t.Errorf("participants = %#v, %v; want an empty, non-nil slice", p.Participants, err)
	}
}

func TestExpertValidate(t *testing.T) {
	base := func() Expert {
		return Expert{Name: "Anna Forskare", Kind: ExpertPerson, SubjectAreas: []string{"upphandling"}}
	}
	runRules(t, base, []ruleCase[Expert]{
		{"research environment", func(e *Expert) { e.Kind = ExpertEnvironment }, ""},
		{"no subject areas", func(e *Expert) { e.SubjectAreas = nil }, ""},
		{"name empty", func(e *Expert) { e.Name = "" }, "name"},
		{"name blank", func(e *Expert) { e.Name = "  " }, "name"},
		{"kind empty", func(e *Expert) { e.Kind = "" }, "kind"},
		{"kind unknown", func(e *Expert) { e.Kind = "consultant" }, "kind"},
	})
	e := Expert{Name: "n", Kind: ExpertPerson}
	if err := e.Validate(); err != nil || e.SubjectAreas == nil {
		t.Errorf("subject areas = %#v, %v; want an empty, non-nil slice", e.SubjectAreas, err)
	}
}

func TestParseOrgKind(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want OrgKind
		ok   bool
	}{
		{"kommun", OrgKommun, true},
		{" Kommun ", OrgKommun, true},
		{"REGION", OrgRegion, true},
		{"statlig_myndighet", OrgAgency, true},
		{"statlig myndighet", OrgAgency, true},
		{"Statlig Myndighet", OrgAgency, true},
		{"statlig-myndighet", OrgAgency, true},
		{"myndighet", OrgAgency, true},
		{"kommunalforbund", OrgKommunalforbund, true},
		{"Kommunalförbund", OrgKommunalforbund, true},
		{"KOMMUNALFÖRBUND", OrgKommunalforbund, true},
		{"kommunalt bolag", OrgMunicipalCo, true},
		{"Inköpscentral", OrgCentralPurchase, true},
		{"företag", OrgCompany, true},
		{"lärosäte/institut", OrgAcademia, true},
		{"Lärosäte eller institut", OrgAcademia, true},
		{"lärosäte", OrgAcademia, true},
		{"institut", OrgAcademia, true},
		{"förening", OrgAssociation, true},
		{"", "", false},
		{"bank", "", false},
		{"kommuner", "", false},
	} {
		got, ok := ParseOrgKind(tc.in)
		if ok != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("ParseOrgKind(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	for _, k := range OrgKinds {
		if got, ok := ParseOrgKind(string(k)); !ok || got != k {
			t.Errorf("ParseOrgKind(%q) = %q, %v; a kind's own code must parse", k, got, ok)
		}
	}
}

func TestOrgKindIsPublicBuyer(t *testing.T) {
	public := []OrgKind{OrgKommun, OrgRegion, OrgAgency, OrgKommunalforbund, OrgMunicipalCo, OrgCentralPurchase}
	for _, k := range OrgKinds {
		if got, want := k.IsPublicBuyer(), slices.Contains(public, k); got != want {
			t.Errorf("%s.IsPublicBuyer() = %v; want %v", k, got, want)
		}
	}
}

func TestCheckEnum(t *testing.T) {
	if err := checkEnum("f", Intent(""), Intents, true); err != nil {
		t.Errorf("optional empty value: %v", err)
	}
	if err := checkEnum("f", Intent(""), Intents, false); ErrorCode(err) != EINVALID || ErrorField(err) != "f" {
		t.Errorf("required empty value: %v", err)
	}
	err := checkEnum("f", Intent("x"), Intents, true)
	if ErrorCode(err) != EINVALID || ErrorField(err) != "f" || fmt.Sprint(ErrorMsg(err).Args["choices"]) != "[explore plan budgeted decided]" {
		t.Errorf("unknown value: %v", err)
	}
}

func TestActorHelpers(t *testing.T) {
	broker := &User{Meta: Meta{ID: 9}, Email: "b@arena.se", PlatformRoles: []PlatformRole{RoleBroker}}
	a := &Actor{User: broker, Orgs: []OrgMembership{
		{UserID: 9, OrgID: 1, Role: OrgRoleMember},
		{UserID: 9, OrgID: 2, Role: OrgRoleAdmin},
	}}
	var anon *Actor
	sys := SystemActor()
	plain := &Actor{User: &User{Meta: Meta{ID: 3}}}

	if got := a.OrgIDs(); !slices.Equal(got, []int64{1, 2}) {
		t.Errorf("OrgIDs = %v", got)
	}
	if anon.OrgIDs() != nil || len(sys.OrgIDs()) != 0 {
		t.Error("OrgIDs of anonymous or system actor not empty")
	}
	for _, tc := range []struct {
		name        string
		a           *Actor
		org         int64
		in, isAdmin bool
	}{
		{"member org", a, 1, true, false},
		{"admin org", a, 2, true, true},
		{"other org", a, 3, false, false},
		{"anonymous", anon, 1, false, false},
		{"system", sys, 1, false, false},
		{"user without orgs", plain, 1, false, false},
	} {
		if got := tc.a.InOrg(tc.org); got != tc.in {
			t.Errorf("%s: InOrg(%d) = %v; want %v", tc.name, tc.org, got, tc.in)
		}
		if got := tc.a.IsOrgAdmin(tc.org); got != tc.isAdmin {
			t.Errorf("%s: IsOrgAdmin(%d) = %v; want %v", tc.name, tc.org, got, tc.isAdmin)
		}
	}
	for _, tc := range []struct {
		name string
		a    *Actor
		role PlatformRole
		want bool
	}{
		{"broker has broker", a, RoleBroker, true},
		{"broker lacks funder officer", a, RoleFunderOfficer, false},
		{"plain user lacks broker", plain, RoleBroker, false},
		{"anonymous lacks broker", anon, RoleBroker, false},
		{"actor without user lacks broker", &Actor{}, RoleBroker, false},
		{"system has broker", sys, RoleBroker, true},
		{"system has funder officer", sys, RoleFunderOfficer, true},
	} {
		if got := tc.a.Has(tc.role); got != tc.want {
			t.Errorf("%s: Has(%s) = %v; want %v", tc.name, tc.role, got, tc.want)
		}
	}
	if a.UserID() != 9 || anon.UserID() != 0 || sys.UserID() != 0 {
		t.Errorf("UserID = %d, %d, %d", a.UserID(), anon.UserID(), sys.UserID())
	}
}

func TestRequireActor(t *testing.T) {
	user := &Actor{User: &User{Meta: Meta{ID: 1}}}
	for _, tc := range []struct {
		name string
		ctx  context.Context
		ok   bool
	}{
		{"no actor", context.Background(), false},
		{"nil actor", WithActor(context.Background(), nil), false},
		{"anonymous actor", WithActor(context.Background(), &Actor{}), false},
		{"system actor", WithActor(context.Background(), SystemActor()), true},
		{"signed-in user", WithActor(context.Background(), user), true},
	} {
		a, err := RequireActor(tc.ctx)
		if tc.ok {
			if err != nil || a == nil || a != ActorFrom(tc.ctx) {
				t.Errorf("%s: RequireActor = %v, %v; want the actor", tc.name, a, err)
			}
			continue
		}
		if a != nil || ErrorCode(err) != EUNAUTHORIZED {
			t.Errorf("%s: RequireActor = %v, %v; want %s", tc.name, a, err, EUNAUTHORIZED)
		}
	}
	if ActorFrom(context.Background()) != nil {
		t.Error("ActorFrom of an empty context is not nil")
	}
}
