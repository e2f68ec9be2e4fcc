package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/match"
	"github.com/arena-se/arena/internal/match/eval"
	"github.com/arena-se/arena/internal/matching"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// Two instances on one PostgreSQL database: a need written through one is
// matchable through the other within a second.
func TestTwoInstancesShareTheIndex(t *testing.T) {
	dsn := testdb.DSN(t, store.Postgres)
	cfg := DefaultConfig()
	cfg.DB, cfg.Addr = dsn, "127.0.0.1:0"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mains []*Main
	for range 2 {
		env, _, _ := testEnv(nil) // each instance logs to its own buffer
		m, err := Open(ctx, cfg, env)
		if err != nil {
			t.Fatal(err)
		}
		go m.Serve(ctx)
		mains = append(mains, m)
	}
	a, b := mains[0], mains[1]
	tokA, err := CreateUser(ctx, a.DB, UserRequest{Email: "a@falun.se", OrgNumber: "212000-2411", OrgName: "Falu kommun", OrgKind: "kommun"})
	if err != nil {
		t.Fatal(err)
	}
	tokB, err := CreateUser(ctx, a.DB, UserRequest{Email: "b@molndal.se", OrgNumber: "212000-1355", OrgName: "Mölndals stad", OrgKind: "kommun"})
	if err != nil {
		t.Fatal(err)
	}
	call := func(m *Main, tok, method, path, body string) (int, []byte) {
		req, _ := http.NewRequest(method, m.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, out
	}
	orgOf := func(tok string) int64 {
		_, body := call(a, tok, "GET", "/api/v1/me", "")
		var me struct {
			Organizations []struct {
				OrgID int64 `json:"org_id"`
			} `json:"organizations"`
		}
		json.Unmarshal(body, &me)
		return me.Organizations[0].OrgID
	}
	code, body := call(b, tokA, "POST", "/api/v1/needs", fmt.Sprintf(`{"org_id": %d, "title": "Sensorer på brandposter", "description": "Vi vill upptäcka obehörigt uttag av vatten ur brandposter med sensorer som larmar.", "visibility": "public"}`, orgOf(tokA)))
	if code != 201 {
		t.Fatalf("need on B: %d %s", code, body)
	}
	var q struct{ ID int64 }
	json.Unmarshal(body, &q)
	// Give instance B a moment to be idle, then write through A only.
	time.Sleep(100 * time.Millisecond)
	code, body = call(a, tokB, "POST", "/api/v1/needs", fmt.Sprintf(`{"org_id": %d, "title": "Brandpostplugg med sensor", "description": "Smarta brandpostpluggar som larmar när någon tar vatten ur brandposten.", "visibility": "public"}`, orgOf(tokB)))
	if code != 201 {
		t.Fatalf("need on A: %d %s", code, body)
	}
	written := time.Now()
	for {
		_, body := call(b, tokA, "GET", fmt.Sprintf("/api/v1/needs/%d/matches", q.ID), "")
		if strings.Contains(string(body), "Brandpostplugg med sensor") {
			t.Logf("matchable on the other instance after %v", time.Since(written))
			break
		}
		if time.Since(written) > time.Second {
			t.Fatalf("need written on A not matchable on B within 1 s: %s", body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// match-file and the API rank the same way: the dev set stored in a
// database and queried through the service gives match-file's rankings,
// cut where the scores fall below a shown match (matching.ShowMatch).
func TestMatchFileRanksAsTheAPI(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "eval", "needs.jsonl")
	if d := os.Getenv("ARENA_TEST_EVAL_DIR"); d != "" {
		path = filepath.Join(d, "needs.jsonl")
	}
	recs, err := eval.ReadFile(path)
	if err != nil {
		t.Skip("no dev set: ", err)
	}
	db := testdb.Open(t, store.SQLite)
	ctx := arena.WithActor(context.Background(), arena.SystemActor())
	orgs := map[string]int64{}
	devOf := map[int64]string{}
	for _, r := range recs {
		if orgs[r.Org] == 0 {
			o := &arena.Organization{Name: r.Org, Kind: arena.OrgKind(r.OrgKind)}
			if err := db.Organizations.Create(ctx, o); err != nil {
				t.Fatal(err)
			}
			orgs[r.Org] = o.ID
		}
		d := arena.NewDate(r.PlannedYear, 6, 1)
		n := &arena.Need{OrgID: orgs[r.Org], Title: r.Title, Description: r.Description, CPVCodes: r.CPV,
			EstimatedValueSEK: r.EstimatedValueSEK, PlannedDate: &d, Visibility: arena.VisibilityPublic}
		if err := db.Needs.Create(ctx, n); err != nil {
			t.Fatal(err)
		}
		devOf[n.ID] = r.ID
	}
	an := match.NewAnalyzer(nil)
	svc := matching.New(db, an, newLogger(Config{LogFormat: "text"}, io.Discard))
	if err := svc.Build(ctx); err != nil {
		t.Fatal(err)
	}
	ranked := match.RankRecords(an, recs, 10)
	file, shown := map[string][]string{}, 0
	for i, r := range recs {
		for _, m := range ranked[i] {
			if math.Round(m.Pair*1000)/1000 >= matching.ShowMatch {
				file[r.ID] = append(file[r.ID], m.ID)
				shown++
			}
		}
	}
	if shown == 0 {
		t.Fatal("no need of the dev set has a match to show")
	}
	differ := 0
	for id, dev := range devOf {
		res, err := svc.Matches(ctx, id, matching.KindNeeds, 10, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, it := range res.Items {
			got = append(got, devOf[it.ID])
		}
		if strings.Join(got, ",") != strings.Join(file[dev], ",") {
			differ++
			t.Errorf("%s: API %v, match-file %v", dev, got, file[dev])
		}
	}
	t.Logf("%d of %d rankings identical", len(devOf)-differ, len(devOf))
}
