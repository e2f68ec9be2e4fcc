package browser

import (
	"context"
	"strings"
	"testing"
	"time"
)

const (
	lisaEmail  = "lisa@tryggalarm.demo" // Trygga Larm i Norden AB, a supplier
	johanEmail = "johan@sensorik.demo"  // Sensorik Dalarna AB, another
)

// TestNetworkHoldsAMarketDialogue is the third scenario: Anna
// starts a network for Falun and publishes a market dialogue for it; two
// suppliers answer it, and neither sees the other's answer; Lisa asks a
// question, Anna answers it once, and the answer reaches both suppliers
// without Lisa's name; Anna reads the answers together. axe-core checks
// every page of the dialogue on the way.
func TestNetworkHoldsAMarketDialogue(t *testing.T) {
	runDialogue(t, mouse{})
}

// TestMarketDialogueWithKeyboard is the same with the keyboard alone: no
// clicks, only Tab, Shift+Tab, typing, Space and Enter.
func TestMarketDialogueWithKeyboard(t *testing.T) {
	runDialogue(t, keyboard{maxTabs: 150})
}

func runDialogue(t *testing.T, d driver) {
	b := needBrowser(t)
	needAxe(t)
	s := startServer(t)
	p := session(t, b, s.URL)
	const (
		network   = "Trygghetslarm i Dalarna"
		title     = "Marknadsdialog om larm utanför bostaden"
		q1, q2    = "Hur fungerar era larm utanför bostaden?", "Vad kostar larmet per brukare och år?"
		lisaA1    = "Våra larm har GPS och fungerar i hela Norden."
		johanA1   = "Vi bygger sensorer med fem års batteritid."
		question  = "Får vi lämna förslag på delar av behovet?"
		reply     = "Ja, förslag på delar av behovet är välkomna."
		lisaOrg   = "Trygga Larm i Norden AB"
		johanOrg  = "Sensorik Dalarna AB"
		notForYou = "another supplier's answer"
	)
	axe := func(what string) {
		t.Helper()
		vs, err := p.Axe()
		must(t, p, err, "run axe-core on %s", what)
		if len(vs) > 0 {
			t.Error(FormatViolations(what+" ("+p.Path()+")", vs))
		}
	}
	now := time.Now()
	deadline, meeting := now.AddDate(0, 0, 30).Format("2006-01-02"), now.AddDate(0, 0, 14).Format("2006-01-02")

	// 1. Anna starts a network for Falun and publishes a dialogue for it.
	must(t, p, p.Open("/"), "open the start page")
	signIn(t, p, d, annaEmail)
	must(t, p, p.Open("/natverk/nytt"), "open the network form")
	must(t, p, d.fill(p, "Nätverkets namn", network), "name the network")
	must(t, p, d.press(p, CSSJS("#network-save"), "the start button"), "start the network")
	must(t, p, p.WaitText(network), "the network's page")
	must(t, p, d.press(p, CSSJS("#new-dialogue"), "the publish-a-dialogue button"), "go to the dialogue form")
	must(t, p, p.WaitText("Ny marknadsdialog"), "the dialogue form")
	axe("the dialogue form")
	for _, f := range [][2]string{
		{"Typ av dialog", "Marknadsdialog"},
		{"Rubrik", title},
		{"Behovet i funktionella termer", "Äldre med hemtjänst ska kunna larma var de än är, dygnet runt."},
		{"Frågor till marknaden", q1 + "\n" + q2},
		{"Sista svarsdag", deadline},
		{"Möte", "Dialogdag"},
		{"Datum", meeting},
		{"Plats och tid", "Falu stadshus, kl. 9–12"},
		{"Antal platser", "30"},
		{"Status", "Publicerad"},
	} {
		must(t, p, d.fill(p, f[0], f[1]), "fill %s", f[0])
	}
	must(t, p, d.press(p, CSSJS("#register-save"), "the save button"), "publish the dialogue")
	must(t, p, p.WaitText(title, "Svar tas emot till och med", network, q1, q2), "the dialogue's page")
	path := strings.SplitN(p.Path(), "?", 2)[0]
	axe("the dialogue, as its publisher")
	signOut(t, p, d)

	// 2. Lisa finds it among the open dialogues and answers, asks and
	// registers for the dialogue day.
	signIn(t, p, d, lisaEmail)
	must(t, p, p.Open("/dialoger"), "open the dialogues")
	must(t, p, p.WaitText(title), "the dialogue is listed")
	axe("the dialogues")
	must(t, p, d.press(p, CSSJS(`#dialogues a[href="`+path+`"]`), "the dialogue's link"), "open the dialogue")
	must(t, p, p.WaitText("Ert svar", "Ställ en fråga"), "the supplier's forms")
	axe("the dialogue, as a supplier")
	must(t, p, d.fill(p, "Svar på fråga 1", lisaA1), "answer the first question")
	must(t, p, d.fill(p, "Svar på fråga 2", "1 900 kr per brukare och år."), "answer the second")
	must(t, p, d.fill(p, "Kontaktperson", "lisa@tryggalarm.demo"), "give a contact")
	must(t, p, d.press(p, CSSJS("#answer-send"), "the send button"), "send the answer")
	must(t, p, p.WaitText("Ert svar är sparat"), "the answer is saved")
	must(t, p, d.fill(p, "Ställ en fråga", question), "type a question")
	must(t, p, d.press(p, CSSJS("#ask"), "the ask button"), "ask")
	must(t, p, p.WaitText("Frågan är skickad", question), "the question is sent")
	must(t, p, d.fill(p, "Antal deltagare", "2"), "two attendees")
	must(t, p, d.press(p, CSSJS("#register"), "the register button"), "register")
	must(t, p, p.WaitText("Anmälan är sparad", "Ni är anmälda med 2 deltagare"), "registered")
	signOut(t, p, d)

	// 3. Johan answers too; he sees neither Lisa's answer nor her question.
	signIn(t, p, d, johanEmail)
	must(t, p, p.Open(path), "open the dialogue")
	must(t, p, p.WaitText("Ert svar"), "the supplier's forms")
	for _, secret := range []string{lisaA1, question} {
		if strings.Contains(textOf(t, p, "main"), secret) {
			t.Errorf("Johan sees %q, %s", secret, notForYou)
		}
	}
	must(t, p, d.fill(p, "Svar på fråga 1", johanA1), "answer the first question")
	must(t, p, d.press(p, CSSJS("#answer-send"), "the send button"), "send the answer")
	must(t, p, p.WaitText("Ert svar är sparat"), "the answer is saved")
	if strings.Contains(textOf(t, p, "main"), lisaA1) {
		t.Errorf("after answering, Johan sees Lisa's answer")
	}
	signOut(t, p, d)

	// 4. Anna answers the question, once, to everyone; she reads both
	// answers in the summary.
	signIn(t, p, d, annaEmail)
	must(t, p, p.Open(path), "open the dialogue")
	must(t, p, p.WaitText("Frågor som väntar på svar", question), "the question waits")
	if strings.Contains(textOf(t, p, "#questions"), lisaOrg) {
		t.Errorf("the publisher is shown who asked")
	}
	must(t, p, d.fill(p, "Svar till alla leverantörer", reply), "type the answer")
	must(t, p, d.press(p, CSSJS(`button[id^="reply-"]`), "the publish-the-answer button"), "answer the question")
	must(t, p, p.WaitText("Svaret är publicerat till alla leverantörer", reply), "the answer is published")
	must(t, p, d.press(p, CSSJS("#dialogue-summary"), "the summary link"), "open the summary")
	must(t, p, p.WaitText("2 leverantörer har svarat", lisaA1, johanA1, lisaOrg, johanOrg), "both answers in the summary")
	axe("the summary")
	if !p.Has(CSSJS(`a[href$="/export?format=xlsx"]`)) || !p.Has(CSSJS(`a[href$="/export?format=csv"]`)) {
		t.Errorf("the summary offers no Excel or CSV download")
	}
	signOut(t, p, d)

	// 5. The answer reaches both suppliers, without the asker's name; the
	// other's answer never does.
	s.Main.App.Reach.RunOnce(context.Background())
	for _, who := range []struct{ email, own, other string }{{lisaEmail, lisaA1, johanA1}, {johanEmail, johanA1, lisaA1}} {
		signIn(t, p, d, who.email)
		must(t, p, p.Open("/inkorg"), "open the inbox")
		must(t, p, p.WaitText("En fråga i marknadsdialogen ”"+title+"” har besvarats till alla leverantörer"), "%s is told of the answer", who.email)
		must(t, p, p.Open(path), "open the dialogue")
		must(t, p, p.WaitText(question, reply), "%s sees the answered question", who.email)
		if own, err := Eval[string](p, `document.querySelector('#answer-1').value`); err != nil || own != who.own {
			t.Errorf("%s's own answer in its form: %q (%v), want %q", who.email, own, err, who.own)
		}
		main := textOf(t, p, "main")
		if strings.Contains(main, who.other) {
			t.Errorf("%s sees %s", who.email, notForYou)
		}
		if strings.Contains(textOf(t, p, "#qa-public"), lisaOrg) {
			t.Errorf("%s is shown who asked", who.email)
		}
		signOut(t, p, d)
	}
}
