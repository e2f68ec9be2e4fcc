package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// The settings of issue 9 read from flags and the environment, and a
// sign-in configuration that cannot work refused before serving.
func TestOperationsConfig(t *testing.T) {
	env, _, _ := testEnv(map[string]string{
		"ARENA_REQUEST_TIMEOUT":    "5s",
		"ARENA_OIDC_ISSUER":        "https://idp.falun.se",
		"ARENA_OIDC_CLIENT_ID":     "arena",
		"ARENA_OIDC_CLIENT_SECRET": "hemligt",
		"ARENA_PUBLIC_URL":         "https://arena.example.se/",
	})
	cfg, err := parse("serve", []string{"--metrics-addr", "127.0.0.1:9100", "--trusted-proxies", "10.0.0.0/8, 192.0.2.7"}, env, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.RequestTimeout != 5*time.Second || cfg.MetricsAddr != "127.0.0.1:9100" || cfg.OIDCClientSecret != "hemligt" || cfg.TrustedProxies != "10.0.0.0/8, 192.0.2.7" {
		t.Fatalf("config = %+v", cfg)
	}
	oc := cfg.oidcConfig()
	if oc.RedirectURL != "https://arena.example.se/logga-in/oidc/klar" || len(oc.CookieKey) != 32 {
		t.Fatalf("oidc config: %s, key of %d bytes", oc.RedirectURL, len(oc.CookieKey))
	}
	// Every instance derives the same cookie key from the secret; another
	// secret gives another key.
	other := cfg
	other.OIDCClientSecret = "annat"
	if !bytes.Equal(oc.CookieKey, cfg.oidcConfig().CookieKey) || bytes.Equal(oc.CookieKey, other.oidcConfig().CookieKey) {
		t.Fatal("the cookie key is not a function of the secret")
	}
	if d := DefaultConfig().RequestTimeout; d <= 0 {
		t.Fatalf("no request timeout by default: %v", d)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--oidc-issuer", "https://idp.se"}, "--oidc-client-id"},
		{[]string{"--oidc-issuer", "https://idp.se", "--oidc-client-id", "a"}, "client secret"},
		{[]string{"--oidc-issuer", "https://idp.se", "--oidc-client-id", "a", "--oidc-client-secret", "s"}, "--public-url"},
		{[]string{"--public-url", "arena.example.se"}, "--public-url must be"},
		{[]string{"--public-url", "https://arena.example.se/sub?x=1"}, "--public-url must be"},
		{[]string{"--request-timeout", "-1s"}, "--request-timeout"},
		{[]string{"--trusted-proxies", "10.0.0.0/8,lastbalanserare"}, "--trusted-proxies"},
		{[]string{"--pprof"}, "--pprof needs --metrics-addr"},
	} {
		empty, _, _ := testEnv(nil)
		_, err := parse("serve", c.args, empty, true, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v; want an error naming %q", c.args, err, c.want)
		}
	}
}
