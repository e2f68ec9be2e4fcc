package web_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The pages and the API are two faces of the same services: for the same
// data they list the same latent networks and the same fits of a call.

// apiJSON reads an API answer with the client's session.
func apiJSON(t *testing.T, c *client, path string, v any) {
	t.Helper()
	r := c.get(path)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
	}
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

var (
	latentCard = regexp.MustCompile(`(?s)<div class="card" id="latent-\d+">(.*?)</form>`)
	needBox    = regexp.MustCompile(`name="need" value="(\d+)"`)
)

func TestBrokerPageAndAPIListTheSameLatentNetworks(t *testing.T) {
	e := newEnv(t)
	b := e.client()
	b.signIn("maklare@arena.demo")
	var api struct {
		Items []struct {
			Needs []struct {
				ID int64 `json:"id"`
			} `json:"needs"`
		} `json:"items"`
	}
	apiJSON(t, b, "/api/v1/broker/latent-networks", &api)
	var fromAPI [][]int64
	for _, g := range api.Items {
		var ids []int64
		for _, n := range g.Needs {
			ids = append(ids, n.ID)
		}
		fromAPI = append(fromAPI, ids)
	}
	var fromPage [][]int64
	for _, card := range latentCard.FindAllStringSubmatch(b.get("/maklare").Body, -1) {
		var ids []int64
		for _, m := range needBox.FindAllStringSubmatch(card[1], -1) {
			id, _ := strconv.ParseInt(m[1], 10, 64)
			ids = append(ids, id)
		}
		fromPage = append(fromPage, ids)
	}
	if len(fromAPI) == 0 {
		t.Fatalf("the demo data has no latent network")
	}
	if !slices.EqualFunc(fromAPI, fromPage, slices.Equal[[]int64]) {
		t.Fatalf("the API lists %v, the page %v", fromAPI, fromPage)
	}
	// Not for others.
	anna := e.client()
	anna.signIn("anna@falun.demo")
	if r := anna.get("/api/v1/broker/latent-networks"); r.Status != http.StatusForbidden {
		t.Errorf("a buyer reads latent networks: %d", r.Status)
	}
	if r := anna.get("/maklare"); r.Status != http.StatusForbidden {
		t.Errorf("a buyer opens the broker's page: %d", r.Status)
	}
}

var fitLink = regexp.MustCompile(`<p class="match-title"><a href="/(behov|natverk)/(\d+)">`)

func TestCallPageAndAPIListTheSameFits(t *testing.T) {
	e := newEnv(t)
	for _, who := range []string{"", "anna@falun.demo", "maklare@arena.demo"} {
		c := e.client()
		if who != "" {
			c.signIn(who)
		}
		var calls struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		apiJSON(t, c, "/api/v1/calls", &calls)
		fits := 0
		for _, call := range calls.Items {
			id := strconv.FormatInt(call.ID, 10)
			var api struct {
				Needs []struct {
					ID int64 `json:"id"`
				} `json:"needs"`
				Networks []struct {
					ID int64 `json:"id"`
				} `json:"networks"`
			}
			apiJSON(t, c, "/api/v1/calls/"+id+"/fits", &api)
			var fromAPI []string
			for _, n := range api.Needs {
				fromAPI = append(fromAPI, "behov/"+strconv.FormatInt(n.ID, 10))
			}
			for _, n := range api.Networks {
				fromAPI = append(fromAPI, "natverk/"+strconv.FormatInt(n.ID, 10))
			}
			var fromPage []string
			for _, m := range fitLink.FindAllStringSubmatch(c.get("/utlysningar/"+id).Body, -1) {
				fromPage = append(fromPage, m[1]+"/"+m[2])
			}
			if !slices.Equal(fromAPI, fromPage) {
				t.Errorf("%s, call %s: the API lists %v, the page %v", who, id, fromAPI, fromPage)
			}
			fits += len(fromAPI)
		}
		if fits == 0 {
			t.Errorf("%s: no call fits anything in the demo data", who)
		}
		if strings.Contains(c.get("/utlysningar/"+strconv.FormatInt(calls.Items[0].ID, 10)).Body, "Utkast: Laddinfrastruktur") {
			t.Errorf("%s: a draft fits a call on the page", who)
		}
	}
}

// apiExport reads an API export in Swedish, the pages' language, with the
// client's session.
func apiExport(t *testing.T, c *client, path string) *resp {
	t.Helper()
	req, _ := http.NewRequest("GET", c.e.srv.URL+path, nil)
	req.Header.Set("Accept-Language", "sv")
	r := c.do(req)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, r.Status, excerpt(r.Body))
	}
	return r
}

// A register page's download and the API's export with the same filters
// are the same table, byte for byte in CSV, cell for cell in XLSX, for
// each caller.
func TestRegisterDownloadsAndAPIExportsAreTheSame(t *testing.T) {
	e := newEnv(t)
	anon := e.client()
	anna := e.client()
	anna.signIn("anna@falun.demo")
	net := idStr(procurementNetwork(t, e, anna))
	pairs := [][2]string{
		{"/behov?avsikt=plan&format=csv", "/api/v1/needs?intent=plan&format=csv"},
		{"/behov?organisation=kommun&q=a&format=csv", "/api/v1/needs?org_kind=kommun&q=a&format=csv"},
		{"/behov?format=csv", "/api/v1/needs?format=csv"},
		{"/natverk?slag=strategic&format=csv", "/api/v1/networks?kind=strategic&format=csv"},
		{"/projekt?kategori=research&format=csv", "/api/v1/projects?category=research&format=csv"},
		{"/utlysningar?format=csv", "/api/v1/calls?format=csv"},
		{"/experter?format=csv", "/api/v1/experts?format=csv"},
		{"/leveranser?slag=requirement_specification&format=csv", "/api/v1/deliverables?kind=requirement_specification&format=csv"},
		{"/natverk/" + net + "/uppfoljning?format=csv", "/api/v1/member-procurements?network_id=" + net + "&format=csv"},
		{"/natverk/" + net + "/uppfoljning?tabell=tratt&format=csv", "/api/v1/networks/" + net + "/funnel?format=csv"},
	}
	for _, c := range []*client{anon, anna} {
		for _, p := range pairs {
			page := c.get(p[0])
			if page.Status != http.StatusOK {
				t.Fatalf("%s: %d %s", p[0], page.Status, excerpt(page.Body))
			}
			api := apiExport(t, c, p[1])
			if page.Body != api.Body {
				t.Errorf("%s and %s differ:\n%.600s\n---\n%.600s", p[0], p[1], page.Body, api.Body)
			}
			if c == anna && strings.Count(page.Body, "\n") < 2 && !strings.Contains(p[0], "leveranser") {
				t.Errorf("%s: no rows: %q", p[0], page.Body)
			}
			for _, h := range []string{"Content-Type", "Content-Disposition"} {
				if page.Header.Get(h) != api.Header.Get(h) {
					t.Errorf("%s: %s %q, the API's %q", p[0], h, page.Header.Get(h), api.Header.Get(h))
				}
			}
		}
	}
	// XLSX: the same cells.
	page := anna.get("/behov?avsikt=plan&format=xlsx")
	api := apiExport(t, anna, "/api/v1/needs?intent=plan&format=xlsx")
	if a, b := xlsxRows(t, page.Body), xlsxRows(t, api.Body); !slices.EqualFunc(a, b, slices.Equal[[]string]) || len(a) < 2 {
		t.Errorf("XLSX: the page's %v, the API's %v", a, b)
	}
}
