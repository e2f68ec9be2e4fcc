package planimport_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/planimport"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

var system = arena.WithActor(context.Background(), arena.SystemActor())

// A plan as Swedish Excel saves "CSV UTF-8": a byte-order mark,
// semicolons, CRLF, a quoted description over two lines.
const planCSV = "\ufeffNr;Rubrik;Beskrivning;CPV-kod;Uppskattat värde (kr);Planerad annonsering;Köpavsikt;Ansvarig\r\n" +
	"2027-01;Trygghetslarm;\"Digitala larm i hemtjänsten,\r\nockså utanför bostaden\";33196000-0;1 200 000 kr;2027-03-15;Budgeterat;Anna\r\n" +
	"2027-02;Skolmåltider;Livsmedel till skolköken;15000000, 55523100;4,5 mkr;Q2 2027;planerar;Karin\r\n" +
	";;;;;;;\r\n"

func TestReadCSVAsExcelWritesIt(t *testing.T) {
	for name, data := range map[string]string{
		"semicolon, BOM, CRLF": planCSV,
		"comma, no BOM":        strings.NewReplacer("\ufeff", "", ";", ",", "1 200 000 kr", "1200000", "\"Digitala", "\"Digitala", "15000000, 55523100", "\"15000000 55523100\"", "4,5 mkr", "\"4,5 mkr\"").Replace(planCSV),
		"tab":                  strings.NewReplacer("\ufeff", "", ";", "\t").Replace(planCSV),
	} {
		t.Run(name, func(t *testing.T) {
			tab, err := planimport.Read(strings.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if len(tab.Header) != 8 || tab.Header[1] != "Rubrik" || len(tab.Rows) != 2 {
				t.Fatalf("header %q, %d rows", tab.Header, len(tab.Rows))
			}
			m := planimport.Guess(tab.Header)
			want := planimport.Mapping{planimport.ExternalID, planimport.Title, planimport.Description, planimport.CPV, planimport.Value, planimport.PlannedDate, planimport.Intent, planimport.Ignore}
			if fmt.Sprint(m) != fmt.Sprint(want) {
				t.Fatalf("mapping %q, want %q", m, want)
			}
			if u := m.Unknown(tab.Header); len(u) != 1 || tab.Header[u[0]] != "Ansvarig" {
				t.Errorf("unknown columns %v", u)
			}
			rows, errs := tab.Needs(m, 7)
			if len(errs) != 0 || len(rows) != 2 {
				t.Fatalf("rows %d, errors %+v", len(rows), errs)
			}
			a, b := rows[0].Need, rows[1].Need
			if rows[0].Number != 2 || a.Title != "Trygghetslarm" || !strings.Contains(a.Description, "utanför bostaden") || fmt.Sprint(a.CPVCodes) != "[33196000]" ||
				*a.EstimatedValueSEK != 1_200_000 || a.PlannedDate.String() != "2027-03-15" || a.Intent != arena.IntentBudgeted || a.Source != "plan:id:2027-01" ||
				a.OrgID != 7 || a.Visibility != arena.VisibilityDraft {
				t.Errorf("first row: %+v", a)
			}
			if rows[1].Number != 3 || fmt.Sprint(b.CPVCodes) != "[15000000 55523100]" || *b.EstimatedValueSEK != 4_500_000 || b.PlannedDate.String() != "2027-04-01" || b.Intent != arena.IntentPlan {
				t.Errorf("second row: %+v", b)
			}
		})
	}
}

func TestCellsAsPlansWriteThem(t *testing.T) {
	header := []string{"Title", "Estimated value", "Planned date", "CPV codes", "Intent"}
	for _, c := range []struct {
		cells []string
		check func(n arena.Need) bool
		err   string // the column and key of the error, if any
	}{
		{[]string{"A", "850 tkr", "2027-05", "", ""}, func(n arena.Need) bool {
			return *n.EstimatedValueSEK == 850_000 && n.PlannedDate.String() == "2027-05-01"
		}, ""},
		{[]string{"A", "1.200.000:-", "46827", "48000000 Programvara", "decided"}, func(n arena.Need) bool {
			return *n.EstimatedValueSEK == 1_200_000 && n.PlannedDate.String() == "2028-03-15" && n.CPVCodes[0] == "48000000" && n.Intent == arena.IntentDecided
		}, ""},
		{[]string{"A", "2 MSEK", "kvartal 3 2027", "", ""}, func(n arena.Need) bool {
			return *n.EstimatedValueSEK == 2_000_000 && n.PlannedDate.String() == "2027-07-01"
		}, ""},
		{[]string{"A", "1,200,000.50", "2027", "", ""}, func(n arena.Need) bool {
			return *n.EstimatedValueSEK == 1_200_001 && n.PlannedDate.String() == "2027-01-01"
		}, ""},
		{[]string{"A", "ungefär en miljon", "", "", ""}, nil, "Estimated value err.import.amount"},
		{[]string{"A", "-5", "", "", ""}, nil, "Estimated value err.import.amount"},
		{[]string{"A", "", "nästa höst", "", ""}, nil, "Planned date err.import.date"},
		{[]string{"A", "", "", "3319600", ""}, nil, "CPV codes err.cpv.form"},
		{[]string{"A", "", "", "programvara", ""}, nil, "CPV codes err.cpv.form"},
		{[]string{"A", "", "", "", "kanske"}, nil, "Intent err.import.intent"},
	} {
		tab := &planimport.Table{Header: header, Rows: [][]string{c.cells}, HeaderRow: 1}
		rows, errs := tab.Needs(planimport.Guess(header), 1)
		if c.err != "" {
			if len(errs) != 1 || errs[0].Row != 2 || errs[0].Column+" "+errs[0].Err.Msg.Key != c.err {
				t.Errorf("%q: errors %+v, want %s", c.cells, errs, c.err)
			}
			continue
		}
		if len(errs) != 0 || len(rows) != 1 || !c.check(rows[0].Need) {
			t.Errorf("%q: rows %+v, errors %+v", c.cells, rows, errs)
		}
	}
}

func TestTwiceTheSameRowIsAnError(t *testing.T) {
	tab := &planimport.Table{Header: []string{"Rubrik", "Beskrivning"}, HeaderRow: 1,
		Rows: [][]string{{"Trygghetslarm", "Larm"}, {"Skolmat", ""}, {" trygghetslarm ", "larm"}}}
	rows, errs := tab.Needs(planimport.Guess(tab.Header), 1)
	if len(rows) != 2 || len(errs) != 1 || errs[0].Row != 4 || errs[0].Err.Msg.Key != "err.import.repeated" || errs[0].Err.Msg.Args["row"] != 2 {
		t.Fatalf("rows %d, errors %+v", len(rows), errs)
	}
}

func TestMappingNeedsATitle(t *testing.T) {
	for _, m := range []planimport.Mapping{{planimport.Description}, {planimport.Title, planimport.Title}, {planimport.Title, "colour"}} {
		if err := m.Check(); arena.ErrorCode(err) != arena.EINVALID {
			t.Errorf("%q: %v", m, err)
		}
	}
	if err := (planimport.Mapping{planimport.Ignore, planimport.Title}).Check(); err != nil {
		t.Error(err)
	}
}

// xlsx writes a workbook with excelize, as Excel would save it: a date as
// a date cell, a value as a number, a formula.
func xlsx(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+3) // a title row and a blank row first
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetCellValue("Sheet1", "A1", "Upphandlingsplan 2027"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadXLSX(t *testing.T) {
	data := xlsx(t, [][]any{
		{"Rubrik", "Värde", "Datum", "CPV"},
		{"Trygghetslarm", 1200000, "2027-03-15", "33196000"},
		{"=HYPERLINK(\"http://evil\")", 5, 46827, ""},
	})
	// Above the header: the plan's title. The header is its first row…
	tab, err := planimport.Read(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	// …so the mapping has no title column until the user says which.
	if tab.HeaderRow != 1 || tab.Header[0] != "Upphandlingsplan 2027" {
		t.Fatalf("header row %d: %q", tab.HeaderRow, tab.Header)
	}
	if err := planimport.Guess(tab.Header).Check(); arena.ErrorCode(err) != arena.EINVALID {
		t.Fatalf("a mapping without a title: %v", err)
	}
	// A workbook whose header is its first row.
	f := excelize.NewFile()
	for i, r := range [][]any{{"Rubrik", "Värde", "Datum", "CPV"}, {"Trygghetslarm", 1200000, "2027-03-15", "33196000"}, {"=HYPERLINK(\"http://evil\")", 5, 46827, ""}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	tab, err = planimport.Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, errs := tab.Needs(planimport.Guess(tab.Header), 1)
	if len(errs) != 0 || len(rows) != 2 {
		t.Fatalf("rows %+v errors %+v", rows, errs)
	}
	if rows[0].Need.Title != "Trygghetslarm" || *rows[0].Need.EstimatedValueSEK != 1_200_000 || rows[0].Need.PlannedDate.String() != "2027-03-15" {
		t.Errorf("first row %+v", rows[0].Need)
	}
	// A formula is text in a need, never run; export neutralises it.
	if rows[1].Need.Title != "=HYPERLINK(\"http://evil\")" || rows[1].Need.PlannedDate.String() != "2028-03-15" {
		t.Errorf("second row %+v", rows[1].Need)
	}
}

func TestBadFilesAreRefused(t *testing.T) {
	big := bytes.Repeat([]byte("Rubrik\nx\n"), planimport.MaxBytes/9+10)
	bomb := zipBomb(t)
	for name, c := range map[string]struct {
		data []byte
		key  string
	}{
		"over the size limit": {big, "err.import.too_large"},
		"broken UTF-8":        {[]byte("Rubrik;Beskrivning\nTrygghetslarm;ok\nSkolmat;k\xf6k\n"), "err.import.utf8"},
		"a zip bomb":          {bomb, "err.import.unzip"},
		"a zip that is not a workbook": {func() []byte {
			var b bytes.Buffer
			z := zip.NewWriter(&b)
			w, _ := z.Create("hello.txt")
			w.Write([]byte("hej"))
			z.Close()
			return b.Bytes()
		}(), "err.import.xlsx"},
		"empty": {nil, "err.import.no_header"},
	} {
		tab, err := planimport.Read(bytes.NewReader(c.data))
		var ae *arena.Error
		if !errorsAs(err, &ae) || ae.Msg.Key != c.key || ae.Field != "file" {
			t.Errorf("%s: %v (%v rows), want %s", name, err, tab != nil, c.key)
		}
		if name == "broken UTF-8" && ae != nil && ae.Msg.Args["row"] != 3 {
			t.Errorf("broken UTF-8 on row %v, want 3", ae.Msg.Args["row"])
		}
	}
}

// zipBomb is a workbook whose sheet unpacks to more than Arena reads: a
// few hundred kilobytes of zip, 150 MB of XML.
func zipBomb(t testing.TB) []byte {
	t.Helper()
	good := xlsx(t, [][]any{{"Rubrik"}, {"x"}})
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		r, _ := f.Open()
		var b bytes.Buffer
		b.ReadFrom(r)
		r.Close()
		if f.Name == "xl/worksheets/sheet1.xml" {
			s := b.String()
			i := strings.Index(s, "<sheetData>")
			w.Write([]byte(s[:i]))
			pad := bytes.Repeat([]byte(" "), 1<<20)
			for range 150 {
				w.Write(pad)
			}
			w.Write([]byte(s[i:]))
			continue
		}
		w.Write(b.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func errorsAs(err error, ae **arena.Error) bool {
	e, ok := err.(*arena.Error)
	*ae = e
	return ok
}

// plan is a CSV plan of n rows, each with its own id, title and code.
func plan(n int, bad ...int) string {
	var b strings.Builder
	b.WriteString("\ufeffId;Rubrik;Beskrivning;CPV;Uppskattat värde;Planerat datum\r\n")
	isBad := map[int]bool{}
	for _, i := range bad {
		isBad[i] = true
	}
	for i := range n {
		code := "33196000"
		if isBad[i] {
			code = "99999999" // not a CPV code
		}
		fmt.Fprintf(&b, "P-%d;Upphandling nummer %d av hjälpmedel;Beskrivning av behov %d i planen;%s;%d;2027-%02d-01\r\n", i, i, i, code, 100000+i, 1+i%12)
	}
	return b.String()
}

// newOrg makes a kommun with an admin and a member; it returns the
// organisation and their contexts.
func newOrg(t *testing.T, db *store.DB) (*arena.Organization, context.Context, context.Context) {
	t.Helper()
	if ref := testdb.Reference(); ref != nil {
		if err := db.LoadReference(system, ref); err != nil {
			t.Fatal(err)
		}
	}
	o := &arena.Organization{Name: "Falu kommun", OrgNumber: "2120002411", Kind: arena.OrgKommun}
	if err := db.Organizations.Create(system, o); err != nil {
		t.Fatal(err)
	}
	var ctxs []context.Context
	for _, r := range []arena.OrgRole{arena.OrgRoleAdmin, arena.OrgRoleMember} {
		u := &arena.User{Email: string(r) + "@falun.se", Name: string(r)}
		if err := db.Users.Create(system, u); err != nil {
			t.Fatal(err)
		}
		if err := db.OrgMemberships.Create(system, &arena.OrgMembership{UserID: u.ID, OrgID: o.ID, Role: r}); err != nil {
			t.Fatal(err)
		}
		a, err := db.ActorFor(context.Background(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		ctxs = append(ctxs, arena.WithActor(context.Background(), a))
	}
	return o, ctxs[0], ctxs[1]
}

func countNeeds(t *testing.T, db *store.DB) int {
	t.Helper()
	n, err := db.CountNeeds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func importCSV(t *testing.T, ctx context.Context, db *store.DB, orgID int64, csv string, opt planimport.Options) (*planimport.Report, error) {
	t.Helper()
	tab, err := planimport.Read(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	return planimport.Import(ctx, db, orgID, tab, planimport.Guess(tab.Header), opt)
}

func TestImportIsAllOrNothingAndIdempotent(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		org, admin, member := newOrg(t, db)
		checksCPV := testdb.Reference() != nil

		// A member may not import; a dry run writes nothing.
		if _, err := importCSV(t, member, db, org.ID, plan(3), planimport.Options{}); arena.ErrorCode(err) != arena.EFORBIDDEN {
			t.Fatalf("a member imports: %v", err)
		}
		var seen []int
		rep, err := importCSV(t, admin, db, org.ID, plan(250), planimport.Options{DryRun: true, Progress: func(done, total int) { seen = append(seen, done) }})
		if err != nil || rep.Created != 250 || rep.Written || countNeeds(t, db) != 0 {
			t.Fatalf("dry run: %+v, %v; %d needs", rep, err, countNeeds(t, db))
		}
		if fmt.Sprint(seen) != "[100 200 250]" {
			t.Errorf("progress %v", seen)
		}

		// One bad row: nothing is written, and the row is named.
		if checksCPV {
			rep, err = importCSV(t, admin, db, org.ID, plan(20, 7), planimport.Options{})
			if err != nil || rep.Written || rep.Created != 0 || len(rep.Errors) != 1 || countNeeds(t, db) != 0 {
				t.Fatalf("a bad row: %+v, %v", rep, err)
			}
			if e := rep.Errors[0]; e.Row != 9 || e.Column != "CPV" || e.Err.Field != "cpv_codes" {
				t.Errorf("the bad row: %+v %v", e, e.Err)
			}
		}

		// The plan imports as drafts; again, it adds nothing.
		rep, err = importCSV(t, admin, db, org.ID, plan(20), planimport.Options{})
		if err != nil || !rep.Written || rep.Created != 20 || len(rep.IDs) != 20 || countNeeds(t, db) != 20 {
			t.Fatalf("import: %+v, %v", rep, err)
		}
		n, err := db.Needs.Get(admin, rep.IDs[3])
		if err != nil || n.Title != "Upphandling nummer 3 av hjälpmedel" || n.Visibility != arena.VisibilityDraft || n.Source != "plan:id:P-3" || n.CreatedBy == 0 {
			t.Fatalf("an imported need: %+v, %v", n, err)
		}
		rep, err = importCSV(t, admin, db, org.ID, plan(22), planimport.Options{})
		if err != nil || rep.Created != 2 || rep.Existing != 20 || countNeeds(t, db) != 22 {
			t.Fatalf("again with two more rows: %+v, %v; %d needs", rep, err, countNeeds(t, db))
		}

		// With Partial the good rows of a plan with bad ones are written.
		if checksCPV {
			rep, err = importCSV(t, admin, db, org.ID, strings.ReplaceAll(plan(25, 23), "P-", "Q-"), planimport.Options{Partial: true})
			if err != nil || !rep.Written || rep.Created != 24 || len(rep.Errors) != 1 || countNeeds(t, db) != 46 {
				t.Fatalf("partial: %+v, %v", rep, err)
			}
		}

		// Publishing makes every imported draft public, as the admin.
		if _, err := planimport.Publish(member, db, org.ID, "plan:"); arena.ErrorCode(err) != arena.EFORBIDDEN {
			t.Fatalf("a member publishes: %v", err)
		}
		pub, err := planimport.Publish(admin, db, org.ID, "plan:")
		if err != nil || pub != countNeeds(t, db) {
			t.Fatalf("published %d of %d: %v", pub, countNeeds(t, db), err)
		}
		anon := arena.WithActor(context.Background(), nil)
		if n, err := db.Needs.Get(anon, rep.IDs[0]); err != nil || n.Visibility != arena.VisibilityPublic {
			t.Fatalf("a published need, as anyone sees it: %+v, %v", n, err)
		}
	})
}

// FuzzRead reads any bytes as a plan and maps them: no panic, and an error
// is the domain's.
func FuzzRead(f *testing.F) {
	f.Add([]byte(planCSV))
	f.Add([]byte(plan(3, 1)))
	f.Add([]byte("Rubrik\n\"unterminated"))
	f.Add(xlsx(f, [][]any{{"Rubrik", "Datum"}, {"x", 46827}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := planimport.Read(bytes.NewReader(data))
		if err != nil {
			if _, ok := err.(*arena.Error); !ok {
				t.Fatalf("not the domain's error: %v", err)
			}
			return
		}
		m := planimport.Guess(tab.Header)
		rows, errs := tab.Needs(m, 1)
		for _, e := range errs {
			if e.Err == nil || e.Row <= tab.HeaderRow {
				t.Fatalf("row error %+v", e)
			}
		}
		for _, r := range rows {
			if r.Need.Source == "" {
				t.Fatal("a row without a source")
			}
		}
	})
}
