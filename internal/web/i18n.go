package web

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/i18n"
)

// T returns the page text of key in the page's language, formatted with args.
func (p *page) T(key string, args ...any) string { return p.cat.T(key, args...) }

// M words a domain message (a match reason, an alert, a gap, an error) in
// the page's language.
func (p *page) M(m arena.Msg) string { return p.cat.Msg(m) }

// ErrText words a domain error in the page's language.
func (p *page) ErrText(err error) string { return p.cat.Error(err) }

// E returns the text of an enumerated value: E "intent" "plan" is the text
// of "intent.plan". An empty value gives "".
func (p *page) E(prefix string, v any) string {
	s := fmt.Sprint(v)
	if s == "" {
		return ""
	}
	return p.T(prefix + "." + s)
}

// TN picks key.one or key.other by n and formats n into it.
func (p *page) TN(key string, n int) string { return p.cat.TN(key, n) }

// Text returns the Swedish or English of a text given in both (names and
// labels of reference data, which carry both).
func (p *page) Text(sv, en string) string {
	if p.Lang == "en" && en != "" {
		return en
	}
	return sv
}

// Date writes a date in words: 27 november 2026 (27 November 2026).
func (p *page) Date(v any) string {
	t, ok := timeOf(v)
	if !ok {
		return ""
	}
	return p.cat.Date(t)
}

// ISO writes a date as 2026-11-27, for tables and datetime attributes.
func (p *page) ISO(v any) string {
	t, ok := timeOf(v)
	if !ok {
		return ""
	}
	return t.Format(arena.DateLayout)
}

// DateTime writes a moment: 27 november 2026 kl. 14.05 (27 November 2026, 14:05).
func (p *page) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(stockholm)
	if p.Lang == "en" {
		return t.Format("2 January 2006, 15:04")
	}
	return p.Date(t) + " kl. " + t.Format("15.04")
}

var stockholm = arena.Stockholm

func timeOf(v any) (time.Time, bool) {
	switch x := v.(type) {
	case arena.Date:
		return x.Time, !x.IsZero()
	case *arena.Date:
		if x == nil {
			return time.Time{}, false
		}
		return x.Time, !x.IsZero()
	case time.Time:
		return x, !x.IsZero()
	case *time.Time:
		if x == nil {
			return time.Time{}, false
		}
		return *x, !x.IsZero()
	}
	return time.Time{}, false
}

// nbsp keeps a number's groups and its unit on one line.
const nbsp = "\u00a0"

// Num writes a number with grouped thousands: 1 234 567 and 12,5 in
// Swedish, 1,234,567 and 12.5 in English. Pointers may be nil ("").
func (p *page) Num(v any) string {
	sep, dec := nbsp, ","
	if p.Lang == "en" {
		sep, dec = ",", "."
	}
	switch x := v.(type) {
	case int:
		return groupInt(int64(x), sep)
	case int64:
		return groupInt(x, sep)
	case *int64:
		if x == nil {
			return ""
		}
		return groupInt(*x, sep)
	case *int:
		if x == nil {
			return ""
		}
		return groupInt(int64(*x), sep)
	case float64:
		return groupFloat(x, sep, dec)
	case *float64:
		if x == nil {
			return ""
		}
		return groupFloat(*x, sep, dec)
	}
	return fmt.Sprint(v)
}

// SEK writes an amount: 1 234 567 kr (SEK 1,234,567). Nil is "".
func (p *page) SEK(v any) string {
	n := p.Num(v)
	if n == "" {
		return ""
	}
	if p.Lang == "en" {
		return "SEK" + nbsp + n
	}
	return n + nbsp + "kr"
}

// Percent writes a share 0–1 as a percentage: 25 %.
func (p *page) Percent(v *float64) string {
	if v == nil {
		return ""
	}
	n := p.Num(math.Round(*v*1000) / 10)
	if p.Lang == "en" {
		return n + "%"
	}
	return n + nbsp + "%"
}

func groupInt(n int64, sep string) string { return i18n.GroupInt(n, sep) }

func groupFloat(f float64, sep, dec string) string { return i18n.GroupFloat(f, sep, dec) }

// parseAmount reads a whole number as a Swedish user writes it: spaces
// (also non-breaking) between groups, an optional "kr" or "SEK".
func parseAmount(s string) (int64, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	s = strings.TrimSuffix(strings.TrimPrefix(s, "sek"), "kr")
	s = strings.TrimSuffix(s, "sek")
	s = strings.NewReplacer(" ", "", nbsp, "", "\u202f", "", ".", "", "'", "").Replace(s)
	if i := strings.IndexAny(s, ","); i >= 0 && strings.Trim(s[i+1:], "0-") == "" {
		s = s[:i] // 100,00 or 100,-
	}
	return strconv.ParseInt(s, 10, 64)
}

// parseDecimal reads a decimal number with a comma or a point.
func parseDecimal(s string) (float64, error) {
	s = strings.NewReplacer(" ", "", nbsp, "", "\u202f", "").Replace(strings.TrimSpace(s))
	s = strings.Replace(s, ",", ".", 1)
	f, err := strconv.ParseFloat(s, 64)
	if err == nil && (math.IsNaN(f) || math.IsInf(f, 0)) {
		return 0, fmt.Errorf("not a number")
	}
	return f, err
}

// funcs are the template functions that need no language.
var funcs = template.FuncMap{
	"join":  strings.Join,
	"lower": strings.ToLower,
	"add":   func(a, b int) int { return a + b },
	"str":   func(v any) string { return fmt.Sprint(v) },
	"deref": func(v *int64) int64 {
		if v == nil {
			return 0
		}
		return *v
	},
	// pair passes the page and a value to a partial template.
	"pair": func(p *page, v any) pairView { return pairView{P: p, V: v} },
}

// pairView is the page and one value, for partial templates.
type pairView struct {
	P *page
	V any
}
