import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createUserWithKey } from '../support/tag-test-fixtures.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/**
 * Guards of the write-path shortcuts (performance.md §4.2 metrics 2a–2c, 5):
 * - events/add answers from the rows it wrote instead of reading them back (src/core/events/written-children.ts):
 *   the answer must equal events/view of the same event, soft-deleted elements, tags, objects and references included;
 * - bulk inserts bind values as the dialect stores them (strings that look like numbers stay strings, nulls stay null);
 * - value search matches through the value hash index (migration 0024) and re-checks the whole value, and patterns
 *   through `Dialect.ciLike` (PostgreSQL's 200-character key index): long values, values that only differ after
 *   200 characters, case-insensitively.
 */

/** The long head of values that only differ after it, past both databases' key lengths. */
const LONG_HEAD = `${'A'.repeat(150)}-long-value-${'b'.repeat(60)}`;

function richEvent() {
  const objectUuid = randomUUID();
  const secondObject = randomUUID();
  const referenced = randomUUID();
  return {
    uuid: randomUUID(), info: 'fast path', date: '2024-05-01', threat_level_id: '3', analysis: '2', distribution: '2',
    Tag: [{ name: 'tlp:amber' }],
    Attribute: [
      { type: 'ip-dst', value: '198.51.100.77', comment: 'c2', to_ids: true, first_seen: '2024-05-01T10:00:00.000001+00:00', Tag: [{ name: 'fast:one' }] },
      { type: 'text', value: '0042', comment: '' },
      { type: 'domain', value: 'gone.example', deleted: true },
      { type: 'text', value: `${LONG_HEAD}-tail-one`, uuid: referenced },
      { type: 'filename|md5', value: 'a.exe|0cc175b9c0f1b6a831c399e269772661', distribution: '0' },
    ],
    Object: [
      {
        name: 'domain-ip', 'meta-category': 'network', description: 'A domain and its IP', uuid: objectUuid,
        template_uuid: '43b3b146-77eb-4931-b4cc-b66c60f28734', template_version: '11',
        Attribute: [
          { type: 'domain', value: 'fast.example', object_relation: 'domain', Tag: [{ name: 'fast:two' }] },
          { type: 'ip-dst', value: '203.0.113.77', object_relation: 'ip', deleted: true },
        ],
        ObjectReference: [
          { referenced_uuid: referenced, relationship_type: 'related-to' },
          { referenced_uuid: secondObject, relationship_type: 'connected-to', comment: 'second' },
        ],
      },
      {
        name: 'domain-ip', 'meta-category': 'network', description: 'A domain and its IP', uuid: secondObject,
        template_uuid: '43b3b146-77eb-4931-b4cc-b66c60f28734', template_version: '11', deleted: true,
        Attribute: [{ type: 'domain', value: 'hidden.example', object_relation: 'domain' }],
      },
    ],
  };
}

/** The answer without what differs between two reads by design (nothing, today). */
const comparable = (body: any) => body.Event;

for (const dialect of testDialects()) {
  describe(`${dialect}: events/add write-path shortcuts`, () => {
    let s: TestServer;
    let user: { key: string; userId: number; orgId: number };
    before(async () => {
      s = await startTestServer(dialect);
      user = await createUserWithKey(s, { orgName: 'FASTORG', email: 'fast@write.test', perms: ['perm_add', 'perm_modify', 'perm_tagger'] });
      for (const name of ['fast:one', 'fast:two', 'tlp:amber']) await s.call('POST', 'tags/add', { name });
    });
    after(() => s.close());

    for (const who of ['site admin', 'org user'] as const) {
      it(`answers what events/view shows (${who})`, async () => {
        const key = who === 'site admin' ? undefined : user.key;
        const added = await s.call('POST', 'events/add', richEvent(), key);
        assert.equal(added.status, 200, JSON.stringify(added.body));
        const viewed = await s.call('GET', `events/view/${added.body.Event.id}`, undefined, key);
        assert.equal(viewed.status, 200);
        assert.deepEqual(comparable(added.body), comparable(viewed.body));
        const ev = added.body.Event;
        assert.deepEqual(ev.Attribute.map((a: any) => a.value), ['198.51.100.77', '0042', `${LONG_HEAD}-tail-one`, 'a.exe|0cc175b9c0f1b6a831c399e269772661']);
        assert.equal(ev.Attribute[1].value, '0042', 'a numeric-looking value stays a string');
        assert.equal(ev.Object.length, 1, 'the soft-deleted object is not shown');
        assert.deepEqual(ev.Object[0].Attribute.map((a: any) => a.value), ['fast.example']);
        assert.equal(ev.Object[0].ObjectReference.length, 2);
        // the count events/add stores from what it wrote equals a count of the live rows
        const live = await s.container.storage.db.selectFrom('attributes').select((eb) => eb.fn.countAll<number>().as('n'))
          .where('event_id', '=', Number(ev.id)).where('deleted', '=', 0).executeTakeFirstOrThrow();
        assert.equal(ev.attribute_count, String(live.n));
      });
    }

    it('metadata:1 still answers without content', async () => {
      const added = await s.call('POST', 'events/add/metadata:1', richEvent());
      assert.equal(added.status, 200);
      assert.equal(added.body.Event.Attribute, undefined);
    });

    it('finds values longer than the index key, exactly and by prefix, case-insensitively', async () => {
      const body = richEvent();
      body.Attribute.push({ type: 'text', value: `${LONG_HEAD}-tail-two` } as never);
      const added = await s.call('POST', 'events/add', body);
      assert.equal(added.status, 200);
      const exact = await s.call('POST', 'attributes/restSearch', { value: `${LONG_HEAD.toLowerCase()}-TAIL-ONE`, eventid: added.body.Event.id });
      assert.deepEqual(exact.body.response.Attribute.map((a: any) => a.value), [`${LONG_HEAD}-tail-one`]);
      const prefix = await s.call('POST', 'attributes/restSearch', { value: `${LONG_HEAD.toLowerCase()}-tail%`, eventid: added.body.Event.id });
      assert.deepEqual(prefix.body.response.Attribute.map((a: any) => a.value).sort(), [`${LONG_HEAD}-tail-one`, `${LONG_HEAD}-tail-two`]);
      const short = await s.call('POST', 'attributes/restSearch', { value: 'FAST.EXA%', eventid: added.body.Event.id });
      assert.deepEqual(short.body.response.Attribute.map((a: any) => a.value), ['fast.example']);
      const none = await s.call('POST', 'attributes/restSearch', { value: `${LONG_HEAD}-tail-three`, eventid: added.body.Event.id });
      assert.deepEqual(none.body.response.Attribute, []);
    });
  });
}
