package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestRegisterFormsWithoutJavaScript: Omar, a funder officer, publishes a
// call: a date in words is refused at its field and nothing is written;
// the call is then published, with its eligible kinds and amounts, shown
// on its page and among the calls, and changed; an old version is
// refused. Anna, who keeps no register, gets no form. The broker
// registers an organisation (a wrong check digit refused at its field),
// and Anna changes her own organisation's website.
func TestRegisterFormsWithoutJavaScript(t *testing.T) {
	e := newEnv(t)
	omar := e.client()
	omar.signIn("handlaggare@vinnova.demo")
	list := omar.get("/utlysningar")
	if !strings.Contains(list.Body, `href="/utlysningar/ny"`) {
		t.Fatalf("no link to publish a call: %s", excerpt(list.Body))
	}
	form := omar.get("/utlysningar/ny")
	tok := csrf(t, form.Body)
	if !strings.Contains(form.Body, `id="eligible_org_kinds-0"`) || !strings.Contains(form.Body, "Vinnova") {
		t.Fatalf("the call form: %s", excerpt(form.Body))
	}
	funder := optionValue(t, form.Body, "funder_id", "Vinnova")
	call := url.Values{"csrf": {tok}, "funder_id": {funder}, "title": {"Innovationsupphandling av välfärdsteknik 2027"},
		"description":        {"Stöd till kommuner och regioner som upphandlar trygghetslarm och annan välfärdsteknik tillsammans."},
		"eligible_org_kinds": {"kommun", "region"}, "themes": {"välfärdsteknik\r\näldreomsorg"}, "opens_date": {"2027-01-15"},
		"closes_date": {"31 mars"}, "max_amount_sek": {"2 000 000"}, "co_funding_rate": {"50"}, "url": {"https://www.vinnova.se/"}}
	before := len(omar.get("/utlysningar").Body)
	r := omar.post("/utlysningar", call)
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, `id="closes_date-error"`) || !strings.Contains(r.Body, "2 000 000") {
		t.Fatalf("a date in words: %d %s", r.Status, excerpt(r.Body))
	}
	if after := len(omar.get("/utlysningar").Body); after != before {
		t.Errorf("a refused call changed the list")
	}
	call.Set("closes_date", "2027-03-31")
	r = omar.post("/utlysningar", call)
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/utlysningar/") {
		t.Fatalf("publish: %d %s", r.Status, excerpt(r.Body))
	}
	path := r.Location[:strings.Index(r.Location, "?")]
	page := strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(omar.get(path).Body)
	for _, want := range []string{"Innovationsupphandling av välfärdsteknik 2027", "Kommun", "Region", "2027-03-31", "2 000 000", "välfärdsteknik"} {
		if !strings.Contains(page, want) {
			t.Errorf("the call's page lacks %q", want)
		}
	}
	edit := omar.get(path + "/andra")
	if edit.Status != http.StatusOK || !strings.Contains(edit.Body, "välfärdsteknik\näldreomsorg") || !strings.Contains(edit.Body, `value="50"`) {
		t.Fatalf("the edit form: %d %s", edit.Status, excerpt(edit.Body))
	}
	call.Set("version", "1")
	call.Set("title", "Innovationsupphandling av välfärdsteknik, andra omgången")
	if r = omar.post(path+"/andra", call); r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.Status, excerpt(r.Body))
	}
	if r = omar.post(path+"/andra", call); r.Status != http.StatusPreconditionFailed {
		t.Errorf("an old version: %d", r.Status)
	}
	if b := omar.get(path).Body; !strings.Contains(b, "andra omgången") {
		t.Errorf("the change is not shown")
	}

	anna := e.client()
	anna.signIn("anna@falun.demo")
	if b := anna.get("/utlysningar").Body; strings.Contains(b, `href="/utlysningar/ny"`) {
		t.Error("Anna is offered to publish a call")
	}
	if r := anna.get("/utlysningar/ny"); r.Status != http.StatusForbidden {
		t.Errorf("Anna's call form: %d", r.Status)
	}

	broker := e.client()
	broker.signIn("maklare@arena.demo")
	form = broker.get("/organisationer/ny")
	org := url.Values{"csrf": {csrf(t, form.Body)}, "name": {"Ludvika kommun"}, "kind": {"kommun"}, "org_number": {"212000-2170"}}
	if r = broker.post("/organisationer", org); r.Status != http.StatusBadRequest || !strings.Contains(r.Body, `id="org_number-error"`) {
		t.Fatalf("a wrong check digit: %d %s", r.Status, excerpt(r.Body))
	}
	org.Set("org_number", "")
	if r = broker.post("/organisationer", org); r.Status != http.StatusSeeOther {
		t.Fatalf("register: %d %s", r.Status, excerpt(r.Body))
	}

	falun := idStr(e.orgID("Falu kommun"))
	edit = anna.get("/organisationer/" + falun + "/andra")
	if edit.Status != http.StatusOK {
		t.Fatalf("Anna's form for Falun: %d", edit.Status)
	}
	v := formValues(edit.Body)
	v.Set("csrf", csrf(t, edit.Body))
	v.Set("website", "https://www.falun.se/")
	if r = anna.post("/organisationer/"+falun+"/andra", v); r.Status != http.StatusSeeOther {
		t.Fatalf("Anna saves: %d %s", r.Status, excerpt(r.Body))
	}
	b := anna.get("/organisationer/" + falun).Body
	if !strings.Contains(b, "https://www.falun.se/") {
		t.Errorf("the website is not shown")
	}
	// The kommun by its name, when the reference data is loaded.
	if reference(t) != nil && !strings.Contains(b, "Falun (kommun, 2080)") {
		t.Errorf("Falun's kommun is not shown by name: %s", excerpt(b))
	}
	if r := anna.get("/organisationer/" + idStr(e.orgID("Mölndals stad")) + "/andra"); r.Status != http.StatusForbidden {
		t.Errorf("Anna's form for Mölndal: %d", r.Status)
	}
}

// optionValue is the value of the option labelled label in the select
// named name.
func optionValue(t *testing.T, body, name, label string) string {
	t.Helper()
	sel := regexp.MustCompile(`(?s)<select[^>]* name="` + regexp.QuoteMeta(name) + `"[^>]*>(.*?)</select>`).FindStringSubmatch(body)
	if sel == nil {
		t.Fatalf("no select %s", name)
	}
	m := regexp.MustCompile(`<option value="([^"]*)"[^>]*>\s*` + regexp.QuoteMeta(label)).FindStringSubmatch(sel[1])
	if m == nil {
		t.Fatalf("no option %q in %s", label, name)
	}
	return m[1]
}

// formValues are the values a browser would post from the page's
// register form: text inputs, checked boxes, selected options, text areas.
func formValues(body string) url.Values {
	v := url.Values{}
	for _, m := range regexp.MustCompile(`<input id="[^"]*" name="([^"]*)" type="(?:text|url|email)" value="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		v.Add(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range regexp.MustCompile(`<input type="checkbox" id="[^"]*" name="([^"]*)" value="([^"]*)" checked`).FindAllStringSubmatch(body, -1) {
		v.Add(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range regexp.MustCompile(`(?s)<select[^>]* name="([^"]*)"[^>]*>(.*?)</select>`).FindAllStringSubmatch(body, -1) {
		if o := regexp.MustCompile(`<option value="([^"]*)" selected`).FindStringSubmatch(m[2]); o != nil {
			v.Set(m[1], html.UnescapeString(o[1]))
		}
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea id="[^"]*" name="([^"]*)"[^>]*>(.*?)</textarea>`).FindAllStringSubmatch(body, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	if m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(body); m != nil {
		v.Set("version", m[1])
	}
	return v
}
