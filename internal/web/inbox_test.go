package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/testdb"
)

var unreadBadge = regexp.MustCompile(`id="unread-count">(\d+)<`)

// TestInboxWithoutJavaScript: the demo's shared needs tell the people of
// organisations with a similar need; the header counts what is unread, the
// inbox lists it, opening one marks it read and goes to its page, and the
// settings page changes how e-mail comes, as the API then says.
func TestInboxWithoutJavaScript(t *testing.T) {
	e := newEnv(t)
	e.app.Reach.RunOnce(context.Background())
	erik := e.client()
	erik.signIn("erik@molndal.demo")
	home := erik.get("/")
	m := unreadBadge.FindStringSubmatch(home.Body)
	if m == nil {
		t.Fatalf("no unread count in the header: %s", excerpt(home.Body))
	}
	inbox := erik.get("/inkorg")
	if inbox.Status != http.StatusOK || !strings.Contains(inbox.Body, "Falu kommun har ett liknande behov") {
		t.Fatalf("inbox: %d %s", inbox.Status, excerpt(inbox.Body))
	}
	falun := e.needID("Trygghetslarm med digital larmkedja")
	open := regexp.MustCompile(`name="id" value="(\d+)">\s*<input type="hidden" name="till" value="/behov/` + idStr(falun) + `">`).FindStringSubmatch(inbox.Body)
	if open == nil {
		t.Fatalf("no notification of Falun's need %d: %s", falun, excerpt(inbox.Body))
	}
	r := erik.post("/inkorg/last", url.Values{"csrf": {csrf(t, inbox.Body)}, "id": {open[1]}, "till": {"/behov/" + idStr(falun)}})
	if r.Status != http.StatusSeeOther || r.Location != "/behov/"+idStr(falun) {
		t.Fatalf("open: %d %s", r.Status, r.Location)
	}
	before, _ := strconv.Atoi(m[1])
	after := 0
	if a := unreadBadge.FindStringSubmatch(erik.get("/inkorg").Body); a != nil {
		after, _ = strconv.Atoi(a[1])
	}
	if after != before-1 {
		t.Errorf("unread %d before opening one, %d after", before, after)
	}
	// Another site is no place to go to.
	r = erik.post("/inkorg/last", url.Values{"csrf": {csrf(t, inbox.Body)}, "till": {"//evil.example/x"}})
	if r.Status != http.StatusSeeOther || r.Location != "/" {
		t.Errorf("an outside address: %d %s", r.Status, r.Location)
	}
	if b := erik.get("/inkorg").Body; strings.Contains(b, `id="unread-count"`) {
		t.Error("all read, yet the header counts unread")
	}

	// Anna's inbox does not hold Erik's.
	anna := e.client()
	anna.signIn("anna@falun.demo")
	if b := anna.get("/inkorg").Body; strings.Contains(b, "Falu kommun har ett liknande behov") {
		t.Error("Falun is told of its own need")
	}

	page := erik.get("/installningar/aviseringar")
	if page.Status != http.StatusOK || !strings.Contains(page.Body, `id="need_match-daily" name="need_match" value="daily" checked`) {
		t.Fatalf("settings: %d %s", page.Status, excerpt(page.Body))
	}
	r = erik.post("/installningar/aviseringar", url.Values{"csrf": {csrf(t, page.Body)}, "need_match": {"hourly"}})
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "error-summary") {
		t.Fatalf("an unknown mode: %d %s", r.Status, excerpt(r.Body))
	}
	r = erik.post("/installningar/aviseringar", url.Values{"csrf": {csrf(t, page.Body)}, "need_match": {"weekly"}, "lang": {"en"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.Status, excerpt(r.Body))
	}
	api := erik.get("/api/v1/notification-settings")
	if !strings.Contains(api.Body, `"need_match":"weekly"`) || !strings.Contains(api.Body, `"lang":"en"`) {
		t.Errorf("the API says otherwise: %s", api.Body)
	}
}

// TestUnreadBadgeIsBounded: above 99 unread notifications the header says
// "99+" (its count stops there, so a page costs the same however many a
// person has); the inbox gives the whole number.
func TestUnreadBadgeIsBounded(t *testing.T) {
	e := newEnv(t)
	anna := e.as("anna@falun.demo")
	for i := range 110 {
		n := &arena.Need{OrgID: e.orgID("Falu kommun"), Title: fmt.Sprintf("Behov nummer %d", i), Description: "Ett behov som Erik aviseras om.", Visibility: arena.VisibilityPublic}
		if err := e.db.Needs.Create(anna, n); err != nil {
			t.Fatal(err)
		}
	}
	erikID, err := e.db.UserIDByEmail(context.Background(), "erik@molndal.demo")
	if err != nil {
		t.Fatal(err)
	}
	told := testdb.NotifyPending(t, e.db, anna, erikID)
	if told < 110 {
		t.Fatalf("%d notifications written, want at least 110", told)
	}
	erik := e.client()
	erik.signIn("erik@molndal.demo")
	if home := erik.get("/"); !strings.Contains(html.UnescapeString(home.Body), `id="unread-count">99+<`) {
		t.Errorf("%d unread: the header does not say 99+: %s", told, excerpt(home.Body))
	}
	if inbox := erik.get("/inkorg"); !strings.Contains(inbox.Body, fmt.Sprintf("Du har %d olästa aviseringar.", told)) {
		t.Errorf("the inbox does not give all %d: %s", told, excerpt(inbox.Body))
	}
}
