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

// TestNetworkFormsWithoutJavaScript: Anna starts a strategic network for
// Falun, which joins at once; from its page she starts a sub-group; she
// makes the sub-group open to new members, and a save on an old version
// is refused with what is stored now; Erik, who does not run it, gets no
// form; a network without a name is refused at its field; Anna deletes
// the sub-group.
func TestNetworkFormsWithoutJavaScript(t *testing.T) {
	e := newEnv(t)
	anna := e.client()
	anna.signIn("anna@falun.demo")
	list := anna.get("/natverk")
	if !strings.Contains(list.Body, `href="/natverk/nytt"`) {
		t.Fatalf("no link to start a network: %s", excerpt(list.Body))
	}
	form := anna.get("/natverk/nytt")
	tok := csrf(t, form.Body)
	if !strings.Contains(form.Body, `id="kind-strategic"`) || !strings.Contains(form.Body, `id="join"`) {
		t.Fatalf("the form: %s", excerpt(form.Body))
	}
	r := anna.post("/natverk", url.Values{"csrf": {tok}, "kind": {"tactical"}, "name": {"  "}})
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, `id="name-error"`) {
		t.Fatalf("no name: %d %s", r.Status, excerpt(r.Body))
	}
	falun := idStr(e.orgID("Falu kommun"))
	r = anna.post("/natverk", url.Values{"csrf": {tok}, "kind": {"strategic"}, "name": {"Välfärdsteknik i Dalarna"},
		"owner_org_id": {falun}, "join": {"1"}, "start_year": {"2027"}, "description": {"Långsiktigt arbete med välfärdsteknik."}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("start: %d %s", r.Status, excerpt(r.Body))
	}
	strategic := r.Location[:strings.Index(r.Location, "?")]
	page := anna.get(strategic)
	if !strings.Contains(page.Body, "Strategiskt") || !strings.Contains(page.Body, `href="/natverk/nytt?overordnat=`) {
		t.Fatalf("the strategic network's page: %s", excerpt(page.Body))
	}
	if members := anna.get(strategic + "/medlemmar").Body; !strings.Contains(members, "Falu kommun") || !strings.Contains(members, "anna@falun.demo") {
		t.Fatalf("Falun did not join: %s", excerpt(members))
	}
	parentID := strings.TrimPrefix(strategic, "/natverk/")
	sub := anna.get("/natverk/nytt?overordnat=" + parentID)
	if !strings.Contains(sub.Body, "Välfärdsteknik i Dalarna") || strings.Contains(sub.Body, `id="kind-strategic"`) {
		t.Fatalf("the sub-group form: %s", excerpt(sub.Body))
	}
	r = anna.post("/natverk", url.Values{"csrf": {tok}, "overordnat": {parentID}, "name": {"Digitala trygghetslarm"}, "owner_org_id": {falun}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("sub-group: %d %s", r.Status, excerpt(r.Body))
	}
	subPath := r.Location[:strings.Index(r.Location, "?")]
	if b := anna.get(subPath).Body; !strings.Contains(b, `<a href="`+strategic+`">Välfärdsteknik i Dalarna</a>`) || !strings.Contains(b, "Taktiskt") {
		t.Fatalf("the sub-group's page: %s", excerpt(b))
	}

	edit := anna.get(subPath + "/andra")
	if edit.Status != http.StatusOK || !regexp.MustCompile(`name="version" value="1"`).MatchString(edit.Body) {
		t.Fatalf("edit form: %d %s", edit.Status, excerpt(edit.Body))
	}
	r = anna.post(subPath, url.Values{"csrf": {tok}, "version": {"1"}, "name": {"Digitala trygghetslarm"}, "owner_org_id": {falun}, "open": {"1"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.Status, excerpt(r.Body))
	}
	if b := anna.get(subPath).Body; !strings.Contains(b, "tar emot nya medlemmar") {
		t.Errorf("not shown as open: %s", excerpt(b))
	}
	r = anna.post(subPath, url.Values{"csrf": {tok}, "version": {"1"}, "name": {"Ett gammalt namn"}, "owner_org_id": {falun}})
	if r.Status != http.StatusPreconditionFailed || !strings.Contains(r.Body, `id="stale-notice"`) || !strings.Contains(r.Body, "Ett gammalt namn") {
		t.Fatalf("an old version: %d %s", r.Status, excerpt(r.Body))
	}

	erik := e.client()
	erik.signIn("erik@molndal.demo")
	if b := erik.get(subPath).Body; strings.Contains(b, `id="edit-network"`) {
		t.Error("Erik is offered to change a network he does not run")
	}
	if r := erik.get(subPath + "/andra"); r.Status != http.StatusForbidden {
		t.Errorf("Erik's edit form: %d", r.Status)
	}

	edit = anna.get(subPath + "/andra")
	r = anna.post(subPath+"/ta-bort", url.Values{"csrf": {csrf(t, edit.Body)}, "version": {"2"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("delete: %d %s", r.Status, excerpt(r.Body))
	}
	if r := anna.get(subPath); r.Status != http.StatusNotFound {
		t.Errorf("the deleted sub-group: %d", r.Status)
	}
}

// TestNetworkPartFormsWithoutJavaScript: in Anna's network she changes an
// activity (a date in words refused at its field), then deletes a
// deliverable; the activity's form shows its stored values.
func TestNetworkPartFormsWithoutJavaScript(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	falun := e.orgID("Falu kommun")
	annaID, _ := e.db.UserIDByEmail(ctx, "anna@falun.demo")
	actor, err := e.db.ActorFor(ctx, annaID)
	if err != nil {
		t.Fatal(err)
	}
	as := arena.WithActor(ctx, actor)
	n := &arena.Network{Name: "Larmnätverket", Kind: arena.NetworkTactical, OwnerOrgID: &falun}
	if err := e.db.Networks.Create(as, n); err != nil {
		t.Fatal(err)
	}
	act := &arena.Activity{NetworkID: n.ID, Kind: arena.ActivityMarketDialogue, Title: "Dialogmöte med leverantörer", Status: arena.ActivityPlanned}
	del := &arena.Deliverable{NetworkID: n.ID, Kind: arena.DeliverableKinds[0], Title: "Utkast till kravspecifikation"}
	if err := e.db.Activities.Create(as, act); err != nil {
		t.Fatal(err)
	}
	if err := e.db.Deliverables.Create(as, del); err != nil {
		t.Fatal(err)
	}
	anna := e.client()
	anna.signIn("anna@falun.demo")
	plan := anna.get("/natverk/" + idStr(n.ID) + "/plan")
	edit := "/aktiviteter/" + idStr(act.ID) + "/andra"
	if !strings.Contains(plan.Body, `href="`+edit+`"`) {
		t.Fatalf("no link to change the activity: %s", excerpt(plan.Body))
	}
	form := anna.get(edit)
	if !strings.Contains(form.Body, `value="Dialogmöte med leverantörer"`) {
		t.Fatalf("the activity's form: %s", excerpt(form.Body))
	}
	v := formValues(form.Body)
	v.Set("csrf", csrf(t, form.Body))
	v.Set("start_date", "i april")
	if r := anna.post(edit, v); r.Status != http.StatusBadRequest || !strings.Contains(r.Body, `id="start_date-error"`) {
		t.Fatalf("a date in words: %d %s", r.Status, excerpt(r.Body))
	}
	v.Set("start_date", "2026-04-15")
	v.Set("status", "ongoing")
	if r := anna.post(edit, v); r.Status != http.StatusSeeOther || !strings.Contains(r.Location, "/plan") {
		t.Fatalf("save: %d %s", r.Status, r.Location)
	}
	got, err := e.db.Activities.Get(as, act.ID)
	if err != nil || got.Status != arena.ActivityOngoing || got.StartDate == nil || got.StartDate.String() != "2026-04-15" || got.Title != act.Title {
		t.Fatalf("the activity after saving: %v %+v", err, got)
	}
	dform := anna.get("/leveranser/" + idStr(del.ID) + "/andra")
	if r := anna.post("/leveranser/"+idStr(del.ID)+"/ta-bort", url.Values{"csrf": {csrf(t, dform.Body)}, "version": {"1"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("delete: %d %s", r.Status, excerpt(r.Body))
	}
	if _, err := e.db.Deliverables.Get(as, del.ID); arena.ErrorCode(err) != arena.ENOTFOUND {
		t.Errorf("the deliverable is still there: %v", err)
	}
}
