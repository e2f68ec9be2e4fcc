package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	arena "github.com/arena-se/arena"
)

// TestWatchWithoutJavaScript: a search of the needs register becomes a
// watch with one button; the watches page lists it with its filters in
// words, as the API lists it; a new need of another organisation that the
// search finds reaches the person's inbox, a paused watch tells nothing,
// and a deleted one is gone.
func TestWatchWithoutJavaScript(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.app.Reach.RunOnce(ctx)
	erik := e.client()
	erik.signIn("erik@molndal.demo")
	inboxCount := func() int {
		return strings.Count(erik.get("/inkorg").Body, `<span class="visually-hidden"> – Nytt behov i din bevakning`)
	}
	before := inboxCount()

	list := erik.get("/behov?q=ventilation&cpv=45000000")
	if list.Status != http.StatusOK || !strings.Contains(list.Body, `id="watch-this"`) {
		t.Fatalf("no offer to watch the search: %d %s", list.Status, excerpt(list.Body))
	}
	offer := list.Body[strings.Index(list.Body, `class="inline-form watch-offer"`):]
	offer = offer[:strings.Index(offer, "</form>")]
	form := url.Values{}
	for _, m := range regexp.MustCompile(`name="([a-z_]+)" value="([^"]*)"`).FindAllStringSubmatch(offer, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	if form.Get("target") != "needs" || form.Get("q") != "ventilation" || form.Get("cpv") != "45000000" || form.Get("name") == "" {
		t.Fatalf("the offer's fields: %v", form)
	}
	r := erik.post("/bevakningar", form)
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/bevakningar?klart=bevakning") {
		t.Fatalf("watch this search: %d %s %s", r.Status, r.Location, excerpt(r.Body))
	}
	page := erik.follow(r)
	if !strings.Contains(page.Body, html.EscapeString(form.Get("name"))) || !strings.Contains(page.Body, "Ord: ventilation · CPV-kod: 45000000") {
		t.Fatalf("the watches page: %s", excerpt(page.Body))
	}
	if api := erik.get("/api/v1/watches"); !strings.Contains(api.Body, `"filters":{"cpv":"45000000","q":"ventilation"}`) {
		t.Errorf("the API lists otherwise: %s", api.Body)
	}
	if b := e.client().get("/bevakningar"); b.Status != http.StatusSeeOther {
		t.Errorf("a visitor's watches page: %d", b.Status)
	}

	falun, err := e.app.DB.Needs.GetUnchecked(ctx, e.needID("Trygghetslarm med digital larmkedja"))
	if err != nil {
		t.Fatal(err)
	}
	system := arena.WithActor(ctx, arena.SystemActor())
	post := func(title string) {
		t.Helper()
		n := &arena.Need{OrgID: falun.OrgID, Title: title, Description: title + ": ny ventilation i skolan.", CPVCodes: []string{"45331210"}, Visibility: arena.VisibilityPublic}
		if err := e.app.DB.Needs.Create(system, n); err != nil {
			t.Fatal(err)
		}
		e.app.Reach.RunOnce(ctx)
	}
	post("Ventilation i Lugnetskolan")
	if got := inboxCount(); got != before+1 {
		t.Fatalf("%d notifications of the watch after a need it finds; want %d", got, before+1)
	}

	page = erik.get("/bevakningar")
	id := regexp.MustCompile(`id="pause-(\d+)"`).FindStringSubmatch(page.Body)
	if id == nil {
		t.Fatalf("no pause button: %s", excerpt(page.Body))
	}
	r = erik.post("/bevakningar/"+id[1]+"/paus", url.Values{"csrf": {csrf(t, page.Body)}, "version": {"1"}, "paused": {"1"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("pause: %d %s", r.Status, excerpt(r.Body))
	}
	post("Ventilation i Haraldsbo skola")
	if got := inboxCount(); got != before+1 {
		t.Errorf("a paused watch told of a need: %d notifications", got)
	}
	page = erik.get("/bevakningar")
	if !strings.Contains(page.Body, `id="resume-`+id[1]+`"`) {
		t.Errorf("the paused watch has no resume button: %s", excerpt(page.Body))
	}
	r = erik.post("/bevakningar/"+id[1]+"/ta-bort", url.Values{"csrf": {csrf(t, page.Body)}, "version": {"2"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("delete: %d %s", r.Status, excerpt(r.Body))
	}
	if b := erik.get("/bevakningar").Body; strings.Contains(b, html.EscapeString(form.Get("name"))) {
		t.Error("the deleted watch is still listed")
	}
}
