/**
 * The cost of one warninglist check (spec §9.1: event view and restSearch `enforceWarninglist` run one per
 * attribute), shared by bench/warninglists.ts and bench/packs.ts.
 *
 * Times `match(type, value)` over a seeded mix of realistic attribute values (IPv4/IPv6, domains, hostnames, URLs,
 * e-mails, hashes; about one in ten taken from the lists so hits are exercised) and `matchAnyType(value)` as
 * warninglists/checkValue uses it. Reports µs per check (median of runs, p99 of 500-check batch means), hit rates.
 */
import type { MatchableWarninglist } from '../../src/core/warninglists/warninglist-model.js';
import { WarninglistMatcher } from '../../src/core/warninglists/warninglist-matcher.js';
import { createPrng, type Prng } from '../gen/prng.js';
import { domain, email, hostname, ipv4, url } from '../gen/values.js';
import { median } from './stats.js';

export interface CheckTiming {
  readonly perCheckUs: number;
  readonly p99BatchUs: number;
  /** Share of checked values found on a list. */
  readonly hitRate: number;
}

export interface WarninglistCheckResult {
  readonly lists: number;
  readonly entries: number;
  readonly buildMs: number;
  readonly typed: CheckTiming;
  readonly anyType: CheckTiming;
  readonly values: number;
  readonly runs: number;
  readonly seed: number;
}

function sampleValues(lists: readonly MatchableWarninglist[], count: number, r: Prng): { type: string; value: string }[] {
  const sampleOf = (kind: string) => lists.filter((l) => l.type === kind).flatMap((l) => l.entries.slice(0, 200));
  const listedStrings = sampleOf('string');
  const listedHosts = sampleOf('hostname').map((h) => h.replace(/^\.+/, ''));
  const listedIps = sampleOf('cidr').filter((c) => !c.includes(':')).map((c) => c.split('/')[0]!);
  const pickOr = (list: string[], p: number, other: () => string) => (list.length && r.chance(p) ? r.pick(list) : other());
  const ipv6 = (): string => `2${r.hex(3)}:${Array.from({ length: 7 }, () => r.int(0, 0xffff).toString(16)).join(':')}`;
  const generators: Array<[string, () => string]> = [
    ['ip-dst', () => pickOr(listedIps, 0.1, () => ipv4(r))],
    ['ip-src', () => (r.chance(0.15) ? ipv6() : ipv4(r))],
    ['domain', () => pickOr(listedHosts, 0.1, () => domain(r))],
    ['hostname', () => (listedHosts.length && r.chance(0.1) ? `www.${r.pick(listedHosts)}` : hostname(r))],
    ['url', () => url(r)],
    ['email-src', () => email(r)],
    ['md5', () => pickOr(listedStrings, 0.05, () => r.hex(32))],
    ['sha256', () => r.hex(64)],
    ['domain|ip', () => `${domain(r)}|${ipv4(r)}`],
    ['ip-dst|port', () => `${ipv4(r)}|${r.int(1, 65535)}`],
  ];
  return Array.from({ length: count }, () => {
    const [type, gen] = r.pick(generators);
    return { type, value: gen() };
  });
}

function timeRuns(samples: readonly { type: string; value: string }[], runs: number, check: (type: string, value: string) => number): CheckTiming {
  for (const s of samples.slice(0, 2000)) check(s.type, s.value); // warm-up (JIT, per-type plans)
  const perRun: number[] = [];
  const batchMeans: number[] = [];
  let hits = 0;
  for (let run = 0; run < runs; run++) {
    hits = 0;
    const started = performance.now();
    for (let k = 0; k < samples.length; k += 500) {
      const b = performance.now();
      const end = Math.min(k + 500, samples.length);
      for (let j = k; j < end; j++) hits += check(samples[j]!.type, samples[j]!.value) > 0 ? 1 : 0;
      batchMeans.push(((performance.now() - b) * 1000) / (end - k));
    }
    perRun.push(((performance.now() - started) * 1000) / samples.length);
  }
  batchMeans.sort((a, b) => a - b);
  return { perCheckUs: median(perRun), p99BatchUs: batchMeans[Math.floor(batchMeans.length * 0.99)]!, hitRate: hits / samples.length };
}

/** Builds a matcher over `lists` (timed) and times checks against it. */
export function measureWarninglistChecks(lists: readonly MatchableWarninglist[], opts: { values?: number; runs?: number; seed?: number } = {}):
  WarninglistCheckResult & { readonly matcher: WarninglistMatcher } {
  const values = opts.values ?? 20_000;
  const runs = opts.runs ?? 7;
  const seed = opts.seed ?? 12345;
  const started = performance.now();
  const matcher = new WarninglistMatcher(lists);
  const buildMs = performance.now() - started;
  const samples = sampleValues(lists, values, createPrng(seed));
  return {
    matcher, lists: matcher.listCount, entries: matcher.entryCount, buildMs, values, runs, seed,
    typed: timeRuns(samples, runs, (type, value) => matcher.match(type, value).length),
    anyType: timeRuns(samples, runs, (_type, value) => matcher.matchAnyType(value).length),
  };
}
