package browser

import (
	"context"
	"fmt"
	"strings"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/store"
)

const saraEmail = "sara@orebro.demo" // Region Örebro län

// TestBuyerStartsAStrategicNetwork is the first scenario: Anna of
// Falun starts a strategic network open to new members, with a sub-group,
// and invites two organisations to the sub-group; Erik of Mölndal accepts;
// Sara, Region Örebro län's admin, asks instead to join the strategic
// network, and Anna approves.
func TestBuyerStartsAStrategicNetwork(t *testing.T) {
	b := needBrowser(t)
	s := startServer(t)
	makeAdmin(t, s, saraEmail)
	p := session(t, b, s.URL)
	d := mouse{}
	const strategic, sub, orebro = "Välfärdsteknik i samverkan", "Trygghetslarm i samverkan", "Region Örebro län"

	// 1. Anna starts the strategic network, open to new members; Falun joins.
	must(t, p, p.Open("/"), "open the start page")
	signIn(t, p, d, annaEmail)
	must(t, p, p.Open("/natverk"), "open the networks")
	must(t, p, d.press(p, CSSJS("#new-network"), "the start-a-network button"), "go to the network form")
	must(t, p, d.fill(p, "Nätverkets namn", strategic), "name the network")
	must(t, p, d.fill(p, "Strategiskt", "true"), "choose strategic")
	must(t, p, d.fill(p, "Beskrivning", "Långsiktigt arbete med välfärdsteknik i hemtjänsten."), "describe it")
	must(t, p, d.fill(p, "Öppet för nya medlemmar", "true"), "open it to new members")
	must(t, p, d.press(p, CSSJS("#network-save"), "the start button"), "start the network")
	must(t, p, p.WaitText(strategic, "Strategiskt", "tar emot nya medlemmar"), "the strategic network's page")
	strategicPath := strings.SplitN(p.Path(), "?", 2)[0]

	// 2. A sub-group under it.
	must(t, p, d.press(p, CSSJS("#new-subgroup"), "the start-a-sub-group button"), "go to the sub-group form")
	must(t, p, p.WaitText("Ny undergrupp i ”"+strategic+"”"), "the sub-group form")
	must(t, p, d.fill(p, "Nätverkets namn", sub), "name the sub-group")
	must(t, p, d.press(p, CSSJS("#network-save"), "the start button"), "start the sub-group")
	must(t, p, p.WaitText(sub, "Taktiskt"), "the sub-group's page")
	subPath := strings.SplitN(p.Path(), "?", 2)[0]
	if bc := textOf(t, p, ".breadcrumb"); !strings.Contains(bc, strategic) {
		t.Errorf("the sub-group's breadcrumb does not name its strategic network: %q", bc)
	}

	// 3. Two organisations invited to the sub-group.
	for _, org := range []string{molndal, orebro} {
		must(t, p, p.Open(subPath+"/medlemmar"), "open the sub-group's members")
		must(t, p, d.fill(p, "Organisation", org), "type %s", org)
		must(t, p, d.press(p, CSSJS("#invite-org-submit"), "the invite button"), "invite %s", org)
		must(t, p, p.WaitText("Organisationen är inbjuden"), "%s is invited", org)
	}
	signOut(t, p, d)

	// 4. Erik accepts for Mölndal.
	signIn(t, p, d, erikEmail)
	must(t, p, p.WaitText("Inbjudningar till nätverk", sub), "Erik's start page shows the invitation")
	accept := fmt.Sprintf(`(() => { const c = [...document.querySelectorAll('#invitations .card')].find(c => c.innerText.includes(%s)); return c && c.querySelector('button[id^="accept-"]'); })()`, jsString(sub))
	must(t, p, d.press(p, accept, "the accept button of the invitation"), "accept the invitation")
	must(t, p, p.WaitText("Du har tackat ja till nätverket"), "the invitation is accepted")
	signOut(t, p, d)

	// 5. Sara asks for Region Örebro län to join the strategic network.
	signIn(t, p, d, saraEmail)
	must(t, p, p.Open(strategicPath), "open the strategic network")
	must(t, p, p.WaitText("Vill ni vara med?", "Förfrågan gäller "+orebro), "the offer to ask")
	must(t, p, d.press(p, CSSJS("#ask-submit"), "the ask button"), "ask to join")
	must(t, p, p.WaitText("Förfrågan är skickad"), "the request is sent")
	if p.Has(CSSJS("#ask-form")) {
		t.Errorf("after asking, the page still offers to ask")
	}
	signOut(t, p, d)

	// 6. Anna is told, and approves.
	signIn(t, p, d, annaEmail)
	s.Main.App.Reach.RunOnce(context.Background())
	must(t, p, p.Open("/inkorg"), "open Anna's inbox")
	must(t, p, p.WaitText(orebro+" ber att få gå med i nätverket ”"+strategic+"”"), "Anna is told of the request")
	must(t, p, p.Open(strategicPath+"/medlemmar"), "open the strategic network's members")
	must(t, p, d.press(p, rowButton(orebro, "approve-"), "the approve button"), "approve the request")
	must(t, p, p.WaitText("Förfrågan är godkänd"), "the request is approved")
	if row := rowText(t, p, orebro); !strings.Contains(row, "Aktiv") {
		t.Errorf("Region Örebro län in the strategic network: %q", row)
	}
	must(t, p, p.Open(subPath+"/medlemmar"), "open the sub-group's members")
	for org, status := range map[string]string{falun: "Aktiv", molndal: "Aktiv", orebro: "Inbjuden"} {
		if row := rowText(t, p, org); !strings.Contains(row, status) {
			t.Errorf("%s in the sub-group: %q, want %s", org, row, status)
		}
	}
}

// rowButton finds the button whose id starts with prefix in the members
// table's row of org.
func rowButton(org, prefix string) string {
	return fmt.Sprintf(`(() => { const r = [...document.querySelectorAll('#member-table tbody tr')].find(r => r.querySelector('th').innerText.includes(%s)); return r && r.querySelector('button[id^=%s]'); })()`, jsString(org), jsString(prefix))
}

// rowText is the text of the members table's row of org.
func rowText(t *testing.T, p *Page, org string) string {
	t.Helper()
	s, err := Eval[string](p, fmt.Sprintf(`(() => { const r = [...document.querySelectorAll('#member-table tbody tr')].find(r => r.querySelector('th').innerText.includes(%s)); return r ? r.innerText : ''; })()`, jsString(org)))
	must(t, p, err, "read the row of %s", org)
	if s == "" {
		t.Fatalf("no row of %s in the members table; %s", org, p.excerpt())
	}
	return strings.Join(strings.Fields(s), " ")
}

// makeAdmin makes the person an admin of their organisation, as another
// admin would on the organisation's page; the demo has one admin per
// organisation at most.
func makeAdmin(t *testing.T, s *Server, email string) {
	t.Helper()
	ctx := arena.WithActor(context.Background(), arena.SystemActor())
	db := s.Main.DB
	id, err := db.UserIDByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := store.Unchecked(ctx, db.OrgMemberships, map[string]string{"user_id": fmt.Sprint(id)})
	if err != nil || len(ms) != 1 {
		t.Fatalf("%s's organisation: %v (%d)", email, err, len(ms))
	}
	m := ms[0]
	m.Role = arena.OrgRoleAdmin
	if err := db.OrgMemberships.Update(ctx, m, m.Version); err != nil {
		t.Fatal(err)
	}
}

// TestFunderOfficerPublishesACall is the second scenario: Omar of
// Vinnova publishes a call for kommuner through the form; its page lists
// Falun's trygghetslarm need among the needs that fit, and the need's
// page lists the call.
func TestFunderOfficerPublishesACall(t *testing.T) {
	b := needBrowser(t)
	s := startServer(t)
	p := session(t, b, s.URL)
	d := mouse{}
	const title = "Innovationsupphandling av digitala trygghetslarm"
	const falunNeed = "Trygghetslarm med digital larmkedja"

	must(t, p, p.Open("/"), "open the start page")
	signIn(t, p, d, "handlaggare@vinnova.demo")
	must(t, p, p.Open("/utlysningar"), "open the calls")
	must(t, p, d.press(p, CSSJS("#new-call"), "the new-call button"), "go to the call form")
	for _, f := range [][2]string{
		{"Finansiär", "Vinnova"},
		{"Rubrik", title},
		{"Beskrivning", "Stöd till kommuner som tillsammans upphandlar digitala trygghetslarm med larmkedja för äldre i hemtjänsten och ordinärt boende."},
		{"Kommun", "true"},
		{"Sista ansökningsdag", "2027-06-30"},
		{"Största belopp (kr)", "2 000 000"},
	} {
		must(t, p, d.fill(p, f[0], f[1]), "fill %s", f[0])
	}
	must(t, p, d.press(p, CSSJS("#register-save"), "the save button"), "publish the call")
	must(t, p, p.WaitText(title, "Uppgiften är skapad"), "the call's page")
	if got := textOf(t, p, "#fitting-needs"); !strings.Contains(got, falunNeed) {
		t.Errorf("the call's fitting needs (#fitting-needs) lack Falun's need: %q", got)
	}
	signOut(t, p, d)

	signIn(t, p, d, annaEmail)
	must(t, p, d.press(p, LinkJS(falunNeed), "the need's link"), "open Falun's need")
	if got := textOf(t, p, "#matches-calls"); !strings.Contains(got, title) {
		t.Errorf("the need's calls (#matches-calls) lack the new call: %q", got)
	}
}
