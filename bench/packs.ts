/**
 * `npm run bench:packs` (or `npm run bench -- packs`) — knowledge-pack import times and the cost of a warninglist
 * check.
 *
 * For each database (SQLite file under bench/.data, or a fresh PostgreSQL database) and each run, imports every
 * pack of CAIRN_DATA_PACKS into an empty, migrated database exactly as `cairn update <kind>` does
 * (src/app/knowledge-packs.ts: taxonomies, warninglists, noticelists, object templates, galaxies, decaying models,
 * default feeds), timing each kind; then runs the whole update again, which finds everything up to date (the cost an
 * operator pays for a periodic `cairn update all`). Afterwards it enables every warninglist and times what a server
 * does on its first warninglist check: load the enabled lists from the database and build the matcher. Finally it
 * times one warninglist check (µs) against that matcher (bench/lib/warninglist-check.ts).
 *
 * Options: --pg (also PostgreSQL)  --pg-only  --runs=N (fresh databases per dialect, default 3; medians reported)
 * --quick (1 run, 5,000 check values)  --kinds=a,b (subset)  --values=N --seed=N (warninglist checks)  --no-write.
 * Results: bench/results/<date>-<commit>-packs.json.
 */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { DEFAULT_DATA_PACKS } from '../src/app/config.js';
import { importKnowledgePacks, KNOWLEDGE_PACK_KINDS, type KnowledgePackKind, knowledgePackKind } from '../src/app/knowledge-packs.js';
import type { MatchableWarninglist } from '../src/core/warninglists/warninglist-model.js';
import { WarninglistMatcher } from '../src/core/warninglists/warninglist-matcher.js';
import { createStorage } from '../src/storage/create-storage.js';
import type { BenchDialect } from './lib/bench-server.js';
import { gitInfo, machineInfo } from './lib/machine.js';
import { median } from './lib/stats.js';
import { measureWarninglistChecks, type WarninglistCheckResult } from './lib/warninglist-check.js';
import { freshBenchDatabase, PG_ADMIN_URL } from './lib/databases.js';
import { runIfMain, writeBenchResult } from './lib/results.js';

const ROOT = resolve(import.meta.dirname, '..');

interface KindRun {
  readonly kind: KnowledgePackKind;
  /** Items written by the first import (created + updated) and files skipped. */
  readonly items: number;
  readonly skipped: number;
  readonly firstMs: number;
  /** The same import again, with everything already up to date. */
  readonly rerunMs: number;
}

interface DialectRun {
  readonly kinds: KindRun[];
  readonly totalMs: number;
  readonly rerunTotalMs: number;
  /** Load every (enabled) warninglist from the database and build the matcher. */
  readonly matcherFromDbMs?: number;
  readonly databaseMB: number;
}

interface DialectResult {
  readonly dialect: BenchDialect;
  readonly runs: DialectRun[];
  readonly median: { kinds: Array<{ kind: KnowledgePackKind; items: number; skipped: number; firstMs: number; rerunMs: number }>; totalMs: number; rerunTotalMs: number; matcherFromDbMs?: number; databaseMB: number };
}

function sqliteSizeMB(file: string): number {
  let bytes = 0;
  for (const suffix of ['', '-wal']) {
    try {
      bytes += statSync(file + suffix).size;
    } catch {
      // no WAL file
    }
  }
  return bytes / 2 ** 20;
}

async function oneRun(dialect: BenchDialect, kinds: readonly KnowledgePackKind[], dataPacks: string, dataDir: string, pgAdminUrl: string,
  keepLists: (lists: MatchableWarninglist[]) => void): Promise<DialectRun> {
  const db = await freshBenchDatabase(dialect, dataDir, 'packs', pgAdminUrl);
  const storage = await createStorage(db.url);
  try {
    const target = { storage, dataPacks };
    const runs: KindRun[] = [];
    for (const kind of kinds) {
      process.stdout.write(`  ${kind} … `);
      const t = performance.now();
      const [r] = await importKnowledgePacks(kind, () => {}, target);
      const firstMs = performance.now() - t;
      const t2 = performance.now();
      await importKnowledgePacks(kind, () => {}, target);
      const rerunMs = performance.now() - t2;
      console.log(`${r!.created + r!.updated} items in ${fmtMs(firstMs)}, again ${fmtMs(rerunMs)}`);
      runs.push({ kind, items: r!.created + r!.updated, skipped: r!.warnings.length, firstMs, rerunMs });
    }
    let matcherFromDbMs: number | undefined;
    if (kinds.includes('warninglists')) {
      await sql`update warninglists set enabled = 1`.execute(storage.db);
      const t = performance.now();
      const lists = await storage.warninglists.loadEnabled();
      const matcher = new WarninglistMatcher(lists);
      matcherFromDbMs = performance.now() - t;
      console.log(`  warninglist matcher from the database: ${matcher.listCount} lists, ${matcher.entryCount.toLocaleString('en')} entries in ${fmtMs(matcherFromDbMs)}`);
      keepLists(lists);
    }
    let databaseMB: number;
    if (db.file) {
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(storage.db);
      databaseMB = sqliteSizeMB(db.file);
    } else {
      const r = await sql<{ size: string }>`select pg_database_size(current_database())::text as size`.execute(storage.db);
      databaseMB = Number(r.rows[0]!.size) / 2 ** 20;
    }
    return {
      kinds: runs, totalMs: runs.reduce((s, r) => s + r.firstMs, 0), rerunTotalMs: runs.reduce((s, r) => s + r.rerunMs, 0),
      ...(matcherFromDbMs !== undefined ? { matcherFromDbMs } : {}), databaseMB,
    };
  } finally {
    await storage.close();
    await db.drop();
  }
}

function medianOf(dialect: BenchDialect, runs: DialectRun[]): DialectResult {
  const kinds = runs[0]!.kinds.map((k, i) => ({
    kind: k.kind, items: k.items, skipped: k.skipped,
    firstMs: median(runs.map((r) => r.kinds[i]!.firstMs)), rerunMs: median(runs.map((r) => r.kinds[i]!.rerunMs)),
  }));
  const fromDb = runs.map((r) => r.matcherFromDbMs).filter((x): x is number => x !== undefined);
  return {
    dialect, runs,
    median: {
      kinds, totalMs: median(runs.map((r) => r.totalMs)), rerunTotalMs: median(runs.map((r) => r.rerunTotalMs)),
      ...(fromDb.length ? { matcherFromDbMs: median(fromDb) } : {}), databaseMB: median(runs.map((r) => r.databaseMB)),
    },
  };
}

const fmtMs = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`);

function printTable(results: readonly DialectResult[], runs: number): void {
  const rows = [['dialect', 'pack', 'items', 'skipped', `import (median of ${runs})`, 'again, up to date']];
  for (const r of results) {
    for (const k of r.median.kinds) rows.push([r.dialect, k.kind, k.items.toLocaleString('en'), String(k.skipped), fmtMs(k.firstMs), fmtMs(k.rerunMs)]);
    rows.push([r.dialect, 'all', '', '', fmtMs(r.median.totalMs), fmtMs(r.median.rerunTotalMs)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) console.log(row.map((c, i) => c.padEnd(widths[i]!)).join('  '));
  for (const r of results) {
    const m = r.median;
    console.log(`${r.dialect}: database ${m.databaseMB.toFixed(1)} MB after the import` +
      `${m.matcherFromDbMs !== undefined ? `; warninglist matcher from the database (all lists enabled) ${fmtMs(m.matcherFromDbMs)}` : ''}`);
  }
}

function printChecks(c: WarninglistCheckResult): void {
  console.log(`warninglist check (${c.lists} lists, ${c.entries.toLocaleString('en')} entries, ${c.values.toLocaleString('en')} values × ${c.runs} runs, seed ${c.seed}):`);
  console.log(`  match(type, value)   ${c.typed.perCheckUs.toFixed(2)} µs/check (p99 of 500-check batches ${c.typed.p99BatchUs.toFixed(2)} µs), ${(100 * c.typed.hitRate).toFixed(1)} % hit`);
  console.log(`  matchAnyType(value)  ${c.anyType.perCheckUs.toFixed(2)} µs/check (p99 of 500-check batches ${c.anyType.p99BatchUs.toFixed(2)} µs), ${(100 * c.anyType.hitRate).toFixed(1)} % hit`);
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      pg: { type: 'boolean', default: false },
      'pg-only': { type: 'boolean', default: false },
      runs: { type: 'string' },
      quick: { type: 'boolean', default: false },
      kinds: { type: 'string' },
      values: { type: 'string' },
      seed: { type: 'string', default: '12345' },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs ?? (values.quick ? 1 : 3));
  const kinds = values.kinds
    ? values.kinds.split(',').map((k) => {
      const kind = knowledgePackKind(k.trim());
      if (!kind || kind === 'all') throw new Error(`unknown pack "${k}" (${KNOWLEDGE_PACK_KINDS.join(', ')})`);
      return kind;
    })
    : [...KNOWLEDGE_PACK_KINDS];
  const dialects: BenchDialect[] = values['pg-only'] ? ['postgres'] : values.pg ? ['sqlite', 'postgres'] : ['sqlite'];
  const dataPacks = resolve(process.env.CAIRN_DATA_PACKS ?? DEFAULT_DATA_PACKS);
  const dataDir = join(ROOT, 'bench', '.data');
  const pgAdminUrl = PG_ADMIN_URL;

  const git = gitInfo(ROOT);
  const machine = await machineInfo(dataDir, dialects.includes('postgres') ? pgAdminUrl : undefined);
  console.log(`Cairn packs bench: commit ${git.commit}${git.dirty ? ' (dirty)' : ''}, node ${machine.node}, ${machine.cpus} cpu ` +
    `(${machine.cpuModel}), SQLite ${machine.sqlite}${machine.postgres ? `, PostgreSQL ${machine.postgres}` : ''}, packs ${dataPacks}`);
  if (machine.loadAvg1 > 0.5 * machine.cpus) console.warn(`warning: load average ${machine.loadAvg1.toFixed(2)} > 0.5 × cores; numbers may be noisy (§4.3)`);

  let lists: MatchableWarninglist[] | undefined;
  const results: DialectResult[] = [];
  for (const dialect of dialects) {
    const all: DialectRun[] = [];
    for (let run = 1; run <= runs; run++) {
      console.log(`${dialect}, run ${run}/${runs}:`);
      all.push(await oneRun(dialect, kinds, dataPacks, dataDir, pgAdminUrl, (l) => { lists ??= l; }));
    }
    results.push(medianOf(dialect, all));
  }
  const checks = lists
    ? measureWarninglistChecks(lists, { values: Number(values.values ?? (values.quick ? 5000 : 20_000)), runs: values.quick ? 3 : 7, seed: Number(values.seed) })
    : undefined;

  console.log('');
  printTable(results, runs);
  if (checks) printChecks(checks);
  if (!values['no-write']) {
    const { matcher: _m, ...checkFigures } = checks ?? { matcher: undefined };
    const file = writeBenchResult('knowledge-packs', git.commit, '-packs', {
      git, machine, config: { dataPacks, runs, kinds, dialects, quick: values.quick },
      results, ...(checks ? { warninglistCheck: checkFigures } : {}),
    });
    console.log(`\nwrote ${file}`);
  }
  return 0;
}

runIfMain(import.meta.filename, main);
