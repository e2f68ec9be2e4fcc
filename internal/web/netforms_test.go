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

// netForms is a network of Falun (Anna, active) and Mölndal (Erik,
// invited), with Sara of Region Örebro län outside it.
type netForms struct {
	e                 *env
	anna, erik, sara  *client
	path              string
	id                int64
	annaTok, saraTok  string
	falunID, molndaID int64
}

func newNetForms(t *testing.T) *netForms {
	t.Helper()
	e := newEnv(t)
	x := &netForms{e: e, anna: e.client(), erik: e.client(), sara: e.client()}
	x.anna.signIn("anna@falun.demo")
	x.erik.signIn("erik@molndal.demo")
	x.sara.signIn("sara@orebro.demo")
	x.path = formNetwork(t, e, x.anna)
	x.id = mustList(t, x.path, `/natverk/(\d+)`)[0]
	x.annaTok, x.saraTok = x.anna.token(), x.sara.token()
	x.falunID, x.molndaID = e.orgID("Falu kommun"), e.orgID("Mölndals stad")
	return x
}

// form is a posted form with Anna's CSRF token.
func (x *netForms) form(kv ...string) url.Values {
	v := url.Values{"csrf": {x.annaTok}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// fieldError is the error shown next to a field, "" when none.
func fieldError(body, name string) string {
	m := regexp.MustCompile(`id="` + regexp.QuoteMeta(name) + `-error"><span class="visually-hidden">[^<]*</span>([^<]*)</p>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// refusedAlways checks the refusals every network form shares: no CSRF
// token, a user outside the network, a visitor.
func (x *netForms) refusedAlways(t *testing.T, action string, good url.Values) {
	t.Helper()
	noToken := url.Values{}
	for k, v := range good {
		if k != "csrf" {
			noToken[k] = v
		}
	}
	if r := x.anna.post(action, noToken); r.Status != http.StatusForbidden || !strings.Contains(r.Body, "Formuläret har gått ut") {
		t.Errorf("%s without CSRF token: %d", action, r.Status)
	}
	bad := url.Values{}
	for k, v := range noToken {
		bad[k] = v
	}
	bad.Set("csrf", "fel")
	if r := x.anna.post(action, bad); r.Status != http.StatusForbidden {
		t.Errorf("%s with a wrong CSRF token: %d", action, r.Status)
	}
	outside := url.Values{}
	for k, v := range noToken {
		outside[k] = v
	}
	outside.Set("csrf", x.saraTok)
	// Outside the network: forbidden, or not found where the record is
	// part of the network's inside and so hidden from her.
	if r := x.sara.post(action, outside); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
		t.Errorf("%s by Sara, outside the network: %d", action, r.Status)
	}
	if r := x.e.client().post(action, noToken); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/logga-in") {
		t.Errorf("%s by a visitor: %d %s", action, r.Status, r.Location)
	}
}

// noForm checks that a page shows no form posting to action.
func noForm(t *testing.T, who string, r *resp, action string) {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Errorf("%s: page %d", who, r.Status)
	}
	if strings.Contains(r.Body, `action="`+action+`"`) {
		t.Errorf("%s sees the form %s", who, action)
	}
}

func TestPlanForm(t *testing.T) {
	x := newNetForms(t)
	action := x.path + "/plan"
	page := x.anna.get(x.path + "/plan")
	checkPage(t, "plan with form", "sv", page)
	for _, want := range []string{`action="` + action + `"`, `id="who-0"`, `id="what-2"`, `<label for="who-1">Vem, rad 2</label>`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("plan tab lacks %s", want)
		}
	}
	noForm(t, "Sara", x.sara.get(x.path+"/plan"), action)
	noForm(t, "a visitor", x.e.client().get(x.path+"/plan"), action)
	noForm(t, "Erik, invited", x.erik.get(x.path+"/plan"), action)

	x.refusedAlways(t, action, x.form("plan_goal", "Mål", "plan_version", "0"))

	// A row with who but no what: the error is next to the row, the input stays.
	r := x.anna.post(action, x.form("plan_version", "0", "plan_goal", "Gemensamt trygghetslarm 2027", "plan_rules", "Beslut i konsensus.",
		"who-0", "Falu kommun", "what-0", "Kravspecifikation", "who-1", "Mölndals stad", "what-1", ""))
	if r.Status != http.StatusBadRequest || fieldError(r.Body, "what-1") != "Skriv vad de ansvarar för." {
		t.Fatalf("row without what: %d %q", r.Status, fieldError(r.Body, "what-1"))
	}
	for _, want := range []string{"Gemensamt trygghetslarm 2027</textarea>", "Beslut i konsensus.</textarea>", `value="Mölndals stad"`, `value="Kravspecifikation"`, `href="#what-1"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("failed plan lacks %s", want)
		}
	}
	checkPage(t, "failed plan", "sv", r)

	r = x.anna.post(action, x.form("plan_version", "0", "plan_goal", "Gemensamt trygghetslarm 2027", "plan_rules", "Beslut i konsensus.",
		"who-0", "Falu kommun", "what-0", "Kravspecifikation", "who-1", "Mölndals stad", "what-1", "Marknadsdialog", "who-2", "", "what-2", ""))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save plan: %d %s", r.Status, excerpt(r.Body))
	}
	page = x.anna.follow(r)
	for _, want := range []string{"Planen är sparad.", "<th scope=\"row\">Mölndals stad</th><td>Marknadsdialog</td>", `id="who-4"`, `name="plan_version" value="1"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("saved plan lacks %s", want)
		}
	}
	if strings.Contains(page.Body, `id="who-5"`) {
		t.Errorf("the plan form shows more than two stored and three empty rows")
	}
	// Edited from an old version: refused, the input kept, the version renewed.
	r = x.anna.post(action, x.form("plan_version", "0", "plan_goal", "Ett annat mål", "who-0", "Falu kommun", "what-0", "Allt"))
	if r.Status != http.StatusPreconditionFailed || !strings.Contains(r.Body, "Planen har ändrats av någon annan") || !strings.Contains(r.Body, "Ett annat mål</textarea>") || !strings.Contains(r.Body, `name="plan_version" value="1"`) {
		t.Errorf("stale plan: %d %s", r.Status, excerpt(r.Body))
	}
	r = x.anna.post(action, x.form("plan_version", "1", "plan_goal", "Ett annat mål", "who-0", "Falu kommun", "what-0", "Allt"))
	if r.Status != http.StatusSeeOther {
		t.Errorf("edit plan: %d", r.Status)
	}
	if page := x.anna.get(x.path + "/plan"); !strings.Contains(page.Body, "Ett annat mål") || strings.Contains(page.Body, "Marknadsdialog</td>") {
		t.Errorf("edited plan not shown: %s", excerpt(page.Body))
	}
}

func TestActivityForms(t *testing.T) {
	x := newNetForms(t)
	action := x.path + "/aktiviteter"
	page := x.anna.get(x.path + "/plan")
	for _, want := range []string{`action="` + action + `"`, `<option value="omvarldsbevakning">Omvärldsbevakning</option>`, `<option value="tekniktavling">Tekniktävling</option>`, `<option value="annan">Annan aktivitet</option>`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("activity form lacks %s", want)
		}
	}
	noForm(t, "Sara", x.sara.get(x.path+"/plan"), action)
	x.refusedAlways(t, action, x.form("activity_kind", "rfi", "activity_title", "RFI", "activity_status", "planned"))

	r := x.anna.post(action, x.form("activity_kind", "marknadsdialog", "activity_title", "Marknadsdialog om larm", "activity_start", "2026-05-01", "activity_end", "2026-04-01", "activity_status", "planned"))
	if r.Status != http.StatusBadRequest || fieldError(r.Body, "activity_end") != "Slutdatumet får inte vara före startdatumet." {
		t.Fatalf("end before start: %d %q", r.Status, fieldError(r.Body, "activity_end"))
	}
	for _, want := range []string{`value="Marknadsdialog om larm"`, `value="2026-04-01"`, `<option value="marknadsdialog" selected>`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("failed activity lacks %s", want)
		}
	}
	checkPage(t, "failed activity", "sv", r)
	r = x.anna.post(action, x.form("activity_kind", "marknadsdialog", "activity_title", "", "activity_start", "1 maj", "activity_status", "planned"))
	if r.Status != http.StatusBadRequest || fieldError(r.Body, "activity_title") == "" || fieldError(r.Body, "activity_start") != "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-11-27." {
		t.Errorf("no title, bad date: %d", r.Status)
	}

	r = x.anna.post(action, x.form("activity_kind", "marknadsdialog", "activity_title", "Marknadsdialog om larm", "activity_start", "2026-04-01", "activity_end", "2026-05-01", "activity_status", "planned"))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("add activity: %d %s", r.Status, excerpt(r.Body))
	}
	page = x.anna.follow(r)
	if !strings.Contains(page.Body, "Aktiviteten är tillagd.") || !strings.Contains(page.Body, "Marknadsdialog om larm") {
		t.Fatalf("activity not shown: %s", excerpt(page.Body))
	}
	checkPage(t, "plan with an activity", "sv", page)
	ids := mustList(t, page.Body, `action="/aktiviteter/(\d+)/status"`)
	if len(ids) != 1 {
		t.Fatalf("status forms: %v", ids)
	}
	status := "/aktiviteter/" + idStr(ids[0]) + "/status"
	name := "status-" + idStr(ids[0])
	x.refusedAlways(t, status, x.form("version", "1", name, "ongoing"))
	r = x.anna.post(status, x.form("version", "1", name, "ongoing"))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("change status: %d %s", r.Status, excerpt(r.Body))
	}
	if page := x.anna.follow(r); !strings.Contains(page.Body, `<option value="ongoing" selected>Pågår</option>`) {
		t.Errorf("status not changed: %s", excerpt(page.Body))
	}
	r = x.anna.post(status, x.form("version", "1", name, "done"))
	if r.Status != http.StatusPreconditionFailed || !strings.Contains(r.Body, "Aktiviteten har ändrats av någon annan") {
		t.Errorf("stale status: %d", r.Status)
	}
	r = x.anna.post(status, x.form("version", "2", name, "klar"))
	if r.Status != http.StatusBadRequest || fieldError(r.Body, name) != "Välj ett av alternativen." {
		t.Errorf("unknown status: %d %q", r.Status, fieldError(r.Body, name))
	}
}

func TestDeliverableForm(t *testing.T) {
	x := newNetForms(t)
	action := x.path + "/leveranser"
	page := x.anna.get(action)
	checkPage(t, "deliverables with form", "sv", page)
	if !strings.Contains(page.Body, `action="`+action+`"`) {
		t.Fatalf("no deliverable form")
	}
	noForm(t, "Sara", x.sara.get(action), action)
	x.refusedAlways(t, action, x.form("deliverable_kind", "guidance", "deliverable_title", "Vägledning"))

	r := x.anna.post(action, x.form("deliverable_kind", "requirement_specification", "deliverable_title", "", "deliverable_version", "1.0", "deliverable_url", "javascript:alert(1)", "deliverable_published", "2026-13-01"))
	if r.Status != http.StatusBadRequest {
		t.Fatalf("bad deliverable: %d", r.Status)
	}
	for field, want := range map[string]string{"deliverable_title": "Skriv vad leveransen heter.", "deliverable_url": "Skriv en fullständig adress som börjar med https:// eller http://.", "deliverable_published": "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-11-27."} {
		if got := fieldError(r.Body, field); got != want {
			t.Errorf("%s: error %q, want %q", field, got, want)
		}
	}
	if !strings.Contains(r.Body, `value="1.0"`) {
		t.Errorf("the version typed is lost")
	}
	checkPage(t, "failed deliverable", "sv", r)
	r = x.anna.post(action, x.form("deliverable_kind", "requirement_specification", "deliverable_title", "Gemensam kravspecifikation trygghetslarm", "deliverable_description", "Funktionskrav.",
		"deliverable_version", "1.2", "deliverable_url", "https://www.example.se/krav.pdf", "deliverable_published", "2026-02-20"))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("add deliverable: %d %s", r.Status, excerpt(r.Body))
	}
	page = x.anna.follow(r)
	for _, want := range []string{"Leveransen är tillagd.", `">Gemensam kravspecifikation trygghetslarm</a> <a href="https://www.example.se/krav.pdf"`, "<td>Kravspecifikation</td><td>1.2</td><td>2026-02-20</td>"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("deliverables lack %s", want)
		}
	}
}

func TestProcurementForm(t *testing.T) {
	x := newNetForms(t)
	ctx := arena.WithActor(context.Background(), arena.SystemActor())
	del := &arena.Deliverable{NetworkID: x.id, Kind: arena.DeliverableRequirementSpec, Title: "Kravspecifikation trygghetslarm"}
	if err := x.e.db.Deliverables.Create(ctx, del); err != nil {
		t.Fatal(err)
	}
	action := x.path + "/medlemsupphandlingar"
	page := x.anna.get(x.path + "/uppfoljning")
	checkPage(t, "follow-through with form", "sv", page)
	for _, want := range []string{`action="` + action + `"`, "Registreras för Falu kommun.", `<option value="` + idStr(del.ID) + `">Kravspecifikation trygghetslarm</option>`, `<option value="central_purchasing_handover">`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("procurement form lacks %s", want)
		}
	}
	// Erik's organisation is only invited: not a member yet.
	noForm(t, "Erik, invited", x.erik.get(x.path+"/uppfoljning"), action)
	noForm(t, "Sara", x.sara.get(x.path+"/uppfoljning"), action)
	good := x.form("proc_org", idStr(x.falunID), "proc_kind", "own_procurement", "proc_title", "Trygghetslarm Falun", "proc_planned", "2026-09-01")
	x.refusedAlways(t, action, good)
	erikForm := url.Values{"csrf": {x.erik.token()}, "proc_org": {idStr(x.molndaID)}, "proc_kind": {"own_procurement"}, "proc_title": {"Larm"}, "proc_planned": {"2026-09-01"}}
	if r := x.erik.post(action, erikForm); r.Status != http.StatusForbidden {
		t.Errorf("Erik, invited, records a procurement: %d", r.Status)
	}

	// A hand-over names its central purchasing body; a bad ocid is shown next to its field.
	r := x.anna.post(action, x.form("proc_org", idStr(x.falunID), "proc_deliverable", idStr(del.ID), "proc_kind", "central_purchasing_handover", "proc_body", "",
		"proc_title", "Trygghetslarm via inköpscentral", "proc_planned", "2026-09-01", "proc_ref", "FK-2026-17"))
	if r.Status != http.StatusBadRequest || fieldError(r.Body, "proc_body") != "Ange vilken inköpscentral, till exempel Adda eller Kammarkollegiet." {
		t.Fatalf("hand-over without body: %d %q", r.Status, fieldError(r.Body, "proc_body"))
	}
	for _, want := range []string{`value="Trygghetslarm via inköpscentral"`, `value="FK-2026-17"`, `<option value="central_purchasing_handover" selected>`, `<option value="` + idStr(del.ID) + `" selected>`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("failed procurement lacks %s", want)
		}
	}
	checkPage(t, "failed procurement", "sv", r)
	r = x.anna.post(action, x.form("proc_org", idStr(x.falunID), "proc_kind", "own_procurement", "proc_title", "Trygghetslarm Falun", "proc_planned", "2026-09-01", "proc_ocid", "ocid-1"))
	if r.Status != http.StatusBadRequest || !strings.HasPrefix(fieldError(r.Body, "proc_ocid"), "En OCDS-ocid börjar med ocds-") {
		t.Errorf("bad ocid: %d %q", r.Status, fieldError(r.Body, "proc_ocid"))
	}
	r = x.anna.post(action, x.form("proc_org", idStr(x.molndaID), "proc_kind", "own_procurement", "proc_title", "Mölndals larm", "proc_planned", "2026-09-01"))
	if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "En medlems upphandling registreras av medlemmen själv eller av en mäklare.") {
		t.Errorf("Anna records Mölndal's procurement: %d", r.Status)
	}
	r = x.anna.post(action, x.form("proc_org", idStr(x.falunID), "proc_kind", "own_procurement", "proc_title", "Trygghetslarm Falun", "proc_planned", ""))
	if r.Status != http.StatusBadRequest || fieldError(r.Body, "proc_planned") != "Ange planerat datum." {
		t.Errorf("no planned date: %d", r.Status)
	}

	r = x.anna.post(action, x.form("proc_org", idStr(x.falunID), "proc_deliverable", idStr(del.ID), "proc_kind", "central_purchasing_handover", "proc_body", "Adda",
		"proc_title", "Trygghetslarm via Adda", "proc_planned", "2026-09-01", "proc_ref", "FK-2026-17", "proc_ocid", "ocds-abc123-2026-017"))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("record procurement: %d %s", r.Status, excerpt(r.Body))
	}
	page = x.anna.follow(r)
	for _, want := range []string{"Upphandlingen är registrerad.", "Falu kommun: Trygghetslarm via Adda", "Överlämnad till inköpscentral (Adda)", "<dd>Kravspecifikation trygghetslarm</dd>", "<dd>FK-2026-17</dd>", "ocds-abc123-2026-017", "<strong>Planerad</strong>"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("procurement lacks %s", want)
		}
	}
	checkPage(t, "follow-through with a procurement", "sv", page)
}

func TestFundingForm(t *testing.T) {
	x := newNetForms(t)
	ctx := arena.WithActor(context.Background(), arena.SystemActor())
	fs, err := x.e.db.Funders.List(ctx, store.ListQuery{Filters: map[string]string{"q": "Vinnova"}})
	if err != nil || len(fs.Items) == 0 {
		t.Fatalf("no Vinnova: %v", err)
	}
	vinnova := fs.Items[0].ID
	action := x.path + "/finansiering"
	page := x.anna.get(x.path)
	checkPage(t, "overview with forms", "sv", page)
	if !strings.Contains(page.Body, `action="`+action+`"`) || !strings.Contains(page.Body, `<option value="`+idStr(vinnova)+`">Vinnova</option>`) {
		t.Fatalf("no funding form with the funders")
	}
	noForm(t, "Sara", x.sara.get(x.path), action)
	x.refusedAlways(t, action, x.form("funding_funder", idStr(vinnova), "funding_start", "2026-01-01", "funding_end", "2027-12-31"))

	r := x.anna.post(action, x.form("funding_funder", idStr(vinnova), "funding_start", "2027-01-01", "funding_end", "2026-12-31", "funding_amount", "1 500 000", "funding_note", "Dnr 2026-001"))
	if r.Status != http.StatusBadRequest || fieldError(r.Body, "funding_end") != "Slutdatumet får inte vara före startdatumet." {
		t.Fatalf("end before start: %d %q", r.Status, fieldError(r.Body, "funding_end"))
	}
	for _, want := range []string{`value="1 500 000"`, `value="Dnr 2026-001"`, `<option value="` + idStr(vinnova) + `" selected>`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("failed funding lacks %s", want)
		}
	}
	checkPage(t, "failed funding", "sv", r)
	r = x.anna.post(action, x.form("funding_funder", "", "funding_start", "", "funding_end", "2027-12-31", "funding_amount", "många"))
	if r.Status != http.StatusBadRequest || fieldError(r.Body, "funding_funder") == "" || fieldError(r.Body, "funding_start") == "" || fieldError(r.Body, "funding_amount") == "" {
		t.Errorf("empty funder and start, bad amount: %d", r.Status)
	}
	r = x.anna.post(action, x.form("funding_funder", idStr(vinnova), "funding_start", "2026-01-01", "funding_end", "2027-12-31", "funding_amount", "1 500 000", "funding_note", "Dnr 2026-001"))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("add funding: %d %s", r.Status, excerpt(r.Body))
	}
	page = x.anna.follow(r)
	for _, want := range []string{"Finansieringsperioden är tillagd.", `<th scope="row">Vinnova</th><td>2026-01-01</td><td>2027-12-31</td><td class="num">1` + "\u00a0500\u00a0000\u00a0kr"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("overview lacks %s", want)
		}
	}
}

func TestCloseNetwork(t *testing.T) {
	x := newNetForms(t)
	action := x.path + "/stang"
	page := x.anna.get(x.path)
	if !strings.Contains(page.Body, `action="`+action+`"`) || !strings.Contains(page.Body, "Medlemmarna har beslutat att avsluta nätverket") {
		t.Fatalf("no close form")
	}
	noForm(t, "Sara", x.sara.get(x.path), action)
	x.refusedAlways(t, action, x.form("close_decided", "ja"))

	// Without the members' decision and without procurements it may not close.
	r := x.anna.post(action, x.form())
	if r.Status != http.StatusConflict || !strings.Contains(fieldError(r.Body, "close_decided"), "Nätverket kan inte stängas ännu. Nätverket har ingen medlemsupphandling ännu") {
		t.Fatalf("close without decision: %d %q", r.Status, fieldError(r.Body, "close_decided"))
	}
	checkPage(t, "failed close", "sv", r)
	r = x.anna.post(action, x.form("close_decided", "ja"))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("close: %d %s", r.Status, excerpt(r.Body))
	}
	page = x.anna.follow(r)
	if !strings.Contains(page.Body, "Nätverket är stängt.") || !strings.Contains(page.Body, `id="closed-note"`) || !strings.Contains(page.Body, "Stängt") {
		t.Errorf("closed network page: %s", excerpt(page.Body))
	}

	// A closed network is read-only: no forms, and each form is refused.
	for tab, act := range map[string]string{"": action, "/plan": x.path + "/plan", "/leveranser": x.path + "/leveranser", "/uppfoljning": x.path + "/medlemsupphandlingar"} {
		page := x.anna.get(x.path + tab)
		noForm(t, "Anna, closed network"+tab, page, act)
		checkPage(t, "closed network"+tab, "sv", page)
	}
	for act, f := range map[string]url.Values{
		x.path + "/plan":                 x.form("plan_version", "0", "plan_goal", "Nytt mål"),
		x.path + "/aktiviteter":          x.form("activity_kind", "rfi", "activity_title", "RFI", "activity_status", "planned"),
		x.path + "/leveranser":           x.form("deliverable_kind", "guidance", "deliverable_title", "Vägledning"),
		x.path + "/medlemsupphandlingar": x.form("proc_org", idStr(x.falunID), "proc_kind", "own_procurement", "proc_title", "Larm", "proc_planned", "2026-09-01"),
		x.path + "/finansiering":         x.form("funding_funder", "1", "funding_start", "2026-01-01", "funding_end", "2026-12-31"),
		action:                           x.form("close_decided", "ja"),
	} {
		r := x.anna.post(act, f)
		want := "Nätverket är stängt och kan inte längre ändras."
		if act == action {
			want = "Nätverket är redan stängt."
		}
		if r.Status != http.StatusConflict || !strings.Contains(r.Body, want) {
			t.Errorf("%s on a closed network: %d", act, r.Status)
		}
		if act == x.path+"/plan" && !strings.Contains(r.Body, "Nätverket är stängt och kan inte längre ändras.") {
			t.Errorf("no Swedish refusal")
		}
	}
	ctx := arena.WithActor(context.Background(), arena.SystemActor())
	plans, _ := x.e.db.NetworkPlans.List(ctx, store.ListQuery{Filters: map[string]string{"network_id": idStr(x.id)}})
	if len(plans.Items) != 0 {
		t.Errorf("a plan was written to a closed network")
	}
}

// TestStrategicNetworkHasNoCloseForm: a strategic network is not closed
// when a task is done, so its page offers no close form, and a posted one
// is refused with the reason.
func TestStrategicNetworkHasNoCloseForm(t *testing.T) {
	e := newEnv(t)
	b := e.client()
	b.signIn("maklare@arena.demo")
	ctx := arena.WithActor(context.Background(), arena.SystemActor())
	nets, _ := e.db.Networks.List(ctx, store.ListQuery{Filters: map[string]string{"q": "Belok"}})
	path := "/natverk/" + idStr(nets.Items[0].ID)
	page := b.get(path)
	if strings.Contains(page.Body, `action="`+path+`/stang"`) || !strings.Contains(page.Body, `action="`+path+`/finansiering"`) {
		t.Errorf("strategic network: close form shown or funding form missing to the broker")
	}
	r := b.post(path+"/stang", url.Values{"csrf": {csrf(t, page.Body)}, "close_decided": {"ja"}})
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, "Ett strategiskt nätverk har inget slutdatum") {
		t.Errorf("closing a strategic network: %d", r.Status)
	}
}
