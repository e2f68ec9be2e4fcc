package app

import (
	"net"
	"net/netip"
	"strings"
	"testing"
)

// TestClientAddr: the peer is the client unless it is a trusted load
// balancer; then X-Forwarded-For is read from the right up to the first
// address that is not a trusted proxy, and a client cannot choose its
// address by sending the header itself.
func TestClientAddr(t *testing.T) {
	trusted, err := ParseTrustedProxies("10.0.0.0/8, 192.0.2.7, fd00::/8")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		remote    string
		forwarded []string
		want      string
	}{
		{"198.51.100.4:5000", nil, "198.51.100.4"},
		{"198.51.100.4:5000", []string{"203.0.113.9"}, "198.51.100.4"}, // not a proxy: not believed
		{"10.1.2.3:80", nil, "10.1.2.3"},
		{"10.1.2.3:80", []string{"203.0.113.9"}, "203.0.113.9"},
		{"10.1.2.3:80", []string{"1.1.1.1, 203.0.113.9"}, "203.0.113.9"},              // the client wrote 1.1.1.1 itself
		{"10.1.2.3:80", []string{"1.1.1.1", "203.0.113.9, 192.0.2.7"}, "203.0.113.9"}, // two trusted hops
		{"192.0.2.7:80", []string{"10.9.9.9"}, "10.9.9.9"},                            // all trusted: the leftmost
		{"10.1.2.3:80", []string{"nonsens, 203.0.113.9"}, "203.0.113.9"},
		{"10.1.2.3:80", []string{"203.0.113.9, nonsens"}, "10.1.2.3"}, // unreadable: stop at the proxy
		{"10.1.2.3:80", []string{"[2001:db8::1]:4711"}, "2001:db8::1"},
		{"10.1.2.3:80", []string{"203.0.113.9:4711"}, "203.0.113.9"},
		{"[fd00::1]:80", []string{"::ffff:203.0.113.9"}, "203.0.113.9"},
		{"[::ffff:10.1.2.3]:80", []string{"203.0.113.9"}, "203.0.113.9"},
		{"10.1.2.3:80", []string{""}, "10.1.2.3"},
		{"pipe", []string{"203.0.113.9"}, "pipe"},
	} {
		if got := ClientAddr(c.remote, c.forwarded, trusted); got != c.want {
			t.Errorf("ClientAddr(%q, %q) = %q, want %q", c.remote, c.forwarded, got, c.want)
		}
	}
	if got := ClientAddr("10.1.2.3:80", []string{"203.0.113.9"}, nil); got != "10.1.2.3" {
		t.Errorf("without trusted proxies: %q", got)
	}
	// A long header is read in one pass.
	long := strings.Repeat("10.0.0.1, ", 100000) + "10.0.0.2"
	if got := ClientAddr("10.1.2.3:80", []string{long}, trusted); got != "10.0.0.1" {
		t.Errorf("a long chain of proxies: %q", got)
	}
	for _, bad := range []string{"10.0.0.0/33", "lastbalanserare", "10.0.0.1/8/8"} {
		if _, err := ParseTrustedProxies(bad); err == nil {
			t.Errorf("ParseTrustedProxies(%q) accepted", bad)
		}
	}
	if p, err := ParseTrustedProxies(" 10.1.2.3/8 ,, ::ffff:192.0.2.1 "); err != nil || len(p) != 2 || p[0] != netip.MustParsePrefix("10.0.0.0/8") || p[1] != netip.MustParsePrefix("192.0.2.1/32") {
		t.Errorf("ParseTrustedProxies: %v, %v", p, err)
	}
}

// FuzzClientAddr: the client is the peer or an address the header names,
// and a peer that is not a trusted proxy is always the client itself.
func FuzzClientAddr(f *testing.F) {
	f.Add("10.1.2.3:80", "1.1.1.1, 203.0.113.9", "10.0.0.0/8")
	f.Add("198.51.100.4:5000", "203.0.113.9", "10.0.0.0/8")
	f.Add("[fd00::1]:80", "[2001:db8::1]:4711,::ffff:1.2.3.4", "fd00::/8,10.0.0.0/8")
	f.Add("pipe", ",,,", "")
	f.Fuzz(func(t *testing.T, remote, header, proxies string) {
		trusted, err := ParseTrustedProxies(proxies)
		if err != nil {
			return
		}
		got := ClientAddr(remote, []string{header}, trusted)
		host := remote
		if h, _, err := net.SplitHostPort(remote); err == nil {
			host = h
		}
		peer, err := netip.ParseAddr(host)
		if err != nil || !isTrusted(peer, trusted) {
			if got != host {
				t.Fatalf("ClientAddr(%q, %q) = %q from an untrusted peer", remote, header, got)
			}
			return
		}
		if got == peer.String() {
			return
		}
		a, err := netip.ParseAddr(got)
		if err == nil {
			for hop := range strings.SplitSeq(header, ",") {
				if h, ok := parseHop(strings.TrimSpace(hop)); ok && h == a {
					return
				}
			}
		}
		t.Fatalf("ClientAddr(%q, %q) = %q, which the header does not name", remote, header, got)
	})
}
