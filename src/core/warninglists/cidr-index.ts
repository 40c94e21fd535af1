import { formatIpv6, isIpv4, parseIpv6 } from '../attributes/ip-address.js';

/**
 * Networks of every enabled `cidr` warninglist (MISP's CidrTool, spec §9.1), as sorted address ranges: all
 * network boundaries of one family are cut into elementary segments, each knowing the networks that cover it
 * (widest first). A lookup is one binary search — about 20 comparisons for the ~140,000 networks of the shared
 * pack — whatever the number of lists or prefix lengths. IPv4 addresses are numbers; IPv6 addresses are
 * 32-digit hex strings, which compare like the 128-bit numbers they spell and hash fast (BigInts do neither).
 * An entry without a length is a host (/32, /128).
 */

/** A network that contains the looked-up address. */
export interface CidrHit {
  /** The warninglist slot that listed it. */
  readonly slot: number;
  /** MISP's `matched` text: `a.b.c.d/n` (masked) for IPv4, the listed address with `/n` for IPv6. */
  readonly network: string;
  readonly prefix: number;
}

interface Range<N> {
  readonly start: N;
  /** First address after the network. */
  readonly next: N;
  readonly hit: CidrHit;
}

const NONE: readonly CidrHit[] = Object.freeze([]);

/** Elementary segments of a set of ranges: `bounds[i]` starts segment i, covered by `covers[i]`. */
class SegmentTable<N extends number | string> {
  readonly bounds: N[] = [];
  readonly covers: Array<readonly CidrHit[]> = [];

  constructor(ranges: ReadonlyArray<Range<N>>) {
    const cmp = (a: N, b: N): number => (a < b ? -1 : a > b ? 1 : 0);
    const points = [...new Set<N>(ranges.flatMap((r) => [r.start, r.next]))].sort(cmp);
    const byStart = [...ranges].sort((a, b) => cmp(a.start, b.start));
    let active: Array<Range<N>> = [];
    let k = 0;
    for (const p of points) {
      active = active.filter((r) => r.next > p);
      while (k < byStart.length && byStart[k]!.start === p) active.push(byStart[k++]!);
      this.bounds.push(p);
      this.covers.push(active.length ? active.map((r) => r.hit).sort((a, b) => a.prefix - b.prefix) : NONE);
    }
  }

  /** The networks covering `x`. */
  at(x: N): readonly CidrHit[] {
    const b = this.bounds;
    let lo = 0;
    let hi = b.length - 1;
    if (hi < 0 || x < b[0]!) return NONE;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (b[mid]! <= x) lo = mid;
      else hi = mid - 1;
    }
    return this.covers[lo]!;
  }
}

const ipv4ToInt = (ip: string): number => {
  const o = ip.split('.');
  return ((Number(o[0]) << 24) | (Number(o[1]) << 16) | (Number(o[2]) << 8) | Number(o[3])) >>> 0;
};
const mask4 = (ip: number, prefix: number): number => (prefix === 0 ? 0 : (ip & (0xffffffff << (32 - prefix))) >>> 0);
const intToIpv4 = (n: number): string => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

const hexDigit = (c: number): number => (c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1);

function group(g: string): number {
  if (g.length === 0 || g.length > 4) return -1;
  let n = 0;
  for (let k = 0; k < g.length; k++) {
    const d = hexDigit(g.charCodeAt(k));
    if (d < 0) return -1;
    n = n * 16 + d;
  }
  return n;
}

/**
 * The eight words of an IPv6 address, on the hot path: a hand parser for the usual hex forms, the thorough
 * parseIpv6 (ip-address.ts) only for dotted IPv4 tails.
 */
function ipv6Words(s: string): number[] | undefined {
  if (s.includes('.')) return parseIpv6(s);
  const dbl = s.indexOf('::');
  if (dbl !== -1 && s.indexOf('::', dbl + 1) !== -1) return undefined;
  const head = dbl === -1 ? s : s.slice(0, dbl);
  const tail = dbl === -1 ? '' : s.slice(dbl + 2);
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  if (dbl === -1 ? h.length !== 8 : h.length + t.length > 7) return undefined;
  const words = new Array<number>(8).fill(0);
  for (let k = 0; k < h.length; k++) if ((words[k] = group(h[k]!)) < 0) return undefined;
  for (let k = 0; k < t.length; k++) if ((words[8 - t.length + k] = group(t[k]!)) < 0) return undefined;
  return words;
}

/** The first `prefix` bits of an IPv6 address (the rest zeroed) as 32 hex digits. */
function maskedHex6(words: readonly number[], prefix: number): string {
  let out = '';
  for (let k = 0; k < 8; k++) {
    const bits = Math.max(0, Math.min(16, prefix - 16 * k));
    const w = bits === 0 ? 0 : words[k]! & ((0xffff << (16 - bits)) & 0xffff);
    out += w.toString(16).padStart(4, '0');
  }
  return out;
}

/** `hex + 2^(128 - prefix)`: the first address after the network; 'g' (above every hex digit) past the end. */
function nextHex6(hex: string, prefix: number): string {
  const next = BigInt(`0x${hex}`) + (1n << BigInt(128 - prefix));
  return next >= 1n << 128n ? 'g' : next.toString(16).padStart(32, '0');
}

/** Splits `ip[/len]`. */
function splitCidr(text: string): { ip: string; prefix: string | undefined } {
  const slash = text.indexOf('/');
  return slash === -1 ? { ip: text, prefix: undefined } : { ip: text.slice(0, slash), prefix: text.slice(slash + 1) };
}

const validPrefix = (p: string | undefined, max: number): number | undefined => {
  if (p === undefined) return max;
  if (!/^\d{1,3}$/.test(p)) return undefined;
  const n = Number(p);
  return n <= max ? n : undefined;
};

export class CidrIndex {
  #v4: Array<Range<number>> = [];
  #v6: Array<Range<string>> = [];
  #table4: SegmentTable<number> | undefined;
  #table6: SegmentTable<string> | undefined;
  /** Entries that are not an IPv4/IPv6 address or network (MISP's CidrTool drops them too). */
  readonly invalid: string[] = [];

  /** Adds one list entry; returns false (and records it) when it is not a valid address or network. */
  add(slot: number, entry: string): boolean {
    const { ip, prefix: rawPrefix } = splitCidr(entry.trim());
    if (isIpv4(ip)) {
      const prefix = validPrefix(rawPrefix, 32);
      if (prefix === undefined) return this.#reject(entry);
      const start = mask4(ipv4ToInt(ip), prefix);
      this.#v4.push({ start, next: start + 2 ** (32 - prefix), hit: { slot, network: `${intToIpv4(start)}/${prefix}`, prefix } });
      this.#table4 = undefined;
      return true;
    }
    const words = ipv6Words(ip);
    const prefix = validPrefix(rawPrefix, 128);
    if (!words || prefix === undefined) return this.#reject(entry);
    const start = maskedHex6(words, prefix);
    this.#v6.push({ start, next: nextHex6(start, prefix), hit: { slot, network: `${formatIpv6(words)}/${prefix}`, prefix } });
    this.#table6 = undefined;
    return true;
  }

  #reject(entry: string): false {
    this.invalid.push(entry);
    return false;
  }

  /**
   * Calls `onHit` for every listed network containing `value` (an address, or a network `ip/len` which must lie
   * wholly inside), widest first. Returns false when `value` is not an IP address or network.
   */
  lookup(value: string, onHit: (hit: CidrHit) => void): boolean {
    const { ip, prefix: rawPrefix } = splitCidr(value);
    let hits: readonly CidrHit[];
    let max: number | undefined;
    if (isIpv4(ip)) {
      max = validPrefix(rawPrefix, 32);
      if (max === undefined) return false;
      this.#table4 ??= new SegmentTable(this.#v4);
      hits = this.#table4.at(mask4(ipv4ToInt(ip), max));
    } else {
      if (!ip.includes(':')) return false;
      const words = ipv6Words(ip);
      max = validPrefix(rawPrefix, 128);
      if (!words || max === undefined) return false;
      if (this.#v6.length === 0) return true;
      this.#table6 ??= new SegmentTable(this.#v6);
      hits = this.#table6.at(maskedHex6(words, max));
    }
    for (const h of hits) {
      if (h.prefix > max) break;
      onHit(h);
    }
    return true;
  }

  /** Builds the range tables now rather than on the first lookup (the matcher does, so builds are timed once). */
  build(): void {
    this.#table4 ??= new SegmentTable(this.#v4);
    this.#table6 ??= new SegmentTable(this.#v6);
  }

  get size(): number {
    return this.#v4.length + this.#v6.length;
  }
}
