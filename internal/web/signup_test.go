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
	"github.com/arena-se/arena/internal/store"
)

var signupURL = regexp.MustCompile(`/inbjudan\?t=([A-Za-z0-9_%.-]+)`)

// TestInvitationByEmailWithoutJavaScript: Falun runs a network; Anna
// invites VA Syd, with nobody in Arena, by its name on the members tab
// (a name of several asks which, an unknown one says so, a second
// invitation is refused) and sends the invitation by e-mail there; the link in the e-mail opens the sign-up
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
	anna := e.client()
	anna.signIn("anna@falun.demo")
	tab := "/natverk/" + idStr(n.ID) + "/medlemmar"
	page := anna.get(tab)
	// Invite VA Syd by name: a name of several asks which; none says so.
	invite := "/natverk/" + idStr(n.ID) + "/medlemmar"
	r := anna.post(invite, url.Values{"csrf": {csrf(t, page.Body)}, "invite_org": {"stad"}})
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, `<select id="org_id" name="org_id"`) || !strings.Contains(r.Body, "Mölndals stad") {
		t.Fatalf("a name of several: %d %s", r.Status, excerpt(r.Body))
	}
	r = anna.post(invite, url.Values{"csrf": {csrf(t, page.Body)}, "invite_org": {"Finns inte AB"}})
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "Ingen organisation i Arena heter ”Finns inte AB”") {
		t.Fatalf("an unknown name: %d %s", r.Status, excerpt(r.Body))
	}
	r = anna.post(invite, url.Values{"csrf": {csrf(t, page.Body)}, "invite_org": {"va syd"}, "member_role": {"buyer"}, "member_tier": {"core"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("invite VA Syd: %d %s", r.Status, excerpt(r.Body))
	}
	if r = anna.post(invite, url.Values{"csrf": {csrf(t, page.Body)}, "invite_org": {"VA Syd"}}); r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "redan med i nätverket eller inbjuden") {
		t.Fatalf("VA Syd twice: %d %s", r.Status, excerpt(r.Body))
	}
	members, err := e.db.NetworkMembers.List(as, store.ListQuery{Filters: map[string]string{"network_id": idStr(n.ID), "org_id": idStr(vasyd)}, Limit: 2})
	if err != nil || len(members.Items) != 1 || members.Items[0].Status != arena.MemberInvited {
		t.Fatalf("VA Syd's invitation: %+v %v", members, err)
	}
	m := members.Items[0]
	page = anna.get(tab)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, `id="email-invite-form"`) || !strings.Contains(page.Body, `<option value="`+idStr(m.ID)+`">VA Syd</option>`) {
		t.Fatalf("no invitation by e-mail of VA Syd offered: %d %s", page.Status, excerpt(page.Body))
	}
	form := url.Values{"csrf": {csrf(t, page.Body)}, "invite_member": {idStr(m.ID)}, "invite_email": {"inte-en-adress"}, "invite_lang": {"sv"}}
	r = anna.post("/natverk/"+idStr(n.ID)+"/e-postinbjudan", form)
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
