package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

func testEnv(vars map[string]string) (Env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return vars[k] }}, &out, &errb
}

func dataDir() string {
	if d := os.Getenv("ARENA_TEST_DATA_DIR"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "data")
}

func TestConfigFlagsOverEnvironment(t *testing.T) {
	env, _, _ := testEnv(map[string]string{"ARENA_DB": "/env.db", "ARENA_ADDR": ":9999", "ARENA_DEMO": "true"})
	cfg, err := parse("serve", []string{"--db", "/flag.db"}, env, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DB != "/flag.db" || cfg.Addr != ":9999" || !cfg.Demo {
		t.Fatalf("config = %+v", cfg)
	}
	if _, err := parse("serve", []string{"--log-format", "xml"}, env, true, nil); err == nil {
		t.Fatal("a bad log format was accepted")
	}
	if err := Run(context.Background(), []string{"fly"}, env); err == nil {
		t.Fatal("an unknown command was accepted")
	}
	// The OCDS export's publisher and prefix: checked before anything runs.
	cfg, err = parse("serve", []string{"--ocds-publisher", "Upphandlingsmyndigheten", "--ocds-publisher-uri", "https://www.upphandlingsmyndigheten.se/", "--ocds-prefix", "ocds-abc123"}, env, true, nil)
	if err != nil || cfg.OCDSPublisher != "Upphandlingsmyndigheten" || cfg.OCDSPublisherURI != "https://www.upphandlingsmyndigheten.se/" || cfg.OCDSPrefix != "ocds-abc123" {
		t.Fatalf("OCDS flags: %+v %v", cfg, err)
	}
	if cfg, err := parse("serve", nil, env, true, nil); err != nil || cfg.OCDSPublisher != "Arena" || cfg.OCDSPublisherURI != "" {
		t.Fatalf("OCDS defaults: %+v %v", cfg, err)
	}
	for _, bad := range [][]string{{"--ocds-publisher", " "}, {"--ocds-publisher", strings.Repeat("x", 201)}, {"--ocds-publisher-uri", "javascript:alert(1)"}, {"--ocds-publisher-uri", "www.example.se"}, {"--ocds-prefix", "ocds-ABC"}} {
		if _, err := parse("serve", bad, env, true, nil); err == nil || !strings.Contains(err.Error(), bad[0]) {
			t.Errorf("%v: %v", bad, err)
		}
	}
}

func TestUserCreateAndReferenceLoad(t *testing.T) {
	for _, d := range testdb.Backends() {
		t.Run(string(d), func(t *testing.T) {
			dsn := testdb.DSN(t, d)
			env, out, _ := testEnv(map[string]string{"ARENA_DB": dsn})
			ctx := context.Background()
			if err := Run(ctx, []string{"migrate"}, env); err != nil || !strings.Contains(out.String(), "database migrated to version ") || strings.Contains(out.String(), "version 0") {
				t.Fatalf("migrate: %v %s", err, out)
			}
			out.Reset()
			err := Run(ctx, []string{"user", "create", "--email", "Anna@Falun.se", "--org-number", "2120002411", "--org-name", "Falu kommun", "--org-kind", "kommun", "--role", "admin"}, env)
			if err != nil {
				t.Fatal(err)
			}
			token := strings.TrimSpace(out.String())
			if !strings.HasPrefix(token, "arena_") {
				t.Fatalf("token %q", token)
			}
			// The same organisation, found by number written without hyphen.
			out.Reset()
			if err := Run(ctx, []string{"user", "create", "--email", "bo@falun.se", "--org-number", "212000-2411"}, env); err != nil {
				t.Fatal(err)
			}
			for _, bad := range [][]string{
				{"--email", "x@y.se", "--org-number", "212000-2412"},                                          // wrong Luhn digit
				{"--email", "x@y.se", "--org-number", "556677-8899"},                                          // new org without name and kind
				{"--email", "x@y.se", "--org-number", "556036-0793", "--org-name", "N", "--org-kind", "bank"}, // bad kind
				{"--email", "anna@falun.se", "--org-number", "212000-2411"},                                   // e-mail taken
				{"--email", "x@y.se", "--org-number", "212000-2411", "--role", "king"},
			} {
				if err := Run(ctx, append([]string{"user", "create"}, bad...), env); err == nil {
					t.Errorf("user create %v succeeded", bad)
				}
			}
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			orgs, _ := db.Organizations.List(ctx, store.ListQuery{})
			users, _ := db.Users.List(ctx, store.ListQuery{})
			if orgs.Total != 1 {
				t.Fatalf("%d organisations after refused creates, want 1", orgs.Total)
			}
			_ = users
			if _, err := os.Stat(filepath.Join(dataDir(), "cpv")); err != nil {
				t.Skip("no reference data folder")
			}
			out.Reset()
			if err := Run(ctx, []string{"reference", "load", "--from", dataDir()}, env); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), "loaded 9454 CPV codes, 21 län, 290 kommuner") {
				t.Fatalf("reference load said %q", out)
			}
			if err := db.ReloadReference(ctx); err != nil || !db.Reference().HasCPV() {
				t.Fatalf("reference not stored: %v", err)
			}
		})
	}
}

func TestServeDemoAndGracefulShutdown(t *testing.T) {
	env, _, logs := testEnv(nil)
	cfg := DefaultConfig()
	cfg.DB = filepath.Join(t.TempDir(), "arena.db")
	cfg.Addr = "127.0.0.1:0"
	cfg.Demo = true
	cfg.LogFormat = "json"
	ctx, cancel := context.WithCancel(context.Background())
	m, err := Open(ctx, cfg, env)
	if err != nil {
		t.Fatal(err)
	}
	// A slow request, in flight when shutdown starts, must still finish.
	api := m.srv.Handler
	started := make(chan struct{})
	m.srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			close(started)
			time.Sleep(300 * time.Millisecond)
			w.Write([]byte("finished"))
			return
		}
		api.ServeHTTP(w, r)
	})
	done := make(chan error, 1)
	go func() { done <- m.Serve(ctx) }()

	get := func(path string) (int, []byte) {
		resp, err := http.Get(m.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Fatalf("healthz %d", code)
	}
	if code, _ := get("/readyz"); code != 200 {
		t.Fatalf("readyz %d", code)
	}
	code, body := get("/api/v1/needs")
	var page struct{ Total int }
	json.Unmarshal(body, &page)
	if code != 200 || page.Total != 5 { // the demo's public needs; its draft is hidden
		t.Fatalf("demo needs: %d %s", code, body)
	}
	// Sign in as a demo user.
	resp, err := http.Post(m.URL+"/api/v1/auth/login", "application/json", strings.NewReader(`{"email": "anna@falun.demo", "password": "demo-arena-2026"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("demo login: %v %v", err, resp.Status)
	}
	resp.Body.Close()

	var wg sync.WaitGroup
	wg.Add(1)
	var slow string
	go func() {
		defer wg.Done()
		_, b := get("/slow")
		slow = string(b)
	}()
	<-started
	cancel()
	wg.Wait()
	if slow != "finished" {
		t.Fatalf("in-flight request got %q", slow)
	}
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if !strings.Contains(logs.String(), `"request_id"`) || !strings.Contains(logs.String(), `"msg":"request"`) {
		t.Fatalf("no structured request log: %.300s", logs.String())
	}
	// A second start seeds nothing twice.
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	m2, err := Open(ctx2, cfg, env)
	if err != nil {
		t.Fatal(err)
	}
	defer m2.DB.Close()
	n, _ := m2.DB.Projects.List(ctx2, store.ListQuery{})
	if n.Total != 13 {
		t.Fatalf("%d projects after a restart", n.Total)
	}
}
