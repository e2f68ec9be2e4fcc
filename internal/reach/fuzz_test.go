package reach_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	arena "github.com/arena-se/arena"
	"github.com/arena-se/arena/internal/i18n"
	"github.com/arena-se/arena/internal/reach"
	"github.com/arena-se/arena/internal/store"
	"github.com/arena-se/arena/internal/testdb"
)

// FuzzSignedTokens: the signed tokens of unsubscribe and sign-up links,
// read from anyone's address bar, are checked in bounded time; nothing
// but the tokens the service signed is accepted, and every refusal is a
// 400 (EINVALID) on the token.
func FuzzSignedTokens(f *testing.F) {
	db := testdb.Open(f, store.SQLite)
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	s := reach.New(db, nil, i18n.MustLoad(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()
	unsub, err := s.UnsubscribeToken(ctx, reach.Unsubscribe{UserID: 7, Kinds: []arena.NotificationKind{arena.NotifyNeedMatch, arena.NotifyWatch}, Expires: now.Add(time.Hour)})
	if err != nil {
		f.Fatal(err)
	}
	invite, err := s.InviteToken(ctx, &arena.EmailInvite{Meta: arena.Meta{ID: 3}, ExpiresAt: now.Add(time.Hour)})
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{unsub, invite, "", ".", "x.y", unsub + "x", invite[1:], "Mzo5OTk5OTk5OTk5OTk5OTk5OTk5OTk.AAAA"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, token string) {
		u, err := s.ParseUnsubscribe(ctx, token)
		switch {
		case err == nil && token != unsub:
			t.Fatalf("accepted an unsubscribe token it did not sign: %q → %+v", token, u)
		case err != nil && token == unsub:
			t.Fatalf("refused its own unsubscribe token: %v", err)
		case err != nil && (arena.ErrorCode(err) != arena.EINVALID || arena.ErrorField(err) != "token"):
			t.Fatalf("unsubscribe %q: %v", token, err)
		}
		id, err := s.ParseInviteToken(ctx, token)
		switch {
		case err == nil && (token != invite || id != 3):
			t.Fatalf("accepted a sign-up token it did not sign: %q → %d", token, id)
		case err != nil && token == invite:
			t.Fatalf("refused its own sign-up token: %v", err)
		case err != nil && (arena.ErrorCode(err) != arena.EINVALID || arena.ErrorField(err) != "token"):
			t.Fatalf("sign-up %q: %v", token, err)
		}
	})
}
