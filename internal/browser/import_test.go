package browser

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/arena-se/arena/internal/seed"
)

// importPlan is a procurement plan as Swedish Excel saves it: BOM,
// semicolons, a title column under a header Arena does not know, a column
// that is no field, and a row with a date that is no date.
const importPlan = "\ufeffNr;Upphandlingsföremål;Beskrivning;CPV-kod;Planerat datum;Ansvarig\r\n" +
	"1;Trygghetslarm i ordinärt boende;Digitala trygghetslarm med larmkedja;33196000;2027-03-01;Anna\r\n" +
	"2;Matlådor till hemtjänsten;Kylda matlådor fem dagar i veckan;15894000;snart;Erik\r\n" +
	"3;Rullatorer och hjälpmedel;Hjälpmedel för äldre;33196000;2027-09-01;Anna\r\n"

// TestOrganisationImportsAPlan: Anna, an admin of Falu kommun, finds the
// import on her organisation's page, uploads a plan, chooses the field of
// the column Arena does not know, checks the file (a bad row named by row,
// column and message, nothing written), imports the good rows and
// publishes them, and a visitor then finds them. axe-core finds nothing
// on each step's page.
func TestOrganisationImportsAPlan(t *testing.T) {
	b := needBrowser(t)
	needAxe(t)
	s := startServer(t)
	file := filepath.Join(t.TempDir(), "upphandlingsplan 2027.csv")
	if err := os.WriteFile(file, []byte(importPlan), 0o644); err != nil {
		t.Fatal(err)
	}
	anna := session(t, b, s.URL)
	must(t, anna, anna.SignIn(annaEmail, seed.DemoPassword), "sign in")
	axe := func(step string) {
		t.Helper()
		vs, err := anna.Axe()
		must(t, anna, err, "run axe-core on %s", anna.Path())
		if len(vs) > 0 {
			t.Error(FormatViolations(step+" ("+anna.Path()+")", vs))
		}
	}

	openOwnOrg(t, anna)
	must(t, anna, anna.PressJS(CSSJS("#import-needs"), "Importera behov"), "open the import")
	must(t, anna, anna.WaitText("Importera behov till Falu kommun", "Ladda upp en fil"), "the import page")
	axe("the import page")
	must(t, anna, anna.PressJS(CSSJS("#import-upload"), "upload without a file"), "send the empty form")
	must(t, anna, anna.WaitText("Det finns fel i formuläret"), "the error summary")
	axe("the import page with an error")

	must(t, anna, anna.Fill("Upphandlingsplan (CSV eller Excel)", "true"), "choose a plan")
	must(t, anna, anna.Upload("#file", file), "choose the file")
	must(t, anna, anna.PressJS(CSSJS("#import-upload"), "Ladda upp och granska"), "upload the plan")
	must(t, anna, anna.WaitText("Import av upphandlingsplan 2027.csv", "Filen har 3 rader", "Upphandlingsföremål", "Trygghetslarm i ordinärt boende"), "the mapping step")
	axe("the mapping step")

	// Without a title column the import is refused at the column.
	must(t, anna, anna.PressJS(CSSJS("#import-start"), "Importera"), "import without a title")
	must(t, anna, anna.WaitText("Det finns fel i formuläret"), "the error summary")
	axe("the mapping step with an error")

	must(t, anna, anna.Fill("Upphandlingsföremål", "rubrik"), "choose the title column")
	must(t, anna, anna.PressJS(CSSJS("#import-check"), "Kontrollera"), "check the file")
	waitForRun(t, anna)
	must(t, anna, anna.WaitText("Kontroll av filen (inget sparades)", "2 behov skulle skapas", "1 rad har fel", "Planerat datum"), "the check's report")
	axe("the check's report")

	must(t, anna, anna.Fill("Importera de rader som är rätt även om andra har fel", "true"), "ask for the good rows")
	must(t, anna, anna.PressJS(CSSJS("#import-start"), "Importera"), "import")
	waitForRun(t, anna)
	must(t, anna, anna.WaitText("Resultat av importen", "2 behov skapades som utkast", "2 importerade behov är utkast"), "the import's report")
	axe("the import's report")

	visitor := session(t, b, s.URL)
	must(t, visitor, visitor.Open("/behov?q=matl%C3%A5dor+rullatorer"), "search the needs")
	if visitor.Has(LinkJS("Rullatorer och hjälpmedel")) {
		t.Fatalf("a visitor sees an imported draft")
	}

	must(t, anna, anna.PressJS(CSSJS("#import-publish"), "Publicera alla importerade utkast"), "publish")
	must(t, anna, anna.WaitText("2 behov publicerades", "upphandlingsplan 2027.csv"), "the publishing")
	axe("the import page after publishing")

	must(t, visitor, visitor.Open("/behov?q=rullatorer"), "search the needs again")
	must(t, visitor, visitor.WaitText("Rullatorer och hjälpmedel"), "the published need")
}

// waitForRun is Page.FollowRun, failing the test when the run does not
// end.
func waitForRun(t *testing.T, p *Page) {
	t.Helper()
	must(t, p, p.FollowRun(), "wait for the import")
}
