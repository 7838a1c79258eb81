// Package client says who a client is for the site's limits on abuse
// (comment floods and duplicates, failed sign-ins): its network, not the
// exact address it came from. It must not import HTTP, SQL or template
// code.
package client

import "net/netip"

// Network is the client an address counts as: an IPv4 address itself
// (also when it comes as an IPv4-mapped IPv6 address), and for IPv6 the
// /64 it is in (a subscriber's line or a host gets a whole /64, and
// choosing a new address in it costs nothing). Text that is not an
// address counts as itself.
func Network(ip string) string {
	addr, err := netip.ParseAddr(ip)
	switch {
	case err != nil:
		return ip
	case addr.Unmap().Is4():
		return addr.Unmap().String()
	}
	return netip.PrefixFrom(addr.WithZone(""), 64).Masked().String()
}
