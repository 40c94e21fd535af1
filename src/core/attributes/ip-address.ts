import ipaddr from 'ipaddr.js';
import { foundAfterStart, isDigits } from './php-string.js';

/**
 * IP address checks and normalisation for `ip-src`, `ip-dst`, `domain|ip` and `ip-*|port` (spec §8.3,
 * `AttributeValidationTool::normalizeIp` and PHP's `FILTER_VALIDATE_IP`). Stored IPv6 values must be the
 * same text MISP stores (glibc `inet_ntop`), otherwise correlation and sync de-duplication miss them.
 */

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
/** PHP's IPv4 filter: four decimal octets, no leading zeros ("01.2.3.4" is refused). */
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);
const TRAILING_IPV4 = new RegExp(`:${OCTET}(\\.${OCTET}){3}$`);

export function isIpv4(value: string): boolean {
  return IPV4.test(value);
}

/** The eight 16-bit words of an IPv6 address, or undefined when it is not one (zone ids are refused like PHP does). */
export function parseIpv6(value: string): number[] | undefined {
  if (!value.includes(':') || value.includes('%')) return undefined;
  // ipaddr.js reads "::1.2.3.4" as IPv4-mapped; rewriting the dotted tail as two hex words keeps the real bits.
  const tail = TRAILING_IPV4.exec(value);
  if (!tail && value.includes('.')) return undefined; // a dotted tail must be a strict IPv4 address
  let text = value;
  if (tail) {
    const o = tail[0].slice(1).split('.').map(Number) as [number, number, number, number];
    text = `${value.slice(0, tail.index)}:${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  if (!ipaddr.IPv6.isValid(text)) return undefined;
  return ipaddr.IPv6.parse(text).parts.slice();
}

export function isIpv6(value: string): boolean {
  return parseIpv6(value) !== undefined;
}

/** `filter_var($value, FILTER_VALIDATE_IP)`. */
export function isIp(value: string): boolean {
  return isIpv4(value) || isIpv6(value);
}

/**
 * glibc `inet_ntop` for IPv6: lower-case hex, the longest run (first on ties, at least two words) of zero
 * words as `::`, and a dotted IPv4 tail for IPv4-compatible (`::a.b.c.d`) and IPv4-mapped addresses.
 */
export function formatIpv6(words: readonly number[]): string {
  let best = { base: -1, len: 0 };
  let cur = { base: -1, len: 0 };
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      cur = cur.base === -1 ? { base: i, len: 1 } : { base: cur.base, len: cur.len + 1 };
      if (cur.len > best.len) best = cur;
    } else {
      cur = { base: -1, len: 0 };
    }
  }
  if (best.len < 2) best = { base: -1, len: 0 };
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (best.base !== -1 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && best.base === 0 && (best.len === 6 || (best.len === 5 && words[5] === 0xffff))) {
      const w6 = words[6] as number;
      const w7 = words[7] as number;
      return `${out}${w6 >> 8}.${w6 & 0xff}.${w7 >> 8}.${w7 & 0xff}`;
    }
    out += (words[i] as number).toString(16);
  }
  if (best.base !== -1 && best.base + best.len === 8) out += ':';
  return out;
}

/** `inet_ntop(inet_pton($ip))` when `$ip` is IPv6, else the input. */
function compressIfIpv6(ip: string): string {
  if (!foundAfterStart(ip, ':')) return ip; // MISP tests `strpos($ip, ':')`, so "::1" is left as written
  const words = parseIpv6(ip);
  return words ? formatIpv6(words) : ip;
}

/**
 * MISP's `normalizeIp`: compress IPv6 and drop a host-sized prefix (`/32` on IPv4, `/128` on IPv6).
 * Invalid input is returned unchanged; validation rejects it afterwards.
 */
export function normaliseIp(value: string): string {
  if (!foundAfterStart(value, '/')) return compressIfIpv6(value);
  const slash = value.indexOf('/');
  const ip = compressIfIpv6(value.slice(0, slash));
  const range = value.slice(slash + 1);
  // Mirrors MISP's test on the whole value: "::ffff:1.2.3.4/32" also loses its prefix.
  if ((range === '32' && foundAfterStart(value, '.')) || (range === '128' && foundAfterStart(value, ':'))) return ip;
  return `${ip}/${range}`;
}

/** Validation of `ip-src`/`ip-dst`: an address or a CIDR block (any host bits allowed, as in MISP). */
export function checkIpOrCidr(value: string): true | string {
  if (!value.includes('/')) return isIp(value) ? true : 'IP address has an invalid format.';
  const parts = value.split('/');
  const [ip, prefix] = parts as [string, string];
  if (parts.length !== 2 || !isDigits(prefix)) return 'Invalid CIDR notation value found.';
  if (isIpv4(ip)) return Number(prefix) > 32 ? 'Invalid CIDR notation value found, for IPv4 must be lower or equal 32.' : true;
  if (isIpv6(ip)) return Number(prefix) > 128 ? 'Invalid CIDR notation value found, for IPv6 must be lower or equal 128.' : true;
  return 'IP address has an invalid format.';
}
