package auth

import (
	"strings"
	"testing"
	"time"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("rätt lösenord")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$") {
		t.Fatalf("hash %q is not argon2id PHC", h)
	}
	if !CheckPassword(h, "rätt lösenord") {
		t.Fatal("the right password was refused")
	}
	if CheckPassword(h, "fel lösenord") {
		t.Fatal("a wrong password was accepted")
	}
	h2, _ := HashPassword("rätt lösenord")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	if CheckPassword("garbage", "x") {
		t.Fatal("a malformed hash was accepted")
	}
	// Damaged hashes are refused, not handed to argon2, which panics on
	// no passes, no threads or an empty key (found by FuzzCheckPassword)
	// or would allocate what m asks for.
	for _, h := range []string{
		"$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=64,t=1,p=0$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$",
		"$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5",
	} {
		if CheckPassword(h, "x") {
			t.Errorf("damaged hash %s accepted", h)
		}
	}
}

func TestToken(t *testing.T) {
	a, ha := NewToken("arena_")
	b, _ := NewToken("arena_")
	if a == b || !strings.HasPrefix(a, "arena_") || HashToken(a) != ha || ha == a {
		t.Fatalf("tokens %q %q hash %q", a, b, ha)
	}
}

func TestBackoff(t *testing.T) {
	for _, c := range []struct {
		failures, free int
		want           time.Duration
	}{
		{1, 5, 0}, {5, 5, 0}, {6, 5, time.Second}, {7, 5, 2 * time.Second}, {10, 5, 16 * time.Second},
		{15, 5, 512 * time.Second}, {16, 5, MaxBlock}, {1000, 5, MaxBlock}, {21, 20, time.Second},
	} {
		if got := Backoff(c.failures, c.free); got != c.want {
			t.Errorf("Backoff(%d, %d) = %s; want %s", c.failures, c.free, got, c.want)
		}
	}
	if CheckAbsent("anything") {
		t.Error("CheckAbsent accepted a password")
	}
}
