package seed

import (
	"context"
	"fmt"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/auth"
	"github.com/arena-se/arena/internal/store"
)

// DemoSeed names the demo data in seed_runs.
const DemoSeed = "demo"

// DemoPassword is the password of every demo user; it is printed in the
// README and must never be used outside a demo.
const DemoPassword = "demo-arena-2026"

// DemoUser is a demo account and the report organisation it belongs to.
type DemoUser struct {
	Email, Name, OrgName string
	Role                 arena.OrgRole
	PlatformRole         arena.PlatformRole
}

// DemoDomain is Falu kommun's e-mail domain in the demo, and DemoAsker a
// person who signed in through its identity provider and asked to join.
const (
	DemoDomain = "falun.demo"
	DemoAsker  = "karin@falun.demo"
)

// DemoUsers are the accounts `arena serve --demo` adds.
var DemoUsers = []DemoUser{
	{Email: "anna@falun.demo", Name: "Anna Lindqvist, upphandlare", OrgName: "Falu kommun", Role: arena.OrgRoleAdmin},
	{Email: "erik@molndal.demo", Name: "Erik Berg, verksamhetsutvecklare", OrgName: "Mölndals stad", Role: arena.OrgRoleAdmin},
	{Email: "sara@orebro.demo", Name: "Sara Nilsson, upphandlare", OrgName: "Region Örebro län", Role: arena.OrgRoleMember},
	{Email: "maklare@arena.demo", Name: "Maja Ek, mäklare", OrgName: "Upphandlingsmyndigheten", Role: arena.OrgRoleMember, PlatformRole: arena.RoleBroker},
	{Email: "handlaggare@vinnova.demo", Name: "Omar Haddad, handläggare", OrgName: "Vinnova", Role: arena.OrgRoleMember, PlatformRole: arena.RoleFunderOfficer},
	{Email: "lisa@tryggalarm.demo", Name: "Lisa Holm, affärsutvecklare", OrgName: "Trygga Larm i Norden AB", Role: arena.OrgRoleAdmin},
	{Email: "johan@sensorik.demo", Name: "Johan Wik, vd", OrgName: "Sensorik Dalarna AB", Role: arena.OrgRoleAdmin},
}

// DemoSuppliers are the companies of the demo's suppliers, made by the
// demo (the report names buyers only): they answer market dialogues.
var DemoSuppliers = []arena.Organization{
	{Name: "Trygga Larm i Norden AB", OrgNumber: "559012-3450", Kind: arena.OrgCompany, Website: "https://tryggalarm.example"},
	{Name: "Sensorik Dalarna AB", OrgNumber: "556601-2349", Kind: arena.OrgCompany},
}

type demoNeed struct {
	org, title, description, sector string
	cpv                             []string
	value                           int64
	monthsAhead                     int
	intent                          arena.Intent
	visibility                      arena.Visibility
}

// demoNeeds are invented needs in the report organisations' names, so a
// newcomer sees matching and networks at work; they are labelled as demo.
var demoNeeds = []demoNeed{
	{"Falu kommun", "Trygghetslarm med digital larmkedja för hemtjänsten",
		"Vi behöver trygghetslarm för ca 1 200 brukare i ordinärt boende som fungerar i en helt digital larmkedja, med larmmottagning dygnet runt och uppföljning av åtgärdstider. Effekten vi söker är ökad trygghet för äldre som bor hemma.",
		"vård och omsorg", []string{"35121700-5"}, 4_000_000, 10, arena.IntentBudgeted, arena.VisibilityPublic},
	{"Mölndals stad", "Digitala larm för trygghet i hemmet",
		"Mölndal vill pröva ny teknik som skapar trygghet för personer med hemtjänst: larm som fungerar även utanför bostaden, rörelsesensorer och tillsyn på natten utan att störa. Vi vill gärna samverka med andra kommuner i en gemensam marknadsdialog.",
		"vård och omsorg", nil, 2_500_000, 14, arena.IntentPlan, arena.VisibilityPublic},
	{"Region Örebro län", "Automatiserad hantering av prover i biobank",
		"Regionen behöver minska manuell hantering av prover i biobanken och korta ledtiderna mellan provtagning och analys. Vi söker lösningar som kan integreras med befintliga laboratoriesystem.",
		"hälso- och sjukvård", nil, 9_000_000, 18, arena.IntentExplore, arena.VisibilityPublic},
	{"VA Syd", "Sensorer på brandposter för att upptäcka obehörigt uttag",
		"Vi vill veta när och var någon tar vatten ur brandposterna, för att minska svinn och risk för föroreningar i ledningsnätet. Lösningen ska larma i realtid och tåla vinterförhållanden.",
		"vatten och avlopp", []string{"35125100-7"}, 1_500_000, 8, arena.IntentPlan, arena.VisibilityPublic},
	{"Göteborgs stad", "Kundcentrerad ärendehantering för invånarärenden",
		"Staden behöver ett sätt att ta emot, fördela och följa upp invånarnas ärenden i alla kanaler, med invånarens behov i centrum och uppföljning av svarstider.",
		"digitalisering", []string{"48000000-8"}, 6_000_000, 20, arena.IntentExplore, arena.VisibilityPublic},
	{"Falu kommun", "Utkast: Laddinfrastruktur för kommunens fordon",
		"Internt utkast, ännu inte förankrat.",
		"transporter", nil, 0, 24, arena.IntentExplore, arena.VisibilityDraft},
}

// ApplyDemo adds the demo users and needs once; the report seed must have
// run. It reports whether it wrote anything.
func ApplyDemo(ctx context.Context, db *store.DB, now time.Time) (bool, error) {
	ctx = arena.WithActor(ctx, arena.SystemActor())
	orgIDs := map[string]int64{}
	page, err := db.Organizations.List(ctx, store.ListQuery{Limit: store.MaxPageSize})
	if err != nil {
		return false, err
	}
	for _, o := range page.Items {
		orgIDs[o.Name] = o.ID
	}
	hash, err := auth.HashPassword(DemoPassword)
	if err != nil {
		return false, err
	}
	applied := false
	err = db.InTx(ctx, func(tx *store.Tx) error {
		fresh, err := tx.MarkSeed(ctx, DemoSeed)
		if err != nil || !fresh {
			return err
		}
		applied = true
		for _, o := range DemoSuppliers {
			if err := db.Organizations.CreateTx(ctx, tx, &o); err != nil {
				return fmt.Errorf("demo supplier %s: %w", o.Name, err)
			}
			orgIDs[o.Name] = o.ID
		}
		for _, du := range DemoUsers {
			org, ok := orgIDs[du.OrgName]
			if !ok {
				return fmt.Errorf("demo user %s: organisation %q is not seeded", du.Email, du.OrgName)
			}
			u := &arena.User{Email: du.Email, Name: du.Name}
			if du.PlatformRole != "" {
				u.PlatformRoles = []arena.PlatformRole{du.PlatformRole}
			}
			if err := db.Users.CreateTx(ctx, tx, u); err != nil {
				return fmt.Errorf("demo user %s: %w", du.Email, err)
			}
			if err := tx.SetPasswordTx(ctx, u.ID, hash); err != nil {
				return err
			}
			if err := db.OrgMemberships.CreateTx(ctx, tx, &arena.OrgMembership{UserID: u.ID, OrgID: org, Role: du.Role}); err != nil {
				return err
			}
		}
		// Falun lets its people sign in through its identity provider, and
		// one of them has asked to join: Anna, its admin, decides.
		if err := db.OrgDomains.CreateTx(ctx, tx, &arena.OrgDomain{OrgID: orgIDs["Falu kommun"], Domain: DemoDomain}); err != nil {
			return err
		}
		asker := &arena.User{Email: DemoAsker, Name: "Karin Ström, miljöstrateg"}
		if err := db.Users.CreateTx(ctx, tx, asker); err != nil {
			return err
		}
		if err := db.OrgMemberships.CreateTx(ctx, tx, &arena.OrgMembership{UserID: asker.ID, OrgID: orgIDs["Falu kommun"],
			Role: arena.OrgRoleMember, Status: arena.OrgMemberRequested}); err != nil {
			return err
		}
		for _, dn := range demoNeeds {
			planned := arena.DateOf(now.AddDate(0, dn.monthsAhead, 0))
			n := &arena.Need{OrgID: orgIDs[dn.org], Title: dn.title, Description: dn.description, Sector: dn.sector,
				CPVCodes: dn.cpv, PlannedDate: &planned, Intent: dn.intent, Visibility: dn.visibility}
			if dn.value > 0 {
				v := dn.value
				n.EstimatedValueSEK = &v
			}
			if err := db.Needs.CreateTx(ctx, tx, n); err != nil {
				return fmt.Errorf("demo need %q: %w", dn.title, err)
			}
			if dn.title == demoDialogueNeed {
				if err := demoDialogue(ctx, tx, db, n, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return applied && err == nil, err
}

// demoDialogueNeed is the need Falun holds a market dialogue about.
const demoDialogueNeed = "Trygghetslarm med digital larmkedja för hemtjänsten"

// demoDialogue is Falun's published market dialogue about its need for
// trygghetslarm, with a dialogue day, open for a month.
func demoDialogue(ctx context.Context, tx *store.Tx, db *store.DB, n *arena.Need, now time.Time) error {
	deadline, meeting := arena.Today(now.AddDate(0, 1, 0)), arena.Today(now.AddDate(0, 0, 20))
	seats := int64(40)
	d := &arena.Dialogue{OrgID: &n.OrgID, NeedID: &n.ID, Kind: arena.DialogueMarket, Status: arena.DialoguePublished,
		Title: "Marknadsdialog: trygghetslarm i en digital larmkedja",
		Description: "Falu kommun ska upphandla trygghetslarm för omkring 1 200 brukare i ordinärt boende. Larmen ska fungera i en helt digital larmkedja, " +
			"också utanför bostaden, med larmmottagning dygnet runt och uppföljning av åtgärdstider. Vi vill höra hur marknaden kan möta behovet innan vi skriver förfrågningsunderlaget.",
		Questions: []string{
			"Vilka lösningar för trygghetslarm utanför bostaden finns i dag, och hur fungerar de i en digital larmkedja?",
			"Hur följer ni upp åtgärdstider, och vilka data kan kommunen få ut?",
			"Vad bör vi tänka på för att fler leverantörer ska kunna lämna anbud?",
		},
		CPVCodes: []string{"35121700"}, Sector: "vård och omsorg", Deadline: &deadline,
		Meeting: arena.MeetingDialogueDay, MeetingDate: &meeting, MeetingPlace: "Falu stadshus, kl. 9.00–12.00", Seats: &seats}
	if err := db.Dialogues.CreateTx(ctx, tx, d); err != nil {
		return fmt.Errorf("demo dialogue: %w", err)
	}
	return nil
}
