package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/store"
)

// needForm is a filled-in need form.
func needForm(token string) url.Values {
	return url.Values{
		"csrf": {token}, "action": {"save"},
		"title":               {"Gatubelysning med LED och närvarostyrning"},
		"description":         {"Vi vill sänka energianvändningen för gatubelysningen med belysning som dimras när ingen rör sig."},
		"cpv_codes":           {"34928500-3"},
		"sector":              {"energi"},
		"estimated_value_sek": {"2 500 000"},
		"volume":              {"1 800"},
		"volume_unit":         {"armaturer"},
		"planned_date":        {"2027-04-15"},
		"intent":              {"plan"},
		"visibility":          {"public"},
	}
}

// TestNeedFormKeepsInputAndShowsErrors: a failed submit shows each
// Swedish error next to its field, linked with aria-describedby, and
// keeps everything the user typed.
func TestNeedFormKeepsInputAndShowsErrors(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.signIn("anna@falun.demo")
	form := c.get("/behov/nytt")
	if form.Status != http.StatusOK {
		t.Fatal(form.Status)
	}
	f := needForm(csrf(t, form.Body))
	f.Set("title", "")
	f.Set("estimated_value_sek", "fyra miljoner")
	f.Set("planned_date", "15/4 2027")
	f.Set("description", "Text som <inte> får försvinna & ska stå kvar")
	r := c.post("/behov", f)
	if r.Status != http.StatusBadRequest {
		t.Fatalf("status %d", r.Status)
	}
	checkPage(t, "failed need form", "sv", r)
	for field, msg := range map[string]string{
		"title":               "Skriv en rubrik för behovet.",
		"estimated_value_sek": "Skriv beloppet i hela kronor",
		"planned_date":        "Skriv datumet som ÅÅÅÅ-MM-DD",
	} {
		errP := regexp.MustCompile(`<p class="field-error" id="` + field + `-error">.*?</p>`).FindString(r.Body)
		if !strings.Contains(errP, msg) {
			t.Errorf("%s: error %q not next to the field: %q", field, msg, errP)
		}
		input := regexp.MustCompile(`<(input|textarea) id="` + field + `"[^>]*>`).FindString(r.Body)
		if !strings.Contains(input, `aria-describedby="`+field+`-hint `+field+`-error"`) || !strings.Contains(input, `aria-invalid="true"`) {
			t.Errorf("%s: input not linked to its error: %s", field, input)
		}
		if !strings.Contains(r.Body, `href="#`+field+`"`) {
			t.Errorf("%s: not in the error summary", field)
		}
	}
	for _, kept := range []string{`value="fyra miljoner"`, `value="15/4 2027"`, "Text som &lt;inte&gt; får försvinna &amp; ska stå kvar", `value="34928500-3"`, `value="armaturer"`, `value="1 800"`, `<option value="plan" selected>`} {
		if !strings.Contains(r.Body, kept) {
			t.Errorf("the form lost %s", kept)
		}
	}
	if !strings.Contains(r.Body, "<title>Fel: ") {
		t.Errorf("the title does not say the form has errors")
	}

	// A rule of the domain (here: a unit without a volume) comes back
	// translated, next to its field.
	f = needForm(csrf(t, form.Body))
	f.Set("volume", "")
	r = c.post("/behov", f)
	if r.Status != http.StatusBadRequest || !strings.Contains(regexp.MustCompile(`id="volume-error">.*?</p>`).FindString(r.Body), "Ange en volym när du anger en enhet.") {
		t.Errorf("domain error not next to the volume: %d %s", r.Status, excerpt(r.Body))
	}
	if reference(t) != nil {
		f = needForm(csrf(t, form.Body))
		f.Set("cpv_codes", "34928500-3, 12345678")
		r = c.post("/behov", f)
		if r.Status != http.StatusBadRequest || !strings.Contains(regexp.MustCompile(`id="cpv_codes-error">.*?</p>`).FindString(r.Body), "12345678 finns inte i CPV 2008") {
			t.Errorf("unknown CPV code not next to the field: %d %s", r.Status, excerpt(r.Body))
		}
	}
}

// TestNeedCreateAndEdit posts a need, finds it on its page with matches,
// and edits it; a stale edit shows a clear message and keeps the input.
func TestNeedCreateAndEdit(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.signIn("anna@falun.demo")
	f := needForm(c.token())
	f.Set("title", "Larm för trygghet i hemtjänsten med digital larmkedja")
	f.Set("description", "Trygghetslarm för äldre i ordinärt boende med digital larmmottagning dygnet runt.")
	r := c.post("/behov", f)
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/behov/") {
		t.Fatalf("create: %d %s", r.Status, excerpt(r.Body))
	}
	path := strings.SplitN(r.Location, "?", 2)[0]
	page := c.follow(r)
	for _, want := range []string{"Larm för trygghet i hemtjänsten", "2\u00a0500\u00a0000\u00a0kr", "15 april 2027", "1\u00a0800 armaturer", "Mölndals stad", "Behovet är publicerat."} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("need page lacks %q", want)
		}
	}

	edit := c.get(path + "/andra")
	if edit.Status != http.StatusOK || !strings.Contains(edit.Body, `name="version" value="1"`) {
		t.Fatalf("edit form: %d", edit.Status)
	}
	// Someone else changes the need meanwhile.
	id := mustList(t, path, `/behov/(\d+)`)[0]
	a, _ := e.db.ActorFor(context.Background(), 1)
	ctx := arena.WithActor(context.Background(), a)
	n, err := e.db.Needs.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	n.Title = "Ändrad av en kollega"
	if err := e.db.Needs.Update(ctx, n, n.Version); err != nil {
		t.Fatal(err)
	}
	f = needForm(csrf(t, edit.Body))
	f.Set("version", "1")
	f.Set("title", "Min egen rubrik")
	r = c.post(path, f)
	if r.Status != http.StatusPreconditionFailed {
		t.Fatalf("stale edit: %d", r.Status)
	}
	for _, want := range []string{"har ändrats av någon annan", `value="Min egen rubrik"`, "Ändrad av en kollega", `name="version" value="2"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("stale edit page lacks %q", want)
		}
	}
	// Saving again overwrites on purpose.
	r = c.post(path, with(f, "version", "2"))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("second save: %d %s", r.Status, excerpt(r.Body))
	}
	if page := c.follow(r); !strings.Contains(page.Body, "Min egen rubrik") || !strings.Contains(page.Body, "Ändringarna är sparade.") {
		t.Errorf("the edit was not saved")
	}
	// Another organisation may not edit it.
	erik := e.client()
	erik.signIn("erik@molndal.demo")
	if r := erik.post(path, needForm(erik.token())); r.Status != http.StatusForbidden {
		t.Errorf("Erik editing Anna's need: %d", r.Status)
	}
}

// with returns a copy of f with key set to value.
func with(f url.Values, key, value string) url.Values {
	out := url.Values{}
	for k, v := range f {
		out[k] = append([]string(nil), v...)
	}
	out.Set(key, value)
	return out
}

// TestCPVSuggestionsWithoutJavaScript: the suggest button re-renders the
// form with suggestions and everything typed; a ticked suggestion is
// saved with the need.
func TestCPVSuggestionsWithoutJavaScript(t *testing.T) {
	if reference(t) == nil {
		t.Skip("CPV list not found; set ARENA_TEST_DATA_DIR")
	}
	e := newEnv(t)
	c := e.client()
	c.signIn("anna@falun.demo")
	f := needForm(c.token())
	f.Set("action", "suggest")
	f.Set("cpv_codes", "")
	f.Set("title", "Sopbilar som drivs med biogas")
	f.Set("description", "Nya sopbilar för hushållsavfall som drivs med biogas.")
	r := c.post("/behov", f)
	if r.Status != http.StatusOK {
		t.Fatalf("suggest: %d", r.Status)
	}
	checkPage(t, "suggestions", "sv", r)
	m := regexp.MustCompile(`name="cpv_pick" value="([0-9-]+)"`).FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no suggestions: %s", excerpt(r.Body))
	}
	if !strings.Contains(r.Body, `value="Sopbilar som drivs med biogas"`) || !strings.Contains(r.Body, `value="armaturer"`) || strings.Contains(r.Body, "field-error") {
		t.Errorf("suggesting lost input or showed errors")
	}
	f.Set("action", "save")
	f.Add("cpv_pick", m[1])
	r = c.post("/behov", f)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save with a picked code: %d %s", r.Status, excerpt(r.Body))
	}
	if page := c.follow(r); !strings.Contains(page.Body, m[1]) {
		t.Errorf("the picked code %s is not on the need's page", m[1])
	}
}

// TestCSRFRefused: every state-changing form is refused without its token.
func TestCSRFRefused(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	// The sign-in form needs the token of its double-submit cookie.
	c.get("/logga-in")
	r := c.post("/logga-in", url.Values{"email": {"anna@falun.demo"}, "password": {"demo-arena-2026"}, "csrf": {"forged"}})
	if r.Status != http.StatusForbidden || strings.Contains(r.Header.Get("Set-Cookie"), "arena_session=") {
		t.Errorf("sign-in with a forged token: %d", r.Status)
	}
	other := e.client()
	r = other.post("/logga-in", url.Values{"email": {"anna@falun.demo"}, "password": {"demo-arena-2026"}})
	if r.Status != http.StatusForbidden {
		t.Errorf("sign-in without the cookie: %d", r.Status)
	}
	c.signIn("anna@falun.demo")
	falun := e.needID("Trygghetslarm med digital larmkedja")
	before, _ := e.db.CountNeeds(context.Background())
	for _, p := range []string{"/behov", "/behov/" + idStr(falun), "/behov/" + idStr(falun) + "/natverk", "/logga-ut", "/natverksmedlemmar/1/accept", "/medlemsupphandlingar/1/steg", "/maklare/natverk"} {
		for _, token := range []string{"", "wrong"} {
			f := needForm(token)
			f.Set("need", "2")
			if r := c.post(p, f); r.Status != http.StatusForbidden {
				t.Errorf("POST %s with token %q: %d", p, token, r.Status)
			}
		}
	}
	if after, _ := e.db.CountNeeds(context.Background()); after != before {
		t.Errorf("a refused form wrote a need")
	}
	if r := c.get("/"); !strings.Contains(r.Body, `id="sign-out"`) {
		t.Errorf("the refused sign-out signed out")
	}
	// Without a session a form sends the visitor to sign in.
	if r := e.client().post("/behov", needForm("x")); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/logga-in") {
		t.Errorf("anonymous post: %d %s", r.Status, r.Location)
	}
}

// TestSignInAndOut covers the sign-in form's errors and signing out.
func TestSignInAndOut(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	page := c.get("/logga-in?tillbaka=%2Fbehov")
	checkPage(t, "/logga-in", "sv", page)
	tok := csrf(t, page.Body)
	r := c.post("/logga-in", url.Values{"csrf": {tok}, "email": {"anna@falun.demo"}, "password": {"fel"}, "tillbaka": {"/behov"}})
	if r.Status != http.StatusUnauthorized || !strings.Contains(r.Body, "Fel e-postadress eller lösenord.") || !strings.Contains(r.Body, `value="anna@falun.demo"`) || strings.Contains(r.Body, `value="fel"`) {
		t.Errorf("wrong password: %d %s", r.Status, excerpt(r.Body))
	}
	r = c.post("/logga-in", url.Values{"csrf": {tok}, "email": {""}, "password": {""}})
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, `id="email-error"`) || !strings.Contains(r.Body, `id="password-error"`) {
		t.Errorf("empty form: %d", r.Status)
	}
	r = c.post("/logga-in", url.Values{"csrf": {tok}, "email": {"Anna@Falun.demo "}, "password": {"demo-arena-2026"}, "tillbaka": {"/behov"}})
	if r.Status != http.StatusSeeOther || r.Location != "/behov" {
		t.Fatalf("sign in: %d %q", r.Status, r.Location)
	}
	home := c.get("/")
	if !strings.Contains(home.Body, "Anna Lindqvist") {
		t.Fatalf("not signed in")
	}
	r = c.post("/logga-ut", url.Values{"csrf": {csrf(t, home.Body)}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("sign out: %d", r.Status)
	}
	if home := c.follow(r); strings.Contains(home.Body, "Anna Lindqvist") || !strings.Contains(home.Body, "Du är utloggad.") {
		t.Errorf("still signed in after signing out")
	}
}

// TestNeedListPages: the others' needs are listed a page at a time,
// newest first; "Äldre behov" leads to the next page and "Nyaste behov"
// back, every need once, the search kept; a bad page number is the first.
func TestNeedListPages(t *testing.T) {
	e := newEnv(t)
	ctx := arena.WithActor(context.Background(), arena.SystemActor())
	molndal := e.orgID("Mölndals stad")
	for i := range 70 {
		n := &arena.Need{OrgID: molndal, Title: "Sidbehov nummer " + strconvItoa(int64(i)), Description: "Ett behov för att bläddra.",
			Intent: arena.IntentPlan, Visibility: arena.VisibilityPublic}
		if err := e.db.Needs.Create(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	c := e.client()
	c.signIn("anna@falun.demo")
	row := regexp.MustCompile(`<th scope="row"><a href="/behov/(\d+)">Sidbehov nummer (\d+)</a>`)
	older := regexp.MustCompile(`<a href="([^"]+)" rel="next">Äldre behov</a>`)
	seen := map[string]bool{}
	r := c.get("/behov?q=Sidbehov")
	checkPage(t, "/behov?q=Sidbehov", "sv", r)
	first := row.FindAllStringSubmatch(r.Body, -1)
	if len(first) != 50 || first[0][2] != "69" {
		t.Fatalf("first page: %d needs, first %v", len(first), first[:min(1, len(first))])
	}
	m := older.FindStringSubmatch(r.Body)
	if m == nil || strings.Contains(r.Body, `rel="first"`) {
		t.Fatal("the first page has no link to older needs, or one to the newest")
	}
	next := c.get(strings.ReplaceAll(m[1], "&amp;", "&"))
	checkPage(t, "the second page", "sv", next)
	second := row.FindAllStringSubmatch(next.Body, -1)
	if len(second) != 20 || older.MatchString(next.Body) || !strings.Contains(next.Body, `rel="first">Nyaste behov</a>`) {
		t.Fatalf("second page: %d needs, older link %v", len(second), older.MatchString(next.Body))
	}
	if !strings.Contains(m[1], "q=Sidbehov") {
		t.Errorf("the older link %q drops the search", m[1])
	}
	for _, x := range append(first, second...) {
		if seen[x[2]] {
			t.Fatalf("need %s listed twice", x[2])
		}
		seen[x[2]] = true
	}
	if len(seen) != 70 {
		t.Fatalf("%d of 70 needs listed", len(seen))
	}
	for _, bad := range []string{"abc", "-5", "99999999999999999999"} {
		if got := row.FindAllStringSubmatch(c.get("/behov?q=Sidbehov&fore="+bad).Body, -1); len(got) != 50 || got[0][2] != "69" {
			t.Errorf("fore=%s: %d needs, not the first page", bad, len(got))
		}
	}
}

// TestNoSimilarNeedsYet: a need alike to no other says so instead of
// listing noise; Falun's trygghetslarm lists Mölndal's, very alike, and
// not the fire-hydrant sensors that share only "larm".
func TestNoSimilarNeedsYet(t *testing.T) {
	e := newEnv(t)
	anon := e.client()
	page := anon.get("/behov/" + idStr(e.needID("Automatiserad hantering av prover i biobank")))
	if page.Status != http.StatusOK || !strings.Contains(page.Body, `id="no-similar-needs"`) || !strings.Contains(page.Body, "Inga liknande behov ännu") {
		t.Fatalf("the biobank need: %d %s", page.Status, excerpt(page.Body))
	}
	page = anon.get("/behov/" + idStr(e.needID("Trygghetslarm med digital larmkedja för hemtjänsten")))
	if !strings.Contains(page.Body, "Digitala larm för trygghet i hemmet") || !strings.Contains(page.Body, "mycket lika") ||
		strings.Contains(page.Body, "Sensorer på brandposter") || strings.Contains(page.Body, `id="no-similar-needs"`) {
		t.Errorf("Falun's need: %s", excerpt(page.Body))
	}
}

// TestOwnNeedsAreBounded: an organisation with a whole plan of needs gets
// pages of bounded size: the needs page shows its 20 newest above the
// others' and links to them all, listed a page at a time without the
// others'; the start page shows its 10 most recently changed and links
// to them all.
func TestOwnNeedsAreBounded(t *testing.T) {
	e := newEnv(t)
	ctx := arena.WithActor(context.Background(), arena.SystemActor())
	falun, molndal := e.orgID("Falu kommun"), e.orgID("Mölndals stad")
	for i := range 70 {
		n := &arena.Need{OrgID: falun, Title: "Planbehov nummer " + strconvItoa(int64(i)), Description: "Ett behov ur planen.",
			Intent: arena.IntentPlan, Visibility: arena.VisibilityPublic}
		if err := e.db.Needs.Create(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		n := &arena.Need{OrgID: molndal, Title: "Grannbehov nummer " + strconvItoa(int64(i)), Description: "Ett behov hos grannen.",
			Intent: arena.IntentPlan, Visibility: arena.VisibilityPublic}
		if err := e.db.Needs.Create(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	c := e.client()
	c.signIn("anna@falun.demo")
	own := regexp.MustCompile(`<a href="/behov/\d+">Planbehov nummer (\d+)</a>`)
	others := regexp.MustCompile(`<a href="/behov/\d+">Grannbehov nummer (\d+)</a>`)
	r := c.get("/behov?q=nummer")
	checkPage(t, "/behov?q=nummer", "sv", r)
	if got := own.FindAllStringSubmatch(r.Body, -1); len(got) != 20 || got[0][1] != "69" || got[19][1] != "50" {
		t.Fatalf("own needs on the needs page: %d, want the newest 20 (69 … 50): %v", len(got), got)
	}
	if got := others.FindAllStringSubmatch(r.Body, -1); len(got) != 3 || !strings.Contains(r.Body, "3 behov") {
		t.Errorf("the others' needs: %d listed, want the 3 of Mölndal counted as 3", len(got))
	}
	all := regexp.MustCompile(`<a href="([^"]+)" id="mine-all">Visa alla 70 behov från min organisation</a>`).FindStringSubmatch(r.Body)
	if all == nil {
		t.Fatal("no link to all 70 own needs")
	}
	mine := c.get(strings.ReplaceAll(all[1], "&amp;", "&"))
	checkPage(t, all[1], "sv", mine)
	first := own.FindAllStringSubmatch(mine.Body, -1)
	if len(first) != 50 || first[0][1] != "69" || others.MatchString(mine.Body) || strings.Contains(mine.Body, `id="mine-all"`) {
		t.Fatalf("all own needs: %d on the first page (want 50, newest first, none of the others')", len(first))
	}
	if !strings.Contains(mine.Body, "70 behov") || !strings.Contains(mine.Body, `id="others-link"`) {
		t.Error("the list of own needs does not count them or link back to the others'")
	}
	if !strings.Contains(mine.Body, `<input type="hidden" name="egna" value="1">`) || strings.Contains(mine.Body, "Bevaka denna sökning") {
		t.Error("the list of own needs: its search leaves it, or it offers to watch one's own needs")
	}
	// Its download is of the own needs too.
	rows := csvRows(t, c.get("/behov?egna=1&q=nummer&format=csv").Body)
	if len(rows) != 71 {
		t.Errorf("the own needs' download: %d rows, want a header and 70", len(rows))
	}
	for _, row := range rows[1:] {
		if !strings.HasPrefix(row[1], "Planbehov") {
			t.Errorf("the own needs' download holds %q", row[1])
		}
	}
	m := regexp.MustCompile(`<a href="([^"]+)" rel="next">Äldre behov</a>`).FindStringSubmatch(mine.Body)
	if m == nil || !strings.Contains(m[1], "egna=1") {
		t.Fatalf("the older page of own needs: link %v", m)
	}
	if second := own.FindAllStringSubmatch(c.get(strings.ReplaceAll(m[1], "&amp;", "&")).Body, -1); len(second) != 20 || second[0][1] != "19" {
		t.Errorf("second page of own needs: %d, first %v", len(second), second[:min(1, len(second))])
	}

	home := c.get("/")
	checkPage(t, "/", "sv", home)
	section := home.Body[strings.Index(home.Body, `id="my-needs"`):strings.Index(home.Body, `id="new-matches"`)]
	if got := own.FindAllStringSubmatch(section, -1); len(got) != 10 {
		t.Errorf("the start page lists %d of Falun's needs, want 10", len(got))
	}
	anna := arena.WithActor(context.Background(), &arena.Actor{User: &arena.User{Meta: arena.Meta{ID: 1}},
		Orgs: []arena.OrgMembership{{OrgID: falun, Role: arena.OrgRoleMember, Status: arena.OrgMemberActive}}})
	total, err := store.Count(anna, e.db.Needs, map[string]string{"org_id": idStr(falun)})
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf(`<a href="/behov?egna=1">Visa alla %d behov</a>`, total); !strings.Contains(section, want) {
		t.Errorf("the start page lacks %s", want)
	}
}
