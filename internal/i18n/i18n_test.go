package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"math"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
)

// placeholders are a text's named facts ({name}) and positional verbs.
var (
	named = regexp.MustCompile(`\{([a-z_]+)\}`)
	verbs = regexp.MustCompile(`%[sdv]`)
)

func names(text string) []string {
	var out []string
	for _, m := range named.FindAllStringSubmatch(text, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestCatalogsAgree checks that Swedish and English have the same keys, no
// empty texts, and the same facts and arguments in each text.
func TestCatalogsAgree(t *testing.T) {
	b := MustLoad()
	sv, en := b.Keys("sv"), b.Keys("en")
	for k, v := range sv {
		e, ok := en[k]
		if !ok {
			t.Errorf("key %q is in sv.json but not in en.json", k)
			continue
		}
		if strings.TrimSpace(v) == "" || strings.TrimSpace(e) == "" {
			t.Errorf("key %q has an empty text", k)
		}
		if a, b := strings.Join(verbs.FindAllString(v, -1), ""), strings.Join(verbs.FindAllString(e, -1), ""); a != b {
			t.Errorf("key %q takes %q in Swedish but %q in English", k, a, b)
		}
		if a, b := names(v), names(e); !slices.Equal(a, b) {
			t.Errorf("key %q names the facts %v in Swedish but %v in English", k, a, b)
		}
		if len(names(v)) > 0 && len(verbs.FindAllString(v, -1)) > 0 {
			t.Errorf("key %q mixes named facts and positional arguments", k)
		}
	}
	for k := range en {
		if _, ok := sv[k]; !ok {
			t.Errorf("key %q is in en.json but not in sv.json", k)
		}
	}
}

// messageKey is a literal that names a domain message.
var messageKey = regexp.MustCompile(`^(err|class|gap_text|alert_text|reason|fit|cpv\.why|reference)\.[a-z_.]*[a-z_]$`)

// use is one message key named in the code, with the facts given where
// they are written as an F literal beside it.
type use struct {
	pos   string
	key   string
	facts []string // nil when not known (no F literal)
}

// moduleRoot is the repository root, two levels up.
const moduleRoot = "../.."

// TestEveryMessageInTheCodeHasItsText reads every Go file of the module
// (tests aside) and checks each message key it names: both catalogues have
// a text for it (or for its .one/.other forms), and when the facts are
// written beside the key, every fact the texts name is given.
func TestEveryMessageInTheCodeHasItsText(t *testing.T) {
	b := MustLoad()
	var uses []use
	kinds := map[string]bool{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(moduleRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && path != moduleRoot) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if name := callName(call); name == "NotFound" && len(call.Args) == 1 {
				if s, ok := stringLit(call.Args[0]); ok {
					kinds[s] = true
				}
			}
			for _, arg := range call.Args {
				s, ok := stringLit(arg)
				if !ok || !messageKey.MatchString(s) {
					continue
				}
				u := use{pos: fset.Position(arg.Pos()).String(), key: s}
				for _, a := range call.Args {
					if facts, ok := factsLit(a); ok {
						u.facts = facts
					}
					if id, ok := a.(*ast.Ident); ok && id.Name == "nil" {
						u.facts = []string{}
					}
				}
				if len(call.Args) == 1 || (len(call.Args) == 2 && callName(call) == "Invalid") || callName(call) == "Forbidden" && len(call.Args) == 1 {
					u.facts = []string{}
				}
				uses = append(uses, u)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(uses) < 150 {
		t.Fatalf("found only %d message keys in the code; is the scan broken?", len(uses))
	}
	for _, lang := range Languages {
		c := b.For(lang)
		for _, u := range uses {
			var texts []string
			for _, k := range []string{u.key, u.key + ".one", u.key + ".other"} {
				if s, ok := c.texts[k]; ok {
					texts = append(texts, s)
				}
			}
			if len(texts) == 0 {
				t.Errorf("%s: %s.json has no text for %q", u.pos, lang, u.key)
				continue
			}
			if u.facts == nil {
				continue
			}
			for _, s := range texts {
				for _, n := range names(s) {
					if !slices.Contains(u.facts, n) {
						t.Errorf("%s: %s text of %q names {%s}, which the code does not give (it gives %v)", u.pos, lang, u.key, n, u.facts)
					}
				}
			}
		}
		for k := range kinds {
			if !c.Has("term.entity." + k) {
				t.Errorf("%s.json has no term for the record kind %q (term.entity.%s)", lang, k, k)
			}
		}
	}
	t.Logf("%d message keys checked in both languages", len(uses))
}

func callName(call *ast.CallExpr) string {
	switch f := call.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// factsLit reads the names of an F{...} literal.
func factsLit(e ast.Expr) ([]string, bool) {
	cl, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil, false
	}
	switch t := cl.Type.(type) {
	case *ast.Ident:
		if t.Name != "F" {
			return nil, false
		}
	case *ast.SelectorExpr:
		if t.Sel.Name != "F" {
			return nil, false
		}
	default:
		return nil, false
	}
	out := []string{}
	for _, el := range cl.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if s, ok := stringLit(kv.Key); ok {
			out = append(out, s)
		}
	}
	return out, true
}

// TestEveryTermHasItsWords checks the words a sentence uses for every
// enumerated value, with the plural and definite plural of organisation
// kinds, so no sentence is left with a code or a wrongly inflected word.
func TestEveryTermHasItsWords(t *testing.T) {
	b := MustLoad()
	var terms []arena.Term
	for _, k := range arena.OrgKinds {
		terms = append(terms, k.Term(), k.Term().In(arena.Plural), k.Term().In(arena.DefinitePlural))
	}
	for _, r := range arena.MemberRoles {
		terms = append(terms, r.Term(), r.Term().In(arena.Plural))
	}
	for _, s := range arena.ProcurementStages {
		terms = append(terms, s.Term())
	}
	for _, s := range arena.MemberStatuses {
		terms = append(terms, s.Term())
	}
	for _, k := range arena.NetworkKinds {
		terms = append(terms, k.Term())
	}
	for _, k := range arena.DeliverableKinds {
		terms = append(terms, k.Term())
	}
	for _, i := range arena.Intents {
		terms = append(terms, i.Term())
	}
	for _, lang := range Languages {
		c := b.For(lang)
		for _, tm := range terms {
			if !c.Has("term." + tm.String()) {
				t.Errorf("%s.json has no word for %s", lang, tm)
			}
		}
	}
	for _, lang := range Languages {
		c := b.For(lang)
		for _, alert := range arena.AlertKinds {
			if !c.Has("alert_text." + alert) {
				t.Errorf("%s.json has no text for the alert %s", lang, alert)
			}
		}
		// The keys the code builds: a CPV relation by its level, with and
		// without the labels.
		for _, level := range []string{"code", "category", "class", "group", "division"} {
			for _, key := range []string{"reason.cpv." + level, "reason.cpv." + level + ".labelled"} {
				if !c.Has(key) {
					t.Errorf("%s.json has no text for %s", lang, key)
				}
			}
		}
	}
}

// TestRender checks how facts are worded.
func TestRender(t *testing.T) {
	b := MustLoad()
	sv, en := b.For("sv"), b.For("en")
	d := arena.NewDate(2026, time.November, 27)
	for _, c := range []struct{ got, want string }{
		{sv.Fact(d), "27 november 2026"},
		{en.Fact(&d), "27 November 2026"},
		{sv.Fact(arena.Amount(1234567)), "1\u00a0234\u00a0567\u00a0kr"},
		{en.Fact(arena.Amount(1234567)), "SEK\u00a01,234,567"},
		{sv.Fact(2026), "2026"},
		{sv.Fact(arena.MonthOf(d)), "november 2026"},
		{en.Fact(arena.Month{Year: 2027, Month: time.March}), "March 2027"},
		{sv.Fact(12000), "12\u00a0000"},
		{sv.Fact(arena.OrgKommunalforbund.Term().In(arena.Plural)), "kommunalförbund"},
		{sv.Fact(arena.OrgCompany.Term().In(arena.Plural)), "företag"},
		{sv.Fact(arena.OrgAgency.Term().In(arena.DefinitePlural)), "de statliga myndigheterna"},
		{sv.Fact(arena.OrgKommun), "kommun"},
		{sv.Fact(arena.Names{"Falu kommun", "VA Syd", "Mölndals stad"}), "Falu kommun, VA Syd och Mölndals stad"},
		{en.Fact(arena.Names{"Falun", "Mölndal"}), "Falun and Mölndal"},
		{sv.Fact(arena.Terms{arena.OrgCompany.Term(), arena.OrgAcademia.Term()}), "företag och lärosäte eller institut"},
		{sv.Msg(arena.M("err.too_long", arena.F{"max": 200})), "Texten får vara högst 200 tecken."},
		{sv.Msg(arena.M("alert_text.call_deadline", arena.F{"call": "Checkar", "date": d, "days": 1, "n": 1})), "Utlysningen ”Checkar” stänger 27 november 2026, om 1 dag."},
		{sv.Msg(arena.M("alert_text.call_deadline", arena.F{"call": "Checkar", "date": d, "days": 3, "n": 3})), "Utlysningen ”Checkar” stänger 27 november 2026, om 3 dagar."},
		{en.Error(arena.NotFound("need")), "We cannot find the need: it does not exist, or you may not see it."},
		{sv.Error(errPlain{}), sv.Msg(arena.M("err.internal"))},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if got := sv.Msg(arena.M("err.too_long")); !strings.Contains(got, "{max}") {
		t.Errorf("a missing fact must stay visible, got %q", got)
	}
	if got := sv.Msg(arena.M("no.such.key")); !strings.HasPrefix(got, MissingMark) {
		t.Errorf("a missing key must be marked, got %q", got)
	}
}

type errPlain struct{}

func (errPlain) Error() string { return "database exploded at 10.0.0.3" }

// TestFill checks that the API's messages get both texts, wherever they sit.
func TestFill(t *testing.T) {
	b := MustLoad()
	type item struct {
		Reasons []struct{ arena.Msg }
	}
	v := struct {
		Items []item
		One   *arena.Msg
	}{Items: []item{{Reasons: []struct{ arena.Msg }{{arena.M("class.sub_group")}}}}, One: &arena.Msg{Key: "err.required"}}
	out := b.Filled(v).(*struct {
		Items []item
		One   *arena.Msg
	})
	if got := out.Items[0].Reasons[0].Text; got == nil || !strings.Contains(got.SV, "undergrupp") || !strings.Contains(got.EN, "sub-group") {
		t.Errorf("nested message not filled: %+v", got)
	}
	if out.One.Text == nil || out.One.Text.SV != "Fältet måste fyllas i." {
		t.Errorf("message behind a pointer not filled: %+v", out.One.Text)
	}
}

// tree is a recursive type: Fill reaches its messages at any depth.
type tree struct {
	Name     string
	Msg      *arena.Msg
	Children []tree
	Any      any
}

// TestFillPlan checks that the walk, which skips the fields of a type that
// cannot hold a message, still reaches those that can: through recursive
// types and interfaces, and leaves types without one alone.
func TestFillPlan(t *testing.T) {
	b := MustLoad()
	v := &tree{Children: []tree{{Children: []tree{{Msg: &arena.Msg{Key: "err.required"}}}}},
		Any: &struct{ M arena.Msg }{arena.M("err.required")}}
	b.Fill(v)
	if got := v.Children[0].Children[0].Msg.Text; got == nil || got.SV != "Fältet måste fyllas i." {
		t.Errorf("message in a recursive type not filled: %+v", got)
	}
	if got := v.Any.(*struct{ M arena.Msg }).M.Text; got == nil || got.EN == "" {
		t.Errorf("message behind an interface not filled: %+v", got)
	}
	type plain struct {
		ID    int64
		Codes []string
		When  time.Time
	}
	if mayHoldMsg(reflect.TypeFor[[]*plain]()) {
		t.Error("a type without a message is walked")
	}
	if !mayHoldMsg(reflect.TypeFor[tree]()) || !mayHoldMsg(reflect.TypeFor[[]any]()) {
		t.Error("a type that may hold a message is skipped")
	}
}

// TestGroupRounding: decimals are rounded before the whole part is
// written, and the smallest int64 has one sign (found by FuzzNumbers).
func TestGroupRounding(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want string
	}{{2.999, "3"}, {2.995, "3"}, {0.994, "0,99"}, {-0.001, "0"}, {-1.5, "−1,5"}, {1234567.899, "1 234 567,9"}, {999.996, "1 000"}} {
		if got := GroupFloat(c.x, " ", ","); got != c.want {
			t.Errorf("GroupFloat(%v) = %q, want %q", c.x, got, c.want)
		}
	}
	if got := GroupInt(math.MinInt64, " "); got != "−9 223 372 036 854 775 808" {
		t.Errorf("GroupInt(MinInt64) = %q", got)
	}
}
