package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/store"
)

// uploadImport posts a file of a kind to an organisation's import form.
func (c *client) uploadImport(orgID int64, csrf, kind, name string, data []byte) *resp {
	c.e.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("csrf", csrf)
	mw.WriteField("kind", kind)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.e.srv.URL+"/organisationer/"+idStr(orgID)+"/import", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// waitForRun reads a job's page until its run has ended.
func (c *client) waitForRun(path string) *resp {
	c.e.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		page := c.get(path)
		if page.Status != http.StatusOK {
			c.e.t.Fatalf("%s: %d %s", path, page.Status, excerpt(page.Body))
		}
		if !strings.Contains(page.Body, `id="import-running"`) {
			return page
		}
		if time.Now().After(deadline) {
			c.e.t.Fatalf("%s: the run did not end", path)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestImportPlanWithoutJavaScript: Anna, an admin of Falu kommun, finds
// the import on her organisation's page and uploads the procurement plan
// as Excel saves it, its title column under a header Arena does not know.
// The job's page shows the columns with the fields guessed and the first
// rows; importing without a title column is refused at the column; she
// chooses the field, checks the file (nothing saved, a bad row named by
// row, column and a Swedish message), imports the good rows, and
// publishes them in one click. Erik, of another kommun, may not see her
// import; a file that is no plan is refused at the field.
func TestImportPlanWithoutJavaScript(t *testing.T) {
	e := newEnv(t)
	falun := e.orgID("Falu kommun")
	anna := e.client()
	anna.signIn("anna@falun.demo")
	if b := anna.get("/organisationer/" + idStr(falun)).Body; !strings.Contains(b, `href="/organisationer/`+idStr(falun)+`/import"`) {
		t.Fatalf("the organisation page offers no import: %s", excerpt(b))
	}
	erik := e.client()
	erik.signIn("erik@molndal.demo")
	if b := erik.get("/organisationer/" + idStr(falun)).Body; strings.Contains(b, `id="import-needs"`) {
		t.Errorf("another kommun's admin is offered Falun's import")
	}
	if r := erik.get("/organisationer/" + idStr(falun) + "/import"); r.Status != http.StatusForbidden {
		t.Errorf("Erik opens Falun's import: %d", r.Status)
	}

	page := anna.get("/organisationer/" + idStr(falun) + "/import")
	if page.Status != http.StatusOK || !strings.Contains(page.Body, `enctype="multipart/form-data"`) {
		t.Fatalf("import page: %d %s", page.Status, excerpt(page.Body))
	}
	tok := csrf(t, page.Body)
	r := anna.uploadImport(falun, tok, "plan", "plan.csv", []byte("Rubrik\n\xff\xfe trasig"))
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, `id="file-error"`) {
		t.Fatalf("no plan: %d %s", r.Status, excerpt(r.Body))
	}
	plan := "\ufeffNr;Upphandlingsföremål;Beskrivning;CPV-kod;Uppskattat värde (kr)\r\n" +
		"1;Trygghetslarm i hemtjänsten;Digitala larm;33196000;1 200 000\r\n" +
		"2;Skolmåltider;Livsmedel till skolköken;15000000;4 500 000\r\n" +
		"3;Rullatorer;Hjälpmedel;33196000;inte ett belopp\r\n"
	r = anna.uploadImport(falun, tok, "plan", `C:\Planer\upphandlingsplan 2027.csv`, []byte(plan))
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/importer/") {
		t.Fatalf("upload: %d %s %s", r.Status, r.Location, excerpt(r.Body))
	}
	job := r.Location
	jobID, _ := strconv.ParseInt(strings.TrimPrefix(job, "/importer/"), 10, 64)
	if r := erik.get(job); r.Status != http.StatusForbidden {
		t.Errorf("Erik reads Anna's import: %d", r.Status)
	}
	page = anna.get(job)
	for _, want := range []string{"upphandlingsplan 2027.csv", `id="import-mapping"`, `id="import-unknown"`, "Upphandlingsföremål", "Trygghetslarm i hemtjänsten",
		`<option value="cpv_codes" selected>`, `<option value="estimated_value_sek" selected>`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("job page lacks %q: %s", want, excerpt(page.Body))
		}
	}
	tok = csrf(t, page.Body)
	form := url.Values{"csrf": {tok}, "action": {"import"}, "col-0": {"external_id"}, "col-1": {""}, "col-2": {"description"}, "col-3": {"cpv_codes"}, "col-4": {"estimated_value_sek"}}
	before := e.countNeeds()
	r = anna.post(job, form)
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, `id="col-0-error"`) || e.countNeeds() != before {
		t.Fatalf("no title column: %d %s", r.Status, excerpt(r.Body))
	}
	form.Set("col-1", "title")
	form.Set("action", "check")
	if r = anna.post(job, form); r.Status != http.StatusSeeOther || r.Location != job {
		t.Fatalf("check: %d %s", r.Status, excerpt(r.Body))
	}
	page = anna.waitForRun(job)
	if !strings.Contains(page.Body, "Kontroll av filen") || !strings.Contains(page.Body, "2 behov skulle skapas") || !strings.Contains(page.Body, `id="import-errors"`) ||
		!strings.Contains(page.Body, "<th scope=\"row\">4</th><td>Uppskattat värde (kr)</td>") || e.countNeeds() != before {
		t.Fatalf("check report: %s", excerpt(page.Body))
	}
	// All or nothing: with a bad row, nothing is imported …
	form.Set("action", "import")
	anna.post(job, form)
	if page = anna.waitForRun(job); !strings.Contains(page.Body, "Inget sparades") || e.countNeeds() != before {
		t.Fatalf("all or nothing: %s", excerpt(page.Body))
	}
	// … unless she asks for the good rows.
	form.Set("partial", "1")
	anna.post(job, form)
	if page = anna.waitForRun(job); !strings.Contains(page.Body, "2 behov skapades som utkast") || e.countNeeds() != before+2 {
		t.Fatalf("partial: %s", excerpt(page.Body))
	}
	if j, err := e.db.ImportJob(e.as("anna@falun.demo"), jobID); err != nil || j.State != store.JobDone || j.Mapping != "external_id,title,description,cpv_codes,estimated_value_sek" {
		t.Fatalf("job: %+v %v", j, err)
	}
	// The drafts are Falun's own until published.
	if b := e.client().get("/behov?q=Skolm%C3%A5ltider").Body; strings.Contains(b, "Livsmedel till skolköken") {
		t.Errorf("an anonymous visitor sees an imported draft")
	}
	page = anna.get("/organisationer/" + idStr(falun) + "/import")
	if !strings.Contains(page.Body, "2 importerade behov är utkast") || !strings.Contains(page.Body, "upphandlingsplan 2027.csv") {
		t.Fatalf("import page after: %s", excerpt(page.Body))
	}
	r = anna.post("/organisationer/"+idStr(falun)+"/import/publicera", url.Values{"csrf": {csrf(t, page.Body)}})
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "2 behov publicerades") {
		t.Fatalf("publish: %d %s", r.Status, excerpt(r.Body))
	}
	n, err := e.db.ImportedDrafts(e.as("anna@falun.demo"), falun)
	if err != nil || n != 0 {
		t.Fatalf("drafts after publishing: %d %v", n, err)
	}
}

// TestImportNoticeWithoutJavaScript: the eForms example of a prior
// information notice becomes draft needs of Falu kommun, one per lot,
// with their CPV codes; the page lists the lots before the import.
func TestImportNoticeWithoutJavaScript(t *testing.T) {
	dir := dataDir()
	if dir == "" {
		t.Skip("no reference data: the eForms example is in ../shared/data")
	}
	pin, err := os.ReadFile(filepath.Join(dir, "eforms", "examples", "pin-only_24_maximal.xml"))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	falun := e.orgID("Falu kommun")
	anna := e.client()
	anna.signIn("anna@falun.demo")
	page := anna.get("/organisationer/" + idStr(falun) + "/import")
	r := anna.uploadImport(falun, csrf(t, page.Body), "notice", "pin.xml", pin)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", r.Status, excerpt(r.Body))
	}
	page = anna.get(r.Location)
	if !strings.Contains(page.Body, `id="h-import-lots"`) || !strings.Contains(page.Body, "79622000") {
		t.Fatalf("notice page: %s", excerpt(page.Body))
	}
	before := e.countNeeds()
	anna.post(r.Location, url.Values{"csrf": {csrf(t, page.Body)}, "action": {"import"}})
	page = anna.waitForRun(r.Location)
	if !strings.Contains(page.Body, "1 behov skapades som utkast") || e.countNeeds() != before+1 {
		t.Fatalf("notice import: %s", excerpt(page.Body))
	}
	needs, err := store.All(e.as("anna@falun.demo"), e.db.Needs, map[string]string{"org_id": idStr(falun)})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, n := range needs {
		if strings.HasPrefix(n.Source, "eforms:") && n.Visibility == arena.VisibilityDraft && len(n.CPVCodes) > 0 && n.CPVCodes[0] == "79622000" {
			found = true
		}
	}
	if !found {
		t.Errorf("no draft need from the notice with its CPV code")
	}
}

// countNeeds counts every need, as the platform.
func (e *env) countNeeds() int {
	e.t.Helper()
	n, err := e.db.CountNeeds(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// as is the context of a person of the demo, by e-mail.
func (e *env) as(email string) context.Context {
	e.t.Helper()
	ctx := context.Background()
	id, err := e.db.UserIDByEmail(ctx, email)
	if err != nil {
		e.t.Fatal(err)
	}
	a, err := e.db.ActorFor(ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return arena.WithActor(ctx, a)
}
