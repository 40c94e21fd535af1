import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './db-schema.js';
import { dialects, type Dialect } from './dialect.js';

export interface OpenedDatabase {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  close(): Promise<void>;
}

// int8 (bigint, count(*)) arrives as a string from pg; every value we store fits in a double
// (µs timestamps ~1.7e15 < 2^53), so parse it once here.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * Opens `sqlite:<path>` (`sqlite::memory:` for tests) or `postgres://…`.
 * SQLite gets WAL, foreign keys and a busy timeout; PostgreSQL a small pool.
 */
export function openDatabase(url: string): OpenedDatabase {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const sqlite = new SqliteDatabase(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('cache_size = -65536');
    sqlite.pragma('temp_store = MEMORY');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { db, dialect: dialects.sqlite, close: () => db.destroy() };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: dialects.postgres, close: () => db.destroy() };
  }
  throw new Error(`CAIRN_DATABASE_URL must start with sqlite: or postgres:// (got "${url.split(':')[0]}:…")`);
}
