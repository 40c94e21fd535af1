import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase as KyselySqliteDatabase, type SqliteStatement } from 'kysely';
import pg from 'pg';
import { foldCase } from '../core/util/fold-case.js';
import { ARRAY_ROWS_MARK } from './array-rows.js';
import { withUuidText } from './binary-uuids.js';
import { eachRowStatement, eachRowWidth } from './each-row-insert.js';
import type { Database } from './db-schema.js';
import { dialects, type Dialect, SQLITE_LOWER_FUNCTION } from './dialect.js';
import { statementName, transactionBoundary } from './pg-prepared.js';
import { asInputError } from './pg-input-errors.js';
import { analyzeStaleTables } from './pg-statistics.js';
import { startSqliteCheckpointer } from './sqlite-checkpointer.js';

export interface OpenedDatabase {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /**
   * Refreshes the query planner's statistics where they are missing or stale (SQLite `PRAGMA optimize`, every hour;
   * PostgreSQL `ANALYZE` of the tables autovacuum has not analysed, checked every 30 s in the background, see
   * pg-statistics.ts). Cheap: call it after migrations and after bulk loads.
   */
  optimize(): void;
  close(): Promise<void>;
}

/** Index rows `PRAGMA optimize` samples per index: milliseconds per index whatever the table size. */
const ANALYSIS_LIMIT = 1000;
const OPTIMIZE_EVERY_MS = 60 * 60 * 1000;
/**
 * Settings of every PostgreSQL session (ADR 0010):
 * - named statements (pg-prepared.ts) are planned for each run's parameters, as unnamed ones are: a generic plan of
 *   a correlation probe with `id < $2` read the whole primary key (29 ms instead of ~1 ms per probe);
 * - no parallel plans: Cairn's statements are index probes and keyset pages, and starting the workers cost 80–120 ms
 *   on the 2-core bench machine, for a correlation probe that runs in 0.7 ms without them;
 * - index pages priced as cached (`random_page_cost` 1.1, PostgreSQL's advice for SSDs, instead of the 4 of spinning
 *   disks): Cairn's hot indexes are read all the time and stay in memory. With 4, the correlation probe of a
 *   10,000-attribute batch (`value1_hash = any(…)`, ~35,000 rows expected) read all of `attributes` sequentially at
 *   1M rows: 205 ms instead of 41 ms through the index.
 */
const PG_SESSION_OPTIONS = '-c plan_cache_mode=force_custom_plan -c max_parallel_workers_per_gather=0 -c random_page_cost=1.1';
/**
 * How often a PostgreSQL process looks for tables with stale statistics (pg-statistics.ts): one cheap query; a
 * table that a bulk load is filling gets its first statistics within this time.
 */
const PG_ANALYZE_CHECK_MS = 30 * 1000;

/**
 * SQLite's planner statistics (sqlite_stat1). Without them it guesses every index equally selective and, e.g., reads
 * all attributes of a type to find the few carrying a tag. `optimize=0x10002` analyses every table that was never
 * analysed or whose size changed a lot since; `analysis_limit` bounds the cost (sampled averages, no sqlite_stat4
 * histograms: a full `ANALYZE` takes seconds per million attributes and blocks the only connection meanwhile).
 */
export function optimizeSqlite(sqlite: SqliteDatabase.Database): void {
  sqlite.pragma(`analysis_limit = ${ANALYSIS_LIMIT}`);
  sqlite.pragma('optimize = 0x10002');
}

// int8 (bigint, count(*)) arrives as a string from pg; every value we store fits in a double
// (µs timestamps ~1.7e15 < 2^53), so parse it once here.
pg.types.setTypeParser(20, (v) => Number(v));

/** Statements kept prepared per SQLite connection, and the longest SQL text worth keeping. */
const STATEMENT_CACHE_SIZE = 500;
const STATEMENT_CACHE_MAX_SQL = 8192;

/**
 * better-sqlite3 as Kysely sees it, with its prepared statements kept in an LRU map keyed by SQL text. Kysely
 * prepares every query it runs; compiling the same short statements again on every request (auth, settings, the
 * event graph reads and writes) cost more than running them. Long texts (IN lists of varying length) are not kept,
 * and a statement still busy iterating a stream is never handed out twice.
 */
function withStatementCache(sqlite: SqliteDatabase.Database): KyselySqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  // array-rows.ts: a marked statement returns its rows as arrays; each-row-insert.ts: a marked insert runs per row;
  // binary-uuids.ts: uuids stored as bytes are read as text
  const prepare = (text: string): SqliteStatement => {
    const stmt = sqlite.prepare(text);
    const width = eachRowWidth(text);
    if (width !== undefined) return eachRowStatement(stmt, width) as unknown as SqliteStatement;
    const raw = text.startsWith(ARRAY_ROWS_MARK);
    return withUuidText(raw ? stmt.raw(true) : stmt, raw) as unknown as SqliteStatement;
  };
  return {
    close: () => sqlite.close(),
    prepare(text: string): SqliteStatement {
      if (text.length > STATEMENT_CACHE_MAX_SQL) return prepare(text);
      const hit = cache.get(text) as (SqliteStatement & { busy?: boolean }) | undefined;
      if (hit && !hit.busy) {
        cache.delete(text);
        cache.set(text, hit);
        return hit;
      }
      if (hit) return prepare(text);
      const stmt = prepare(text);
      cache.set(text, stmt);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      return stmt;
    },
  };
}

/**
 * Kysely's statements on a PostgreSQL connection: a statement marked by array-rows.ts is run with pg's
 * `rowMode: 'array'`, one inside a transaction is prepared under a name (pg-prepared.ts), and an error the request
 * caused (a value PostgreSQL cannot hold, a row another request stored first) becomes MISP's answer (pg-input-errors.ts).
 */
function withStatementOptions(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  let inTransaction = false;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const [text, values] = args;
    if (typeof text !== 'string') return query(...args);
    inTransaction = transactionBoundary(text) ?? inTransaction;
    const name = statementName(text, values as unknown[] | undefined, inTransaction);
    const arrays = text.startsWith(ARRAY_ROWS_MARK);
    const result = name || arrays ? query({ text, values, name, ...(arrays ? { rowMode: 'array' } : {}) }) : query(...args);
    return result instanceof Promise ? result.catch((err: unknown) => { throw asInputError(err); }) : result;
  };
}

/**
 * Opens `sqlite:<path>` (`sqlite::memory:` for tests) or `postgres://…`.
 * SQLite gets WAL, foreign keys, a busy timeout, a statement cache and a larger checkpoint interval; PostgreSQL a small pool.
 */
export interface OpenOptions {
  /** SQLite page cache in MB (`CAIRN_SQLITE_CACHE_MB`, default 64): random index pages of a large database stay hot. */
  readonly sqliteCacheMB?: number;
}

export function openDatabase(url: string, opts: OpenOptions = {}): OpenedDatabase {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const sqlite = new SqliteDatabase(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma(`cache_size = -${Math.round((opts.sqliteCacheMB ?? 64) * 1024)}`);
    sqlite.pragma('temp_store = MEMORY');
    // Dialect.lower: case-insensitive text for every alphabet (SQLite's own lower() folds ASCII only)
    sqlite.function(SQLITE_LOWER_FUNCTION, { deterministic: true }, (v: unknown) => (typeof v === 'string' ? foldCase(v) : v));
    // A checkpoint copies the WAL's pages into the database file. sqlite-checkpointer.ts runs them on a second
    // connection in a worker thread, beside the writer; the writer's own automatic checkpoint only bounds the WAL
    // (~160 MB) when the worker falls behind, as in a long bulk import. Before the worker, every ~40 MB of WAL cost
    // the commit that crossed it a full checkpoint (~190 ms of a 50,000-attribute add; measured: commit 250 -> 55 ms).
    // After a complete checkpoint the next commit writes the WAL from its start again, over the file's blocks; the
    // file is cut back only past 256 MB, one bulk import's usual peak (the bound above plus a group). Cut back to
    // 64 MB, as before, the WAL was re-extended block by block in every cycle of a bulk import: measured at 1M
    // attributes (bench/correlation.ts, alternating), commits 8.7 -> 6.9 s and ingest 23.6-23.7k -> 24.6-24.7k/s.
    sqlite.pragma('wal_autocheckpoint = 40000');
    sqlite.pragma(`journal_size_limit = ${256 * 2 ** 20}`);
    const checkpointer = path === ':memory:' ? undefined : startSqliteCheckpointer(path);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    const optimize = () => {
      try {
        optimizeSqlite(sqlite);
      } catch {
        // statistics are an optimisation: a busy or read-only database keeps the old ones
      }
    };
    const timer = setInterval(optimize, OPTIMIZE_EVERY_MS).unref();
    const close = async () => {
      clearInterval(timer);
      await checkpointer?.close();
      await db.destroy();
    };
    return { db, dialect: dialects.sqlite, optimize, close };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pool = new pg.Pool({ connectionString: url, max: 10, options: PG_SESSION_OPTIONS });
    pool.on('connect', withStatementOptions);
    // An idle connection that PostgreSQL closes (restart, pg_terminate_backend, failover) is an 'error' event on the
    // pool; unhandled, it would end the process. The pool drops that client and opens another for the next query; a
    // query in flight still fails to its caller.
    pool.on('error', (err) => process.emitWarning(`PostgreSQL closed an idle connection: ${err.message}`, 'CairnDatabaseWarning'));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    let analyzing: Promise<unknown> | undefined;
    const optimize = () => {
      // statistics are an optimisation: a busy or closing pool keeps the old ones
      analyzing ??= analyzeStaleTables(pool).catch(() => []).finally(() => { analyzing = undefined; });
    };
    const timer = setInterval(optimize, PG_ANALYZE_CHECK_MS).unref();
    const close = async () => {
      clearInterval(timer);
      await analyzing;
      await db.destroy();
    };
    return { db, dialect: dialects.postgres, optimize, close };
  }
  throw new Error(`CAIRN_DATABASE_URL must start with sqlite: or postgres:// (got "${url.split(':')[0]}:…")`);
}
