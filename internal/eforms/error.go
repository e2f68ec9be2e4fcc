package eforms

import (
	"fmt"
	"strconv"
)

// Error codes of Error.Code.
const (
	CodeNotPIN        = "not_pin"        // the root element is not an eForms PriorInformationNotice
	CodeMissing       = "missing"        // a required element is absent or empty
	CodeInvalidCPV    = "invalid_cpv"    // a CPV code is not 8 digits
	CodeInvalidDate   = "invalid_date"   // a date is not YYYY-MM-DD with an optional time zone
	CodeInvalidAmount = "invalid_amount" // an amount is not a non-negative decimal number
	CodeTooLarge      = "too_large"      // the notice is longer than MaxNoticeBytes
	CodeTooDeep       = "too_deep"       // elements nest deeper than MaxDepth
	CodeMalformed     = "malformed"      // the notice is not well-formed XML
	CodeDTD           = "dtd"            // the notice has a DTD or an entity declaration
	CodeEncoding      = "encoding"       // the notice declares an encoding other than UTF-8
	CodeRead          = "read"           // reading the input failed
)

// Error is the one error type Parse returns: what is wrong (Code), where
// (Element, Line) and the value refused. Its text is safe to show to the
// person who uploaded the notice.
type Error struct {
	// Element is the element's path from the root with the eForms
	// prefixes (cbc, cac, ext, efac, efbc, efext) whatever the notice's
	// own, and [n] for the n-th of its name, e.g.
	// PriorInformationNotice/cac:ProcurementProjectLot[2]/cac:ProcurementProject/cbc:Name.
	// For CodeNotPIN it is the root element's name; it is "" where no
	// element applies (outside the root, too large).
	Element string
	Code    string
	// Value is the value refused (a CPV code, a date, the root's
	// namespace, an encoding), the parser's message for CodeMalformed,
	// and for CodeMissing the ID of the lot lacking a title or of the
	// buyer organisation not found.
	Value string
	Line  int   // the line in the notice, 0 if unknown
	Err   error // the underlying error of CodeMalformed and CodeRead, if any
}

// Error says in English what is wrong and where.
func (e *Error) Error() string {
	var s string
	switch e.Code {
	case CodeNotPIN:
		if e.Element == rootName {
			s = fmt.Sprintf("root element %s is in namespace %q, not the eForms one", e.Element, e.Value)
		} else {
			s = fmt.Sprintf("root element %s is not a PriorInformationNotice", e.Element)
		}
	case CodeMissing:
		s = e.Element + " is missing or empty"
		if e.Value != "" {
			s += fmt.Sprintf(" (%s)", e.Value)
		}
	case CodeInvalidCPV:
		s = fmt.Sprintf("%s: CPV code %q is not 8 digits", e.Element, e.Value)
	case CodeInvalidDate:
		s = fmt.Sprintf("%s: date %q is not YYYY-MM-DD", e.Element, e.Value)
	case CodeInvalidAmount:
		s = fmt.Sprintf("%s: amount %q is not a decimal number", e.Element, e.Value)
	case CodeTooLarge:
		s = "notice is larger than " + strconv.Itoa(MaxNoticeBytes) + " bytes"
	case CodeTooDeep:
		s = fmt.Sprintf("%s: elements nest deeper than %d levels", e.Element, MaxDepth)
	case CodeMalformed:
		s = "malformed XML: " + e.Value
	case CodeDTD:
		s = fmt.Sprintf("<!%s> refused: a notice may not declare a DTD or entities", e.Value)
		if e.Element != "" {
			s = e.Element + ": " + s
		}
	case CodeEncoding:
		s = fmt.Sprintf("encoding %q refused: a notice must be UTF-8", e.Value)
	case CodeRead:
		s = "reading the notice: " + e.Value
	default:
		s = e.Code + " " + e.Element + " " + e.Value
	}
	if e.Line > 0 {
		return "eforms: line " + strconv.Itoa(e.Line) + ": " + s
	}
	return "eforms: " + s
}

// Unwrap returns the underlying error, if any.
func (e *Error) Unwrap() error { return e.Err }
