// Package planimport reads a buyer's procurement plan (upphandlingsplan),
// a spreadsheet with a row per planned procurement, as CSV (comma or
// semicolon, UTF-8 with or without a byte-order mark, as Excel writes it)
// or XLSX, maps its columns to a need's fields by their headers, and
// imports its rows as draft needs of one organisation through the store,
// so every rule of a need applies. A dry run reports each bad row and
// writes nothing; a real run is all-or-nothing unless told otherwise, and
// importing the same file twice adds nothing.
package planimport

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	arena "github.com/arena-se/arena"
)

// Limits of a plan: what one import reads at most.
const (
	MaxBytes   = 20 << 20 // the file
	MaxRows    = 50_000   // rows after the header
	MaxColumns = 100
	// unzipLimit bounds what an XLSX file may unpack to: a zip bomb stops
	// here instead of filling memory or disk.
	unzipLimit = 128 << 20
)

// Table is a plan as read: its header and rows of text. Row numbers are the
// spreadsheet's own, counting the header as row HeaderRow.
type Table struct {
	Header    []string
	Rows      [][]string
	HeaderRow int
}

// RowNumber is the spreadsheet's number of the i-th row after the header.
func (t *Table) RowNumber(i int) int { return t.HeaderRow + 1 + i }

// Read reads a plan from r: XLSX when the content is a zip file, CSV
// otherwise. Errors are *arena.Error with the field "file".
func Read(r io.Reader) (*Table, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxBytes {
		return nil, arena.Invalid("file", "err.import.too_large", arena.F{"max_mb": MaxBytes >> 20})
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return readXLSX(data)
	}
	return readCSV(data)
}

// readCSV reads comma-, semicolon- or tab-separated text. The separator is
// the one the header line uses most; text must be UTF-8 (Excel's "CSV
// UTF-8" writes it, with a byte-order mark the reader drops).
func readCSV(data []byte) (*Table, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		return nil, arena.Invalid("file", "err.import.utf8", arena.F{"row": badUTF8Line(data)})
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	comma := ','
	best := bytes.Count(first, []byte(","))
	for _, c := range []rune{';', '\t'} {
		if n := bytes.Count(first, []byte(string(c))); n > best {
			comma, best = c, n
		}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = false
	var rows [][]string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, arena.Invalid("file", "err.import.csv", arena.F{"row": line})
		}
		if len(rows) > MaxRows {
			return nil, arena.Invalid("file", "err.import.rows", arena.F{"max": MaxRows})
		}
		rows = append(rows, rec)
	}
	return tableOf(rows)
}

// badUTF8Line is the line number of the first byte that is not UTF-8.
func badUTF8Line(data []byte) int {
	line := 1
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), MaxBytes+1)
	for sc.Scan() {
		if !utf8.Valid(sc.Bytes()) {
			return line
		}
		line++
	}
	return line
}

// readXLSX reads the first sheet of a workbook. Cells are read raw, so a
// date is its serial number whatever its format, and nothing is evaluated:
// a formula gives its stored result.
func readXLSX(data []byte) (*Table, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true, UnzipSizeLimit: unzipLimit, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size exceeds") { // excelize exports no error value for it
			return nil, arena.Invalid("file", "err.import.unzip", arena.F{"max_mb": unzipLimit >> 20})
		}
		return nil, arena.Invalid("file", "err.import.xlsx")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, arena.Invalid("file", "err.import.no_header")
	}
	it, err := f.Rows(sheets[0])
	if err != nil {
		return nil, arena.Invalid("file", "err.import.xlsx")
	}
	defer it.Close()
	var rows [][]string
	for it.Next() {
		if len(rows) > MaxRows {
			return nil, arena.Invalid("file", "err.import.rows", arena.F{"max": MaxRows})
		}
		cols, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, arena.Invalid("file", "err.import.xlsx")
		}
		if len(cols) > MaxColumns {
			cols = cols[:MaxColumns+1]
		}
		rows = append(rows, cols)
	}
	if it.Error() != nil {
		return nil, arena.Invalid("file", "err.import.xlsx")
	}
	return tableOf(rows)
}

// tableOf finds the header, the first row with text in it, and keeps the
// rows after it that have any.
func tableOf(rows [][]string) (*Table, error) {
	h := 0
	for h < len(rows) && blank(rows[h]) {
		h++
	}
	if h == len(rows) {
		return nil, arena.Invalid("file", "err.import.no_header")
	}
	header := trimRight(rows[h])
	if len(header) > MaxColumns {
		return nil, arena.Invalid("file", "err.import.columns", arena.F{"max": MaxColumns})
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	t := &Table{Header: header, HeaderRow: h + 1}
	for _, r := range rows[h+1:] {
		if len(r) > len(header) {
			r = r[:len(header)]
		}
		t.Rows = append(t.Rows, r)
	}
	// Blank rows at the end are not rows of the plan.
	for len(t.Rows) > 0 && blank(t.Rows[len(t.Rows)-1]) {
		t.Rows = t.Rows[:len(t.Rows)-1]
	}
	return t, nil
}

func blank(r []string) bool {
	for _, c := range r {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func trimRight(r []string) []string {
	out := append([]string{}, r...)
	for len(out) > 0 && strings.TrimSpace(out[len(out)-1]) == "" {
		out = out[:len(out)-1]
	}
	return out
}
