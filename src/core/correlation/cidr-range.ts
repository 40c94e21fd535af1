import ipaddr from 'ipaddr.js';

/**
 * Address ranges for MISP's CIDR correlation (spec §5.1 advanced correlations, `Correlation::cidrCorrelation`):
 * an `ip-src`/`ip-dst` (or `|port`) attribute holding a block such as `10.0.0.0/8` correlates with every plain IP
 * attribute inside it. Addresses are written as 32 lower-case hex digits (IPv4 as IPv4-mapped IPv6), so one text
 * index answers "which points lie in this block" with a range scan and string order equals numeric order.
 */

/** Attribute types whose first value takes part in CIDR correlation. */
export const CIDR_TYPES: ReadonlySet<string> = new Set(['ip-src', 'ip-dst', 'ip-src|port', 'ip-dst|port']);

export interface IpRange {
  /** First address, 32 hex digits. */
  readonly lo: string;
  /** Last address (equal to `lo` for a plain address). */
  readonly hi: string;
  /** A block (`/n`) rather than one address. */
  readonly block: boolean;
}

const hex = (bytes: readonly number[]): string => bytes.map((b) => b.toString(16).padStart(2, '0')).join('');

function toV6Bytes(addr: ipaddr.IPv4 | ipaddr.IPv6): number[] {
  return addr.kind() === 'ipv4' ? (addr as ipaddr.IPv4).toIPv4MappedAddress().toByteArray() : addr.toByteArray();
}

/** Sets (fill = 1) or clears (fill = 0) every bit after the first `prefix` bits of a 16-byte address. */
function withHostBits(bytes: readonly number[], prefix: number, fill: 0 | 1): number[] {
  return bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    const mask = keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
    return fill ? (b & mask) | (~mask & 0xff) : b & mask;
  });
}

/**
 * The range of an IP-type attribute's first value: a point for a plain address, a block for `addr/n`, undefined
 * for anything else (a hostname, an invalid value). A misaligned block (`10.1.2.3/8`) is taken as its network,
 * like MISP's `__ipv4InCidr`.
 */
export function ipRangeOf(type: string, value1: string): IpRange | undefined {
  if (!CIDR_TYPES.has(type)) return undefined;
  const text = value1.trim();
  try {
    if (text.includes('/')) {
      const [addr, bits] = ipaddr.parseCIDR(text);
      const prefix = addr.kind() === 'ipv4' ? bits + 96 : bits;
      const bytes = toV6Bytes(addr);
      return { lo: hex(withHostBits(bytes, prefix, 0)), hi: hex(withHostBits(bytes, prefix, 1)), block: true };
    }
    if (!ipaddr.isValid(text)) return undefined;
    const point = hex(toV6Bytes(ipaddr.parse(text)));
    return { lo: point, hi: point, block: false };
  } catch {
    return undefined;
  }
}

/** Whether a point lies inside a block. */
export function rangeContains(block: Pick<IpRange, 'lo' | 'hi'>, point: string): boolean {
  return block.lo <= point && point <= block.hi;
}
