// Package export writes tables for procurement officers: CSV as Swedish
// Excel opens it (UTF-8 with a byte-order mark, semicolons) and XLSX
// (written by excelize). A table is built from what the caller may see;
// this package only writes it.
package export

import (
	"encoding/csv"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	arena "github.com/arena-se/arena"
)

// Formats a table is written in.
const (
	CSV  = "csv"
	XLSX = "xlsx"
)

// Table is a header and rows of text.
type Table struct {
	Sheet  string // the XLSX sheet's name (at most 31 characters)
	Header []string
	Rows   [][]string
}

// ContentType is the media type of a format.
func ContentType(format string) string {
	if format == XLSX {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv; charset=utf-8"
}

// CheckFormat accepts csv and xlsx (field names the parameter).
func CheckFormat(field, format string) error {
	if format != CSV && format != XLSX {
		return arena.Invalid(field, "err.choice", arena.F{"value": format, "choices": CSV + ", " + XLSX})
	}
	return nil
}

// Write writes t in format to w.
func Write(w io.Writer, format string, t *Table) error {
	if format == XLSX {
		return writeXLSX(w, t)
	}
	return writeCSV(w, t)
}

// writeCSV writes t for Swedish Excel: a byte-order mark, so Excel reads
// UTF-8, and semicolons, Excel's separator where the decimal comma is
// used. A cell Excel would take for a formula is written as text.
func writeCSV(w io.Writer, t *Table) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	for _, row := range t.Rows {
		out := make([]string, len(row))
		for i, c := range row {
			out[i] = defuse(c)
		}
		if err := cw.Write(out); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// defuse keeps a cell that starts as a formula would (=, +, -, @, a tab
// or a carriage return) from being run by the spreadsheet: a leading
// apostrophe makes it text (OWASP's advice on CSV injection).
func defuse(c string) string {
	if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
		return "'" + c
	}
	return c
}

// writeXLSX writes t as one sheet, its header in bold and frozen. Cells
// are strings, never formulas.
func writeXLSX(w io.Writer, t *Table) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := t.Sheet
	if sheet == "" {
		sheet = "Blad1"
	}
	if r := []rune(sheet); len(r) > 31 {
		sheet = string(r[:31])
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetColWidth(1, max(len(t.Header), 1), 30); err != nil {
		return err
	}
	head := make([]any, len(t.Header))
	for i, h := range t.Header {
		head[i] = excelize.Cell{Value: h, StyleID: bold}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for i, row := range t.Rows {
		cells := make([]any, len(row))
		for j, c := range row {
			cells[j] = c
		}
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
