package web_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/arena-se/arena/internal/seed"
)

// TestServeForLooking serves the UI with the demo data for a person to
// look at, when ARENA_WEB_SERVE names an address (e.g. 127.0.0.1:8090);
// ARENA_WEB_AS signs every request in as that demo user. It runs until
// the test binary is stopped.
func TestServeForLooking(t *testing.T) {
	addr := os.Getenv("ARENA_WEB_SERVE")
	if addr == "" {
		t.Skip("set ARENA_WEB_SERVE=127.0.0.1:8090 to serve the UI for looking at it")
	}
	e := newEnv(t)
	h := e.api.Handler()
	if who := os.Getenv("ARENA_WEB_AS"); who != "" {
		req := httptest.NewRequest("POST", "/", nil)
		_, token, _, err := e.api.SignIn(req, who, seed.DemoPassword)
		if err != nil {
			t.Fatal(err)
		}
		inner := h
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.Contains(r.Header.Get("Cookie"), "arena_session=") {
				r.AddCookie(&http.Cookie{Name: "arena_session", Value: token})
			}
			inner.ServeHTTP(w, r)
		})
	}
	t.Logf("serving on http://%s", addr)
	t.Fatal(http.ListenAndServe(addr, h))
}
