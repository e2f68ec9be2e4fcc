package testworld

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/store"
)

// Fresh records: a case that changes a record gets one of its own, so the
// cases stay independent of their order. Each is written as the platform.

// create stores v as the platform and returns its id.
func create[T any](tb testing.TB, e *store.Entity[T], v *T) int64 {
	tb.Helper()
	if err := e.Create(system(), v); err != nil {
		tb.Fatalf("create %s: %v", e.Name, err)
	}
	return metaOf(v).ID
}

func metaOf(v any) *arena.Meta { return v.(interface{ GetMeta() *arena.Meta }).GetMeta() }

// Version returns the stored version of the record with id, whoever may
// see it; 0 when there is none.
func Version[T any](e *store.Entity[T], id int64) int64 {
	v, err := e.GetUnchecked(context.Background(), id)
	if err != nil {
		return 0
	}
	return metaOf(v).Version
}

func (w *World) need(tb testing.TB, org int64, vis arena.Visibility, title, desc string, cpv ...string) int64 {
	tb.Helper()
	value := int64(2_000_000)
	return create(tb, w.DB.Needs, &arena.Need{OrgID: org, Title: title, Description: desc, CPVCodes: cpv, Visibility: vis,
		Intent: arena.IntentPlan, EstimatedValueSEK: &value, PlannedDate: new(arena.NewDate(2026, 9, 1))})
}

// NewNeed makes a need of the organisation with the visibility.
func (w *World) NewNeed(tb testing.TB, org int64, vis arena.Visibility) int64 {
	tb.Helper()
	return w.need(tb, org, vis, fmt.Sprintf("Nytt behov %d av brandpostsensorer", w.Uniq()), needDescription)
}

// network makes a network owned by O.
func (w *World) network(tb testing.TB, name string, kind arena.NetworkKind, parent *int64, open bool) int64 {
	tb.Helper()
	return create(tb, w.DB.Networks, &arena.Network{Name: name, Kind: kind, ParentID: parent, OwnerOrgID: new(w.ids["O"]),
		Status: arena.NetworkActive, Open: open, Sector: "räddningstjänst"})
}

func (w *World) member(tb testing.TB, network, org int64, status arena.MemberStatus, fill func(*arena.NetworkMember)) int64 {
	tb.Helper()
	m := &arena.NetworkMember{NetworkID: network, OrgID: org, Status: status, Role: arena.MemberBuyer, Tier: arena.TierCore}
	if fill != nil {
		fill(m)
	}
	return create(tb, w.DB.NetworkMembers, m)
}

func (w *World) closeNetwork(tb testing.TB, id int64) {
	tb.Helper()
	n, err := w.DB.Networks.GetUnchecked(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	n.Status = arena.NetworkClosed
	if err := w.DB.Networks.Update(system(), n, n.Version); err != nil {
		tb.Fatal(err)
	}
}

// NetOpts says what a fresh network is like.
type NetOpts struct {
	Kind          arena.NetworkKind      // tactical when empty
	Bare          bool                   // no members at all
	NoOwnerMember bool                   // O is not a member
	Consent       bool                   // every active member has recorded close_consent
	Procurement   arena.ProcurementStage // A's member procurement at this stage; none when empty
	Closed        bool                   // closed after it is made
	Shut          bool                   // not open for new members to ask
	Requested     bool                   // X (Other's organisation) has asked to join: member R
}

// Net is a fresh network with its memberships by organisation (O, A, I,
// D) and A's procurement, when asked for.
type Net struct {
	ID          int64
	Members     map[string]int64
	Procurement int64
}

// NewNetwork makes a network like N (owned by O; O and A active, A with
// its network need, contact person and sponsor and no mandate; I invited,
// D declined), changed by opts.
func (w *World) NewNetwork(tb testing.TB, opts NetOpts) Net {
	tb.Helper()
	kind := opts.Kind
	if kind == "" {
		kind = arena.NetworkTactical
	}
	net := Net{ID: w.network(tb, fmt.Sprintf("Nytt nätverk %d", w.Uniq()), kind, nil, !opts.Shut), Members: map[string]int64{}}
	if !opts.Bare {
		if !opts.NoOwnerMember {
			net.Members["O"] = w.member(tb, net.ID, w.ids["O"], arena.MemberActive, func(m *arena.NetworkMember) {
				m.Mandate, m.CloseConsent = true, opts.Consent
			})
		}
		net.Members["A"] = w.member(tb, net.ID, w.ids["A"], arena.MemberActive, func(m *arena.NetworkMember) {
			m.NeedID = new(w.ids["need:network"])
			m.ContactName, m.ContactEmail, m.ManagementSponsor, m.CloseConsent = ContactName, ContactEmail, Sponsor, opts.Consent
		})
		net.Members["I"] = w.member(tb, net.ID, w.ids["I"], arena.MemberInvited, nil)
		net.Members["D"] = w.member(tb, net.ID, w.ids["D"], arena.MemberDeclined, nil)
	}
	if opts.Requested {
		net.Members["R"] = w.member(tb, net.ID, w.ids["X"], arena.MemberRequested, nil)
	}
	if opts.Procurement != "" {
		net.Procurement = w.NewProcurement(tb, net.ID, w.ids["A"], fmt.Sprintf("Upphandling %d", w.Uniq()), opts.Procurement)
	}
	if opts.Closed {
		w.closeNetwork(tb, net.ID)
	}
	return net
}

// NewOrg makes an organisation (a kommun) nobody belongs to.
func (w *World) NewOrg(tb testing.TB) int64 {
	tb.Helper()
	return create(tb, w.DB.Organizations, &arena.Organization{Name: fmt.Sprintf("Ny kommun %d", w.Uniq()), Kind: arena.OrgKommun})
}

// NewUser makes a person of no organisation.
func (w *World) NewUser(tb testing.TB) int64 {
	tb.Helper()
	n := w.Uniq()
	return create(tb, w.DB.Users, &arena.User{Email: fmt.Sprintf("ny%d@ny.test", n), Name: fmt.Sprintf("Ny Person %d", n)})
}

// NewOrgMembership makes a person's membership of an organisation.
func (w *World) NewOrgMembership(tb testing.TB, user, org int64, role arena.OrgRole, status arena.OrgMemberStatus) int64 {
	tb.Helper()
	return create(tb, w.DB.OrgMemberships, &arena.OrgMembership{UserID: user, OrgID: org, Role: role, Status: status})
}

// NewOrgDomain registers a fresh e-mail domain of an organisation.
func (w *World) NewOrgDomain(tb testing.TB, org int64) int64 {
	tb.Helper()
	return create(tb, w.DB.OrgDomains, &arena.OrgDomain{OrgID: org, Domain: fmt.Sprintf("kommun%d.se", w.Uniq())})
}

// NewPlan makes a network's plan.
func (w *World) NewPlan(tb testing.TB, network int64, goal string) int64 {
	tb.Helper()
	return create(tb, w.DB.NetworkPlans, &arena.NetworkPlan{NetworkID: network, Goal: goal, Rules: "Alla delar sina underlag.",
		Responsibilities: []arena.Responsibility{{Who: "Kommun A", What: "kravställning"}}})
}

// NewActivity makes a planned market dialogue of a network.
func (w *World) NewActivity(tb testing.TB, network int64, title string) int64 {
	tb.Helper()
	return create(tb, w.DB.Activities, &arena.Activity{NetworkID: network, Kind: arena.ActivityMarketDialogue, Title: title,
		Status: arena.ActivityPlanned, StartDate: new(arena.NewDate(2026, 4, 1))})
}

// NewDeliverable makes a guidance a network produced.
func (w *World) NewDeliverable(tb testing.TB, network int64, title string) int64 {
	tb.Helper()
	return create(tb, w.DB.Deliverables, &arena.Deliverable{NetworkID: network, Kind: arena.DeliverableGuidance, Title: title,
		DocVersion: "1.0"})
}

// stageDates are the dates a procurement reached each stage.
var stageDates = map[arena.ProcurementStage]arena.Date{
	arena.StagePlanned:     arena.NewDate(2025, 9, 1),
	arena.StageAnnounced:   arena.NewDate(2025, 10, 1),
	arena.StageAwarded:     arena.NewDate(2025, 11, 1),
	arena.StageImplemented: arena.NewDate(2026, 1, 15),
	arena.StageEvaluated:   arena.NewDate(2026, 2, 1),
}

// NewProcurement makes a member's own procurement at a stage (not
// withdrawn), each stage reached dated.
func (w *World) NewProcurement(tb testing.TB, network, org int64, title string, stage arena.ProcurementStage) int64 {
	tb.Helper()
	p := &arena.MemberProcurement{NetworkID: network, OrgID: org, Kind: arena.FollowOwnProcurement, Title: title, Stage: stage}
	for _, s := range arena.ProcurementStages[:5] {
		d := stageDates[s]
		switch s {
		case arena.StagePlanned:
			p.PlannedDate = &d
		case arena.StageAnnounced:
			p.AnnouncedDate = &d
		case arena.StageAwarded:
			p.AwardedDate = &d
		case arena.StageImplemented:
			p.ImplementedDate = &d
		case arena.StageEvaluated:
			p.EvaluatedDate = &d
		}
		if s == stage {
			break
		}
	}
	return create(tb, w.DB.MemberProcurements, p)
}

// NewFunder makes a funder of its own name.
func (w *World) NewFunder(tb testing.TB) int64 {
	tb.Helper()
	return create(tb, w.DB.Funders, &arena.Funder{Name: fmt.Sprintf("Finansiär %d", w.Uniq()), Kind: arena.FunderAgency, OrgID: new(w.ids["V"])})
}

// NewFundingPeriod makes a funding period of a network that ends within
// six months of Now (an alert of N).
func (w *World) NewFundingPeriod(tb testing.TB, network int64, note string) int64 {
	tb.Helper()
	amount := int64(500_000)
	return create(tb, w.DB.FundingPeriods, &arena.FundingPeriod{NetworkID: network, FunderID: new(w.ids["funder"]),
		StartDate: new(arena.NewDate(2025, 1, 1)), EndDate: new(arena.NewDate(2026, 6, 30)), AmountSEK: &amount, Note: note})
}

// NewCall makes a call of the world's funder.
func (w *World) NewCall(tb testing.TB) int64 {
	tb.Helper()
	return create(tb, w.DB.Calls, &arena.FundingCall{FunderID: w.ids["funder"], Title: fmt.Sprintf("Utlysning %d", w.Uniq())})
}

// NewProject makes a project.
func (w *World) NewProject(tb testing.TB) int64 {
	tb.Helper()
	return create(tb, w.DB.Projects, &arena.Project{Title: fmt.Sprintf("Projekt %d", w.Uniq()), Category: arena.CategoryResearch})
}

// NewExpert makes a research environment.
func (w *World) NewExpert(tb testing.TB) int64 {
	tb.Helper()
	return create(tb, w.DB.Experts, &arena.Expert{Name: fmt.Sprintf("Forskningsmiljö %d", w.Uniq()), Kind: arena.ExpertEnvironment})
}

// NewWatch makes a watch of needs kept by the person.
func (w *World) NewWatch(tb testing.TB, person string) int64 {
	tb.Helper()
	return create(tb, w.DB.Watches, &arena.Watch{UserID: w.ID(tb, "user:"+person), Name: fmt.Sprintf("Bevakning %d", w.Uniq()),
		Target: arena.WatchNeeds, Filters: map[string]string{"cpv": "45000000"}})
}

// Setup makes a matrix case's fresh records and names them in v.
type Setup func(t *testing.T, w *World, v Vars)

// FreshNet makes a network like N (see NewNetwork), named n, with its
// memberships n/O, n/A, n/I, n/D and A's procurement n/proc when asked.
func FreshNet(opts NetOpts) Setup {
	return func(t *testing.T, w *World, v Vars) {
		n := w.NewNetwork(t, opts)
		v.Set("n", n.ID)
		for org, id := range n.Members {
			v.Set("n/"+org, id)
		}
		if n.Procurement != 0 {
			v.Set("n/proc", n.Procurement)
		}
	}
}

// FreshNeed makes a need of A with the visibility, named need, and its
// version ver.
func FreshNeed(vis arena.Visibility) Setup {
	return func(t *testing.T, w *World, v Vars) {
		id := w.NewNeed(t, w.ID(t, "A"), vis)
		v.Set("need", id)
		v.Set("ver", Version(w.DB.Needs, id))
	}
}

// Then runs setups one after the other.
func Then(fs ...Setup) Setup {
	return func(t *testing.T, w *World, v Vars) {
		for _, f := range fs {
			f(t, w, v)
		}
	}
}

// FreshNetWithNewcomer is FreshNet with one more invitation, of a fresh
// organisation nobody belongs to, as {n/U}.
func FreshNetWithNewcomer(opts NetOpts) Setup {
	return func(t *testing.T, w *World, v Vars) {
		FreshNet(opts)(t, w, v)
		n, _ := strconv.ParseInt(v["n"], 10, 64)
		v.Set("n/U", w.member(t, n, w.NewOrg(t), arena.MemberInvited, nil))
	}
}

// FreshEmailInvite is FreshNetWithNewcomer with an invitation by e-mail
// of U, as {inv}, and its sign-up link's token as {tok}.
func FreshEmailInvite(t *testing.T, w *World, v Vars) {
	FreshNetWithNewcomer(NetOpts{})(t, w, v)
	m, _ := strconv.ParseInt(v["n/U"], 10, 64)
	ctx := arena.WithActor(context.Background(), arena.SystemActor())
	inv := &arena.EmailInvite{MemberID: m, Email: fmt.Sprintf("ny%d@vatten.test", w.Uniq())}
	if err := w.DB.CreateEmailInvite(ctx, inv); err != nil {
		t.Fatal(err)
	}
	tok, err := w.App.Reach.InviteToken(ctx, inv)
	if err != nil {
		t.Fatal(err)
	}
	v.Set("inv", inv.ID)
	v["tok"] = tok
}

// TinyPDF is the smallest file a deliverable takes: a PDF by its header.
var TinyPDF = []byte("%PDF-1.4\n% Arena test\n%%EOF\n")

// FreshFile is a fresh network like N with a deliverable ("d") that has a
// file ("file").
func FreshFile(t *testing.T, w *World, v Vars) {
	n := w.NewNetwork(t, NetOpts{})
	d := w.NewDeliverable(t, n.ID, "Leverans med fil")
	f, err := w.DB.DeliverableFiles.Add(system(), d, "kravspecifikation.pdf", TinyPDF)
	if err != nil {
		t.Fatal(err)
	}
	v.Set("n", n.ID)
	v.Set("d", d)
	v.Set("file", f.ID)
}

// DialogueOpts describe a market dialogue: A's unless Network is given,
// published and open (deadline 2026-04-15, after Now) unless Draft or
// Closed (its deadline passed), with a dialogue day on 2026-04-01 when it
// has Seats.
type DialogueOpts struct {
	Org, Network int64
	Title        string
	Draft        bool
	Closed       bool
	Seats        int64
}

// NewDialogue makes a dialogue as the platform.
func (w *World) NewDialogue(tb testing.TB, o DialogueOpts) int64 {
	tb.Helper()
	d := &arena.Dialogue{Kind: arena.DialogueMarket, Status: arena.DialoguePublished, Title: o.Title,
		Description: "Sensorer som larmar när en brandpost fryser eller läcker, utan att grävas ned på nytt.",
		Questions:   []string{"Vilka lösningar finns i dag?", "Vad kostar en sensor över fem år?"}, CPVCodes: []string{"38000000"},
		Deadline: new(arena.NewDate(2026, 4, 15))}
	if d.Title == "" {
		d.Title = "Dialog " + strconv.Itoa(w.Uniq())
	}
	switch {
	case o.Network != 0:
		d.NetworkID = new(o.Network)
	case o.Org != 0:
		d.OrgID = new(o.Org)
	default:
		d.OrgID = new(w.ids["A"])
	}
	if o.Draft {
		d.Status = arena.DialogueDraft
	}
	if o.Closed {
		d.Deadline = new(arena.NewDate(2026, 2, 1))
	}
	if o.Seats > 0 {
		d.Meeting, d.MeetingDate, d.MeetingPlace, d.Seats = arena.MeetingDialogueDay, new(arena.NewDate(2026, 4, 1)), "Stadshuset", new(o.Seats)
	}
	return create(tb, w.DB.Dialogues, d)
}

// FreshDialogue makes a dialogue, as {dlg}.
func FreshDialogue(o DialogueOpts) Setup {
	return func(t *testing.T, w *World, v Vars) { v.Set("dlg", w.NewDialogue(t, o)) }
}

// FreshAnswer is F's answer, as {ans}, to a fresh dialogue {dlg}.
func FreshAnswer(o DialogueOpts) Setup {
	return func(t *testing.T, w *World, v Vars) {
		FreshDialogue(o)(t, w, v)
		d, _ := strconv.ParseInt(v["dlg"], 10, 64)
		v.Set("ans", create(t, w.DB.DialogueAnswers, &arena.DialogueAnswer{DialogueID: d, OrgID: w.ids["F"], Answers: []string{"Ja"}}))
	}
}

// FreshQuestion is F's question, as {q}, about a fresh open dialogue
// {dlg}, answered when asked.
func FreshQuestion(answered bool) Setup {
	return func(t *testing.T, w *World, v Vars) {
		FreshDialogue(DialogueOpts{})(t, w, v)
		d, _ := strconv.ParseInt(v["dlg"], 10, 64)
		q := &arena.DialogueQuestion{DialogueID: d, OrgID: w.ids["F"], Question: "Räcker batteriet i fem år?"}
		if answered {
			q.Answer = "Ja."
		}
		v.Set("q", create(t, w.DB.DialogueQuestions, q))
	}
}

// FreshSeatsTaken is a fresh dialogue {dlg} with a meeting of seats, of
// which G holds taken.
func FreshSeatsTaken(seats, taken int64) Setup {
	return func(t *testing.T, w *World, v Vars) {
		FreshDialogue(DialogueOpts{Seats: seats})(t, w, v)
		if taken > 0 {
			d, _ := strconv.ParseInt(v["dlg"], 10, 64)
			create(t, w.DB.DialogueRegistrations, &arena.DialogueRegistration{DialogueID: d, OrgID: w.ids["G"], Attendees: taken})
		}
	}
}

// FreshRegistration is FreshSeatsTaken with F's registration of one
// seat, as {reg}.
func FreshRegistration(seats, taken int64) Setup {
	return func(t *testing.T, w *World, v Vars) {
		FreshSeatsTaken(seats, taken)(t, w, v)
		d, _ := strconv.ParseInt(v["dlg"], 10, 64)
		v.Set("reg", create(t, w.DB.DialogueRegistrations, &arena.DialogueRegistration{DialogueID: d, OrgID: w.ids["F"], Attendees: 1}))
	}
}

// FreshDialogueFile is a fresh open dialogue {dlg} of A with a file {file}.
func FreshDialogueFile(t *testing.T, w *World, v Vars) {
	FreshDialogue(DialogueOpts{})(t, w, v)
	d, _ := strconv.ParseInt(v["dlg"], 10, 64)
	f, err := w.DB.DialogueFiles.Add(system(), d, "underlag.pdf", TinyPDF)
	if err != nil {
		t.Fatal(err)
	}
	v.Set("file", f.ID)
}

// NewImportJob keeps a fresh two-row plan as an import job of an
// organisation, its columns mapped to title and description.
func (w *World) NewImportJob(tb testing.TB, org int64) int64 {
	tb.Helper()
	j := &store.ImportJob{OrgID: org, Kind: store.ImportPlan, Name: "plan.csv", Mapping: "title,description"}
	data := fmt.Sprintf("Rubrik;Beskrivning\r\nHjälpmedel %d;Rullatorer till hemtjänsten\r\nLarm %d;Trygghetslarm\r\n", w.Uniq(), w.Uniq())
	if err := w.DB.CreateImportJob(system(), j, []byte(data)); err != nil {
		tb.Fatalf("import job: %v", err)
	}
	return j.ID
}
