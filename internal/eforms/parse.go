package eforms

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Namespaces of a prior information notice.
const (
	nsPIN   = "urn:oasis:names:specification:ubl:schema:xsd:PriorInformationNotice-2"
	nsCBC   = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
	nsCAC   = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
	nsEXT   = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
	nsEFAC  = "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1"
	nsEFBC  = "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1"
	nsEFEXT = "http://data.europa.eu/p27/eforms-ubl-extensions/1"
)

const rootName = "PriorInformationNotice"

// prefixes are the prefixes paths use, whatever a notice declares, so that
// matching and error paths do not depend on the notice's choice.
var prefixes = map[string]string{
	nsCBC:   "cbc:",
	nsCAC:   "cac:",
	nsEXT:   "ext:",
	nsEFAC:  "efac:",
	nsEFBC:  "efbc:",
	nsEFEXT: "efext:",
}

// extension is the path from the root to the eForms extension.
var extension = []string{"ext:UBLExtensions", "ext:UBLExtension", "ext:ExtensionContent", "efext:EformsExtension"}

// organization is the path from the root to an efac:Organization.
var organization = append(slices.Clone(extension), "efac:Organizations", "efac:Organization")

// lists are the elements whose paths always carry their [n], so that
// "the first lot" is as explicit in an error as "the second".
var lists = map[string]bool{
	"cac:ProcurementProjectLot":             true,
	"efac:Organization":                     true,
	"cac:AdditionalCommodityClassification": true,
}

// maxShown bounds element paths and values quoted in errors: a hostile
// notice chooses them.
const maxShown = 300

var errTooLarge = errors.New("eforms: notice too large")

// Parse reads a prior information notice. Its error is always an *Error;
// when a notice has several problems it names the first found, reporting
// problems of the XML itself (size, DTD, encoding, nesting, syntax) before
// problems of content.
func Parse(r io.Reader) (*Notice, error) {
	in := &countingReader{r: io.LimitReader(r, MaxNoticeBytes+1)}
	p := &parser{in: in}
	p.d = xml.NewDecoder(in)
	p.d.Strict = true
	p.d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		if strings.EqualFold(label, "utf-8") || strings.EqualFold(label, "utf8") {
			return r, nil
		}
		p.charset = label
		return nil, errors.New("encoding refused")
	}
	if err := p.read(); err != nil {
		return nil, err
	}
	return p.finish()
}

// countingReader counts what the decoder reads and fails as soon as it
// passes MaxNoticeBytes, so that an oversized notice stops being read.
type countingReader struct {
	r   io.Reader
	n   int64
	err error // the first error of r other than io.EOF
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	if c.n > MaxNoticeBytes {
		return n, errTooLarge
	}
	if err != nil && err != io.EOF && c.err == nil {
		c.err = err
	}
	return n, err
}

// frame is an open element.
type frame struct {
	name  string         // prefixed as in prefixes
	index int            // its position among its parent's children of that name, from 1
	kids  map[string]int // how many children of each name it has had so far
	attr  []xml.Attr
}

type langText struct{ lang, text string }

// project is a cac:ProcurementProject as read, before languages and the
// procedure's defaults are applied.
type project struct {
	names, descs []langText
	mainCPV      string
	addCPV       []string
	value        *Amount
	start, end   string
}

type lotState struct {
	path   string
	line   int
	id     string
	scheme string
	proj   project
}

type orgState struct {
	path string
	line int
	Party
}

// parser walks the token stream once, keeping only the open elements and
// what Notice needs, so time and memory are linear in the input.
type parser struct {
	d       *xml.Decoder
	in      *countingReader
	charset string // an encoding the notice declared and Parse refused
	begun   bool   // a token other than a byte order mark has been read

	stack []frame
	names []string // the names of stack, for matching
	text  []byte   // character data of the innermost open element
	fail  *Error   // the first problem of content, reported once the XML is known good

	n         Notice
	buyerRef  string
	orgs      []orgState
	org       *orgState // the efac:Organization being read
	procedure project
	lots      []lotState
	lot       *lotState // the cac:ProcurementProjectLot being read
}

// read reads the whole notice: prologue, root element, epilogue.
func (p *parser) read() error {
	first := true
	for {
		tok, err := p.token()
		if err == io.EOF {
			return p.malformed("no root element")
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if first {
				t = bytes.TrimPrefix(t, []byte("\ufeff"))
			}
			if len(bytes.TrimSpace(t)) > 0 {
				return p.malformed("text before the root element")
			}
		case xml.StartElement:
			if t.Name.Local != rootName || t.Name.Space != nsPIN {
				e := &Error{Code: CodeNotPIN, Element: clip(t.Name.Local), Line: p.line()}
				if t.Name.Local == rootName {
					e.Value = clip(t.Name.Space)
				}
				return e
			}
			if err := p.body(t); err != nil {
				return err
			}
			return p.epilogue()
		}
		first = false
	}
}

// body reads the root element, root being its start.
func (p *parser) body(root xml.StartElement) error {
	p.start(root)
	for len(p.stack) > 0 {
		tok, err := p.token()
		if err == io.EOF {
			return p.malformed("unexpected end of the notice")
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(p.stack) >= MaxDepth {
				return &Error{Code: CodeTooDeep, Element: p.path(), Value: strconv.Itoa(MaxDepth), Line: p.line()}
			}
			p.start(t)
		case xml.EndElement:
			p.end()
		case xml.CharData:
			p.text = append(p.text, t...)
		}
	}
	return nil
}

// epilogue reads what follows the root element: nothing but white space,
// comments and processing instructions.
func (p *parser) epilogue() error {
	for {
		tok, err := p.token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return p.malformed("a second root element")
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return p.malformed("text after the root element")
			}
		}
	}
}

// token returns the next token, io.EOF at the end, or an *Error. Any
// directive (<!DOCTYPE, <!ENTITY, …) is refused wherever it stands.
func (p *parser) token() (xml.Token, error) {
	tok, err := p.d.Token()
	switch {
	case p.in.n > MaxNoticeBytes:
		return nil, &Error{Code: CodeTooLarge}
	case p.in.err != nil:
		return nil, &Error{Code: CodeRead, Value: clip(p.in.err.Error()), Err: p.in.err}
	case p.charset != "":
		return nil, &Error{Code: CodeEncoding, Value: clip(p.charset), Line: p.line()}
	case err == io.EOF:
		return nil, io.EOF
	case err != nil:
		e := &Error{Code: CodeMalformed, Value: clip(err.Error()), Line: p.line(), Err: err}
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			e.Value, e.Line = clip(se.Msg), se.Line
		}
		return nil, e
	}
	switch t := tok.(type) {
	case xml.Directive:
		return nil, &Error{Code: CodeDTD, Element: p.path(), Value: directiveWord(t), Line: p.line()}
	case xml.ProcInst:
		// encoding/xml reads a second XML declaration (and a second
		// encoding) wherever it stands; XML allows one, first.
		if p.begun && strings.EqualFold(t.Target, "xml") {
			return nil, p.malformed("an XML declaration after the start")
		}
	case xml.CharData:
		if !p.begun && string(t) == "\ufeff" {
			return tok, nil
		}
	}
	p.begun = true
	return tok, nil
}

func (p *parser) malformed(msg string) *Error {
	return &Error{Code: CodeMalformed, Value: msg, Line: p.line()}
}

func (p *parser) line() int {
	line, _ := p.d.InputPos()
	return line
}

func (p *parser) start(t xml.StartElement) {
	name := prefixed(t.Name)
	index := 1
	if len(p.stack) > 0 {
		parent := &p.stack[len(p.stack)-1]
		if parent.kids == nil {
			parent.kids = map[string]int{}
		}
		parent.kids[name]++
		index = parent.kids[name]
	}
	p.stack = append(p.stack, frame{name: name, index: index, attr: t.Attr})
	p.names = append(p.names, name)
	p.text = p.text[:0]

	n := p.names[1:]
	switch {
	case is(n, "cac:ProcurementProjectLot"):
		p.lot = &lotState{path: p.path(), line: p.line()}
	case is(n, organization...):
		p.org = &orgState{path: p.path(), line: p.line()}
	}
}

func (p *parser) end() {
	if len(p.names) > 1 {
		p.closed(p.names[1:])
	}
	p.stack = p.stack[:len(p.stack)-1]
	p.names = p.names[:len(p.names)-1]
	p.text = p.text[:0]
}

// closed takes what Notice needs from the element just closed, n being
// its path below the root.
func (p *parser) closed(n []string) {
	if len(n) == 1 {
		switch n[0] {
		case "cbc:ID":
			setFirst(&p.n.ID, p.value())
		case "cbc:VersionID":
			setFirst(&p.n.Version, p.value())
		case "cbc:IssueDate":
			setFirst(&p.n.IssueDate, p.date())
		case "cbc:PlannedDate":
			setFirst(&p.n.FutureNoticeDate, p.date())
		case "cbc:NoticeTypeCode":
			setFirst(&p.n.Type, p.value())
		case "cbc:NoticeLanguageCode":
			setFirst(&p.n.Language, p.value())
		case "cac:ProcurementProjectLot":
			if p.lot != nil {
				p.lots = append(p.lots, *p.lot)
				p.lot = nil
			}
		}
		return
	}
	if rest, ok := cut(n, extension...); ok {
		p.extension(rest)
		return
	}
	first := p.stack[1].index == 1
	if rest, ok := cut(n, "cac:ContractingParty"); ok {
		if first && is(rest, "cac:Party", "cac:PartyIdentification", "cbc:ID") {
			setFirst(&p.buyerRef, p.value())
		}
		return
	}
	if rest, ok := cut(n, "cac:ProcurementProject"); ok {
		if first {
			p.project(&p.procedure, rest)
		}
		return
	}
	if rest, ok := cut(n, "cac:ProcurementProjectLot"); ok && p.lot != nil {
		if is(rest, "cbc:ID") && p.lot.id == "" {
			p.lot.id = p.value()
			p.lot.scheme = p.attr("schemeName")
		} else if rest, ok := cut(rest, "cac:ProcurementProject"); ok && p.stack[2].index == 1 {
			p.project(&p.lot.proj, rest)
		}
	}
}

// extension takes the notice subtype and the organisations from the
// eForms extension of the root, n being the path below it.
func (p *parser) extension(n []string) {
	if is(n, "efac:NoticeSubType", "cbc:SubTypeCode") {
		setFirst(&p.n.SubType, p.value())
		return
	}
	rest, ok := cut(n, "efac:Organizations", "efac:Organization")
	if !ok || p.org == nil {
		return
	}
	if len(rest) == 0 {
		p.orgs = append(p.orgs, *p.org)
		p.org = nil
		return
	}
	c, ok := cut(rest, "efac:Company")
	if !ok {
		return
	}
	o := &p.org.Party
	switch {
	case is(c, "cac:PartyIdentification", "cbc:ID"):
		setFirst(&o.Ref, p.value())
	case is(c, "cac:PartyName", "cbc:Name"):
		setFirst(&o.Name, p.value())
	case is(c, "cac:PartyLegalEntity", "cbc:CompanyID"):
		setFirst(&o.CompanyID, p.value())
	case is(c, "cac:PostalAddress", "cac:Country", "cbc:IdentificationCode"):
		setFirst(&o.Country, p.value())
	case is(c, "cac:Contact", "cbc:ElectronicMail"):
		setFirst(&o.Email, p.value())
	case is(c, "cbc:WebsiteURI"):
		setFirst(&o.Website, p.value())
	}
}

// project takes the fields of a cac:ProcurementProject, n being the path
// below it.
func (p *parser) project(pr *project, n []string) {
	switch {
	case is(n, "cbc:Name"):
		pr.names = append(pr.names, langText{p.attr("languageID"), p.value()})
	case is(n, "cbc:Description"):
		pr.descs = append(pr.descs, langText{p.attr("languageID"), p.value()})
	case is(n, "cac:MainCommodityClassification", "cbc:ItemClassificationCode"):
		if p.isCPV() {
			setFirst(&pr.mainCPV, p.cpv())
		}
	case is(n, "cac:AdditionalCommodityClassification", "cbc:ItemClassificationCode"):
		if p.isCPV() {
			if c := p.cpv(); c != "" {
				pr.addCPV = append(pr.addCPV, c)
			}
		}
	case is(n, "cac:RequestedTenderTotal", "cbc:EstimatedOverallContractAmount"):
		v := p.value()
		whole, frac, dot := strings.Cut(v, ".")
		if !isDigits(whole) || (dot && !isDigits(frac)) {
			p.problem(CodeInvalidAmount, v)
		} else if pr.value == nil {
			pr.value = &Amount{Value: v, Currency: p.attr("currencyID")}
		}
	case is(n, "cac:PlannedPeriod", "cbc:StartDate"):
		setFirst(&pr.start, p.date())
	case is(n, "cac:PlannedPeriod", "cbc:EndDate"):
		setFirst(&pr.end, p.date())
	}
}

// value is the text of the element being closed, trimmed.
func (p *parser) value() string {
	return strings.TrimSpace(string(p.text))
}

// attr is the value of the unqualified attribute local of the element
// being closed.
func (p *parser) attr(local string) string {
	for _, a := range p.stack[len(p.stack)-1].attr {
		if a.Name.Space == "" && a.Name.Local == local {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// isCPV reports whether the classification being closed is CPV: eForms
// writes listName="cpv"; a code without listName is taken as CPV too.
func (p *parser) isCPV() bool {
	l := p.attr("listName")
	return l == "" || l == "cpv"
}

// cpv is the CPV code being closed, or "" after recording a problem.
func (p *parser) cpv() string {
	v := p.value()
	if len(v) != 8 || !isDigits(v) {
		p.problem(CodeInvalidCPV, v)
		return ""
	}
	return v
}

// date is the date being closed as YYYY-MM-DD, its time zone dropped, or
// "" after recording a problem.
func (p *parser) date() string {
	v := p.value()
	d, ok := parseDate(v)
	if !ok {
		p.problem(CodeInvalidDate, v)
	}
	return d
}

// parseDate reads an xsd:date: YYYY-MM-DD and an optional Z or ±hh:mm.
func parseDate(s string) (string, bool) {
	if len(s) < 10 {
		return "", false
	}
	d, zone := s[:10], s[10:]
	if _, err := time.Parse(time.DateOnly, d); err != nil {
		return "", false
	}
	switch {
	case zone == "" || zone == "Z":
	case len(zone) == 6 && (zone[0] == '+' || zone[0] == '-') && isDigits(zone[1:3]) && zone[3] == ':' && isDigits(zone[4:]):
	default:
		return "", false
	}
	return d, true
}

// problem records a problem of the element being closed, if it is the first.
func (p *parser) problem(code, value string) {
	if p.fail == nil {
		p.fail = &Error{Code: code, Element: p.path(), Value: clip(value), Line: p.line()}
	}
}

// path is the path of the innermost open element, "" outside the root.
func (p *parser) path() string {
	var b strings.Builder
	for i, f := range p.stack {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(f.name)
		if f.index > 1 || lists[f.name] {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(f.index))
			b.WriteByte(']')
		}
		if b.Len() > maxShown {
			break
		}
	}
	return clip(b.String())
}

// finish checks what the notice must have and builds the Notice.
func (p *parser) finish() (*Notice, error) {
	if p.fail != nil {
		return nil, p.fail
	}
	n := p.n
	if n.ID == "" {
		return nil, &Error{Code: CodeMissing, Element: rootName + "/cbc:ID"}
	}
	if p.buyerRef == "" {
		return nil, &Error{Code: CodeMissing, Element: rootName + "/cac:ContractingParty/cac:Party/cac:PartyIdentification/cbc:ID"}
	}
	i := slices.IndexFunc(p.orgs, func(o orgState) bool { return o.Ref == p.buyerRef })
	if i < 0 {
		path := rootName + "/" + strings.Join(organization, "/") + "/efac:Company/cac:PartyIdentification/cbc:ID"
		return nil, &Error{Code: CodeMissing, Element: path, Value: clip(p.buyerRef)}
	}
	if p.orgs[i].Name == "" {
		return nil, &Error{Code: CodeMissing, Element: p.orgs[i].path + "/efac:Company/cac:PartyName/cbc:Name", Line: p.orgs[i].line}
	}
	n.Buyer = p.orgs[i].Party

	n.Procedure = p.procedure.lot(n.Language)
	for _, ls := range p.lots {
		if ls.scheme != "" && ls.scheme != "Lot" && ls.scheme != "Part" {
			continue // a group of lots (LotsGroup), not a lot
		}
		if ls.id == "" {
			return nil, &Error{Code: CodeMissing, Element: ls.path + "/cbc:ID", Line: ls.line}
		}
		l := ls.proj.lot(n.Language)
		l.ID = ls.id
		if l.Title == "" {
			l.Title = n.Procedure.Title
		}
		if l.Title == "" {
			return nil, &Error{Code: CodeMissing, Element: ls.path + "/cac:ProcurementProject/cbc:Name", Value: clip(ls.id), Line: ls.line}
		}
		if l.Description == "" {
			l.Description = n.Procedure.Description
		}
		if l.MainCPV == "" && len(l.AdditionalCPV) == 0 {
			l.MainCPV = n.Procedure.MainCPV
			l.AdditionalCPV = slices.Clone(n.Procedure.AdditionalCPV)
		}
		n.Lots = append(n.Lots, l)
	}
	if len(n.Lots) == 0 {
		if n.Procedure.Title == "" {
			return nil, &Error{Code: CodeMissing, Element: rootName + "/cac:ProcurementProject/cbc:Name"}
		}
		l := n.Procedure
		l.AdditionalCPV = slices.Clone(l.AdditionalCPV)
		n.Lots = []Lot{l}
	}
	return &n, nil
}

// lot is the project as a Lot, texts in language lang where there are several.
func (pr *project) lot(lang string) Lot {
	return Lot{
		Title:          pick(pr.names, lang),
		Description:    pick(pr.descs, lang),
		MainCPV:        pr.mainCPV,
		AdditionalCPV:  pr.addCPV,
		EstimatedValue: pr.value,
		PlannedStart:   pr.start,
		PlannedEnd:     pr.end,
	}
}

// pick is the first non-empty text in language lang, else the first
// non-empty text.
func pick(texts []langText, lang string) string {
	for _, t := range texts {
		if t.text != "" && lang != "" && strings.EqualFold(t.lang, lang) {
			return t.text
		}
	}
	for _, t := range texts {
		if t.text != "" {
			return t.text
		}
	}
	return ""
}

// prefixed is name with the prefix of its namespace in prefixes; a name
// of the root's namespace or none stays bare, one of another namespace
// is written {namespace}local and matches nothing.
func prefixed(name xml.Name) string {
	if name.Space == "" || name.Space == nsPIN {
		return name.Local
	}
	if p, ok := prefixes[name.Space]; ok {
		return p + name.Local
	}
	return "{" + name.Space + "}" + name.Local
}

// is reports whether names is exactly want.
func is(names []string, want ...string) bool {
	return slices.Equal(names, want)
}

// cut reports whether names begins with prefix, and returns the rest.
func cut(names []string, prefix ...string) ([]string, bool) {
	if len(names) < len(prefix) || !slices.Equal(names[:len(prefix)], prefix) {
		return nil, false
	}
	return names[len(prefix):], true
}

// setFirst sets *dst to v unless it is already set: where a notice
// repeats a single-valued element, the first counts.
func setFirst(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

// directiveWord is the keyword of a directive (DOCTYPE, ENTITY), safe to show.
func directiveWord(d xml.Directive) string {
	i := 0
	for i < len(d) && i < 16 && (d[i] >= 'A' && d[i] <= 'Z' || d[i] >= 'a' && d[i] <= 'z') {
		i++
	}
	if i == 0 {
		return "?"
	}
	return string(d[:i])
}

// clip shortens s to about maxShown bytes of valid UTF-8.
func clip(s string) string {
	if len(s) <= maxShown {
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.ToValidUTF8(s[:maxShown], "") + "…"
}
