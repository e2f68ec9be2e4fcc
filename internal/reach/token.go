package reach

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	arena "github.com/arena-se/arena"
)

// UnsubscribeTTL is how long an unsubscribe link in an e-mail works.
const UnsubscribeTTL = 90 * 24 * time.Hour

// unsubscribeSecret names the shared key that signs unsubscribe links.
const unsubscribeSecret = "unsubscribe"

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Unsubscribe is what an unsubscribe link asks: no more e-mail of the
// kinds to the user.
type Unsubscribe struct {
	UserID  int64
	Kinds   []arena.NotificationKind
	Expires time.Time
}

// UnsubscribeToken signs u for a link. The key is shared by every instance
// (kept in the database).
func (s *Service) UnsubscribeToken(ctx context.Context, u Unsubscribe) (string, error) {
	key, err := s.DB.Secret(ctx, unsubscribeSecret)
	if err != nil {
		return "", err
	}
	kinds := make([]string, len(u.Kinds))
	for i, k := range u.Kinds {
		kinds[i] = string(k)
	}
	payload := base64.RawURLEncoding.EncodeToString([]byte(itoa(u.UserID) + ":" + strings.Join(kinds, ",") + ":" + itoa(u.Expires.Unix())))
	return payload + "." + sign(key, payload), nil
}

func sign(key []byte, payload string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("arena unsubscribe\x00" + payload))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// MaxTokenLen bounds an unsubscribe token read from a link.
const MaxTokenLen = 512

// ParseUnsubscribe checks a token's signature and expiry and returns what
// it asks; a token that is forged, damaged or expired is EINVALID (field
// "token") and asks nothing.
func (s *Service) ParseUnsubscribe(ctx context.Context, token string) (Unsubscribe, error) {
	bad := arena.Invalid("token", "err.unsubscribe_token")
	payload, sig, ok := strings.Cut(token, ".")
	if !ok || len(token) > MaxTokenLen {
		return Unsubscribe{}, bad
	}
	key, err := s.DB.Secret(ctx, unsubscribeSecret)
	if err != nil {
		return Unsubscribe{}, err
	}
	if !hmac.Equal([]byte(sig), []byte(sign(key, payload))) {
		return Unsubscribe{}, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return Unsubscribe{}, bad
	}
	parts := strings.Split(string(raw), ":")
	if len(parts) != 3 {
		return Unsubscribe{}, bad
	}
	var u Unsubscribe
	exp, err1 := strconv.ParseInt(parts[2], 10, 64)
	uid, err2 := strconv.ParseInt(parts[0], 10, 64)
	if err1 != nil || err2 != nil || uid <= 0 {
		return Unsubscribe{}, bad
	}
	u.UserID, u.Expires = uid, time.Unix(exp, 0)
	if !s.DB.Now().Before(u.Expires) {
		return Unsubscribe{}, arena.Invalid("token", "err.unsubscribe_expired")
	}
	for k := range strings.SplitSeq(parts[1], ",") {
		kind := arena.NotificationKind(k)
		if !kind.Valid() {
			return Unsubscribe{}, bad
		}
		u.Kinds = append(u.Kinds, kind)
	}
	return u, nil
}

// ApplyUnsubscribe turns e-mail off for the kinds the token names. It
// needs no sign-in: the signed token is the person's consent (RFC 8058).
func (s *Service) ApplyUnsubscribe(ctx context.Context, token string) (Unsubscribe, error) {
	u, err := s.ParseUnsubscribe(ctx, token)
	if err != nil {
		return u, err
	}
	modes := map[arena.NotificationKind]arena.DeliveryMode{}
	for _, k := range u.Kinds {
		modes[k] = arena.DeliverOff
	}
	return u, s.DB.SetNotificationSettings(ctx, u.UserID, modes, "")
}
