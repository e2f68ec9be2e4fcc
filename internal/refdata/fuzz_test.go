package refdata

// Fuzz tests of the reference files' readers: one CPV row, the code form
// look-ups take, and ReadDir over a folder whose files hold the fuzzer's
// text.

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	arena "github.com/arena-se/arena"
)

// FuzzParseCPV: a row parseCPV accepts has an 8-digit code, its check
// digit, a level from 1 to 7, a parent (8 digits) exactly when it is not
// a division, and a Swedish label; a refused row says which column.
func FuzzParseCPV(f *testing.F) {
	f.Add("45000000", "45000000-7", "1", "", "Bygg- och anläggningsarbeten", "Construction work")
	f.Add("33196000", "33196000-0", "4", "33190000", "Medicinska hjälpmedel", "Medical aids")
	f.Add("35121700", "35121700-5", "5", "35121000", "Larmsystem", "Alarm systems")
	f.Add("4500000", "4500000-7", "1", "", "x", "")
	f.Add("45000000", "45000001-7", "1", "", "x", "")
	f.Add("45000000", "45000000-77", "8", "", "", "")
	f.Add("45000000", "45000000-7", "2", "", "x", "")
	f.Add("45000000", "45000000-7", " 1", "4500000a", "\x00", "\xff")
	f.Add("４5000000", "45000000-7", "+1", "", "å", "")
	f.Fuzz(func(t *testing.T, code, withCheck, level, parent, sv, en string) {
		c, msg := parseCPV([]string{code, withCheck, level, parent, sv, en})
		if msg != "" {
			for _, col := range []string{"code", "code_with_check_digit", "level", "parent_code", "label_sv"} {
				if strings.HasPrefix(msg, col) {
					return
				}
			}
			t.Fatalf("parseCPV(%q) refused without naming a column: %s", []string{code, withCheck, level, parent, sv, en}, msg)
		}
		if !isDigits(c.Code, 8) || c.Code != code || withCheck != c.Code+"-"+c.Check || !isDigits(c.Check, 1) ||
			c.Level < 1 || c.Level > 7 || (c.Level == 1) != (c.Parent == "") || (c.Parent != "" && !isDigits(c.Parent, 8)) ||
			c.LabelSV == "" || c.LabelSV != sv || c.LabelEN != en {
			t.Fatalf("parseCPV(%q) = %+v", []string{code, withCheck, level, parent, sv, en}, c)
		}
	})
}

// FuzzSplitCPV: splitCPV, which the catalogue's look-ups use, mirrors the
// root package's SplitCPV: the same codes accepted, split alike.
func FuzzSplitCPV(f *testing.F) {
	for _, s := range []string{"45000000-7", "45000000", " 33196000-0 ", "3319600", "33196000-", "33196000-00", "-45000000", "45000000-7-7",
		"4500000０", "45000000\x00", "\xff", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		digits, check, ok := splitCPV(s)
		code, check2, err := arena.SplitCPV(s)
		if ok != (err == nil) || digits != code || check != check2 {
			t.Fatalf("splitCPV(%q) = %q, %q, %v; arena.SplitCPV = %q, %q, %v", s, digits, check, ok, code, check2, err)
		}
	})
}

// fzHeaders are the files' headers.
var fzHeaders = map[string]string{
	cpvFile:            "code,code_with_check_digit,level,parent_code,label_sv,label_en\n",
	countiesFile:       "county_code,county_name,county_name_short\n",
	municipalitiesFile: "municipality_code,municipality_name,municipality_name_short,county_code\n",
}

// FuzzReadDir writes the three reference files with the fuzzer's text
// (or leaves one out) and reads the folder: a refused folder is an error
// naming the file; a read one has unique, well-formed codes, each CPV
// parent and each kommun's län listed, a note for each missing file, a
// catalogue that finds every code it was given, and, written out as CSV
// again, reads back the same.
func FuzzReadDir(f *testing.F) {
	cpv := "45000000,45000000-7,1,,Bygg- och anläggningsarbeten,Construction work\n" +
		"45200000,45200000-9,2,45000000,\"Arbeten, hela eller delar av byggnader\",Works for complete or part construction\n" +
		"45210000,45210000-2,3,45200000,Bygg\u00adnads\u00adarbeten,Building construction work\n"
	counties := "01,Stockholms län,Stockholm\n20,Dalarnas län,Dalarna\n"
	municipalities := "0114,Upplands Väsby kommun,Upplands Väsby,01\n2080,Falu kommun,Falun,20\n"
	f.Add(cpv, counties, municipalities, uint8(7))
	f.Add("\ufeff"+cpv, " "+counties, municipalities+"\n", uint8(7))
	f.Add(cpv, counties, municipalities, uint8(5))
	f.Add(cpv, counties, municipalities, uint8(0))
	f.Add(cpv+"45210000,45210000-2,3,45200000,Dubblett,\n", counties, municipalities+"2081,Borlänge kommun,Borlänge,21\n", uint8(7))
	f.Add("11000000,11000000-1,2,22000000,A,\n22000000,22000000-2,2,11000000,B,\n", "01,\"Län \"\"med\"\" citat\",x\n", "0114,a\x00,b,01\n", uint8(7))
	f.Add("45000000,45000000-7,1,,\"rad ett\r\nrad två\",\n", "01,x\r\n", "\"0114\",\"a\nb\",c,01", uint8(7))
	f.Add("", "", "", uint8(7))
	f.Add("x", "\"", "0114,a,b", uint8(6))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, cpvRows, countyRows, municipalityRows string, present uint8) {
		files := map[string]string{cpvFile: cpvRows, countiesFile: countyRows, municipalitiesFile: municipalityRows}
		for i, rel := range []string{cpvFile, countiesFile, municipalitiesFile} {
			fzWriteOrRemove(t, dir, rel, present&(1<<i) != 0, fzHeaders[rel]+files[rel])
		}
		set, notes, err := ReadDir(dir)
		if err != nil {
			if !strings.Contains(err.Error(), dir) {
				t.Fatalf("ReadDir: %v does not name the file", err)
			}
			return
		}
		fzCheckSet(t, set, notes, present)
		c := NewCatalog(set)
		for _, x := range set.CPV {
			if got, ok := c.LookupCPV(x.Code + "-" + x.Check); !ok || got != x {
				t.Fatalf("LookupCPV(%s-%s) = %+v, %v", x.Code, x.Check, got, ok)
			}
			wrong := strconv.Itoa((int(x.Check[0]-'0') + 1) % 10)
			if _, ok := c.LookupCPV(x.Code + "-" + wrong); ok {
				t.Fatalf("LookupCPV(%s-%s) found a code with check digit %s", x.Code, wrong, x.Check)
			}
			if anc := c.CPVAncestors(x.Code); len(anc) > len(set.CPV) {
				t.Fatalf("CPVAncestors(%s): %d ancestors of %d codes", x.Code, len(anc), len(set.CPV))
			}
		}
		for _, m := range set.Municipalities {
			if got, ok := c.Municipality(" " + m.Code + " "); !ok || got != m {
				t.Fatalf("Municipality(%s) = %+v, %v", m.Code, got, ok)
			}
		}

		// Written out again, the set reads back the same.
		fzWriteOrRemove(t, dir, cpvFile, present&1 != 0, fzCSV(t, fzHeaders[cpvFile], set.CPV, func(x CPV) []string {
			return []string{x.Code, x.Code + "-" + x.Check, strconv.Itoa(x.Level), x.Parent, x.LabelSV, x.LabelEN}
		}))
		fzWriteOrRemove(t, dir, countiesFile, present&2 != 0, fzCSV(t, fzHeaders[countiesFile], set.Counties, func(x County) []string {
			return []string{x.Code, x.Name, x.ShortName}
		}))
		fzWriteOrRemove(t, dir, municipalitiesFile, present&4 != 0, fzCSV(t, fzHeaders[municipalitiesFile], set.Municipalities, func(x Municipality) []string {
			return []string{x.Code, x.Name, x.ShortName, x.CountyCode}
		}))
		again, notes2, err := ReadDir(dir)
		if err != nil || !reflect.DeepEqual(again, set) || !slices.Equal(notes, notes2) {
			t.Fatalf("read %+v (%q); written out, it reads as %+v (%q), %v", set, notes, again, notes2, err)
		}
	})
}

// fzCheckSet holds a set ReadDir read to what ReadDir promises.
func fzCheckSet(t *testing.T, set *Set, notes []string, present uint8) {
	t.Helper()
	for i, rel := range []string{cpvFile, countiesFile, municipalitiesFile} {
		missing := slices.ContainsFunc(notes, func(n string) bool { return strings.HasPrefix(n, rel+" ") })
		if missing == (present&(1<<i) != 0) {
			t.Fatalf("file %s present %v, notes %q", rel, present&(1<<i) != 0, notes)
		}
	}
	codes := map[string]bool{}
	for _, x := range set.CPV {
		if _, msg := parseCPV([]string{x.Code, x.Code + "-" + x.Check, strconv.Itoa(x.Level), x.Parent, x.LabelSV, x.LabelEN}); msg != "" || codes[x.Code] {
			t.Fatalf("read CPV %+v: %s (listed before: %v)", x, msg, codes[x.Code])
		}
		codes[x.Code] = true
	}
	for _, x := range set.CPV {
		if x.Parent != "" && !codes[x.Parent] {
			t.Fatalf("read CPV %+v whose parent is not listed", x)
		}
	}
	counties := map[string]bool{}
	for _, x := range set.Counties {
		if !isDigits(x.Code, 2) || x.Name == "" || counties[x.Code] {
			t.Fatalf("read län %+v", x)
		}
		counties[x.Code] = true
	}
	kommuner := map[string]bool{}
	for _, x := range set.Municipalities {
		if !isDigits(x.Code, 4) || x.Name == "" || !isDigits(x.CountyCode, 2) || kommuner[x.Code] || (len(counties) > 0 && !counties[x.CountyCode]) {
			t.Fatalf("read kommun %+v", x)
		}
		kommuner[x.Code] = true
	}
}

// fzWriteOrRemove writes dir/rel, or removes it when it is not present.
func fzWriteOrRemove(t *testing.T, dir, rel string, present bool, content string) {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(rel))
	if !present {
		if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		return
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fzCSV writes rows as CSV after header.
func fzCSV[T any](t *testing.T, header string, rows []T, cols func(T) []string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(header)
	w := csv.NewWriter(&b)
	for _, r := range rows {
		if err := w.Write(cols(r)); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	return b.String()
}
