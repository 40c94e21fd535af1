/**
 * A real Cairn in the bench process: fresh database (SQLite file under bench/.data, or a new PostgreSQL database),
 * the whole HTTP stack on 127.0.0.1, an admin key known up front. Everything is removed on close.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/app/config.js';
import { buildContainer } from '../../src/app/container.js';

export type BenchDialect = 'sqlite' | 'postgres';

export interface BenchServer {
  readonly dialect: BenchDialect;
  readonly url: string;
  readonly key: string;
  readonly databaseUrl: string;
  close(): Promise<void>;
}

export interface BenchServerOptions {
  readonly dataPacks: string;
  /** Folder for SQLite files (bench/.data). */
  readonly dataDir: string;
  /** Admin connection used to create and drop the PostgreSQL database. */
  readonly pgAdminUrl: string;
}

async function pgAdmin(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export async function startBenchServer(dialect: BenchDialect, opts: BenchServerOptions): Promise<BenchServer> {
  const id = `${Date.now()}_${randomBytes(3).toString('hex')}`;
  let databaseUrl: string;
  let drop: () => Promise<void>;
  if (dialect === 'sqlite') {
    const dir = join(opts.dataDir, `run-${id}`);
    mkdirSync(dir, { recursive: true });
    databaseUrl = `sqlite:${join(dir, 'cairn.db')}`;
    drop = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const name = `cairn_bench_${id}`;
    await pgAdmin(opts.pgAdminUrl, `create database ${name}`);
    const u = new URL(opts.pgAdminUrl);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    drop = () => pgAdmin(opts.pgAdminUrl, `drop database if exists ${name} with (force)`);
  }
  const key = randomBytes(40).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 40).padEnd(40, 'x');
  try {
    const config = loadConfig({
      CAIRN_DATABASE_URL: databaseUrl, CAIRN_HOST: '127.0.0.1', CAIRN_PORT: '0', CAIRN_ADMIN_KEY: key,
      CAIRN_LOG_LEVEL: 'silent', CAIRN_DATA_PACKS: opts.dataPacks, CAIRN_MAX_BODY_BYTES: String(256 * 1024 * 1024),
    });
    const container = await buildContainer(config);
    const url = await container.app.listen({ host: '127.0.0.1', port: 0 });
    return {
      dialect, url, key, databaseUrl,
      async close() {
        await container.close();
        await drop();
      },
    };
  } catch (err) {
    await drop();
    throw err;
  }
}
