import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { startTestServer, testDialects, type TestServer } from '../../test/support/test-server.js';
import { arrayRows } from './array-rows.js';
import { ATTRIBUTE_ROW, EVENT_ROW, OBJECT_ROW } from './repos/event-write-rows.js';
import { TAG_ROW } from './repos/tag-store.js';

/**
 * Array rows (array-rows.ts) on both databases: a marked statement answers arrays in select order, an unmarked one
 * objects, and each table codec lists every column of its table, so a column added by a migration cannot be
 * silently missing from search results.
 */
/** Columns that exist to be indexed, never shown: the value hashes of migration 0024. */
const INDEX_ONLY_COLUMNS = ['value1_hash', 'value2_hash'];

for (const dialect of testDialects()) {
  describe(`${dialect}: array rows`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('answers a marked statement with arrays and leaves others as objects', async () => {
      const { db } = server.container.storage;
      assert.deepEqual(await arrayRows(db, sql`select 1 as a, 'x' as b`), [[1, 'x']]);
      assert.deepEqual((await sql`select 1 as a, 'x' as b`.execute(db)).rows, [{ a: 1, b: 'x' }]);
    });

    it('maps an event row read as an array to the same row object as a plain select', async () => {
      const created = await server.call('POST', 'events/add', { Event: { info: 'array rows', Attribute: [{ type: 'ip-dst', value: '10.0.0.1' }] } });
      const id = Number(created.body.Event.id);
      const { db } = server.container.storage;
      const [asArray] = await arrayRows(db, sql`select ${EVENT_ROW.select('e')} from events e where e.id = ${id}`);
      const [asObject] = (await sql`select * from events where id = ${id}`.execute(db)).rows;
      assert.deepEqual(EVENT_ROW.fromArray(asArray!), asObject);
    });

    for (const [table, codec] of [['events', EVENT_ROW], ['attributes', ATTRIBUTE_ROW], ['objects', OBJECT_ROW], ['tags', TAG_ROW]] as const) {
      it(`lists every column of ${table}`, async () => {
        const { db } = server.container.storage;
        const columns = (await db.introspection.getTables()).find((t) => t.name === table)!.columns.map((c) => c.name)
          .filter((c) => !INDEX_ONLY_COLUMNS.includes(c));
        assert.deepEqual(Object.keys(codec.fromArray([])).sort(), [...columns].sort());
      });
    }
  });
}
