/**
 * Machine fingerprint and calibration (performance.md §4.3): numbers are only comparable on the same machine class,
 * so every result records what it ran on, plus a few raw-speed measurements of the machine itself to gate on ratios.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, fdatasyncSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { createEventGenerator } from '../gen/event-generator.js';
import { median } from './stats.js';

export interface MachineInfo {
  readonly hostname: string;
  readonly platform: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly totalMemMB: number;
  readonly loadAvg1: number;
  readonly node: string;
  /** Node and V8 flags of the run (`--max-semi-space-size` changes the figures: docs/adr/0008-heap-growth.md). */
  readonly nodeFlags: readonly string[];
  readonly sqlite: string;
  readonly postgres?: string;
  readonly fdatasyncP50Ms: number;
}

export interface GitInfo {
  readonly commit: string;
  readonly dirty: boolean;
}

export function gitInfo(cwd: string): GitInfo {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8' }).trim() !== '';
    return { commit, dirty };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}

/** p50 of 4 KB write + fdatasync, the cost of one durable commit on this disk. */
function fdatasyncP50(dir: string): number {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `fsync-${process.pid}.tmp`);
  const fd = openSync(file, 'w');
  const buf = Buffer.alloc(4096, 1);
  const samples: number[] = [];
  try {
    for (let i = 0; i < 50; i++) {
      const t = process.hrtime.bigint();
      writeSync(fd, buf, 0, buf.length, 0);
      fdatasyncSync(fd);
      samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  return median(samples);
}

async function postgresVersion(adminUrl: string): Promise<string | undefined> {
  const c = new pg.Client({ connectionString: adminUrl });
  try {
    await c.connect();
    const r = await c.query<{ server_version: string }>('show server_version');
    return r.rows[0]?.server_version;
  } catch {
    return undefined;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** The flags this process was started with, but the module loader's (`--import tsx`). */
export function nodeFlags(): string[] {
  return process.execArgv.filter((f, i, all) => f !== '--import' && all[i - 1] !== '--import');
}

export async function machineInfo(dataDir: string, pgAdminUrl: string | undefined): Promise<MachineInfo> {
  const db = new SqliteDatabase(':memory:');
  const sqlite = (db.prepare('select sqlite_version() as v').get() as { v: string }).v;
  db.close();
  const postgres = pgAdminUrl ? await postgresVersion(pgAdminUrl) : undefined;
  return {
    hostname: os.hostname(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    totalMemMB: Math.round(os.totalmem() / 2 ** 20),
    loadAvg1: os.loadavg()[0]!,
    node: process.version,
    nodeFlags: nodeFlags(),
    sqlite,
    ...(postgres ? { postgres } : {}),
    fdatasyncP50Ms: Number(fdatasyncP50(dataDir).toFixed(3)),
  };
}

export interface Calibration {
  /** 200k-row SQLite insert with one index in one transaction, rows/s (§4.3 (i), scaled down from 1M). */
  readonly sqliteInsertRowsPerSec: number;
  /** JSON.parse throughput on a large MISP-like event document, MB/s (§4.3 (ii)). */
  readonly jsonParseMBps: number;
}

/**
 * The calibration of the machine class the §4.2 targets were set on (performance.md §3: 2-core AMD EPYC KVM guest),
 * as {@link calibrate} measured it there: medians of the four `npm run bench` results of 2026-11-28 on such a machine
 * (bench/results/2026-11-28-{10434b66ec85,172a4726fbee,1da902ef2af8,44494e4a8b48}.json). §4.3 asks to keep such a
 * per-class baseline and to compare products of other machines as ratios to it.
 */
export const REFERENCE_CALIBRATION: Calibration = { sqliteInsertRowsPerSec: 393_000, jsonParseMBps: 228 };

/**
 * How many times slower this machine is than the reference class (≥ 1; a faster machine is not held to tighter
 * targets): the geometric mean of the two calibration ratios. Time targets are compared as `target × factor`,
 * throughput targets as `target / factor`; byte and memory targets do not scale.
 */
export function machineFactor(c: Calibration, reference: Calibration = REFERENCE_CALIBRATION): number {
  return Math.max(1, calibrationRatio(c, reference));
}

/**
 * The same ratio without the floor: below 1 on a machine that calibrates faster than the reference class. Reported
 * beside the verdicts so that a target met on a fast machine can be read for what it is.
 */
export function calibrationRatio(c: Calibration, reference: Calibration = REFERENCE_CALIBRATION): number {
  const ratio = Math.sqrt((reference.sqliteInsertRowsPerSec / c.sqliteInsertRowsPerSec) * (reference.jsonParseMBps / c.jsonParseMBps));
  return Number(ratio.toFixed(2));
}

/** The document §4.3 (ii) parses: a generated 10,000-attribute event, the same on every run and machine. */
export function calibrationSample(dataPacks: string): string {
  return JSON.stringify(createEventGenerator({ seed: 12346, dataPacks, now: 1_750_000_000 }).event(10_000));
}

export function calibrate(dataDir: string, sampleJson: string): Calibration {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, `calibrate-${process.pid}.db`);
  const db = new SqliteDatabase(file);
  let rowsPerSec: number;
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('create table t (id integer primary key, uuid text not null, value text not null); create index t_value on t(value)');
    const insert = db.prepare('insert into t (uuid, value) values (?, ?)');
    const n = 200_000;
    const rows = Array.from({ length: n }, (_, i) => [`${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`, `value-${(i * 2654435761) >>> 0}`] as const);
    const t = process.hrtime.bigint();
    db.transaction(() => { for (const [u, v] of rows) insert.run(u, v); })();
    rowsPerSec = n / (Number(process.hrtime.bigint() - t) / 1e9);
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint();
    JSON.parse(sampleJson);
    runs.push(Buffer.byteLength(sampleJson) / 2 ** 20 / (Number(process.hrtime.bigint() - t) / 1e9));
  }
  return { sqliteInsertRowsPerSec: Math.round(rowsPerSec), jsonParseMBps: Math.round(median(runs)) };
}
