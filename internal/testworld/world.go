// Package testworld builds the one fixture world of the permission matrix
// tests (internal/httpapi and internal/web): organisations in every
// relation to a buyer network, people in every role, needs of every
// visibility, networks in every state with their parts, and the public
// registers. Records are written through the store as the platform
// (arena.SystemActor), people by cli.CreateUser, so every rule other than
// the platform's is left to the requests under test. It is for tests only.
package testworld

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/app"
	"github.com/arena-se/arena/internal/auth"
	"github.com/arena-se/arena/internal/cli"
	"github.com/arena-se/arena/internal/refdata"
	"github.com/arena-se/arena/internal/store"
)

// The people of the world. Anonymous is nobody signed in.
const (
	Anonymous = "anonymous"
	Other     = "other"   // admin of X, an organisation outside every network
	Member    = "member"  // plain member of A
	Admin     = "admin"   // admin of A, an active member of N
	Owner     = "owner"   // admin of O, the owner of N, S and C
	Invited   = "invited" // admin of I, invited to N
	Broker    = "broker"  // of U, platform role broker
	Funder    = "funder"  // of V, platform role funder_officer
	// Declined is the admin of D, which declined N's invitation: not one of
	// the matrix's eight actors, but the only person for whom the "own
	// organisation" clause of arena.CanSeeMember and CanSeeMemberContact
	// differs from being an insider.
	Declined = "declined"
	// Supplier is the admin of F, a company (företag): the supplier of
	// the market dialogues, run only where named, as Declined is.
	Supplier = "supplier"
)

// Actors are the matrix's eight actors, anonymous first.
var Actors = []string{Anonymous, Other, Member, Admin, Owner, Invited, Broker, Funder}

// Password is every person's password.
const Password = "matrislösenord-2026"

// Now is the world's clock: the store's Now is set to it.
var Now = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// Texts that tell whether a response shows a record or its personal data:
// each occurs in exactly one record of the world.
const (
	DraftTitle        = "Utkast om självkörande skolskjutsar på landsbygden"
	DraftDescription  = "Hemligt utkast: självkörande minibussar som hämtar elever vid hemmet och kör dem till skolan."
	OrgTitle          = "Internt behov av sensorer i brandposter"
	NetworkTitle      = "Nätverksbehov av sensorer i brandposter"
	PublicTitle       = "Öppet behov av sensorer i brandposter"
	OtherTitle        = "Sensorer som övervakar brandposter i vinterväglag"
	RegionTitle       = "Regionens sensorer i brandposter och vattennät" // I's public need: a region, which the call does not accept
	needDescription   = "Trådlösa sensorer som larmar när en brandpost fryser, läcker eller har manipulerats."
	DraftCPV          = "03322300" // Hästar: a code nothing else in the world has, on A's draft only
	PlanGoal          = "PLANGOAL-Q7 gemensam kravställning för brandpostsensorer"
	ActivityTitle     = "ACTIVITY-K3 marknadsdialog om brandpostsensorer"
	ProcurementTitle  = "PROCUREMENT-M5 avrop av brandpostsensorer"
	FundingNote       = "FUNDING-Z2 medfinansiering av förstudien"
	DeliverableTitle  = "Vägledning för upphandling av brandpostsensorer"
	ContactName       = "Kim Kontaktsson"    // A's contact person in N
	ContactEmail      = "kim.kontakt@a.test" // A's contact e-mail in N
	Sponsor           = "Stina Sponsorsdotter"
	InvitedContact    = "ivar.inbjuden@i.test" // I's contact e-mail in N
	DeclinedContact   = "dora.avboj@d.test"    // D's contact e-mail in N
	ExpertContact     = "expert.person@forskning.test"
	ExpertName        = "Eva Expertsson"
	WatchName         = "Mats bevakning av brandposter"
	CallTitle         = "Utlysning om smart vatten- och brandskyddsinfrastruktur"
	ProjectTitle      = "Projekt om uppkopplade brandposter"
	NetworkNameN      = "Brandpostsensorer (N)"
	NetworkNameS      = "Strategiskt nätverk för räddningstjänst (S)"
	NetworkNameC      = "Avslutat nätverk (C)"
	DialogueTitle     = "Marknadsdialog om brandpostsensorer"
	DialogueDraft     = "DIALOGDRAFT-R4 utkast till marknadsdialog"
	AnswerOfF         = "ANSWER-F1 vi levererar sensorer med fem års batteri"
	AnswerOfG         = "ANSWER-G7 konkurrentens hemliga prisuppgift"
	QuestionOpen      = "QUESTION-G2 får vi lämna förslag på delar av behovet?"
	QuestionAnswered  = "QUESTION-G3 vilka temperaturer ska sensorerna klara?"
	AnswerToAll       = "REPLY-A9 ned till minus fyrtio grader"
	NamesOfG          = "Gösta Konkurrent och Greta Konkurrent"
	ownerContactEmail = "olle.agare@o.test"
)

// World is the fixture world on one database.
type World struct {
	App *app.App
	DB  *store.DB
	// Tokens are the people's bearer tokens.
	Tokens map[string]string
	// Emails are the people's sign-in addresses; every password is Password.
	Emails map[string]string
	ids    map[string]int64
	uniq   int
}

// people are the persons made by cli.CreateUser, each with the key of its
// organisation, the organisation's number, name and kind (name and kind
// only for the first person of an organisation) and the person's role.
var people = []struct {
	key, org, number, orgName, kind, role, name string
}{
	{Owner, "O", "212000-0142", "Ägarkommunen O", "kommun", "admin", "Olle Ägare"},
	{Admin, "A", "212000-0159", "Kommun A", "kommun", "admin", "Anna Admin"},
	{Member, "A", "212000-0159", "", "", "member", "Mats Medlem"},
	{Invited, "I", "232100-0016", "Region I", "region", "admin", "Ines Inbjuden"},
	{Declined, "D", "212000-0167", "Kommun D", "kommun", "admin", "Dan Avböjd"},
	{Other, "X", "212000-0175", "Kommun X", "kommun", "admin", "Xena Utanför"},
	{Broker, "U", "202100-5489", "Mäklarmyndigheten U", "statlig_myndighet", "broker", "Maja Mäklare"},
	{Funder, "V", "202100-5521", "Finansiären V", "statlig_myndighet", "funder", "Fia Finansiär"},
	{Supplier, "F", "556712-3459", "Leverantören F AB", "foretag", "admin", "Frida Leverantör"},
	{"rival", "G", "556798-7655", "Konkurrenten G AB", "foretag", "admin", "Gösta Konkurrent"},
}

// Build seeds the world on a.DB (migrated, empty; reference data loaded
// when a test needs CPV codes checked) and sets the store's clock to Now.
// Records are named (see ID):
//
//	O A I D X U V                          organisations: owner, active member, invited, declined, outsider, the broker's, the funder officer's
//	user:<person>                          each person's user record
//	om:<person>                            each person's membership of its organisation
//	need:draft need:organisation           A's needs, one of each visibility;
//	need:network need:public               the network one is A's need in N
//	need:other need:region                 X's and I's public needs
//	N                                      tactical, owner O; O and A active, I invited, D declined
//	N/O N/A N/I N/D                        its memberships; A's has the contact person, sponsor and no mandate
//	S                                      strategic, owner O, no members
//	C  C/A                                 tactical, owner O, A active; closed
//	plan activity deliverable              N's plan, an activity, a deliverable,
//	procurement funding                    A's member procurement (planned) and a funding period
//	funder call project expert             the registers; the call accepts kommuner, the expert is a person
//	watch                                  the member's watch (bevakning) of needs
//	dialogue dialogue:draft dialogue:net   A's open market dialogue (with a meeting) and its draft; N's open dialogue
//	answer answer:rival                    F's and G's answers to dialogue
//	question question:answered             G's questions about dialogue, the second answered
//	registration:rival                     G's registration for dialogue's meeting
//
// The alerts are computed at the end (app.Networks.RefreshAlerts).
func Build(tb testing.TB, a *app.App) *World {
	tb.Helper()
	db := a.DB
	db.Now = func() time.Time { return Now }
	w := &World{App: a, DB: db, Tokens: map[string]string{}, Emails: map[string]string{}, ids: map[string]int64{}}
	ctx := context.Background()
	for _, p := range people {
		email := p.key + "@" + strings.ToLower(p.org) + ".test"
		tok, err := cli.CreateUser(ctx, db, cli.UserRequest{Email: email, Name: p.name, OrgNumber: p.number, OrgName: p.orgName,
			OrgKind: p.kind, Role: p.role, Password: Password})
		if err != nil {
			tb.Fatalf("create %s: %v", p.key, err)
		}
		uid, err := db.APITokenUser(ctx, auth.HashToken(tok))
		if err != nil {
			tb.Fatal(err)
		}
		actor, err := db.ActorFor(ctx, uid)
		if err != nil || len(actor.Orgs) != 1 {
			tb.Fatalf("actor of %s: %v %v", p.key, actor, err)
		}
		w.Tokens[p.key], w.Emails[p.key] = tok, email
		w.ids["user:"+p.key] = uid
		w.ids["om:"+p.key] = actor.Orgs[0].ID
		w.ids[p.org] = actor.Orgs[0].OrgID
	}

	a1 := w.ids["A"]
	w.ids["need:draft"] = w.need(tb, a1, arena.VisibilityDraft, DraftTitle, DraftDescription, DraftCPV)
	w.ids["need:organisation"] = w.need(tb, a1, arena.VisibilityOrganisation, OrgTitle, needDescription, "35120000")
	w.ids["need:network"] = w.need(tb, a1, arena.VisibilityNetwork, NetworkTitle, needDescription, "35121000")
	w.ids["need:public"] = w.need(tb, a1, arena.VisibilityPublic, PublicTitle, needDescription, "35120000")
	w.ids["need:other"] = w.need(tb, w.ids["X"], arena.VisibilityPublic, OtherTitle, needDescription, "35120000")
	w.ids["need:region"] = w.need(tb, w.ids["I"], arena.VisibilityPublic, RegionTitle, needDescription, "35120000")

	n := w.network(tb, NetworkNameN, arena.NetworkTactical, nil, true)
	w.ids["N"] = n
	w.ids["N/O"] = w.member(tb, n, w.ids["O"], arena.MemberActive, func(m *arena.NetworkMember) {
		m.ContactName, m.ContactEmail, m.Mandate = "Olle Ägare", ownerContactEmail, true
	})
	w.ids["N/A"] = w.member(tb, n, a1, arena.MemberActive, func(m *arena.NetworkMember) {
		m.NeedID = new(w.ids["need:network"])
		m.ContactName, m.ContactEmail, m.ManagementSponsor = ContactName, ContactEmail, Sponsor
	})
	w.ids["N/I"] = w.member(tb, n, w.ids["I"], arena.MemberInvited, func(m *arena.NetworkMember) {
		m.ContactName, m.ContactEmail = "Ivar Inbjuden", InvitedContact
	})
	w.ids["N/D"] = w.member(tb, n, w.ids["D"], arena.MemberDeclined, func(m *arena.NetworkMember) {
		m.ContactName, m.ContactEmail = "Dora Avböj", DeclinedContact
	})
	w.ids["S"] = w.network(tb, NetworkNameS, arena.NetworkStrategic, nil, true)
	c := w.network(tb, NetworkNameC, arena.NetworkTactical, nil, true)
	w.ids["C"] = c
	w.ids["C/A"] = w.member(tb, c, a1, arena.MemberActive, nil)
	w.closeNetwork(tb, c)

	w.ids["plan"] = w.NewPlan(tb, n, PlanGoal)
	w.ids["activity"] = w.NewActivity(tb, n, ActivityTitle)
	w.ids["deliverable"] = w.NewDeliverable(tb, n, DeliverableTitle)
	w.ids["procurement"] = w.NewProcurement(tb, n, a1, ProcurementTitle, arena.StagePlanned)
	w.ids["funder"] = w.NewFunder(tb)
	w.ids["funding"] = w.NewFundingPeriod(tb, n, FundingNote)
	w.ids["call"] = create(tb, w.DB.Calls, &arena.FundingCall{FunderID: w.ids["funder"], Title: CallTitle,
		Description: "Stöd till kommuner som upphandlar sensorer för brandposter och vattennät.", EligibleOrgKinds: []arena.OrgKind{arena.OrgKommun},
		Themes: []string{"brandskydd"}, OpensDate: new(arena.NewDate(2026, 1, 1)), ClosesDate: new(arena.NewDate(2026, 3, 20))})
	w.ids["project"] = create(tb, w.DB.Projects, &arena.Project{Title: ProjectTitle, Category: arena.CategoryInnovationProcurement})
	w.ids["expert"] = create(tb, w.DB.Experts, &arena.Expert{Name: ExpertName, Kind: arena.ExpertPerson, Contact: ExpertContact,
		SubjectAreas: []string{"brandskydd"}})
	w.ids["watch"] = create(tb, w.DB.Watches, &arena.Watch{UserID: w.ids["user:"+Member], Name: WatchName, Target: arena.WatchNeeds,
		Filters: map[string]string{"q": "brandpost"}})
	w.ids["dialogue"] = w.NewDialogue(tb, DialogueOpts{Org: a1, Title: DialogueTitle, Seats: 10})
	w.ids["dialogue:draft"] = w.NewDialogue(tb, DialogueOpts{Org: a1, Title: DialogueDraft, Draft: true})
	w.ids["dialogue:net"] = w.NewDialogue(tb, DialogueOpts{Network: n, Title: "Nätverkets dialog om brandposter"})
	d := w.ids["dialogue"]
	w.ids["answer"] = create(tb, w.DB.DialogueAnswers, &arena.DialogueAnswer{DialogueID: d, OrgID: w.ids["F"], Answers: []string{AnswerOfF}})
	w.ids["answer:rival"] = create(tb, w.DB.DialogueAnswers, &arena.DialogueAnswer{DialogueID: d, OrgID: w.ids["G"], Answers: []string{AnswerOfG}})
	w.ids["question"] = create(tb, w.DB.DialogueQuestions, &arena.DialogueQuestion{DialogueID: d, OrgID: w.ids["G"], Question: QuestionOpen})
	w.ids["question:answered"] = create(tb, w.DB.DialogueQuestions, &arena.DialogueQuestion{DialogueID: d, OrgID: w.ids["G"], Question: QuestionAnswered, Answer: AnswerToAll})
	w.ids["registration:rival"] = create(tb, w.DB.DialogueRegistrations, &arena.DialogueRegistration{DialogueID: d, OrgID: w.ids["G"], Attendees: 2, Names: NamesOfG})
	if _, err := a.Networks.RefreshAlerts(ctx); err != nil {
		tb.Fatal(err)
	}
	return w
}

// ID returns the id of the named record (see Build); an unknown name
// fails the test.
func (w *World) ID(tb testing.TB, name string) int64 {
	tb.Helper()
	id, ok := w.ids[name]
	if !ok {
		tb.Fatalf("the world has no record %q", name)
	}
	return id
}

// Vars returns every record's id by name, as text, for placeholders.
func (w *World) Vars() map[string]string {
	out := make(map[string]string, len(w.ids))
	for k, v := range w.ids {
		out[k] = strconv.FormatInt(v, 10)
	}
	return out
}

// OrgOf returns the key of the person's organisation (O, A, …).
func OrgOf(person string) string {
	for _, p := range people {
		if p.key == person {
			return p.org
		}
	}
	return ""
}

// Uniq returns a number not returned before, for names that must differ.
func (w *World) Uniq() int {
	w.uniq++
	return w.uniq
}

// system is the platform's context: it writes anything.
func system() context.Context {
	return arena.WithActor(context.Background(), arena.SystemActor())
}

var (
	refOnce sync.Once
	refSet  *refdata.Set
	refErr  error
)

// DataDir is the reference data folder (ARENA_TEST_DATA_DIR, default the
// shared folder beside the repository, seen from a package directory).
func DataDir() string {
	if d := os.Getenv("ARENA_TEST_DATA_DIR"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "data")
}

// LoadReference loads the CPV codes and SCB codes of DataDir into db,
// reading the files once per test binary. It skips the test when the
// folder has no CPV list.
func LoadReference(tb testing.TB, db *store.DB) {
	tb.Helper()
	refOnce.Do(func() { refSet, _, refErr = refdata.ReadDir(DataDir()) })
	if refErr != nil {
		tb.Fatal(refErr)
	}
	if refSet == nil || len(refSet.CPV) == 0 {
		tb.Skip("reference data folder not found; set ARENA_TEST_DATA_DIR")
	}
	if err := db.LoadReference(context.Background(), refSet); err != nil {
		tb.Fatal(err)
	}
}
