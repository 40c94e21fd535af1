import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { insertAttribute, insertEvent, rawDb } from '../../../test/support/tag-test-fixtures.js';
import { freshDatabase, type FreshDatabase } from '../../../test/support/cli-database.js';
import { startTestServer, type TestServer, testDialects } from '../../../test/support/test-server.js';
import { migrateToLatest } from '../migrate.js';
import { openDatabase, type OpenedDatabase } from '../open-database.js';

/**
 * The keys of migration 0026 keep their rules on both databases (PostgreSQL enforces them per statement since then,
 * SQLite through its constraints): a child row needs its parent, a statement with one bad row writes nothing, and a
 * deleted parent takes its children along, down to the tag links of a deleted event's attributes.
 */
for (const dialect of testDialects()) {
  describe(`${dialect}: attribute, object and tag link keys`, () => {
    let s: TestServer;
    before(async () => { s = await startTestServer(dialect); });
    after(async () => { await s.close(); });

    const db = () => rawDb(s);
    const tag = async (name: string) => (await db().insertInto('tags').values({
      name, name_lower: name.toLowerCase(), colour: '#000000', exportable: 1, org_id: 0, user_id: 0, hide_tag: 0, numerical_value: null,
      is_galaxy: 0, is_custom_galaxy: 0, local_only: 0,
    }).returning('id').executeTakeFirstOrThrow()).id;
    const link = (attributeId: number, eventId: number, tagId: number) => ({ attribute_id: attributeId, event_id: eventId, tag_id: tagId, local: 0, relationship_type: '' });
    const object = async (eventId: number) => (await db().insertInto('objects').values({
      uuid: randomUUID(), event_id: eventId, name: 'file', meta_category: 'file', description: '', template_uuid: randomUUID(),
      template_version: '1', timestamp: 1000, distribution: 5, sharing_group_id: 0, comment: '', deleted: 0, first_seen: null, last_seen: null,
    }).returning('id').executeTakeFirstOrThrow()).id;
    const count = async (table: 'attributes' | 'objects' | 'attribute_tags', column: 'event_id' | 'attribute_id' | 'tag_id', id: number) =>
      Number((await db().selectFrom(table).select((e) => e.fn.countAll().as('n')).where(column, '=', id).executeTakeFirstOrThrow()).n);
    const missing = 2_000_000_000;

    it('refuses an attribute, object or tag link whose parent does not exist, and writes nothing of the statement', async () => {
      const event = await insertEvent(s);
      const attribute = await insertAttribute(s, event.id);
      const t = await tag('fk:refuse');
      await assert.rejects(insertAttribute(s, missing));
      await assert.rejects(object(missing));
      await assert.rejects(db().insertInto('attribute_tags').values([link(attribute.id, event.id, t), link(missing, event.id, t)]).execute());
      await assert.rejects(db().insertInto('attribute_tags').values(link(attribute.id, missing, t)).execute());
      await assert.rejects(db().insertInto('attribute_tags').values(link(attribute.id, event.id, missing)).execute());
      assert.equal(await count('attribute_tags', 'attribute_id', attribute.id), 0, 'the good row of the refused statement is not written');
      await db().insertInto('attribute_tags').values(link(attribute.id, event.id, t)).execute();
      assert.equal(await count('attribute_tags', 'attribute_id', attribute.id), 1);
      await assert.rejects(db().updateTable('attribute_tags').set({ tag_id: missing }).where('attribute_id', '=', attribute.id).execute());
      await assert.rejects(db().updateTable('attributes').set({ event_id: missing }).where('id', '=', attribute.id).execute());
      // an update that leaves the key alone passes
      await db().updateTable('attributes').set({ comment: 'kept' }).where('id', '=', attribute.id).execute();
    });

    it('deletes an event with its attributes, objects and their tag links, and nothing of another event', async () => {
      const [gone, kept] = [await insertEvent(s), await insertEvent(s)];
      const t = await tag('fk:cascade');
      const objectId = await object(gone.id);
      const attributes = [await insertAttribute(s, gone.id), await insertAttribute(s, gone.id, { objectId }), await insertAttribute(s, kept.id)];
      await db().insertInto('attribute_tags').values(attributes.map((a, i) => link(a.id, i < 2 ? gone.id : kept.id, t))).execute();
      await object(kept.id);

      await db().deleteFrom('events').where('id', '=', gone.id).execute();

      assert.equal(await count('attributes', 'event_id', gone.id), 0);
      assert.equal(await count('objects', 'event_id', gone.id), 0);
      assert.equal(await count('attribute_tags', 'event_id', gone.id), 0);
      assert.equal(await count('attributes', 'event_id', kept.id), 1);
      assert.equal(await count('objects', 'event_id', kept.id), 1);
      assert.equal(await count('attribute_tags', 'tag_id', t), 1);
    });

    it('deletes an attribute’s tag links with it, and a tag’s links with the tag', async () => {
      const event = await insertEvent(s);
      const [a, b] = [await insertAttribute(s, event.id), await insertAttribute(s, event.id)];
      const [t1, t2] = [await tag('fk:attribute'), await tag('fk:tag')];
      await db().insertInto('attribute_tags').values([link(a.id, event.id, t1), link(b.id, event.id, t1), link(b.id, event.id, t2)]).execute();

      await db().deleteFrom('attributes').where('id', '=', a.id).execute();
      assert.equal(await count('attribute_tags', 'attribute_id', a.id), 0);
      assert.equal(await count('attribute_tags', 'attribute_id', b.id), 2);

      await db().deleteFrom('tags').where('id', '=', t2).execute();
      assert.equal(await count('attribute_tags', 'tag_id', t2), 0);
      assert.equal(await count('attribute_tags', 'attribute_id', b.id), 1);
    });
  });
}

/**
 * Two PostgreSQL sessions at once, where a per-statement check could race a delete: the insert's lock makes a
 * concurrent delete of the event wait, and the delete then takes the new attribute along; an insert under an event
 * another session is deleting waits for it and then fails instead of leaving an orphan.
 */
if (testDialects().includes('postgres')) {
  describe('postgres: attribute keys under concurrent event deletes', () => {
    let fresh: FreshDatabase;
    let opened: OpenedDatabase;
    before(async () => {
      fresh = await freshDatabase('postgres');
      opened = openDatabase(fresh.url);
      await migrateToLatest(opened.db, opened.dialect);
    });
    after(async () => {
      await opened.close();
      await fresh.drop();
    });

    const session = async () => {
      const c = new pg.Client({ connectionString: fresh.url });
      await c.connect();
      return c;
    };
    const insertAttributeIn = (c: pg.Client, eventId: number) => c.query(`insert into attributes (uuid, event_id, object_id, category, type, value1, value2,
      value1_hash, to_ids, timestamp, distribution, sharing_group_id, comment, deleted, disable_correlation)
      values ($1, $2, 0, 'Network activity', 'ip-dst', '198.51.100.9', '', 1, 1, 1000, 5, 0, '', 0, 0)`, [randomUUID(), eventId]);
    const attributesOf = async (eventId: number) => Number((await opened.db.selectFrom('attributes').select((e) => e.fn.countAll().as('n'))
      .where('event_id', '=', eventId).executeTakeFirstOrThrow()).n);
    const newEvent = async () => (await opened.db.insertInto('events').values({
      uuid: randomUUID(), org_id: 1, orgc_id: 1, user_id: 1, date: '2024-01-01', info: 'concurrent delete', threat_level_id: 4, analysis: 0,
      published: 0, publish_timestamp: 0, timestamp: 1000, sighting_timestamp: 0, attribute_count: 0, distribution: 0, sharing_group_id: 0,
      proposal_email_lock: 0, locked: 0, disable_correlation: 0, extends_uuid: '', protected: null,
    }).returning('id').executeTakeFirstOrThrow()).id;
    /** Whether `p` is still pending after a moment (it waits for a lock). */
    const waits = async (p: Promise<unknown>) => Promise.race([p.then(() => false, () => false), new Promise<boolean>((r) => { setTimeout(() => r(true), 300); })]);

    it('a delete of the event waits for the inserting transaction, then removes what it inserted', async () => {
      const eventId = await newEvent();
      const [a, b] = [await session(), await session()];
      try {
        await a.query('begin');
        await insertAttributeIn(a, eventId);
        const deleting = b.query('delete from events where id = $1', [eventId]);
        assert.equal(await waits(deleting), true, 'the delete waits for the insert to commit');
        await a.query('commit');
        await deleting;
        assert.equal(await attributesOf(eventId), 0);
      } finally {
        await a.end();
        await b.end();
      }
    });

    it('an insert under an event being deleted waits, then fails', async () => {
      const eventId = await newEvent();
      const [a, b] = [await session(), await session()];
      try {
        await b.query('begin');
        await b.query('delete from events where id = $1', [eventId]);
        const inserting = insertAttributeIn(a, eventId);
        assert.equal(await waits(inserting), true, 'the insert waits for the delete to commit');
        await b.query('commit');
        await assert.rejects(inserting, (e: { code?: string }) => e.code === '23503');
        assert.equal(await attributesOf(eventId), 0);
      } finally {
        await a.end();
        await b.end();
      }
    });
  });
}
