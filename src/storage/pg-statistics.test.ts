import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { freshDatabase, type FreshDatabase } from '../../test/support/cli-database.js';
import { testDialects } from '../../test/support/test-server.js';
import { analyzeStaleTables } from './pg-statistics.js';

/**
 * Cairn analyses the tables autovacuum has left without statistics (pg-statistics.ts): a filled table gets them once,
 * a table analysed since is left alone, and an empty or barely changed one is not analysed at all. The database here
 * has autovacuum switched off, as on the machine where the missing statistics turned correlation probes into scans.
 */
describe('postgres: planner statistics where autovacuum has not run', { skip: !testDialects().includes('postgres') }, () => {
  let fresh: FreshDatabase;
  let pool: pg.Pool;
  before(async () => {
    fresh = await freshDatabase('postgres');
    pool = new pg.Pool({ connectionString: fresh.url, max: 2 });
    await pool.query('create table filled (id integer primary key, hash bigint not null) with (autovacuum_enabled = false)');
    await pool.query('create table few (id integer primary key) with (autovacuum_enabled = false)');
    await pool.query('create index filled_hash on filled (hash)');
    await pool.query('insert into filled select g, (g * 7919) % 1000003 from generate_series(1, 20000) g');
    await pool.query('insert into few select g from generate_series(1, 10) g');
  });
  after(async () => {
    await pool.end();
    await fresh.drop();
  });

  /** The table's statistics counters, read until they show `n` changes (backends report them shortly after commit). */
  const changesSinceAnalyze = async (table: string, n?: number): Promise<number> => {
    for (let waited = 0; ; waited += 100) {
      const { rows } = await pool.query<{ n: string }>('select n_mod_since_analyze as n from pg_stat_user_tables where relname = $1', [table]);
      const seen = Number(rows[0]?.n ?? 0);
      if (n === undefined || seen === n || waited > 5000) return seen;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const estimate = async (): Promise<number> => {
    const { rows } = await pool.query<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(
      "explain (format json) select id from filled where hash = any('{1,2,3,4,5,6,7,8,9,10}'::bigint[])");
    return rows[0]!['QUERY PLAN'][0].Plan['Plan Rows'];
  };

  it('analyses a filled table once, so a probe of ten values expects about ten rows', async () => {
    assert.equal(await changesSinceAnalyze('filled', 20000), 20000);
    assert.ok(await estimate() > 500, 'without statistics the planner expects a large part of the table');
    assert.deepEqual(await analyzeStaleTables(pool), ['filled']);
    assert.equal(await changesSinceAnalyze('filled', 0), 0);
    assert.ok(await estimate() < 50, `with statistics it expects ${await estimate()} rows`);
    assert.deepEqual(await analyzeStaleTables(pool), [], 'nothing has changed since');
  });

  it('analyses again only after changes to a tenth of the rows, and never a table of a few rows', async () => {
    await pool.query('insert into filled select g, g from generate_series(20001, 21000) g');
    await changesSinceAnalyze('filled', 1000);
    assert.deepEqual(await analyzeStaleTables(pool), [], '1,000 changes on 20,000 rows');
    await pool.query('insert into filled select g, g from generate_series(21001, 23000) g');
    await changesSinceAnalyze('filled', 3000);
    assert.deepEqual(await analyzeStaleTables(pool), ['filled']);
  });
});
