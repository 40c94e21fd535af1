/**
 * `node --import tsx bench/warninglists.ts` — cost of a warninglist check with every list of the shared pack
 * enabled (spec §9.1; the event view and restSearch `enforceWarninglist` run one per attribute).
 *
 * Loads every list.json of the data packs (CAIRN_DATA_PACKS or ../shared/misp-data), builds the
 * WarninglistMatcher once (timed), then times `match(type, value)` and `matchAnyType(value)` over a seeded mix of
 * realistic attribute values (bench/lib/warninglist-check.ts). Options: --values=N (default 20000) --runs=N
 * (default 7) --seed=N. `npm run bench:packs` reports the same figures next to the pack import times.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/app/config.js';
import { loadWarninglistPack } from '../src/core/warninglists/load-warninglists.js';
import { measureWarninglistChecks } from './lib/warninglist-check.js';

const { values: opts } = parseArgs({ options: { values: { type: 'string' }, runs: { type: 'string' }, seed: { type: 'string' } } });

const dataPacks = loadConfig().dataPacks;
const t = performance.now();
const pack = loadWarninglistPack(dataPacks);
const parseMs = performance.now() - t;
const lists = pack.lists.map((l, k) => ({
  id: k + 1, name: l.name, type: l.type, category: l.category, types: l.matchingAttributes, entries: l.entries.map((e) => e.value),
}));
const r = measureWarninglistChecks(lists, {
  values: Number(opts.values ?? 20_000), runs: Number(opts.runs ?? 7), seed: Number(opts.seed ?? 12345),
});
const heapMB = process.memoryUsage().heapUsed / 2 ** 20;

console.log(`warninglists: ${r.lists} lists, ${r.entries} entries (${pack.failures.length} unreadable, ${r.matcher.warnings.length} unusable entries)`);
console.log(`parse ${parseMs.toFixed(0)} ms, matcher build ${r.buildMs.toFixed(0)} ms, heap after build ${heapMB.toFixed(0)} MB`);
console.log(`match(type, value)   ${r.typed.perCheckUs.toFixed(2)} µs/check (p99 of 500-check batches ${r.typed.p99BatchUs.toFixed(2)} µs), ${(100 * r.typed.hitRate).toFixed(1)}% hit`);
console.log(`matchAnyType(value)  ${r.anyType.perCheckUs.toFixed(2)} µs/check (p99 of 500-check batches ${r.anyType.p99BatchUs.toFixed(2)} µs), ${(100 * r.anyType.hitRate).toFixed(1)}% hit`);
console.log(`${r.values} values × ${r.runs} runs, seed ${r.seed}`);
