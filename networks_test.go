package arena

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// nwd returns the date y-m-d.
func nwd(y int, m time.Month, d int) Date { return NewDate(y, m, d) }

// nwp returns a pointer to the date y-m-d.
func nwp(y int, m time.Month, d int) *Date { return new(NewDate(y, m, d)) }

// nwToday is the clock of these tests.
var nwToday = nwd(2026, time.November, 27)

func nwTime(d Date) time.Time { return d.Time.Add(10 * time.Hour) }

func TestJointPurchasingPower(t *testing.T) {
	needs := map[int64]*Need{
		1: {Meta: Meta{ID: 1}, OrgID: 11, EstimatedValueSEK: new(int64(100)), Volume: new(10.0), VolumeUnit: "st", Intent: IntentPlan, PlannedDate: nwp(2027, 3, 1)},
		2: {Meta: Meta{ID: 2}, OrgID: 12, Volume: new(5.0), VolumeUnit: "st", Intent: IntentBudgeted, PlannedDate: nwp(2026, 12, 1)},
		3: {Meta: Meta{ID: 3}, OrgID: 13, EstimatedValueSEK: new(int64(50)), Volume: new(2.0), VolumeUnit: "m2"},
		4: {Meta: Meta{ID: 4}, OrgID: 14, EstimatedValueSEK: new(int64(1000)), Intent: IntentDecided, PlannedDate: nwp(2025, 1, 1)},
		5: {Meta: Meta{ID: 5}, OrgID: 15, EstimatedValueSEK: new(int64(2000)), Intent: IntentDecided},
		6: {Meta: Meta{ID: 6}, OrgID: 16, EstimatedValueSEK: new(int64(4000)), Intent: IntentDecided},
	}
	members := []NetworkMember{
		{OrgID: 11, NeedID: new(int64(1)), Status: MemberActive},
		{OrgID: 12, NeedID: new(int64(2)), Status: MemberActive},
		{OrgID: 13, NeedID: new(int64(3)), Status: MemberActive},
		{OrgID: 14, NeedID: new(int64(4)), Status: MemberLeft},
		{OrgID: 15, NeedID: new(int64(5)), Status: MemberDeclined},
		{OrgID: 16, NeedID: new(int64(6)), Status: MemberInvited},
		{OrgID: 17, Status: MemberActive},                         // no need
		{OrgID: 18, NeedID: new(int64(99)), Status: MemberActive}, // need unknown
	}
	got := JointPurchasingPower(members, needs)
	want := PurchasingPower{
		Members:  3,
		ValueSEK: 150,
		ByIntent: map[Intent]IntentTotal{
			IntentExplore:  {Needs: 1, ValueSEK: 50},
			IntentPlan:     {Needs: 1, ValueSEK: 100},
			IntentBudgeted: {Needs: 1, ValueSEK: 0},
			IntentDecided:  {},
		},
		Volumes:           []VolumeTotal{{Unit: "m2", Amount: 2}, {Unit: "st", Amount: 15}},
		Earliest:          nwp(2026, 12, 1),
		Latest:            nwp(2027, 3, 1),
		NeedsWithoutValue: 1,
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("JointPurchasingPower =\n%+v\nwant\n%+v", got, want)
	}

	// A member that leaves takes its need out of the totals.
	members[0].Status = MemberLeft
	got = JointPurchasingPower(members, needs)
	if got.Members != 2 || got.ValueSEK != 50 || got.ByIntent[IntentPlan] != (IntentTotal{}) ||
		!got.Earliest.Equal(nwd(2026, 12, 1).Time) || !got.Latest.Equal(nwd(2026, 12, 1).Time) ||
		!reflect.DeepEqual(got.Volumes, []VolumeTotal{{"m2", 2}, {"st", 5}}) {
		t.Fatalf("after leaving: %+v", got)
	}

	// A need that two members name counts once.
	members[0].Status = MemberActive
	members = append(members, NetworkMember{OrgID: 19, NeedID: new(int64(1)), Status: MemberActive})
	if got = JointPurchasingPower(members, needs); got.Members != 3 || got.ValueSEK != 150 {
		t.Fatalf("need named twice: %+v", got)
	}

	empty := JointPurchasingPower(nil, nil)
	if empty.Members != 0 || len(empty.ByIntent) != len(Intents) || empty.Volumes == nil || empty.Earliest != nil || empty.Latest != nil {
		t.Fatalf("empty: %+v", empty)
	}
}

// nwClassFixture is the input of Classify.
type nwClassFixture struct {
	n       Network
	members []NetworkMember
	orgs    map[int64]*Organization
	needs   map[int64]*Need
	periods []FundingPeriod
}

// nwTacticalFixture is a network formed from the needs of three kommuner.
func nwTacticalFixture() nwClassFixture {
	f := nwClassFixture{
		n:     Network{Meta: Meta{ID: 1}, Name: "Trygghetslarm", Kind: NetworkTactical, Status: NetworkActive},
		orgs:  map[int64]*Organization{},
		needs: map[int64]*Need{},
	}
	for i, id := range []int64{11, 12, 13} {
		f.orgs[id] = &Organization{Meta: Meta{ID: id}, Name: "Kommun", Kind: OrgKommun}
		nid := int64(100 + i)
		f.needs[nid] = &Need{Meta: Meta{ID: nid}, OrgID: id, Intent: IntentPlan, PlannedDate: nwp(2027, time.Month(3+i), 1)}
		f.members = append(f.members, NetworkMember{NetworkID: 1, OrgID: id, NeedID: new(nid), Role: MemberBuyer, Tier: TierCore, Status: MemberActive})
	}
	return f
}

// nwStrategicFixture is a long-running sector network of public and private actors.
func nwStrategicFixture() nwClassFixture {
	return nwClassFixture{
		n: Network{Meta: Meta{ID: 2}, Name: "Belok", Kind: NetworkStrategic, Status: NetworkActive,
			Sector: "Energieffektiva lokaler", StartYear: new(2001)},
		orgs: map[int64]*Organization{
			21: {Name: "Energimyndigheten", Kind: OrgAgency},
			22: {Name: "Akademiska Hus", Kind: OrgMunicipalCo},
			23: {Name: "Vasakronan", Kind: OrgCompany},
			24: {Name: "KTH", Kind: OrgAcademia},
			25: {Name: "Konsult AB", Kind: OrgCompany},
		},
		members: []NetworkMember{
			{OrgID: 21, Role: MemberFunder, Status: MemberActive},
			{OrgID: 22, Role: MemberBuyer, Status: MemberActive},
			{OrgID: 23, Role: MemberBuyer, Status: MemberActive},
			{OrgID: 24, Role: MemberResearcher, Tier: TierObserver, Status: MemberActive},
			{OrgID: 25, Role: MemberCoordinator, Status: MemberActive},
		},
		needs: map[int64]*Need{},
	}
}

func TestClassify(t *testing.T) {
	type reasonWant struct {
		criterion string
		kind      NetworkKind
	}
	cases := []struct {
		name      string
		fixture   func() nwClassFixture
		mod       func(*nwClassFixture)
		kind      NetworkKind
		disagrees bool
		scores    [2]int // strategic, tactical
		reasons   []reasonWant
		text      string // a Swedish fact one reason must state
	}{
		{"tactical network from three needs", nwTacticalFixture, nil, NetworkTactical, false, [2]int{0, 5},
			[]reasonWant{{CriterionTimeHorizon, NetworkTactical}, {CriterionScope, NetworkTactical}, {CriterionMembers, NetworkTactical}, {CriterionBenefit, NetworkTactical}},
			"class.all_public {n=3}"},
		{"declared strategic, facts tactical", nwTacticalFixture, func(f *nwClassFixture) { f.n.Kind = NetworkStrategic }, NetworkTactical, true, [2]int{0, 5}, nil, ""},
		{"strategic sector network", nwStrategicFixture, nil, NetworkStrategic, false, [2]int{4, 0},
			[]reasonWant{{CriterionTimeHorizon, NetworkStrategic}, {CriterionScope, NetworkStrategic}, {CriterionMembers, NetworkStrategic}},
			"class.mixed {kinds=[org_kind.foretag org_kind.larosate_institut], n=3, other=2}"},
		{"declared tactical, facts strategic", nwStrategicFixture, func(f *nwClassFixture) { f.n.Kind = NetworkTactical }, NetworkStrategic, true, [2]int{4, 0}, nil, ""},
		{"start year five years back is long-running", nwStrategicFixture, func(f *nwClassFixture) { f.n.StartYear = new(2021) }, NetworkStrategic, false, [2]int{4, 0}, nil, "class.running_since {start=2021, years=5}"},
		{"start year four years back is not", nwStrategicFixture, func(f *nwClassFixture) { f.n.StartYear = new(2022) }, NetworkStrategic, false, [2]int{2, 0},
			[]reasonWant{{CriterionScope, NetworkStrategic}, {CriterionMembers, NetworkStrategic}}, ""},
		{"ended network without end year has no horizon", nwStrategicFixture, func(f *nwClassFixture) { f.n.Status = NetworkEnded }, NetworkStrategic, false, [2]int{2, 0}, nil, ""},
		{"end year after four years is time-limited", nwStrategicFixture, func(f *nwClassFixture) { f.n.StartYear, f.n.EndYear = new(2018), new(2022) }, NetworkStrategic, false, [2]int{2, 2},
			[]reasonWant{{CriterionTimeHorizon, NetworkTactical}, {CriterionScope, NetworkStrategic}, {CriterionMembers, NetworkStrategic}}, "class.time_limited {end=2022, start=2018}"},
		{"end year after five years is long-term", nwStrategicFixture, func(f *nwClassFixture) { f.n.StartYear, f.n.EndYear = new(2017), new(2022) }, NetworkStrategic, false, [2]int{4, 0}, nil, "class.long_span {end=2022, start=2017, years=5}"},
		{"end year without start year", nwTacticalFixture, func(f *nwClassFixture) { f.n.EndYear = new(2027) }, NetworkTactical, false, [2]int{0, 5}, nil, "class.end_year {end=2027}"},
		{"needs planned exactly two years ahead", nwTacticalFixture, func(f *nwClassFixture) { f.needs[102].PlannedDate = nwp(2028, 11, 27) }, NetworkTactical, false, [2]int{0, 5}, nil, "class.needs_soon {latest=2028-11-27, n=3}"},
		{"a need planned two years and a day ahead", nwTacticalFixture, func(f *nwClassFixture) { f.needs[102].PlannedDate = nwp(2028, 11, 28) }, NetworkTactical, false, [2]int{0, 3},
			[]reasonWant{{CriterionScope, NetworkTactical}, {CriterionMembers, NetworkTactical}, {CriterionBenefit, NetworkTactical}}, ""},
		{"a need without planned date", nwTacticalFixture, func(f *nwClassFixture) { f.needs[101].PlannedDate = nil }, NetworkTactical, false, [2]int{0, 3}, nil, ""},
		{"time-limited funding", nwTacticalFixture, func(f *nwClassFixture) {
			f.needs[101].PlannedDate = nil
			f.periods = []FundingPeriod{{EndDate: nwp(2026, 12, 31)}, {StartDate: nwp(2025, 1, 1), EndDate: nwp(2027, 6, 30)}}
		}, NetworkTactical, false, [2]int{0, 5}, nil, "class.funding_limited {last=2027-06-30}"},
		{"open-ended funding says nothing", nwTacticalFixture, func(f *nwClassFixture) {
			f.needs[101].PlannedDate = nil
			f.periods = []FundingPeriod{{EndDate: nwp(2026, 12, 31)}, {StartDate: nwp(2025, 1, 1)}}
		}, NetworkTactical, false, [2]int{0, 3}, nil, ""},
		{"explorers only: benefit in knowledge", nwTacticalFixture, func(f *nwClassFixture) {
			for _, n := range f.needs {
				n.Intent = IntentExplore
			}
			f.needs[100].Intent = IntentDecided
		}, NetworkTactical, false, [2]int{1, 4}, nil, "class.exploring {buying=1, n=3}"},
		{"half with intent is enough", nwTacticalFixture, func(f *nwClassFixture) {
			f.needs[100].Intent, f.needs[101].Intent = IntentExplore, IntentExplore
			f.members = f.members[1:] // two needs: one explore, one plan
		}, NetworkTactical, false, [2]int{0, 5}, nil, "class.buying {buying=1, n=2}"},
		{"invited members count, declined and left do not", nwTacticalFixture, func(f *nwClassFixture) {
			f.members[0].Status = MemberInvited
			f.orgs[14] = &Organization{Name: "Bolaget AB", Kind: OrgCompany}
			f.orgs[15] = &Organization{Name: "Högskolan", Kind: OrgAcademia}
			f.members = append(f.members,
				NetworkMember{OrgID: 14, Role: MemberSupplier, Status: MemberDeclined},
				NetworkMember{OrgID: 15, Role: MemberResearcher, Status: MemberLeft})
		}, NetworkTactical, false, [2]int{0, 5}, nil, "class.all_public {n=3}"},
		{"a supplier member makes it mixed", nwTacticalFixture, func(f *nwClassFixture) {
			f.orgs[14] = &Organization{Name: "Bolaget AB", Kind: OrgCompany}
			f.members = append(f.members, NetworkMember{OrgID: 14, Role: MemberSupplier, Status: MemberActive})
		}, NetworkTactical, false, [2]int{1, 4}, nil, "class.mixed {kinds=[org_kind.foretag], n=4, other=1}"},
		{"funders and coordinators are not members", nwTacticalFixture, func(f *nwClassFixture) {
			f.orgs[14] = &Organization{Name: "Konsult AB", Kind: OrgCompany}
			f.members = append(f.members, NetworkMember{OrgID: 14, Role: MemberCoordinator, Status: MemberActive})
		}, NetworkTactical, false, [2]int{0, 5}, nil, "class.all_public {n=3}"},
		{"not every buyer brought a need but few needs", nwTacticalFixture, func(f *nwClassFixture) {
			f.orgs[14] = &Organization{Name: "Kommun", Kind: OrgKommun}
			f.members = append(f.members, NetworkMember{OrgID: 14, Role: MemberBuyer, Status: MemberActive})
		}, NetworkTactical, false, [2]int{0, 5}, nil, "class.few_needs {n=3}"},
		{"many needs, few of the buyers", nwTacticalFixture, func(f *nwClassFixture) {
			for i := int64(0); i < 10; i++ {
				id, nid := 30+i, 200+i
				f.orgs[id] = &Organization{Name: "Kommun", Kind: OrgKommun}
				f.members = append(f.members, NetworkMember{OrgID: id, Role: MemberBuyer, Status: MemberActive})
				if i < 3 {
					f.needs[nid] = &Need{OrgID: id, Intent: IntentPlan, PlannedDate: nwp(2027, 1, 1)}
					f.members[len(f.members)-1].NeedID = new(nid)
				}
			}
		}, NetworkTactical, false, [2]int{1, 4}, nil, "class.broad {buyers=13, n=6, with=6}"},
		{"sub-group of a strategic network", func() nwClassFixture {
			f := nwStrategicFixture()
			f.n.Kind, f.n.ParentID, f.n.StartYear = NetworkTactical, new(int64(2)), nil
			f.members = f.members[:2] // the funder and one municipal company
			return f
		}, nil, NetworkTactical, false, [2]int{0, 2}, []reasonWant{{CriterionScope, NetworkTactical}, {CriterionMembers, NetworkTactical}}, "class.sub_group"},
		{"no buyers at all: benefit in the market", func() nwClassFixture {
			f := nwStrategicFixture()
			f.members = []NetworkMember{f.members[0], {OrgID: 23, Role: MemberBuyer, Status: MemberActive}}
			return f
		}, nil, NetworkStrategic, false, [2]int{5, 0}, nil, "class.no_public_buyer"},
		{"one weak criterion keeps the declared kind", func() nwClassFixture {
			return nwClassFixture{n: Network{Name: "KEINO", Kind: NetworkTactical, Sector: "Upphandling", Status: NetworkEnded, StartYear: new(2018)}}
		}, nil, NetworkTactical, false, [2]int{1, 0}, []reasonWant{{CriterionScope, NetworkStrategic}}, ""},
		{"nothing to go on", func() nwClassFixture {
			return nwClassFixture{n: Network{Name: "Tomt", Kind: NetworkTactical}}
		}, nil, NetworkTactical, false, [2]int{0, 0}, []reasonWant{}, ""},
		{"undeclared tie is strategic", func() nwClassFixture {
			return nwClassFixture{n: Network{Name: "Tomt"}}
		}, nil, NetworkStrategic, false, [2]int{0, 0}, []reasonWant{}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.fixture()
			if tc.mod != nil {
				tc.mod(&f)
			}
			c := Classify(&f.n, f.members, f.orgs, f.needs, f.periods, nwToday)
			if c.Kind != tc.kind || c.Disagrees != tc.disagrees {
				t.Errorf("Kind, Disagrees = %s, %v; want %s, %v", c.Kind, c.Disagrees, tc.kind, tc.disagrees)
			}
			if got := [2]int{c.Scores[NetworkStrategic], c.Scores[NetworkTactical]}; got != tc.scores || len(c.Scores) != 2 {
				t.Errorf("Scores = %v; want strategic %d, tactical %d", c.Scores, tc.scores[0], tc.scores[1])
			}
			if tc.reasons != nil {
				got := []reasonWant{}
				for _, r := range c.Reasons {
					got = append(got, reasonWant{r.Criterion, r.Kind})
				}
				if !reflect.DeepEqual(got, tc.reasons) {
					t.Errorf("reasons = %v; want %v", got, tc.reasons)
				}
			}
			found := tc.text == ""
			for _, r := range c.Reasons {
				if !strings.HasPrefix(r.Key, "class.") || r.Weight <= 0 {
					t.Errorf("reason %+v lacks a message or weight", r)
				}
				found = found || strings.Contains(r.Msg.String(), tc.text)
			}
			if !found {
				t.Errorf("no reason says %q: %+v", tc.text, c.Reasons)
			}
			if c.Reasons == nil {
				t.Errorf("Reasons is nil; want an empty list")
			}
		})
	}
}

// nwPrereqFixture is a tactical network that lacks nothing.
type nwPrereqFixture struct {
	n       Network
	members []NetworkMember
	plan    *NetworkPlan
	periods []FundingPeriod
	orgs    map[int64]*Organization
}

func nwPrereqBase() nwPrereqFixture {
	return nwPrereqFixture{
		n: Network{Meta: Meta{ID: 1}, Name: "Konstgräs", Kind: NetworkTactical, Status: NetworkActive, OwnerOrgID: new(int64(11))},
		members: []NetworkMember{
			{OrgID: 11, Role: MemberBuyer, Tier: TierCore, Status: MemberActive, Mandate: true},
			{OrgID: 12, Role: MemberBuyer, Tier: TierObserver, Status: MemberActive, ManagementSponsor: "Kommundirektören"},
			{OrgID: 13, Role: MemberSupplier, Tier: TierObserver, Status: MemberActive},
		},
		plan:    &NetworkPlan{NetworkID: 1, Rules: "Vi delar allt.", Responsibilities: []Responsibility{{Who: "Falun", What: "Kravspecifikation"}}},
		periods: []FundingPeriod{{StartDate: nwp(2026, 1, 1), EndDate: nwp(2027, 12, 31)}},
		orgs: map[int64]*Organization{
			11: {Name: "Falu kommun", Kind: OrgKommun},
			12: {Name: "Region Dalarna", Kind: OrgRegion},
			13: {Name: "Gräs AB", Kind: OrgCompany},
			14: {Name: "Borlänge kommun", Kind: OrgKommun},
			15: {Name: "FC Klubben", Kind: OrgAssociation},
		},
	}
}

func TestPrerequisites(t *testing.T) {
	cases := []struct {
		name  string
		mod   func(*nwPrereqFixture)
		codes []string
		org   int64  // OrgID of the member gap
		text  string // a text one gap must contain
	}{
		{"nothing missing", nil, nil, 0, ""},
		{"only observers", func(f *nwPrereqFixture) { f.members[0].Tier = TierObserver }, []string{GapNoCoreGroup}, 0, ""},
		{"the core member only invited", func(f *nwPrereqFixture) { f.members[0].Status = MemberInvited }, []string{GapNoCoreGroup}, 0, ""},
		{"the core member left", func(f *nwPrereqFixture) { f.members[0].Status = MemberLeft }, []string{GapNoCoreGroup}, 0, ""},
		{"no members", func(f *nwPrereqFixture) { f.members = nil }, []string{GapNoCoreGroup}, 0, ""},
		{"no tier means core", func(f *nwPrereqFixture) { f.members[0].Tier = "" }, nil, 0, ""},
		{"no owner of a tactical network", func(f *nwPrereqFixture) { f.n.OwnerOrgID = nil }, []string{GapNoOwner}, 0, "gap_text.no_owner.tactical"},
		{"no owner of a strategic network", func(f *nwPrereqFixture) { f.n.OwnerOrgID, f.n.Kind = nil, NetworkStrategic }, []string{GapNoOwner}, 0, "gap_text.no_owner.strategic"},
		{"funding ends 12 months ahead", func(f *nwPrereqFixture) { f.periods[0].EndDate = nwp(2027, 11, 27) }, nil, 0, ""},
		{"funding ends a day short", func(f *nwPrereqFixture) { f.periods[0].EndDate = nwp(2027, 11, 26) }, []string{GapNoFundingAhead}, 0, "gap_text.no_funding_ahead {from=2026-11-27, to=2027-11-27, undated=0}"},
		{"funding starts tomorrow", func(f *nwPrereqFixture) { f.periods[0].StartDate = nwp(2026, 11, 28) }, []string{GapNoFundingAhead}, 0, ""},
		{"funding starts today", func(f *nwPrereqFixture) { f.periods[0].StartDate = nwp(2026, 11, 27) }, nil, 0, ""},
		{"two periods back to back", func(f *nwPrereqFixture) {
			f.periods = []FundingPeriod{{StartDate: nwp(2027, 1, 1), EndDate: nwp(2028, 1, 1)}, {EndDate: nwp(2026, 12, 31)}}
		}, nil, 0, ""},
		{"one period ends today, the next starts tomorrow", func(f *nwPrereqFixture) {
			f.periods = []FundingPeriod{{StartDate: nwp(2026, 11, 28), EndDate: nwp(2028, 1, 1)}, {EndDate: nwp(2026, 11, 27)}}
		}, nil, 0, ""},
		{"two periods with a day between", func(f *nwPrereqFixture) {
			f.periods = []FundingPeriod{{StartDate: nwp(2027, 1, 2), EndDate: nwp(2028, 1, 1)}, {EndDate: nwp(2026, 12, 31)}}
		}, []string{GapNoFundingAhead}, 0, ""},
		{"open-ended period", func(f *nwPrereqFixture) { f.periods = []FundingPeriod{{StartDate: nwp(2020, 1, 1)}} }, nil, 0, ""},
		{"only an undated period", func(f *nwPrereqFixture) { f.periods = []FundingPeriod{{Note: "basfinansiering"}} }, []string{GapNoFundingAhead}, 0, "gap_text.no_funding_ahead.undated {from=2026-11-27, to=2027-11-27, undated=1}"},
		{"no periods", func(f *nwPrereqFixture) { f.periods = nil }, []string{GapNoFundingAhead}, 0, ""},
		{"tactical ending this year needs money until 31 December", func(f *nwPrereqFixture) {
			f.n.EndYear, f.periods[0].EndDate = new(2026), nwp(2026, 12, 31)
		}, nil, 0, ""},
		{"tactical ending this year, money stops before", func(f *nwPrereqFixture) {
			f.n.EndYear, f.periods[0].EndDate = new(2026), nwp(2026, 12, 30)
		}, []string{GapNoFundingAhead}, 0, "to=2026-12-31"},
		{"strategic with an end year still needs 12 months", func(f *nwPrereqFixture) {
			f.n.Kind, f.n.EndYear, f.periods[0].EndDate = NetworkStrategic, new(2026), nwp(2026, 12, 31)
		}, []string{GapNoFundingAhead}, 0, ""},
		{"tactical past its end year still needs 12 months", func(f *nwPrereqFixture) {
			f.n.EndYear, f.periods[0].EndDate = new(2025), nwp(2026, 12, 31)
		}, []string{GapNoFundingAhead}, 0, ""},
		{"no plan", func(f *nwPrereqFixture) { f.plan = nil }, []string{GapNoPlan}, 0, "gap_text.no_plan"},
		{"plan without rules", func(f *nwPrereqFixture) { f.plan.Rules = "  " }, []string{GapNoPlan}, 0, "gap_text.no_plan.rules"},
		{"plan without responsibilities", func(f *nwPrereqFixture) { f.plan.Responsibilities = nil }, []string{GapNoPlan}, 0, "gap_text.no_plan.responsibilities"},
		{"empty plan", func(f *nwPrereqFixture) { f.plan = &NetworkPlan{NetworkID: 1, Goal: "Mål"} }, []string{GapNoPlan}, 0, "gap_text.no_plan.empty"},
		{"public buyer without mandate or sponsor", func(f *nwPrereqFixture) {
			f.members = append(f.members, NetworkMember{OrgID: 14, Role: MemberBuyer, Tier: TierObserver, Status: MemberActive})
		}, []string{GapMemberWithoutMandate}, 14, "gap_text.member_without_mandate {org=Borlänge kommun}"},
		{"no role means buyer", func(f *nwPrereqFixture) {
			f.members = append(f.members, NetworkMember{OrgID: 14, Status: MemberActive})
		}, []string{GapMemberWithoutMandate}, 14, ""},
		{"public buyer without mandate but with sponsor", func(f *nwPrereqFixture) {
			f.members = append(f.members, NetworkMember{OrgID: 14, Role: MemberBuyer, Status: MemberActive, ManagementSponsor: "KSO"})
		}, nil, 0, ""},
		{"private buyer without mandate", func(f *nwPrereqFixture) {
			f.members = append(f.members, NetworkMember{OrgID: 15, Role: MemberBuyer, Status: MemberActive})
		}, nil, 0, ""},
		{"researcher role without mandate", func(f *nwPrereqFixture) {
			f.members = append(f.members, NetworkMember{OrgID: 14, Role: MemberResearcher, Status: MemberActive})
		}, nil, 0, ""},
		{"invited buyer without mandate", func(f *nwPrereqFixture) {
			f.members = append(f.members, NetworkMember{OrgID: 14, Role: MemberBuyer, Status: MemberInvited})
		}, nil, 0, ""},
		{"everything missing", func(f *nwPrereqFixture) {
			f.n.OwnerOrgID, f.plan, f.periods = nil, nil, nil
			f.members = []NetworkMember{{OrgID: 14, Role: MemberBuyer, Tier: TierObserver, Status: MemberActive}}
		}, []string{GapNoCoreGroup, GapNoOwner, GapNoFundingAhead, GapNoPlan, GapMemberWithoutMandate}, 14, ""},
		{"closed network", func(f *nwPrereqFixture) { f.n.Status, f.n.OwnerOrgID, f.plan = NetworkClosed, nil, nil }, nil, 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := nwPrereqBase()
			if tc.mod != nil {
				tc.mod(&f)
			}
			gaps := Prerequisites(&f.n, f.members, f.plan, f.periods, f.orgs, nwToday)
			if gaps == nil {
				t.Fatal("Prerequisites returned nil; want an empty list")
			}
			codes := []string{}
			found := tc.text == ""
			for _, g := range gaps {
				codes = append(codes, g.Code)
				if !strings.HasPrefix(g.Key, "gap_text."+g.Code) {
					t.Errorf("gap %+v lacks its message", g)
				}
				if g.Code == GapMemberWithoutMandate && g.OrgID != tc.org {
					t.Errorf("gap %+v: OrgID %d; want %d", g, g.OrgID, tc.org)
				}
				if g.Code != GapMemberWithoutMandate && g.OrgID != 0 {
					t.Errorf("gap %+v names an organisation", g)
				}
				found = found || strings.Contains(g.Msg.String(), tc.text)
			}
			if tc.codes == nil {
				tc.codes = []string{}
			}
			if !reflect.DeepEqual(codes, tc.codes) {
				t.Errorf("gaps = %v; want %v", codes, tc.codes)
			}
			if !found {
				t.Errorf("no gap says %q: %+v", tc.text, gaps)
			}
		})
	}
}

// nwAlertFixture is a healthy network: funded for long, active, members with
// mandate, no call closing soon.
type nwAlertFixture struct {
	n          Network
	members    []NetworkMember
	periods    []FundingPeriod
	activities []Activity
	calls      []FundingCall
	fits       map[int64]bool
	today      Date
}

func nwAlertBase() nwAlertFixture {
	return nwAlertFixture{
		n: Network{Meta: Meta{ID: 7, CreatedAt: nwTime(nwd(2025, 1, 1))}, Name: "Nätverket", Kind: NetworkTactical, Status: NetworkActive},
		members: []NetworkMember{
			{OrgID: 11, Status: MemberActive, Mandate: true},
			{OrgID: 12, Status: MemberActive, Mandate: true},
		},
		periods:    []FundingPeriod{{StartDate: nwp(2025, 1, 1), EndDate: nwp(2028, 12, 31)}},
		activities: []Activity{{Meta: Meta{CreatedAt: nwTime(nwd(2026, 10, 1)), UpdatedAt: nwTime(nwd(2026, 10, 1))}, Kind: ActivityRFI, Status: ActivityDone}},
		calls: []FundingCall{
			{Meta: Meta{ID: 31}, Title: "Checkar för innovationsupphandling", ClosesDate: nwp(2027, 3, 1)},
		},
		fits:  map[int64]bool{31: true},
		today: nwToday,
	}
}

// nwAlertOrgs are the organisations of the alert fixture's members.
var nwAlertOrgs = map[int64]*Organization{11: {Name: "Falu kommun"}, 12: {Name: "Mölndals stad"}}

// nwAlertWant is what TestNetworkAlerts checks of an alert.
type nwAlertWant struct {
	kind string
	due  *Date
	org  int64
	call int64
}

func (w nwAlertWant) String() string {
	due := "-"
	if w.due != nil {
		due = w.due.String()
	}
	return fmt.Sprintf("{%s due=%s org=%d call=%d}", w.kind, due, w.org, w.call)
}

func TestNetworkAlerts(t *testing.T) {
	type want = nwAlertWant
	onlyActivity := func(f *nwAlertFixture, start, end *Date, updated Date, status ActivityStatus) {
		f.n.CreatedAt = nwTime(nwd(2020, 1, 1))
		f.activities = []Activity{{Meta: Meta{CreatedAt: nwTime(nwd(2020, 1, 1)), UpdatedAt: nwTime(updated)}, StartDate: start, EndDate: end, Status: status}}
	}
	cases := []struct {
		name string
		mod  func(*nwAlertFixture)
		want []want
		text string
	}{
		{"healthy", nil, nil, ""},
		// funding: ends within (today-1, today+6 months]
		{"funding ends exactly 6 months ahead", func(f *nwAlertFixture) { f.periods[0].EndDate = nwp(2027, 5, 27) },
			[]want{{kind: AlertFundingEndsSoon, due: nwp(2027, 5, 27)}}, "days=181"},
		{"funding ends 6 months and a day ahead", func(f *nwAlertFixture) { f.periods[0].EndDate = nwp(2027, 5, 28) }, nil, ""},
		{"funding ends tomorrow", func(f *nwAlertFixture) { f.periods[0].EndDate = nwp(2026, 11, 28) },
			[]want{{kind: AlertFundingEndsSoon, due: nwp(2026, 11, 28)}}, "days=1,"},
		{"funding ends today", func(f *nwAlertFixture) { f.periods[0].EndDate = nwp(2026, 11, 27) },
			[]want{{kind: AlertFundingEndsSoon, due: nwp(2026, 11, 27)}}, ""},
		{"funding ended yesterday", func(f *nwAlertFixture) { f.periods[0].EndDate = nwp(2026, 11, 26) },
			[]want{{kind: AlertFundingEnded, due: nwp(2026, 11, 26)}}, "alert_text.funding_ended {date=2026-11-26"},
		{"the latest period decides", func(f *nwAlertFixture) {
			f.periods = []FundingPeriod{{EndDate: nwp(2022, 12, 31)}, {StartDate: nwp(2023, 1, 1), EndDate: nwp(2027, 2, 1)}}
		}, []want{{kind: AlertFundingEndsSoon, due: nwp(2027, 2, 1)}}, ""},
		{"an open-ended period keeps it funded", func(f *nwAlertFixture) {
			f.periods = []FundingPeriod{{EndDate: nwp(2022, 12, 31)}, {StartDate: nwp(2023, 1, 1)}}
		}, nil, ""},
		{"undated periods do not count", func(f *nwAlertFixture) {
			f.periods = []FundingPeriod{{EndDate: nwp(2022, 12, 31)}, {Note: "vissa projekt"}}
		}, []want{{kind: AlertFundingEnded, due: nwp(2022, 12, 31)}}, ""},
		{"no periods, no funding alert", func(f *nwAlertFixture) { f.periods = nil }, nil, ""},
		{"only undated periods, no funding alert", func(f *nwAlertFixture) { f.periods = []FundingPeriod{{}} }, nil, ""},
		{"month end clamps: 31 August + 6 months is 28 February", func(f *nwAlertFixture) {
			f.today = nwd(2026, 8, 31)
			f.periods[0].EndDate = nwp(2027, 2, 28)
		}, []want{{kind: AlertFundingEndsSoon, due: nwp(2027, 2, 28)}}, ""},
		{"month end clamps: 1 March is too far", func(f *nwAlertFixture) {
			f.today = nwd(2026, 8, 31)
			f.periods[0].EndDate = nwp(2027, 3, 1)
		}, nil, ""},
		// inactivity: last sign of life more than 90 days back
		{"no activities, created 90 days ago", func(f *nwAlertFixture) {
			f.activities, f.n.CreatedAt = nil, nwTime(nwd(2026, 8, 29))
		}, nil, ""},
		{"no activities, created 91 days ago", func(f *nwAlertFixture) {
			f.activities, f.n.CreatedAt = nil, nwTime(nwd(2026, 8, 28))
		}, []want{{kind: AlertInactive, due: nwp(2026, 8, 28)}}, "alert_text.inactive {date=2026-08-28, days=91"},
		{"no activities and no creation time", func(f *nwAlertFixture) { f.activities, f.n.CreatedAt = nil, time.Time{} }, nil, ""},
		{"activity updated 90 days ago", func(f *nwAlertFixture) { onlyActivity(f, nil, nil, nwd(2026, 8, 29), ActivityDone) }, nil, ""},
		{"activity updated 91 days ago", func(f *nwAlertFixture) { onlyActivity(f, nil, nil, nwd(2026, 8, 28), ActivityDone) },
			[]want{{kind: AlertInactive, due: nwp(2026, 8, 28)}}, ""},
		{"activity ended 90 days ago", func(f *nwAlertFixture) {
			onlyActivity(f, nwp(2026, 1, 1), nwp(2026, 8, 29), nwd(2026, 1, 1), ActivityDone)
		}, nil, ""},
		{"activity started 90 days ago", func(f *nwAlertFixture) {
			onlyActivity(f, nwp(2026, 8, 29), nil, nwd(2026, 1, 1), ActivityOngoing)
		}, nil, ""},
		{"activity planned for next month", func(f *nwAlertFixture) {
			onlyActivity(f, nwp(2026, 12, 15), nil, nwd(2026, 1, 1), ActivityPlanned)
		}, nil, ""},
		{"a cancelled activity's dates do not count", func(f *nwAlertFixture) {
			onlyActivity(f, nwp(2026, 12, 15), nil, nwd(2026, 1, 1), ActivityCancelled)
		}, []want{{kind: AlertInactive, due: nwp(2026, 1, 1)}}, ""},
		// mandate
		{"one member without mandate", func(f *nwAlertFixture) { f.members[1].Mandate = false; f.members[1].ContactName = "Anna" },
			[]want{{kind: AlertMembersWithoutMandate, org: 12}}, "alert_text.members_without_mandate {n=1, names=[Mölndals stad]}"},
		{"two members without mandate, one alert", func(f *nwAlertFixture) {
			f.members[0].Mandate, f.members[1].Mandate = false, false
			f.members = append(f.members, NetworkMember{OrgID: 13, Status: MemberLeft}, NetworkMember{OrgID: 14, Status: MemberInvited})
		}, []want{{kind: AlertMembersWithoutMandate}}, "alert_text.members_without_mandate {n=2, names=[Falu kommun Mölndals stad]}"},
		{"members who left or are invited are not asked for a mandate", func(f *nwAlertFixture) {
			f.members = append(f.members, NetworkMember{OrgID: 13, Status: MemberLeft}, NetworkMember{OrgID: 14, Status: MemberInvited})
		}, nil, ""},
		// call deadlines: closes in [today, today+30 days]
		{"call closes today", func(f *nwAlertFixture) { f.calls[0].ClosesDate = nwp(2026, 11, 27) },
			[]want{{kind: AlertCallDeadline, due: nwp(2026, 11, 27), call: 31}}, "date=2026-11-27, days=0"},
		{"call closes in 30 days", func(f *nwAlertFixture) { f.calls[0].ClosesDate = nwp(2026, 12, 27) },
			[]want{{kind: AlertCallDeadline, due: nwp(2026, 12, 27), call: 31}}, "call=Checkar för innovationsupphandling"},
		{"call closes in 31 days", func(f *nwAlertFixture) { f.calls[0].ClosesDate = nwp(2026, 12, 28) }, nil, ""},
		{"call closed yesterday", func(f *nwAlertFixture) { f.calls[0].ClosesDate = nwp(2026, 11, 26) }, nil, ""},
		{"call that does not fit", func(f *nwAlertFixture) { f.calls[0].ClosesDate, f.fits = nwp(2026, 12, 1), nil }, nil, ""},
		{"call without closing date", func(f *nwAlertFixture) { f.calls[0].ClosesDate = nil }, nil, ""},
		{"calls by closing date", func(f *nwAlertFixture) {
			f.calls = []FundingCall{
				{Meta: Meta{ID: 33}, Title: "C", ClosesDate: nwp(2026, 12, 20)},
				{Meta: Meta{ID: 32}, Title: "B", ClosesDate: nwp(2026, 12, 1)},
				{Meta: Meta{ID: 34}, Title: "D", ClosesDate: nwp(2026, 12, 5)},
			}
			f.fits = map[int64]bool{32: true, 33: true}
		}, []want{{kind: AlertCallDeadline, due: nwp(2026, 12, 1), call: 32}, {kind: AlertCallDeadline, due: nwp(2026, 12, 20), call: 33}}, ""},
		// all at once, in order; and none for a closed network
		{"everything wrong", func(f *nwAlertFixture) {
			f.periods[0].EndDate = nwp(2026, 1, 1)
			f.activities, f.n.CreatedAt = nil, nwTime(nwd(2025, 1, 1))
			f.members[0].Mandate = false
			f.calls[0].ClosesDate = nwp(2026, 12, 1)
		}, []want{{kind: AlertFundingEnded, due: nwp(2026, 1, 1)}, {kind: AlertInactive, due: nwp(2025, 1, 1)}, {kind: AlertMembersWithoutMandate, org: 11}, {kind: AlertCallDeadline, due: nwp(2026, 12, 1), call: 31}}, ""},
		{"closed network", func(f *nwAlertFixture) {
			f.n.Status = NetworkClosed
			f.periods[0].EndDate = nwp(2026, 1, 1)
			f.activities = nil
			f.members[0].Mandate = false
			f.calls[0].ClosesDate = nwp(2026, 12, 1)
		}, nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := nwAlertBase()
			if tc.mod != nil {
				tc.mod(&f)
			}
			alerts := NetworkAlerts(&f.n, f.members, nwAlertOrgs, f.periods, f.activities, f.calls, f.fits, f.today)
			if alerts == nil {
				t.Fatal("NetworkAlerts returned nil; want an empty list")
			}
			got := []want{}
			found := tc.text == ""
			for _, a := range alerts {
				got = append(got, want{a.Kind, a.Due, a.OrgID, a.CallID})
				if a.NetworkID != f.n.ID {
					t.Errorf("alert %+v: NetworkID %d; want %d", a, a.NetworkID, f.n.ID)
				}
				if a.Msg.String() != a.Message().String() || a.Key != "alert_text."+a.Kind {
					t.Errorf("alert %+v: its message does not follow from its facts", a)
				}
				found = found || strings.Contains(a.Msg.String(), tc.text)
			}
			if tc.want == nil {
				tc.want = []want{}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("alerts = %v; want %v", got, tc.want)
			}
			if !found {
				t.Errorf("no alert says %q: %+v", tc.text, alerts)
			}
		})
	}
}

// nwProc returns a procurement that has reached stage s, one stage a month
// from January 2026.
func nwProc(s ProcurementStage) MemberProcurement {
	p := MemberProcurement{NetworkID: 1, OrgID: 11, Kind: FollowOwnProcurement}
	for i, st := range ProcurementStages[:5] {
		if slices.Index(ProcurementStages, s) < i && s != StageWithdrawn {
			break
		}
		if s == StageWithdrawn && i > 0 {
			break
		}
		if err := p.Advance(st, nwd(2026, time.Month(i+1), 1), ""); err != nil {
			panic(err)
		}
	}
	if s == StageWithdrawn {
		if err := p.Advance(StageWithdrawn, nwd(2026, 2, 1), "budget"); err != nil {
			panic(err)
		}
	}
	return p
}

func TestCanMoveTo(t *testing.T) {
	cases := []struct {
		name  string
		from  ProcurementStage // "" means not started
		next  ProcurementStage
		on    Date
		field string // "" when allowed
	}{
		{"start as planned", "", StagePlanned, nwd(2026, 1, 1), ""},
		{"start as announced", "", StageAnnounced, nwd(2026, 1, 1), "stage"},
		{"withdraw before starting", "", StageWithdrawn, nwd(2026, 1, 1), "stage"},
		{"planned to announced", StagePlanned, StageAnnounced, nwd(2026, 2, 1), ""},
		{"announced on the planned date", StagePlanned, StageAnnounced, nwd(2026, 1, 1), ""},
		{"announced before the planned date", StagePlanned, StageAnnounced, nwd(2025, 12, 31), "announced_date"},
		{"announced without a date", StagePlanned, StageAnnounced, Date{}, "announced_date"},
		{"planned to awarded skips announced", StagePlanned, StageAwarded, nwd(2026, 3, 1), "stage"},
		{"planned to implemented", StagePlanned, StageImplemented, nwd(2026, 3, 1), "stage"},
		{"planned to evaluated", StagePlanned, StageEvaluated, nwd(2026, 3, 1), "stage"},
		{"announced to awarded", StageAnnounced, StageAwarded, nwd(2026, 3, 1), ""},
		{"awarded before announced date", StageAnnounced, StageAwarded, nwd(2026, 1, 31), "awarded_date"},
		{"announced back to planned", StageAnnounced, StagePlanned, nwd(2026, 3, 1), "stage"},
		{"announced again", StageAnnounced, StageAnnounced, nwd(2026, 3, 1), "stage"},
		{"awarded to implemented", StageAwarded, StageImplemented, nwd(2026, 4, 1), ""},
		{"awarded to evaluated", StageAwarded, StageEvaluated, nwd(2026, 4, 1), "stage"},
		{"implemented to evaluated", StageImplemented, StageEvaluated, nwd(2026, 5, 1), ""},
		{"evaluated before implemented date", StageImplemented, StageEvaluated, nwd(2026, 3, 31), "evaluated_date"},
		{"withdraw planned", StagePlanned, StageWithdrawn, nwd(2026, 1, 1), ""},
		{"withdraw announced", StageAnnounced, StageWithdrawn, nwd(2026, 2, 1), ""},
		{"withdraw awarded", StageAwarded, StageWithdrawn, nwd(2026, 3, 5), ""},
		{"withdraw implemented", StageImplemented, StageWithdrawn, nwd(2026, 4, 5), ""},
		{"withdraw before the last stage date", StageAwarded, StageWithdrawn, nwd(2026, 2, 28), "withdrawn_date"},
		{"withdraw evaluated", StageEvaluated, StageWithdrawn, nwd(2026, 6, 1), "stage"},
		{"anything after evaluated", StageEvaluated, StageImplemented, nwd(2026, 6, 1), "stage"},
		{"anything after withdrawn", StageWithdrawn, StageAnnounced, nwd(2026, 6, 1), "stage"},
		{"withdraw twice", StageWithdrawn, StageWithdrawn, nwd(2026, 6, 1), "stage"},
		{"unknown stage", StagePlanned, "cancelled", nwd(2026, 6, 1), "stage"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := MemberProcurement{NetworkID: 1, OrgID: 11}
			if tc.from != "" {
				p = nwProc(tc.from)
			}
			before := p
			err := p.CanMoveTo(tc.next, tc.on)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("CanMoveTo(%s, %s) from %q = %v; want nil", tc.next, tc.on, tc.from, err)
				}
			} else {
				if ErrorCode(err) != EINVALID || ErrorField(err) != tc.field {
					t.Fatalf("CanMoveTo(%s, %s) from %q = %v; want %s on %s", tc.next, tc.on, tc.from, err, EINVALID, tc.field)
				}
				if msg := ErrorMsg(err); !strings.HasPrefix(msg.Key, "err.") {
					t.Errorf("message %v has no key", msg)
				}
			}
			if !reflect.DeepEqual(p, before) {
				t.Fatalf("CanMoveTo changed the procurement")
			}
			// Advance agrees with CanMoveTo, and leaves a valid record.
			err = p.Advance(tc.next, tc.on, "ingen budget")
			if (err == nil) != (tc.field == "") || ErrorField(err) != tc.field {
				t.Fatalf("Advance = %v; want field %q", err, tc.field)
			}
			if err != nil {
				if !reflect.DeepEqual(p, before) {
					t.Fatalf("a refused Advance changed the procurement")
				}
				return
			}
			if p.Stage != tc.next || p.StageDate(tc.next) == nil || !p.StageDate(tc.next).Equal(tc.on.Time) {
				t.Fatalf("after Advance: stage %s, date %v", p.Stage, p.StageDate(tc.next))
			}
			if err := p.Validate(); err != nil {
				t.Fatalf("after Advance the procurement is invalid: %v", err)
			}
		})
	}
}

func TestAdvance(t *testing.T) {
	p := MemberProcurement{NetworkID: 1, OrgID: 11}
	steps := []struct {
		stage ProcurementStage
		on    Date
	}{
		{StagePlanned, nwd(2026, 1, 10)},
		{StageAnnounced, nwd(2026, 2, 10)},
		{StageAwarded, nwd(2026, 2, 10)},
		{StageImplemented, nwd(2026, 9, 1)},
		{StageEvaluated, nwd(2027, 3, 1)},
	}
	for _, s := range steps {
		if err := p.Advance(s.stage, s.on, ""); err != nil {
			t.Fatalf("Advance(%s): %v", s.stage, err)
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("after %s: %v", s.stage, err)
		}
	}
	if p.Stage != StageEvaluated || !p.AnnouncedDate.Equal(nwd(2026, 2, 10).Time) || p.WithdrawnReason != "" {
		t.Fatalf("after the walk: %+v", p)
	}

	w := nwProc(StageAnnounced)
	before := w
	err := w.Advance(StageWithdrawn, nwd(2026, 3, 1), "  ")
	if ErrorCode(err) != EINVALID || ErrorField(err) != "withdrawn_reason" || !reflect.DeepEqual(w, before) {
		t.Fatalf("withdraw without reason = %v (changed: %v); want withdrawn_reason", err, !reflect.DeepEqual(w, before))
	}
	if err := w.Advance(StageWithdrawn, nwd(2026, 3, 1), " Ingen budget "); err != nil {
		t.Fatal(err)
	}
	if w.Stage != StageWithdrawn || w.WithdrawnReason != "Ingen budget" || !w.WithdrawnDate.Equal(nwd(2026, 3, 1).Time) {
		t.Fatalf("after withdrawing: %+v", w)
	}
	if err := w.Validate(); err != nil {
		t.Fatalf("withdrawn procurement invalid: %v", err)
	}
}

func TestBuildFunnel(t *testing.T) {
	procs := []MemberProcurement{
		{Stage: StagePlanned}, {}, {Stage: StageAnnounced, Kind: FollowHandover, CentralBody: "Adda"},
		{Stage: StageAwarded}, {Stage: StageImplemented}, {Stage: StageEvaluated, Kind: FollowHandover},
		{Stage: StageWithdrawn},
	}
	f := BuildFunnel(12, make([]Network, 3), make([]Deliverable, 2), procs)
	want := Funnel{Needs: 12, Networks: 3, Deliverables: 2, Handovers: 2, Implemented: 2,
		Procurements: map[ProcurementStage]int{StagePlanned: 2, StageAnnounced: 1, StageAwarded: 1, StageImplemented: 1, StageEvaluated: 1, StageWithdrawn: 1}}
	if !reflect.DeepEqual(f, want) {
		t.Fatalf("BuildFunnel = %+v; want %+v", f, want)
	}
	empty := BuildFunnel(0, nil, nil, nil)
	if len(empty.Procurements) != len(ProcurementStages) || empty.Implemented != 0 {
		t.Fatalf("empty funnel: %+v", empty)
	}
}

func TestCanClose(t *testing.T) {
	done := []MemberProcurement{nwProc(StageImplemented), nwProc(StageEvaluated), nwProc(StageWithdrawn)}
	cases := []struct {
		name    string
		kind    NetworkKind
		status  NetworkStatus
		procs   []MemberProcurement
		decided bool
		field   string // "" when it may close
	}{
		{"every procurement done", NetworkTactical, NetworkActive, done, false, ""},
		{"one still awarded", NetworkTactical, NetworkActive, append(slices.Clone(done), nwProc(StageAwarded)), false, "stage"},
		{"one still planned", NetworkTactical, NetworkActive, []MemberProcurement{nwProc(StagePlanned)}, false, "stage"},
		{"no procurements", NetworkTactical, NetworkActive, nil, false, "stage"},
		{"no procurements, members decided", NetworkTactical, NetworkActive, nil, true, ""},
		{"open procurements, members decided", NetworkTactical, NetworkActive, []MemberProcurement{nwProc(StagePlanned)}, true, ""},
		{"ended network, all done", NetworkTactical, NetworkEnded, done, false, ""},
		{"strategic network", NetworkStrategic, NetworkActive, done, false, "kind"},
		{"strategic network, members decided", NetworkStrategic, NetworkActive, done, true, "kind"},
		{"closed already", NetworkTactical, NetworkClosed, done, true, "status"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := Network{Name: "N", Kind: tc.kind, Status: tc.status}
			err := CanClose(&n, tc.procs, tc.decided)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("CanClose = %v; want nil", err)
				}
				return
			}
			if ErrorCode(err) != ECONFLICT || ErrorField(err) != tc.field || !strings.HasPrefix(ErrorMsg(err).Key, "err.network.") {
				t.Fatalf("CanClose = %v; want %s on %s with a message", err, ECONFLICT, tc.field)
			}
		})
	}
	if err := CanClose(&Network{Kind: NetworkStrategic}, nil, true); ErrorMsg(err).Key != "err.network.strategic_no_close" {
		t.Fatalf("strategic message = %v", ErrorMsg(err))
	}
}

func TestReadOnly(t *testing.T) {
	for _, s := range NetworkStatuses {
		n := Network{Status: s}
		if n.ReadOnly() != (s == NetworkClosed) {
			t.Errorf("ReadOnly() with status %s = %v", s, n.ReadOnly())
		}
	}
}

func TestAddMonths(t *testing.T) {
	for _, tc := range []struct {
		from Date
		n    int
		want Date
	}{
		{nwd(2026, 11, 27), 6, nwd(2027, 5, 27)},
		{nwd(2026, 11, 27), 12, nwd(2027, 11, 27)},
		{nwd(2026, 8, 31), 6, nwd(2027, 2, 28)},
		{nwd(2027, 8, 31), 6, nwd(2028, 2, 29)},
		{nwd(2026, 3, 31), 1, nwd(2026, 4, 30)},
		{nwd(2026, 1, 31), -2, nwd(2025, 11, 30)},
	} {
		if got := addMonths(tc.from, tc.n); !got.Equal(tc.want.Time) {
			t.Errorf("addMonths(%s, %d) = %s; want %s", tc.from, tc.n, got, tc.want)
		}
	}
}
