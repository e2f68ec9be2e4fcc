package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/arena-se/arena/internal/ocds"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// planXLSX is a procurement plan as Excel saves it, one row (bad, from 1)
// with a code that is not CPV.
func planXLSX(t *testing.T, n, bad int) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{{"Löpnummer", "Upphandling", "Beskrivning", "CPV-koder", "Beräknat värde (kr)", "Planerad annonsering"}}
	for i := 1; i <= n; i++ {
		code := "33196000-0"
		if i == bad {
			code = "99999999"
		}
		rows = append(rows, []any{fmt.Sprintf("2027-%03d", i), fmt.Sprintf("Upphandling %d av trygghetslarm", i), "Digitala larm i hemtjänsten", code, 150000 * i, "2027-09-01"})
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// upload posts a file as the multipart field "file", as the page's form does.
func (e *env) upload(who, path, name string, data []byte) response {
	e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		e.t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req, err := http.NewRequest("POST", e.srv.URL+e.expand(path), &body)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept-Language", "sv")
	if tok := e.tokens[who]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, b}
}

func TestImportPlanAndNoticeAndExportOCDS(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, true)
		v, err := ocds.NewValidator(dataDir())
		if err != nil {
			t.Fatal(err)
		}
		orgs := e.do("a", "GET", "/api/v1/organizations?org_number=212000-2411", "", nil).json(t)["items"].([]any)
		e.vars["A"] = jsonNumber(orgs[0].(map[string]any)["id"])
		before := e.counts()
		allNeeds, err := db.CountNeeds(t.Context())
		if err != nil {
			t.Fatal(err)
		}

		// B's admin may not import into A; a bad row writes nothing and
		// is named with its column and a Swedish message.
		if r := e.upload("b", "/api/v1/organizations/{A}/plan-imports", "plan.xlsx", planXLSX(t, 3, 0)); r.status != http.StatusForbidden {
			t.Fatalf("B imports into A: %d %s", r.status, r.body)
		}
		r := e.upload("a", "/api/v1/organizations/{A}/plan-imports", "plan.xlsx", planXLSX(t, 40, 17))
		if r.status != http.StatusBadRequest || r.header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("a plan with a bad row: %d %s", r.status, r.body)
		}
		var prob struct {
			Key    string `json:"key"`
			Field  string `json:"field"`
			Report struct {
				Rows   int `json:"rows"`
				Errors []struct {
					Row     int    `json:"row"`
					Column  string `json:"column"`
					Field   string `json:"field"`
					Message struct {
						Text struct{ SV, EN string } `json:"text"`
					} `json:"message"`
				} `json:"errors"`
			} `json:"report"`
		}
		if err := json.Unmarshal(r.body, &prob); err != nil {
			t.Fatal(err)
		}
		if prob.Key != "err.import.bad_rows" || prob.Field != "file" || prob.Report.Rows != 40 || len(prob.Report.Errors) != 1 {
			t.Fatalf("the problem: %s", r.body)
		}
		if be := prob.Report.Errors[0]; be.Row != 18 || be.Column != "CPV-koder" || be.Field != "cpv_codes" || !strings.Contains(be.Message.Text.SV, "99999999") {
			t.Errorf("the bad row: %+v", be)
		}
		if n, _ := db.CountNeeds(t.Context()); n != allNeeds || !equalCounts(before, e.counts()) {
			t.Fatalf("a refused import wrote: %v -> %v", before, e.counts())
		}

		// A dry run counts and writes nothing; the import writes drafts
		// once.
		r = e.upload("a", "/api/v1/organizations/{A}/plan-imports?dry_run=true", "plan.xlsx", planXLSX(t, 40, 0))
		if n, _ := db.CountNeeds(t.Context()); r.status != http.StatusOK || r.json(t)["created"].(float64) != 40 || n != allNeeds {
			t.Fatalf("dry run: %d %s", r.status, r.body)
		}
		r = e.upload("a", "/api/v1/organizations/{A}/plan-imports", "plan.xlsx", planXLSX(t, 40, 0))
		if r.status != http.StatusCreated || r.json(t)["created"].(float64) != 40 {
			t.Fatalf("import: %d %s", r.status, r.body)
		}
		r = e.upload("a", "/api/v1/organizations/{A}/plan-imports", "plan.xlsx", planXLSX(t, 40, 0))
		if m := r.json(t); r.status != http.StatusCreated || m["created"].(float64) != 0 || m["existing"].(float64) != 40 {
			t.Fatalf("again: %d %s", r.status, r.body)
		}
		if got, err := db.CountNeeds(t.Context()); err != nil || got != allNeeds+40 {
			t.Fatalf("%d needs, want %d (%v)", got, allNeeds+40, err)
		}

		// The PIN example, as a raw body; a contract notice is refused
		// naming its root element.
		pin, err := os.ReadFile(filepath.Join(dataDir(), "eforms", "examples", "pin-only_24_maximal.xml"))
		if err != nil {
			t.Fatal(err)
		}
		r = e.do("a", "POST", "/api/v1/organizations/{A}/notice-imports", string(pin), nil)
		if r.status != http.StatusCreated || r.json(t)["created"].(float64) != 1 {
			t.Fatalf("the PIN: %d %s", r.status, r.body)
		}
		cn, _ := os.ReadFile(filepath.Join(dataDir(), "eforms", "examples", "cn_24_minimal.xml"))
		r = e.do("a", "POST", "/api/v1/organizations/{A}/notice-imports", string(cn), nil)
		if m := r.json(t); r.status != http.StatusBadRequest || m["key"] != "err.eforms.not_pin" || !strings.Contains(m["detail"].(string), "ContractNotice") {
			t.Fatalf("a contract notice: %d %s", r.status, r.body)
		}

		// Drafts are not in the OCDS export; published, they are.
		ocids := func(who string) string {
			r := e.do(who, "GET", "/api/v1/ocds/releases", "", nil)
			if r.status == http.StatusNotFound && r.json(t)["key"] == "err.ocds.empty" {
				return ""
			}
			if r.status != http.StatusOK {
				t.Fatalf("OCDS as %q: %d %s", who, r.status, r.body)
			}
			if err := v.ReleasePackage(r.body); err != nil {
				t.Fatalf("the release package as %q does not validate: %v", who, err)
			}
			return string(r.body)
		}
		if strings.Contains(ocids("a"), "Upphandling 7 av trygghetslarm") {
			t.Fatal("a draft is in the OCDS export")
		}
		r = e.do("a", "POST", "/api/v1/organizations/{A}/imports/publish", "", nil)
		if r.status != http.StatusOK || r.json(t)["published"].(float64) != 41 {
			t.Fatalf("publish: %d %s", r.status, r.body)
		}
		e.app.OCDSPublisher, e.app.OCDSPublisherURI = "Upphandlingsmyndigheten", "https://www.upphandlingsmyndigheten.se/"
		pkg := ocids("")
		if !strings.Contains(pkg, `"publisher":{"name":"Upphandlingsmyndigheten","uri":"https://www.upphandlingsmyndigheten.se/"}`) {
			t.Errorf("the configured publisher is not in the export: %.300s", pkg)
		}
		if !strings.Contains(pkg, "Upphandling 7 av trygghetslarm") || !strings.Contains(pkg, `"scheme":"CPV","id":"33196000"`) || !strings.Contains(pkg, `"currency":"SEK"`) {
			t.Fatalf("the published needs are not in the export: %.2000s", pkg)
		}
		ocids("broker")

		// A need's record package validates; an unknown ocid is 404.
		var rp struct {
			Releases []struct {
				OCID string `json:"ocid"`
			} `json:"releases"`
		}
		json.Unmarshal([]byte(pkg), &rp)
		r = e.do("", "GET", "/api/v1/ocds/records/"+rp.Releases[0].OCID, "", nil)
		if r.status != http.StatusOK {
			t.Fatalf("record %s: %d %s", rp.Releases[0].OCID, r.status, r.body)
		}
		if err := v.RecordPackage(r.body); err != nil {
			t.Fatalf("the record package does not validate: %v", err)
		}
		if r := e.do("", "GET", "/api/v1/ocds/records/ocds-arena0-need-99999999", "", nil); r.status != http.StatusNotFound {
			t.Fatalf("unknown record: %d", r.status)
		}
		if r := e.do("", "GET", "/api/v1/ocds/releases?limit=2", "", nil); r.status != http.StatusOK || !strings.Contains(r.header.Get("Link"), `rel="next"`) {
			t.Fatalf("a page: %d, Link %q", r.status, r.header.Get("Link"))
		}
	})
}
