// Command arena-screenshots starts a demo Arena on a free loopback port,
// drives Debian's headless chromium through the main pages as the demo
// users, and writes a PNG of each to docs/screenshots/:
//
//	go run ./cmd/arena-screenshots            # from the repository's root
//	go run ./cmd/arena-screenshots -out /tmp/shots -data-dir ../shared/data
//
// It needs /usr/bin/chromium (apt-get install chromium, or .ci/browser.sh).
package main

import (
	"context"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/browser"
	"github.com/arena-se/arena/internal/reach"
	"github.com/arena-se/arena/internal/seed"
	"github.com/arena-se/arena/internal/store"
)

func main() {
	out := flag.String("out", filepath.Join("docs", "screenshots"), "folder for the PNG files")
	dataDir := flag.String("data-dir", browser.DataDir(), "reference data folder, laid out like shared/data")
	verbose := flag.Bool("v", false, "print the server's log")
	flag.Parse()
	if err := run(*out, *dataDir, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "arena-screenshots:", err)
		os.Exit(1)
	}
}

// shot is one page to photograph: its file name and how to reach it.
type shot struct {
	file string
	open func(p *browser.Page) error
}

func run(out, dataDir string, verbose bool) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	ctx := context.Background()
	var log io.Writer = io.Discard
	if verbose {
		log = os.Stderr
	}
	srv, err := browser.StartServer(ctx, dataDir, log)
	if err != nil {
		return err
	}
	defer srv.Close()
	b, err := browser.Start(ctx, nil)
	if err != nil {
		return err
	}
	defer b.Close()
	fmt.Printf("arena-screenshots: demo server %s, chromium %s, writing to %s\n", srv.URL, browser.ExecPath, out)

	var written []string
	take := func(p *browser.Page, s shot) error {
		if s.open != nil {
			if err := s.open(p); err != nil {
				return fmt.Errorf("%s: %w", s.file, err)
			}
		}
		f := filepath.Join(out, s.file)
		if err := p.Screenshot(f); err != nil {
			return fmt.Errorf("%s: %w", s.file, err)
		}
		written = append(written, f)
		return nil
	}
	open := func(path string) func(p *browser.Page) error {
		return func(p *browser.Page) error { return p.Open(path) }
	}
	// follow opens the first link under main whose href starts with prefix.
	follow := func(prefix string) func(p *browser.Page) error {
		return func(p *browser.Page) error {
			href := p.Href(fmt.Sprintf(`document.querySelector('main a[href^="%s"]')`, prefix))
			if href == "" {
				return fmt.Errorf("no link to %s… on %s", prefix, p.Path())
			}
			return p.Open(href)
		}
	}

	// A visitor: the sign-in page.
	anon, closeAnon, err := b.NewSession(srv.URL)
	if err != nil {
		return err
	}
	defer closeAnon()
	if err := take(anon, shot{"01-sign-in.png", open("/logga-in")}); err != nil {
		return err
	}

	// Anna of Falu kommun: her pages, and a network she proposes from her
	// trygghetslarm need with Mölndal's matching need.
	anna, closeAnna, err := b.NewSession(srv.URL)
	if err != nil {
		return err
	}
	defer closeAnna()
	if err := anna.SignIn("anna@falun.demo", seed.DemoPassword); err != nil {
		return err
	}
	needHref := ""
	for _, s := range []shot{
		{"02-start.png", open("/")},
		{"03-need-form.png", open("/behov/nytt")},
		{"04-need-with-matches.png", func(p *browser.Page) error {
			if err := p.Open("/"); err != nil {
				return err
			}
			needHref = p.Href(browser.LinkJS("Trygghetslarm med digital larmkedja"))
			if needHref == "" {
				return errors.New("the start page has no link to Falun's trygghetslarm need")
			}
			return p.Open(needHref)
		}},
	} {
		if err := take(anna, s); err != nil {
			return err
		}
	}
	network := "Trygghetslarm Falun och Mölndal"
	if err := proposeNetwork(anna, needHref, "Digitala larm för trygghet i hemmet", network); err != nil {
		return err
	}
	networkPath := strings.SplitN(anna.Path(), "?", 2)[0]

	// Erik of Mölndals stad accepts, so the network has two members.
	erik, closeErik, err := b.NewSession(srv.URL)
	if err != nil {
		return err
	}
	defer closeErik()
	if err := erik.SignIn("erik@molndal.demo", seed.DemoPassword); err != nil {
		return err
	}
	if err := take(erik, shot{"05-start-with-invitation.png", open("/")}); err != nil {
		return err
	}
	accept := fmt.Sprintf(`(() => { const c = [...document.querySelectorAll('#invitations .card')].find(c => c.innerText.includes(%q)); return c && c.querySelector('button[id^="accept-"]'); })()`, network)
	if err := erik.PressJS(accept, "accept the invitation"); err != nil {
		return err
	}
	for _, s := range []shot{
		{"06-network.png", open(networkPath)},
		{"07-networks.png", open("/natverk")},
		{"08-calls.png", open("/utlysningar")},
		{"09-call.png", follow("/utlysningar/")},
		{"10-projects.png", open("/projekt")},
		{"11-experts.png", open("/experter")},
		{"12-organisations.png", open("/organisationer")},
	} {
		if err := take(erik, s); err != nil {
			return err
		}
	}
	// The network's other tabs, when the page links them.
	if err := erik.Open(networkPath); err == nil {
		links, _ := browser.Eval[[]string](erik, fmt.Sprintf(`[...new Set([...document.querySelectorAll('main a[href^="%s/"]')].map(a => a.getAttribute('href').split('#')[0]))]`, networkPath))
		for _, l := range links {
			name := fmt.Sprintf("06-network-%s.png", strings.Trim(strings.TrimPrefix(l, networkPath), "/"))
			if err := take(erik, shot{name, open(l)}); err != nil {
				return err
			}
		}
	}

	// Erik's inbox: the invitation and Falun's similar need; and the
	// morning digest they make, as a mail client shows its HTML.
	srv.Main.App.Reach.RunOnce(ctx)
	if err := take(erik, shot{"18-inbox.png", open("/inkorg")}); err != nil {
		return err
	}
	if err := take(erik, shot{"19-digest-email.png", func(p *browser.Page) error {
		html, err := digestHTML(ctx, srv, "erik@molndal.demo")
		if err != nil {
			return err
		}
		// A document of its own, as a mail client shows it: not under
		// the site's Content-Security-Policy, which refuses inline styles.
		return p.Do(chromedp.Navigate("data:text/html;charset=utf-8;base64," + base64.StdEncoding.EncodeToString([]byte(html))))
	}}); err != nil {
		return err
	}

	// Erik's watches, after watching a search of the needs.
	if err := take(erik, shot{"20-watches.png", func(p *browser.Page) error {
		if err := p.Open("/behov?q=vatten&cpv=65000000"); err != nil {
			return err
		}
		if err := p.PressJS(browser.CSSJS("#watch-this"), "watch this search"); err != nil {
			return err
		}
		return p.WaitText("Bevakningen är sparad")
	}}); err != nil {
		return err
	}

	// VA Syd, with nobody in Arena, invited to Anna's network by e-mail:
	// the e-mail as a mail client shows it, and the sign-up page its link
	// opens.
	link, html, err := emailInvite(ctx, srv, networkPath)
	if err != nil {
		return err
	}
	if err := take(anon, shot{"21-invitation-email.png", func(p *browser.Page) error {
		return p.Do(chromedp.Navigate("data:text/html;charset=utf-8;base64," + base64.StdEncoding.EncodeToString([]byte(html))))
	}}); err != nil {
		return err
	}
	if err := take(anon, shot{"22-sign-up.png", open(link)}); err != nil {
		return err
	}

	// The broker's dashboard.
	broker, closeBroker, err := b.NewSession(srv.URL)
	if err != nil {
		return err
	}
	defer closeBroker()
	if err := broker.SignIn("maklare@arena.demo", seed.DemoPassword); err != nil {
		return err
	}
	if err := take(broker, shot{"13-broker.png", open("/maklare")}); err != nil {
		return err
	}
	// The registers' forms: a broker registers an organisation (kommun
	// and län by name), a funder officer publishes a call.
	if err := take(broker, shot{"27-organisation-form.png", func(p *browser.Page) error {
		if err := p.Open("/organisationer/ny"); err != nil {
			return err
		}
		for _, f := range [][2]string{{"Namn", "Ludvika kommun"}, {"Organisationsnummer", "212000-2262"}, {"Kommun eller län", "Ludvika (kommun"}} {
			if err := p.Fill(f[0], f[1]); err != nil {
				return err
			}
		}
		return nil
	}}); err != nil {
		return err
	}
	officer, closeOfficer, err := b.NewSession(srv.URL)
	if err != nil {
		return err
	}
	defer closeOfficer()
	if err := officer.SignIn("handlaggare@vinnova.demo", seed.DemoPassword); err != nil {
		return err
	}
	if err := take(officer, shot{"26-call-form.png", func(p *browser.Page) error {
		if err := p.Open("/utlysningar/ny"); err != nil {
			return err
		}
		for _, f := range [][2]string{{"Finansiär", "Vinnova"}, {"Rubrik", "Innovationsupphandling av digitala trygghetslarm"},
			{"Beskrivning", "Stöd till kommuner som tillsammans upphandlar digitala trygghetslarm."}, {"Kommun", "true"}, {"Region", "true"},
			{"Sista ansökningsdag", "2027-06-30"}, {"Största belopp (kr)", "2 000 000"}, {"Egen medfinansiering (%)", "50"}} {
			if err := p.Fill(f[0], f[1]); err != nil {
				return err
			}
		}
		return nil
	}}); err != nil {
		return err
	}

	// Anna as Falu kommun's admin: its e-mail domains and a request to join.
	if err := take(anna, shot{"17-organisation-admin.png", func(p *browser.Page) error {
		if err := p.Open("/organisationer?q=Falu"); err != nil {
			return err
		}
		href := p.Href(`[...document.querySelectorAll('main a[href^="/organisationer/"]')].find(a => a.textContent.trim() === 'Falu kommun')`)
		if href == "" {
			return fmt.Errorf("no link to Falu kommun")
		}
		return p.Open(href + "#h-org-admin")
	}}); err != nil {
		return err
	}

	// Anna starts a network open to new members; Erik is offered to ask
	// to join it, asks, and Anna sees the request on its members tab.
	if err := take(anna, shot{"23-network-form.png", func(p *browser.Page) error {
		if err := p.Open("/natverk/nytt"); err != nil {
			return err
		}
		for _, f := range [][2]string{{"Nätverkets namn", "Välfärdsteknik i samverkan"}, {"Strategiskt", "true"},
			{"Beskrivning", "Långsiktigt arbete med välfärdsteknik i hemtjänsten: trygghetslarm, tillsyn och läkemedelsstöd."},
			{"Startår", "2027"}, {"Öppet för nya medlemmar", "true"}} {
			if err := p.Fill(f[0], f[1]); err != nil {
				return err
			}
		}
		return nil
	}}); err != nil {
		return err
	}
	if err := anna.PressJS(browser.CSSJS("#network-save"), "start the network"); err != nil {
		return err
	}
	openPath := strings.SplitN(anna.Path(), "?", 2)[0]
	if err := take(erik, shot{"24-network-ask-to-join.png", open(openPath)}); err != nil {
		return err
	}
	if err := erik.PressJS(browser.CSSJS("#ask-submit"), "ask to join"); err != nil {
		return err
	}
	if err := take(anna, shot{"25-network-request.png", open(openPath + "/medlemmar")}); err != nil {
		return err
	}

	// The deliverables library, and a deliverable with its file: Anna adds
	// the network's requirement specification and its PDF.
	if err := take(anna, shot{"29-deliverable.png", func(p *browser.Page) error {
		if err := p.Open(networkPath + "/leveranser"); err != nil {
			return err
		}
		for _, f := range [][2]string{{"Namn på leveransen", "Gemensam kravspecifikation för digitala trygghetslarm"}, {"Beskrivning", "Funktionskrav och avtalsvillkor som Falun och Mölndal tog fram tillsammans."}} {
			if err := p.Fill(f[0], f[1]); err != nil {
				return err
			}
		}
		if err := p.PressJS(browser.CSSJS("#deliverable-save"), "add the deliverable"); err != nil {
			return err
		}
		dels, err := store.All(arena.WithActor(ctx, arena.SystemActor()), srv.Main.DB.Deliverables, map[string]string{"q": "digitala trygghetslarm"})
		if err != nil || len(dels) == 0 {
			return fmt.Errorf("the deliverable: %v", err)
		}
		if _, err := srv.Main.DB.DeliverableFiles.Add(arena.WithActor(ctx, arena.SystemActor()), dels[0].ID, "kravspecifikation-trygghetslarm.pdf", []byte("%PDF-1.4\n% Arena\n%%EOF\n")); err != nil {
			return err
		}
		return p.Open(fmt.Sprintf("/leveranser/%d", dels[0].ID))
	}}); err != nil {
		return err
	}
	if err := take(anna, shot{"28-library.png", open("/leveranser")}); err != nil {
		return err
	}

	// A market dialogue: Falun's demo dialogue as the suppliers find it,
	// Lisa of Trygga Larm answers it and asks a question, Johan of
	// Sensorik answers too; Anna sees the question waiting, answers it to
	// everyone, and reads the answers together. Her form for a new one.
	const dialogueTitle = "Marknadsdialog: trygghetslarm i en digital larmkedja"
	dialoguePath := ""
	for _, sup := range []struct{ email, file, answer, question string }{
		{"lisa@tryggalarm.demo", "31-dialogue-supplier.png", "Våra larm har GPS och fungerar i hela Norden, i en helt digital larmkedja.", "Får vi lämna förslag på delar av behovet?"},
		{"johan@sensorik.demo", "", "Vi bygger rörelsesensorer med fem års batteritid som larmar via larmkedjan.", ""},
	} {
		p, closeP, err := b.NewSession(srv.URL)
		if err != nil {
			return err
		}
		defer closeP()
		if err := p.SignIn(sup.email, seed.DemoPassword); err != nil {
			return err
		}
		if dialoguePath == "" {
			if err := take(p, shot{"30-dialogues.png", open("/dialoger")}); err != nil {
				return err
			}
			dialoguePath = p.Href(browser.LinkJS(dialogueTitle))
			if dialoguePath == "" {
				return errors.New("the dialogues page has no link to Falun's demo dialogue")
			}
		}
		if err := p.Open(dialoguePath); err != nil {
			return err
		}
		if err := p.Fill("Svar på fråga 1", sup.answer); err != nil {
			return err
		}
		if err := p.PressJS(browser.CSSJS("#answer-send"), "send the answer"); err != nil {
			return err
		}
		if err := p.WaitText("Ert svar är sparat"); err != nil {
			return err
		}
		if sup.question != "" {
			if err := p.Fill("Ställ en fråga", sup.question); err != nil {
				return err
			}
			if err := p.PressJS(browser.CSSJS("#ask"), "ask"); err != nil {
				return err
			}
			if err := p.WaitText("Frågan är skickad"); err != nil {
				return err
			}
		}
		if sup.file != "" {
			if err := take(p, shot{sup.file, open(dialoguePath)}); err != nil {
				return err
			}
		}
	}
	if err := take(anna, shot{"32-dialogue-publisher.png", open(dialoguePath + "#questions")}); err != nil {
		return err
	}
	if err := anna.Fill("Svar till alla leverantörer", "Ja, förslag på delar av behovet är välkomna."); err != nil {
		return err
	}
	if err := anna.PressJS(browser.CSSJS(`button[id^="reply-"]`), "answer the question to everyone"); err != nil {
		return err
	}
	if err := anna.WaitText("Svaret är publicerat till alla leverantörer"); err != nil {
		return err
	}
	if err := take(anna, shot{"33-dialogue-summary.png", open(dialoguePath + "/sammanstallning")}); err != nil {
		return err
	}
	if err := take(anna, shot{"34-dialogue-form.png", func(p *browser.Page) error {
		if err := p.Open(networkPath); err != nil {
			return err
		}
		return p.PressJS(browser.CSSJS("#new-dialogue"), "publish a dialogue")
	}}); err != nil {
		return err
	}

	// Running a network without the API: its settings, a member's
	// mandate and tier; one's own profile; the broker's people and a
	// project form.
	for _, s := range []shot{
		{"35-network-edit.png", open(networkPath + "/andra")},
		{"36-member-form.png", func(p *browser.Page) error {
			if err := p.Open(networkPath + "/medlemmar"); err != nil {
				return err
			}
			return follow("/natverksmedlemmar/")(p)
		}},
		{"37-profile.png", open("/installningar/profil")},
	} {
		if err := take(anna, s); err != nil {
			return err
		}
	}
	// Falun's procurement plan imported from the organisation's page: the
	// columns to map, the check's report with a bad row, the import page
	// with the drafts to publish; and a register's download links.
	if err := importPlanShots(anna, take); err != nil {
		return err
	}
	if err := take(anna, shot{"43-needs-export.png", open("/behov?q=trygghetslarm")}); err != nil {
		return err
	}
	// With the plan's needs, the organisation's own needs a page at a time.
	if err := take(anna, shot{"44-own-needs.png", open("/behov?egna=1")}); err != nil {
		return err
	}
	for _, s := range []shot{
		{"38-broker-people.png", open("/maklare/personer?q=falun")},
		{"39-project-form.png", open("/projekt/ny")},
	} {
		if err := take(broker, s); err != nil {
			return err
		}
	}

	// On a phone, and in English.
	if err := anna.Viewport(390, 844, true); err != nil {
		return err
	}
	if err := take(anna, shot{"14-start-phone.png", open("/")}); err != nil {
		return err
	}
	if err := take(anna, shot{"15-need-phone.png", open(needHref)}); err != nil {
		return err
	}
	if err := anna.Viewport(1280, 900, false); err != nil {
		return err
	}
	if err := take(anna, shot{"16-start-english.png", open("/sprak/en?tillbaka=/")}); err != nil {
		return err
	}
	if err := anna.Open("/sprak/sv?tillbaka=/"); err != nil {
		return err
	}

	fmt.Printf("arena-screenshots: wrote %d screenshots at %s\n", len(written), time.Now().Format(time.DateTime))
	for _, f := range written {
		fmt.Println("  " + f)
	}
	return nil
}

// importPlan is a procurement plan as Swedish Excel saves it, its title
// column under a header Arena does not know and one row with a date that
// is no date.
const importPlan = "\ufeffNr;Upphandlingsföremål;Beskrivning;CPV-kod;Uppskattat värde (kr);Planerat datum;Ansvarig\r\n" +
	"1;Trygghetslarm i ordinärt boende;Digitala trygghetslarm med larmkedja för 900 brukare;33196000;1 200 000;2027-03-01;Anna Andersson\r\n" +
	"2;Matlådor till hemtjänsten;Kylda matlådor fem dagar i veckan;15894000;4 500 000;snart;Erik Berg\r\n" +
	"3;Rullatorer och hjälpmedel;Hjälpmedel för äldre i ordinärt boende;33196000;800 000;2027-09-01;Anna Andersson\r\n" +
	"4;Laddstolpar vid kommunens förskolor;Laddinfrastruktur för kommunens elbilar;31158100;2 000 000;2028-01-15;Karin Dahl\r\n"

// importPlanShots uploads importPlan on Falu kommun's page as its admin
// (p) and takes the import's pages.
func importPlanShots(p *browser.Page, take func(*browser.Page, shot) error) error {
	dir, err := os.MkdirTemp("", "arena-screenshots-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "upphandlingsplan 2027.csv")
	if err := os.WriteFile(file, []byte(importPlan), 0o644); err != nil {
		return err
	}
	if err := p.Open("/organisationer?q=Falu"); err != nil {
		return err
	}
	org := p.Href(`[...document.querySelectorAll('main a[href^="/organisationer/"]')].find(a => a.textContent.trim() === 'Falu kommun')`)
	if org == "" {
		return errors.New("no link to Falu kommun")
	}
	if err := p.Open(org + "/import"); err != nil {
		return err
	}
	if err := p.Fill("Upphandlingsplan (CSV eller Excel)", "true"); err != nil {
		return err
	}
	if err := p.Upload("#file", file); err != nil {
		return err
	}
	if err := p.PressJS(browser.CSSJS("#import-upload"), "upload"); err != nil {
		return err
	}
	job := p.Path()
	if err := take(p, shot{"40-import-mapping.png", nil}); err != nil {
		return err
	}
	if err := p.Fill("Upphandlingsföremål", "rubrik"); err != nil {
		return err
	}
	if err := p.PressJS(browser.CSSJS("#import-check"), "check"); err != nil {
		return err
	}
	if err := p.FollowRun(); err != nil {
		return err
	}
	if err := p.WaitText("Kontroll av filen"); err != nil {
		return err
	}
	if err := take(p, shot{"41-import-check.png", nil}); err != nil {
		return err
	}
	if err := p.Fill("Importera de rader som är rätt även om andra har fel", "true"); err != nil {
		return err
	}
	if err := p.PressJS(browser.CSSJS("#import-start"), "import"); err != nil {
		return err
	}
	if err := p.FollowRun(); err != nil {
		return fmt.Errorf("%s: %w", job, err)
	}
	if err := p.WaitText("behov skapades som utkast"); err != nil {
		return fmt.Errorf("%s: %w", job, err)
	}
	return take(p, shot{"42-import.png", func(p *browser.Page) error { return p.Open(org + "/import") }})
}

// proposeNetwork ticks the matching need of another organisation on a
// need's page and proposes a network with it.
func proposeNetwork(p *browser.Page, needPath, otherTitle, name string) error {
	if err := p.Open(needPath); err != nil {
		return err
	}
	if err := p.Fill("Ta med ”"+otherTitle+"”", "true"); err != nil {
		return err
	}
	if err := p.Fill("Nätverkets namn", name); err != nil {
		return err
	}
	if err := p.PressJS(browser.CSSJS("#propose-submit"), "propose the network"); err != nil {
		return err
	}
	if !strings.HasPrefix(p.Path(), "/natverk/") {
		return fmt.Errorf("proposing a network led to %s", p.Path())
	}
	return nil
}

// digestHTML is the HTML of the daily digest the person's notifications
// make, as the sender builds it.
func digestHTML(ctx context.Context, srv *browser.Server, email string) (string, error) {
	db := srv.Main.DB
	id, err := db.UserIDByEmail(ctx, email)
	if err != nil {
		return "", err
	}
	notes, err := db.Notifications(ctx, id, 0, 10)
	if err != nil {
		return "", err
	}
	var ids []int64
	for _, n := range notes {
		ids = append(ids, n.ID)
	}
	slices.Reverse(ids)
	msg, ok, err := srv.Main.App.Reach.Preview(ctx, id, arena.DeliverDaily, ids)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", fmt.Errorf("%s has no notifications to show", email)
	}
	return msg.HTML, nil
}

// emailInvite invites VA Syd to the network at networkPath and gives an
// address, as Anna does on the members tab; it returns the sign-up page's
// path and the e-mail's HTML.
func emailInvite(ctx context.Context, srv *browser.Server, networkPath string) (link, html string, err error) {
	db, app := srv.Main.DB, srv.Main.App
	sys := arena.WithActor(ctx, arena.SystemActor())
	var netID int64
	if _, err := fmt.Sscanf(strings.TrimPrefix(networkPath, "/natverk/"), "%d", &netID); err != nil {
		return "", "", fmt.Errorf("network path %q: %w", networkPath, err)
	}
	orgs, err := db.Organizations.List(sys, store.ListQuery{Filters: map[string]string{"q": "VA Syd"}, Limit: 1})
	if err != nil || len(orgs.Items) != 1 {
		return "", "", fmt.Errorf("VA Syd: %v", err)
	}
	m := &arena.NetworkMember{NetworkID: netID, OrgID: orgs.Items[0].ID, Status: arena.MemberInvited}
	if err := db.NetworkMembers.Create(sys, m); err != nil {
		return "", "", err
	}
	inv := &arena.EmailInvite{MemberID: m.ID, Email: "upphandling@vasyd.example"}
	if err := db.CreateEmailInvite(sys, inv); err != nil {
		return "", "", err
	}
	tok, err := app.Reach.InviteToken(ctx, inv)
	if err != nil {
		return "", "", err
	}
	msg, ok, err := app.Reach.PreviewInvite(ctx, inv.ID)
	if err != nil || !ok {
		return "", "", fmt.Errorf("the invitation e-mail: %v", err)
	}
	return reach.InviteLink(tok), msg.HTML, nil
}
