package httpapi_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

var param = regexp.MustCompile(`\{[a-z_]+\}`)

// TestOpenAPIMatchesRoutes fails when a served route is missing from the
// document or the document names a route the server does not answer.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	db := testdb.Open(t, store.SQLite)
	e := newEnv(t, db, false)
	r := e.do("", "GET", "/api/v1/openapi.json", "", nil)
	if r.status != 200 {
		t.Fatalf("openapi.json: %d", r.status)
	}
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			switch method {
			case "get", "post", "patch", "put", "delete":
				documented[strings.ToUpper(method)+" "+param.ReplaceAllString(path, "{}")] = true
			}
		}
	}
	served := map[string]bool{}
	for _, rt := range e.api.Routes() {
		served[param.ReplaceAllString(rt, "{}")] = true
	}
	var missing, phantom []string
	for k := range served {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !served[k] {
			phantom = append(phantom, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(phantom)
	if len(missing) > 0 {
		t.Errorf("served but not documented: %v", missing)
	}
	if len(phantom) > 0 {
		t.Errorf("documented but not served: %v", phantom)
	}
	// Every documented operation reaches a handler: the catch-all answers
	// "no such API route" and the mux 405 for a wrong method.
	for k := range documented {
		method, path, _ := strings.Cut(k, " ")
		path = strings.ReplaceAll(path, "{}", "1")
		resp := e.do("broker", method, path, "", nil)
		if resp.status == http.StatusMethodNotAllowed || strings.Contains(string(resp.body), "no such API route") {
			t.Errorf("%s %s is documented but not answered: %d %s", method, path, resp.status, resp.body)
		}
	}
	if len(documented) < 80 {
		t.Errorf("only %d operations documented", len(documented))
	}
}
