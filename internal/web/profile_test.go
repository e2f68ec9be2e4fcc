package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/arena-se/arena/internal/seed"
)

// TestProfileWithoutJavaScript: a person changes their name (the header
// shows it), is refused another's e-mail address and an old version, and
// changes the password: a wrong current one, differing new ones and a
// short one are refused with the error at the field and no password shown
// again; then the new password signs in and the old does not.
func TestProfileWithoutJavaScript(t *testing.T) {
	e := newEnv(t)
	erik := e.client()
	erik.signIn("erik@molndal.demo")
	page := erik.get("/")
	if !strings.Contains(page.Body, `href="/installningar/profil"`) {
		t.Fatalf("no link to the profile in the header: %s", excerpt(page.Body))
	}
	page = erik.get("/installningar/profil")
	if page.Status != http.StatusOK || !strings.Contains(page.Body, `value="erik@molndal.demo"`) {
		t.Fatalf("profile: %d %s", page.Status, excerpt(page.Body))
	}
	tok := csrf(t, page.Body)
	r := erik.post("/installningar/profil", url.Values{"csrf": {tok}, "name": {"Erik Berg, IT-strateg"}, "email": {"erik@molndal.demo"}, "version": {"1"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.Status, excerpt(r.Body))
	}
	if b := erik.follow(r).Body; !strings.Contains(b, "Erik Berg, IT-strateg</a>") || !strings.Contains(b, "Ändringarna är sparade.") {
		t.Errorf("after saving: %s", excerpt(b))
	}
	r = erik.post("/installningar/profil", url.Values{"csrf": {tok}, "name": {"Erik"}, "email": {"anna@falun.demo"}, "version": {"2"}})
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, `id="email-error"`) {
		t.Errorf("another's address: %d %s", r.Status, excerpt(r.Body))
	}
	if r = erik.post("/installningar/profil", url.Values{"csrf": {tok}, "name": {"Erik"}, "version": {"1"}}); r.Status != http.StatusPreconditionFailed {
		t.Errorf("an old version: %d", r.Status)
	}

	const fresh = "ett nytt långt lösenord"
	for _, c := range []struct {
		name, current, next, again, field string
	}{
		{"a wrong current password", "fel lösenord", fresh, fresh, "current_password"},
		{"differing new ones", seed.DemoPassword, fresh, fresh + "x", "new_password2"},
		{"a short one", seed.DemoPassword, "kort", "kort", "new_password"},
	} {
		r := erik.post("/installningar/losenord", url.Values{"csrf": {tok}, "current_password": {c.current}, "new_password": {c.next}, "new_password2": {c.again}})
		if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, `id="`+c.field+`-error"`) || strings.Contains(r.Body, `value="`+c.next+`"`) {
			t.Errorf("%s: %d %s", c.name, r.Status, excerpt(r.Body))
		}
	}
	r = erik.post("/installningar/losenord", url.Values{"csrf": {tok}, "current_password": {seed.DemoPassword}, "new_password": {fresh}, "new_password2": {fresh}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("change: %d %s", r.Status, excerpt(r.Body))
	}
	other := e.client()
	login := other.get("/logga-in")
	if r := other.post("/logga-in", url.Values{"csrf": {csrf(t, login.Body)}, "email": {"erik@molndal.demo"}, "password": {seed.DemoPassword}}); r.Status == http.StatusSeeOther {
		t.Error("the old password still signs in")
	}
	if r := other.post("/logga-in", url.Values{"csrf": {csrf(t, login.Body)}, "email": {"erik@molndal.demo"}, "password": {fresh}}); r.Status != http.StatusSeeOther {
		t.Errorf("the new password does not sign in: %d %s", r.Status, excerpt(r.Body))
	}
}
