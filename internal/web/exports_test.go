package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/export"
)

// procurementNetwork forms a network of Falun's and Mölndal's alarm needs
// as Anna, with a procurement of Falun's, and returns its id.
func procurementNetwork(t *testing.T, e *env, anna *client) int64 {
	t.Helper()
	netID := mustList(t, formNetwork(t, e, anna), `/natverk/(\d+)`)[0]
	ctx := arena.WithActor(context.Background(), arena.SystemActor())
	planned := arena.NewDate(2026, 2, 1)
	p := &arena.MemberProcurement{NetworkID: netID, OrgID: e.orgID("Falu kommun"), Title: "Trygghetslarm", Stage: arena.StagePlanned, PlannedDate: &planned}
	if err := e.db.MemberProcurements.Create(ctx, p); err != nil {
		t.Fatal(err)
	}
	return netID
}

// xlsxRows reads the only sheet of a downloaded XLSX.
func xlsxRows(t *testing.T, body string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("XLSX: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// csvRows reads a downloaded CSV (a byte-order mark, semicolons).
func csvRows(t *testing.T, body string) [][]string {
	t.Helper()
	b, ok := bytes.CutPrefix([]byte(body), []byte("\ufeff"))
	if !ok {
		t.Fatalf("no byte-order mark: %.100q", body)
	}
	cr := csv.NewReader(bytes.NewReader(b))
	cr.Comma = ';'
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

var exportLinks = regexp.MustCompile(`<a class="button button-secondary" href="([^"]+)" id="(export[a-z-]*)" download>([^<]+)</a>`)

// Each register page links to its list as Excel and CSV with the page's
// filters (not its paging), and the link downloads it.
func TestRegisterPagesOfferDownloads(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.signIn("anna@falun.demo")
	for _, path := range []string{"/behov?avsikt=plan&fore=999999", "/natverk?slag=strategic", "/projekt?kategori=research", "/utlysningar", "/experter?q=a", "/leveranser?sektor=x"} {
		page := c.get(path)
		if page.Status != http.StatusOK {
			t.Fatalf("%s: %d", path, page.Status)
		}
		checkPage(t, path, "sv", page)
		links := exportLinks.FindAllStringSubmatch(page.Body, -1)
		if len(links) != 2 || links[0][3] != "Ladda ner som Excel" || links[1][3] != "Ladda ner som CSV" {
			t.Fatalf("%s: download links %v", path, links)
		}
		for _, l := range links {
			href := html.UnescapeString(l[1])
			if strings.Contains(href, "fore=") {
				t.Errorf("%s: the download carries the paging: %s", path, href)
			}
			base, query, _ := strings.Cut(path, "?")
			if !strings.HasPrefix(href, base+"?") || (query != "" && !strings.Contains(href, strings.Split(query, "&")[0])) {
				t.Errorf("%s: the download %s lacks the page's filters", path, href)
			}
			r := c.get(href)
			if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment; filename=") {
				t.Fatalf("%s: %d %s", href, r.Status, r.Header.Get("Content-Disposition"))
			}
			if strings.HasSuffix(l[2], "xlsx") {
				if r.Header.Get("Content-Type") != export.ContentType(export.XLSX) || len(xlsxRows(t, r.Body)) == 0 {
					t.Errorf("%s: not an XLSX", href)
				}
			} else if len(csvRows(t, r.Body)) == 0 {
				t.Errorf("%s: not a CSV", href)
			}
		}
	}
	// In English, the links and the columns are English.
	en := e.client()
	en.get("/sprak/en?tillbaka=/")
	if r := en.get("/behov"); !strings.Contains(r.Body, "Download as Excel") {
		t.Errorf("English page: %s", excerpt(r.Body))
	}
	if r := en.get("/behov?format=csv"); !strings.HasPrefix(r.Body, "\ufeffId;Title;Organisation;") {
		t.Errorf("English download: %.100q", r.Body)
	}
	// A network's follow-up tab offers its funnel and its procurements.
	netID := idStr(procurementNetwork(t, e, c))
	follow := c.get("/natverk/" + netID + "/uppfoljning")
	checkPage(t, "follow-through", "sv", follow)
	var ids []string
	for _, l := range exportLinks.FindAllStringSubmatch(follow.Body, -1) {
		ids = append(ids, l[2])
		if r := c.get(html.UnescapeString(l[1])); r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment; filename=") {
			t.Errorf("%s: %d", l[1], r.Status)
		}
	}
	if !slices.Equal(ids, []string{"export-funnel-xlsx", "export-funnel-csv", "export-xlsx", "export-csv"}) {
		t.Errorf("the follow-up tab's downloads: %v", ids)
	}
	// Shown again after a failed submit, the tab's downloads are still the
	// tab's, not the form's address.
	failed := c.post("/natverk/"+netID+"/medlemsupphandlingar", url.Values{"csrf": {csrf(t, follow.Body)}, "org_id": {"0"}})
	if failed.Status != http.StatusBadRequest {
		t.Fatalf("a failed procurement: %d %s", failed.Status, excerpt(failed.Body))
	}
	again := exportLinks.FindAllStringSubmatch(failed.Body, -1)
	if len(again) != 4 {
		t.Errorf("after a failed submit: %d downloads", len(again))
	}
	for _, l := range again {
		if !strings.HasPrefix(l[1], "/natverk/"+netID+"/uppfoljning?") {
			t.Errorf("after a failed submit, %s links to %s", l[2], l[1])
		}
	}
	if r := c.get("/behov?format=pdf"); r.Status != http.StatusBadRequest {
		t.Errorf("format=pdf: %d", r.Status)
	}
}

// The download has what the user may see: the anonymous visitor's lacks
// an organisation's draft that its member's has.
func TestNeedsDownloadIsWhatTheUserMaySee(t *testing.T) {
	e := newEnv(t)
	const draft = "Utkast: Laddinfrastruktur för kommunens fordon"
	anna := e.client()
	anna.signIn("anna@falun.demo")
	anon := e.client()
	for _, f := range []string{"csv", "xlsx"} {
		var titles [2][]string
		for i, c := range []*client{anon, anna} {
			r := c.get("/behov?format=" + f)
			if r.Status != http.StatusOK {
				t.Fatalf("%d %s", r.Status, excerpt(r.Body))
			}
			var rows [][]string
			if f == "csv" {
				rows = csvRows(t, r.Body)
			} else {
				rows = xlsxRows(t, r.Body)
			}
			col := slices.Index(rows[0], "Rubrik")
			for _, row := range rows[1:] {
				titles[i] = append(titles[i], row[col])
			}
		}
		if slices.Contains(titles[0], draft) || !slices.Contains(titles[1], draft) {
			t.Errorf("%s: the draft in the anonymous download %v, in its organisation's %v", f, slices.Contains(titles[0], draft), slices.Contains(titles[1], draft))
		}
		if len(titles[0]) == 0 || len(titles[1]) <= len(titles[0]) {
			t.Errorf("%s: %d rows anonymously, %d for Anna", f, len(titles[0]), len(titles[1]))
		}
	}
}

// A need titled as a formula downloads as text.
func TestNeedDownloadDefusesFormulas(t *testing.T) {
	e := newEnv(t)
	anna := e.client()
	anna.signIn("anna@falun.demo")
	const formula = `=HYPERLINK("http://x","y")`
	page := anna.get("/behov/nytt")
	form := map[string][]string{"csrf": {csrf(t, page.Body)}, "title": {formula}, "visibility": {"public"}, "intent": {"plan"}}
	if r := anna.post("/behov", form); r.Status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", r.Status, excerpt(r.Body))
	}
	rows := csvRows(t, anna.get("/behov?format=csv&q=HYPERLINK").Body)
	if len(rows) != 2 || rows[1][1] != "'"+formula {
		t.Errorf("CSV: %v", rows)
	}
	xl := anna.get("/behov?format=xlsx&q=HYPERLINK")
	f, err := excelize.OpenReader(strings.NewReader(xl.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	if v, _ := f.GetCellValue(sheet, "B2"); v != formula {
		t.Errorf("XLSX B2 %q", v)
	}
	if fm, _ := f.GetCellFormula(sheet, "B2"); fm != "" {
		t.Errorf("XLSX B2 is the formula %q", fm)
	}
}
