package store_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// world is a fixture in which every relation the access rules tell apart
// occurs: organisations that own, coordinate, are active, invited, declined
// or left members of networks, or have no part in any; admins and plain
// members, a person with only an invitation, a broker, a funder officer.
// Records are kept as created, so the Go rules can be asked about them
// without the store.
//
// Organisations and their networks:
//
//	belok  (strategic): owner falun, coordinator molndal; falun and orebro
//	                    active, umea invited, lund declined, kiruna left
//	bebo   (tactical):  visby and umea active, kiruna invited
//	lokal  (tactical):  owner orebro (not a member); lund active
//	grupp  (sub-group of belok, ended): coordinator molndal; molndal and
//	                    kiruna active
//	boras:              no part in any network
//	acme, nordtek:      suppliers (företag), in no network
//
// Market dialogues: falun's published and draft, belok's published and
// bebo's draft, each answered by both suppliers, with a question of each
// (acme's answered) and a registration of each for the meeting.
type world struct {
	db           *store.DB
	org          map[string]*arena.Organization
	orgName      map[int64]string
	user         map[string]*arena.User
	orgMembers   []*arena.OrgMembership
	actors       []worldActor // every user, then anonymous and the system
	needs        []*arena.Need
	net          map[string]*arena.Network
	netName      map[int64]string
	members      []*arena.NetworkMember
	plans        []*arena.NetworkPlan
	activities   []*arena.Activity
	periods      []*arena.FundingPeriod
	deliverables []*arena.Deliverable
	procurements []*arena.MemberProcurement
	experts      []*arena.Expert
	alerts       []arena.Alert
	dialogues    []*arena.Dialogue
	answers      []*arena.DialogueAnswer
	questions    []*arena.DialogueQuestion
	seats        []*arena.DialogueRegistration
}

type worldActor struct {
	name string
	a    *arena.Actor // nil: anonymous
}

// inOrg is a person's membership of an organisation in the fixture.
type inOrg struct {
	org    string
	role   arena.OrgRole
	status arena.OrgMemberStatus
}

var (
	adminOf     = func(org string) inOrg { return inOrg{org, arena.OrgRoleAdmin, arena.OrgMemberActive} }
	memberOf    = func(org string) inOrg { return inOrg{org, arena.OrgRoleMember, arena.OrgMemberActive} }
	invitedTo   = func(org string, r arena.OrgRole) inOrg { return inOrg{org, r, arena.OrgMemberInvited} }
	askedToJoin = func(org string) inOrg { return inOrg{org, arena.OrgRoleMember, arena.OrgMemberRequested} }
)

func newWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
	w := &world{db: db, org: map[string]*arena.Organization{}, orgName: map[int64]string{},
		user: map[string]*arena.User{}, net: map[string]*arena.Network{}, netName: map[int64]string{}}
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("fixture: %s: %v", what, err)
		}
	}
	for _, name := range []string{"falun", "molndal", "orebro", "umea", "lund", "kiruna", "visby", "boras"} {
		o := &arena.Organization{Name: name, Kind: arena.OrgKommun}
		must("organisation "+name, db.Organizations.Create(system, o))
		w.org[name], w.orgName[o.ID] = o, name
	}

	people := []struct {
		name  string
		roles []arena.PlatformRole
		in    []inOrg
	}{
		{"anna", nil, []inOrg{adminOf("falun")}},
		{"per", nil, []inOrg{memberOf("falun")}},
		{"erik", nil, []inOrg{memberOf("molndal")}},
		{"sara", nil, []inOrg{adminOf("orebro")}},
		{"olle", nil, []inOrg{memberOf("orebro")}},
		{"ulla", nil, []inOrg{adminOf("umea")}},
		{"lars", nil, []inOrg{adminOf("lund")}},
		{"kim", nil, []inOrg{adminOf("kiruna")}},
		{"vera", nil, []inOrg{adminOf("visby")}},
		{"bo", nil, []inOrg{adminOf("boras")}},
		{"ines", nil, []inOrg{invitedTo("falun", arena.OrgRoleMember)}},                  // only an invitation
		{"mia", nil, []inOrg{memberOf("lund"), invitedTo("orebro", arena.OrgRoleAdmin)}}, // active in one, invited to another
		{"maklare", []arena.PlatformRole{arena.RoleBroker}, nil},
		{"bert", []arena.PlatformRole{arena.RoleBroker}, []inOrg{memberOf("boras")}}, // a broker who also works for a buyer
		{"handlaggare", []arena.PlatformRole{arena.RoleFunderOfficer}, nil},
		{"nils", nil, nil}, // signed in, in no organisation
		{"rut", nil, []inOrg{memberOf("kiruna"), askedToJoin("umea")}}, // asked to join another (signed in through its identity provider)
		{"sven", nil, []inOrg{adminOf("acme")}},                        // a supplier
		{"tove", nil, []inOrg{memberOf("nordtek")}},                    // another supplier
	}
	for _, name := range []string{"acme", "nordtek"} {
		o := &arena.Organization{Name: name, Kind: arena.OrgCompany}
		must("supplier "+name, db.Organizations.Create(system, o))
		w.org[name], w.orgName[o.ID] = o, name
	}
	for _, p := range people {
		u := &arena.User{Email: p.name + "@arena.test", Name: p.name, PlatformRoles: p.roles}
		must("user "+p.name, db.Users.Create(system, u))
		w.user[p.name] = u
		for _, in := range p.in {
			m := &arena.OrgMembership{UserID: u.ID, OrgID: w.org[in.org].ID, Role: in.role, Status: in.status}
			must("org membership of "+p.name, db.OrgMemberships.Create(system, m))
			w.orgMembers = append(w.orgMembers, m)
		}
	}

	for _, o := range []string{"falun", "molndal", "orebro", "umea", "lund", "kiruna", "visby", "boras"} {
		for _, v := range arena.Visibilities {
			n := &arena.Need{OrgID: w.org[o].ID, Title: o + " " + string(v), Visibility: v}
			must("need", db.Needs.Create(system, n))
			w.needs = append(w.needs, n)
		}
	}

	id := func(org string) *int64 {
		if org == "" {
			return nil
		}
		return &w.org[org].ID
	}
	nets := []struct {
		name, parent, owner, coordinator string
		kind                             arena.NetworkKind
		status                           arena.NetworkStatus
		members                          map[string]arena.MemberStatus
	}{
		{"belok", "", "falun", "molndal", arena.NetworkStrategic, arena.NetworkActive, map[string]arena.MemberStatus{
			"falun": arena.MemberActive, "orebro": arena.MemberActive, "umea": arena.MemberInvited, "lund": arena.MemberDeclined, "kiruna": arena.MemberLeft}},
		{"bebo", "", "", "", arena.NetworkTactical, arena.NetworkActive, map[string]arena.MemberStatus{
			"visby": arena.MemberActive, "umea": arena.MemberActive, "kiruna": arena.MemberInvited}},
		{"lokal", "", "orebro", "", arena.NetworkTactical, arena.NetworkActive, map[string]arena.MemberStatus{
			"lund": arena.MemberActive}},
		{"grupp", "belok", "", "molndal", arena.NetworkTactical, arena.NetworkEnded, map[string]arena.MemberStatus{
			"molndal": arena.MemberActive, "kiruna": arena.MemberActive}},
	}
	for i, spec := range nets {
		n := &arena.Network{Name: spec.name, Kind: spec.kind, OwnerOrgID: id(spec.owner), CoordinatorOrgID: id(spec.coordinator), Status: spec.status}
		if spec.parent != "" {
			n.ParentID = &w.net[spec.parent].ID
		}
		must("network "+spec.name, db.Networks.Create(system, n))
		w.net[spec.name], w.netName[n.ID] = n, spec.name
		var deliverable *arena.Deliverable
		for _, org := range slices.Sorted(maps.Keys(spec.members)) {
			m := &arena.NetworkMember{NetworkID: n.ID, OrgID: w.org[org].ID, Status: spec.members[org],
				ContactName: "Kontakt " + org, ContactEmail: "kontakt@" + org + ".test", ManagementSponsor: "Chef " + org}
			must("member "+org+" of "+spec.name, db.NetworkMembers.Create(system, m))
			w.members = append(w.members, m)
		}
		plan := &arena.NetworkPlan{NetworkID: n.ID, Goal: "Mål för " + spec.name}
		must("plan", db.NetworkPlans.Create(system, plan))
		w.plans = append(w.plans, plan)
		act := &arena.Activity{NetworkID: n.ID, Kind: arena.ActivityRFI, Title: "RFI " + spec.name}
		must("activity", db.Activities.Create(system, act))
		w.activities = append(w.activities, act)
		amount := int64(100_000 * (i + 1))
		fp := &arena.FundingPeriod{NetworkID: n.ID, AmountSEK: &amount, Note: "Finansiering " + spec.name}
		must("funding period", db.FundingPeriods.Create(system, fp))
		w.periods = append(w.periods, fp)
		deliverable = &arena.Deliverable{NetworkID: n.ID, Kind: arena.DeliverableGuidance, Title: "Vägledning " + spec.name}
		must("deliverable", db.Deliverables.Create(system, deliverable))
		w.deliverables = append(w.deliverables, deliverable)
		for _, m := range w.members {
			if m.NetworkID != n.ID || m.Status != arena.MemberActive {
				continue
			}
			planned := arena.NewDate(2026, 3, 1)
			p := &arena.MemberProcurement{NetworkID: n.ID, OrgID: m.OrgID, DeliverableID: &deliverable.ID, Title: "Upphandling " + w.orgName[m.OrgID], PlannedDate: &planned}
			must("procurement", db.MemberProcurements.Create(system, p))
			w.procurements = append(w.procurements, p)
		}
		w.alerts = append(w.alerts, arena.Alert{Kind: arena.AlertInactive, NetworkID: n.ID, Days: 100 + i})
	}
	w.alerts = append(w.alerts, arena.Alert{Kind: arena.AlertMembersWithoutMandate, NetworkID: w.net["belok"].ID,
		OrgIDs: []int64{w.org["falun"].ID, w.org["orebro"].ID}, OrgNames: []string{"falun", "orebro"}})
	must("alerts", db.ReplaceAlerts(system, w.alerts))

	for _, e := range []*arena.Expert{
		{Name: "Eva Expert", Kind: arena.ExpertPerson, Contact: "eva@forskning.test"},
		{Name: "Miljöforskning", Kind: arena.ExpertEnvironment, Contact: "info@miljo.test"},
	} {
		must("expert", db.Experts.Create(system, e))
		w.experts = append(w.experts, e)
	}

	seats := int64(20)
	meeting := arena.NewDate(2030, 5, 1)
	for _, spec := range []struct {
		org, net string
		status   arena.DialogueStatus
	}{{"falun", "", arena.DialoguePublished}, {"falun", "", arena.DialogueDraft}, {"", "belok", arena.DialoguePublished}, {"", "bebo", arena.DialogueDraft}} {
		d := &arena.Dialogue{Kind: arena.DialogueMarket, Status: spec.status, Title: "Dialog " + spec.org + spec.net, Description: "Behovet i funktionella termer",
			Questions: []string{"Vad finns?", "Vad kostar det?"}, Deadline: new(arena.NewDate(2030, 4, 1)),
			Meeting: arena.MeetingDialogueDay, MeetingDate: &meeting, MeetingPlace: "Falun", Seats: &seats}
		if spec.org != "" {
			d.OrgID = id(spec.org)
		} else {
			d.NetworkID = &w.net[spec.net].ID
		}
		must("dialogue", db.Dialogues.Create(system, d))
		w.dialogues = append(w.dialogues, d)
		for _, sup := range []string{"acme", "nordtek"} {
			x := &arena.DialogueAnswer{DialogueID: d.ID, OrgID: w.org[sup].ID, Answers: []string{"Svar från " + sup}}
			must("answer", db.DialogueAnswers.Create(system, x))
			w.answers = append(w.answers, x)
			q := &arena.DialogueQuestion{DialogueID: d.ID, OrgID: w.org[sup].ID, Question: "Fråga från " + sup}
			if sup == "acme" {
				q.Answer = "Svaret till alla"
			}
			must("question", db.DialogueQuestions.Create(system, q))
			w.questions = append(w.questions, q)
			r := &arena.DialogueRegistration{DialogueID: d.ID, OrgID: w.org[sup].ID, Attendees: 2, Names: "Deltagare från " + sup}
			must("registration", db.DialogueRegistrations.Create(system, r))
			w.seats = append(w.seats, r)
		}
	}

	for _, p := range people {
		a, err := db.ActorFor(context.Background(), w.user[p.name].ID)
		must("actor "+p.name, err)
		w.actors = append(w.actors, worldActor{describe(p.name, p.roles, p.in), a})
	}
	w.actors = append(w.actors, worldActor{"anonymous", nil}, worldActor{"system", arena.SystemActor()})
	return w
}

func describe(name string, roles []arena.PlatformRole, in []inOrg) string {
	var parts []string
	for _, r := range roles {
		parts = append(parts, string(r))
	}
	for _, m := range in {
		parts = append(parts, fmt.Sprintf("%s %s of %s", m.status, m.role, m.org))
	}
	if len(parts) == 0 {
		parts = append(parts, "in no organisation")
	}
	return name + " (" + strings.Join(parts, ", ") + ")"
}

// as returns a context acting as the named user, with the user's
// organisations as the store reads them now.
func (w *world) as(t *testing.T, name string) context.Context {
	t.Helper()
	a, err := w.db.ActorFor(context.Background(), w.user[name].ID)
	if err != nil {
		t.Fatalf("actor %s: %v", name, err)
	}
	return arena.WithActor(context.Background(), a)
}

// membersOf returns the fixture's memberships of network id.
func (w *world) membersOf(id int64) []arena.NetworkMember {
	var out []arena.NetworkMember
	for _, m := range w.members {
		if m.NetworkID == id {
			out = append(out, *m)
		}
	}
	return out
}

// standing is the actor's standing in network id, computed in Go.
func (w *world) standing(a *arena.Actor, id int64) arena.Standing {
	for _, n := range w.net {
		if n.ID == id {
			return arena.StandingIn(a, n, w.membersOf(id))
		}
	}
	panic(fmt.Sprintf("no network %d in the fixture", id))
}

// partners returns the organisations that share a network with the actor,
// computed in Go from the fixture: both active members of one network.
func (w *world) partners(a *arena.Actor) arena.Partners {
	set := map[int64]bool{}
	for _, mine := range w.members {
		if mine.Status != arena.MemberActive || !a.InOrg(mine.OrgID) {
			continue
		}
		for _, other := range w.members {
			if other.NetworkID == mine.NetworkID && other.Status == arena.MemberActive {
				set[other.OrgID] = true
			}
		}
	}
	return func(orgID int64) bool { return set[orgID] }
}

// activeOrgs returns the organisations a user is an active member of, by
// the fixture.
func (w *world) activeOrgs(userID int64) []int64 {
	var ids []int64
	for _, m := range w.orgMembers {
		if m.UserID == userID && m.Status == arena.OrgMemberActive {
			ids = append(ids, m.OrgID)
		}
	}
	slices.Sort(ids)
	return ids
}

// membershipsOf returns a user's organisation memberships, by the fixture.
func (w *world) membershipsOf(u *arena.User) []*arena.OrgMembership {
	var out []*arena.OrgMembership
	for _, m := range w.orgMembers {
		if m.UserID == u.ID {
			out = append(out, m)
		}
	}
	return out
}

func (w *world) needLabel(n *arena.Need) string {
	return fmt.Sprintf("need %d (%s, %s)", n.ID, w.orgName[n.OrgID], n.Visibility)
}

func (w *world) memberLabel(m *arena.NetworkMember) string {
	return fmt.Sprintf("membership %d (%s %s in %s)", m.ID, w.orgName[m.OrgID], m.Status, w.netName[m.NetworkID])
}

func (w *world) userName(id int64) string {
	for name, u := range w.user {
		if u.ID == id {
			return name
		}
	}
	return fmt.Sprint(id)
}

// listAll returns every record of e the actor of ctx is shown in lists.
func listAll[T any](t *testing.T, ctx context.Context, e *store.Entity[T]) map[int64]*T {
	t.Helper()
	items, err := store.All(ctx, e, nil)
	if err != nil {
		t.Fatalf("list %s: %v", e.Name, err)
	}
	out := map[int64]*T{}
	for _, v := range items {
		out[any(v).(interface{ GetMeta() *arena.Meta }).GetMeta().ID] = v
	}
	return out
}

// tally counts the cases compared, by kind of record: how many the rule
// shows and how many it hides.
type tally map[string]*[2]int

func (tl tally) add(kind string, shown bool) {
	if tl[kind] == nil {
		tl[kind] = &[2]int{}
	}
	if shown {
		tl[kind][0]++
	} else {
		tl[kind][1]++
	}
}

// agree compares what the store shows the actor of ctx of one record, by
// Get and in the list, with what the Go rule says (want). It returns the
// record as Get returned it, nil when hidden.
func agree[T any](t *testing.T, ctx context.Context, e *store.Entity[T], listed map[int64]*T, who, what string, id int64, want bool, tl tally) *T {
	t.Helper()
	tl.add(e.Name, want)
	got, err := e.Get(ctx, id)
	switch {
	case want && err != nil:
		t.Errorf("%s: the rule lets %s see %s, the store's Get says %v", e.Name, who, what, err)
	case !want && err == nil:
		t.Errorf("%s: the rule hides %s from %s, the store's Get shows it", e.Name, what, who)
	case !want && arena.ErrorCode(err) != arena.ENOTFOUND:
		t.Errorf("%s: %s hidden from %s, but Get answers %v instead of not found", e.Name, what, who, err)
	}
	if _, ok := listed[id]; ok != want {
		t.Errorf("%s: the rule says %s sees %s: %v; the store's list says %v", e.Name, who, what, want, ok)
	}
	if err != nil {
		return nil
	}
	return got
}

// TestReadPredicatesAgreeWithRules holds every read predicate of access.go
// (and the redaction hooks) to its Go rule: for every actor of the fixture
// and every record, the store shows the record (Get, List, Alerts) exactly
// when the root package's rule says so, and hides personal data exactly
// when the rule says so.
func TestReadPredicatesAgreeWithRules(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		cases := tally{}
		for _, act := range w.actors {
			a, who := act.a, act.name
			ctx := arena.WithActor(context.Background(), a)

			if a.SignedIn() {
				if got, want := slices.Sorted(slices.Values(a.OrgIDs())), w.activeOrgs(a.User.ID); !slices.Equal(got, want) {
					t.Errorf("ActorFor(%s) has organisations %v; its active memberships are %v", who, got, want)
				}
			}

			needs := listAll(t, ctx, db.Needs)
			partners := w.partners(a)
			seen := 0
			for _, n := range w.needs {
				want := arena.CanSeeNeed(a, n, partners)
				agree(t, ctx, db.Needs, needs, who, w.needLabel(n), n.ID, want, cases)
				if want {
					seen++
				}
			}
			if len(needs) != seen {
				t.Errorf("needs: %s is listed %d needs, the rule allows %d", who, len(needs), seen)
			}

			members := listAll(t, ctx, db.NetworkMembers)
			for _, m := range w.members {
				s := w.standing(a, m.NetworkID)
				label := w.memberLabel(m)
				got := agree(t, ctx, db.NetworkMembers, members, who, label, m.ID, arena.CanSeeMember(a, s, m), cases)
				contact := arena.CanSeeMemberContact(a, s, m)
				cases.add("member contact", contact)
				for how, r := range map[string]*arena.NetworkMember{"Get": got, "List": members[m.ID]} {
					if r == nil {
						continue
					}
					shown := r.ContactName == m.ContactName && r.ContactEmail == m.ContactEmail && r.ManagementSponsor == m.ManagementSponsor
					blank := r.ContactName == "" && r.ContactEmail == "" && r.ManagementSponsor == ""
					if contact && !shown || !contact && !blank {
						t.Errorf("network member: CanSeeMemberContact(%s, %s) = %v, but %s gives contact %q <%s>, sponsor %q",
							who, label, contact, how, r.ContactName, r.ContactEmail, r.ManagementSponsor)
					}
				}
			}

			agreeInside(t, ctx, w, act, cases, db.NetworkPlans, w.plans, func(p *arena.NetworkPlan) int64 { return p.NetworkID })
			agreeInside(t, ctx, w, act, cases, db.Activities, w.activities, func(p *arena.Activity) int64 { return p.NetworkID })
			agreeInside(t, ctx, w, act, cases, db.FundingPeriods, w.periods, func(p *arena.FundingPeriod) int64 { return p.NetworkID })
			agreeInside(t, ctx, w, act, cases, db.MemberProcurements, w.procurements, func(p *arena.MemberProcurement) int64 { return p.NetworkID })
			// Deliverables and networks' records are public (arena.CanSeeNetworkInside).
			deliverables := listAll(t, ctx, db.Deliverables)
			for _, d := range w.deliverables {
				agree(t, ctx, db.Deliverables, deliverables, who, fmt.Sprintf("deliverable of %s", w.netName[d.NetworkID]), d.ID, true, cases)
			}
			networks := listAll(t, ctx, db.Networks)
			for _, n := range w.net {
				agree(t, ctx, db.Networks, networks, who, "network "+n.Name, n.ID, true, cases)
			}

			alerts, err := db.Alerts(ctx, store.AlertFilter{})
			if err != nil {
				t.Fatalf("alerts as %s: %v", who, err)
			}
			for _, al := range w.alerts {
				want := arena.CanSeeNetworkInside(w.standing(a, al.NetworkID))
				got := slices.ContainsFunc(alerts, func(x arena.Alert) bool { return x.NetworkID == al.NetworkID && x.Kind == al.Kind })
				if got != want {
					t.Errorf("alerts: the rule says %s sees the %s alert of %s: %v; the store says %v", who, al.Kind, w.netName[al.NetworkID], want, got)
				}
				byNetwork, err := db.Alerts(ctx, store.AlertFilter{NetworkID: al.NetworkID, Kind: al.Kind})
				if err != nil {
					t.Fatal(err)
				}
				if (len(byNetwork) == 1) != want || len(byNetwork) > 1 {
					t.Errorf("alerts: the rule says %s sees the %s alert of %s: %v; filtered by network the store gives %d", who, al.Kind, w.netName[al.NetworkID], want, len(byNetwork))
				}
				cases.add("alert", want)
			}
			if want := countFunc(w.alerts, func(al arena.Alert) bool { return arena.CanSeeNetworkInside(w.standing(a, al.NetworkID)) }); len(alerts) != want {
				t.Errorf("alerts: %s is shown %d alerts, the rule allows %d", who, len(alerts), want)
			}

			users := listAll(t, ctx, db.Users)
			for name, u := range w.user {
				agree(t, ctx, db.Users, users, who, "user "+name, u.ID, arena.CanSeeUser(a, u, w.membershipsOf(u)), cases)
			}
			oms := listAll(t, ctx, db.OrgMemberships)
			for _, m := range w.orgMembers {
				what := fmt.Sprintf("%s's %s membership of %s", w.userName(m.UserID), m.Status, w.orgName[m.OrgID])
				agree(t, ctx, db.OrgMemberships, oms, who, what, m.ID, arena.CanSeeOrgMembership(a, m), cases)
			}

			experts := listAll(t, ctx, db.Experts)
			for _, e := range w.experts {
				got := agree(t, ctx, db.Experts, experts, who, "expert "+e.Name, e.ID, true, cases)
				want := arena.CanSeeExpertContact(a, e)
				cases.add("expert contact", want)
				for how, r := range map[string]*arena.Expert{"Get": got, "List": experts[e.ID]} {
					if r != nil && (r.Contact == e.Contact) != want {
						t.Errorf("expert: CanSeeExpertContact(%s, %s) = %v, but %s gives contact %q", who, e.Name, want, how, r.Contact)
					}
				}
			}
		}
		for _, act := range w.actors {
			w.agreeDialogues(t, act, cases)
		}
		pairs, checks, kinds := 0, 0, slices.Sorted(maps.Keys(cases))
		var summary []string
		for _, k := range kinds {
			c := cases[k]
			if strings.HasSuffix(k, "contact") {
				checks += c[0] + c[1]
			} else {
				pairs += c[0] + c[1]
			}
			summary = append(summary, fmt.Sprintf("%s %d shown/%d hidden", k, c[0], c[1]))
			// Every kind with a rule must have cases on both sides, or the
			// comparison proves nothing about it.
			if c[1] == 0 && !slices.Contains([]string{"deliverable", "network", "expert"}, k) {
				t.Errorf("%s: the fixture has no case the rule hides", k)
			}
			if c[0] == 0 {
				t.Errorf("%s: the fixture has no case the rule shows", k)
			}
		}
		t.Logf("%s: the store agrees with the rules on %d (actor, record) pairs of %d actors and %d redaction checks: %s",
			db.Dialect, pairs, len(w.actors), checks, strings.Join(summary, "; "))
	})
}

// agreeInside compares, for one actor, the records of a network's inside
// that the store shows with arena.Standing.Insider.
func agreeInside[T any](t *testing.T, ctx context.Context, w *world, act worldActor, tl tally, e *store.Entity[T], records []*T, networkOf func(*T) int64) {
	t.Helper()
	listed := listAll(t, ctx, e)
	for _, r := range records {
		id := any(r).(interface{ GetMeta() *arena.Meta }).GetMeta().ID
		want := arena.CanSeeNetworkInside(w.standing(act.a, networkOf(r)))
		agree(t, ctx, e, listed, act.name, fmt.Sprintf("%s %d of %s", e.Name, id, w.netName[networkOf(r)]), id, want, tl)
	}
	if len(listed) != countFunc(records, func(r *T) bool { return arena.CanSeeNetworkInside(w.standing(act.a, networkOf(r))) }) {
		t.Errorf("%s: %s is listed %d records; the rule allows fewer or more", e.Name, act.name, len(listed))
	}
}

// dialogueStanding is the actor's standing in a dialogue's publishing
// network, nil for an organisation's dialogue.
func (w *world) dialogueStanding(a *arena.Actor, d *arena.Dialogue) *arena.Standing {
	if d.NetworkID == nil {
		return nil
	}
	s := w.standing(a, *d.NetworkID)
	return &s
}

func (w *world) dialogueOf(id int64) *arena.Dialogue {
	for _, d := range w.dialogues {
		if d.ID == id {
			return d
		}
	}
	panic(fmt.Sprintf("no dialogue %d in the fixture", id))
}

// agreeDialogues holds the dialogues' read predicates to arena.CanSeeDialogue,
// CanSeeDialogueAnswer, CanSeeDialogueQuestion (with CanSeeAsker) and
// CanSeeDialogueRegistration, for one actor.
func (w *world) agreeDialogues(t *testing.T, act worldActor, cases tally) {
	t.Helper()
	a, who := act.a, act.name
	ctx := arena.WithActor(context.Background(), a)
	db := w.db
	dialogues := listAll(t, ctx, db.Dialogues)
	for _, d := range w.dialogues {
		agree(t, ctx, db.Dialogues, dialogues, who, fmt.Sprintf("dialogue %q (%s)", d.Title, d.Status), d.ID, arena.CanSeeDialogue(a, d, w.dialogueStanding(a, d)), cases)
	}
	answers := listAll(t, ctx, db.DialogueAnswers)
	for _, x := range w.answers {
		d := w.dialogueOf(x.DialogueID)
		agree(t, ctx, db.DialogueAnswers, answers, who, fmt.Sprintf("%s's answer to %q", w.orgName[x.OrgID], d.Title), x.ID,
			arena.CanSeeDialogueAnswer(a, d, w.dialogueStanding(a, d), x), cases)
	}
	regs := listAll(t, ctx, db.DialogueRegistrations)
	for _, r := range w.seats {
		d := w.dialogueOf(r.DialogueID)
		agree(t, ctx, db.DialogueRegistrations, regs, who, fmt.Sprintf("%s's registration for %q", w.orgName[r.OrgID], d.Title), r.ID,
			arena.CanSeeDialogueRegistration(a, d, w.dialogueStanding(a, d), r), cases)
	}
	questions := listAll(t, ctx, db.DialogueQuestions)
	for _, q := range w.questions {
		d := w.dialogueOf(q.DialogueID)
		what := fmt.Sprintf("%s's question about %q", w.orgName[q.OrgID], d.Title)
		got := agree(t, ctx, db.DialogueQuestions, questions, who, what, q.ID, arena.CanSeeDialogueQuestion(a, d, w.dialogueStanding(a, d), q), cases)
		asker := arena.CanSeeAsker(a, q)
		if got != nil {
			cases.add("asker contact", asker)
			for how, r := range map[string]*arena.DialogueQuestion{"Get": got, "List": questions[q.ID]} {
				if (r.OrgID == q.OrgID) != asker || !asker && r.OrgID != 0 {
					t.Errorf("dialogue question: CanSeeAsker(%s, %s) = %v, but %s gives org %d", who, what, asker, how, r.OrgID)
				}
			}
		}
	}
}

func countFunc[T any](xs []T, f func(T) bool) int {
	n := 0
	for _, x := range xs {
		if f(x) {
			n++
		}
	}
	return n
}
