package browser

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestAxeRunnerFindsViolations checks the runner itself on two small
// pages: one that breaks WCAG rules and one that does not.
func TestAxeRunnerFindsViolations(t *testing.T) {
	b := needBrowser(t)
	needAxe(t)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/bad":
			w.Write([]byte(`<!doctype html><html><head><title>Dålig</title></head><body><main><img src="/x.png"><input type="text"><p style="color:#bbb;background:#fff">ljusgrå text</p></main></body></html>`))
		default:
			w.Write([]byte(`<!doctype html><html lang="sv"><head><title>Bra</title></head><body><main><h1>Rubrik</h1><label for="q">Sök</label><input id="q" type="text"><img src="/x.png" alt="Logotyp"></main></body></html>`))
		}
	}))
	defer ts.Close()
	p := session(t, b, ts.URL)

	must(t, p, p.Open("/good"), "open the good page")
	vs, err := p.Axe()
	must(t, p, err, "axe on the good page")
	if len(vs) != 0 {
		t.Fatalf("%s", FormatViolations("/good", vs))
	}

	must(t, p, p.Open("/bad"), "open the bad page")
	vs, err = p.Axe()
	must(t, p, err, "axe on the bad page")
	report := FormatViolations("/bad", vs)
	for _, rule := range []string{"html-has-lang", "image-alt", "label", "color-contrast"} {
		if !strings.Contains(report, "] "+rule+":") {
			t.Errorf("axe did not report %s:\n%s", rule, report)
		}
	}
	t.Logf("the report a failing page gets:\n%s", report)
}
