package store_test

import (
	"context"
	"fmt"
	"testing"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// notified gives the person n notifications, one for each of n new needs
// of the organisation, and returns their ids, newest first.
func notified(tb testing.TB, db *store.DB, ctx context.Context, userID, orgID int64, n int) []int64 {
	tb.Helper()
	for i := range n {
		need := &arena.Need{OrgID: orgID, Title: fmt.Sprintf("Behov %d", i), Description: "Ett behov att bli aviserad om.", Visibility: arena.VisibilityPublic}
		if err := db.Needs.Create(ctx, need); err != nil {
			tb.Fatal(err)
		}
	}
	testdb.NotifyPending(tb, db, ctx, userID)
	notes, err := db.Notifications(ctx, userID, 0, n+1)
	if err != nil {
		tb.Fatal(err)
	}
	ids := make([]int64, len(notes))
	for i, x := range notes {
		ids[i] = x.ID
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
	org := mustOrg(b, db, "Falu kommun", "2120002411")
	ctx := mustUser(b, db, "anna@falun.se", org)
	u := arena.ActorFrom(ctx)
	ids := notified(b, db, ctx, u.UserID(), org.ID, 1500)
	var read []int64
	for i, id := range ids {
		if i%3 == 0 {
			read = append(read, id)
		}
	}
	if err := db.MarkRead(ctx, u.UserID(), read); err != nil {
		b.Fatal(err)
	}
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			if n, err := db.UnreadCount(ctx, u.UserID()); err != nil || n != 1000 {
				b.Fatal(n, err)
			}
		}
	})
	b.Run("up-to-100", func(b *testing.B) {
		for b.Loop() {
			if n, err := db.UnreadCountUpTo(ctx, u.UserID(), 100); err != nil || n != 100 {
				b.Fatal(n, err)
			}
		}
	})
}
