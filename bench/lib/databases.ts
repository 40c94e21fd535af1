import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

/** The PostgreSQL connection the benches create and drop their databases through. */
export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs one statement on the admin connection; the affected row count. */
export async function pgAdmin(url: string, statement: string, params: unknown[] = []): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(statement, params)).rowCount ?? 0;
  } finally {
    await c.end();
  }
}

export interface BenchDatabase {
  readonly url: string;
  /** The SQLite file, for size measurements. */
  readonly file?: string;
  drop(): Promise<void>;
}

/** An empty database of the dialect named `<prefix>-<unique id>` (a folder under `dataDir` on SQLite). */
export async function freshBenchDatabase(dialect: 'sqlite' | 'postgres', dataDir: string, prefix: string, pgAdminUrl = PG_ADMIN_URL): Promise<BenchDatabase> {
  const id = `${Date.now()}_${randomBytes(3).toString('hex')}`;
  if (dialect === 'sqlite') {
    const dir = join(dataDir, `${prefix}-${id}`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'cairn.db');
    return { url: `sqlite:${file}`, file, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `cairn_${prefix.replace(/[^a-z0-9_]/gi, '_')}_${id}`.toLowerCase();
  await pgAdmin(pgAdminUrl, `create database ${name}`);
  const u = new URL(pgAdminUrl);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: async () => { await pgAdmin(pgAdminUrl, `drop database if exists ${name} with (force)`); } };
}
