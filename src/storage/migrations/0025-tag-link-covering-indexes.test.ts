import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { databaseMigratedTo } from '../../../test/support/migration-database.js';
import { testDialects } from '../../../test/support/test-server.js';
import { migrateToLatest } from '../migrate.js';

/**
 * Migration 0025 on a database that already links tags: the (tag, attribute) and (tag, event) indexes replace the
 * tag-only ones, the links stay, and a tag's attribute ids come from the index alone.
 */
for (const dialect of testDialects()) {
  describe(`${dialect}: migration 0025 (tag link indexes) on existing links`, () => {
    const database = databaseMigratedTo(dialect, '0024-value-hashes');

    it('swaps the indexes and keeps every link', async () => {
      const opened = database();
      const db = opened.db as any;
      await sql`pragma foreign_keys = off`.execute(db).catch(() => undefined);
      // links to attributes, events and tags this test does not create
      const foreignKeys = [['attribute_tags', 'attribute_id'], ['attribute_tags', 'event_id'], ['attribute_tags', 'tag_id'], ['event_tags', 'event_id'], ['event_tags', 'tag_id']];
      if (dialect === 'postgres') {
        for (const [table, column] of foreignKeys) await sql.raw(`alter table ${table} drop constraint ${table}_${column}_fkey`).execute(db);
      }
      // attribute ids inserted out of order: the new index hands them back sorted
      const links = Array.from({ length: 600 }, (_, i) => ({ attribute_id: 1 + ((i * 7919) % 600), event_id: 1 + (i % 6), tag_id: 1 + (i % 3), local: 0, relationship_type: '' }));
      await db.insertInto('attribute_tags').values(links).execute();
      await db.insertInto('event_tags').values([1, 2, 3, 4, 5, 6].map((e) => ({ event_id: e, tag_id: 1 + (e % 2), local: 0, relationship_type: '' }))).execute();

      await migrateToLatest(opened.db, opened.dialect);

      const indexes = dialect === 'sqlite'
        ? (await sql<{ name: string }>`select name from sqlite_master where type = 'index'`.execute(db)).rows.map((r) => r.name)
        : (await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = 'public'`.execute(db)).rows.map((r) => r.name);
      assert.ok(indexes.includes('attribute_tags_tag_attribute') && indexes.includes('event_tags_tag_event'));
      assert.ok(!indexes.includes('attribute_tags_tag_id') && !indexes.includes('event_tags_tag_id'));

      const ids = (await db.selectFrom('attribute_tags').select('attribute_id').where('tag_id', '=', 2).orderBy('attribute_id').execute())
        .map((r: { attribute_id: number }) => r.attribute_id);
      assert.deepEqual(ids, links.filter((l) => l.tag_id === 2).map((l) => l.attribute_id).sort((a, b) => a - b));
      assert.equal(Number((await db.selectFrom('event_tags').select((e: any) => e.fn.countAll().as('n')).where('tag_id', '=', 1).executeTakeFirst()).n), 3);
      if (dialect === 'sqlite') {
        const plan = await sql<{ detail: string }>`explain query plan select attribute_id from attribute_tags where tag_id in (2, 3) order by attribute_id`.execute(db);
        assert.match(plan.rows.map((r) => r.detail).join(' | '), /COVERING INDEX attribute_tags_tag_attribute/);
      }
    });
  });
}
