package eforms

// Fuzz test of Parse: whatever the bytes, it returns a notice that keeps
// Notice's promises or an *Error with a known code.

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var codes = map[string]bool{
	CodeNotPIN: true, CodeMissing: true, CodeInvalidCPV: true, CodeInvalidDate: true,
	CodeInvalidAmount: true, CodeTooLarge: true, CodeTooDeep: true, CodeMalformed: true,
	CodeDTD: true, CodeEncoding: true, CodeRead: true,
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"pin-only_24_maximal.xml", "cn_24_minimal.xml", "cn_24_maximal.xml", "can_24_maximal.xml"} {
		if b, err := os.ReadFile(filepath.Join(dataDir(), "eforms", "examples", name)); err == nil {
			f.Add(b)
		}
	}
	seeds := []string{
		minimalPIN,
		"\ufeff" + minimalPIN,
		minimalPIN[:len(minimalPIN)/2],
		strings.Replace(minimalPIN, ">32235000<", ">3223500<", 1),
		strings.Replace(minimalPIN, `<cbc:Name languageID="SWE">Digitala trygghetslarm</cbc:Name>`, "", 1),
		strings.Replace(minimalPIN, ">2027-01-01+01:00<", ">2027-02-30<", 1),
		strings.Replace(minimalPIN, ">1500000<", ">1,5<", 1),
		strings.Replace(minimalPIN, `encoding="UTF-8"`, `encoding="ISO-8859-1"`, 1),
		strings.Replace(minimalPIN, "?>", `?><!DOCTYPE x [<!ENTITY a "&b;&b;"><!ENTITY b "x">]>`, 1),
		strings.Replace(minimalPIN, "?>", `?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`, 1),
		strings.Replace(minimalPIN, "<cbc:VersionID>", strings.Repeat("<a>", 70)+strings.Repeat("</a>", 70)+"<cbc:VersionID>", 1),
		`<ContractNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2"/>`,
		`<PriorInformationNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:PriorInformationNotice-2"/>`,
		"",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := Parse(strings.NewReader(string(b)))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v is not an *Error", err, err)
			}
			if !codes[e.Code] || e.Error() == "" {
				t.Fatalf("error %#v has an unknown code", e)
			}
			if len(e.Element) > maxShown+len("…") || len(e.Value) > maxShown+len("…") {
				t.Fatalf("error quotes %d and %d bytes", len(e.Element), len(e.Value))
			}
			if n != nil {
				t.Fatalf("a notice with the error %v", err)
			}
		} else {
			checkNotice(t, n)
		}
	})
}

// checkNotice fails t unless n keeps the promises of Notice's doc comments.
func checkNotice(t *testing.T, n *Notice) {
	t.Helper()
	if n == nil || n.ID == "" || n.Buyer.Ref == "" || n.Buyer.Name == "" || len(n.Lots) == 0 {
		t.Fatalf("notice without ID, buyer or lots: %+v", n)
	}
	for _, d := range []string{n.IssueDate, n.FutureNoticeDate} {
		checkDate(t, d)
	}
	for _, l := range append([]Lot{n.Procedure}, n.Lots...) {
		checkDate(t, l.PlannedStart)
		checkDate(t, l.PlannedEnd)
		for _, c := range append([]string{l.MainCPV}, l.AdditionalCPV...) {
			if c != "" && (len(c) != 8 || !isDigits(c)) {
				t.Fatalf("CPV code %q", c)
			}
		}
		if v := l.EstimatedValue; v != nil {
			whole, frac, dot := strings.Cut(v.Value, ".")
			if !isDigits(whole) || (dot && !isDigits(frac)) {
				t.Fatalf("amount %q", v.Value)
			}
		}
	}
	for _, l := range n.Lots {
		if l.Title == "" {
			t.Fatalf("lot %q without title", l.ID)
		}
	}
}

func checkDate(t *testing.T, d string) {
	t.Helper()
	if d == "" {
		return
	}
	if got, ok := parseDate(d); !ok || got != d {
		t.Fatalf("date %q", d)
	}
}
