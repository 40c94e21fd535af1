import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TagStore } from '../../src/core/ports/tag-store.js';
import { defaultTagColour } from '../../src/core/tags/tag-colour.js';
import type { Dialect } from '../../src/storage/dialect.js';
import { createTagStore } from '../../src/storage/repos/tag-store.js';
import { eventRow, insertAttribute, insertEvent, rawDb } from '../support/tag-test-fixtures.js';
import { holdTransaction } from '../support/held-transaction.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/** Storage contract of the TagStore port (spec §1.1 tags / event_tags / attribute_tags), on both databases. */
for (const dialect of testDialects()) {
  describe(`${dialect}: TagStore contract`, () => {
    let s: TestServer;
    let tags: TagStore;
    before(async () => {
      s = await startTestServer(dialect);
      tags = s.container.storage.tags;
    });
    after(() => s.close());

    it('creates with MISP defaults and a deterministic colour, finds by id and by name case-insensitively', async () => {
      const t = await tags.create({ name: 'TLP:Amber' });
      assert.equal(t.colour, defaultTagColour('TLP:Amber'));
      assert.equal(defaultTagColour('tlp:red'), '#66e8a9'); // '#' + md5('tlp:red')[0:6], as MISP's Tag::tagColor
      assert.match(t.colour, /^#[0-9a-f]{6}$/);
      assert.equal(t.exportable, true);
      assert.equal(t.hideTag, false);
      assert.equal(t.orgId, 0);
      assert.equal(t.numericalValue, null);
      assert.deepEqual(await tags.findById(t.id), t);
      const byName = await tags.findByNames(['tlp:AMBER', 'missing']);
      assert.equal(byName.get('tlp:amber')?.id, t.id);
      assert.equal(byName.size, 1);
    });

    it('rejects a second tag whose name differs only in case (unique name_lower)', async () => {
      await tags.create({ name: 'case-test' });
      await assert.rejects(tags.create({ name: 'CASE-TEST' }));
    });

    it('findOrCreate creates a name once and then returns that tag, whatever the case, inside transactions too', async () => {
      const first = await tags.findOrCreate({ name: 'capture:Once', colour: '#123456' });
      assert.equal(first.colour, '#123456');
      const again = await s.container.storage.transaction((tx) => tx.tags.findOrCreate({ name: 'CAPTURE:once', colour: '#654321' }));
      assert.deepEqual(again, first);
    });

    if (dialect === 'postgres') {
      it('findOrCreate waits for another transaction creating the same name and returns its tag', async () => {
        const first = await holdTransaction(s.container.storage, (tx) => tx.tags.findOrCreate({ name: 'capture:race' }));
        const second = s.container.storage.transaction((tx) => tx.tags.findOrCreate({ name: 'capture:RACE' }));
        setTimeout(first.release, 50);
        const [a, b] = await Promise.all([first.committed, second]);
        assert.deepEqual(b, a);
      });
    }

    it('updates fields, keeps name lookups in step with renames, deletes with links', async () => {
      const t = await tags.create({ name: 'rename-me', colour: '#123456', numericalValue: 50 });
      const u = await tags.update(t.id, { name: 'Renamed', hideTag: true, numericalValue: null });
      assert.equal(u?.name, 'Renamed');
      assert.equal(u?.colour, '#123456');
      assert.equal(u?.hideTag, true);
      assert.equal(u?.numericalValue, null);
      assert.equal((await tags.findByNames(['renamed'])).get('renamed')?.id, t.id);
      assert.equal((await tags.findByNames(['rename-me'])).size, 0);
      assert.equal(await tags.update(999_999, { name: 'x' }), undefined);

      const ev = await insertEvent(s);
      await tags.linkEventTags(ev.id, [{ tagId: t.id, local: false, relationshipType: '' }]);
      assert.equal(await tags.delete(t.id), true);
      assert.equal(await tags.findById(t.id), undefined);
      assert.equal((await tags.eventTags([ev.id])).get(ev.id), undefined);
      assert.equal(await tags.delete(t.id), false);
    });

    it('links event and attribute tags idempotently and reads them back keyed by owner', async () => {
      const a = await tags.create({ name: 'link-a' });
      const b = await tags.create({ name: 'link-b' });
      const ev = await insertEvent(s);
      const ev2 = await insertEvent(s);
      const at1 = await insertAttribute(s, ev.id);
      const at2 = await insertAttribute(s, ev.id);
      await tags.linkEventTags(ev.id, [{ tagId: a.id, local: false, relationshipType: '' }, { tagId: a.id, local: true, relationshipType: 'x' }]);
      await tags.linkEventTags(ev.id, [{ tagId: a.id, local: true, relationshipType: '' }, { tagId: b.id, local: true, relationshipType: 'rel' }]);
      const et = (await tags.eventTags([ev.id, ev2.id])).get(ev.id)!;
      assert.deepEqual(et.map((l) => [l.tag.name, l.local, l.relationshipType]), [['link-a', false, ''], ['link-b', true, 'rel']]);
      assert.equal((await tags.eventTags([ev2.id])).size, 0);

      await tags.linkAttributeTags([
        { attributeId: at1.id, eventId: ev.id, tagId: a.id, local: false, relationshipType: '' },
        { attributeId: at1.id, eventId: ev.id, tagId: a.id, local: false, relationshipType: '' },
        { attributeId: at2.id, eventId: ev.id, tagId: b.id, local: true, relationshipType: '' },
      ]);
      await tags.linkAttributeTags([{ attributeId: at1.id, eventId: ev.id, tagId: a.id, local: true, relationshipType: '' }]);
      const ofEvent = await tags.attributeTagsOfEvents([ev.id]);
      assert.deepEqual(ofEvent.get(at1.id)!.map((l) => l.tag.id), [a.id]);
      assert.deepEqual(ofEvent.get(at2.id)!.map((l) => [l.tag.id, l.local]), [[b.id, true]]);
      const byAttr = await tags.attributeTags([at2.id]);
      assert.deepEqual([...byAttr.keys()], [at2.id]);

      assert.equal((await tags.eventTagLink(ev.id, b.id))?.local, true);
      assert.equal(await tags.eventTagLink(ev2.id, b.id), undefined);
      assert.equal((await tags.attributeTagLink(at1.id, a.id))?.tag.name, 'link-a');
      assert.equal(await tags.unlinkEventTag(ev.id, b.id), true);
      assert.equal(await tags.unlinkEventTag(ev.id, b.id), false);
      assert.equal(await tags.unlinkAttributeTag(at2.id, b.id), true);
      assert.equal((await tags.attributeTags([at2.id])).size, 0);
    });

    it('reads many owners with one query per call (no N+1)', async () => {
      const t = await tags.create({ name: 'bulk' });
      const events = [];
      for (let k = 0; k < 30; k++) events.push(await insertEvent(s));
      for (const e of events) await tags.linkEventTags(e.id, [{ tagId: t.id, local: false, relationshipType: '' }]);
      let queries = 0;
      const counting = createTagStore(rawDb(s).withPlugin({
        transformQuery: (a) => { queries++; return a.node; },
        transformResult: async (a) => a.result,
      }), (s.container.storage as unknown as { dialect: Dialect }).dialect);
      const m = await counting.eventTags(events.map((e) => e.id));
      assert.equal(m.size, 30);
      await counting.attributeTagsOfEvents(events.map((e) => e.id));
      await counting.attributeTags([1, 2, 3]);
      assert.equal(queries, 3);
    });

    it('lists with event/attribute counts, filtered, and ACL-aware for a viewer', async () => {
      const t = await tags.create({ name: 'count-me' });
      const own = await insertEvent(s, { orgId: 1, distribution: 0 });
      const other = await insertEvent(s, { orgId: 77, distribution: 0 });
      const shared = await insertEvent(s, { orgId: 77, distribution: 3 });
      for (const e of [own, other, shared]) await tags.linkEventTags(e.id, [{ tagId: t.id, local: false, relationshipType: '' }]);
      const visAttr = await insertAttribute(s, shared.id, { distribution: 5 });
      const hiddenAttr = await insertAttribute(s, shared.id, { distribution: 0 });
      const deletedAttr = await insertAttribute(s, shared.id, { distribution: 5, deleted: true });
      await tags.linkAttributeTags([visAttr, hiddenAttr, deletedAttr].map((a) => ({
        attributeId: a.id, eventId: shared.id, tagId: t.id, local: false, relationshipType: '',
      })));

      const all = await tags.listWithCounts({ names: ['COUNT-ME'] });
      assert.equal(all.length, 1);
      assert.equal(all[0]!.count, 3);
      assert.equal(all[0]!.attributeCount, 2);
      const asOrg1 = await tags.listWithCounts({ search: '%count-m%' }, { orgId: 1, sharingGroupIds: [] });
      assert.equal(asOrg1[0]!.count, 2);
      assert.equal(asOrg1[0]!.attributeCount, 1);
      assert.deepEqual(await tags.listWithCounts({ search: '%no-such%' }), []);
      const found = await tags.find({ likeAny: ['count%', 'link-a'] });
      assert.ok(found.some((x) => x.name === 'count-me'));
    });

    it('orders by name as MISP\'s binary collation does, identically on both databases', async () => {
      for (const n of ['ord-b', 'ord-B', 'ord-a', 'ord-A']) await tags.create({ name: n === 'ord-B' ? 'ORD-b2' : n === 'ord-A' ? 'ORD-a2' : n });
      const names = (await tags.listWithCounts({ search: 'ord-%' })).map((t) => t.name);
      assert.deepEqual(names, ['ORD-a2', 'ORD-b2', 'ord-a', 'ord-b']);
      assert.deepEqual((await tags.find({ likeAny: ['ord-%'] })).map((t) => t.name), names);
    });

    it('filters tags a user may use (org_id / user_id restrictions)', async () => {
      await tags.create({ name: 'restricted-org', orgId: 42 });
      await tags.create({ name: 'restricted-user', userId: 42 });
      const usable = await tags.find({ likeAny: ['restricted-%'], usableBy: { orgId: 1, userId: 1 } });
      assert.deepEqual(usable, []);
      const forOrg42 = await tags.find({ likeAny: ['restricted-%'], usableBy: { orgId: 42, userId: 1 } });
      assert.deepEqual(forOrg42.map((x) => x.name), ['restricted-org']);
    });

    it('finds taggable events/attributes, unpublishes and touches', async () => {
      const ev = await insertEvent(s, { published: true, timestamp: 100 });
      const attr = await insertAttribute(s, ev.id, { timestamp: 100 });
      assert.equal((await tags.findTaggableEvent({ uuid: ev.uuid.toUpperCase() }))?.id, ev.id);
      const ta = await tags.findTaggableAttribute({ uuid: attr.uuid });
      assert.equal(ta?.event.id, ev.id);
      assert.equal(ta?.event.published, true);
      assert.equal(await tags.findTaggableAttribute({ id: 999_999 }), undefined);
      await tags.touchAttribute({ id: attr.id, eventId: ev.id, objectId: 0 }, 5000);
      const row = await eventRow(s, ev.id);
      assert.equal(row.published, 0);
      assert.equal(Number(row.timestamp), 5000);
      assert.equal((await tags.findTaggableAttribute({ id: attr.id }))?.timestamp, 5000);
    });
  });
}
