package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/store"
)

// noMissing fails when a page shows a message key without text.
func noMissing(t *testing.T, path string, r *resp) {
	t.Helper()
	if i := strings.Index(r.Body, "⟦"); i >= 0 {
		t.Errorf("%s shows a missing message: %s", path, r.Body[i:min(len(r.Body), i+80)])
	}
}

var (
	idAttr      = regexp.MustCompile(`\sid="([^"]+)"`)
	forAttr     = regexp.MustCompile(`\sfor="([^"]+)"`)
	controlTag  = regexp.MustCompile(`<(input|select|textarea)\b[^>]*>`)
	typeAttr    = regexp.MustCompile(`\stype="([^"]+)"`)
	headingTag  = regexp.MustCompile(`<h([1-6])\b`)
	describedBy = regexp.MustCompile(`aria-describedby="([^"]+)"`)
	langAttr    = regexp.MustCompile(`<html lang="([a-z]+)">`)
)

// checkPage checks the habits every page keeps: the language, a title, one
// h1, headings in order, the skip link and landmarks, unique ids, a label
// for every control and described-by ids that exist.
func checkPage(t *testing.T, path, lang string, r *resp) {
	t.Helper()
	b := r.Body
	if m := langAttr.FindStringSubmatch(b); m == nil || m[1] != lang {
		t.Errorf("%s: want lang=%q, got %v", path, lang, m)
	}
	if !strings.Contains(b, "<title>") || strings.Contains(b, "<title> – Arena</title>") {
		t.Errorf("%s: no title", path)
	}
	if n := strings.Count(b, "<h1"); n != 1 {
		t.Errorf("%s: %d h1 elements", path, n)
	}
	last := 0
	for _, m := range headingTag.FindAllStringSubmatch(b, -1) {
		lvl, _ := strconv.Atoi(m[1])
		if lvl > last+1 {
			t.Errorf("%s: heading h%d follows h%d", path, lvl, last)
		}
		last = lvl
	}
	for _, want := range []string{`href="#main"`, `<main id="main"`, "<header", "<nav", "<footer"} {
		if !strings.Contains(b, want) {
			t.Errorf("%s: lacks %s", path, want)
		}
	}
	ids := map[string]bool{}
	for _, m := range idAttr.FindAllStringSubmatch(b, -1) {
		if ids[m[1]] {
			t.Errorf("%s: duplicate id %q", path, m[1])
		}
		ids[m[1]] = true
	}
	labelled := map[string]bool{}
	for _, m := range forAttr.FindAllStringSubmatch(b, -1) {
		labelled[m[1]] = true
	}
	for _, tag := range controlTag.FindAllString(b, -1) {
		if ty := typeAttr.FindStringSubmatch(tag); ty != nil && (ty[1] == "hidden" || ty[1] == "submit") {
			continue
		}
		id := idAttr.FindStringSubmatch(tag)
		if id == nil || !labelled[id[1]] {
			t.Errorf("%s: control without a label: %s", path, tag)
		}
	}
	for _, m := range describedBy.FindAllStringSubmatch(b, -1) {
		for _, id := range strings.Fields(m[1]) {
			if !ids[id] {
				t.Errorf("%s: aria-describedby names missing id %q", path, id)
			}
		}
	}
	noMissing(t, path, r)
}

// TestPages renders every page for each kind of user, in Swedish and in
// English, and checks the status and the page's habits.
func TestPages(t *testing.T) {
	for _, lang := range []string{"sv", "en"} {
		t.Run(lang, func(t *testing.T) { testPages(t, lang) })
	}
}

func testPages(t *testing.T, lang string) {
	e := newEnv(t)
	ctx := arena.WithActor(context.Background(), arena.SystemActor())
	falun := e.needID("Trygghetslarm med digital larmkedja")
	var draft int64
	if err := e.db.InTx(ctx, func(tx *store.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	anna := e.client()
	anna.signIn("anna@falun.demo")
	for _, n := range mustList(t, anna.get("/behov").Body, `href="/behov/(\d+)">Utkast`) {
		draft = n
	}
	if draft == 0 {
		t.Fatal("Anna's draft is not on her list of needs")
	}
	nets, _ := e.db.Networks.List(ctx, store.ListQuery{Filters: map[string]string{"q": "Belok"}})
	belok := nets.Items[0].ID
	calls, _ := e.db.Calls.List(ctx, store.ListQuery{Limit: 1})
	projects, _ := e.db.Projects.List(ctx, store.ListQuery{Limit: 1})
	orgs, _ := e.db.Organizations.List(ctx, store.ListQuery{Limit: 1})
	call, project, org := calls.Items[0].ID, projects.Items[0].ID, orgs.Items[0].ID

	clients := map[string]*client{"anon": e.client(), "anna": anna, "erik": e.client(), "broker": e.client(), "funder": e.client()}
	clients["erik"].signIn("erik@molndal.demo")
	clients["broker"].signIn("maklare@arena.demo")
	clients["funder"].signIn("handlaggare@vinnova.demo")
	if lang != "sv" {
		for _, c := range clients {
			if r := c.get("/sprak/" + lang + "?tillbaka=/"); r.Status != http.StatusSeeOther {
				t.Fatalf("language switch: %d", r.Status)
			}
		}
	}

	s := strconv.FormatInt
	all := func(status int) map[string]int {
		return map[string]int{"anon": status, "anna": status, "erik": status, "broker": status, "funder": status}
	}
	signedIn := func(status int) map[string]int {
		return map[string]int{"anon": http.StatusSeeOther, "anna": status, "erik": status, "broker": status, "funder": status}
	}
	pages := []struct {
		path string
		want map[string]int
	}{
		{"/", all(200)},
		{"/logga-in", map[string]int{"anon": 200, "anna": 303}},
		{"/behov", all(200)},
		{"/behov?q=larm&avsikt=plan", all(200)},
		{"/behov/nytt", signedIn(200)},
		{"/behov/" + s(falun, 10), all(200)},
		{"/behov/" + s(draft, 10), map[string]int{"anon": 404, "anna": 200, "erik": 404, "broker": 404}},
		{"/behov/" + s(falun, 10) + "/andra", map[string]int{"anon": 303, "anna": 200, "erik": 403, "broker": 403}},
		{"/behov/999999", all(404)},
		{"/behov/abc", all(404)},
		{"/natverk", all(200)},
		{"/natverk?slag=strategic&status=active&q=e", all(200)},
		{"/natverk/" + s(belok, 10), all(200)},
		{"/natverk/" + s(belok, 10) + "/medlemmar", all(200)},
		{"/natverk/" + s(belok, 10) + "/plan", all(200)},
		{"/natverk/" + s(belok, 10) + "/leveranser", all(200)},
		{"/natverk/" + s(belok, 10) + "/uppfoljning", all(200)},
		{"/natverk/" + s(belok, 10) + "/klassning", all(200)},
		{"/natverk/" + s(belok, 10) + "/varningar", all(200)},
		{"/natverk/" + s(belok, 10) + "/okand", all(404)},
		{"/natverk/999999", all(404)},
		{"/utlysningar", all(200)},
		{"/utlysningar/" + s(call, 10), all(200)},
		{"/utlysningar/999999", all(404)},
		{"/projekt", all(200)},
		{"/projekt?q=upphandling&kategori=research&forfarande=pcp&fas=ongoing&finansiar=1", all(200)},
		{"/projekt/" + s(project, 10), all(200)},
		{"/experter", all(200)},
		{"/experter?q=lund&slag=research_environment", all(200)},
		{"/organisationer", all(200)},
		{"/organisationer?q=kommun&slag=kommun", all(200)},
		{"/organisationer/" + s(org, 10), all(200)},
		{"/maklare", map[string]int{"anon": 303, "anna": 403, "erik": 403, "broker": 200, "funder": 403}},
		{"/finns-inte", all(404)},
	}
	for _, pg := range pages {
		for who, status := range pg.want {
			r := clients[who].get(pg.path)
			if r.Status != status {
				t.Errorf("%s as %s: status %d, want %d", pg.path, who, r.Status, status)
				continue
			}
			if status == http.StatusSeeOther {
				if !strings.HasPrefix(r.Location, "/") {
					t.Errorf("%s as %s: redirect to %q", pg.path, who, r.Location)
				}
				continue
			}
			checkPage(t, pg.path+" as "+who, lang, r)
		}
	}
	css := clients["anon"].get("/static/arena.css")
	if css.Status != 200 || !strings.HasPrefix(css.Header.Get("Content-Type"), "text/css") {
		t.Errorf("stylesheet: %d %s", css.Status, css.Header.Get("Content-Type"))
	}
}

func mustList(t *testing.T, body, pattern string) []int64 {
	t.Helper()
	var out []int64
	for _, m := range regexp.MustCompile(pattern).FindAllStringSubmatch(body, -1) {
		n, _ := strconv.ParseInt(m[1], 10, 64)
		out = append(out, n)
	}
	return out
}
