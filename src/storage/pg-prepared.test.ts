import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { freshDatabase, type FreshDatabase } from '../../test/support/cli-database.js';
import { testDialects } from '../../test/support/test-server.js';
import { openDatabase, type OpenedDatabase } from './open-database.js';
import { transactionBoundary } from './pg-prepared.js';

/**
 * PostgreSQL sessions as Cairn opens them (open-database.ts, pg-prepared.ts, ADR 0010): statements with parameters
 * run inside a transaction (Cairn's writes) are prepared once per connection and reused, reads from their second run,
 * and every session plans each run for its parameters and without parallel workers.
 */
describe('postgres: prepared statements and session settings', { skip: !testDialects().includes('postgres') }, () => {
  let fresh: FreshDatabase;
  let opened: OpenedDatabase;
  before(async () => {
    fresh = await freshDatabase('postgres');
    opened = openDatabase(fresh.url);
  });
  after(async () => {
    await opened.close();
    await fresh.drop();
  });

  const prepared = async (db: Kysely<any>, marker: string) =>
    (await sql<{ statement: string; n: number }>`select statement, generic_plans + custom_plans as n from pg_prepared_statements`.execute(db))
      .rows.filter((r) => r.statement.includes(marker));

  it('prepares a statement run in a transaction once per connection and runs it again by name', async () => {
    await opened.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 3; i++) await sql`select ${i}::int as inside_transaction`.execute(trx);
      const rows = await prepared(trx, 'inside_transaction');
      assert.equal(rows.length, 1);
      assert.equal(Number(rows[0]!.n), 3, 'three runs of one prepared statement');
    });
  });

  it('prepares a statement outside transactions from its second run, also on a connection that ran a transaction before', async () => {
    await opened.db.connection().execute(async (c) => {
      await c.transaction().execute(async (trx) => { await sql`select ${1}::int as before_it`.execute(trx); });
      await sql`select ${1}::int as outside_transaction`.execute(c);
      assert.deepEqual(await prepared(c, 'outside_transaction'), [], 'a read that ran once stays unnamed');
      await sql`select ${2}::int as outside_transaction`.execute(c);
      await sql`select ${3}::int as outside_transaction`.execute(c);
      const rows = await prepared(c, 'outside_transaction');
      assert.equal(rows.length, 1);
      assert.equal(Number(rows[0]!.n), 2, 'the second and third runs of one prepared statement');
      assert.equal((await prepared(c, 'before_it')).length, 1);
    });
  });

  it('gives the same rows from a prepared read as from an unnamed one', async () => {
    const run = async (v: number) => (await sql<{ v: number; t: string }>`select ${v}::int as v, ${`x${v}`}::text as t, 'same_rows' as m`.execute(opened.db)).rows;
    assert.deepEqual(await run(1), [{ v: 1, t: 'x1', m: 'same_rows' }]);
    assert.deepEqual(await run(2), [{ v: 2, t: 'x2', m: 'same_rows' }]);
    assert.deepEqual(await run(3), [{ v: 3, t: 'x3', m: 'same_rows' }]);
  });

  it('plans every run for its parameters, without parallel workers', async () => {
    const show = async (name: string) => (await sql.raw<Record<string, string>>(`show ${name}`).execute(opened.db)).rows[0]![name];
    assert.equal(await show('plan_cache_mode'), 'force_custom_plan');
    assert.equal(await show('max_parallel_workers_per_gather'), '0');
  });
});

describe('transaction boundaries the PostgreSQL connection wrapper follows', () => {
  it('starts with begin or start transaction (with an isolation level) and ends with commit or rollback', () => {
    assert.equal(transactionBoundary('begin'), true);
    assert.equal(transactionBoundary('start transaction isolation level serializable'), true);
    assert.equal(transactionBoundary('commit'), false);
    assert.equal(transactionBoundary(' ROLLBACK '), false);
    assert.equal(transactionBoundary('select 1'), undefined);
    assert.equal(transactionBoundary('savepoint sp1'), undefined);
  });
});
