package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/store"
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

// TestAskToJoinWithoutJavaScript: Anna's network is open; Erik, Mölndal's
// admin, sees the form on its page and asks; Anna is told in her inbox,
// sees the request on the members tab and approves it; Erik is told, and
// Mölndal is an active member. A network that is not open offers no form
// and refuses the post.
func TestAskToJoinWithoutJavaScript(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	falun, molndal := e.orgID("Falu kommun"), e.orgID("Mölndals stad")
	annaID, _ := e.db.UserIDByEmail(ctx, "anna@falun.demo")
	actor, err := e.db.ActorFor(ctx, annaID)
	if err != nil {
		t.Fatal(err)
	}
	as := arena.WithActor(ctx, actor)
	open := &arena.Network{Name: "Öppet nätverk för larm", Kind: arena.NetworkTactical, OwnerOrgID: &falun, Open: true}
	shut := &arena.Network{Name: "Slutet nätverk för larm", Kind: arena.NetworkTactical, OwnerOrgID: &falun}
	for _, n := range []*arena.Network{open, shut} {
		if err := e.db.Networks.Create(as, n); err != nil {
			t.Fatal(err)
		}
	}
	e.app.Reach.RunOnce(ctx)

	erik := e.client()
	erik.signIn("erik@molndal.demo")
	page := erik.get("/natverk/" + idStr(shut.ID))
	if strings.Contains(page.Body, `id="ask-form"`) {
		t.Fatalf("a network that is not open offers to ask: %s", excerpt(page.Body))
	}
	r := erik.post("/natverk/"+idStr(shut.ID)+"/ansok", url.Values{"csrf": {csrf(t, page.Body)}, "ask_org": {idStr(molndal)}})
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, "tar inte emot nya medlemmar") {
		t.Fatalf("asking a network that is not open: %d %s", r.Status, excerpt(r.Body))
	}
	page = erik.get("/natverk/" + idStr(open.ID))
	if !strings.Contains(page.Body, `id="ask-form"`) || !strings.Contains(page.Body, "Mölndals stad") {
		t.Fatalf("no form to ask: %s", excerpt(page.Body))
	}
	r = erik.post("/natverk/"+idStr(open.ID)+"/ansok", url.Values{"csrf": {csrf(t, page.Body)}, "ask_org": {idStr(molndal)}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("Erik asks: %d %s", r.Status, excerpt(r.Body))
	}
	if b := erik.get(r.Location).Body; strings.Contains(b, `id="ask-form"`) || !strings.Contains(b, "Förfrågan är skickad") {
		t.Fatalf("after asking: %s", excerpt(b))
	}
	e.app.Reach.RunOnce(ctx)

	anna := e.client()
	anna.signIn("anna@falun.demo")
	if b := anna.get("/inkorg").Body; !strings.Contains(b, "Mölndals stad ber att få gå med i nätverket ”Öppet nätverk för larm”") {
		t.Fatalf("Anna is not told: %s", excerpt(b))
	}
	pg, err := e.db.NetworkMembers.List(as, store.ListQuery{Filters: map[string]string{"network_id": idStr(open.ID), "org_id": idStr(molndal)}})
	if err != nil {
		t.Fatal(err)
	}
	ms := pg.Items
	if err != nil || len(ms) != 1 || ms[0].Status != arena.MemberRequested || ms[0].ContactEmail != "erik@molndal.demo" {
		t.Fatalf("Mölndal's request: %v %+v", err, ms)
	}
	id := idStr(ms[0].ID)
	tab := anna.get("/natverk/" + idStr(open.ID) + "/medlemmar")
	if !strings.Contains(tab.Body, `id="approve-`+id+`"`) || !strings.Contains(tab.Body, "Har frågat") {
		t.Fatalf("no approve button: %s", excerpt(tab.Body))
	}
	r = anna.post("/natverksmedlemmar/"+id+"/approve", url.Values{"csrf": {csrf(t, tab.Body)}})
	if r.Status != http.StatusSeeOther || !strings.Contains(r.Location, "/medlemmar") {
		t.Fatalf("Anna approves: %d %s", r.Status, r.Location)
	}
	got, err := e.db.NetworkMembers.Get(as, ms[0].ID)
	if err != nil || got.Status != arena.MemberActive {
		t.Fatalf("after approval: %v %+v", err, got)
	}
	e.app.Reach.RunOnce(ctx)
	if b := erik.get("/inkorg").Body; !strings.Contains(b, "Mölndals stad är nu medlem i nätverket ”Öppet nätverk för larm”") {
		t.Fatalf("Erik is not told: %s", excerpt(b))
	}
	// Approving again is a conflict: it is no longer a request.
	r = anna.post("/natverksmedlemmar/"+id+"/approve", url.Values{"csrf": {csrf(t, tab.Body)}})
	if r.Status != http.StatusConflict {
		t.Errorf("approve twice: %d", r.Status)
	}
}
