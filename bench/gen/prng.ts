/**
 * Deterministic random numbers for the workload generator (performance.md §4.1: "deterministic, seedable").
 * xorshift32: tiny, fast and identical on every machine, which is all a benchmark workload needs.
 */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  hex(chars: number): string;
  uuid(): string;
  /** Standard normal (Box–Muller). */
  normal(): number;
}

export function createPrng(seed: number): Prng {
  let state = seed >>> 0 || 0x9e3779b9;
  const u32 = (): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  const next = (): number => u32() / 0x1_0000_0000;
  const hex = (chars: number): string => {
    let s = '';
    while (s.length < chars) s += u32().toString(16).padStart(8, '0');
    return s.slice(0, chars);
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    hex,
    uuid: () => {
      const h = hex(32);
      const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
    normal: () => {
      const u = Math.max(next(), 1e-12);
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
  };
}

/** Picks an index by weight; weights need not sum to 1. */
export function weightedPicker<T>(entries: ReadonlyArray<readonly [T, number]>): (r: Prng) => T {
  const total = entries.reduce((s, [, w]) => s + w, 0);
  const cdf: number[] = [];
  let acc = 0;
  for (const [, w] of entries) cdf.push((acc += w / total));
  return (r) => {
    const x = r.next();
    let i = 0;
    while (i < cdf.length - 1 && x >= cdf[i]!) i++;
    return entries[i]![0];
  };
}

/** Zipf(s) over ranks 0..n-1 by binary search on a precomputed CDF. */
export function zipfSampler(n: number, s: number): (r: Prng) => number {
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let k = 1; k <= n; k++) cdf[k - 1] = acc += 1 / k ** s;
  for (let i = 0; i < n; i++) cdf[i] /= acc;
  return (r) => {
    const x = r.next();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}
