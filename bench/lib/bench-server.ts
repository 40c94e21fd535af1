/**
 * A real Cairn in the bench process: fresh database (SQLite file under bench/.data, or a new PostgreSQL database),
 * the whole HTTP stack on 127.0.0.1, an admin key known up front. Everything is removed on close.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/app/config.js';
import { pgAdmin } from './databases.js';
import { buildContainer } from '../../src/app/container.js';

export type BenchDialect = 'sqlite' | 'postgres';

export interface BenchServer {
  readonly dialect: BenchDialect;
  readonly url: string;
  readonly key: string;
  readonly databaseUrl: string;
  /** With `keep`: the database was there already (a dataset built by an earlier run). */
  readonly reused: boolean;
  close(): Promise<void>;
}

export interface BenchServerOptions {
  readonly dataPacks: string;
  /** Folder for SQLite files (bench/.data). */
  readonly dataDir: string;
  /** Admin connection used to create and drop the PostgreSQL database. */
  readonly pgAdminUrl: string;
  /**
   * Keep the database under this name (`<dataDir>/<keep>/cairn.db`, PostgreSQL `cairn_bench_<keep>`) instead of
   * removing it on close, and reuse it when it exists: a large dataset is then built once.
   */
  readonly keep?: string;
}

/** Server settings a bench run takes from its environment (README, configuration). */
const TUNING = ['CAIRN_SQLITE_CACHE_MB', 'CAIRN_HEAP_GROWING_PERCENT'];

export async function startBenchServer(dialect: BenchDialect, opts: BenchServerOptions): Promise<BenchServer> {
  const id = opts.keep ?? `${Date.now()}_${randomBytes(3).toString('hex')}`;
  let databaseUrl: string;
  let drop: () => Promise<void>;
  let reused = false;
  if (dialect === 'sqlite') {
    const dir = join(opts.dataDir, opts.keep ?? `run-${id}`);
    reused = opts.keep !== undefined && existsSync(join(dir, 'cairn.db'));
    mkdirSync(dir, { recursive: true });
    databaseUrl = `sqlite:${join(dir, 'cairn.db')}`;
    drop = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const name = `cairn_bench_${id.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`;
    reused = opts.keep !== undefined && await pgAdmin(opts.pgAdminUrl, 'select 1 from pg_database where datname = $1', [name]) > 0;
    if (!reused) await pgAdmin(opts.pgAdminUrl, `create database ${name}`);
    const u = new URL(opts.pgAdminUrl);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    drop = async () => { await pgAdmin(opts.pgAdminUrl, `drop database if exists ${name} with (force)`); };
  }
  const kept = opts.keep !== undefined;
  // A kept database keeps the admin key it was created with: derive it from the name.
  const key = opts.keep ? createHash('sha256').update(`cairn-bench:${opts.keep}`).digest('hex').slice(0, 40) : randomBytes(40).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 40).padEnd(40, 'x');
  try {
    const config = loadConfig({
      CAIRN_DATABASE_URL: databaseUrl, CAIRN_HOST: '127.0.0.1', CAIRN_PORT: '0', CAIRN_ADMIN_KEY: key,
      CAIRN_LOG_LEVEL: 'silent', CAIRN_DATA_PACKS: opts.dataPacks, CAIRN_MAX_BODY_BYTES: String(256 * 1024 * 1024),
      // tuning knobs pass through, so a bench can be re-run with another setting
      ...Object.fromEntries(TUNING.flatMap((k) => (process.env[k] === undefined ? [] : [[k, process.env[k]]]))),
    });
    const container = await buildContainer(config);
    const url = await container.app.listen({ host: '127.0.0.1', port: 0 });
    return {
      dialect, url, key, databaseUrl, reused,
      async close() {
        await container.close();
        if (!kept) await drop();
      },
    };
  } catch (err) {
    if (!kept) await drop();
    throw err;
  }
}
