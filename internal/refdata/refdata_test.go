package refdata

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// realData reads the shared data folder once for all tests. The files are
// never copied into the repository, so tests that need them skip when the
// folder is absent instead of failing on machines without it.
var realData = sync.OnceValues(func() (*Set, error) {
	s, notes, err := ReadDir(dataDir())
	if err == nil && len(notes) > 0 {
		// Reported to the caller as a skip reason via the nil Set.
		return nil, &notesError{notes}
	}
	return s, err
})

type notesError struct{ notes []string }

func (e *notesError) Error() string { return strings.Join(e.notes, "; ") }

func dataDir() string {
	if d := os.Getenv("ARENA_TEST_DATA_DIR"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "data")
}

func loadReal(t *testing.T) (*Set, *Catalog) {
	t.Helper()
	dir := dataDir()
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("reference data folder %s not found (set ARENA_TEST_DATA_DIR): %v", dir, err)
	}
	s, err := realData()
	if ne, ok := err.(*notesError); ok {
		t.Skipf("reference data in %s is incomplete: %v", dir, ne)
	}
	if err != nil {
		t.Fatalf("ReadDir(%s): %v", dir, err)
	}
	return s, NewCatalog(s)
}

func TestReadDirCounts(t *testing.T) {
	s, c := loadReal(t)
	if len(s.CPV) != 9454 || c.CPVCount() != 9454 {
		t.Errorf("CPV: read %d, catalog %d, want 9454", len(s.CPV), c.CPVCount())
	}
	if len(s.Counties) != 21 || len(c.Counties()) != 21 {
		t.Errorf("counties: read %d, catalog %d, want 21", len(s.Counties), len(c.Counties()))
	}
	if len(s.Municipalities) != 290 || len(c.Municipalities()) != 290 {
		t.Errorf("municipalities: read %d, catalog %d, want 290", len(s.Municipalities), len(c.Municipalities()))
	}
	if !c.HasCPV() || !c.HasGeo() {
		t.Errorf("HasCPV = %v, HasGeo = %v, want both true", c.HasCPV(), c.HasGeo())
	}
}

func TestLookupCPV(t *testing.T) {
	_, c := loadReal(t)
	x, ok := c.LookupCPV("33196000-0")
	if !ok || x.LabelSV != "Medicinska hjälpmedel" || x.LabelEN != "Medical aids" ||
		x.Code != "33196000" || x.Check != "0" || x.Level != 4 || x.Parent != "33190000" {
		t.Errorf(`LookupCPV("33196000-0") = %+v, %v`, x, ok)
	}
	for _, code := range []string{"33196000", " 33196000-0 "} {
		if _, ok := c.LookupCPV(code); !ok {
			t.Errorf("LookupCPV(%q) refused", code)
		}
	}
	for _, code := range []string{"33196000-1", "33196000-", "3319600", "331960000", "33196000-00", "3319600a", "99999999", ""} {
		if x, ok := c.LookupCPV(code); ok {
			t.Errorf("LookupCPV(%q) = %+v, want refused", code, x)
		}
	}
}

func TestCPVAncestors(t *testing.T) {
	_, c := loadReal(t)
	var got []string
	for _, a := range c.CPVAncestors("33196000-0") {
		got = append(got, a.Code)
	}
	if want := []string{"33190000", "33100000", "33000000"}; !slices.Equal(got, want) {
		t.Errorf("CPVAncestors(33196000-0) = %v, want %v", got, want)
	}
	if a := c.CPVAncestors("33000000"); len(a) != 0 {
		t.Errorf("a division has ancestors: %v", a)
	}
	if a := c.CPVAncestors("33196000-1"); a != nil {
		t.Errorf("wrong check digit gave ancestors: %v", a)
	}
}

func TestGeo(t *testing.T) {
	_, c := loadReal(t)
	m, ok := c.Municipality("0114")
	if !ok || m.Name != "Upplands Väsby kommun" || m.ShortName != "Upplands Väsby" || m.CountyCode != "01" {
		t.Errorf(`Municipality("0114") = %+v, %v`, m, ok)
	}
	k, ok := c.County("01")
	if !ok || k.Name != "Stockholms län" || k.ShortName != "Stockholm" {
		t.Errorf(`County("01") = %+v, %v`, k, ok)
	}
	if _, ok := c.Municipality("9999"); ok {
		t.Error(`Municipality("9999") found`)
	}
	if _, ok := c.County("02"); ok {
		t.Error(`County("02") found`)
	}
	ms := c.Municipalities()
	if !slices.IsSortedFunc(ms, func(a, b Municipality) int { return strings.Compare(a.Code, b.Code) }) {
		t.Error("Municipalities not sorted by code")
	}
	for _, m := range ms {
		if _, ok := c.County(m.CountyCode); !ok {
			t.Errorf("kommun %s has unknown län %s", m.Code, m.CountyCode)
		}
	}
	// The catalog must not share its slices with callers.
	ms[0].Name = "changed"
	if c.Municipalities()[0].Name == "changed" {
		t.Error("Municipalities returned the catalog's own slice")
	}
}

func TestCatalogConcurrent(t *testing.T) {
	_, c := loadReal(t)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				c.LookupCPV("33196000-0")
				c.CPVAncestors("33196000")
				c.Municipalities()
				c.County("01")
			}
		})
	}
	wg.Wait()
}

func TestReadDirMissing(t *testing.T) {
	s, notes, err := ReadDir(filepath.Join(t.TempDir(), "absent"))
	if err != nil {
		t.Fatalf("ReadDir of a missing folder: %v", err)
	}
	if s == nil || len(s.CPV)+len(s.Counties)+len(s.Municipalities) != 0 {
		t.Errorf("Set = %+v, want empty", s)
	}
	if len(notes) != 3 || !strings.Contains(notes[0], "cpv/cpv_2008_sv_en.csv saknas") {
		t.Errorf("notes = %q, want one per file", notes)
	}
	for _, c := range []*Catalog{NewCatalog(s), NewCatalog(nil)} {
		if c.HasCPV() || c.HasGeo() || c.CPVCount() != 0 || len(c.Counties()) != 0 {
			t.Error("catalog of no data is not empty")
		}
		if _, ok := c.LookupCPV("33196000"); ok {
			t.Error("empty catalog found a CPV code")
		}
	}
}

func TestReadDirMalformed(t *testing.T) {
	const cpvHead = "code,code_with_check_digit,level,parent_code,label_sv,label_en\n"
	const div = "33000000,33000000-2,1,,Medicinsk utrustning,Medical equipments\n"
	for _, tc := range []struct {
		name, file, content, line string
	}{
		{"field count", cpvFile, cpvHead + div + "33100000,33100000-1,2,33000000,Medicinsk\n", "line 3"},
		{"bad code", cpvFile, cpvHead + div + "3310000x,3310000x-1,2,33000000,A,B\n", "line 3"},
		{"check digit form", cpvFile, cpvHead + div + "33100000,33100000,2,33000000,A,B\n", "line 3"},
		{"bad level", cpvFile, cpvHead + div + "33100000,33100000-1,two,33000000,A,B\n", "line 3"},
		{"bad quote", cpvFile, cpvHead + div + "33100000,33100000-1,2,33000000,\"A,B\n", "line 3"},
		{"unknown parent", cpvFile, cpvHead + div + "33100000,33100000-1,2,44000000,A,B\n", "line 3"},
		{"duplicate", cpvFile, cpvHead + div + div, "line 3"},
		{"header", cpvFile, "kod,x,level,parent_code,label_sv,label_en\n" + div, "line 1"},
		{"empty", cpvFile, "", "line 1"},
		{"county code", countiesFile, "county_code,county_name,county_name_short\n01,Stockholms län,Stockholm\n1,Uppsala län,Uppsala\n", "line 3"},
		{"municipality code", municipalitiesFile, "municipality_code,municipality_name,municipality_name_short,county_code\n0114,Upplands Väsby kommun,Upplands Väsby,01\n115,Vallentuna kommun,Vallentuna,01\n", "line 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, filepath.FromSlash(tc.file))
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			_, _, err := ReadDir(dir)
			if err == nil {
				t.Fatal("ReadDir accepted a malformed file")
			}
			if msg := err.Error(); !strings.Contains(msg, path) || !strings.Contains(msg, tc.line) {
				t.Errorf("error %q does not name %s and %s", msg, path, tc.line)
			}
		})
	}
}

func TestReadDirPartial(t *testing.T) {
	// A municipality's län is checked against the län file when present.
	dir := t.TempDir()
	must := func(rel, content string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	must(countiesFile, "\ufeffcounty_code,county_name,county_name_short\r\n01,Stockholms län,Stockholm\r\n")
	must(municipalitiesFile, "municipality_code,municipality_name,municipality_name_short,county_code\n0114,Upplands Väsby kommun,Upplands Väsby,01\n")
	s, notes, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 1 || !strings.HasPrefix(notes[0], cpvFile) {
		t.Errorf("notes = %q, want only the CPV file missing", notes)
	}
	c := NewCatalog(s)
	if c.HasCPV() || !c.HasGeo() {
		t.Errorf("HasCPV = %v, HasGeo = %v", c.HasCPV(), c.HasGeo())
	}

	must(municipalitiesFile, "municipality_code,municipality_name,municipality_name_short,county_code\n0114,Upplands Väsby kommun,Upplands Väsby,01\n0305,Håbo kommun,Håbo,03\n")
	if _, _, err := ReadDir(dir); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("unknown län: err = %v, want error at line 3", err)
	}
}
