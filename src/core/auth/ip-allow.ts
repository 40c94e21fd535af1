import ipaddr from 'ipaddr.js';

/** True when `ip` lies inside one of the CIDR blocks (or equals one of the addresses) in `allowed`. */
export function ipAllowed(ip: string, allowed: readonly string[]): boolean {
  if (allowed.length === 0) return true;
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.process(ip);
  } catch {
    return false;
  }
  for (const entry of allowed) {
    try {
      const [range, bits] = entry.includes('/') ? ipaddr.parseCIDR(entry) : [ipaddr.process(entry), undefined];
      const r = range.kind() === 'ipv6' && (range as ipaddr.IPv6).isIPv4MappedAddress() ? (range as ipaddr.IPv6).toIPv4Address() : range;
      if (r.kind() !== addr.kind()) continue;
      const prefix = bits ?? (r.kind() === 'ipv4' ? 32 : 128);
      if (addr.match(r as never, prefix)) return true;
    } catch {
      // an invalid entry matches nothing
    }
  }
  return false;
}
