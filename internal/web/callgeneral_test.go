package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestGeneralCallForm: Omar publishes a general call for innovation
// procurement with the form's checkbox; its page says it is open to any
// subject, the edit form has the box ticked, and unticking it makes the
// call themed again.
func TestGeneralCallForm(t *testing.T) {
	e := newEnv(t)
	omar := e.client()
	omar.signIn("handlaggare@vinnova.demo")
	form := omar.get("/utlysningar/ny")
	if !strings.Contains(form.Body, `type="checkbox" id="general" name="general" value="1" aria-describedby="general-hint">`) {
		t.Fatalf("the call form has no checkbox for a general call: %s", excerpt(form.Body))
	}
	call := url.Values{"csrf": {csrf(t, form.Body)}, "funder_id": {optionValue(t, form.Body, "funder_id", "Vinnova")},
		"title": {"Checkar för innovationsupphandling 2027"}, "eligible_org_kinds": {"kommun", "region"}, "general": {"1"}}
	r := omar.post("/utlysningar", call)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", r.Status, excerpt(r.Body))
	}
	path := r.Location[:strings.Index(r.Location, "?")]
	if b := omar.get(path).Body; !strings.Contains(b, "Alla ämnen – en allmän utlysning för innovationsupphandling") {
		t.Errorf("the page does not say the call is general: %s", excerpt(b))
	}
	edit := omar.get(path + "/andra")
	if !strings.Contains(edit.Body, `name="general" value="1" aria-describedby="general-hint" checked>`) {
		t.Fatalf("the edit form: %s", excerpt(edit.Body))
	}
	call.Del("general")
	call.Set("version", "1")
	if r = omar.post(path+"/andra", call); r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.Status, excerpt(r.Body))
	}
	if b := omar.get(path).Body; strings.Contains(b, "Alla ämnen") {
		t.Errorf("the call is still general")
	}
}
