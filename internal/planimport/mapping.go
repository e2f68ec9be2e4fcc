package planimport

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	arena "github.com/arena-se/arena"
)

// Field is a need's field a column fills; its name is the need's JSON key,
// so an error the domain gives for a field names its column.
type Field string

// The fields a plan's columns may fill. Ignore leaves a column out.
const (
	Ignore      Field = ""
	Title       Field = "title"
	Description Field = "description"
	CPV         Field = "cpv_codes"
	Value       Field = "estimated_value_sek"
	PlannedDate Field = "planned_date"
	Intent      Field = "intent"
	Sector      Field = "sector"
	Volume      Field = "volume"
	VolumeUnit  Field = "volume_unit"
	ExternalID  Field = "external_id" // the plan's own id of a row; makes a row's key
)

// Fields lists every field a column may fill, in a form's order.
var Fields = []Field{Title, Description, CPV, Value, PlannedDate, Intent, Sector, Volume, VolumeUnit, ExternalID}

// headers are the names, Swedish and English, by which a column is known,
// after normalising (lower case, no unit in brackets, single spaces).
var headers = map[string]Field{
	"rubrik": Title, "titel": Title, "title": Title, "benämning": Title, "namn": Title, "name": Title,
	"upphandling": Title, "upphandlingens namn": Title, "upphandlingsobjekt": Title, "behov": Title, "need": Title,
	"beskrivning": Description, "description": Description, "kort beskrivning": Description, "omfattning": Description,
	"cpv": CPV, "cpv-kod": CPV, "cpv-koder": CPV, "cpv kod": CPV, "cpv koder": CPV, "cpv code": CPV, "cpv codes": CPV, "cpv-code": CPV,
	"uppskattat värde": Value, "beräknat värde": Value, "estimated value": Value, "värde": Value, "value": Value,
	"uppskattat kontraktsvärde": Value, "beräknat kontraktsvärde": Value, "belopp": Value, "kontraktsvärde": Value,
	"planerat datum": PlannedDate, "planned date": PlannedDate, "planerad annonsering": PlannedDate, "annonsering": PlannedDate,
	"planerad start": PlannedDate, "datum": PlannedDate, "date": PlannedDate, "annonseringsdatum": PlannedDate, "planerad upphandling": PlannedDate,
	"köpavsikt": Intent, "intent": Intent, "status": Intent,
	"sektor": Sector, "sector": Sector, "verksamhet": Sector, "verksamhetsområde": Sector, "område": Sector,
	"volym": Volume, "volume": Volume, "antal": Volume, "mängd": Volume, "quantity": Volume,
	"enhet": VolumeUnit, "unit": VolumeUnit, "volymenhet": VolumeUnit,
	"id": ExternalID, "externt id": ExternalID, "external id": ExternalID, "diarienummer": ExternalID, "dnr": ExternalID,
	"referens": ExternalID, "referensnummer": ExternalID, "reference": ExternalID, "nr": ExternalID, "löpnummer": ExternalID,
}

// normHeader lowers a header, drops a unit in brackets ("Värde (kr)"),
// marks such as * and : and repeated spaces.
func normHeader(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	if i := strings.IndexAny(h, "(["); i > 0 {
		h = h[:i]
	}
	h = strings.Trim(h, " *:.")
	return strings.Join(strings.Fields(h), " ")
}

// Mapping is the field of each column of a table, by position.
type Mapping []Field

// Guess maps each column whose header is known; other columns are left out,
// and a field is taken by its first column only.
func Guess(header []string) Mapping {
	m := make(Mapping, len(header))
	taken := map[Field]bool{}
	for i, h := range header {
		if f, ok := headers[normHeader(h)]; ok && !taken[f] {
			m[i], taken[f] = f, true
		}
	}
	return m
}

// Unknown lists the columns a mapping leaves out that have a header: what
// the mapping step asks about.
func (m Mapping) Unknown(header []string) []int {
	var out []int
	for i, f := range m {
		if f == Ignore && i < len(header) && header[i] != "" {
			out = append(out, i)
		}
	}
	return out
}

// Check refuses a mapping without a title column or with a field taken
// twice; the error names the field "mapping".
func (m Mapping) Check() error {
	seen := map[Field]bool{}
	for _, f := range m {
		if f == Ignore {
			continue
		}
		if !ParseField(string(f)) {
			return arena.Invalid("mapping", "err.import.field", arena.F{"value": string(f)})
		}
		if seen[f] {
			return arena.Invalid("mapping", "err.import.field_twice", arena.F{"field": arena.Term{Key: "import.field." + string(f)}})
		}
		seen[f] = true
	}
	if !seen[Title] {
		return arena.Invalid("mapping", "err.import.no_title")
	}
	return nil
}

// ParseField tells whether s names a field.
func ParseField(s string) bool {
	for _, f := range Fields {
		if string(f) == s {
			return true
		}
	}
	return false
}

// Apply changes the mapping by a spec "HEADER=FIELD,…": the column with
// the header (in any case) fills the field, or with an empty field is left
// out. Errors name the field "map".
func (m Mapping) Apply(header []string, spec string) error {
	if strings.TrimSpace(spec) == "" {
		return nil
	}
	for part := range strings.SplitSeq(spec, ",") {
		h, field, ok := strings.Cut(part, "=")
		h, field = strings.TrimSpace(h), strings.TrimSpace(field)
		if !ok || h == "" {
			return arena.Invalid("map", "err.import.map_form", arena.F{"value": part})
		}
		if field != "" && !ParseField(field) {
			return arena.Invalid("map", "err.import.field", arena.F{"value": field})
		}
		found := false
		for i, x := range header {
			if i < len(m) && strings.EqualFold(strings.TrimSpace(x), h) {
				m[i], found = Field(field), true
			}
		}
		if !found {
			return arena.Invalid("map", "err.import.no_column", arena.F{"value": h})
		}
	}
	return nil
}

// Column is the header of the column that fills field f, or the field's
// name when no column does.
func (m Mapping) Column(header []string, f Field) string {
	for i, x := range m {
		if x == f && i < len(header) {
			return header[i]
		}
	}
	return string(f)
}

// Row is one row of a plan as a need, with the key that makes importing
// it again add nothing.
type Row struct {
	Number int // the spreadsheet's row number
	Need   arena.Need
}

// RowError is what is wrong with one row: its number, the column (by its
// header) and the domain's error, whose message the catalogues word.
type RowError struct {
	Row     int          `json:"row"`
	Column  string       `json:"column,omitempty"`
	Field   string       `json:"field,omitempty"` // the need's field the error is about
	Message arena.Msg    `json:"message"`
	Err     *arena.Error `json:"-"`
}

// rowError is the error of a row, in a column.
func rowError(row int, column string, err *arena.Error) RowError {
	return RowError{Row: row, Column: column, Field: err.Field, Message: err.Msg, Err: err}
}

// Needs turns the table's rows into draft needs of orgID by the mapping.
// Each row's text is parsed here (numbers, dates, codes, intent); the
// need's own rules are the store's to check when the row is written. A
// row whose key repeats an earlier row's is an error.
func (t *Table) Needs(m Mapping, orgID int64) ([]Row, []RowError) {
	var rows []Row
	var errs []RowError
	keys := map[string]int{}
	for i, cells := range t.Rows {
		num := t.RowNumber(i)
		if blank(cells) {
			continue
		}
		n := arena.Need{OrgID: orgID, Visibility: arena.VisibilityDraft}
		ext := ""
		var rowErr *RowError
		for c, f := range m {
			if c >= len(cells) || f == Ignore {
				continue
			}
			v := strings.TrimSpace(cells[c])
			if err := set(&n, &ext, f, v); err != nil {
				e := rowError(num, t.Header[c], err)
				rowErr = &e
				break
			}
		}
		if rowErr != nil {
			errs = append(errs, *rowErr)
			continue
		}
		n.Source = rowKey(&n, ext)
		if first, dup := keys[n.Source]; dup {
			errs = append(errs, rowError(num, "", arena.Invalid("row", "err.import.repeated", arena.F{"row": first})))
			continue
		}
		keys[n.Source] = num
		rows = append(rows, Row{Number: num, Need: n})
	}
	return rows, errs
}

// set fills one field of n from a cell's text.
func set(n *arena.Need, ext *string, f Field, v string) *arena.Error {
	if v == "" {
		return nil
	}
	switch f {
	case Title:
		n.Title = v
	case Description:
		n.Description = v
	case Sector:
		n.Sector = v
	case VolumeUnit:
		n.VolumeUnit = v
	case ExternalID:
		*ext = v
	case CPV:
		codes, err := parseCPV(v)
		if err != nil {
			return err
		}
		n.CPVCodes = codes
	case Value:
		x, err := parseAmount(v)
		if err != nil {
			return err
		}
		n.EstimatedValueSEK = &x
	case Volume:
		x, err := parseNumber(v)
		if err != nil {
			return arena.Invalid(string(f), "err.import.number", arena.F{"value": v})
		}
		n.Volume = &x
	case PlannedDate:
		d, err := parseDate(v)
		if err != nil {
			return err
		}
		n.PlannedDate = &d
	case Intent:
		in, err := parseIntent(v)
		if err != nil {
			return err
		}
		n.Intent = in
	}
	return nil
}

// rowKey is a row's key: "plan:id:" and the plan's own id when it has one,
// else "plan:sha:" and a hash of what the row says, so a row read twice
// has the same key.
func rowKey(n *arena.Need, ext string) string {
	if ext != "" {
		if len(ext) > 200 {
			ext = ext[:200]
		}
		return "plan:id:" + ext
	}
	h := sha256.New()
	for _, s := range []string{n.Title, n.Description, strings.Join(n.CPVCodes, ","), n.Sector} {
		h.Write([]byte(strings.Join(strings.Fields(strings.ToLower(s)), " ")))
		h.Write([]byte{0})
	}
	if n.EstimatedValueSEK != nil {
		h.Write([]byte(strconv.FormatInt(*n.EstimatedValueSEK, 10)))
	}
	h.Write([]byte{0})
	if n.PlannedDate != nil {
		h.Write([]byte(n.PlannedDate.String()))
	}
	return "plan:sha:" + hex.EncodeToString(h.Sum(nil))[:24]
}

// parseCPV finds the CPV codes in a cell: eight digits with or without
// their check digit ("34144900-7"), separated by anything, labels allowed
// ("48000000 Programvara"). A cell with text and no code is an error.
func parseCPV(v string) ([]string, *arena.Error) {
	var out []string
	rs := []rune(v)
	for i := 0; i < len(rs); {
		if rs[i] < '0' || rs[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
			j++
		}
		if j-i != 8 {
			return nil, arena.Invalid(string(CPV), "err.cpv.form", arena.F{"code": string(rs[i:j])})
		}
		out = append(out, string(rs[i:j]))
		// A check digit after a hyphen belongs to the code.
		if j+1 < len(rs) && rs[j] == '-' && rs[j+1] >= '0' && rs[j+1] <= '9' && (j+2 == len(rs) || rs[j+2] < '0' || rs[j+2] > '9') {
			j += 2
		}
		i = j
	}
	if len(out) == 0 {
		return nil, arena.Invalid(string(CPV), "err.cpv.form", arena.F{"code": v})
	}
	return out, nil
}

// parseAmount reads an amount in kronor as plans write it: "1 200 000",
// "1200000 kr", "1,5 mkr", "850 tkr", "2 MSEK", "1.200.000:-".
func parseAmount(v string) (int64, *arena.Error) {
	s := strings.ToLower(v)
	mult := 1.0
	for _, u := range []struct {
		suffix string
		m      float64
	}{{"miljoner kronor", 1e6}, {"miljoner", 1e6}, {"mkr", 1e6}, {"msek", 1e6}, {"mnkr", 1e6}, {"tkr", 1e3}, {"ksek", 1e3}, {"tusen kronor", 1e3}, {"kronor", 1}, {"kr", 1}, {"sek", 1}, {":-", 1}} {
		if t, ok := strings.CutSuffix(strings.TrimSpace(s), u.suffix); ok {
			s, mult = t, u.m
			break
		}
	}
	x, err := parseNumber(s)
	if err != nil || x < 0 || x*mult > math.MaxInt64/2 {
		return 0, arena.Invalid(string(Value), "err.import.amount", arena.F{"value": v})
	}
	return int64(math.Round(x * mult)), nil
}

// parseNumber reads a number with spaces, a decimal comma or point, and
// thousands separated by points or commas ("1.200.000", "1,200,000").
func parseNumber(v string) (float64, error) {
	s := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f' || r == '\'' {
			return -1
		}
		return r
	}, v)
	if strings.Count(s, ".") > 1 {
		s = strings.ReplaceAll(s, ".", "")
	}
	if strings.Count(s, ",") > 1 {
		s = strings.ReplaceAll(s, ",", "")
	}
	if strings.Contains(s, ",") && strings.Contains(s, ".") {
		// The later one is the decimal mark.
		if strings.LastIndex(s, ",") > strings.LastIndex(s, ".") {
			s = strings.ReplaceAll(s, ".", "")
		} else {
			s = strings.ReplaceAll(s, ",", "")
		}
	}
	s = strings.Replace(s, ",", ".", 1)
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, strconv.ErrSyntax
	}
	return x, nil
}

// parseDate reads a planned date: 2027-03-15, 2027-03 (its first day),
// a quarter ("Q2 2027", "kv 2 2027", "2027 kvartal 2": its first day), a
// year alone (1 January), or Excel's serial number of a day.
func parseDate(v string) (arena.Date, *arena.Error) {
	bad := arena.Invalid(string(PlannedDate), "err.import.date", arena.F{"value": v})
	s := strings.ToLower(strings.TrimSpace(v))
	if d, err := arena.ParseDate(s); err == nil {
		return d, nil
	}
	if len(s) > 10 && (s[10] == ' ' || s[10] == 't') {
		if d, err := arena.ParseDate(s[:10]); err == nil {
			return d, nil
		}
	}
	if t, err := time.Parse("2006-01", s); err == nil {
		return arena.DateOf(t), nil
	}
	// Excel's serial day: days since 1899-12-30 (a time after a point).
	if whole, _, _ := strings.Cut(s, "."); len(whole) == 5 && allDigits(whole) {
		n, _ := strconv.Atoi(whole)
		return arena.DateOf(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n)), nil
	}
	if len(s) == 4 && allDigits(s) {
		y, _ := strconv.Atoi(s)
		return arena.NewDate(y, time.January, 1), nil
	}
	// A quarter: a year of four digits and a quarter 1–4 marked by q, kv or
	// kvartal, in either order.
	words := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' || r == '/' })
	year, quarter := 0, 0
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case len(w) == 4 && allDigits(w):
			year, _ = strconv.Atoi(w)
		case strings.HasPrefix(w, "q") || strings.HasPrefix(w, "kv"):
			num := strings.TrimLeft(strings.TrimPrefix(strings.TrimPrefix(w, "kvartal"), "kv"), "q.")
			if num == "" && i+1 < len(words) {
				i++
				num = words[i]
			}
			if len(num) == 1 && num[0] >= '1' && num[0] <= '4' {
				quarter = int(num[0] - '0')
			}
		}
	}
	if year >= 1900 && quarter > 0 {
		return arena.NewDate(year, time.Month(3*quarter-2), 1), nil
	}
	return arena.Date{}, bad
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// intents are the words a plan may use for a need's intent, Swedish and
// English, by the intent they mean.
var intents = map[string]arena.Intent{
	"explore": arena.IntentExplore, "utforskar": arena.IntentExplore, "utforska": arena.IntentExplore, "idé": arena.IntentExplore,
	"plan": arena.IntentPlan, "planerar": arena.IntentPlan, "planerad": arena.IntentPlan, "planerat": arena.IntentPlan, "planned": arena.IntentPlan,
	"budgeted": arena.IntentBudgeted, "budgeterat": arena.IntentBudgeted, "budgeterad": arena.IntentBudgeted, "budget": arena.IntentBudgeted,
	"decided": arena.IntentDecided, "beslutat": arena.IntentDecided, "beslutad": arena.IntentDecided, "beslut": arena.IntentDecided,
}

func parseIntent(v string) (arena.Intent, *arena.Error) {
	if in, ok := intents[strings.ToLower(strings.TrimSpace(v))]; ok {
		return in, nil
	}
	return "", arena.Invalid(string(Intent), "err.import.intent", arena.F{"value": v})
}
