package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// notified gives the person n notifications, one for each of n new needs
// of the organisation (each need's event), and returns their ids, oldest
// first.
func notified(tb testing.TB, db *store.DB, ctx context.Context, userID, orgID int64, n int) []int64 {
	tb.Helper()
	for i := range n {
		need := &arena.Need{OrgID: orgID, Title: fmt.Sprintf("Behov %d", i), Description: "Ett behov att bli aviserad om.", Visibility: arena.VisibilityPublic}
		if err := db.Needs.Create(ctx, need); err != nil {
			tb.Fatal(err)
		}
	}
	var ids []int64
	for {
		events, err := db.PendingEvents(ctx, 500)
		if err != nil {
			tb.Fatal(err)
		}
		if len(events) == 0 {
			break
		}
		for _, e := range events {
			note := store.NewNotification{UserID: userID, Notification: arena.Notification{Kind: arena.NotifyNeedMatch, NeedID: e.EntityID, MyNeedID: e.EntityID}}
			if _, err := db.CommitEvent(ctx, e.ID, []store.NewNotification{note}, time.UTC); err != nil {
				tb.Fatal(err)
			}
		}
	}
	for before := int64(0); ; {
		notes, err := db.Notifications(ctx, userID, before, 500)
		if err != nil {
			tb.Fatal(err)
		}
		if len(notes) == 0 {
			break
		}
		for _, x := range notes {
			ids = append([]int64{x.ID}, ids...)
		}
		before = notes[len(notes)-1].ID
	}
	return ids
}

// TestUnreadCountUpTo: the header's count stops at its bound, the inbox's
// does not, and a notification read leaves both.
func TestUnreadCountUpTo(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *store.DB) {
		org := mustOrg(t, db, "Falu kommun", "2120002411")
		ctx := mustUser(t, db, "anna@falun.se", org)
		other := mustUser(t, db, "erik@falun.se", org)
		anna, erik := arena.ActorFrom(ctx).UserID(), arena.ActorFrom(other).UserID()
		ids := notified(t, db, ctx, anna, org.ID, 7)
		if len(ids) != 7 {
			t.Fatalf("%d notifications, want 7", len(ids))
		}
		count := func(user int64) (all, upTo5 int) {
			t.Helper()
			all, err := db.UnreadCount(ctx, user)
			if err != nil {
				t.Fatal(err)
			}
			if upTo5, err = db.UnreadCountUpTo(ctx, user, 5); err != nil {
				t.Fatal(err)
			}
			return all, upTo5
		}
		if all, upTo := count(anna); all != 7 || upTo != 5 {
			t.Errorf("7 unread: counted %d, and %d up to 5", all, upTo)
		}
		if err := db.MarkRead(ctx, anna, ids[:3]); err != nil {
			t.Fatal(err)
		}
		if all, upTo := count(anna); all != 4 || upTo != 4 {
			t.Errorf("4 unread: counted %d, and %d up to 5", all, upTo)
		}
		if all, upTo := count(erik); all != 0 || upTo != 0 {
			t.Errorf("another person's count: %d, and %d up to 5", all, upTo)
		}
		if err := db.MarkRead(ctx, anna, nil); err != nil {
			t.Fatal(err)
		}
		if all, upTo := count(anna); all != 0 || upTo != 0 {
			t.Errorf("all read: counted %d, and %d up to 5", all, upTo)
		}
	})
}

// BenchmarkUnreadCount counts the unread of a person with 1 500
// notifications, a third of them read, as the header of every page does
// (up to 100) and the inbox (all).
func BenchmarkUnreadCount(b *testing.B) {
	db := testdb.Open(b, store.SQLite)
	org := &arena.Organization{Name: "Falu kommun", OrgNumber: "2120002411", Kind: arena.OrgKommun}
	if err := db.Organizations.Create(system, org); err != nil {
		b.Fatal(err)
	}
	u := &arena.User{Email: "anna@falun.se", Name: "Anna"}
	if err := db.Users.Create(system, u); err != nil {
		b.Fatal(err)
	}
	if err := db.OrgMemberships.Create(system, &arena.OrgMembership{UserID: u.ID, OrgID: org.ID, Role: arena.OrgRoleMember}); err != nil {
		b.Fatal(err)
	}
	a, err := db.ActorFor(context.Background(), u.ID)
	if err != nil {
		b.Fatal(err)
	}
	ctx := arena.WithActor(context.Background(), a)
	ids := notified(b, db, ctx, u.ID, org.ID, 1500)
	var read []int64
	for i, id := range ids {
		if i%3 == 0 {
			read = append(read, id)
		}
	}
	if err := db.MarkRead(ctx, u.ID, read); err != nil {
		b.Fatal(err)
	}
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			if n, err := db.UnreadCount(ctx, u.ID); err != nil || n != 1000 {
				b.Fatal(n, err)
			}
		}
	})
	b.Run("up-to-100", func(b *testing.B) {
		for b.Loop() {
			if n, err := db.UnreadCountUpTo(ctx, u.ID, 100); err != nil || n != 100 {
				b.Fatal(n, err)
			}
		}
	})
}
