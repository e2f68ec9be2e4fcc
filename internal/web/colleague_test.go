package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/store"
)

// TestColleagueInviteWithoutJavaScript: Anna, Falun's admin, invites a
// colleague by e-mail as an admin (an address of one of Falun's people is
// refused at its field); the e-mail names Falun and carries a link; the
// colleague makes an account through it and is at once an active admin of
// Falun; the link works once. Sara, who has an account, joins through a
// second invitation signed in.
func TestColleagueInviteWithoutJavaScript(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	falun := e.orgID("Falu kommun")
	orgPath := "/organisationer/" + idStr(falun)
	anna := e.client()
	anna.signIn("anna@falun.demo")
	page := anna.get(orgPath)
	if !strings.Contains(page.Body, `id="colleague-form"`) {
		t.Fatalf("no form to invite a colleague: %s", excerpt(page.Body))
	}
	tok := csrf(t, page.Body)
	r := anna.post(orgPath+"/kollegor", url.Values{"csrf": {tok}, "colleague_email": {"anna@falun.demo"}, "colleague_role": {"member"}, "colleague_lang": {"sv"}})
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, "hör redan till en person i organisationen") {
		t.Fatalf("one of Falun's people: %d %s", r.Status, excerpt(r.Body))
	}
	r = anna.post(orgPath+"/kollegor", url.Values{"csrf": {tok}, "colleague_email": {"Lena.Ny@Falun.se"}, "colleague_role": {"admin"}, "colleague_lang": {"sv"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("invite: %d %s", r.Status, excerpt(r.Body))
	}
	if b := anna.get(orgPath).Body; !strings.Contains(b, "lena.ny@falun.se") {
		t.Errorf("the invitation is not listed: %s", excerpt(b))
	}
	sys := arena.WithActor(ctx, arena.SystemActor())
	invites, err := e.db.ColleagueInvitesOf(sys, falun)
	if err != nil || len(invites) != 1 {
		t.Fatalf("invitations: %v %d", err, len(invites))
	}
	msg, ok, err := e.app.Reach.PreviewInvite(ctx, invites[0].ID)
	if err != nil || !ok || msg.To != "lena.ny@falun.se" || !strings.Contains(msg.Subject, "Falu kommun") || !strings.Contains(msg.Text, "Gå med i Falu kommun") {
		t.Fatalf("the e-mail: %v %v %+v", err, ok, msg)
	}
	link := regexp.MustCompile(`/inbjudan\?t=[^\s"<>]+`).FindString(msg.Text)
	if link == "" {
		t.Fatalf("no link in %q", msg.Text)
	}
	lena := e.client()
	form := lena.get(link)
	if form.Status != http.StatusOK || !strings.Contains(form.Body, "Du är inbjuden att gå med i Falu kommun") || !strings.Contains(form.Body, "som administratör") {
		t.Fatalf("the sign-up page: %d %s", form.Status, excerpt(form.Body))
	}
	r = lena.post(link, url.Values{"csrf": {csrf(t, form.Body)}, "name": {"Lena Ny"}, "password": {"ett långt lösenord"}, "password2": {"ett långt lösenord"}})
	if r.Status != http.StatusSeeOther || !strings.Contains(r.Location, "med-i-organisationen") {
		t.Fatalf("sign up: %d %s %s", r.Status, r.Location, excerpt(r.Body))
	}
	id, err := e.db.UserIDByEmail(ctx, "lena.ny@falun.se")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := store.Unchecked(sys, e.db.OrgMemberships, map[string]string{"user_id": idStr(id)})
	if err != nil || len(ms) != 1 || ms[0].OrgID != falun || ms[0].Status != arena.OrgMemberActive || ms[0].Role != arena.OrgRoleAdmin {
		t.Fatalf("Lena's membership: %v %+v", err, ms)
	}
	if r := e.client().get(link); r.Status != http.StatusConflict {
		t.Errorf("the link a second time: %d", r.Status)
	}

	// Sara, signed in, follows an invitation to Falun.
	r = anna.post(orgPath+"/kollegor", url.Values{"csrf": {tok}, "colleague_email": {"sara@orebro.demo"}, "colleague_role": {"member"}, "colleague_lang": {"en"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("invite Sara: %d %s", r.Status, excerpt(r.Body))
	}
	invites, _ = e.db.ColleagueInvitesOf(sys, falun)
	msg, _, err = e.app.Reach.PreviewInvite(ctx, invites[0].ID)
	if err != nil || !strings.Contains(msg.Subject, "Invitation to Falu kommun") {
		t.Fatalf("Sara's e-mail: %v %q", err, msg.Subject)
	}
	link = regexp.MustCompile(`/inbjudan\?t=[^\s"<>]+`).FindString(msg.Text)
	sara := e.client()
	sara.signIn("sara@orebro.demo")
	form = sara.get(link)
	if !strings.Contains(form.Body, `id="signup-join"`) {
		t.Fatalf("Sara's page: %s", excerpt(form.Body))
	}
	if r = sara.post(link, url.Values{"csrf": {csrf(t, form.Body)}}); r.Status != http.StatusSeeOther {
		t.Fatalf("Sara joins: %d %s", r.Status, excerpt(r.Body))
	}
	saraID, _ := e.db.UserIDByEmail(ctx, "sara@orebro.demo")
	a, err := e.db.ActorFor(ctx, saraID)
	if err != nil || !a.InOrg(falun) || a.IsOrgAdmin(falun) {
		t.Errorf("Sara in Falun: %v %+v", err, a.Orgs)
	}
}
