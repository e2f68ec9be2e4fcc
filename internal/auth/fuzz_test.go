package auth

// Fuzz tests of what auth reads: password hashes in PHC form (the stored
// hash, and whatever a damaged row holds), token hashes and the sign-in
// backoff. The hashes here use small argon2 parameters so that an input
// takes microseconds; the format is HashPassword's.

import (
	"encoding/base64"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"
)

// fzHash is HashPassword's form with the given parameters.
func fzHash(password string, salt []byte, m, t uint32, p uint8, keyLen uint32) string {
	key := argon2.IDKey([]byte(password), salt, t, m, p, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, m, t, p, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// FuzzPasswordRoundTrip: a hash of a password (any password, salt and
// parameters CheckPassword accepts: keys of 16 bytes or more) matches that
// password and no other.
func FuzzPasswordRoundTrip(f *testing.F) {
	f.Add("demo-arena-2026", []byte("0123456789abcdef"), uint8(8), uint8(1), uint8(1), uint8(32), "demo-arena-2027")
	f.Add("rätt-lösenord-2026", []byte{}, uint8(64), uint8(2), uint8(2), uint8(1), "rätt-lösenord-2026 ")
	f.Add("", []byte{0}, uint8(16), uint8(3), uint8(4), uint8(64), "\x00")
	f.Add("pass\x00word\xff", []byte("salt"), uint8(8), uint8(1), uint8(1), uint8(16), "pass")
	f.Fuzz(func(t *testing.T, password string, salt []byte, m, passes, p, keyLen uint8, other string) {
		par := 1 + p%2
		h := fzHash(password, salt, 8*uint32(par)+uint32(m%16), 1+uint32(passes%2), par, 16+uint32(keyLen%64))
		if !CheckPassword(h, password) {
			t.Fatalf("%s does not match %q", h, password)
		}
		if other != password && CheckPassword(h, other) {
			t.Fatalf("%s matches %q as well as %q", h, other, password)
		}
	})
}

// FuzzCheckPassword reads arbitrary stored hashes: CheckPassword never
// panics, and matches only a hash whose key is argon2id of the password.
// Hashes asking for more than a little memory or time are left out (a
// stored hash of m=4294967295 would make a sign-in allocate 4 TiB; the
// hashes come from HashPassword, so that is a note, not a finding).
func FuzzCheckPassword(f *testing.F) {
	valid := fzHash("demo-arena-2026", []byte("0123456789abcdef"), 8, 1, 1, 32)
	f.Add(valid, "demo-arena-2026")
	f.Add(valid, "demo-arena-2025")
	f.Add(strings.Replace(valid, "v=19", "v=16", 1), "demo-arena-2026")
	f.Add(strings.Replace(valid, "argon2id", "argon2i", 1), "demo-arena-2026")
	f.Add(strings.Replace(valid, "m=8,t=1,p=1", "m=8,t=1,p=256", 1), "x")
	f.Add(strings.Replace(valid, "m=8,t=1,p=1", "m=+8,t=01,p=1 ", 1), "demo-arena-2026")
	f.Add("$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$a2V5", "x")
	f.Add("$argon2id$v=19$m=8,t=1,p=1$$", "x")
	f.Add("$argon2id$v=19$m=8,t=1,p=1$!!$a2V5", "x")
	f.Add("$$$$$", "")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, hash, password string) {
		parts := strings.Split(hash, "$")
		if len(parts) == 6 {
			var m, tt uint32
			var p uint8
			if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &tt, &p); err == nil {
				if m > 1024 || tt > 3 {
					t.Skip("parameters too costly for a fuzz input")
				}
			}
		}
		if !CheckPassword(hash, password) {
			return
		}
		// A match: the hash is HashPassword's form (up to how the numbers
		// are written) and its key is argon2id of the password.
		b64 := base64.RawStdEncoding
		var m, tt uint32
		var p uint8
		fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &tt, &p)
		salt, err1 := b64.DecodeString(parts[4])
		key, err2 := b64.DecodeString(parts[5])
		if parts[1] != "argon2id" || err1 != nil || err2 != nil || string(argon2.IDKey([]byte(password), salt, tt, m, p, uint32(len(key)))) != string(key) {
			t.Fatalf("%q matched %q", hash, password)
		}
	})
}

// FuzzTokens: a token's stored form is 64 hex digits, the same for the
// same token and different for another; NewToken gives a token with its
// prefix and the hash of exactly that token.
func FuzzTokens(f *testing.F) {
	f.Add("arena_abc", "arena_abd")
	f.Add("", " ")
	f.Add("\x00\xff", "\x00")
	f.Fuzz(func(t *testing.T, token, other string) {
		h := HashToken(token)
		if len(h) != 64 || strings.Trim(h, "0123456789abcdef") != "" || HashToken(token) != h {
			t.Fatalf("HashToken(%q) = %q", token, h)
		}
		if other != token && HashToken(other) == h {
			t.Fatalf("HashToken(%q) = HashToken(%q)", other, token)
		}
		tok, hash := NewToken(token)
		if !strings.HasPrefix(tok, token) || len(tok) != len(token)+43 || HashToken(tok) != hash {
			t.Fatalf("NewToken(%q) = %q, %q", token, tok, hash)
		}
	})
}

// FuzzBackoff: no block within the free failures; after them the block
// starts at a second, doubles with each failure and stops at MaxBlock.
func FuzzBackoff(f *testing.F) {
	for _, n := range []int{0, 1, 5, 6, 7, 20, 21, 25, 30, 1000, -1, math.MaxInt, math.MinInt} {
		f.Add(n, uint8(FreeAccountFailures))
		f.Add(n, uint8(FreeClientFailures))
	}
	f.Fuzz(func(t *testing.T, failures int, free uint8) {
		d := Backoff(failures, int(free))
		switch {
		case failures <= int(free):
			if d != 0 {
				t.Fatalf("Backoff(%d, %d) = %v within the free failures", failures, free, d)
			}
		case d < time.Second || d > MaxBlock:
			t.Fatalf("Backoff(%d, %d) = %v", failures, free, d)
		case failures == int(free)+1 && d != time.Second:
			t.Fatalf("the first block is %v", d)
		}
		if failures < math.MaxInt {
			next := Backoff(failures+1, int(free))
			if failures >= int(free) && next != min(2*d, MaxBlock) && !(d == 0 && next == time.Second) {
				t.Fatalf("Backoff(%d, %d) = %v, then %v", failures, free, d, next)
			}
		}
	})
}
