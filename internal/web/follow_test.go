package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	arena "github.com/arena-se/arena"
)

// formNetwork forms a network of Falun's and Mölndal's alarm needs as Anna
// and returns its path.
func formNetwork(t *testing.T, e *env, anna *client) string {
	t.Helper()
	falun := e.needID("Trygghetslarm med digital larmkedja")
	molndal := e.needID("Digitala larm för trygghet i hemmet")
	r := anna.post("/behov/"+idStr(falun)+"/natverk", url.Values{"csrf": {anna.token()}, "need": {idStr(molndal)}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("propose: %d %s", r.Status, excerpt(r.Body))
	}
	return strings.SplitN(r.Location, "?", 2)[0]
}

// TestAdvanceStage moves a member procurement through the follow-through
// form: a missing date is shown next to the field, a good one is saved.
func TestAdvanceStage(t *testing.T) {
	e := newEnv(t)
	anna := e.client()
	anna.signIn("anna@falun.demo")
	netPath := formNetwork(t, e, anna)
	netID := mustList(t, netPath, `/natverk/(\d+)`)[0]
	ctx := arena.WithActor(context.Background(), arena.SystemActor())
	planned := arena.NewDate(2026, 2, 1)
	p := &arena.MemberProcurement{NetworkID: netID, OrgID: e.orgID("Falu kommun"), Title: "Trygghetslarm", Stage: arena.StagePlanned, PlannedDate: &planned}
	if err := e.db.MemberProcurements.Create(ctx, p); err != nil {
		t.Fatal(err)
	}
	page := anna.get(netPath + "/uppfoljning")
	checkPage(t, "follow-through", "sv", page)
	sfx := "-" + idStr(p.ID)
	if !strings.Contains(page.Body, `id="advance`+sfx+`"`) || !strings.Contains(page.Body, `<option value="announced"`) {
		t.Fatalf("no advance form: %s", excerpt(page.Body))
	}
	r := anna.post("/medlemsupphandlingar/"+idStr(p.ID)+"/steg", url.Values{"csrf": {csrf(t, page.Body)}, "version": {"1"}, "stage" + sfx: {"announced"}, "date" + sfx: {""}})
	if r.Status != http.StatusBadRequest || !strings.Contains(regexp.MustCompile(`id="date`+sfx+`-error">.*?</p>`).FindString(r.Body), "Ange datum för steget.") {
		t.Fatalf("missing date: %d %s", r.Status, excerpt(r.Body))
	}
	checkPage(t, "failed advance", "sv", r)
	r = anna.post("/medlemsupphandlingar/"+idStr(p.ID)+"/steg", url.Values{"csrf": {csrf(t, page.Body)}, "version": {"1"}, "stage" + sfx: {"announced"}, "date" + sfx: {"2026-01-15"}})
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, `id="date`+sfx+`-error"`) {
		t.Fatalf("date before the planned date: %d %s", r.Status, excerpt(r.Body))
	}
	r = anna.post("/medlemsupphandlingar/"+idStr(p.ID)+"/steg", url.Values{"csrf": {csrf(t, page.Body)}, "version": {"1"}, "stage" + sfx: {"announced"}, "date" + sfx: {"2026-03-01"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("advance: %d %s", r.Status, excerpt(r.Body))
	}
	page = anna.follow(r)
	if !strings.Contains(page.Body, "<strong>Annonserad</strong>") || !strings.Contains(page.Body, `<option value="awarded"`) {
		t.Errorf("stage not shown as announced: %s", excerpt(page.Body))
	}
	// Erik's organisation does not own the procurement.
	erik := e.client()
	erik.signIn("erik@molndal.demo")
	if r := erik.post("/medlemsupphandlingar/"+idStr(p.ID)+"/steg", url.Values{"csrf": {erik.token()}, "stage" + sfx: {"awarded"}, "date" + sfx: {"2026-03-02"}}); r.Status != http.StatusBadRequest && r.Status != http.StatusForbidden {
		t.Errorf("Erik advancing Falun's procurement: %d", r.Status)
	}
}

// TestBrokerLatentNetworks: the broker sees the demo's alarm needs as a
// latent network and forms it from the dashboard.
func TestBrokerLatentNetworks(t *testing.T) {
	e := newEnv(t)
	b := e.client()
	b.signIn("maklare@arena.demo")
	page := b.get("/maklare")
	checkPage(t, "/maklare", "sv", page)
	falun := e.needID("Trygghetslarm med digital larmkedja")
	molndal := e.needID("Digitala larm för trygghet i hemmet")
	for _, want := range []string{`id="latent-1-need-` + idStr(falun) + `"`, `id="latent-1-need-` + idStr(molndal) + `"`, `id="broker-funnel"`, `id="projects-by-funder"`, `id="projects-by-category"`, `role="img"`, `<th scope="row">Vinnova</th>`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("dashboard lacks %s", want)
		}
	}
	if strings.Contains(page.Body, "organisation 4.") {
		t.Errorf("alerts name organisations by id")
	}
	r := b.post("/maklare/natverk", url.Values{"csrf": {csrf(t, page.Body)}, "group": {"1"}, "need": {idStr(falun)}, "network_name": {"Trygghetslarm i samverkan"}})
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, `id="group-1-error"`) || !strings.Contains(r.Body, `value="Trygghetslarm i samverkan"`) {
		t.Errorf("one need: %d", r.Status)
	}
	r = b.post("/maklare/natverk", url.Values{"csrf": {csrf(t, page.Body)}, "group": {"1"}, "need": {idStr(falun), idStr(molndal)}, "network_name": {"Trygghetslarm i samverkan"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("form the latent network: %d %s", r.Status, excerpt(r.Body))
	}
	net := b.follow(r)
	if !strings.Contains(net.Body, "Trygghetslarm i samverkan") || strings.Count(net.Body, "Inbjuden") < 2 {
		t.Errorf("network page: %s", excerpt(net.Body))
	}
	if page := b.get("/maklare"); strings.Contains(page.Body, `id="latent-1-need-`+idStr(falun)+`"`) {
		t.Errorf("needs in a network are still latent")
	}
}

// TestNewMatchesFromTheInbox: the start page lists the other
// organisations' needs like ours that were shared and not yet read, found
// once when shared: none before Erik shares his, his once he has, and none
// once Anna has read of it.
func TestNewMatchesFromTheInbox(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.app.Reach.RunOnce(ctx)
	anna := e.client()
	anna.signIn("anna@falun.demo")
	read := anna.post("/inkorg/last", url.Values{"csrf": {csrf(t, anna.get("/inkorg").Body)}})
	if read.Status != http.StatusSeeOther {
		t.Fatalf("read all: %d", read.Status)
	}
	home := anna.get("/")
	if !strings.Contains(home.Body, "Inga nya liknande behov") {
		t.Fatalf("all read, yet new matches: %s", excerpt(home.Body))
	}
	erik := e.client()
	erik.signIn("erik@molndal.demo")
	f := needForm(erik.token())
	f.Set("title", "Trygghetslarm med digital larmkedja i ordinärt boende")
	f.Set("description", "Trygghetslarm för hemtjänstens brukare med digital larmkedja och larmmottagning dygnet runt.")
	f.Set("cpv_codes", "35121700-5")
	f.Set("visibility", "public")
	if r := erik.post("/behov", f); r.Status != http.StatusSeeOther {
		t.Fatalf("Erik's need: %d %s", r.Status, excerpt(r.Body))
	}
	e.app.Reach.RunOnce(ctx)
	home = anna.get("/")
	if !strings.Contains(home.Body, "Trygghetslarm med digital larmkedja i ordinärt boende") || !strings.Contains(home.Body, "Mölndals stad") {
		t.Fatalf("Erik's new need is not a new match: %s", excerpt(home.Body))
	}
	if r := anna.post("/inkorg/last", url.Values{"csrf": {csrf(t, home.Body)}}); r.Status != http.StatusSeeOther {
		t.Fatalf("read all: %d", r.Status)
	}
	if home = anna.get("/"); strings.Contains(home.Body, "Trygghetslarm med digital larmkedja i ordinärt boende</a>") {
		t.Errorf("read, yet still new: %s", excerpt(home.Body))
	}
}
