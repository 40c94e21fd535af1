/**
 * `npm run bench -- galaxies` (or `node --import tsx --expose-gc bench/packs-galaxies.ts`) — galaxies end to end
 * through HTTP, as PyMISP drives them.
 *
 * Per database and run, on a fresh Cairn (bench/lib/bench-server.ts):
 *  1. `POST galaxies/update` over the whole misp-galaxy pack of CAIRN_DATA_PACKS (≈46,000 clusters, 270,000
 *     elements, 60,000 relations), then the same request again, which finds everything up to date;
 *  2. the read side that depends on it, each as p50/p95 over `--samples` requests: events/view of an event carrying
 *     0, 10 and 50 MITRE ATT&CK cluster tags (the `Galaxy` lists with relations and targeting relations),
 *     galaxies/view of the ATT&CK attack-pattern galaxy (every cluster with its elements), a synonym search in
 *     galaxy_clusters/index, galaxies/attachCluster, and the sync peers' galaxy_clusters/restSearch question.
 * The import of the other packs and the CLI path are timed by bench/packs.ts (`--kinds=galaxies`).
 *
 * Options: --pg (also PostgreSQL)  --pg-only  --runs=N (fresh databases per dialect, default 3; medians reported)
 * --samples=N (requests per read scenario, default 40)  --quick (1 run, 10 samples)  --no-write.
 * Results: bench/results/<date>-<commit>-galaxies.json.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DATA_PACKS } from '../src/app/config.js';
import { type BenchDialect, startBenchServer } from './lib/bench-server.js';
import { gitInfo, machineInfo } from './lib/machine.js';
import { median, summarise, type LatencySummary } from './lib/stats.js';
import { PG_ADMIN_URL } from './lib/databases.js';
import { runIfMain, writeBenchResult } from './lib/results.js';

const ROOT = resolve(import.meta.dirname, '..');
const ATTACK = 'mitre-attack-pattern';

type Json = any;

interface Run {
  readonly importMs: number;
  readonly rerunMs: number;
  readonly galaxies: number;
  readonly reads: Record<string, LatencySummary>;
}

function client(url: string, key: string) {
  return async (method: string, path: string, body?: unknown): Promise<Json> => {
    const res = await fetch(`${url}/${path}`, {
      method,
      headers: { Authorization: key, Accept: 'application/json', 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text);
  };
}

async function timed(samples: number, f: (n: number) => Promise<unknown>): Promise<LatencySummary> {
  for (let n = 0; n < Math.min(3, samples); n++) await f(n); // warm-up
  const out: number[] = [];
  for (let n = 0; n < samples; n++) {
    const t = performance.now();
    await f(n);
    out.push(performance.now() - t);
  }
  return summarise(out);
}

async function oneRun(dialect: BenchDialect, dataPacks: string, samples: number, pgAdminUrl: string): Promise<Run> {
  const server = await startBenchServer(dialect, { dataPacks, dataDir: join(ROOT, 'bench', '.data'), pgAdminUrl });
  const call = client(server.url, server.key);
  try {
    let t = performance.now();
    await call('POST', 'galaxies/update');
    const importMs = performance.now() - t;
    t = performance.now();
    await call('POST', 'galaxies/update');
    const rerunMs = performance.now() - t;
    const galaxies: Json[] = await call('GET', 'galaxies/index');
    console.log(`  galaxies/update ${fmt(importMs)} (${galaxies.length} galaxies), again ${fmt(rerunMs)}`);

    const attack = galaxies.find((g) => g.Galaxy.type === ATTACK && g.Galaxy.namespace !== 'deprecated')?.Galaxy
      ?? galaxies.find((g) => g.Galaxy.type === ATTACK)?.Galaxy;
    if (!attack) throw new Error(`no ${ATTACK} galaxy in ${dataPacks}`);
    const clusters: Json[] = (await call('GET', `galaxies/view/${attack.id}`)).GalaxyCluster;
    const tags = clusters.map((c) => c.tag_name as string);
    const events: Record<number, number> = {};
    for (const k of [0, 10, 50]) {
      const ev = await call('POST', 'events/add', {
        info: `galaxy bench ${k}`, distribution: 0,
        Attribute: [{ type: 'ip-dst', value: `198.51.100.${k + 1}`, Tag: k ? [{ name: tags[k + 100]! }] : [] }],
        Tag: tags.slice(0, k).map((name) => ({ name })),
      });
      events[k] = Number(ev.Event.id);
    }
    const target = await call('POST', 'events/add', { info: 'galaxy bench attach target', distribution: 0 });
    const reads: Record<string, LatencySummary> = {};
    for (const k of [0, 10, 50]) reads[`events/view, ${k} cluster tags`] = await timed(samples, () => call('GET', `events/view/${events[k]}`));
    reads[`galaxies/view ${ATTACK} (${clusters.length} clusters)`] = await timed(Math.max(3, Math.ceil(samples / 4)), () => call('GET', `galaxies/view/${attack.id}`));
    reads['galaxy_clusters/index searchall'] = await timed(samples, () => call('POST', `galaxy_clusters/index/${attack.id}`, { context: 'all', searchall: 'phishing' }));
    reads['galaxies/attachCluster'] = await timed(samples, (n) => call('POST', `galaxies/attachCluster/${target.Event.id}/event/local:0`,
      { Galaxy: { target_id: clusters[(n + 200) % clusters.length].id } }));
    reads['galaxy_clusters/restSearch (sync peer)'] = await timed(samples, () => call('POST', 'galaxy_clusters/restSearch', { published: 1, minimal: 1, custom: 1 }));
    for (const [name, s] of Object.entries(reads)) console.log(`  ${name.padEnd(48)} p50 ${fmt(s.p50)}  p95 ${fmt(s.p95)}`);
    return { importMs, rerunMs, galaxies: galaxies.length, reads };
  } finally {
    await server.close();
  }
}

const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`);

export async function main(argv = process.argv.slice(2)): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      pg: { type: 'boolean', default: false },
      'pg-only': { type: 'boolean', default: false },
      runs: { type: 'string' },
      samples: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs ?? (values.quick ? 1 : 3));
  const samples = Number(values.samples ?? (values.quick ? 10 : 40));
  const dialects: BenchDialect[] = values['pg-only'] ? ['postgres'] : values.pg ? ['sqlite', 'postgres'] : ['sqlite'];
  const dataPacks = resolve(process.env.CAIRN_DATA_PACKS ?? DEFAULT_DATA_PACKS);
  const pgAdminUrl = PG_ADMIN_URL;
  const git = gitInfo(ROOT);
  const machine = await machineInfo(join(ROOT, 'bench', '.data'), dialects.includes('postgres') ? pgAdminUrl : undefined);
  console.log(`Cairn galaxies bench: commit ${git.commit}${git.dirty ? ' (dirty)' : ''}, node ${machine.node}, ${machine.cpus} cpu, ` +
    `SQLite ${machine.sqlite}${machine.postgres ? `, PostgreSQL ${machine.postgres}` : ''}, packs ${dataPacks}`);
  if (machine.loadAvg1 > 0.5 * machine.cpus) console.warn(`warning: load average ${machine.loadAvg1.toFixed(2)} > 0.5 × cores; numbers may be noisy (§4.3)`);

  const results: { dialect: BenchDialect; runs: Run[]; median: { importMs: number; rerunMs: number; reads: Record<string, { p50: number; p95: number }> } }[] = [];
  for (const dialect of dialects) {
    const all: Run[] = [];
    for (let run = 1; run <= runs; run++) {
      console.log(`${dialect}, run ${run}/${runs}:`);
      all.push(await oneRun(dialect, dataPacks, samples, pgAdminUrl));
    }
    const reads = Object.fromEntries(Object.keys(all[0]!.reads).map((name) => [name, {
      p50: median(all.map((r) => r.reads[name]!.p50)), p95: median(all.map((r) => r.reads[name]!.p95)),
    }]));
    results.push({ dialect, runs: all, median: { importMs: median(all.map((r) => r.importMs)), rerunMs: median(all.map((r) => r.rerunMs)), reads } });
  }

  console.log('');
  for (const r of results) {
    console.log(`${r.dialect}: galaxies/update ${fmt(r.median.importMs)}, again ${fmt(r.median.rerunMs)} (median of ${runs})`);
    for (const [name, s] of Object.entries(r.median.reads)) console.log(`  ${name.padEnd(48)} p50 ${fmt(s.p50)}  p95 ${fmt(s.p95)}`);
  }
  if (!values['no-write']) {
    const file = writeBenchResult('galaxies', git.commit, '-galaxies', { git, machine, config: { dataPacks, runs, samples, dialects }, results });
    console.log(`\nwrote ${file}`);
  }
  return 0;
}

runIfMain(import.meta.filename, main);
