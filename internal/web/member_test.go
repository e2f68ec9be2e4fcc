package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	arena "github.com/arena-se/arena"
)

// TestMembershipFormWithoutJavaScript: in Falun's network Anna, who runs
// it, makes Mölndal an observer (she is offered role and tier, not
// Mölndal's own decisions); Erik, Mölndal's admin, records its mandate
// and management sponsor (he is offered those, not role and tier); a bad
// contact address is refused at its field; Anna withdraws VA Syd's
// invitation.
func TestMembershipFormWithoutJavaScript(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	falun, molndal, vasyd := e.orgID("Falu kommun"), e.orgID("Mölndals stad"), e.orgID("VA Syd")
	annaID, _ := e.db.UserIDByEmail(ctx, "anna@falun.demo")
	actor, err := e.db.ActorFor(ctx, annaID)
	if err != nil {
		t.Fatal(err)
	}
	as := arena.WithActor(ctx, actor)
	n := &arena.Network{Name: "Gemensam larmupphandling", Kind: arena.NetworkTactical, OwnerOrgID: &falun}
	if err := e.db.Networks.Create(as, n); err != nil {
		t.Fatal(err)
	}
	m := &arena.NetworkMember{NetworkID: n.ID, OrgID: molndal}
	v := &arena.NetworkMember{NetworkID: n.ID, OrgID: vasyd}
	for _, x := range []*arena.NetworkMember{m, v} {
		if err := e.db.NetworkMembers.Create(as, x); err != nil {
			t.Fatal(err)
		}
	}
	edit := "/natverksmedlemmar/" + idStr(m.ID) + "/andra"

	anna := e.client()
	anna.signIn("anna@falun.demo")
	if b := anna.get("/natverk/" + idStr(n.ID) + "/medlemmar").Body; !strings.Contains(b, `href="`+edit+`"`) {
		t.Fatalf("no change link for Mölndal: %s", excerpt(b))
	}
	page := anna.get(edit)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, `id="member_tier"`) || strings.Contains(page.Body, `id="mandate"`) {
		t.Fatalf("Anna's form: %d %s", page.Status, excerpt(page.Body))
	}
	r := anna.post(edit, url.Values{"csrf": {csrf(t, page.Body)}, "version": {"1"}, "member_role": {"buyer"}, "member_tier": {"observer"}, "mandate": {"1"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("Anna saves: %d %s", r.Status, excerpt(r.Body))
	}

	erik := e.client()
	erik.signIn("erik@molndal.demo")
	page = erik.get(edit)
	if page.Status != http.StatusOK || strings.Contains(page.Body, `id="member_tier"`) || !strings.Contains(page.Body, `id="mandate"`) {
		t.Fatalf("Erik's form: %d %s", page.Status, excerpt(page.Body))
	}
	r = erik.post(edit, url.Values{"csrf": {csrf(t, page.Body)}, "version": {"2"}, "contact_email": {"inte en adress"}})
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, `id="contact_email-error"`) {
		t.Fatalf("a bad address: %d %s", r.Status, excerpt(r.Body))
	}
	r = erik.post(edit, url.Values{"csrf": {csrf(t, page.Body)}, "version": {"2"}, "mandate": {"1"}, "management_sponsor": {"Kommundirektören"},
		"contact_name": {"Erik Berg"}, "member_tier": {"core"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("Erik saves: %d %s", r.Status, excerpt(r.Body))
	}
	got, err := e.db.NetworkMembers.Get(as, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Tier != arena.TierObserver || !got.Mandate || got.ManagementSponsor != "Kommundirektören" || got.ContactName != "Erik Berg" {
		t.Errorf("Mölndal's membership: %+v", got)
	}

	tab := anna.get("/natverk/" + idStr(n.ID) + "/medlemmar")
	r = anna.post("/natverksmedlemmar/"+idStr(v.ID)+"/dra-tillbaka", url.Values{"csrf": {csrf(t, tab.Body)}, "version": {"1"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("withdraw: %d %s", r.Status, excerpt(r.Body))
	}
	if _, err := e.db.NetworkMembers.Get(as, v.ID); arena.ErrorCode(err) != arena.ENOTFOUND {
		t.Errorf("the withdrawn invitation: %v", err)
	}
}
