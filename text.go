package arena

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of what a record's texts may hold, in runes (lists in items). No
// text is unbounded: every field of every record is checked against one of
// these by its Validate, so no input makes storing, indexing or showing a
// record costly, and PostgreSQL never meets a value its indexes refuse.
const (
	NameMax      = 200   // names and titles
	ShortTextMax = 500   // sectors, contacts, versions, references, notes, affiliations
	LongTextMax  = 20000 // descriptions, rules, results, lessons
	URLMax       = 2000
	EmailMax     = 254 // RFC 5321's limit of an address
	ListMax      = 100 // items of a list field (CPV codes, themes, participants)
)

// checkText refuses text that is not valid UTF-8, holds a NUL or another
// control character (tabs and line breaks aside), or is longer than max
// runes. PostgreSQL refuses NUL in text and would answer 500; a control
// character in a name is never what a person typed.
func checkText(field, s string, max int) error {
	if !utf8.ValidString(s) {
		return Invalid(field, "err.text.utf8")
	}
	n := 0
	for _, r := range s {
		n++
		if r == 0 || (unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t') {
			return Invalid(field, "err.text.control")
		}
	}
	if n > max {
		return Invalid(field, "err.too_long", F{"max": max})
	}
	return nil
}

// trimText removes white space and invisible characters (zero-width
// spaces, joiners, byte-order marks) from both ends of a text.
func trimText(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) })
}

// requireText trims *s and checks it: required, valid and at most max
// runes. A text of only invisible characters is empty.
func requireText(field string, s *string, max int) error {
	*s = trimText(*s)
	if err := checkText(field, *s, max); err != nil {
		return err
	}
	if *s == "" {
		return Invalid(field, "err.required")
	}
	return nil
}

// optionalText trims *s and checks it when given.
func optionalText(field string, s *string, max int) error {
	*s = trimText(*s)
	return checkText(field, *s, max)
}

// checkURL accepts an empty address or a full http or https address: no
// javascript:, data: or relative links in a page's href.
func checkURL(field string, s *string) error {
	*s = strings.TrimSpace(*s)
	if *s == "" {
		return nil
	}
	if err := checkText(field, *s, URLMax); err != nil {
		return err
	}
	u, err := url.Parse(*s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(*s, " \t\r\n") {
		return Invalid(field, "err.url")
	}
	return nil
}

// checkTexts checks the items of a list field: at most ListMax items,
// each trimmed, valid and at most max runes; empty items are dropped.
func checkTexts(field string, xs []string, max int) ([]string, error) {
	if len(xs) > ListMax {
		return nil, Invalid(field, "err.list_long", F{"max": ListMax})
	}
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		if err := optionalText(field, &x, max); err != nil {
			return nil, err
		}
		if x != "" {
			out = append(out, x)
		}
	}
	return out, nil
}

// CheckQuery checks a search or filter value a list is asked for: valid
// UTF-8, no control characters, at most ShortTextMax runes.
func CheckQuery(field, s string) error { return checkText(field, s, ShortTextMax) }
