package browser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/arena-se/arena/internal/seed"
	"github.com/chromedp/chromedp/kb"
)

// The demo people of the flow (internal/seed/demo.go).
const (
	annaEmail   = "anna@falun.demo"   // Falu kommun
	erikEmail   = "erik@molndal.demo" // Mölndals stad
	brokerEmail = "maklare@arena.demo"
	falun       = "Falu kommun"
	molndal     = "Mölndals stad"
	// The Mölndal demo need that a Falun need about trygghetslarm matches.
	molndalNeed      = "Digitala larm för trygghet i hemmet"
	molndalNeedValue = 2_500_000
)

// driver is how a person works a page: with the mouse, or with the
// keyboard alone.
type driver interface {
	// fill puts value in the field labelled label (a list: the option; a
	// checkbox: checked unless "false").
	fill(p *Page, label, value string) error
	// press activates the button or link that expr finds and waits for
	// the page it loads.
	press(p *Page, expr, name string) error
}

// mouse clicks and types into the fields it clicks.
type mouse struct{}

func (mouse) fill(p *Page, label, value string) error { return p.Fill(label, value) }
func (mouse) press(p *Page, expr, name string) error  { return p.PressJS(expr, name) }

// keyboard only sends keys: Tab and Shift+Tab to move, typing to fill,
// Space for a checkbox, Enter for a button or a link.
type keyboard struct{ maxTabs int }

func (k keyboard) fill(p *Page, label, value string) error { return p.KeyFill(label, value, k.maxTabs) }
func (k keyboard) press(p *Page, expr, name string) error  { return p.KeyPress(expr, name, k.maxTabs) }

// flowNeed is the need the Falun buyer posts in the flow: trygghetslarm
// again, in other words, so that Mölndal's need matches it.
type flowNeed struct {
	Title, Description, Value, Intent, Visibility string
	ValueSEK                                      int64
}

func newFlowNeed(tag string) flowNeed {
	return flowNeed{
		Title:       "Trygghetslarm och nattillsyn för äldre i ordinärt boende " + tag,
		Description: "Vi vill upphandla digitala trygghetslarm som fungerar även utanför bostaden, med tillsyn på natten via sensorer, för personer med hemtjänst. Vi vill gärna samverka med andra kommuner.",
		Value:       "3 000 000",
		ValueSEK:    3_000_000,
		Intent:      "Budgeterat",
		Visibility:  "Alla (publikt)",
	}
}

// sek formats an amount as the pages do, whitespace aside: 5 500 000 kr.
func sek(v int64) string {
	s := fmt.Sprint(v)
	var parts []string
	for len(s) > 3 {
		parts = append([]string{s[len(s)-3:]}, parts...)
		s = s[:len(s)-3]
	}
	parts = append([]string{s}, parts...)
	return strings.Join(parts, " ") + " kr"
}

// signIn signs in from whatever page is shown, through the sign-in link.
func signIn(t *testing.T, p *Page, d driver, email string) {
	t.Helper()
	if p.Path() == "" || !p.Has(CSSJS("#sign-in-link")) {
		must(t, p, p.Open("/"), "open the start page")
	}
	must(t, p, d.press(p, CSSJS("#sign-in-link"), "the sign-in link"), "go to sign in")
	must(t, p, d.fill(p, "E-postadress", email), "type the e-mail address")
	must(t, p, d.fill(p, "Lösenord", seed.DemoPassword), "type the password")
	must(t, p, d.press(p, CSSJS("#login-submit"), "the sign-in button"), "sign in as %s", email)
	must(t, p, p.WaitText("Logga ut"), "signed in as %s", email)
	if !p.Has(CSSJS("#sign-out")) {
		t.Fatalf("signed in as %s but no sign-out button (#sign-out); %s", email, p.excerpt())
	}
}

func signOut(t *testing.T, p *Page, d driver) {
	t.Helper()
	must(t, p, d.press(p, CSSJS("#sign-out"), "the sign-out button"), "sign out")
	must(t, p, p.WaitText("Du är utloggad"), "signed out")
}

// matchCardJS finds the card of a matching need by its title, in the
// need page's list of other buyers' needs.
func matchCardJS(title string) string {
	return fmt.Sprintf(`[...document.querySelectorAll('#matches-needs .match')].find(c => c.innerText.includes(%s))`, jsString(title))
}

// runFlow is the flow: Anna of Falu kommun posts a need, sees
// Mölndal's matching need with its reasons, proposes a network from it,
// signs out; Erik of Mölndals stad signs in, accepts, and the network
// page shows both members and their joint purchasing power.
func runFlow(t *testing.T, p *Page, d driver, tag string) {
	need := newFlowNeed(tag)
	network := "Trygghetslarm Falun och Mölndal " + tag

	// 1. Anna signs in and posts a need.
	must(t, p, p.Open("/"), "open the start page")
	signIn(t, p, d, annaEmail)
	must(t, p, p.WaitText(falun), "the start page names Anna's organisation")
	must(t, p, d.press(p, CSSJS("#new-need"), "the new-need link"), "go to the need form")
	must(t, p, d.fill(p, "Rubrik", need.Title), "type the title")
	must(t, p, d.fill(p, "Funktionsbeskrivning", need.Description), "type the description")
	must(t, p, d.fill(p, "Uppskattat värde (kr)", need.Value), "type the value")
	must(t, p, d.fill(p, "Köpavsikt", need.Intent), "choose the intent")
	must(t, p, d.fill(p, "Synlighet", need.Visibility), "choose the visibility")
	must(t, p, d.press(p, CSSJS("#need-save"), "the save button"), "save the need")
	must(t, p, p.WaitText("Behovet är publicerat", need.Title), "the need's page after saving")
	if !strings.HasPrefix(p.Path(), "/behov/") {
		t.Fatalf("after saving, the page is %s, not the need's page", p.Path())
	}

	// 2. Its page lists Mölndal's need among other buyers' needs, with
	// the reasons it matches.
	must(t, p, p.WaitText("Matchningar", molndalNeed, molndal), "the need's matches")
	card := matchCardJS(molndalNeed)
	if !p.Has(card) {
		t.Fatalf("Mölndal's need %q is not among the matching needs (#matches-needs .match); %s", molndalNeed, p.excerpt())
	}
	reasons, err := Eval[[]string](p, `[...(`+card+`).querySelectorAll('.reasons li')].map(li => li.innerText.trim())`)
	must(t, p, err, "read the reasons")
	if len(reasons) == 0 {
		t.Fatalf("the match %q shows no reasons (.reasons li)", molndalNeed)
	}
	t.Logf("why %q matches: %q", molndalNeed, reasons)

	// 3. Propose a network with it.
	must(t, p, d.fill(p, "Ta med ”"+molndalNeed+"”", "true"), "pick Mölndal's need")
	must(t, p, d.fill(p, "Nätverkets namn", network), "name the network")
	must(t, p, d.press(p, CSSJS("#propose-submit"), "the propose-network button"), "propose the network")
	must(t, p, p.WaitText("Nätverket är bildat", network), "the new network's page")
	networkPath := p.Path()
	if i := strings.IndexByte(networkPath, '?'); i >= 0 {
		networkPath = networkPath[:i]
	}
	if !strings.HasPrefix(networkPath, "/natverk/") {
		t.Fatalf("after proposing, the page is %s, not a network's page", p.Path())
	}
	signOut(t, p, d)

	// 4. Erik of Mölndal signs in and accepts the invitation on his
	// start page.
	signIn(t, p, d, erikEmail)
	must(t, p, p.WaitText("Inbjudningar till nätverk", network), "Erik's start page shows the invitation")
	accept := fmt.Sprintf(`(() => { const c = [...document.querySelectorAll('#invitations .card')].find(c => c.innerText.includes(%s)); return c && c.querySelector('button[id^="accept-"]'); })()`, jsString(network))
	must(t, p, d.press(p, accept, "the accept button of the invitation"), "accept the invitation")
	must(t, p, p.WaitText("Du har tackat ja till nätverket"), "the invitation is accepted")

	// 5. The network's page shows both members and their joint
	// purchasing power.
	must(t, p, d.press(p, LinkJS(network), "the network's link"), "open the network")
	if got := p.Path(); !strings.HasPrefix(got, networkPath) {
		t.Fatalf("the network's link went to %s, not %s", got, networkPath)
	}
	must(t, p, p.WaitText(network), "the network's page")
	members := textOf(t, p, "#members")
	for _, org := range []string{falun, molndal} {
		if !strings.Contains(members, org) {
			t.Errorf("the network's members (#members) lack %s: %q", org, members)
		}
	}
	want := sek(need.ValueSEK + molndalNeedValue)
	if got := textOf(t, p, "#power-total"); got != want {
		t.Errorf("joint purchasing power (#power-total) = %q, want %q (Falun's %s + Mölndal's %s)", got, want, sek(need.ValueSEK), sek(molndalNeedValue))
	}
}

// textOf is the visible text of the element with a CSS selector, with
// whitespace (no-break spaces too) collapsed; the test fails without it.
func textOf(t *testing.T, p *Page, sel string) string {
	t.Helper()
	if !p.Has(CSSJS(sel)) {
		must(t, p, fmt.Errorf("no %s; %s", sel, p.excerpt()), "find %s", sel)
	}
	s, err := Eval[string](p, `(`+CSSJS(sel)+`).innerText`)
	must(t, p, err, "read %s", sel)
	return strings.Join(strings.Fields(s), " ")
}

// TestBuyersFormANetwork is the flow with the mouse.
func TestBuyersFormANetwork(t *testing.T) {
	b := needBrowser(t)
	s := startServer(t)
	p := session(t, b, s.URL)
	runFlow(t, p, mouse{}, "(mus)")
}

// TestBuyersFormANetworkWithKeyboard is the same flow with the keyboard
// alone: no clicks, only Tab, Shift+Tab, typing, Space and Enter.
func TestBuyersFormANetworkWithKeyboard(t *testing.T) {
	b := needBrowser(t)
	s := startServer(t)
	p := session(t, b, s.URL)

	// The first Tab of a page reaches the skip link, which shows itself
	// and moves the focus to the main content.
	must(t, p, p.Open("/"), "open the start page")
	must(t, p, p.TabTo(CSSJS(`a.skip-link[href="#main"]`), "the skip link", 1), "the first Tab")
	inView, err := Eval[bool](p, `(r => r.width > 1 && r.height > 1 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight)(document.activeElement.getBoundingClientRect())`)
	must(t, p, err, "measure the skip link")
	if !inView {
		t.Errorf("the focused skip link is not visible on the screen")
	}
	must(t, p, p.Key(kb.Enter), "follow the skip link")
	if !p.Has(`document.activeElement && document.activeElement.id === 'main'`) {
		t.Errorf("Enter on the skip link left the focus on %s, not main#main", p.Focused())
	}

	runFlow(t, p, keyboard{maxTabs: 120}, "(tangentbord)")
}
