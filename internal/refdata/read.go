// Package refdata reads Arena's public reference data (CPV 2008 codes,
// Swedish län and kommuner) from a data folder and serves look-ups from it.
//
// The data lives outside the repository and may be partly absent on a given
// machine, so a missing file is reported as a note and the caller degrades to
// checking codes by form only; a present but malformed file is an error,
// because silently serving half a code list would wrongly refuse valid codes.
package refdata

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Paths of the files ReadDir reads, relative to the data folder. They are
// slash-separated as in the data README and the notes; readCSV converts them.
const (
	cpvFile            = "cpv/cpv_2008_sv_en.csv"
	countiesFile       = "geo/se_counties.csv"
	municipalitiesFile = "geo/se_municipalities.csv"
)

// CPV is one code of the Common Procurement Vocabulary 2008.
type CPV struct {
	Code    string // the 8 digits, the form Arena stores and compares
	Check   string // the check digit, one character, as listed
	Level   int    // 1 = division (2 digits), 2 = group, 3 = class, 4 = category, 5+ finer
	Parent  string // 8-digit code of the parent, "" for a division
	LabelSV string
	LabelEN string
}

// County is a Swedish län with its two-digit SCB code.
type County struct {
	Code      string // SCB code, two digits ("01")
	Name      string // "Stockholms län"
	ShortName string // "Stockholm"
}

// Municipality is a Swedish kommun with its four-digit SCB code.
type Municipality struct {
	Code       string // SCB code, four digits ("0114")
	Name       string // "Upplands Väsby kommun" (not the official "stad"/"Region" forms)
	ShortName  string // "Upplands Väsby"
	CountyCode string // the län it lies in, two digits
}

// Set is the reference data as read from files, before indexing. It is kept
// separate from Catalog so tests and tools can build or inspect the raw rows.
type Set struct {
	CPV            []CPV
	Counties       []County
	Municipalities []Municipality
}

// ReadDir reads the reference files under dir. A missing file is not an
// error: it yields a human-readable (Swedish) note in the returned slice and
// leaves that part of the Set empty, so a missing folder gives an empty Set
// and one note per file. A malformed file is an error naming the file and line.
func ReadDir(dir string) (*Set, []string, error) {
	s := &Set{}
	var notes []string
	var cpvLines []int // file line of each CPV row, for errors found after reading

	found, err := readCSV(dir, cpvFile,
		[]string{"code", "code_with_check_digit", "level", "parent_code", "label_sv", "label_en"},
		func(rec []string, line int) string {
			c, msg := parseCPV(rec)
			if msg == "" {
				s.CPV = append(s.CPV, c)
				cpvLines = append(cpvLines, line)
			}
			return msg
		})
	if err != nil {
		return nil, nil, err
	}
	if !found {
		notes = append(notes, cpvFile+" saknas (CPV-koder kontrolleras bara till formen)")
	} else if err := checkCPVParents(dir, s.CPV, cpvLines); err != nil {
		return nil, nil, err
	}

	counties := map[string]bool{}
	found, err = readCSV(dir, countiesFile,
		[]string{"county_code", "county_name", "county_name_short"},
		func(rec []string, _ int) string {
			c := County{Code: rec[0], Name: rec[1], ShortName: rec[2]}
			switch {
			case !isDigits(c.Code, 2):
				return fmt.Sprintf("county_code %q is not two digits", c.Code)
			case c.Name == "":
				return "county_name is empty"
			case counties[c.Code]:
				return fmt.Sprintf("county_code %s is listed twice", c.Code)
			}
			counties[c.Code] = true
			s.Counties = append(s.Counties, c)
			return ""
		})
	if err != nil {
		return nil, nil, err
	}
	if !found {
		notes = append(notes, countiesFile+" saknas (länskoder kontrolleras bara till formen)")
	}

	seen := map[string]bool{}
	found, err = readCSV(dir, municipalitiesFile,
		[]string{"municipality_code", "municipality_name", "municipality_name_short", "county_code"},
		func(rec []string, _ int) string {
			m := Municipality{Code: rec[0], Name: rec[1], ShortName: rec[2], CountyCode: rec[3]}
			switch {
			case !isDigits(m.Code, 4):
				return fmt.Sprintf("municipality_code %q is not four digits", m.Code)
			case m.Name == "":
				return "municipality_name is empty"
			case !isDigits(m.CountyCode, 2):
				return fmt.Sprintf("county_code %q is not two digits", m.CountyCode)
			// Checked only when the län file was read, so that one
			// missing file does not make the other unreadable.
			case len(counties) > 0 && !counties[m.CountyCode]:
				return fmt.Sprintf("county_code %s is not in %s", m.CountyCode, countiesFile)
			case seen[m.Code]:
				return fmt.Sprintf("municipality_code %s is listed twice", m.Code)
			}
			seen[m.Code] = true
			s.Municipalities = append(s.Municipalities, m)
			return ""
		})
	if err != nil {
		return nil, nil, err
	}
	if !found {
		notes = append(notes, municipalitiesFile+" saknas (kommunkoder kontrolleras bara till formen)")
	}
	return s, notes, nil
}

// parseCPV turns one CPV row into a CPV, or returns why it cannot.
func parseCPV(rec []string) (CPV, string) {
	c := CPV{Code: rec[0], Parent: rec[3], LabelSV: rec[4], LabelEN: rec[5]}
	if !isDigits(c.Code, 8) {
		return c, fmt.Sprintf("code %q is not eight digits", c.Code)
	}
	code, check, ok := strings.Cut(rec[1], "-")
	if !ok || code != c.Code || !isDigits(check, 1) {
		return c, fmt.Sprintf("code_with_check_digit %q is not %s-N", rec[1], c.Code)
	}
	c.Check = check
	lvl, err := strconv.Atoi(rec[2])
	if err != nil || lvl < 1 || lvl > 7 {
		return c, fmt.Sprintf("level %q is not a number from 1 to 7", rec[2])
	}
	c.Level = lvl
	if (lvl == 1) != (c.Parent == "") {
		return c, fmt.Sprintf("parent_code %q does not fit level %d (only divisions have none)", c.Parent, lvl)
	}
	if c.Parent != "" && !isDigits(c.Parent, 8) {
		return c, fmt.Sprintf("parent_code %q is not eight digits", c.Parent)
	}
	if c.LabelSV == "" {
		return c, "label_sv is empty"
	}
	return c, ""
}

// checkCPVParents refuses duplicate codes and parents that are not listed,
// since either would break the hierarchy look-ups. It runs after reading
// because a parent may be listed after its child; lines[i] is cpv[i]'s line.
func checkCPVParents(dir string, cpv []CPV, lines []int) error {
	path := filepath.Join(dir, filepath.FromSlash(cpvFile))
	codes := make(map[string]int, len(cpv))
	for i, c := range cpv {
		if _, dup := codes[c.Code]; dup {
			return fmt.Errorf("%s: line %d: code %s is listed twice", path, lines[i], c.Code)
		}
		codes[c.Code] = i
	}
	for i, c := range cpv {
		if _, ok := codes[c.Parent]; c.Parent != "" && !ok {
			return fmt.Errorf("%s: line %d: parent_code %s of %s is not listed", path, lines[i], c.Parent, c.Code)
		}
	}
	return nil
}

// readCSV reads dir/rel, checks its header and hands each row, with its line
// number, to row, which returns a non-empty message for a bad row. found is false if the file does
// not exist; any other trouble is an error naming the file and line.
func readCSV(dir, rel string, header []string, row func(rec []string, line int) string) (found bool, err error) {
	path := filepath.Join(dir, filepath.FromSlash(rel))
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()

	r := csv.NewReader(f)
	r.FieldsPerRecord = len(header)
	head, err := r.Read()
	if err == io.EOF {
		return true, fmt.Errorf("%s: line 1: empty file, want header %s", path, strings.Join(header, ","))
	}
	if err != nil {
		return true, fmt.Errorf("%s: %w", path, err)
	}
	// A byte-order mark is common in CSV saved by spreadsheet programs and
	// would otherwise make the first column name look wrong.
	head[0] = strings.TrimPrefix(head[0], "\ufeff")
	for i := range header {
		if strings.TrimSpace(head[i]) != header[i] {
			return true, fmt.Errorf("%s: line 1: header is %s, want %s", path, strings.Join(head, ","), strings.Join(header, ","))
		}
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return true, nil
		}
		if err != nil {
			// csv.ParseError already says "line N"; keep it wrapped so
			// callers can still inspect it.
			return true, fmt.Errorf("%s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		if msg := row(rec, line); msg != "" {
			return true, fmt.Errorf("%s: line %d: %s", path, line, msg)
		}
	}
}

// isDigits reports whether s is exactly n ASCII digits.
func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
