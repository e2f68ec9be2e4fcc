package browser

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/reach"
	"github.com/arena-se/arena/internal/seed"
	"github.com/arena-se/arena/internal/store"
)

// axePage is one page to check: how a person gets there, as whom.
type axePage struct {
	name string
	who  string // "" for a visitor
	open func(t *testing.T, p *Page)
}

func openPath(path string) func(t *testing.T, p *Page) {
	return func(t *testing.T, p *Page) {
		t.Helper()
		must(t, p, p.Open(path), "open %s", path)
	}
}

// openFirst opens the first link in main whose href starts with prefix,
// from the page at from.
func openFirst(from, prefix string) func(t *testing.T, p *Page) {
	return func(t *testing.T, p *Page) {
		t.Helper()
		must(t, p, p.Open(from), "open %s", from)
		href := p.Href(fmt.Sprintf(`[...document.querySelectorAll('main a[href^="%s"]')].find(a => /^%s[0-9]+$/.test(a.getAttribute('href')))`, prefix, strings.ReplaceAll(prefix, "/", `\/`)))
		if href == "" {
			must(t, p, fmt.Errorf("no link to %s<id> on %s; %s", prefix, from, p.excerpt()), "find a page to check")
		}
		must(t, p, p.Open(href), "open %s", href)
	}
}

// openOwnOrg opens Falu kommun's page, where Anna, its admin, sees the
// e-mail domains and the demo's request to join.
func openOwnOrg(t *testing.T, p *Page) {
	t.Helper()
	must(t, p, p.Open("/organisationer?q=Falu"), "search the organisations")
	href := p.Href(`[...document.querySelectorAll('main a[href^="/organisationer/"]')].find(a => a.textContent.trim() === 'Falu kommun')`)
	if href == "" {
		must(t, p, fmt.Errorf("no link to Falu kommun; %s", p.excerpt()), "find Falu kommun")
	}
	must(t, p, p.Open(href), "open %s", href)
	must(t, p, p.WaitText("Ansökningar om att gå med"), "the requests to join")
}

// pageFixture is a demo server with a network of two buyers (Anna of
// Falun proposed it from her trygghetslarm need; Erik of Mölndal is
// invited) and one signed-in tab per person.
type pageFixture struct {
	srv                   *Server
	needPath, networkPath string
	as                    func(t *testing.T, who string) *Page
}

func newPageFixture(t *testing.T, b *Browser) *pageFixture {
	s := startServer(t)
	sessions := map[string]*Page{}
	parent := t
	f := &pageFixture{srv: s}
	f.as = func(t *testing.T, who string) *Page {
		t.Helper()
		if p, ok := sessions[who]; ok {
			return p
		}
		p, cancel, err := b.NewSession(s.URL)
		if err != nil {
			t.Fatal(err)
		}
		parent.Cleanup(cancel) // the session outlives the subtest
		if who != "" {
			must(t, p, p.SignIn(who, seed.DemoPassword), "sign in as %s", who)
		}
		sessions[who] = p
		return p
	}
	anna := f.as(t, annaEmail)
	must(t, anna, anna.Open("/"), "open Anna's start page")
	f.needPath = anna.Href(LinkJS("Trygghetslarm med digital larmkedja"))
	if f.needPath == "" {
		t.Fatalf("Anna's start page links no trygghetslarm need; %s", anna.excerpt())
	}
	must(t, anna, anna.Open(f.needPath), "open Falun's need")
	must(t, anna, anna.Fill("Ta med ”"+molndalNeed+"”", "true"), "pick Mölndal's need")
	must(t, anna, anna.PressJS(CSSJS("#propose-submit"), "propose a network"), "propose a network")
	f.networkPath = strings.SplitN(anna.Path(), "?", 2)[0]
	if !strings.HasPrefix(f.networkPath, "/natverk/") {
		t.Fatalf("proposing a network led to %s", anna.Path())
	}
	return f
}

// TestPagesHaveNoAxeViolations runs axe-core (WCAG 2.1 A and AA) on every
// page the issue lists, in Swedish, and on a few in English: 0 violations.
func TestPagesHaveNoAxeViolations(t *testing.T) {
	b := needBrowser(t)
	needAxe(t)
	f := newPageFixture(t, b)
	as, needPath, networkPath := f.as, f.needPath, f.networkPath

	pages := []axePage{
		{"sign in", "", openPath("/logga-in")},
		{"sign in with errors", "", func(t *testing.T, p *Page) {
			must(t, p, p.Open("/logga-in"), "open the sign-in page")
			must(t, p, p.PressJS(CSSJS("#login-submit"), "sign in"), "send the empty form")
			must(t, p, p.WaitText("Det finns fel i formuläret"), "the error summary")
		}},
		{"start, visitor", "", openPath("/")},
		{"start", annaEmail, openPath("/")},
		{"start with an invitation", erikEmail, openPath("/")},
		{"needs", annaEmail, openPath("/behov")},
		{"need form", annaEmail, openPath("/behov/nytt")},
		{"need form with errors", annaEmail, func(t *testing.T, p *Page) {
			must(t, p, p.Open("/behov/nytt"), "open the need form")
			must(t, p, p.PressJS(CSSJS("#need-save"), "save"), "send the empty form")
			must(t, p, p.WaitText("Det finns fel i formuläret"), "the error summary")
		}},
		{"need form with CPV suggestions", annaEmail, func(t *testing.T, p *Page) {
			must(t, p, p.Open("/behov/nytt"), "open the need form")
			must(t, p, p.Fill("Rubrik", "Trygghetslarm för äldre i hemtjänsten"), "type a title")
			must(t, p, p.PressJS(CSSJS("#cpv-suggest"), "suggest CPV codes"), "ask for CPV suggestions")
		}},
		{"need with matches", annaEmail, openPath(needPath)},
		{"networks", annaEmail, openPath("/natverk")},
		{"network, invited", erikEmail, openPath(networkPath)},
		{"network", annaEmail, openPath(networkPath)},
	}
	for _, tab := range []string{"medlemmar", "plan", "leveranser", "uppfoljning", "klassning", "varningar"} {
		pages = append(pages, axePage{"network " + tab, annaEmail, openPath(networkPath + "/" + tab)})
	}
	pages = append(pages,
		axePage{"a report network", annaEmail, openFirst("/natverk", "/natverk/")},
		axePage{"calls", annaEmail, openPath("/utlysningar")},
		axePage{"a call", annaEmail, openFirst("/utlysningar", "/utlysningar/")},
		axePage{"projects", annaEmail, openPath("/projekt")},
		axePage{"projects with filters", annaEmail, func(t *testing.T, p *Page) {
			must(t, p, p.Open("/projekt"), "open the projects")
			// Choose the first real option of every list of the filter form.
			n, err := Eval[int](p, `(() => { const f = document.querySelector('main form[method=get], main form:not([method])'); if (!f) return -1;
  let n = 0; for (const s of f.querySelectorAll('select')) { if (s.options.length > 1) { s.selectedIndex = 1; n++; } } return n; })()`)
			must(t, p, err, "choose filters")
			if n <= 0 {
				t.Fatalf("the projects page has no filter form with lists (main form[method=get] select); %s", p.excerpt())
			}
			submit := `(document.querySelector('main form[method=get], main form:not([method])').querySelector('button, input[type=submit]'))`
			must(t, p, p.PressJS(submit, "the filter button"), "filter the projects")
			if !strings.Contains(p.Path(), "?") {
				t.Errorf("filtering the projects did not put the filters in the address: %s", p.Path())
			}
		}},
		axePage{"a project", annaEmail, openFirst("/projekt", "/projekt/")},
		axePage{"experts", annaEmail, openPath("/experter")},
		axePage{"organisations", annaEmail, openPath("/organisationer")},
		axePage{"an organisation", annaEmail, openFirst("/organisationer", "/organisationer/")},
		axePage{"own organisation, its admin", annaEmail, openOwnOrg},
		axePage{"own organisation with a domain error", annaEmail, func(t *testing.T, p *Page) {
			openOwnOrg(t, p)
			must(t, p, p.Fill("E-postdomän", "https://falun.se/"), "type an address, not a domain")
			must(t, p, p.PressJS(CSSJS("#domain-add"), "add the domain"), "send the form")
			must(t, p, p.WaitText("Det finns fel i formuläret"), "the error summary")
		}},
		axePage{"broker dashboard", brokerEmail, openPath("/maklare")},
		axePage{"inbox", erikEmail, func(t *testing.T, p *Page) {
			must(t, p, p.Open("/inkorg"), "open the inbox")
			must(t, p, p.WaitText("Falu kommun har ett liknande behov"), "the notification of Falun's need")
		}},
		axePage{"notification settings", erikEmail, openPath("/installningar/aviseringar")},
		axePage{"profile with a password error", erikEmail, func(t *testing.T, p *Page) {
			must(t, p, p.Open("/installningar/profil"), "open the profile")
			must(t, p, p.Fill("Nuvarande lösenord", "vad som helst"), "type the current password")
			must(t, p, p.Fill("Nytt lösenord", "ett nytt långt lösenord"), "type a new one")
			must(t, p, p.Fill("Lösenordet igen", "ett annat"), "type another")
			must(t, p, p.PressJS(CSSJS("#password-save"), "change the password"), "send the form")
			must(t, p, p.WaitText("Lösenorden är inte lika"), "the error")
		}},
		axePage{"notification settings with a new calendar address", erikEmail, func(t *testing.T, p *Page) {
			must(t, p, p.Open("/installningar/aviseringar"), "open the settings")
			must(t, p, p.PressJS(CSSJS("#new-calendar"), "make a calendar address"), "make the address")
			must(t, p, p.WaitText("Din kalenderadress"), "the address")
		}},
		axePage{"watches, after watching a search", erikEmail, func(t *testing.T, p *Page) {
			must(t, p, p.Open("/behov?q=vatten"), "search the needs")
			must(t, p, p.PressJS(CSSJS("#watch-this"), "watch this search"), "watch the search")
			must(t, p, p.WaitText("Bevakningen är sparad"), "the confirmation")
		}},
		axePage{"new watch with an error", erikEmail, func(t *testing.T, p *Page) {
			must(t, p, p.Open("/bevakningar/ny?mal=needs"), "open the form")
			must(t, p, p.Fill("Namn på bevakningen", "Byggen"), "name the watch")
			must(t, p, p.Fill("CPV-kod", "4500"), "a code of the wrong form")
			must(t, p, p.PressJS(CSSJS("#save-watch"), "save the watch"), "send the form")
			must(t, p, p.WaitText("Det finns fel i formuläret"), "the error summary")
		}},
		axePage{"unsubscribe from an e-mail's link", "", func(t *testing.T, p *Page) {
			tok := unsubscribeToken(t, f.srv, erikEmail)
			must(t, p, p.Open("/avregistrera?t="+tok), "open the link")
			must(t, p, p.PressJS(CSSJS("#unsubscribe"), "stop the e-mail"), "unsubscribe")
			must(t, p, p.WaitText("Du får inte längre e-post om liknande behov"), "the confirmation")
		}},
		axePage{"network members, inviting by a name several have", annaEmail, func(t *testing.T, p *Page) {
			must(t, p, p.Open(networkPath+"/medlemmar"), "open the members tab")
			must(t, p, p.Fill("Organisation", "stad"), "type part of a name")
			must(t, p, p.PressJS(CSSJS("#invite-org-submit"), "invite"), "send the form")
			must(t, p, p.WaitText("Flera organisationer passar"), "the choice")
		}},
		axePage{"a membership's form", annaEmail, func(t *testing.T, p *Page) {
			must(t, p, p.Open(networkPath+"/medlemmar"), "open the members tab")
			href := p.Href(`document.querySelector('main a[id^="edit-member-"]')`)
			if href == "" {
				t.Fatalf("no link to change a membership; %s", p.excerpt())
			}
			must(t, p, p.Open(href), "open the membership's form")
		}},
		axePage{"new network form with an error", annaEmail, func(t *testing.T, p *Page) {
			must(t, p, p.Open("/natverk/nytt"), "open the form")
			must(t, p, p.Fill("Startår", "tjugo"), "a year in words")
			must(t, p, p.PressJS(CSSJS("#network-save"), "start the network"), "send the form")
			must(t, p, p.WaitText("Det finns fel i formuläret"), "the error summary")
		}},
		axePage{"network edit form", annaEmail, openPath(networkPath + "/andra")},
		axePage{"an open network, offering to ask to join", erikEmail, func(t *testing.T, p *Page) {
			open, _ := openNetworks(t, f.srv)
			must(t, p, p.Open(open), "open the network")
			must(t, p, p.WaitText("Vill ni vara med?"), "the offer")
		}},
		axePage{"network members with a request to join", annaEmail, func(t *testing.T, p *Page) {
			_, asked := openNetworks(t, f.srv)
			must(t, p, p.Open(asked+"/medlemmar"), "open the members tab")
			must(t, p, p.WaitText("Har frågat"), "the request")
		}},
		axePage{"deliverables library", "", openPath("/leveranser?q=a")},
		axePage{"a deliverable", annaEmail, func(t *testing.T, p *Page) {
			must(t, p, p.Open(networkPath+"/leveranser"), "open the deliverables tab")
			must(t, p, p.Fill("Namn på leveransen", "Vägledning för trygghetslarm"), "a title")
			must(t, p, p.PressJS(CSSJS("#deliverable-save"), "add the deliverable"), "send the form")
			openFirst("/leveranser", "/leveranser/")(t, p)
			must(t, p, p.PressJS(CSSJS("#file-upload"), "upload without a file"), "send the form")
			must(t, p, p.WaitText("Det finns fel i formuläret"), "the error summary")
		}},
		axePage{"new call with an error", "handlaggare@vinnova.demo", func(t *testing.T, p *Page) {
			must(t, p, p.Open("/utlysningar/ny"), "open the form")
			must(t, p, p.Fill("Rubrik", "Utlysning"), "a title")
			must(t, p, p.Fill("Sista ansökningsdag", "sista mars"), "a date in words")
			must(t, p, p.PressJS(CSSJS("#register-save"), "save"), "send the form")
			must(t, p, p.WaitText("Det finns fel i formuläret"), "the error summary")
		}},
		axePage{"call edit form", "handlaggare@vinnova.demo", func(t *testing.T, p *Page) {
			openFirst("/utlysningar", "/utlysningar/")(t, p)
			must(t, p, p.PressJS(CSSJS("#edit-record"), "edit the call"), "open the form")
		}},
		axePage{"people, the broker's register", brokerEmail, openPath("/maklare/personer?q=demo")},
		axePage{"new funder form", brokerEmail, openPath("/finansiarer/ny")},
		axePage{"new project form", brokerEmail, openPath("/projekt/ny")},
		axePage{"new expert form", brokerEmail, openPath("/experter/ny")},
		axePage{"register an organisation, a wrong check digit", brokerEmail, func(t *testing.T, p *Page) {
			must(t, p, p.Open("/organisationer/ny"), "open the form")
			must(t, p, p.Fill("Namn", "Ludvika kommun"), "a name")
			must(t, p, p.Fill("Organisationsnummer", "212000-2170"), "a wrong check digit")
			must(t, p, p.PressJS(CSSJS("#register-save"), "save"), "send the form")
			must(t, p, p.WaitText("Det finns fel i formuläret"), "the error summary")
		}},
		axePage{"network members with an invitation by e-mail", annaEmail, func(t *testing.T, p *Page) {
			emailInvite(t, f.srv, networkPath)
			must(t, p, p.Open(networkPath+"/medlemmar"), "open the members tab")
			must(t, p, p.Fill("E-postadress", "inte-en-adress"), "type a bad address")
			must(t, p, p.PressJS(CSSJS("#email-invite-submit"), "send the invitation"), "send the form")
			must(t, p, p.WaitText("Det finns fel i formuläret"), "the error summary")
		}},
		axePage{"sign-up from an invitation's link", "", func(t *testing.T, p *Page) {
			must(t, p, p.Open(reach.InviteLink(emailInvite(t, f.srv, networkPath))), "open the link")
			must(t, p, p.Fill("Ditt namn", "Vera Vatten"), "type a name")
			must(t, p, p.Fill("Välj lösenord", "ett långt lösenord"), "type a password")
			must(t, p, p.Fill("Lösenordet igen", "ett annat lösenord"), "type another")
			must(t, p, p.PressJS(CSSJS("#signup-submit"), "make the account"), "send the form")
			must(t, p, p.WaitText("Lösenorden är inte lika"), "the error")
		}},
		axePage{"not found", annaEmail, func(t *testing.T, p *Page) {
			must(t, p, p.Visit("/finns-inte"), "open a missing page")
			if st := p.Status(); st != 404 {
				t.Errorf("a missing page answers %d, not 404", st)
			}
		}},
		// English, chosen with the language switch.
		axePage{"start in English", sara, func(t *testing.T, p *Page) {
			must(t, p, p.Open("/"), "open the start page")
			must(t, p, p.PressJS(CSSJS("#lang-switch"), "the language switch"), "switch to English")
			if lang, _ := Eval[string](p, `document.documentElement.lang`); lang != "en" {
				t.Errorf("after the language switch, <html lang=%q>", lang)
			}
		}},
		axePage{"need with matches in English", sara, openPath(needPath)},
		axePage{"need form in English", sara, openPath("/behov/nytt")},
	)

	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			p := as(t, pg.who)
			pg.open(t, p)
			vs, err := p.Axe()
			must(t, p, err, "run axe-core on %s", p.Path())
			if len(vs) > 0 {
				t.Error(FormatViolations(pg.name+" ("+p.Path()+")", vs))
			}
		})
	}
}

// unsubscribeToken signs the link an e-mail to who about similar needs
// carries.
func unsubscribeToken(t *testing.T, s *Server, who string) string {
	t.Helper()
	ctx := context.Background()
	id, err := s.Main.DB.UserIDByEmail(ctx, who)
	if err != nil {
		t.Fatal(err)
	}
	app := s.Main.App
	tok, err := app.Reach.UnsubscribeToken(ctx, reach.Unsubscribe{UserID: id, Kinds: []arena.NotificationKind{arena.NotifyNeedMatch}, Expires: app.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// emailInvite invites VA Syd, which has nobody in Arena, to the network at
// networkPath by e-mail, once, and returns the sign-up link's token.
func emailInvite(t *testing.T, s *Server, networkPath string) string {
	t.Helper()
	ctx := arena.WithActor(context.Background(), arena.SystemActor())
	db := s.Main.DB
	if tok, ok := invitedOnce.Load().(string); ok {
		return tok
	}
	var netID int64
	fmt.Sscanf(strings.TrimPrefix(networkPath, "/natverk/"), "%d", &netID)
	orgs, err := db.Organizations.List(ctx, store.ListQuery{Filters: map[string]string{"q": "VA Syd"}, Limit: 1})
	if err != nil || len(orgs.Items) != 1 {
		t.Fatalf("VA Syd: %v", err)
	}
	m := &arena.NetworkMember{NetworkID: netID, OrgID: orgs.Items[0].ID, Status: arena.MemberInvited}
	if err := db.NetworkMembers.Create(ctx, m); err != nil {
		t.Fatal(err)
	}
	inv := &arena.EmailInvite{MemberID: m.ID, Email: "vera@vasyd.se"}
	if err := db.CreateEmailInvite(ctx, inv); err != nil {
		t.Fatal(err)
	}
	tok, err := s.Main.App.Reach.InviteToken(ctx, inv)
	if err != nil {
		t.Fatal(err)
	}
	invitedOnce.Store(tok)
	return tok
}

var invitedOnce atomic.Value

// openNetworks makes, once, two networks of Falun open to new members:
// one Mölndal has not asked to join, one it has; it returns their paths.
func openNetworks(t *testing.T, s *Server) (open, asked string) {
	t.Helper()
	if p, ok := openOnce.Load().([2]string); ok {
		return p[0], p[1]
	}
	ctx := arena.WithActor(context.Background(), arena.SystemActor())
	db := s.Main.DB
	orgID := func(name string) int64 {
		orgs, err := db.Organizations.List(ctx, store.ListQuery{Filters: map[string]string{"q": name}, Limit: 1})
		if err != nil || len(orgs.Items) != 1 {
			t.Fatalf("%s: %v", name, err)
		}
		return orgs.Items[0].ID
	}
	falunID, molndalID := orgID(falun), orgID(molndal)
	var paths [2]string
	for i, name := range []string{"Öppet nätverk för skolmåltider", "Öppet nätverk för laddinfrastruktur"} {
		n := &arena.Network{Name: name, Kind: arena.NetworkTactical, OwnerOrgID: &falunID, Open: true}
		if err := db.Networks.Create(ctx, n); err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			if err := db.NetworkMembers.Create(ctx, &arena.NetworkMember{NetworkID: n.ID, OrgID: molndalID, Status: arena.MemberRequested}); err != nil {
				t.Fatal(err)
			}
		}
		paths[i] = fmt.Sprintf("/natverk/%d", n.ID)
	}
	openOnce.Store(paths)
	return paths[0], paths[1]
}

var openOnce atomic.Value

// sara (Region Örebro län) is the one who reads in English.
const sara = "sara@orebro.demo"

// TestPagesFitAPhone checks that the main pages reflow at 320 CSS pixels
// wide (WCAG 1.4.10): the page itself never scrolls sideways; a wide
// table may scroll inside its own container.
func TestPagesFitAPhone(t *testing.T) {
	b := needBrowser(t)
	f := newPageFixture(t, b)
	for _, pg := range []struct{ name, who, path string }{
		{"sign in", "", "/logga-in"},
		{"start", annaEmail, "/"},
		{"need form", annaEmail, "/behov/nytt"},
		{"need with matches", annaEmail, f.needPath},
		{"network", annaEmail, f.networkPath},
		{"network members", annaEmail, f.networkPath + "/medlemmar"},
		{"calls", annaEmail, "/utlysningar"},
		{"projects", annaEmail, "/projekt"},
		{"experts", annaEmail, "/experter"},
		{"organisations", annaEmail, "/organisationer"},
		{"broker dashboard", brokerEmail, "/maklare"},
	} {
		t.Run(pg.name, func(t *testing.T) {
			p := f.as(t, pg.who)
			must(t, p, p.Viewport(320, 640, true), "a phone's screen")
			defer p.Viewport(1280, 900, false)
			must(t, p, p.Open(pg.path), "open %s", pg.path)
			wide, err := Eval[[]string](p, `(() => {
  const w = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= w + 1) return [];
  // Name the widest elements that stick out, outermost first.
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > w + 1 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > w + 1)) {
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') + ' (' + Math.round(r.right) + 'px)');
    }
    if (out.length >= 5) break;
  }
  return ['page is ' + document.documentElement.scrollWidth + 'px wide', ...out];
})()`)
			must(t, p, err, "measure %s", pg.path)
			if len(wide) > 0 {
				t.Errorf("%s (%s) scrolls sideways on a 320 px screen: %s", pg.name, pg.path, strings.Join(wide, "; "))
			}
		})
	}
}
