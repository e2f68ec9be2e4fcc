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
