package httpapi_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/app"
	"github.com/arena-se/arena/internal/export"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// readCSV reads an export's CSV: a byte-order mark, then semicolons.
func readCSV(t *testing.T, body []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(body, []byte("\ufeff")) {
		t.Fatalf("CSV without a byte-order mark: %.200s", body)
	}
	cr := csv.NewReader(bytes.NewReader(body[3:]))
	cr.Comma = ';'
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v: %.300s", err, body)
	}
	return rows
}

// readXLSX reads an export's only sheet, with its name, and checks that
// no cell is a formula.
func readXLSX(t *testing.T, body []byte) (string, [][]string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("XLSX: %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 1 {
		t.Fatalf("sheets %v", sheets)
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		for j := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if fm, _ := f.GetCellFormula(sheets[0], cell); fm != "" {
				t.Fatalf("cell %s is the formula %q", cell, fm)
			}
		}
	}
	return sheets[0], rows
}

// column returns the cells of the column headed name, header left out.
func column(t *testing.T, rows [][]string, name string) []string {
	t.Helper()
	i := slices.Index(rows[0], name)
	if i < 0 {
		t.Fatalf("no column %q in %v", name, rows[0])
	}
	var out []string
	for _, r := range rows[1:] {
		if i < len(r) {
			out = append(out, r[i])
		} else {
			out = append(out, "")
		}
	}
	return out
}

var attachment = regexp.MustCompile(`^attachment; filename="behov-\d{4}-\d{2}-\d{2}\.(csv|xlsx)"$`)

const hyperlink = `=HYPERLINK("http://x","y")`

func TestNeedsExport(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, false)
		e.vars["orgA"] = jsonNumber(e.do("a", "GET", "/api/v1/me", "", nil).json(t)["organizations"].([]any)[0].(map[string]any)["org_id"])
		hl, _ := json.Marshal(hyperlink)
		e.create("a", "/api/v1/needs", "formula", `{"org_id": {orgA}, "title": `+string(hl)+`, "visibility": "public", "intent": "plan", "estimated_value_sek": 1200000, "planned_date": "2027-03-01", "volume": 12.5, "volume_unit": "st"}`)
		e.create("a", "/api/v1/needs", "draft", `{"org_id": {orgA}, "title": "Hemligt utkast om larm", "visibility": "draft"}`)
		e.create("a", "/api/v1/needs", "orgonly", `{"org_id": {orgA}, "title": "Internt behov om larm", "visibility": "organisation"}`)
		sv := map[string]string{"Accept-Language": "sv"}

		// What each caller may see, and no more: the anonymous caller's and
		// B's exports lack A's draft and organisation-only needs, A's has them.
		for _, who := range []string{"", "b", "a"} {
			r := e.do(who, "GET", "/api/v1/needs?format=csv", "", sv)
			if r.status != 200 {
				t.Fatalf("%q: %d %s", who, r.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
				t.Errorf("content type %q", ct)
			}
			if cd := r.header.Get("Content-Disposition"); !attachment.MatchString(cd) {
				t.Errorf("content disposition %q", cd)
			}
			rows := readCSV(t, r.body)
			if want := []string{"Id", "Rubrik", "Organisation", "Köpavsikt", "Synlighet"}; !slices.Equal(rows[0][:5], want) {
				t.Fatalf("header %v", rows[0])
			}
			titles := column(t, rows, "Rubrik")
			// The formula comes out as text: an apostrophe before it.
			if !slices.Contains(titles, "'"+hyperlink) || slices.Contains(titles, hyperlink) {
				t.Errorf("%q: the formula title is not neutralised: %v", who, titles)
			}
			secret := slices.Contains(titles, "Hemligt utkast om larm") || slices.Contains(titles, "Internt behov om larm")
			if secret != (who == "a") {
				t.Errorf("%q sees the draft and organisation-only needs: %v, want %v", who, secret, who == "a")
			}
			// Every need the JSON list gives, and only those.
			var page struct {
				Total int `json:"total"`
			}
			if err := json.Unmarshal(e.do(who, "GET", "/api/v1/needs", "", nil).body, &page); err != nil {
				t.Fatal(err)
			}
			if len(rows)-1 != page.Total {
				t.Errorf("%q: %d rows, the list has %d", who, len(rows)-1, page.Total)
			}
		}

		// Values as the pages word them.
		rows := readCSV(t, e.do("a", "GET", "/api/v1/needs?format=csv&q=HYPERLINK", "", sv).body)
		if len(rows) != 2 {
			t.Fatalf("filtered on q: %v", rows)
		}
		for col, want := range map[string]string{"Organisation": "Kommun A", "Köpavsikt": "Planerar", "Synlighet": "Alla (publikt)", "Planerat datum": "2027-03-01",
			"Uppskattat värde (kr)": "1200000", "Volym": "12,5", "Enhet": "st"} {
			if got := column(t, rows, col)[0]; got != want {
				t.Errorf("%s: %q, want %q", col, got, want)
			}
		}
		// In English when asked.
		en := readCSV(t, e.do("a", "GET", "/api/v1/needs?format=csv&q=HYPERLINK", "", map[string]string{"Accept-Language": "en"}).body)
		if en[0][1] != "Title" || column(t, en, "Volume")[0] != "12.5" {
			t.Errorf("English: %v", en)
		}

		// XLSX, by format or by Accept; the formula is a string cell.
		for _, how := range []struct {
			path    string
			headers map[string]string
		}{
			{"/api/v1/needs?format=xlsx&visibility=draft", sv},
			{"/api/v1/needs?visibility=draft", map[string]string{"Accept-Language": "sv", "Accept": xlsxType}},
		} {
			r := e.do("a", "GET", how.path, "", how.headers)
			if r.status != 200 || r.header.Get("Content-Type") != xlsxType || !attachment.MatchString(r.header.Get("Content-Disposition")) {
				t.Fatalf("%s: %d %s %s", how.path, r.status, r.header.Get("Content-Type"), r.header.Get("Content-Disposition"))
			}
			sheet, rows := readXLSX(t, r.body)
			if sheet != "Behov" || len(rows) != 2 || column(t, rows, "Rubrik")[0] != "Hemligt utkast om larm" {
				t.Errorf("%s: sheet %q rows %v", how.path, sheet, rows)
			}
		}
		_, rows = readXLSX(t, e.do("", "GET", "/api/v1/needs?format=xlsx", "", sv).body)
		titles := column(t, rows, "Rubrik")
		if !slices.Contains(titles, hyperlink) || slices.Contains(titles, "Hemligt utkast om larm") {
			t.Errorf("the anonymous XLSX: %v", titles)
		}
		// Accept: text/csv.
		if r := e.do("", "GET", "/api/v1/needs", "", map[string]string{"Accept": "text/csv"}); !bytes.HasPrefix(r.body, []byte("\ufeffId;Title;")) {
			t.Errorf("Accept: text/csv: %.200s", r.body)
		}
		// JSON stays the default, and says it varies by Accept.
		if r := e.do("", "GET", "/api/v1/needs", "", map[string]string{"Accept": "application/json"}); !bytes.HasPrefix(r.body, []byte(`{"items":`)) || r.header.Get("Vary") == "" {
			t.Errorf("JSON: %s %.100s", r.header.Get("Vary"), r.body)
		}

		defer func(n int) { export.MaxRows = n }(export.MaxRows)
		export.MaxRows = 1
		e.run(t, []scenario{
			{name: "bad format", method: "GET", path: "/api/v1/needs?format=pdf", status: 400, field: "format"},
			{name: "bad filter", method: "GET", path: "/api/v1/needs?format=csv&intent=maybe", status: 400, field: "intent"},
			{name: "unknown filter", method: "GET", path: "/api/v1/needs?format=csv&colour=red", status: 400, field: "colour"},
			{name: "too many rows", who: "a", method: "GET", path: "/api/v1/needs?format=csv", headers: sv, status: 400, field: "format", has: []string{"err.export_rows", "fler än de 1 som"}},
			{name: "few enough rows", who: "a", method: "GET", path: "/api/v1/needs?format=csv&visibility=draft", status: 200, has: []string{"Hemligt utkast"}},
			{name: "a list that does not export", method: "GET", path: "/api/v1/funders?format=csv", status: 400, field: "format"},
		})
	})
}

// Every register exports the rows its JSON list has; a network's
// procurements and funnel export too.
func TestRegistersExport(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, false)
		e.vars["orgA"] = jsonNumber(e.do("a", "GET", "/api/v1/me", "", nil).json(t)["organizations"].([]any)[0].(map[string]any)["org_id"])
		e.create("a", "/api/v1/networks", "net", `{"name": "Larmnätverket", "kind": "tactical", "owner_org_id": {orgA}}`)
		e.create("a", "/api/v1/network-members", "mA", `{"network_id": {net}, "org_id": {orgA}, "status": "active"}`)
		e.create("a", "/api/v1/deliverables", "del", `{"network_id": {net}, "kind": "requirement_specification", "title": "Kravspecifikation för larm", "published_date": "2026-02-01"}`)
		e.create("a", "/api/v1/member-procurements", "proc", `{"network_id": {net}, "org_id": {orgA}, "deliverable_id": {del}, "kind": "own_procurement", "title": "Larm i hemtjänsten", "planned_date": "2026-05-01"}`)
		sv := map[string]string{"Accept-Language": "sv"}
		for path, sheet := range map[string]string{"needs": "Behov", "networks": "Nätverk", "projects": "Projekt", "calls": "Utlysningar", "experts": "Experter",
			"deliverables": "Leveranser", "member-procurements": "Medlemsupphandlingar"} {
			var page struct {
				Total int `json:"total"`
			}
			if err := json.Unmarshal(e.do("a", "GET", "/api/v1/"+path, "", nil).body, &page); err != nil {
				t.Fatal(err)
			}
			r := e.do("a", "GET", "/api/v1/"+path+"?format=xlsx", "", sv)
			if r.status != 200 {
				t.Fatalf("%s: %d %s", path, r.status, r.body)
			}
			name, rows := readXLSX(t, r.body)
			if name != sheet || len(rows)-1 != page.Total {
				t.Errorf("%s: sheet %q with %d rows, the list has %d", path, name, len(rows)-1, page.Total)
			}
			if !strings.Contains(r.header.Get("Content-Disposition"), `filename="`+export.Registers[path].File+"-") {
				t.Errorf("%s: %s", path, r.header.Get("Content-Disposition"))
			}
		}
		rows := readCSV(t, e.do("a", "GET", "/api/v1/member-procurements?network_id={net}&format=csv", "", sv).body)
		want := map[string]string{"Nätverk": "Larmnätverket", "Organisation": "Kommun A", "Rubrik": "Larm i hemtjänsten", "Slag": "Egen upphandling",
			"Steg": "Planerad", "Bygger på leverans": "Kravspecifikation för larm", "Planerat datum": "2026-05-01"}
		if len(rows) != 2 {
			t.Fatalf("procurements: %v", rows)
		}
		for col, w := range want {
			if got := column(t, rows, col)[0]; got != w {
				t.Errorf("%s: %q, want %q", col, got, w)
			}
		}
		rows = readCSV(t, e.do("a", "GET", "/api/v1/deliverables?network_id={net}&format=csv", "", sv).body)
		if len(rows) != 2 || column(t, rows, "Slag av leverans")[0] != "Kravspecifikation" || column(t, rows, "Publicerad")[0] != "2026-02-01" {
			t.Errorf("deliverables: %v", rows)
		}
		// The funnels: the JSON and the table tell the same counts.
		for _, path := range []string{"/api/v1/funnel", "/api/v1/networks/{net}/funnel"} {
			f := e.do("a", "GET", path, "", nil).json(t)
			r := e.do("a", "GET", path+"?format=csv", "", sv)
			if r.status != 200 || !strings.Contains(r.header.Get("Content-Disposition"), `filename="tratt-`) {
				t.Fatalf("%s: %d %s", path, r.status, r.header.Get("Content-Disposition"))
			}
			rows := readCSV(t, r.body)
			if rows[0][0] != "Steg" || rows[1][0] != "Behov" || rows[1][1] != jsonNumber(f["needs"]) || rows[3][1] != jsonNumber(f["deliverables"]) {
				t.Errorf("%s: %v for %v", path, rows, f)
			}
			if r := e.do("a", "GET", path+"?format=doc", "", nil); r.status != 400 || r.json(t)["field"] != "format" {
				t.Errorf("%s?format=doc: %d %s", path, r.status, r.body)
			}
		}
		if r := e.do("", "GET", "/api/v1/networks/999999/funnel?format=csv", "", nil); r.status != 404 {
			t.Errorf("no such network: %d", r.status)
		}
	})
}

// TestExportIsBoundedWork: an export (up to 50 000 rows) is expensive work
// of its client, within the client's share of the limiter like matching:
// a client whose share is taken is told to come back (429, Retry-After)
// and gets no half table; the others are not held up.
func TestExportIsBoundedWork(t *testing.T) {
	e := newEnv(t, testdb.Open(t, store.SQLite), false)
	e.app.Limits = app.NewLimiter(8, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	anon := app.WithClient(ctx, "127.0.0.1")
	held, err := e.app.Limits.Acquire(anon)
	if err != nil {
		t.Fatal(err)
	}
	release := sync.OnceFunc(held)
	defer release()
	// Fill the anonymous client's queue: its waiters hold on until cancel.
	for range 4 {
		go func() {
			if rel, err := e.app.Limits.Acquire(anon); err == nil {
				rel()
			}
		}()
	}
	gone, stop := context.WithCancel(anon)
	stop() // a request already gone: refused at once when the queue is full
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := e.app.Limits.Acquire(gone)
		if arena.ErrorCode(err) == arena.ELIMITED {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the client's queue did not fill: %v", err)
		}
		time.Sleep(5 * time.Millisecond)
	}

	for _, path := range []string{"/api/v1/needs?format=csv", "/api/v1/networks?format=xlsx"} {
		r := e.do("", "GET", path, "", nil)
		if r.status != 429 || r.header.Get("Retry-After") == "" || r.header.Get("Content-Disposition") != "" ||
			!strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("%s with the client's share taken: %d %v %.200s", path, r.status, r.header, r.body)
		}
		// Another client (signed in: a client of its own) is served.
		if r := e.do("a", "GET", path, "", nil); r.status != 200 || r.header.Get("Content-Disposition") == "" {
			t.Errorf("%s for another client: %d %.200s", path, r.status, r.body)
		}
	}
	cancel()
	release()
	if r := e.do("", "GET", "/api/v1/needs?format=csv", "", nil); r.status != 200 {
		t.Errorf("after the share is free: %d %.200s", r.status, r.body)
	}
}
