import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { startTestServer, testDialects, type TestServer } from '../../test/support/test-server.js';
import { uuidText, uuidTextOf } from './binary-uuids.js';

/**
 * SQLite keeps `attributes.uuid` as 16 bytes (binary-uuids.ts, migration 0022) while every reader and writer
 * above the storage layer sees uuid text: the bytes on disk, the text through the API, lookups by uuid in either
 * case, and the in-place upgrade of rows stored as text by earlier versions. (Every test server also checks on
 * close that no write path stored text: test/support/test-server.ts.)
 */
describe('uuid bytes', () => {
  it('formats 16 bytes as the canonical lower-case uuid', () => {
    const u = randomUUID();
    assert.equal(uuidText(Buffer.from(u.replace(/-/g, ''), 'hex')), u);
    assert.equal(uuidText(new Uint8Array(16)), '00000000-0000-0000-0000-000000000000');
  });
});

if (testDialects().includes('sqlite')) {
  describe('sqlite: attribute uuids stored as 16 bytes', () => {
    let s: TestServer;
    before(async () => { s = await startTestServer('sqlite'); });
    after(() => s.close());
    const db = () => s.container.storage.db;
    const stored = async (uuid: string) => (await sql<{ kind: string; bytes: number }>`select typeof(uuid) as kind, length(uuid) as bytes
      from attributes where uuid = unhex(replace(${uuid}, '-', ''))`.execute(db())).rows[0];

    it('formats the bytes in SQL as uuidText does, and leaves a value stored as text as it is', async () => {
      const uuids = Array.from({ length: 50 }, () => randomUUID());
      const { rows } = await sql<{ formatted: string; bytes: Uint8Array }>`select ${uuidTextOf(sql.ref('u.b'))} as formatted, u.b as bytes
        from (select unhex(replace(value, '-', '')) as b from json_each(${JSON.stringify(uuids)})) u`.execute(db());
      assert.deepEqual(rows.map((r) => r.formatted), uuids);
      assert.deepEqual(rows.map((r) => uuidText(r.bytes)), uuids);
      const text = await sql<{ formatted: string }>`select ${uuidTextOf(sql.lit('not-a-uuid'))} as formatted`.execute(db());
      assert.equal(text.rows[0]!.formatted, 'not-a-uuid');
    });

    it('writes bytes, answers text, and finds an attribute by its uuid in either case', async () => {
      const uuid = randomUUID();
      const added = await s.call('POST', 'events/add', {
        Event: { info: 'uuid bytes', Attribute: [{ uuid: uuid.toUpperCase(), type: 'ip-dst', value: '198.51.100.9' }] },
      });
      assert.equal(added.status, 200);
      assert.equal(added.body.Event.Attribute[0].uuid, uuid);
      assert.deepEqual(await stored(uuid), { kind: 'blob', bytes: 16 });
      for (const ref of [uuid, uuid.toUpperCase()]) {
        const view = await s.call('GET', `attributes/view/${ref}`);
        assert.equal(view.status, 200, ref);
        assert.equal(view.body.Attribute.uuid, uuid);
      }
      const found = await s.call('POST', 'attributes/restSearch', { uuid });
      assert.deepEqual(found.body.response.Attribute.map((a: { uuid: string }) => a.uuid), [uuid]);
      const event = await s.call('GET', `events/view/${added.body.Event.id}`);
      assert.equal(event.body.Event.Attribute[0].uuid, uuid);
    });

    it('converts uuids an earlier version stored as text, in place', async () => {
      const { dialect } = s.container.storage;
      const event = await s.call('POST', 'events/add', { Event: { info: 'legacy' } });
      const uuid = randomUUID();
      await sql`insert into attributes (uuid, event_id, category, type, value1, timestamp)
        values (${uuid}, ${Number(event.body.Event.id)}, 'Other', 'text', 'legacy value', 1)`.execute(db());
      for (const statement of dialect.uuidBytesUpgrade('attributes', 'uuid')) await statement.execute(db());
      assert.deepEqual(await stored(uuid), { kind: 'blob', bytes: 16 });
      const view = await s.call('GET', `attributes/view/${uuid}`);
      assert.equal(view.body.Attribute.value, 'legacy value');
    });
  });
}
