package httpapi_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/arena-se/arena/internal/auth"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// The defects of issue 9 that input alone caused, each refused with 400
// naming the field and storing nothing, on both databases (PostgreSQL
// answered 500 to a NUL and to a name over 8 KB).
func TestHostileInputRefused(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, false)
		e.vars["orgA"] = e.orgOf("a")
		e.create("broker", "/api/v1/funders", "funder", `{"name": "Testfinansiär", "kind": "agency"}`)
		e.create("a", "/api/v1/needs", "need", `{"org_id": {orgA}, "title": "Trygghetslarm", "visibility": "public"}`)
		long := strings.Repeat("x", 9000)
		huge := strings.Repeat("ord ", 5001) // over 20 000 runes
		sc := []scenario{
			// NUL anywhere a text goes.
			{name: "NUL in a need title", who: "a", method: "POST", path: "/api/v1/needs", body: `{"org_id": {orgA}, "title": "Larm\u0000"}`, status: 400, field: "title"},
			{name: "NUL in a need description", who: "a", method: "POST", path: "/api/v1/needs", body: `{"org_id": {orgA}, "title": "Larm", "description": "a\u0000b"}`, status: 400, field: "description"},
			{name: "NUL in a funder name", who: "broker", method: "POST", path: "/api/v1/funders", body: `{"name": "F\u0000", "kind": "agency"}`, status: 400, field: "name"},
			{name: "NUL in a network name", who: "a", method: "POST", path: "/api/v1/networks", body: `{"name": "N\u0000", "kind": "tactical"}`, status: 400, field: "name"},
			{name: "NUL in a CPV code", who: "a", method: "POST", path: "/api/v1/needs", body: `{"org_id": {orgA}, "title": "Larm", "cpv_codes": ["3319\u00000"]}`, status: 400, field: "cpv_codes"},
			{name: "NUL in a theme", who: "broker", method: "POST", path: "/api/v1/calls", body: `{"funder_id": {funder}, "title": "U", "themes": ["a\u0000"]}`, status: 400, field: "themes"},
			{name: "NUL in a PATCH", who: "a", method: "PATCH", path: "/api/v1/needs/{need}", body: `{"sector": "vård\u0000"}`, headers: map[string]string{"If-Match": `"1"`}, status: 400, field: "sector"},
			{name: "NUL in a filter", method: "GET", path: "/api/v1/needs?q=%00", status: 400, field: "q"},
			{name: "NUL in another filter", method: "GET", path: "/api/v1/organizations?q=a%00b", status: 400, field: "q"},
			{name: "invalid UTF-8 in a filter", method: "GET", path: "/api/v1/projects?q=%ff%fe", status: 400, field: "q"},
			{name: "NUL in the login e-mail", method: "POST", path: "/api/v1/auth/login", body: `{"email": "a\u0000@b.se", "password": "x"}`, status: 400, field: "email"},
			{name: "a control character in a name", who: "a", method: "POST", path: "/api/v1/needs", body: `{"org_id": {orgA}, "title": "Larm\u0007"}`, status: 400, field: "title"},
			// Invalid UTF-8 and broken escapes are refused, not replaced.
			{name: "invalid UTF-8 in a field", who: "a", method: "POST", path: "/api/v1/needs", body: "{\"org_id\": {orgA}, \"title\": \"Larm \xff\"}", status: 400, field: "title"},
			{name: "an unpaired surrogate", who: "a", method: "POST", path: "/api/v1/needs", body: `{"org_id": {orgA}, "title": "Larm \ud800"}`, status: 400, field: "title"},
			{name: "a reversed surrogate pair", who: "a", method: "POST", path: "/api/v1/needs", body: `{"org_id": {orgA}, "title": "Larm \udc00\ud800"}`, status: 400, field: "title"},
			// One JSON object, nothing after it.
			{name: "trailing garbage", who: "a", method: "POST", path: "/api/v1/needs", body: `{"org_id": {orgA}, "title": "Larm"} garbage`, status: 400, field: "body"},
			{name: "two objects", who: "a", method: "POST", path: "/api/v1/needs", body: `{"org_id": {orgA}, "title": "Larm"}{"title": "B"}`, status: 400, field: "body"},
			// Every text has a limit, named in the error.
			{name: "a funder name over 8 KB", who: "broker", method: "POST", path: "/api/v1/funders", body: `{"name": "` + long + `", "kind": "agency"}`, status: 400, field: "name"},
			{name: "a long sector", who: "a", method: "POST", path: "/api/v1/needs", body: `{"org_id": {orgA}, "title": "Larm", "sector": "` + long + `"}`, status: 400, field: "sector"},
			{name: "a long network description", who: "a", method: "POST", path: "/api/v1/networks", body: `{"name": "N", "kind": "tactical", "description": "` + huge + `"}`, status: 400, field: "description"},
			{name: "a long project result", who: "broker", method: "POST", path: "/api/v1/projects", body: `{"title": "P", "category": "research", "results": "` + huge + `"}`, status: 400, field: "results"},
			{name: "a long expert contact", who: "broker", method: "POST", path: "/api/v1/experts", body: `{"name": "E", "kind": "person", "contact": "` + long + `"}`, status: 400, field: "contact"},
			{name: "too many themes", who: "broker", method: "POST", path: "/api/v1/calls", body: `{"funder_id": {funder}, "title": "U", "themes": [` + strings.TrimSuffix(strings.Repeat(`"t",`, 101), ",") + `]}`, status: 400, field: "themes"},
			{name: "a long member contact", who: "a", method: "POST", path: "/api/v1/network-members", body: `{"network_id": 1, "org_id": {orgA}, "contact_name": "` + long + `"}`, status: 400, field: "contact_name"},
			// Addresses are http or https.
			{name: "a javascript: website", who: "broker", method: "POST", path: "/api/v1/organizations", body: `{"name": "X", "kind": "foretag", "website": "javascript:alert(1)"}`, status: 400, field: "website"},
			{name: "a javascript: deliverable", who: "broker", method: "POST", path: "/api/v1/calls", body: `{"funder_id": {funder}, "title": "U", "url": "javascript:alert(1)"}`, status: 400, field: "url"},
			{name: "a data: URL", who: "broker", method: "POST", path: "/api/v1/experts", body: `{"name": "E", "kind": "person", "website": "data:text/html,x"}`, status: 400, field: "website"},
			// A title of nothing visible is no title.
			{name: "a zero-width title", who: "a", method: "POST", path: "/api/v1/needs", body: `{"org_id": {orgA}, "title": "\u200b\u200c\ufeff"}`, status: 400, field: "title"},
			// Placeholder organisation numbers.
			{name: "000000-0000", who: "broker", method: "POST", path: "/api/v1/organizations", body: `{"name": "Noll AB", "kind": "foretag", "org_number": "000000-0000"}`, status: 400, field: "org_number"},
			{name: "222222-2222", who: "broker", method: "POST", path: "/api/v1/organizations", body: `{"name": "Två AB", "kind": "foretag", "org_number": "2222222222"}`, status: 400, field: "org_number"},
			// Bodies are bounded per route.
			{name: "a login body over 16 KB", method: "POST", path: "/api/v1/auth/login", body: `{"email": "a@b.se", "password": "` + strings.Repeat("p", 17<<10) + `"}`, status: 400, field: "body"},
			{name: "a record body over 256 KB", who: "a", method: "POST", path: "/api/v1/needs", body: `{"org_id": {orgA}, "title": "Larm", "description": "` + strings.Repeat("o", 300<<10) + `"}`, status: 400, field: "body"},
			{name: "a suggestion text over the need's limit", who: "a", method: "POST", path: "/api/v1/cpv/suggest", body: `{"title": "` + strings.Repeat("t", 201) + `"}`, status: 400, field: "title"},
		}
		e.run(t, sc)
	})
}

// Every JSON answer says nosniff, and an answer to a signed-in caller is
// never cached.
func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, testdb.Open(t, store.SQLite), false)
	for _, c := range []struct{ who, path, cache string }{
		{"", "/api/v1/needs", "no-cache"},
		{"a", "/api/v1/needs", "no-store"},
		{"a", "/api/v1/me", "no-store"},
		{"", "/api/v1/needs/999999", "no-store"},
	} {
		r := e.do(c.who, "GET", c.path, "", nil)
		if r.header.Get("X-Content-Type-Options") != "nosniff" || r.header.Get("Cache-Control") != c.cache {
			t.Errorf("%s as %q: nosniff %q, cache %q; want %q", c.path, c.who, r.header.Get("X-Content-Type-Options"), r.header.Get("Cache-Control"), c.cache)
		}
		if r.header.Get("Strict-Transport-Security") != "" {
			t.Errorf("HSTS without TLS")
		}
	}
	e.app.SecureCookies = true
	if r := e.do("", "GET", "/api/v1/status", "", nil); !strings.HasPrefix(r.header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("no HSTS behind TLS")
	}
}

// Sign-in is throttled per account and per client with exponential
// backoff and a 429 that says when to try again; the right password does
// not get through a block; a wrong e-mail costs what a wrong password does.
func TestSignInThrottled(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		now := time.Now()
		db.Now = func() time.Time { return now }
		e := newEnv(t, db, false)
		login := func(email, pw string) response {
			return e.do("", "POST", "/api/v1/auth/login", `{"email": "`+email+`", "password": "`+pw+`"}`, nil)
		}
		if _, err := setPassword(e, "anna@a.test", "rätt-lösenord-2026"); err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= 5; i++ {
			if r := login("anna@a.test", "fel"); r.status != http.StatusUnauthorized {
				t.Fatalf("wrong password %d: %d", i, r.status)
			}
		}
		// The sixth failure blocks the account for a second.
		if r := login("anna@a.test", "fel"); r.status != http.StatusUnauthorized {
			t.Fatalf("sixth wrong password: %d", r.status)
		}
		r := login("anna@a.test", "rätt-lösenord-2026")
		if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "1" || r.json(t)["key"] != "err.sign_in_throttled" {
			t.Fatalf("the right password during a block: %d %q %s", r.status, r.header.Get("Retry-After"), r.body)
		}
		now = now.Add(1100 * time.Millisecond)
		if r := login("anna@a.test", "fel"); r.status != http.StatusUnauthorized {
			t.Fatalf("after the block, a wrong password: %d", r.status)
		}
		if r := login("anna@a.test", "rätt-lösenord-2026"); r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "2" {
			t.Fatalf("the block doubles: %d %q", r.status, r.header.Get("Retry-After"))
		}
		now = now.Add(2100 * time.Millisecond)
		if r := login("anna@a.test", "rätt-lösenord-2026"); r.status != http.StatusOK {
			t.Fatalf("after the block, the right password: %d %s", r.status, r.body)
		}
		// Per client: twenty failures over many accounts block the client
		// (a day on, the failures above are forgotten).
		now = now.Add(25 * time.Hour)
		for i := range 20 {
			if r := login("nobody"+strings.Repeat("x", i)+"@a.test", "fel"); r.status != http.StatusUnauthorized {
				t.Fatalf("client failure %d: %d", i, r.status)
			}
		}
		login("nobody-more@a.test", "fel")
		if r := login("bo@b.test", "anything"); r.status != http.StatusTooManyRequests {
			t.Fatalf("a client past its failures: %d", r.status)
		}
	})
}

// A wrong e-mail address costs what a wrong password does: both check a
// password hash (the timing told who has an account: 0.31 s against 0.01 s).
func TestSignInTimingAlike(t *testing.T) {
	e := newEnv(t, testdb.Open(t, store.SQLite), false)
	if _, err := setPassword(e, "anna@a.test", "rätt-lösenord-2026"); err != nil {
		t.Fatal(err)
	}
	median := func(email string) time.Duration {
		var ds []time.Duration
		for range 3 {
			start := time.Now()
			e.do("", "POST", "/api/v1/auth/login", `{"email": "`+email+`", "password": "fel"}`, nil)
			ds = append(ds, time.Since(start))
		}
		slices.Sort(ds)
		return ds[1]
	}
	known, unknown := median("anna@a.test"), median("ingen@a.test")
	// A hash check takes tens of milliseconds, a lookup a fraction of one:
	// a quarter leaves room for a busy machine and none for a missing check.
	if unknown < known/4 {
		t.Fatalf("an unknown account answers in %s, a known one in %s", unknown, known)
	}
}

// setPassword gives a test user a password.
func setPassword(e *env, email, pw string) (int64, error) {
	ctx := context.Background()
	id, _, err := e.db.PasswordHash(ctx, email)
	if err != nil {
		return 0, err
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return 0, err
	}
	return id, e.db.SetPassword(ctx, id, hash)
}
