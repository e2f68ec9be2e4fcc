package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	arena "github.com/arena-se/arena"
)

// TestLibraryWithoutJavaScript: a network of Falun and Mölndal produced a
// requirement specification. Anyone finds it in the library and sees the
// needs it was made for as they may see them: Falun's need shared with
// its networks only (and its CPV code) is shown to Erik of Mölndal, not
// to a visitor, and the CPV filter finds the deliverable through it only
// for him. Its page lists a public need like those it was made for.
func TestLibraryWithoutJavaScript(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sys := arena.WithActor(ctx, arena.SystemActor())
	falun, molndal := e.orgID("Falu kommun"), e.orgID("Mölndals stad")
	hidden := &arena.Need{OrgID: falun, Title: "Nattillsyn med rörelsesensorer i ordinärt boende", Description: "Tillsyn på natten med sensorer i stället för besök.",
		CPVCodes: []string{"35125000"}, Visibility: arena.VisibilityNetwork, Intent: arena.IntentPlan}
	if err := e.db.Needs.Create(sys, hidden); err != nil {
		t.Fatal(err)
	}
	n := &arena.Network{Name: "Trygghet i hemmet", Kind: arena.NetworkTactical, OwnerOrgID: &falun, Sector: "vård och omsorg"}
	if err := e.db.Networks.Create(sys, n); err != nil {
		t.Fatal(err)
	}
	for _, m := range []*arena.NetworkMember{
		{NetworkID: n.ID, OrgID: falun, NeedID: &hidden.ID, Status: arena.MemberActive},
		{NetworkID: n.ID, OrgID: molndal, NeedID: new(e.needID("Digitala larm för trygghet i hemmet")), Status: arena.MemberActive},
	} {
		if err := e.db.NetworkMembers.Create(sys, m); err != nil {
			t.Fatal(err)
		}
	}
	spec := &arena.Deliverable{NetworkID: n.ID, Kind: arena.DeliverableKinds[0], Title: "Gemensam kravspecifikation för digitala trygghetslarm", DocVersion: "1.0"}
	if err := e.db.Deliverables.Create(sys, spec); err != nil {
		t.Fatal(err)
	}
	e.app.Matching.Sync(ctx)

	visitor := e.client()
	list := visitor.get("/leveranser?q=kravspecifikation")
	if list.Status != http.StatusOK || !strings.Contains(list.Body, spec.Title) || strings.Contains(list.Body, "35125000") {
		t.Fatalf("the visitor's library: %d %s", list.Status, excerpt(list.Body))
	}
	if b := visitor.get("/leveranser?cpv=3512").Body; strings.Contains(b, spec.Title) {
		t.Error("the visitor finds the deliverable by a CPV code of a need hidden from them")
	}
	if b := visitor.get("/leveranser?sektor=vatten och avlopp").Body; strings.Contains(b, spec.Title) {
		t.Error("the sector filter lets another sector's deliverable through")
	}
	page := visitor.get("/leveranser/" + idStr(spec.ID))
	if !strings.Contains(page.Body, "Digitala larm för trygghet i hemmet") || strings.Contains(page.Body, hidden.Title) {
		t.Fatalf("the visitor's page of the deliverable: %s", excerpt(page.Body))
	}
	if !strings.Contains(page.Body, `id="needs-like"`) || !strings.Contains(page.Body, "Trygghetslarm med digital larmkedja för hemtjänsten") {
		t.Errorf("no public need like them: %s", excerpt(page.Body))
	}

	erik := e.client()
	erik.signIn("erik@molndal.demo")
	if b := erik.get("/leveranser?cpv=3512").Body; !strings.Contains(b, spec.Title) {
		t.Error("Erik does not find the deliverable by the CPV code of his network partner's need")
	}
	if b := erik.get("/leveranser/" + idStr(spec.ID)).Body; !strings.Contains(b, hidden.Title) {
		t.Error("Erik does not see his network partner's need on the deliverable's page")
	}
}
