package i18n

// Fuzz tests of the one renderer of messages: templates (the catalogues'
// and arbitrary ones) with arbitrary facts, the words of numbers, amounts
// and dates, and Fill over a response.

import (
	"io"
	"log/slog"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	arena "github.com/arena-se/arena"
)

// fzLoad loads the catalogues with a log that discards the warnings of
// missing facts and keys, which the fuzzer causes by the thousand.
func fzLoad(tb testing.TB) *Bundle {
	b, err := Load(slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// fzFact is a {name} in a template, as Msg reads it: from a '{' to the
// next '}'.
var fzFact = regexp.MustCompile(`\{[^}]*\}`)

// fzRender is what Msg must give for template s (of key) with facts:
// each {name} whose fact is given replaced by the fact's words, the rest
// as written.
func fzRender(c *Catalog, s string, facts arena.F) string {
	return fzFact.ReplaceAllStringFunc(s, func(p string) string {
		if v, ok := facts[p[1:len(p)-1]]; ok {
			return c.Fact(v)
		}
		return p
	})
}

// FuzzMsg renders an arbitrary template and a catalogue text chosen by
// the input with facts of every kind made of the input: the text is the
// template with exactly the given facts put in (the ".one" or ".other"
// form chosen by the fact n), valid UTF-8 when the input is.
func FuzzMsg(f *testing.F) {
	f.Add("Behovet {title} från {org} planeras {date}.", uint16(0), "Trygghetslarm", int64(1), 2.5, uint16(2026), uint8(12), uint8(4), false)
	f.Add("{n} behov; {missing} saknas; {amount}", uint16(7), "Falu kommun", int64(2), -0.125, uint16(2027), uint8(3), uint8(1), true)
	f.Add("{value}{{value}}{value", uint16(99), "{value}", int64(0), 1e6, uint16(1999), uint8(1), uint8(31), false)
	f.Add("{}{x}{names}{terms}{choices}{stage}{term}{month}{datep}", uint16(300), "ÅÄÖ åäö", int64(1234567), math.Inf(1), uint16(1), uint8(13), uint8(0), true)
	f.Add("\xff{value}\x00", uint16(5), "\xfe", int64(-42), math.NaN(), uint16(0), uint8(0), uint8(0), false)
	f.Add("", uint16(1000), "", int64(math.MaxInt64), 0.0, uint16(9999), uint8(2), uint8(29), true)
	b := fzLoad(f)
	silent := slog.New(slog.NewTextHandler(io.Discard, nil))
	var keys []string
	for k := range b.Keys("sv") {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	f.Fuzz(func(t *testing.T, tmpl string, key uint16, s string, n int64, x float64, y uint16, m, d uint8, plural bool) {
		date := arena.NewDate(int(y), time.Month(m), int(d))
		facts := arena.F{
			"value": s, "title": s, "org": "Falu kommun", "n": n, "amount": arena.Amount(n), "x": x, "date": date, "datep": &date,
			"month": arena.MonthOf(date), "names": arena.Names{s, "Mölndals stad", "Region Örebro län"}, "choices": arena.Choices{s, "kommun"},
			"term": arena.Term{Key: "org_kind.kommun"}, "terms": arena.Terms{{Key: "stage.awarded"}, {Key: s}}, "stage": arena.StageAwarded,
			"year": int(n), "max": int(y), "field": s,
		}
		for _, lang := range Languages {
			cat := b.For(lang)
			c := &Catalog{Lang: lang, texts: map[string]string{"fz": tmpl}, log: silent}
			want := tmpl
			if plural {
				c.texts["fz.one"], c.texts["fz.other"] = "ett: "+tmpl, "flera: "+tmpl
				want = map[bool]string{true: c.texts["fz.one"], false: c.texts["fz.other"]}[int(n) == 1]
			}
			got := c.Msg(arena.M("fz", facts))
			if w := fzRender(c, want, facts); got != w {
				t.Fatalf("%s: %q with facts: %q, want %q", lang, tmpl, got, w)
			}
			if utf8.ValidString(tmpl) && utf8.ValidString(s) && !utf8.ValidString(got) {
				t.Fatalf("%s: %q gives invalid UTF-8 %q", lang, tmpl, got)
			}
			if got := c.Msg(arena.M("fz")); got != want && !plural {
				t.Fatalf("%s: %q without facts gives %q", lang, tmpl, got)
			}
			if got := c.Msg(arena.M("no.such.key", facts)); got != MissingMark+"no.such.key⟧" {
				t.Fatalf("%s: a missing key gives %q", lang, got)
			}

			// A catalogue text with the same facts.
			k := keys[int(key)%len(keys)]
			text := cat.texts[k]
			if cnt, ok := count(n); ok {
				form := k + ".other"
				if cnt == 1 {
					form = k + ".one"
				}
				if cat.Has(form) {
					text = cat.texts[form]
				}
			}
			if got, want := cat.Msg(arena.M(k, facts)), fzRender(cat, text, facts); got != want {
				t.Fatalf("%s: %s with facts: %q, want %q", lang, k, got, want)
			}
		}
	})
}

// FuzzNumbers: the words of a whole number, an amount and a decimal
// number read back as the number (the groups joined, the decimal mark
// and the minus sign read), and a date's words as the date.
func FuzzNumbers(f *testing.F) {
	for _, n := range []int64{0, 1, -1, 9999, 10000, -10000, 1234567, -987654321, math.MaxInt64, math.MinInt64 + 1} {
		f.Add(n, float64(n)/7, uint16(2026), uint8(12), uint8(4))
	}
	f.Add(int64(42), 0.005, uint16(0), uint8(1), uint8(1))
	f.Add(int64(42), -0.994999, uint16(9999), uint8(2), uint8(29))
	f.Add(int64(42), 1e15+0.25, uint16(1), uint8(13), uint8(32))
	b := fzLoad(f)
	f.Fuzz(func(t *testing.T, n int64, x float64, y uint16, m, d uint8) {
		for _, lang := range Languages {
			c := b.For(lang)
			for _, w := range []string{c.Int(n), c.Count(n), c.SEK(n), c.Fact(n), c.Fact(int(n)), c.Fact(arena.Amount(n))} {
				if got, ok := fzReadInt(lang, w); !ok || got != n {
					t.Fatalf("%s: %d is worded %q, which reads as %d", lang, n, w, got)
				}
			}
			if n > -10000 && n < 10000 && c.Int(n) != strconv.FormatInt(n, 10) {
				t.Fatalf("%s: a small number %d (a year) is worded %q", lang, n, c.Int(n))
			}
			// Decimals: two places, rounded; whole numbers within int64's
			// exact floats.
			if !math.IsNaN(x) && !math.IsInf(x, 0) && math.Abs(x) < 1<<52 {
				w := c.Num(x)
				got, ok := fzReadDecimal(lang, w)
				if !ok || math.Abs(got-x) > 0.005+math.Abs(x)*1e-15 {
					t.Fatalf("%s: %v is worded %q, which reads as %v", lang, x, w, got)
				}
			} else if math.IsNaN(x) || math.IsInf(x, 0) {
				if w := c.Num(x); w != "" {
					t.Fatalf("%s: %v is worded %q", lang, x, w)
				}
			}
			date := arena.NewDate(int(y), time.Month(m), int(d))
			w := c.Date(date.Time)
			layout := "2 January 2006"
			if lang == "sv" {
				for i, name := range monthsSV {
					w = strings.Replace(w, " "+name+" ", " "+time.Month(i+1).String()+" ", 1)
				}
			}
			if date.Year() >= 1000 && date.Year() <= 9999 {
				if back, err := time.Parse(layout, w); err != nil || !back.Equal(date.Time) {
					t.Fatalf("%s: %v is worded %q, which reads as %v, %v", lang, date, c.Date(date.Time), back, err)
				}
			}
			if got := c.Month(arena.MonthOf(date)); !strings.HasSuffix(got, " "+strconv.Itoa(date.Year())) {
				t.Fatalf("%s: the month of %v is %q", lang, date, got)
			}
		}
	})
}

// fzReadInt reads a whole number as the catalogue of lang words it.
func fzReadInt(lang, w string) (int64, bool) {
	w = strings.TrimSuffix(strings.TrimPrefix(w, "SEK"+nbsp), nbsp+"kr")
	sep := map[string]string{"sv": nbsp, "en": ","}[lang]
	neg := strings.HasPrefix(w, "−")
	w = strings.ReplaceAll(strings.TrimPrefix(w, "−"), sep, "")
	if neg {
		w = "-" + w
	}
	n, err := strconv.ParseInt(w, 10, 64)
	return n, err == nil
}

// fzReadDecimal reads a decimal number as the catalogue of lang words it.
func fzReadDecimal(lang, w string) (float64, bool) {
	sep, dec := map[string]string{"sv": nbsp, "en": ","}[lang], map[string]string{"sv": ",", "en": "."}[lang]
	neg := strings.HasPrefix(w, "−")
	w = strings.ReplaceAll(strings.TrimPrefix(w, "−"), sep, "")
	w = strings.Replace(w, dec, ".", 1)
	x, err := strconv.ParseFloat(w, 64)
	if neg {
		x = -x
	}
	return x, err == nil && !strings.HasPrefix(w, "-")
}

// fzResponse is a response with messages where Fill looks for them.
type fzResponse struct {
	Reason   arena.Msg
	Reasons  []arena.Msg
	Alert    *arena.Msg
	Nested   struct{ Gap arena.Msg }
	ByName   map[string]arena.Msg
	Anything any
	private  arena.Msg
}

// FuzzFill: Fill words every message of a response that has a key, in
// both languages as Msg words it, leaves keyless ones and those in maps
// and unexported fields alone, and changes nothing else.
func FuzzFill(f *testing.F) {
	f.Add("err.required", "reason.shared_concepts", "", "Trygghetslarm", int64(3))
	f.Add("no.such.key", "err.too_long", "err.choice", "{value}", int64(1))
	f.Add("", "", "", "\xff", int64(-1))
	b := fzLoad(f)
	f.Fuzz(func(t *testing.T, k1, k2, k3, s string, n int64) {
		facts := arena.F{"value": s, "n": n, "max": int(n), "field": s, "choices": arena.Choices{s}}
		r := fzResponse{
			Reason: arena.M(k1, facts), Reasons: []arena.Msg{arena.M(k2, facts), arena.M(k3)}, Alert: new(arena.M(k3, facts)),
			ByName: map[string]arena.Msg{"a": arena.M(k1)}, Anything: &arena.Msg{Key: k2}, private: arena.M(k1),
		}
		r.Nested.Gap = arena.M(k2, facts)
		got := b.Filled(r).(*fzResponse)
		for name, m := range map[string]arena.Msg{"Reason": got.Reason, "Reasons[0]": got.Reasons[0], "Reasons[1]": got.Reasons[1],
			"Alert": *got.Alert, "Nested.Gap": got.Nested.Gap, "Anything": *got.Anything.(*arena.Msg)} {
			if m.Key == "" {
				if m.Text != nil {
					t.Fatalf("%s without a key worded %+v", name, *m.Text)
				}
				continue
			}
			if m.Text == nil || m.Text.SV != b.For("sv").Msg(m) || m.Text.EN != b.For("en").Msg(m) {
				t.Fatalf("%s (%s) worded %+v", name, m.Key, m.Text)
			}
		}
		if got.ByName["a"].Text != nil || got.private.Text != nil || r.Reason.Text != nil {
			t.Fatal("Fill worded a message in a map, an unexported field or the value it was given")
		}
		if got.Reason.Key != k1 || len(got.Reasons) != 2 || got.Reasons[1].Key != k3 {
			t.Fatalf("Fill changed the response: %+v", got)
		}
	})
}
