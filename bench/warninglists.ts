/**
 * `node --import tsx bench/warninglists.ts` — cost of a warninglist check with every list of the shared pack
 * enabled (spec §9.1; the event view and restSearch `enforceWarninglist` run one per attribute).
 *
 * Loads every list.json of the data packs (CAIRN_DATA_PACKS or ../shared/misp-data), builds the
 * WarninglistMatcher once (timed), then times `match(type, value)` over a seeded mix of realistic attribute
 * values (IPv4/IPv6, domains, hostnames, URLs, e-mails, hashes; about one in ten taken from the lists so hits are
 * exercised) and `matchAnyType(value)` as warninglists/checkValue uses it. Reports µs per check (median of runs
 * and p99 of per-batch means) and the hit rate. Options: --values=N (default 20000) --runs=N (default 7) --seed=N.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/app/config.js';
import { loadWarninglistPack } from '../src/core/warninglists/load-warninglists.js';
import { WarninglistMatcher } from '../src/core/warninglists/warninglist-matcher.js';
import { createPrng, type Prng } from './gen/prng.js';
import { domain, email, hostname, ipv4, url } from './gen/values.js';
import { median } from './lib/stats.js';

const { values: opts } = parseArgs({ options: { values: { type: 'string' }, runs: { type: 'string' }, seed: { type: 'string' } } });
const VALUES = Number(opts.values ?? 20_000);
const RUNS = Number(opts.runs ?? 7);
const r: Prng = createPrng(Number(opts.seed ?? 12345));

const dataPacks = loadConfig().dataPacks;
let t = performance.now();
const pack = loadWarninglistPack(dataPacks);
const parseMs = performance.now() - t;
const lists = pack.lists.map((l, k) => ({
  id: k + 1, name: l.name, type: l.type, category: l.category, types: l.matchingAttributes, entries: l.entries.map((e) => e.value),
}));
t = performance.now();
const matcher = new WarninglistMatcher(lists);
const buildMs = performance.now() - t;

/** Entries of lists of one kind, to draw listed values from. */
const sampleOf = (kind: string) => lists.filter((l) => l.type === kind).flatMap((l) => l.entries.slice(0, 200));
const listedStrings = sampleOf('string');
const listedHosts = sampleOf('hostname').map((h) => h.replace(/^\.+/, ''));
const listedIps = sampleOf('cidr').filter((c) => !c.includes(':')).map((c) => c.split('/')[0]!);

const ipv6 = (): string => `2${r.hex(3)}:${Array.from({ length: 7 }, () => r.int(0, 0xffff).toString(16)).join(':')}`;
const GENERATORS: Array<[string, () => string]> = [
  ['ip-dst', () => (r.chance(0.1) ? r.pick(listedIps) : ipv4(r))],
  ['ip-src', () => (r.chance(0.15) ? ipv6() : ipv4(r))],
  ['domain', () => (r.chance(0.1) ? r.pick(listedHosts) : domain(r))],
  ['hostname', () => (r.chance(0.1) ? `www.${r.pick(listedHosts)}` : hostname(r))],
  ['url', () => url(r)],
  ['email-src', () => email(r)],
  ['md5', () => (r.chance(0.05) ? r.pick(listedStrings) : r.hex(32))],
  ['sha256', () => r.hex(64)],
  ['domain|ip', () => `${domain(r)}|${ipv4(r)}`],
  ['ip-dst|port', () => `${ipv4(r)}|${r.int(1, 65535)}`],
];
const samples = Array.from({ length: VALUES }, () => {
  const [type, gen] = r.pick(GENERATORS);
  return { type, value: gen() };
});

function timeRuns(check: (type: string, value: string) => number): { perCheckUs: number; p99BatchUs: number; hits: number } {
  for (const s of samples.slice(0, 2000)) check(s.type, s.value); // warm-up (JIT, per-type plans)
  const perRun: number[] = [];
  const batchMeans: number[] = [];
  let hits = 0;
  for (let run = 0; run < RUNS; run++) {
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
  return { perCheckUs: median(perRun), p99BatchUs: batchMeans[Math.floor(batchMeans.length * 0.99)]!, hits };
}

const typed = timeRuns((type, value) => matcher.match(type, value).length);
const anyType = timeRuns((_type, value) => matcher.matchAnyType(value).length);
const heapMB = process.memoryUsage().heapUsed / 2 ** 20;

console.log(`warninglists: ${matcher.listCount} lists, ${matcher.entryCount} entries (${pack.failures.length} unreadable, ${matcher.warnings.length} unusable entries)`);
console.log(`parse ${parseMs.toFixed(0)} ms, matcher build ${buildMs.toFixed(0)} ms, heap after build ${heapMB.toFixed(0)} MB`);
console.log(`match(type, value)   ${typed.perCheckUs.toFixed(2)} µs/check (p99 of 500-check batches ${typed.p99BatchUs.toFixed(2)} µs), ${(100 * typed.hits / VALUES).toFixed(1)}% hit`);
console.log(`matchAnyType(value)  ${anyType.perCheckUs.toFixed(2)} µs/check (p99 of 500-check batches ${anyType.p99BatchUs.toFixed(2)} µs), ${(100 * anyType.hits / VALUES).toFixed(1)}% hit`);
console.log(`${VALUES} values × ${RUNS} runs, seed ${opts.seed ?? 12345}`);
