// Package auth hashes passwords with argon2id and makes the secret tokens
// of sessions and API bearer tokens. Only hashes of tokens are stored.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"
)

// Parameters follow the RFC 9106 second recommendation (64 MiB, 3 passes),
// kept modest because the machine serves many requests on two cores.
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
	saltLen      = 16
)

// HashPassword returns the argon2id hash of password in PHC string form.
func HashPassword(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches a hash made by HashPassword.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || !sensible(m, t, p, len(want)) {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// sensible reports whether a stored hash's parameters are ones argon2
// can work with (it panics on no passes, no threads or an empty key) at
// a bounded cost: a damaged or foreign hash must neither fail a request
// with a panic nor make a sign-in allocate gigabytes.
func sensible(m, t uint32, p uint8, keyLen int) bool {
	return t >= 1 && t <= 4*argonTime && p >= 1 && m >= 8*uint32(p) && m <= 4*argonMemory && keyLen >= 16 && keyLen <= 128
}

// NewToken returns a random secret token and the hash under which it is
// stored; a stolen database thus gives no usable tokens.
func NewToken(prefix string) (token, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	token = prefix + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken returns the stored form of a token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// absentHash is a hash no password matches, checked against when an
// account does not exist, so that a wrong e-mail address costs the same
// time as a wrong password and tells nothing about who has an account.
var absentHash = sync.OnceValue(func() string {
	h, err := HashPassword(NewTokenString())
	if err != nil {
		panic(err)
	}
	return h
})

// CheckAbsent spends the time of a password check for an account that
// does not exist; it always fails.
func CheckAbsent(password string) bool {
	CheckPassword(absentHash(), password)
	return false
}

// NewTokenString returns a random secret, unhashed.
func NewTokenString() string {
	t, _ := NewToken("")
	return t
}

// Sign-in throttling: a key (an account, a client address) may fail
// freely a few times; after that each failure blocks it for twice as long
// as the one before, up to MaxBlock. Failures older than ForgetAfter are
// forgotten.
const (
	FreeAccountFailures = 5  // per account
	FreeClientFailures  = 20 // per client address: an office's people share one
	MaxBlock            = 15 * time.Minute
	ForgetAfter         = 24 * time.Hour
)

// Backoff returns how long a key is blocked after its failures-th failure,
// free failures allowed before the first block: 1 s, 2 s, 4 s, … MaxBlock.
func Backoff(failures, free int) time.Duration {
	if failures <= free {
		return 0
	}
	n := failures - free - 1
	if n >= 20 {
		return MaxBlock
	}
	return min(time.Second<<n, MaxBlock)
}
