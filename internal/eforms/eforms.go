// Package eforms reads eForms (UBL 2.3) prior information notices
// (förhandsannonser) so that Arena can import each lot of a notice as a
// draft procurement need.
//
// Only PriorInformationNotice documents are read; contract notices and
// award notices are refused by their root element. Notices come from
// outside, so Parse reads at most MaxNoticeBytes, refuses any DTD or
// entity declaration, any encoding but UTF-8 and nesting deeper than
// MaxDepth, and takes time and memory linear in the input.
package eforms

import (
	"math"
	"strconv"
	"strings"
)

// MaxNoticeBytes is the largest notice Parse reads; the SDK's maximal
// examples are about 100 KiB.
const MaxNoticeBytes = 5 << 20

// MaxDepth is the deepest element nesting Parse accepts; the SDK's
// examples nest at most 12 levels deep.
const MaxDepth = 64

// Notice is what Arena takes from a prior information notice.
type Notice struct {
	ID        string // BT-701 notice identifier (root cbc:ID), usually a UUID
	Version   string // BT-757 cbc:VersionID
	IssueDate string // BT-05 cbc:IssueDate as YYYY-MM-DD, the time zone dropped
	SubType   string // efac:NoticeSubType/cbc:SubTypeCode, e.g. "4" for a PIN only of directive 2014/24
	Type      string // BT-02 cbc:NoticeTypeCode, e.g. "pin-only"
	Language  string // BT-702 cbc:NoticeLanguageCode, e.g. "SWE" or "ENG"

	// FutureNoticeDate is BT-127, the root cbc:PlannedDate: when the buyer
	// plans to publish the contract notice, as YYYY-MM-DD ("" if absent).
	FutureNoticeDate string

	// Buyer is the first cac:ContractingParty, resolved through
	// efac:Organizations by its organisation ID.
	Buyer Party

	// Procedure is the notice-level cac:ProcurementProject: the whole
	// procedure's title, description, CPV codes and value. Its ID is "".
	Procedure Lot

	// Lots are the notice's cac:ProcurementProjectLot with a cbc:ID of
	// scheme "Lot" or "Part" (groups of lots are left out), in document
	// order. A notice without lots has one Lot made from Procedure.
	Lots []Lot
}

// Party is an organisation of efac:Organizations.
type Party struct {
	Ref       string // its organisation ID in the notice, e.g. ORG-0001
	Name      string // BT-500 cac:PartyName/cbc:Name
	CompanyID string // BT-501 cac:PartyLegalEntity/cbc:CompanyID as written (the organisationsnummer of a Swedish buyer)
	Country   string // BT-514 country, ISO 3166-1 alpha-3 (SWE, LUX)
	Email     string // BT-506 cac:Contact/cbc:ElectronicMail
	Website   string // BT-505 cbc:WebsiteURI
}

// Lot is one lot (or, in a PIN, one part) of a notice. A lot without its
// own title, description or main CPV code takes the procedure's; its
// value and dates are only its own.
type Lot struct {
	ID             string   // BT-137 cbc:ID, e.g. LOT-0001 or PAR-0001
	Title          string   // BT-21 cbc:Name, in the notice language when there are several
	Description    string   // BT-24 cbc:Description, chosen as Title is
	MainCPV        string   // BT-262, 8 digits
	AdditionalCPV  []string // BT-263, 8 digits each, in document order
	EstimatedValue *Amount  // BT-27 cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount, nil if absent
	PlannedStart   string   // BT-536 cac:PlannedPeriod/cbc:StartDate as YYYY-MM-DD, "" if absent
	PlannedEnd     string   // BT-537 cac:PlannedPeriod/cbc:EndDate as YYYY-MM-DD, "" if absent
}

// Amount is a monetary amount as the notice writes it.
type Amount struct {
	Value    string // decimal digits with an optional fraction, e.g. "9999999.99"
	Currency string // ISO 4217 currencyID, e.g. "SEK"
}

// SEK returns the amount in whole kronor, rounded half away from zero,
// and true; or 0 and false when the currency is not SEK or the value is
// not a decimal number that fits in an int64.
func (a Amount) SEK() (int64, bool) {
	if a.Currency != "SEK" {
		return 0, false
	}
	v := a.Value
	neg := strings.HasPrefix(v, "-")
	if neg {
		v = v[1:]
	}
	whole, frac, dot := strings.Cut(v, ".")
	if !isDigits(whole) || (dot && !isDigits(frac)) {
		return 0, false
	}
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, false
	}
	if dot && frac[0] >= '5' {
		if n == math.MaxInt64 {
			return 0, false
		}
		n++
	}
	if neg {
		n = -n
	}
	return n, true
}

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
