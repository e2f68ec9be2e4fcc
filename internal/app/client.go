package app

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// ClientAddr is the address of the client a request comes from, for the
// limits of expensive work and sign-in throttling: the request's peer
// (remote, "host:port"), unless the peer is a load balancer in trusted.
// Then it is read from forwarded (the X-Forwarded-For header's values,
// each a list the proxies appended to): from the right, the first address
// that is not itself a trusted proxy. An address that cannot be read
// stops the walk at the last trusted hop, so a client can never pick its
// own address. The work is linear in the header's length, which the
// server's header limit bounds.
func ClientAddr(remote string, forwarded []string, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !isTrusted(peer, trusted) {
		return host
	}
	client := peer
	for i := len(forwarded) - 1; i >= 0; i-- {
		hops := forwarded[i]
		for hops != "" {
			var hop string
			if j := strings.LastIndexByte(hops, ','); j >= 0 {
				hops, hop = hops[:j], hops[j+1:]
			} else {
				hops, hop = "", hops
			}
			a, ok := parseHop(strings.TrimSpace(hop))
			if !ok {
				return client.String()
			}
			client = a
			if !isTrusted(a, trusted) {
				return a.String()
			}
		}
	}
	return client.String()
}

// parseHop reads one address of X-Forwarded-For: a bare IPv4 or IPv6
// address, or one with a port ("192.0.2.1:4711", "[2001:db8::1]:4711").
func parseHop(s string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	a = a.Unmap()
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ParseTrustedProxies reads a comma-separated list of addresses and
// ranges ("10.0.0.0/8, 192.0.2.7, fd00::/8") of the load balancers whose
// X-Forwarded-For is believed.
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if p, err := netip.ParsePrefix(part); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(part)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an address nor a range like 10.0.0.0/8", part)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}
