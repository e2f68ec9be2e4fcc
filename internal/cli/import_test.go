package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// writePlan writes a procurement plan of n rows as Swedish Excel saves
// CSV, one row (bad, 1-based data row) with a code that is not CPV.
func writePlan(t *testing.T, n, bad int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("\ufeffNr;Rubrik;Beskrivning;CPV-kod;Uppskattat värde (kr);Planerad annonsering;Ansvarig\r\n")
	for i := 1; i <= n; i++ {
		code := []string{"33196000-0", "48000000", "15000000", "34144900"}[i%4]
		if i == bad {
			code = "99999999"
		}
		fmt.Fprintf(&b, "UP-%05d;Upphandling %d: %s;Behov nummer %d i kommunens upphandlingsplan, med en beskrivning av vad som ska köpas.;%s;%d 000 kr;2027-%02d-15;Handläggare %d\r\n",
			i, i, []string{"trygghetslarm", "verksamhetssystem", "livsmedel", "fordon"}[i%4], i, code, 100+i, 1+i%12, i%7)
	}
	p := filepath.Join(t.TempDir(), "upphandlingsplan.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportPlanAndNoticeFromTheCommandLine(t *testing.T) {
	for _, d := range testdb.Backends() {
		t.Run(string(d), func(t *testing.T) {
			dsn := testdb.DSN(t, d)
			env, out, errb := testEnv(map[string]string{"ARENA_DB": dsn})
			ctx := context.Background()
			if err := Run(ctx, []string{"migrate"}, env); err != nil {
				t.Fatal(err)
			}
			if err := Run(ctx, []string{"reference", "load", "--from", dataDir()}, env); err != nil {
				t.Skipf("no reference data: %v", err)
			}
			if err := Run(ctx, []string{"user", "create", "--email", "anna@falun.se", "--org-number", "2120002411", "--org-name", "Falu kommun", "--org-kind", "kommun", "--role", "admin"}, env); err != nil {
				t.Fatal(err)
			}
			needs := func() int {
				db, err := store.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				n, err := db.CountNeeds(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return n
			}

			// One bad row in a plan of 2 000: the dry run names it in
			// Swedish, the real run writes nothing.
			bad := writePlan(t, 2000, 1234)
			out.Reset()
			err := Run(ctx, []string{"import", "needs", "--org", "212000-2411", "--dry-run", bad}, env)
			if err == nil || !strings.Contains(out.String(), `rad 1235, "CPV-kod": `) || !strings.Contains(out.String(), "nothing written") || needs() != 0 {
				t.Fatalf("dry run: %v\n%s", err, out)
			}
			if !strings.Contains(errb.String(), `"Ansvarig"`) {
				t.Errorf("the column left out is not named: %s", errb)
			}
			out.Reset()
			if err := Run(ctx, []string{"import", "needs", bad, "--org", "212000-2411"}, env); err == nil || needs() != 0 {
				t.Fatalf("a plan with a bad row: %v, %d needs\n%s", err, needs(), out)
			}

			// The good plan: 2 000 drafts; again: nothing new.
			good := writePlan(t, 2000, 0)
			out.Reset()
			if err := Run(ctx, []string{"import", "needs", "--org", "212000-2411", good}, env); err != nil || needs() != 2000 || !strings.Contains(out.String(), "2000 new draft needs") {
				t.Fatalf("import: %v, %d needs\n%s", err, needs(), out)
			}
			out.Reset()
			if err := Run(ctx, []string{"import", "needs", "--org", "212000-2411", good}, env); err != nil || needs() != 2000 || !strings.Contains(out.String(), "0 new draft needs, 2000 imported before") {
				t.Fatalf("again: %v, %d needs\n%s", err, needs(), out)
			}

			// A column mapped by hand, and an unknown field refused.
			if err := Run(ctx, []string{"import", "needs", "--org", "212000-2411", "--map", "Ansvarig=colour", good}, env); err == nil || !strings.Contains(err.Error(), "inget fält") {
				t.Fatalf("--map with a bad field: %v", err)
			}

			// The PIN example: its buyer's number is not Swedish, so it is
			// named; with --org its lots become Falun's drafts, once.
			pin := filepath.Join(dataDir(), "eforms", "examples", "pin-only_24_maximal.xml")
			out.Reset()
			if err := Run(ctx, []string{"import", "notices", pin}, env); err == nil || !strings.Contains(out.String(), "cbc:CompanyID") {
				t.Fatalf("a foreign buyer: %v\n%s", err, out)
			}
			out.Reset()
			if err := Run(ctx, []string{"import", "notices", "--org", "212000-2411", pin}, env); err != nil || needs() <= 2000 {
				t.Fatalf("the PIN: %v, %d needs\n%s", err, needs(), out)
			}
			lots := needs() - 2000
			if err := Run(ctx, []string{"import", "notices", "--org", "212000-2411", pin}, env); err != nil || needs() != 2000+lots {
				t.Fatalf("the PIN again: %v, %d needs\n%s", err, needs(), out)
			}
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			sys := arena.WithActor(ctx, arena.SystemActor())
			org, err := orgByNumber(sys, db, "212000-2411")
			if err != nil {
				t.Fatal(err)
			}
			srcs, err := db.NeedSources(sys, org.ID, "eforms:")
			if err != nil {
				t.Fatal(err)
			}
			fromPIN := 0
			for _, id := range srcs {
				n, err := db.Needs.GetUnchecked(sys, id)
				if err != nil {
					t.Fatal(err)
				}
				fromPIN++
				if n.Visibility != arena.VisibilityDraft || len(n.CPVCodes) == 0 || n.Title == "" {
					t.Errorf("a lot of the PIN: %+v", n)
				}
			}
			if fromPIN != lots {
				t.Errorf("%d needs from the PIN, %d new", fromPIN, lots)
			}

			// A notice that is not a PIN: named, nothing written.
			cn := filepath.Join(dataDir(), "eforms", "examples", "cn_24_maximal.xml")
			out.Reset()
			if err := Run(ctx, []string{"import", "notices", "--org", "212000-2411", cn}, env); err == nil || !strings.Contains(out.String(), "ContractNotice") || needs() != 2000+lots {
				t.Fatalf("a contract notice: %v\n%s", err, out)
			}

			// Publish: every imported draft is public.
			out.Reset()
			if err := Run(ctx, []string{"import", "publish", "--org", "212000-2411"}, env); err != nil || !strings.Contains(out.String(), fmt.Sprintf("published %d ", 2000+lots)) {
				t.Fatalf("publish: %v\n%s", err, out)
			}
		})
	}
}

// TestImportedNeedsAreMatchedWithoutARestart: a running server's matching
// finds needs that `arena import` wrote into its database from another
// process, once they are published, with no restart, on both databases.
func TestImportedNeedsAreMatchedWithoutARestart(t *testing.T) {
	for _, d := range testdb.Backends() {
		t.Run(string(d), func(t *testing.T) {
			dsn := testdb.DSN(t, d)
			cfg := DefaultConfig()
			cfg.DB, cfg.Addr = dsn, "127.0.0.1:0"
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			serverEnv, _, _ := testEnv(nil)
			m, err := Open(ctx, cfg, serverEnv)
			if err != nil {
				t.Fatal(err)
			}
			go m.Serve(ctx)
			if _, err := CreateUser(ctx, m.DB, UserRequest{Email: "anna@falun.se", OrgNumber: "212000-2411", OrgName: "Falu kommun", OrgKind: "kommun", Role: "admin"}); err != nil {
				t.Fatal(err)
			}
			tok, err := CreateUser(ctx, m.DB, UserRequest{Email: "erik@molndal.se", OrgNumber: "212000-1355", OrgName: "Mölndals stad", OrgKind: "kommun"})
			if err != nil {
				t.Fatal(err)
			}
			call := func(method, path, body string) (int, string) {
				req, _ := http.NewRequest(method, m.URL+path, strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+tok)
				req.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, string(b)
			}
			_, me := call("GET", "/api/v1/me", "")
			var who struct {
				Organizations []struct {
					OrgID int64 `json:"org_id"`
				} `json:"organizations"`
			}
			json.Unmarshal([]byte(me), &who)
			code, body := call("POST", "/api/v1/needs", fmt.Sprintf(`{"org_id": %d, "title": "Trygghetslarm för äldre i hemtjänsten", "description": "Digitala trygghetslarm med en larmkedja som når hemtjänsten dygnet runt.", "visibility": "public"}`, who.Organizations[0].OrgID))
			if code != 201 {
				t.Fatalf("Mölndal's need: %d %s", code, body)
			}
			var need struct{ ID int64 }
			json.Unmarshal([]byte(body), &need)

			plan := filepath.Join(t.TempDir(), "plan.csv")
			os.WriteFile(plan, []byte("Rubrik;Beskrivning\r\nDigitala trygghetslarm i ordinärt boende;Trygghetslarm för äldre med en digital larmkedja till hemtjänsten.\r\nSkolskjuts;Busstrafik till skolorna.\r\n"), 0o644)
			cliEnv, out, _ := testEnv(map[string]string{"ARENA_DB": dsn})
			for _, args := range [][]string{{"import", "needs", "--org", "212000-2411", plan}, {"import", "publish", "--org", "212000-2411"}} {
				if err := Run(ctx, args, cliEnv); err != nil {
					t.Fatalf("%v: %v\n%s", args, err, out)
				}
			}
			published := time.Now()
			for {
				_, body := call("GET", fmt.Sprintf("/api/v1/needs/%d/matches", need.ID), "")
				if strings.Contains(body, "Digitala trygghetslarm i ordinärt boende") {
					t.Logf("matchable %v after publishing", time.Since(published))
					break
				}
				if time.Since(published) > 10*time.Second {
					t.Fatalf("the imported need is not matched by the running server: %s", body)
				}
				time.Sleep(50 * time.Millisecond)
			}
		})
	}
}
