package store_test

import (
	"context"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

var system = arena.WithActor(context.Background(), arena.SystemActor())

func mustOrg(t *testing.T, db *store.DB, name, number string) *arena.Organization {
	t.Helper()
	o := &arena.Organization{Name: name, OrgNumber: number, Kind: arena.OrgKommun}
	if err := db.Organizations.Create(system, o); err != nil {
		t.Fatalf("create org %s: %v", name, err)
	}
	return o
}

func mustUser(t *testing.T, db *store.DB, email string, org *arena.Organization) context.Context {
	t.Helper()
	u := &arena.User{Email: email, Name: email}
	if err := db.Users.Create(system, u); err != nil {
		t.Fatal(err)
	}
	if err := db.OrgMemberships.Create(system, &arena.OrgMembership{UserID: u.ID, OrgID: org.ID, Role: arena.OrgRoleMember}); err != nil {
		t.Fatal(err)
	}
	a, err := db.ActorFor(context.Background(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return arena.WithActor(context.Background(), a)
}

func TestCreateGetUpdate(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		org := mustOrg(t, db, "Falu kommun", "2120002411")
		if org.ID == 0 || org.Version != 1 || org.OrgNumber != "212000-2411" {
			t.Fatalf("created org = %+v", org)
		}
		ctx := mustUser(t, db, "anna@falun.se", org)
		v := int64(1_200_000)
		n := &arena.Need{OrgID: org.ID, Title: "Trygghetslarm", Description: "Digitala larm", CPVCodes: []string{"33196000-0"}, EstimatedValueSEK: &v, Visibility: arena.VisibilityPublic}
		if err := db.Needs.Create(ctx, n); err != nil {
			t.Fatal(err)
		}
		got, err := db.Needs.Get(ctx, n.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "Trygghetslarm" || got.CPVCodes[0] != "33196000" || *got.EstimatedValueSEK != v || got.Intent != arena.IntentExplore {
			t.Fatalf("got %+v", got)
		}
		got.Title = "Digitala trygghetslarm"
		if err := db.Needs.Update(ctx, got, 1); err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 {
			t.Fatalf("version = %d", got.Version)
		}
		stale := *got
		stale.Title = "stale"
		if err := db.Needs.Update(ctx, &stale, 1); arena.ErrorCode(err) != arena.EPRECONDITION {
			t.Fatalf("stale update: %v", err)
		}
		again, _ := db.Needs.Get(ctx, n.ID)
		if again.Title != "Digitala trygghetslarm" {
			t.Fatalf("stale update wrote: %q", again.Title)
		}
	})
}
