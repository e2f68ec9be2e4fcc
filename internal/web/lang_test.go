package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestLanguageSwitch: Swedish by default, English after switching, and the
// choice is remembered until switched back.
func TestLanguageSwitch(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	r := c.get("/behov")
	if !strings.Contains(r.Body, `<html lang="sv">`) || !strings.Contains(r.Body, "Andra organisationers behov") {
		t.Fatalf("not Swedish by default: %s", excerpt(r.Body))
	}
	if !strings.Contains(r.Body, `href="/sprak/en?tillbaka=%2Fbehov"`) || !strings.Contains(r.Body, `lang="en" hreflang="en"`) {
		t.Errorf("no switch to English on the page")
	}
	sw := c.get("/sprak/en?tillbaka=%2Fbehov")
	if sw.Status != http.StatusSeeOther || sw.Location != "/behov" {
		t.Fatalf("switch: %d %q", sw.Status, sw.Location)
	}
	for _, path := range []string{"/behov", "/", "/utlysningar", "/logga-in"} {
		r = c.get(path)
		if !strings.Contains(r.Body, `<html lang="en">`) || r.Header.Get("Content-Language") != "en" {
			t.Errorf("%s is not English after switching", path)
		}
		noMissing(t, path, r)
	}
	if r := c.get("/behov"); !strings.Contains(r.Body, "Other organisations") {
		t.Errorf("English page lacks English text")
	}
	if r := c.get("/sprak/xx"); r.Status != http.StatusNotFound {
		t.Errorf("unknown language: %d", r.Status)
	}
	if r := c.get("/sprak/sv?tillbaka=https://evil.example/"); r.Location != "/" {
		t.Errorf("switch returns off site: %q", r.Location)
	}
	if r := c.get("/behov"); !strings.Contains(r.Body, `<html lang="sv">`) {
		t.Errorf("not Swedish after switching back")
	}
}
