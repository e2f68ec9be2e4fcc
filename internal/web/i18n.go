package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"

	arena "github.com/arena-se/arena"
)

//go:embed i18n/*.json
var catalogFS embed.FS

// catalog maps a message key to its text; %s and %d take arguments in order.
type catalog map[string]string

// languages are the UI's languages, Swedish first (the default).
var languages = []string{"sv", "en"}

func loadCatalogs() (map[string]catalog, error) {
	out := map[string]catalog{}
	for _, lang := range languages {
		b, err := catalogFS.ReadFile("i18n/" + lang + ".json")
		if err != nil {
			return nil, err
		}
		var c catalog
		if err := json.Unmarshal(b, &c); err != nil {
			return nil, fmt.Errorf("catalogue %s: %w", lang, err)
		}
		out[lang] = c
	}
	return out, nil
}

// missingMark brackets a key that has no text, so tests find it on a page.
const missingMark = "⟦"

// T returns the text of key in the page's language, formatted with args.
func (p *page) T(key string, args ...any) string {
	s, ok := p.cat[key]
	if !ok {
		p.ui.log.Warn("missing message", "lang", p.Lang, "key", key)
		return missingMark + key + "⟧"
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

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
func (p *page) TN(key string, n int) string {
	if n == 1 {
		return p.T(key+".one", n)
	}
	return p.T(key+".other", n)
}

// Text returns the Swedish or English of a text the domain gives in both.
func (p *page) Text(sv, en string) string {
	if p.Lang == "en" && en != "" {
		return en
	}
	return sv
}

var monthsSV = []string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"}

// Date writes a date in words: 27 november 2026 (27 November 2026).
func (p *page) Date(v any) string {
	t, ok := timeOf(v)
	if !ok {
		return ""
	}
	if p.Lang == "en" {
		return t.Format("2 January 2006")
	}
	return fmt.Sprintf("%d %s %d", t.Day(), monthsSV[t.Month()-1], t.Year())
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

var stockholm = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Stockholm"); err == nil {
		return l
	}
	return time.UTC
}()

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

func groupInt(n int64, sep string) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	if neg {
		return "−" + b.String()
	}
	return b.String()
}

func groupFloat(f float64, sep, dec string) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return ""
	}
	whole, frac := math.Modf(math.Abs(f))
	out := groupInt(int64(whole), sep)
	if f < 0 {
		out = "−" + out
	}
	if fs := strings.TrimRight(strconv.FormatFloat(frac, 'f', 2, 64), "0"); fs != "0." && fs != "" && frac > 0 {
		out += dec + strings.TrimPrefix(fs, "0.")
	}
	return out
}

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
	// pair passes the page and a value to a partial template.
	"pair": func(p *page, v any) pairView { return pairView{P: p, V: v} },
}

// pairView is the page and one value, for partial templates.
type pairView struct {
	P *page
	V any
}
