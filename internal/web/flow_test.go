package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestProposeNetworkFlow is the flow without a browser: a buyer
// sees a matching need of another organisation with its reasons, proposes
// a network, the other buyer accepts, and the network page shows both
// members and their joint purchasing power.
func TestProposeNetworkFlow(t *testing.T) {
	e := newEnv(t)
	anna := e.client()
	anna.signIn("anna@falun.demo")
	falun := e.needID("Trygghetslarm med digital larmkedja")
	molndal := e.needID("Digitala larm för trygghet i hemmet")

	page := anna.get("/behov/" + idStr(falun))
	if page.Status != http.StatusOK {
		t.Fatalf("need page: %d", page.Status)
	}
	for _, want := range []string{`id="match-need-` + idStr(molndal) + `"`, "Mölndals stad", "Gemensamma begrepp", `id="propose-network"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("need page lacks %q", want)
		}
	}

	// Without a ticked need the form comes back with the error next to it.
	r := anna.post("/behov/"+idStr(falun)+"/natverk", url.Values{"csrf": {csrf(t, page.Body)}, "network_name": {"Trygghetslarm tillsammans"}})
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, `id="need-error"`) || !strings.Contains(r.Body, "Trygghetslarm tillsammans") {
		t.Fatalf("empty proposal: %d %s", r.Status, excerpt(r.Body))
	}

	r = anna.post("/behov/"+idStr(falun)+"/natverk", url.Values{"csrf": {csrf(t, page.Body)}, "need": {idStr(molndal)}, "network_name": {"Trygghetslarm tillsammans"}})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/natverk/") {
		t.Fatalf("propose: %d %s %s", r.Status, r.Location, excerpt(r.Body))
	}
	netPath := strings.SplitN(r.Location, "?", 2)[0]
	net := anna.follow(r)
	if net.Status != http.StatusOK || !strings.Contains(net.Body, "Trygghetslarm tillsammans") || !strings.Contains(net.Body, `role="status"`) {
		t.Fatalf("network page: %d %s", net.Status, excerpt(net.Body))
	}

	erik := e.client()
	erik.signIn("erik@molndal.demo")
	home := erik.get("/")
	m := regexp.MustCompile(`action="/natverksmedlemmar/(\d+)/accept"`).FindStringSubmatch(home.Body)
	if m == nil {
		t.Fatalf("no invitation on Erik's start page: %s", excerpt(home.Body))
	}
	// Anna may not answer Mölndal's invitation.
	if r := anna.post("/natverksmedlemmar/"+m[1]+"/accept", url.Values{"csrf": {anna.token()}}); r.Status != http.StatusForbidden {
		t.Errorf("Anna accepting Mölndal's invitation: %d", r.Status)
	}
	r = erik.post("/natverksmedlemmar/"+m[1]+"/accept", url.Values{"csrf": {csrf(t, home.Body)}, "tillbaka": {netPath}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("accept: %d %s", r.Status, excerpt(r.Body))
	}
	net = erik.follow(r)
	if net.Status != http.StatusOK {
		t.Fatalf("network page after accepting: %d", net.Status)
	}
	for _, want := range []string{"Falu kommun", "Mölndals stad", "6\u00a0500\u00a0000\u00a0kr", `id="purchasing-power"`, `role="img"`} {
		if !strings.Contains(net.Body, want) {
			t.Errorf("network page lacks %q", want)
		}
	}
	if strings.Contains(net.Body, `id="accept-`) {
		t.Errorf("the invitation is still open after accepting")
	}
	for _, tab := range []string{"", "/medlemmar", "/plan", "/leveranser", "/uppfoljning", "/klassning", "/varningar"} {
		r := erik.get(netPath + tab)
		if r.Status != http.StatusOK {
			t.Errorf("%s%s: %d", netPath, tab, r.Status)
		}
		noMissing(t, netPath+tab, r)
	}
}

func idStr(id int64) string { return strconvItoa(id) }
