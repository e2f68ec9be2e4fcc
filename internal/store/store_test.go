package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

var system = arena.WithActor(context.Background(), arena.SystemActor())

func mustOrg(t testing.TB, db *store.DB, name, number string) *arena.Organization {
	t.Helper()
	o := &arena.Organization{Name: name, OrgNumber: number, Kind: arena.OrgKommun}
	if err := db.Organizations.Create(system, o); err != nil {
		t.Fatalf("create org %s: %v", name, err)
	}
	return o
}

func mustUser(t testing.TB, db *store.DB, email string, org *arena.Organization) context.Context {
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

// Two writers that read the same version: exactly one update lands, the
// other is told the record changed, and nothing is silently overwritten.
func TestConcurrentUpdatesNeverOverwrite(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		org := mustOrg(t, db, "Mölndals stad", "")
		ctx := mustUser(t, db, "erik@molndal.se", org)
		n := &arena.Need{OrgID: org.ID, Title: "Start", Visibility: arena.VisibilityPublic}
		if err := db.Needs.Create(ctx, n); err != nil {
			t.Fatal(err)
		}
		const writers = 8
		errs := make(chan error, writers)
		for i := range writers {
			go func() {
				v := *n
				v.Title = "Skrivare " + string(rune('A'+i))
				errs <- db.Needs.Update(ctx, &v, 1)
			}()
		}
		ok, stale := 0, 0
		for range writers {
			switch err := <-errs; arena.ErrorCode(err) {
			case "":
				ok++
			case arena.EPRECONDITION:
				stale++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 1 || stale != writers-1 {
			t.Fatalf("%d updates landed and %d were refused; want 1 and %d", ok, stale, writers-1)
		}
		got, _ := db.Needs.Get(ctx, n.ID)
		if got.Version != 2 {
			t.Fatalf("version %d after one update", got.Version)
		}
	})
}

func TestListPagingAndFilters(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		for i := range 7 {
			o := &arena.Organization{Name: "Org " + string(rune('A'+i)), Kind: arena.OrgKommun}
			if i%2 == 1 {
				o.Kind = arena.OrgRegion
			}
			if err := db.Organizations.Create(system, o); err != nil {
				t.Fatal(err)
			}
		}
		var seen []int64
		after := int64(0)
		for {
			p, err := db.Organizations.List(context.Background(), store.ListQuery{After: after, Limit: 3})
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != 7 {
				t.Fatalf("total %d", p.Total)
			}
			for _, o := range p.Items {
				seen = append(seen, o.ID)
			}
			if p.Next == 0 {
				break
			}
			after = p.Next
		}
		if len(seen) != 7 {
			t.Fatalf("paged through %d of 7: %v", len(seen), seen)
		}
		for i := 1; i < len(seen); i++ {
			if seen[i] <= seen[i-1] {
				t.Fatalf("pages out of order: %v", seen)
			}
		}
		p, err := db.Organizations.List(context.Background(), store.ListQuery{Filters: map[string]string{"kind": "region"}})
		if err != nil || p.Total != 3 {
			t.Fatalf("region filter: %v %v", p, err)
		}
		if _, err := db.Organizations.List(context.Background(), store.ListQuery{Limit: store.MaxPageSize + 1}); arena.ErrorField(err) != "limit" {
			t.Fatalf("oversized page: %v", err)
		}
	})
}

func TestReferencesAndUniqueValues(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		org := mustOrg(t, db, "Falu kommun", "212000-2411")
		if err := db.Organizations.Create(system, &arena.Organization{Name: "Dubblett", OrgNumber: "2120002411", Kind: arena.OrgKommun}); arena.ErrorCode(err) != arena.ECONFLICT || arena.ErrorMsg(err).Key != "err.unique" {
			t.Fatalf("duplicate org number: %v", err)
		}
		parent := int64(424242)
		err := db.Networks.Create(system, &arena.Network{Name: "Undergrupp", Kind: arena.NetworkTactical, ParentID: &parent})
		if arena.ErrorField(err) != "parent_id" {
			t.Fatalf("missing parent: %v", err)
		}
		tactical := &arena.Network{Name: "Taktiskt", Kind: arena.NetworkTactical, OwnerOrgID: &org.ID}
		if err := db.Networks.Create(system, tactical); err != nil {
			t.Fatal(err)
		}
		err = db.Networks.Create(system, &arena.Network{Name: "Under taktiskt", Kind: arena.NetworkTactical, ParentID: &tactical.ID})
		if arena.ErrorField(err) != "parent_id" {
			t.Fatalf("sub-group of a tactical network: %v", err)
		}
		m := &arena.NetworkMember{NetworkID: tactical.ID, OrgID: org.ID}
		if err := db.NetworkMembers.Create(system, m); err != nil {
			t.Fatal(err)
		}
		if m.Status != arena.MemberInvited {
			t.Fatalf("a membership without a status is %q, want invited: nobody is a member without saying so", m.Status)
		}
		if err := db.NetworkMembers.Create(system, &arena.NetworkMember{NetworkID: tactical.ID, OrgID: org.ID}); arena.ErrorCode(err) != arena.ECONFLICT || arena.ErrorMsg(err).Key != "err.unique" {
			t.Fatalf("member twice: %v", err)
		}
		// A closed network is read-only for its parts.
		tactical.Status = arena.NetworkClosed
		if err := db.Networks.Update(system, tactical, tactical.Version); err != nil {
			t.Fatal(err)
		}
		ctx := mustUser(t, db, "anna@falun.se", org)
		err = db.Activities.Create(ctx, &arena.Activity{NetworkID: tactical.ID, Kind: arena.ActivityRFI, Title: "RFI"})
		if arena.ErrorCode(err) != arena.ECONFLICT {
			t.Fatalf("activity in a closed network: %v", err)
		}
	})
}

func TestChangeLogFollowsWritesAndPrunes(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		start, err := db.LastChange(ctx)
		if err != nil {
			t.Fatal(err)
		}
		org := mustOrg(t, db, "Umeå kommun", "")
		changes, err := db.ChangesSince(ctx, start, 10)
		if err != nil || len(changes) != 1 || changes[0].Entity != "organizations" || changes[0].EntityID != org.ID || changes[0].Op != "create" {
			t.Fatalf("changes %+v %v", changes, err)
		}
		old := db.Now
		db.Now = func() time.Time { return old().Add(8 * 24 * time.Hour) }
		if err := db.PruneChanges(ctx, 7*24*time.Hour); err != nil {
			t.Fatal(err)
		}
		if changes, _ := db.ChangesSince(ctx, start, 10); len(changes) != 0 {
			t.Fatalf("changes older than a week kept: %+v", changes)
		}
	})
}

// The drivers' own error codes, not their wording, tell a taken unique
// value and a broken reference apart: both are ECONFLICT, with keys
// err.unique and err.referenced, on both databases; nothing is written.
func TestDriverErrorCodes(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		org := mustOrg(t, db, "Falu kommun", "")
		u := &arena.User{Email: "anna@falun.se"}
		if err := db.Users.Create(system, u); err != nil {
			t.Fatal(err)
		}
		membership := func() *arena.OrgMembership {
			return &arena.OrgMembership{UserID: u.ID, OrgID: org.ID, Role: arena.OrgRoleMember}
		}
		if err := db.OrgMemberships.Create(system, membership()); err != nil {
			t.Fatal(err)
		}
		refused(t, db, "a second membership of one person in one organisation", arena.ECONFLICT, "", "err.unique", func() error {
			return db.OrgMemberships.Create(system, membership())
		})
		refused(t, db, "a second user with the same e-mail", arena.ECONFLICT, "", "err.unique", func() error {
			return db.Users.Create(system, &arena.User{Email: "ANNA@falun.se"})
		})

		if err := db.Needs.Create(system, &arena.Need{OrgID: org.ID, Title: "Trygghetslarm"}); err != nil {
			t.Fatal(err)
		}
		refused(t, db, "deleting an organisation a need refers to", arena.ECONFLICT, "", "err.referenced", func() error {
			return db.Organizations.Delete(system, org.ID, org.Version)
		})
		if _, err := db.Organizations.Get(system, org.ID); err != nil {
			t.Fatalf("the organisation is gone after a refused delete: %v", err)
		}
		// need_id is left to the membership rule, which the platform skips:
		// the database's reference is what stops it.
		n := &arena.Network{Name: "Nät", Kind: arena.NetworkTactical}
		if err := db.Networks.Create(system, n); err != nil {
			t.Fatal(err)
		}
		missing := int64(987654)
		refused(t, db, "a membership naming a need that does not exist", arena.ECONFLICT, "", "err.referenced", func() error {
			return db.NetworkMembers.Create(system, &arena.NetworkMember{NetworkID: n.ID, OrgID: org.ID, NeedID: &missing})
		})
	})
}

// An alert is stored as its facts and read back with the same facts, its
// message following from them.
func TestAlertsKeepTheirFacts(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		org := mustOrg(t, db, "Falu kommun", "")
		n := &arena.Network{Name: "Belok", Kind: arena.NetworkStrategic, OwnerOrgID: &org.ID}
		if err := db.Networks.Create(system, n); err != nil {
			t.Fatal(err)
		}
		due := arena.NewDate(2026, 9, 30)
		want := []arena.Alert{
			{Kind: arena.AlertFundingEndsSoon, NetworkID: n.ID, Due: &due, Days: 45},
			{Kind: arena.AlertMembersWithoutMandate, NetworkID: n.ID, OrgID: org.ID, OrgIDs: []int64{org.ID}, OrgNames: []string{"Falu kommun"}},
			{Kind: arena.AlertCallDeadline, NetworkID: n.ID, CallID: 7, CallTitle: "Utmaningsdriven innovation", Due: &due, Days: 12},
		}
		if err := db.ReplaceAlerts(system, want); err != nil {
			t.Fatal(err)
		}
		if err := db.ReplaceAlerts(system, want); err != nil { // replaces, never adds
			t.Fatal(err)
		}
		broker := arena.WithActor(context.Background(), &arena.Actor{User: &arena.User{Meta: arena.Meta{ID: 1}, PlatformRoles: []arena.PlatformRole{arena.RoleBroker}}})
		got, err := db.Alerts(broker, store.AlertFilter{NetworkID: n.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%d alerts stored, %d read: %+v", len(want), len(got), got)
		}
		for _, w := range want {
			i := slices.IndexFunc(got, func(a arena.Alert) bool { return a.Kind == w.Kind })
			if i < 0 {
				t.Errorf("alert %s lost", w.Kind)
				continue
			}
			g := got[i]
			w.Msg = w.Message()
			if g.NetworkID != w.NetworkID || g.OrgID != w.OrgID || !slices.Equal(g.OrgIDs, w.OrgIDs) || !slices.Equal(g.OrgNames, w.OrgNames) ||
				g.CallID != w.CallID || g.CallTitle != w.CallTitle || g.Days != w.Days || fmt.Sprint(g.Due) != fmt.Sprint(w.Due) || g.Msg.String() != w.Msg.String() {
				t.Errorf("alert read back as\n%+v\nwant\n%+v", g, w)
			}
		}
		if got, _ := db.Alerts(broker, store.AlertFilter{Kind: arena.AlertCallDeadline}); len(got) != 1 || got[0].CallID != 7 {
			t.Errorf("alerts of kind call_deadline: %+v", got)
		}
		if got, _ := db.Alerts(broker, store.AlertFilter{OrgID: org.ID}); len(got) != 3 {
			t.Errorf("alerts of the owner's networks: %d, want 3", len(got))
		}
	})
}

// The needs' org_ids and not_org_ids filters take a list of organisations
// (the web's own needs and the others'), and RecentlyChanged lists the
// most recently changed first; a bad list is refused, naming the filter.
func TestNeedOrgListFilters(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		clock := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { clock = clock.Add(time.Second); return clock }
		orgs := []*arena.Organization{mustOrg(t, db, "Falu kommun", "212000-2411"), mustOrg(t, db, "Borlänge kommun", "212000-2262"), mustOrg(t, db, "Mora kommun", "212000-2197")}
		var needs []*arena.Need
		for i, o := range orgs {
			for j := range 2 {
				n := &arena.Need{OrgID: o.ID, Title: fmt.Sprintf("Behov %d-%d", i, j), Description: "Ett behov.", Intent: arena.IntentPlan, Visibility: arena.VisibilityPublic}
				if err := db.Needs.Create(system, n); err != nil {
					t.Fatal(err)
				}
				needs = append(needs, n)
			}
		}
		ids := func(filters map[string]string) []int64 {
			t.Helper()
			got, err := store.All(system, db.Needs, filters)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, n := range got {
				out = append(out, n.OrgID)
			}
			return out
		}
		both := fmt.Sprintf("%d,%d", orgs[0].ID, orgs[2].ID)
		if got := ids(map[string]string{"org_ids": both}); !slices.Equal(got, []int64{orgs[0].ID, orgs[0].ID, orgs[2].ID, orgs[2].ID}) {
			t.Errorf("org_ids=%s: needs of %v", both, got)
		}
		if got := ids(map[string]string{"not_org_ids": both}); !slices.Equal(got, []int64{orgs[1].ID, orgs[1].ID}) {
			t.Errorf("not_org_ids=%s: needs of %v", both, got)
		}
		for _, bad := range []string{"", "1,x", "0", strings.Repeat("1,", 50) + "1"} {
			for _, f := range []string{"org_ids", "not_org_ids"} {
				if _, err := store.All(system, db.Needs, map[string]string{f: bad}); arena.ErrorField(err) != f {
					t.Errorf("%s=%q: %v, want an error naming %s", f, bad, err, f)
				}
			}
		}
		// The first need changed last comes first.
		first := needs[0]
		first.Title = "Behov 0-0, ändrat"
		if err := db.Needs.Update(system, first, first.Version); err != nil {
			t.Fatal(err)
		}
		got, err := store.RecentlyChanged(system, db.Needs, map[string]string{"org_id": fmt.Sprint(orgs[0].ID)}, 1)
		if err != nil || len(got) != 1 || got[0].ID != first.ID {
			t.Fatalf("most recently changed of Falun's needs: %v %v, want %d", got, err, first.ID)
		}
	})
}
