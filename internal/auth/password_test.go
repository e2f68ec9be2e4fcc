package auth

import (
	"strings"
	"testing"
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
}

func TestToken(t *testing.T) {
	a, ha := NewToken("arena_")
	b, _ := NewToken("arena_")
	if a == b || !strings.HasPrefix(a, "arena_") || HashToken(a) != ha || ha == a {
		t.Fatalf("tokens %q %q hash %q", a, b, ha)
	}
}
