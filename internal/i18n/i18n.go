// Package i18n words Arena in Swedish and English: the one place where a
// message key becomes text. The web pages, the API's problem details and
// its messages (match reasons, alerts, prerequisite gaps, classification)
// all render here, from the catalogues sv.json and en.json.
//
// Two kinds of text live in the catalogues. Page texts take positional
// arguments (%s, %d) and are rendered by T. Domain messages (arena.Msg:
// errors, reasons, alerts) take named facts ({name}) and are rendered by
// Msg, which words the facts too: dates, amounts, lists and terms (the
// names of enumerated values, in the grammatical form a sentence needs).
//
// The catalogues are hand-written JSON maps rather than a library's format
// (go-i18n, x/text/message): Swedish and English both have one/other
// plurals, which a ".one"/".other" key pair covers, and a plain map keeps
// every text greppable in one file per language.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	arena "github.com/arena-se/arena"
)

//go:embed sv.json en.json
var catalogFS embed.FS

// Languages are the languages, Swedish first (the default).
var Languages = []string{"sv", "en"}

// Default is the language when none is chosen.
const Default = "sv"

// MissingMark brackets a key that has no text, so tests find it on a page.
const MissingMark = "⟦"

// Catalog is one language's texts.
type Catalog struct {
	Lang  string
	texts map[string]string
	log   *slog.Logger
}

// Bundle holds every language's catalogue.
type Bundle struct {
	cats map[string]*Catalog
}

// Load reads the embedded catalogues; it fails when one is broken.
func Load(log *slog.Logger) (*Bundle, error) {
	if log == nil {
		log = slog.Default()
	}
	b := &Bundle{cats: map[string]*Catalog{}}
	for _, lang := range Languages {
		raw, err := catalogFS.ReadFile(lang + ".json")
		if err != nil {
			return nil, err
		}
		c := &Catalog{Lang: lang, log: log}
		if err := json.Unmarshal(raw, &c.texts); err != nil {
			return nil, fmt.Errorf("catalogue %s: %w", lang, err)
		}
		b.cats[lang] = c
	}
	return b, nil
}

// MustLoad is Load for programs and tests that cannot go on without the
// catalogues, which are embedded and tested.
func MustLoad() *Bundle {
	b, err := Load(nil)
	if err != nil {
		panic(err)
	}
	return b
}

// For returns the catalogue of lang, Swedish for an unknown language.
func (b *Bundle) For(lang string) *Catalog {
	if c, ok := b.cats[lang]; ok {
		return c
	}
	return b.cats[Default]
}

// Keys returns the keys of a language's catalogue.
func (b *Bundle) Keys(lang string) map[string]string { return b.For(lang).texts }

// Has reports whether the catalogue has a text for key.
func (c *Catalog) Has(key string) bool {
	_, ok := c.texts[key]
	return ok
}

// text returns the text of key, or the key marked missing.
func (c *Catalog) text(key string) string {
	s, ok := c.texts[key]
	if !ok {
		c.log.Warn("missing message", "lang", c.Lang, "key", key)
		return MissingMark + key + "⟧"
	}
	return s
}

// T returns a page text in the catalogue's language, formatted with
// positional args.
func (c *Catalog) T(key string, args ...any) string {
	s := c.text(key)
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// TN picks key.one or key.other by n and formats n into it.
func (c *Catalog) TN(key string, n int) string {
	if n == 1 {
		return c.T(key+".one", n)
	}
	return c.T(key+".other", n)
}

// Msg renders a domain message: the text of its key (its ".one" or
// ".other" form when a fact "n" is given and the form exists) with each
// {name} replaced by the fact worded in the catalogue's language.
func (c *Catalog) Msg(m arena.Msg) string {
	key := m.Key
	if n, ok := count(m.Args["n"]); ok {
		form := key + ".other"
		if n == 1 {
			form = key + ".one"
		}
		if c.Has(form) {
			key = form
		}
	}
	s := c.text(key)
	if !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			break
		}
		name := s[i+1 : i+j]
		b.WriteString(s[:i])
		if v, ok := m.Args[name]; ok {
			b.WriteString(c.Fact(v))
		} else {
			c.log.Warn("message lacks a fact", "lang", c.Lang, "key", key, "fact", name)
			b.WriteString(s[i : i+j+1])
		}
		s = s[i+j+1:]
	}
	return b.String()
}

// Error renders an error's message; an internal error gets a general text.
func (c *Catalog) Error(err error) string { return c.Msg(arena.ErrorMsg(err)) }

func count(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case int64:
		return int(x), true
	case float64:
		return int(x), true
	}
	return 0, false
}

// Fact words one fact of a message.
func (c *Catalog) Fact(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return c.Int(int64(x))
	case int64:
		return c.Int(x)
	case float64:
		return c.Num(x)
	case arena.Amount:
		return c.SEK(int64(x))
	case arena.Date:
		return c.Date(x.Time)
	case *arena.Date:
		if x == nil {
			return ""
		}
		return c.Date(x.Time)
	case arena.Month:
		return c.Month(x)
	case arena.Term:
		return c.Term(x)
	case arena.Termed:
		return c.Term(x.Term())
	case arena.Terms:
		words := make([]string, len(x))
		for i, t := range x {
			words[i] = c.Term(t)
		}
		return c.List(words)
	case arena.Names:
		return c.List(x)
	case arena.Choices:
		return strings.Join(x, ", ")
	}
	return fmt.Sprint(v)
}

// Term words an enumerated value in a sentence: the text of
// "term.<key>[.<form>]", falling back to the value's label.
func (c *Catalog) Term(t arena.Term) string {
	if s, ok := c.texts["term."+t.String()]; ok {
		return s
	}
	if s, ok := c.texts[t.Key]; ok && t.Form == arena.Singular && s != "" {
		r, size := utf8.DecodeRuneInString(s)
		return string(unicode.ToLower(r)) + s[size:]
	}
	return c.text("term." + t.String())
}

// List joins words as a sentence does: "A, B och C" ("A, B and C").
func (c *Catalog) List(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + c.text("list.and") + " " + words[len(words)-1]
}

// nbsp keeps a number's groups and its unit on one line.
const nbsp = "\u00a0"

// Num writes a number with grouped thousands: 1 234 567 and 12,5 in
// Swedish, 1,234,567 and 12.5 in English.
func (c *Catalog) Num(v float64) string {
	sep, dec := c.seps()
	return groupFloat(v, sep, dec)
}

// Int writes a whole number in a sentence: grouped from five digits, so a
// year stays 2026.
func (c *Catalog) Int(n int64) string {
	if n > -10000 && n < 10000 {
		return strconv.FormatInt(n, 10)
	}
	sep, _ := c.seps()
	return GroupInt(n, sep)
}

// Count writes a whole number grouped: 1 200 (1,200).
func (c *Catalog) Count(n int64) string {
	sep, _ := c.seps()
	return GroupInt(n, sep)
}

func (c *Catalog) seps() (sep, dec string) {
	if c.Lang == "en" {
		return ",", "."
	}
	return nbsp, ","
}

// SEK writes an amount: 1 234 567 kr (SEK 1,234,567).
func (c *Catalog) SEK(n int64) string {
	if c.Lang == "en" {
		return "SEK" + nbsp + c.Count(n)
	}
	return c.Count(n) + nbsp + "kr"
}

var monthsSV = []string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"}

// Date writes a date in words: 27 november 2026 (27 November 2026).
func (c *Catalog) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if c.Lang == "en" {
		return t.Format("2 January 2006")
	}
	return fmt.Sprintf("%d %s %d", t.Day(), monthsSV[t.Month()-1], t.Year())
}

// Month writes a month of a year: mars 2027 (March 2027).
func (c *Catalog) Month(m arena.Month) string {
	if c.Lang == "en" {
		return m.Month.String() + " " + strconv.Itoa(m.Year)
	}
	return monthsSV[m.Month-1] + " " + strconv.Itoa(m.Year)
}

// GroupInt writes n with sep between groups of three digits.
func GroupInt(n int64, sep string) string {
	s := strconv.FormatInt(n, 10)
	if digits, ok := strings.CutPrefix(s, "-"); ok {
		return "−" + groupDigits(digits, sep)
	}
	return groupDigits(s, sep)
}

// groupDigits writes a string of digits with sep between groups of three.
func groupDigits(s, sep string) string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// groupFloat rounds f to two decimals first, then groups the whole part
// and drops the fraction's trailing zeros: 2.999 is 3, not 2 and a
// fraction rounded up to 1.
func groupFloat(f float64, sep, dec string) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return ""
	}
	whole, frac, _ := strings.Cut(strconv.FormatFloat(math.Abs(f), 'f', 2, 64), ".")
	frac = strings.TrimRight(frac, "0")
	out := groupDigits(whole, sep)
	if frac != "" {
		out += dec + frac
	}
	if f < 0 && (whole != "0" || frac != "") {
		out = "−" + out
	}
	return out
}

// GroupFloat writes f with grouped thousands and the decimal mark dec.
func GroupFloat(f float64, sep, dec string) string { return groupFloat(f, sep, dec) }
