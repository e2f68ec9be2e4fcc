package web_test

import (
	"html"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/i18n"
)

// englishFragments are the fixed parts of every English text that differs
// from its Swedish text: the words a Swedish page must never show. Short
// fragments (a word or two, codes, names) are left out: they are shared by
// the languages ("Region", "RFI").
func englishFragments() []string {
	b := i18n.MustLoad()
	sv, en := b.Keys("sv"), b.Keys("en")
	split := regexp.MustCompile(`\{[a-z_]+\}|%[sdv]`)
	seen := map[string]bool{}
	var out []string
	for k, e := range en {
		if sv[k] == e {
			continue
		}
		for _, part := range split.Split(e, -1) {
			part = strings.TrimSpace(strings.Trim(part, " .,:;()“”\"–-"))
			if len(part) < 16 || seen[part] || strings.Contains(sv[k], part) {
				continue
			}
			seen[part] = true
			out = append(out, part)
		}
	}
	slices.Sort(out)
	return out
}

// wronglyInflected are organisation kinds given the plural ending -er where
// Swedish inflects otherwise, as a sentence pasting "er" onto a kind's name
// once wrote on call pages ("företager", "statlig myndigheter").
func wronglyInflected() []string {
	b := i18n.MustLoad().For("sv")
	var out []string
	for _, k := range arena.OrgKinds {
		one, many := b.Term(k.Term()), b.Term(k.Term().In(arena.Plural))
		if bad := one + "er"; bad != many {
			out = append(out, bad)
		}
	}
	return out
}

var (
	tags  = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]*>`)
	hrefs = regexp.MustCompile(`href="(/[^"#]*)`)
)

// visibleText is a page's text without its markup.
func visibleText(body string) string {
	return html.UnescapeString(tags.ReplaceAllString(body, " "))
}

// TestSwedishPagesHaveNoEnglish walks every page a visitor, a buyer, a
// plain member, a broker and a funder officer can reach by links, in
// Swedish, and some refused forms, and fails on any English message, any
// missing message and any wrongly inflected organisation kind.
func TestSwedishPagesHaveNoEnglish(t *testing.T) {
	e := newEnv(t)
	english := englishFragments()
	if len(english) < 200 {
		t.Fatalf("only %d English fragments; is the catalogue read?", len(english))
	}
	bad := wronglyInflected()
	if !slices.Contains(bad, "företager") || !slices.Contains(bad, "statlig myndigheter") || slices.Contains(bad, "kommuner") {
		t.Fatalf("the inflection list is wrong: %v", bad)
	}
	check := func(who, path string, r *resp) {
		t.Helper()
		text := visibleText(r.Body)
		if strings.Contains(text, i18n.MissingMark) {
			i := strings.Index(text, i18n.MissingMark)
			t.Errorf("%s %s: a missing message: %q", who, path, text[i:min(len(text), i+60)])
		}
		for _, f := range english {
			if strings.Contains(text, f) {
				t.Errorf("%s %s: English on a Swedish page: %q", who, path, f)
			}
		}
		for _, f := range bad {
			if strings.Contains(text, f) {
				t.Errorf("%s %s: wrongly inflected %q", who, path, f)
			}
		}
	}
	pages := 0
	for _, who := range []string{"", "anna@falun.demo", "sara@orebro.demo", "maklare@arena.demo", "handlaggare@vinnova.demo"} {
		c := e.client()
		if who != "" {
			c.signIn(who)
		}
		queue := []string{"/", "/behov", "/natverk", "/utlysningar", "/projekt", "/experter", "/organisationer", "/maklare", "/behov/nytt", "/logga-in"}
		seen := map[string]bool{}
		for len(queue) > 0 && len(seen) < 400 {
			path := queue[0]
			queue = queue[1:]
			if seen[path] || strings.HasPrefix(path, "/sprak/") || strings.HasPrefix(path, "/static/") {
				continue
			}
			seen[path] = true
			r := c.get(path)
			if r.Status >= 300 && r.Status < 400 {
				continue
			}
			pages++
			check(who, path, r)
			for _, m := range hrefs.FindAllStringSubmatch(r.Body, -1) {
				u, err := url.Parse(html.UnescapeString(m[1]))
				if err == nil && !seen[u.RequestURI()] {
					queue = append(queue, u.RequestURI())
				}
			}
		}
		if len(seen) < 25 {
			t.Errorf("%s reached only %d pages", who, len(seen))
		}
	}
	// Refused forms show the domain's messages, in Swedish.
	anna := e.client()
	anna.signIn("anna@falun.demo")
	tok := anna.token()
	for _, f := range []url.Values{
		{"csrf": {tok}, "title": {""}, "cpv_codes": {"3319"}},
		{"csrf": {tok}, "title": {"Sensorer"}, "cpv_codes": {"12345678"}, "volume_unit": {"st"}},
		{"csrf": {tok}, "title": {"Sensorer"}, "intent": {"kanske"}, "visibility": {"alla"}},
		{"csrf": {tok}, "title": {strings.Repeat("lång ", 50)}},
	} {
		r := anna.post("/behov", f)
		pages++
		check("anna", "POST /behov", r)
	}
	t.Logf("%d Swedish pages checked against %d English fragments", pages, len(english))
}
