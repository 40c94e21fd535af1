import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { databaseMigratedTo } from '../../../test/support/migration-database.js';
import { testDialects } from '../../../test/support/test-server.js';
import { valueHash } from '../../core/correlation/correlation-keys.js';
import { storedUuid } from '../../../test/support/tag-test-fixtures.js';
import { migrateToLatest } from '../migrate.js';

/**
 * Migration 0024 on a database that already holds attributes: each row gets the hashes of its values (null for an
 * empty value2), and the indexes that exact value search and correlation read replace `correlation_keys`.
 */
for (const dialect of testDialects()) {
  describe(`${dialect}: migration 0024 (value hashes) on existing data`, () => {
    const database = databaseMigratedTo(dialect, '0023-value-key-64');

    it('hashes every stored value, indexes the hashes and drops correlation_keys', async () => {
      const opened = database();
      const db = opened.db as any;
      const values: [string, string][] = [['198.51.100.7', ''], ['Evil.Example ', ''], ['report.pdf', 'D41D8CD98F00B204E9800998ECF8427E']];
      // more rows than one backfill page, so the paging is exercised
      for (let i = 0; i < 5200; i++) values.push([`host-${i}.example`, i % 2 === 0 ? '' : `${i}`]);
      const rows = values.map(([value1, value2]) => ({
        uuid: storedUuid(db, randomUUID()), event_id: 1, object_id: 0, object_relation: null, category: 'Other', type: 'text', value1, value2,
        to_ids: 0, timestamp: 1, distribution: 0, sharing_group_id: 0, comment: '', deleted: 0, disable_correlation: 0, first_seen: null, last_seen: null,
      }));
      await sql`pragma foreign_keys = off`.execute(db).catch(() => undefined);
      if (dialect === 'postgres') await sql`alter table attributes drop constraint if exists attributes_event_id_fkey`.execute(db);
      for (let i = 0; i < rows.length; i += 500) await db.insertInto('attributes').values(rows.slice(i, i + 500)).execute();

      const reports: [string, number, number][] = [];
      await migrateToLatest(opened.db, opened.dialect, (name, done, total) => reports.push([name, done, total]));
      // one report per backfill page, the last one complete: the start after an upgrade shows how far it has got
      assert.deepEqual(reports, [['0024-value-hashes', 5000, values.length], ['0024-value-hashes', values.length, values.length]]);

      const stored = await db.selectFrom('attributes').select(['value1', 'value2', 'value1_hash', 'value2_hash']).orderBy('id').execute();
      assert.equal(stored.length, values.length);
      for (const r of stored) {
        assert.equal(Number(r.value1_hash), valueHash(r.value1), r.value1);
        assert.equal(r.value2_hash === null ? null : Number(r.value2_hash), r.value2 === '' ? null : valueHash(r.value2), r.value2);
      }
      // case and trailing spaces do not change the hash: exact search is case-insensitive like MISP's collation
      assert.equal(Number(stored[1].value1_hash), valueHash('evil.example'));
      assert.equal(Number(stored[2].value2_hash), valueHash('d41d8cd98f00b204e9800998ecf8427e'));

      const tables = dialect === 'sqlite'
        ? (await sql<{ name: string }>`select name from sqlite_master where type in ('table', 'index')`.execute(db)).rows.map((r) => r.name)
        : [...(await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = 'public'`.execute(db)).rows,
          ...(await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = 'public'`.execute(db)).rows].map((r) => r.name);
      assert.ok(tables.includes('attributes_value1_hash') && tables.includes('attributes_value2_hash'));
      assert.ok(!tables.includes('correlation_keys'));
      // SQLite's value key indexes go; PostgreSQL keeps its own for prefix patterns
      assert.equal(tables.includes('attributes_value1_ci'), dialect === 'postgres');
    });
  });
}
