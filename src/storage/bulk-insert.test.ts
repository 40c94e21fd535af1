import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { startTestServer, testDialects, type TestServer } from '../../test/support/test-server.js';
import { bulkInsert, bulkInsertNew, bulkUpsert, type BulkColumn } from './dialect.js';

/**
 * `bulkInsert` / `bulkInsertNew` / `bulkUpsert` on both databases (SQLite runs one single-row statement per row,
 * each-row-insert.ts; PostgreSQL one `unnest` statement): the returned ids follow the input order, `returning`
 * columns other than the id come back with their inserted values, conflicting rows are skipped, and a failing row
 * fails the whole call inside its transaction.
 */
const COLUMNS: BulkColumn[] = [{ name: 'name', type: 'text' }, { name: 'note', type: 'text' }, { name: 'n', type: 'int4' }];

for (const dialect of testDialects()) {
  describe(`${dialect}: bulk inserts`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
      const { db } = server.container.storage;
      await sql`create table bulk_probe (id ${sql.raw(dialect === 'sqlite' ? 'integer primary key autoincrement' : 'serial primary key')},
        name varchar(40) not null unique, note text, n integer not null)`.execute(db);
    });
    after(() => server.close());

    const rowsOf = async () => (await sql<{ id: number; name: string; note: string | null; n: number }>`select id, name, note, n from bulk_probe order by id`
      .execute(server.container.storage.db)).rows;

    it('returns the new ids in input order with the requested inserted values', async () => {
      const { db, dialect: d } = server.container.storage;
      const input = Array.from({ length: 1200 }, (_, k) => [`row-${(k * 7919) % 1200}`, k % 3 ? null : `note ${k}`, k]);
      const returned = await bulkInsert(d, db, 'bulk_probe', COLUMNS, input, ['id', 'name']);
      assert.equal(returned.length, input.length);
      const stored = new Map((await rowsOf()).map((r) => [r.id, r]));
      returned.forEach((r, k) => {
        assert.equal(r.name, input[k]![0]);
        const row = stored.get(Number(r.id));
        assert.deepEqual(row && [row.name, row.note, row.n], input[k]);
      });
      assert.deepEqual(await bulkInsert(d, db, 'bulk_probe', COLUMNS, []), []);
    });

    it('skips rows that collide with a unique key when asked to', async () => {
      const { db, dialect: d } = server.container.storage;
      const before = (await rowsOf()).length;
      await bulkInsertNew(d, db, 'bulk_probe', COLUMNS, [['row-1', 'changed', -1], ['fresh-1', null, 1], ['fresh-2', 'x', 2]]);
      const rows = await rowsOf();
      assert.equal(rows.length, before + 2);
      assert.notEqual(rows.find((r) => r.name === 'row-1')!.n, -1, 'the existing row is kept as it was');
    });

    it('writes rows back by id, changing every other column, and inserts the ids it does not find', async () => {
      const { db, dialect: d } = server.container.storage;
      const existing = (await rowsOf()).slice(0, 3);
      const fresh = Math.max(...(await rowsOf()).map((r) => r.id)) + 1000;
      await bulkUpsert(d, db, 'bulk_probe', [{ name: 'id', type: 'int4' }, ...COLUMNS], [
        ...existing.map((r) => [r.id, r.name, `upserted ${r.id}`, r.n + 1]),
        [fresh, 'upsert-new', null, 7],
      ]);
      const after = new Map((await rowsOf()).map((r) => [r.id, r]));
      for (const r of existing) assert.deepEqual(after.get(r.id), { id: r.id, name: r.name, note: `upserted ${r.id}`, n: r.n + 1 });
      assert.deepEqual(after.get(fresh), { id: fresh, name: 'upsert-new', note: null, n: 7 });
      await assert.rejects(bulkUpsert(d, db, 'bulk_probe', COLUMNS, [['x', null, 1]]), /needs the id column/);
    });

    it('writes nothing when one row of the call fails inside a transaction', async () => {
      const { db, dialect: d } = server.container.storage;
      const before = (await rowsOf()).length;
      await assert.rejects(db.transaction().execute((tx) =>
        bulkInsert(d, tx, 'bulk_probe', COLUMNS, [['atomic-1', null, 1], ['row-2', null, 2]])));
      assert.equal((await rowsOf()).length, before);
    });

    // PostgreSQL's RETURNING answers any column; SQLite's per-row path knows only the id and the inserted values
    if (dialect === 'sqlite') it('refuses, before writing, to return a column it did not insert', async () => {
      const { db, dialect: d } = server.container.storage;
      await assert.rejects(bulkInsert(d, db, 'bulk_probe', COLUMNS, [['odd', null, 1]], ['id', 'missing']), /cannot return missing/);
      assert.equal((await rowsOf()).some((r) => r.name === 'odd'), false);
    });
  });
}
