package store_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// TestSessionActor: a session and a bearer token give the same actor as
// ActorFor (the user and the active memberships only); an expired or
// unknown one gives none.
func TestSessionActor(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		falun := mustOrg(t, db, "Falu kommun", "2120002411")
		molndal := mustOrg(t, db, "Mölndals stad", "2120001207")
		borlange := mustOrg(t, db, "Borlänge kommun", "2120002098")
		u := &arena.User{Email: "anna@falun.se", Name: "Anna"}
		if err := db.Users.Create(system, u); err != nil {
			t.Fatal(err)
		}
		for _, m := range []arena.OrgMembership{
			{UserID: u.ID, OrgID: molndal.ID, Role: arena.OrgRoleMember},
			{UserID: u.ID, OrgID: falun.ID, Role: arena.OrgRoleAdmin},
			{UserID: u.ID, OrgID: borlange.ID, Role: arena.OrgRoleMember, Status: arena.OrgMemberInvited},
		} {
			if err := db.OrgMemberships.Create(system, &m); err != nil {
				t.Fatal(err)
			}
		}
		loner := &arena.User{Email: "ensam@example.se"}
		if err := db.Users.Create(system, loner); err != nil {
			t.Fatal(err)
		}
		want, err := db.ActorFor(context.Background(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := want.OrgIDs(); !slices.Equal(got, []int64{molndal.ID, falun.ID}) || want.User.Email != "anna@falun.se" || !want.IsOrgAdmin(falun.ID) {
			t.Fatalf("ActorFor: %+v, organisations %v", want.User, got)
		}
		if err := db.CreateSession(context.Background(), "hash-1", "csrf-1", u.ID, time.Hour); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateSession(context.Background(), "hash-2", "csrf-2", loner.ID, time.Hour); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateAPIToken(context.Background(), "token-1", u.ID, "script"); err != nil {
			t.Fatal(err)
		}
		same := func(what string, a *arena.Actor) {
			t.Helper()
			if a.User.ID != want.User.ID || a.User.Email != want.User.Email || a.User.Name != want.User.Name || !slices.Equal(a.Orgs, want.Orgs) {
				t.Errorf("%s: %+v %+v, want %+v %+v", what, a.User, a.Orgs, want.User, want.Orgs)
			}
		}
		a, csrf, err := db.SessionActor(context.Background(), "hash-1")
		if err != nil || csrf != "csrf-1" {
			t.Fatalf("SessionActor: %v, csrf %q", err, csrf)
		}
		same("session", a)
		a, err = db.TokenActor(context.Background(), "token-1")
		if err != nil {
			t.Fatal(err)
		}
		same("token", a)
		if a, _, err := db.SessionActor(context.Background(), "hash-2"); err != nil || a.User.ID != loner.ID || len(a.Orgs) != 0 {
			t.Errorf("a user without organisations: %+v, %v", a, err)
		}
		if _, err := db.TokenActor(context.Background(), "hash-1"); arena.ErrorCode(err) != arena.EUNAUTHORIZED {
			t.Errorf("unknown token: %v", err)
		}
		if _, err := db.ActorFor(context.Background(), 999_999); arena.ErrorCode(err) != arena.ENOTFOUND {
			t.Errorf("ActorFor of no user: %v", err)
		}
		now = now.Add(2 * time.Hour)
		if _, _, err := db.SessionActor(context.Background(), "hash-1"); arena.ErrorCode(err) != arena.EUNAUTHORIZED {
			t.Errorf("expired session: %v", err)
		}
	})
}

// TestReadsAgreeWithList: All, Newest, Count and GetMany give what List
// gives the same actor: the same records, visibility and all.
func TestReadsAgreeWithList(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		falun := mustOrg(t, db, "Falu kommun", "2120002411")
		molndal := mustOrg(t, db, "Mölndals stad", "2120001207")
		anna := mustUser(t, db, "anna@falun.se", falun)
		erik := mustUser(t, db, "erik@molndal.se", molndal)
		var ids []int64
		for i := range 30 {
			ctx, org := anna, falun
			if i%3 == 0 {
				ctx, org = erik, molndal
			}
			vis := arena.VisibilityPublic
			switch i % 5 {
			case 1:
				vis = arena.VisibilityDraft
			case 2:
				vis = arena.VisibilityOrganisation
			}
			n := &arena.Need{OrgID: org.ID, Title: "Behov", Intent: arena.Intents[i%len(arena.Intents)], Visibility: vis}
			if err := db.Needs.Create(ctx, n); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, n.ID)
		}
		for _, ctx := range []context.Context{anna, erik, context.Background()} {
			for _, f := range []map[string]string{nil, {"intent": string(arena.Intents[0])}, {"org_id": idOf(falun.ID)}} {
				page, err := db.Needs.List(ctx, store.ListQuery{Filters: f, Limit: store.MaxPageSize})
				if err != nil {
					t.Fatal(err)
				}
				want := needIDs(page.Items)
				all, err := store.All(ctx, db.Needs, f)
				if err != nil {
					t.Fatal(err)
				}
				if got := needIDs(all); !slices.Equal(got, want) {
					t.Errorf("All(%v) = %v, List gives %v", f, got, want)
				}
				newest, err := store.Newest(ctx, db.Needs, f, 0, 4)
				if err != nil {
					t.Fatal(err)
				}
				top := slices.Clone(want)
				slices.Reverse(top)
				if got := needIDs(newest); !slices.Equal(got, top[:min(4, len(top))]) {
					t.Errorf("Newest(%v, 4) = %v, want %v", f, got, top[:min(4, len(top))])
				}
				// The next page: below the last id of this one.
				if len(top) > 4 {
					older, err := store.Newest(ctx, db.Needs, f, top[3], 2)
					if err != nil {
						t.Fatal(err)
					}
					if got := needIDs(older); !slices.Equal(got, top[4:min(6, len(top))]) {
						t.Errorf("Newest(%v, before %d, 2) = %v, want %v", f, top[3], got, top[4:min(6, len(top))])
					}
				}
				if n, err := store.Count(ctx, db.Needs, f); err != nil || n != page.Total {
					t.Errorf("Count(%v) = %d, %v; List's total is %d", f, n, err, page.Total)
				}
			}
			got, err := db.Needs.GetMany(ctx, append(ids, ids[0], 999_999))
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range ids {
				_, gerr := db.Needs.Get(ctx, id)
				if (got[id] != nil) != (gerr == nil) {
					t.Errorf("GetMany has need %d: %v; Get says %v", id, got[id] != nil, gerr)
				}
			}
			if got[999_999] != nil || len(got) > len(ids) {
				t.Errorf("GetMany returned %d needs for %d ids", len(got), len(ids))
			}
		}
	})
}

// TestOrgsWithNeedsSince: the organisations with a need changed after a
// moment, among the needs the actor may see.
func TestOrgsWithNeedsSince(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		falun := mustOrg(t, db, "Falu kommun", "2120002411")
		molndal := mustOrg(t, db, "Mölndals stad", "2120001207")
		anna := mustUser(t, db, "anna@falun.se", falun)
		erik := mustUser(t, db, "erik@molndal.se", molndal)
		post := func(ctx context.Context, org int64, vis arena.Visibility) {
			t.Helper()
			if err := db.Needs.Create(ctx, &arena.Need{OrgID: org, Title: "Behov", Visibility: vis}); err != nil {
				t.Fatal(err)
			}
		}
		post(anna, falun.ID, arena.VisibilityPublic)
		since := now
		now = now.Add(time.Minute)
		post(erik, molndal.ID, arena.VisibilityDraft)
		if got, err := db.OrgsWithNeedsSince(anna, since); err != nil || len(got) != 0 {
			t.Errorf("a draft of another organisation counts: %v, %v", got, err)
		}
		if got, err := db.OrgsWithNeedsSince(erik, since); err != nil || !got[molndal.ID] || len(got) != 1 {
			t.Errorf("the own draft does not count: %v, %v", got, err)
		}
		post(erik, molndal.ID, arena.VisibilityPublic)
		if got, err := db.OrgsWithNeedsSince(anna, since); err != nil || !got[molndal.ID] || len(got) != 1 {
			t.Errorf("a public need: %v, %v", got, err)
		}
		if got, err := db.OrgsWithNeedsSince(anna, now); err != nil || len(got) != 0 {
			t.Errorf("nothing after the newest change: %v, %v", got, err)
		}
	})
}

func needIDs(ns []*arena.Need) []int64 {
	out := make([]int64, len(ns))
	for i, n := range ns {
		out[i] = n.ID
	}
	return out
}

func idOf(id int64) string { return strconv.FormatInt(id, 10) }

// TestTextSearchFoldsCase: a search ignores the case of every letter, Å,
// Ä and Ö too, on both backends, and its % and _ are themselves, not
// wildcards (found by FuzzAPIRead).
func TestTextSearchFoldsCase(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		mustOrg(t, db, "Region Örebro län", "2321000164")
		mustOrg(t, db, "Ängelholms kommun", "2120000985")
		mustOrg(t, db, "Falu kommun", "2120002411")
		for q, want := range map[string][]string{
			"örebro": {"Region Örebro län"}, "ÖREBRO LÄN": {"Region Örebro län"}, "ängelholm": {"Ängelholms kommun"},
			"REGION": {"Region Örebro län"}, "%": nil, "_": nil, "kommun": {"Falu kommun", "Ängelholms kommun"},
		} {
			page, err := db.Organizations.List(system, store.ListQuery{Filters: map[string]string{"q": q}})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, o := range page.Items {
				got = append(got, o.Name)
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("q=%q found %q, want %q", q, got, want)
			}
		}
	})
}
