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
	return seal(key, unsubscribeSecret, itoa(u.UserID), strings.Join(kinds, ","), itoa(u.Expires.Unix())), nil
}

// seal makes a signed token of the parts (which hold no colon) for a
// purpose: the parts in base64url, a dot, and their HMAC-SHA256 under key.
func seal(key []byte, purpose string, parts ...string) string {
	payload := base64.RawURLEncoding.EncodeToString([]byte(strings.Join(parts, ":")))
	return payload + "." + sign(key, purpose, payload)
}

func sign(key []byte, purpose, payload string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("arena " + purpose + "\x00" + payload))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// unseal checks a token made by seal with the key named purpose and
// returns its n parts; ok is false for a token forged, damaged or of
// another purpose.
func (s *Service) unseal(ctx context.Context, purpose, token string, n int) (parts []string, ok bool, err error) {
	payload, sig, found := strings.Cut(token, ".")
	if !found || len(token) > MaxTokenLen {
		return nil, false, nil
	}
	key, err := s.DB.Secret(ctx, purpose)
	if err != nil {
		return nil, false, err
	}
	if !hmac.Equal([]byte(sig), []byte(sign(key, purpose, payload))) {
		return nil, false, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return nil, false, nil
	}
	parts = strings.Split(string(raw), ":")
	return parts, len(parts) == n, nil
}

// MaxTokenLen bounds a signed token read from a link.
const MaxTokenLen = 512

// ParseUnsubscribe checks a token's signature and expiry and returns what
// it asks; a token that is forged, damaged or expired is EINVALID (field
// "token") and asks nothing.
func (s *Service) ParseUnsubscribe(ctx context.Context, token string) (Unsubscribe, error) {
	bad := arena.Invalid("token", "err.unsubscribe_token")
	parts, ok, err := s.unseal(ctx, unsubscribeSecret, token, 3)
	if err != nil {
		return Unsubscribe{}, err
	}
	if !ok {
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
