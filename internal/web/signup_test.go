package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/mail"
	"github.com/arena-se/arena/internal/mail/mailtest"
)

var signupURL = regexp.MustCompile(`/inbjudan\?t=([A-Za-z0-9_%.-]+)`)

// TestInvitationByEmailWithoutJavaScript: Falun runs a network that VA
// Syd, with nobody in Arena, is invited to. Anna sends the invitation by
// e-mail from the members tab; the link in the e-mail opens the sign-up
// page, where a mismatched password is refused with the name kept; the
// account is made and asks to join VA Syd; the broker approves it on VA
// Syd's page; the new admin accepts on the network's page.
func TestInvitationByEmailWithoutJavaScript(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	smtp := mailtest.Start(t)
	sender, err := mail.NewSMTP(mail.Config{Host: smtp.Host(), Port: smtp.Port(), TLS: "none", From: "Arena <arena@arena.test>"})
	if err != nil {
		t.Fatal(err)
	}
	e.app.Reach.Mail, e.app.Reach.PublicURL = sender, "https://arena.test"
	falun, vasyd := e.orgID("Falu kommun"), e.orgID("VA Syd")
	annaID, err := e.db.UserIDByEmail(ctx, "anna@falun.demo")
	if err != nil {
		t.Fatal(err)
	}
	actor, err := e.db.ActorFor(ctx, annaID)
	if err != nil {
		t.Fatal(err)
	}
	as := arena.WithActor(ctx, actor)
	n := &arena.Network{Name: "Brandposter och vattenuttag", Kind: arena.NetworkTactical, OwnerOrgID: &falun}
	if err := e.db.Networks.Create(as, n); err != nil {
		t.Fatal(err)
	}
	m := &arena.NetworkMember{NetworkID: n.ID, OrgID: vasyd}
	if err := e.db.NetworkMembers.Create(as, m); err != nil {
		t.Fatal(err)
	}

	anna := e.client()
	anna.signIn("anna@falun.demo")
	tab := "/natverk/" + idStr(n.ID) + "/medlemmar"
	page := anna.get(tab)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, `id="email-invite-form"`) || !strings.Contains(page.Body, `<option value="`+idStr(m.ID)+`">VA Syd</option>`) {
		t.Fatalf("no invitation by e-mail of VA Syd offered: %d %s", page.Status, excerpt(page.Body))
	}
	form := url.Values{"csrf": {csrf(t, page.Body)}, "invite_member": {idStr(m.ID)}, "invite_email": {"inte-en-adress"}, "invite_lang": {"sv"}}
	r := anna.post("/natverk/"+idStr(n.ID)+"/e-postinbjudan", form)
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, `id="invite_email-error"`) || !strings.Contains(r.Body, `value="inte-en-adress"`) {
		t.Fatalf("a bad address: %d %s", r.Status, excerpt(r.Body))
	}
	form.Set("invite_email", "vera@vasyd.se")
	r = anna.post("/natverk/"+idStr(n.ID)+"/e-postinbjudan", form)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("send: %d %s", r.Status, excerpt(r.Body))
	}
	if b := anna.follow(r).Body; !strings.Contains(b, "vera@vasyd.se") || !strings.Contains(b, "Inbjudan skickas med e-post.") {
		t.Errorf("the tab does not list the invitation: %s", excerpt(b))
	}
	e.app.Reach.RunOnce(ctx)
	var link string
	for _, msg := range smtp.Messages() {
		if len(msg.To) == 1 && msg.To[0] == "vera@vasyd.se" {
			if l := signupURL.FindStringSubmatch(msg.Text); l != nil {
				link = l[0]
			}
		}
	}
	if link == "" {
		t.Fatalf("no e-mail with a sign-up link to vera@vasyd.se among %d", len(smtp.Messages()))
	}

	if b := anna.get(tab).Body; !strings.Contains(b, "skickad ") {
		t.Errorf("the tab does not say the invitation was sent: %s", excerpt(b))
	}

	vera := e.client()
	signup := vera.get(link)
	if signup.Status != http.StatusOK || !strings.Contains(signup.Body, "VA Syd är inbjuden till beställarnätverket ”Brandposter och vattenuttag”") ||
		!strings.Contains(signup.Body, `id="signup-email">vera@vasyd.se<`) {
		t.Fatalf("sign-up page: %d %s", signup.Status, excerpt(signup.Body))
	}
	r = vera.post(link, url.Values{"csrf": {csrf(t, signup.Body)}, "name": {"Vera Vatten"}, "password": {"ett långt lösenord"}, "password2": {"ett annat lösenord"}})
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, `id="password2-error"`) || !strings.Contains(r.Body, `value="Vera Vatten"`) || strings.Contains(r.Body, "ett långt lösenord") {
		t.Fatalf("mismatched passwords: %d %s", r.Status, excerpt(r.Body))
	}
	r = vera.post(link, url.Values{"csrf": {csrf(t, signup.Body)}, "name": {"Vera Vatten"}, "password": {"ett långt lösenord"}, "password2": {"ett långt lösenord"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("sign up: %d %s", r.Status, excerpt(r.Body))
	}
	if home := vera.follow(r); !strings.Contains(home.Body, "Din förfrågan om att gå med i organisationen är skickad.") || !strings.Contains(home.Body, "Vera Vatten") {
		t.Errorf("after signing up: %s", excerpt(home.Body))
	}
	if again := e.client().get(link); again.Status != http.StatusConflict {
		t.Errorf("the link opened twice: %d", again.Status)
	}

	if b := anna.get(tab).Body; !strings.Contains(b, "konto skapat ") {
		t.Errorf("the tab does not say the link was followed: %s", excerpt(b))
	}
	e.app.Reach.RunOnce(ctx)
	maja := e.client()
	maja.signIn("maklare@arena.demo")
	if inbox := maja.get("/inkorg"); !strings.Contains(inbox.Body, "Vera Vatten vill gå med i VA Syd") {
		t.Errorf("the broker is not told: %s", excerpt(inbox.Body))
	}
	orgPage := maja.get("/organisationer/" + idStr(vasyd))
	approve := regexp.MustCompile(`action="/organisationsmedlemskap/(\d+)/godkann"`).FindStringSubmatch(orgPage.Body)
	if approve == nil {
		t.Fatalf("no request to approve on VA Syd's page: %s", excerpt(orgPage.Body))
	}
	r = maja.post("/organisationsmedlemskap/"+approve[1]+"/godkann", url.Values{"csrf": {csrf(t, orgPage.Body)}, "version": {"1"}, "role": {"admin"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", r.Status, excerpt(r.Body))
	}

	netPage := vera.get("/natverk/" + idStr(n.ID))
	if !strings.Contains(netPage.Body, `action="/natverksmedlemmar/`+idStr(m.ID)+`/accept"`) {
		t.Fatalf("VA Syd's new admin cannot answer: %s", excerpt(netPage.Body))
	}
	r = vera.post("/natverksmedlemmar/"+idStr(m.ID)+"/accept", url.Values{"csrf": {csrf(t, netPage.Body)}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("accept: %d %s", r.Status, excerpt(r.Body))
	}
	got, err := e.db.NetworkMembers.Get(as, m.ID)
	if err != nil || got.Status != arena.MemberActive {
		t.Fatalf("VA Syd's membership: %+v %v", got, err)
	}
}
