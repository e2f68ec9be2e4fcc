package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/seed"
	"github.com/arena-se/arena/internal/store"
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

// TestOrganisationPeopleWithoutJavaScript: Falun's admin sees the people
// of Falun with their roles, makes one an admin and back, removes one,
// and cannot make herself a member while she is the only admin.
func TestOrganisationPeopleWithoutJavaScript(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	falun := e.orgID("Falu kommun")
	sys := arena.WithActor(ctx, arena.SystemActor())
	colleague := &arena.User{Email: "kollega@falun.demo", Name: "Kim Kollega"}
	if err := e.db.Users.Create(sys, colleague); err != nil {
		t.Fatal(err)
	}
	m := &arena.OrgMembership{UserID: colleague.ID, OrgID: falun, Role: arena.OrgRoleMember}
	if err := e.db.OrgMemberships.Create(sys, m); err != nil {
		t.Fatal(err)
	}
	anna := e.client()
	anna.signIn("anna@falun.demo")
	path := "/organisationer/" + idStr(falun)
	page := anna.get(path)
	if !strings.Contains(page.Body, `id="org-people"`) || !strings.Contains(page.Body, "Kim Kollega") {
		t.Fatalf("no people on the organisation's page: %s", excerpt(page.Body))
	}
	role := func(id int64, version int, r string) *resp {
		return anna.post("/organisationsmedlemskap/"+idStr(id)+"/roll", url.Values{"csrf": {csrf(t, page.Body)}, "version": {strconv.Itoa(version)}, "role": {r}})
	}
	if r := role(m.ID, 1, "admin"); r.Status != http.StatusSeeOther {
		t.Fatalf("make an admin: %d %s", r.Status, excerpt(r.Body))
	}
	if r := role(m.ID, 1, "member"); r.Status != http.StatusPreconditionFailed {
		t.Errorf("an old version: %d", r.Status)
	}
	if r := role(m.ID, 2, "member"); r.Status != http.StatusSeeOther {
		t.Fatalf("make a member again: %d %s", r.Status, excerpt(r.Body))
	}
	mine, err := store.Unchecked(sys, e.db.OrgMemberships, map[string]string{"org_id": idStr(falun)})
	if err != nil {
		t.Fatal(err)
	}
	var annas *arena.OrgMembership
	annaID, _ := e.db.UserIDByEmail(ctx, "anna@falun.demo")
	for _, x := range mine {
		if x.UserID == annaID && x.Role == arena.OrgRoleAdmin {
			annas = x
		}
	}
	if annas == nil {
		t.Fatal("Anna is not Falun's admin")
	}
	if r := role(annas.ID, int(annas.Version), "member"); r.Status != http.StatusConflict || !strings.Contains(r.Body, "minst en administratör") {
		t.Errorf("the only admin made a member: %d %s", r.Status, excerpt(r.Body))
	}
	r := anna.post("/organisationsmedlemskap/"+idStr(m.ID)+"/ta-bort", url.Values{"csrf": {csrf(t, page.Body)}, "version": {"3"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("remove: %d %s", r.Status, excerpt(r.Body))
	}
	if b := anna.follow(r).Body; strings.Contains(b, "Kim Kollega") || !strings.Contains(b, "Personen är borttagen ur organisationen.") {
		t.Errorf("after removing: %s", excerpt(b))
	}
}
