package arena

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Msg is something the domain says, by catalogue key and the facts the text
// is made of. The domain never words a message itself: the Swedish and
// English catalogues do, in one place (internal/i18n), so a reworded text
// can never turn a page into another language.
type Msg struct {
	Key  string `json:"key"`
	Args F      `json:"args,omitempty"`
	// Text is the message worded in Swedish and English. The domain leaves
	// it empty; an adapter that writes messages out (the API) fills it from
	// the catalogues.
	Text *Texts `json:"text,omitempty"`
}

// Texts is a message in both languages.
type Texts struct {
	SV string `json:"sv"`
	EN string `json:"en"`
}

// F holds a message's facts by name; the catalogue text refers to them as
// {name}. A fact is a string, a number, a Date, an Amount, a Term (an
// enumerated value the catalogue words), a Names list, or a list of Terms.
// A fact named "n" chooses between a text's ".one" and ".other" forms.
type F map[string]any

// M returns a message with the facts of the first F given.
func M(key string, facts ...F) Msg {
	m := Msg{Key: key}
	if len(facts) > 0 && len(facts[0]) > 0 {
		m.Args = facts[0]
	}
	return m
}

// String is the key with its facts, for logs and test failures; users see
// the catalogue's text.
func (m Msg) String() string {
	if len(m.Args) == 0 {
		return m.Key
	}
	names := make([]string, 0, len(m.Args))
	for k := range m.Args {
		names = append(names, k)
	}
	slices.Sort(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = fmt.Sprintf("%s=%v", k, m.Args[k])
	}
	return m.Key + " {" + strings.Join(parts, ", ") + "}"
}

// Term is a fact the catalogue words: the catalogue key of a word, such as
// "org_kind.kommun" or "stage.awarded", in one grammatical form.
type Term struct {
	Key  string `json:"term"`
	Form Form   `json:"form,omitempty"`
}

// Form is the grammatical form of a term in a sentence.
type Form string

// Forms of a term. The catalogue holds each as the term's key with the form
// as suffix ("term.org_kind.kommun.plural"); Swedish needs the definite
// plural where English puts "the" in front.
const (
	Singular       Form = ""
	Plural         Form = "plural"
	DefinitePlural Form = "definite_plural"
)

// In returns the term in another form.
func (t Term) In(f Form) Term { t.Form = f; return t }

func (t Term) String() string {
	if t.Form == "" {
		return t.Key
	}
	return t.Key + "." + string(t.Form)
}

// Termed is an enumerated value with a word in the catalogue.
type Termed interface{ Term() Term }

// Term returns the word for the organisation kind.
func (k OrgKind) Term() Term { return Term{Key: "org_kind." + string(k)} }

// Term returns the word for the procurement stage.
func (s ProcurementStage) Term() Term { return Term{Key: "stage." + string(s)} }

// Term returns the word for the network kind.
func (k NetworkKind) Term() Term { return Term{Key: "network_kind." + string(k)} }

// Term returns the word for the member role.
func (r MemberRole) Term() Term { return Term{Key: "member_role." + string(r)} }

// Term returns the word for the member status.
func (s MemberStatus) Term() Term { return Term{Key: "member_status." + string(s)} }

// Term returns the word for the deliverable kind.
func (k DeliverableKind) Term() Term { return Term{Key: "deliverable_kind." + string(k)} }

// Term returns the word for the intent to buy.
func (i Intent) Term() Term { return Term{Key: "intent." + string(i)} }

// Names is a list of names (organisations, codes) a sentence joins with
// commas and "och"/"and".
type Names []string

// Terms is a list of terms a sentence joins with commas and "och"/"and".
type Terms []Term

// Choices is a list of allowed values, shown as they are written in the
// API (codes, not words), joined with commas.
type Choices []string

// Amount is a sum of money in Swedish kronor.
type Amount int64

// Month is a calendar month of a year, as a sentence names it ("mars
// 2027"); it is written 2027-03 in the API.
type Month struct {
	Year  int
	Month time.Month
}

// MonthOf returns the month of a date.
func MonthOf(d Date) Month { return Month{Year: d.Year(), Month: d.Month()} }

// MarshalText writes the month as 2027-03.
func (m Month) MarshalText() ([]byte, error) {
	return []byte(fmt.Sprintf("%04d-%02d", m.Year, int(m.Month))), nil
}

func (m Month) String() string { b, _ := m.MarshalText(); return string(b) }
