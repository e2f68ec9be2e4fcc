package arena

import (
	"strings"
	"time"
	_ "time/tzdata" // Europe/Stockholm where the system has no zone files
)

// NormalizeOrgNumber checks a Swedish organisationsnummer, written with or
// without the hyphen (556677-8899 or 5566778899), including its Luhn check
// digit, and returns it in the form NNNNNN-NNNN.
func NormalizeOrgNumber(s string) (string, error) {
	s = strings.TrimSpace(s)
	digits := strings.ReplaceAll(s, "-", "")
	if len(digits) != 10 || strings.Count(s, "-") > 1 || (strings.Contains(s, "-") && strings.Index(s, "-") != 6) {
		return "", Invalid("org_number", "err.org_number.form")
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return "", Invalid("org_number", "err.org_number.form")
		}
	}
	if !luhnValid(digits) {
		return "", Invalid("org_number", "err.org_number.check", F{"value": s})
	}
	if testPattern(digits) {
		return "", Invalid("org_number", "err.org_number.test", F{"value": s})
	}
	return digits[:6] + "-" + digits[6:], nil
}

// testPattern reports whether ten digits are a placeholder rather than a
// number anyone was given: all one digit (000000-0000), a first group of
// zeros, or the digits in a row (012345-6789, 123456-7890).
func testPattern(digits string) bool {
	if strings.Count(digits, digits[:1]) == len(digits) || digits[:6] == "000000" {
		return true
	}
	return digits == "0123456789" || digits == "1234567890"
}

// luhnValid reports whether the last digit of a string of digits is its Luhn
// check digit.
func luhnValid(digits string) bool {
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// SplitCPV checks the form of a CPV 2008 code, written as 8 digits or with its
// check digit (33196000-0), and returns the 8 digits and the check digit ("" if
// not given). Whether the code exists is for the reference data to tell.
func SplitCPV(s string) (code, check string, err error) {
	s = strings.TrimSpace(s)
	code, check, _ = strings.Cut(s, "-")
	if len(code) != 8 || !allDigits(code) || (check != "" && (len(check) != 1 || !allDigits(check))) || strings.HasSuffix(s, "-") {
		return "", "", Invalid("cpv", "err.cpv.form", F{"code": s})
	}
	return code, check, nil
}

// CPVSubtree is the prefix of digits every code under a CPV code shares:
// the code without the trailing zeros of its level, keeping at least the
// division's two digits ("45210000" → "4521", "45000000" → "45"). A filter
// or a watch on a code takes its whole subtree.
func CPVSubtree(s string) (string, error) {
	code, _, err := SplitCPV(s)
	if err != nil {
		return "", err
	}
	p := strings.TrimRight(code, "0")
	if len(p) < 2 {
		p = code[:2]
	}
	return p, nil
}

// ValidSCBCode reports whether s has the form of an SCB code: two digits for
// a län (and its region), four for a kommun.
func ValidSCBCode(kind OrgKind, s string) bool {
	switch kind {
	case OrgKommun:
		return len(s) == 4 && allDigits(s)
	case OrgRegion:
		return len(s) == 2 && allDigits(s)
	}
	return false
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// Date is a calendar date without time of day, written 2006-01-02.
type Date struct{ time.Time }

// DateLayout is the written form of a Date.
const DateLayout = "2006-01-02"

// ParseDate parses a date in the form 2006-01-02.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return Date{}, err
	}
	return Date{t}, nil
}

// NewDate returns the date of y-m-d.
func NewDate(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// Stockholm is the arena's time zone: days (deadlines, digests) are
// Swedish days.
var Stockholm = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Stockholm"); err == nil {
		return loc
	}
	return time.FixedZone("CET", 3600)
}()

// Today is the Swedish calendar date at the instant now.
func Today(now time.Time) Date { return DateOf(now.In(Stockholm)) }

// DateOf returns the calendar date of t in its own location.
func DateOf(t time.Time) Date {
	return NewDate(t.Year(), t.Month(), t.Day())
}

// String returns the date as 2006-01-02.
func (d Date) String() string { return d.Format(DateLayout) }

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return Invalid("", "err.date", F{"value": string(b)})
	}
	*d = p
	return nil
}

// MarshalJSON writes the date as "2006-01-02"; without it the embedded
// time.Time's own method would write a full timestamp.
func (d Date) MarshalJSON() ([]byte, error) { return []byte(`"` + d.String() + `"`), nil }

// UnmarshalJSON reads a date written "2006-01-02".
func (d *Date) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return Invalid("", "err.date", F{"value": s})
	}
	return d.UnmarshalText([]byte(s[1 : len(s)-1]))
}

// OrgKindOfNumber is the kind of public organisation a Swedish
// organisation number belongs to, where its first digits tell: 212000-
// kommuner, 232100- regioner, 202100- state agencies, 222000-
// kommunalförbund; 5 is an aktiebolag, which as a buyer is a municipal
// company. False when the number does not tell.
func OrgKindOfNumber(number string) (OrgKind, bool) {
	n, err := NormalizeOrgNumber(number)
	if err != nil {
		return "", false
	}
	switch {
	case strings.HasPrefix(n, "212000"):
		return OrgKommun, true
	case strings.HasPrefix(n, "232100"):
		return OrgRegion, true
	case strings.HasPrefix(n, "202100"):
		return OrgAgency, true
	case strings.HasPrefix(n, "222000"):
		return OrgKommunalforbund, true
	case strings.HasPrefix(n, "5"):
		return OrgMunicipalCo, true
	}
	return "", false
}
