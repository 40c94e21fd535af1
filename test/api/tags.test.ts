import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defaultTagColour } from '../../src/core/tags/tag-colour.js';
import { createUserWithKey, eventRow, insertAttribute, insertEvent } from '../support/tag-test-fixtures.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/** Tags over HTTP (spec §2.5, §3.4, §4.4–§4.6), following PyMISP's test_tags and MISP's TagsController. */
for (const dialect of testDialects()) {
  describe(`${dialect}: tags API`, () => {
    let s: TestServer;
    /** TestOrg users, MISP-like roles. */
    let user: { key: string; userId: number; orgId: number };
    let pub: { key: string; userId: number; orgId: number };
    let reader: { key: string; userId: number; orgId: number };
    let editor: { key: string; userId: number; orgId: number };
    /** Another org's tagger, and a non-admin tagger of the host org. */
    let outsider: { key: string; userId: number; orgId: number };
    let hostUser: { key: string; userId: number; orgId: number };

    before(async () => {
      s = await startTestServer(dialect);
      user = await createUserWithKey(s, { orgName: 'TestOrg', email: 'user@test.org', perms: ['perm_add', 'perm_modify', 'perm_tagger'] });
      pub = await createUserWithKey(s, { orgName: 'TestOrg', email: 'pub@test.org', perms: ['perm_add', 'perm_modify', 'perm_modify_org', 'perm_publish', 'perm_tagger'] });
      reader = await createUserWithKey(s, { orgName: 'TestOrg', email: 'reader@test.org', perms: ['perm_add', 'perm_modify'] });
      editor = await createUserWithKey(s, { orgName: 'TestOrg', email: 'editor@test.org', perms: ['perm_add', 'perm_modify_org', 'perm_tagger', 'perm_tag_editor'] });
      outsider = await createUserWithKey(s, { orgName: 'OtherOrg', email: 'x@other.org', perms: ['perm_add', 'perm_modify_org', 'perm_tagger'] });
      hostUser = await createUserWithKey(s, { orgName: 'ORGNAME', email: 'host@admin.test', perms: ['perm_add', 'perm_modify', 'perm_tagger'] });
    });
    after(() => s.close());

    const addTag = async (body: Record<string, unknown>) => {
      const r = await s.call('POST', 'tags/add', body);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.Tag;
    };

    describe('administration', () => {
      it('adds a tag with MISP wire types and the name-derived colour; an existing name comes back unchanged', async () => {
        const t = await addTag({ name: 'this is a test tag' });
        assert.equal(t.name, 'this is a test tag');
        assert.equal(t.colour, defaultTagColour('this is a test tag'));
        assert.match(t.id, /^\d+$/);
        assert.equal(t.exportable, true);
        assert.equal(t.hide_tag, false);
        assert.equal(t.org_id, '0');
        assert.equal(t.numerical_value, null);
        const again = await addTag({ Tag: { name: 'THIS IS A TEST TAG', colour: '#000000' } });
        assert.deepEqual(again, t);
        const nonExportable = await addTag({ name: 'non-exportable tag', exportable: false });
        assert.equal(nonExportable.exportable, false);
        const restricted = await addTag({ name: 'restricted', org_id: user.orgId, numerical_value: '80' });
        assert.equal(restricted.org_id, String(user.orgId));
        assert.equal(restricted.numerical_value, '80');
      });

      it('refuses a nameless or badly coloured tag, and callers without perm_tag_editor', async () => {
        const r = await s.call('POST', 'tags/add', { colour: '#ffffff' });
        assert.equal(r.status, 405);
        assert.equal(r.body.message, 'Could not add the Tag. [name]: This field is required.');
        const c = await s.call('POST', 'tags/add', { name: 'bad colour', colour: 'red' });
        assert.equal(c.status, 405);
        assert.match(c.body.message, /\[colour\]: Colour has to be in the RGB format/);
        const denied = await s.call('POST', 'tags/add', { name: 'nope' }, user.key);
        assert.equal(denied.status, 403);
        assert.equal((await s.call('POST', 'tags/add', { name: 'editor made' }, editor.key)).status, 200);
      });

      it('edits (disable/enable/rename) as site admin only, refusing a rename onto another name', async () => {
        const t = await addTag({ name: 'to edit' });
        const off = await s.call('POST', `tags/edit/${t.id}`, { ...t, hide_tag: true, count: 3, attribute_count: 1 });
        assert.equal(off.status, 200);
        assert.equal(off.body.Tag.hide_tag, true);
        const on = await s.call('POST', `tags/edit/${t.id}`, { hide_tag: false });
        assert.equal(on.body.Tag.hide_tag, false);
        const renamed = await s.call('POST', `tags/edit/${t.id}`, { name: 'to edit - edit' });
        assert.equal(renamed.body.Tag.name, 'to edit - edit');
        assert.equal(renamed.body.Tag.colour, t.colour);
        const clash = await s.call('POST', `tags/edit/${t.id}`, { name: 'This Is A Test Tag' });
        assert.equal(clash.status, 405);
        assert.equal(clash.body.message, 'Could not add the Tag. [name]: A similar name already exists.');
        assert.equal((await s.call('POST', 'tags/edit/999999', { name: 'x' })).status, 404);
        assert.equal((await s.call('POST', `tags/edit/${t.id}`, { name: 'x' }, pub.key)).status, 403);
      });

      it('views one tag bare with counts, and deletes it', async () => {
        const t = await addTag({ name: 'to delete' });
        const v = await s.call('GET', `tags/view/${t.id}`);
        assert.equal(v.status, 200);
        assert.equal(v.body.name, 'to delete');
        assert.equal(v.body.count, 0);
        assert.equal(v.body.attribute_count, 0);
        assert.equal((await s.call('GET', 'tags/view/999999')).body.message, 'Invalid Tag');
        assert.equal((await s.call('POST', `tags/delete/${t.id}`, undefined, pub.key)).status, 403);
        const d = await s.call('POST', `tags/delete/${t.id}`);
        assert.equal(d.status, 200);
        assert.equal(d.body.message, 'Tag deleted.');
        assert.ok(d.body.url.endsWith(`/tags/delete/${t.id}`), d.body.url);
        assert.equal((await s.call('POST', `tags/delete/${t.id}`)).status, 404);
      });

      it('searches like PyMISP: LIKE patterns case-insensitively, strict exact names, [] when nothing matches', async () => {
        const like = await s.call('POST', 'tags/search', { tagname: 'THIS %', strict_tagname: false });
        assert.equal(like.status, 200);
        assert.deepEqual(like.body.map((x: any) => x.Tag.name), ['this is a test tag']);
        const none = await s.call('POST', 'tags/search', { tagname: 'not a tag', strict_tagname: false });
        assert.deepEqual(none.body, []);
        const strict = await s.call('POST', 'tags/search', { tagname: 'this is a test%', strict_tagname: true });
        assert.deepEqual(strict.body, []);
        const exact = await s.call('POST', 'tags/search', { tagname: 'This Is A Test Tag', strict_tagname: true });
        assert.equal(exact.body.length, 1);
      });
    });

    describe('index counts', () => {
      it('lists every tag with int counts, filtered by searchall, counting only what the caller can see', async () => {
        const t = await addTag({ name: 'counted' });
        const mine = await insertEvent(s, { orgId: user.orgId, distribution: 0 });
        const hidden = await insertEvent(s, { orgId: outsider.orgId, distribution: 0 });
        const tags = s.container.storage.tags;
        for (const e of [mine, hidden]) await tags.linkEventTags(e.id, [{ tagId: Number(t.id), local: false, relationshipType: '' }]);
        const a = await insertAttribute(s, mine.id);
        await tags.linkAttributeTags([{ attributeId: a.id, eventId: mine.id, tagId: Number(t.id), local: false, relationshipType: '' }]);

        const all = await s.call('GET', 'tags/index/searchall:COUNT');
        assert.equal(all.status, 200);
        assert.deepEqual(all.body.Tag.map((x: any) => x.name), ['counted']);
        assert.equal(all.body.Tag[0].count, 2);
        assert.equal(all.body.Tag[0].attribute_count, 1);
        const asUser = await s.call('GET', 'tags/index/searchall:counted', undefined, user.key);
        assert.equal(asUser.body.Tag[0].count, 1);
        const asOutsider = await s.call('GET', 'tags/index/searchall:counted', undefined, outsider.key);
        assert.equal(asOutsider.body.Tag[0].count, 1);
        assert.equal(asOutsider.body.Tag[0].attribute_count, 0);
        const everything = await s.call('GET', 'tags/index');
        assert.ok(everything.body.Tag.length > 3);
      });
    });

    describe('tags/attachTagToObject and tags/removeTagFromObject', () => {
      it('follows PyMISP test_tags: invisible target, org- and user-restricted tags', async () => {
        const orgTag = await addTag({ name: `restricted to org ${user.orgId}`, org_id: user.orgId });
        const userTag = await addTag({ name: `restricted to user ${user.userId}`, user_id: user.userId });
        const ev = await insertEvent(s, { orgId: user.orgId, userId: user.userId, distribution: 0, published: true, timestamp: 100 });
        const attr = await insertAttribute(s, ev.id);

        const invisible = await s.call('POST', 'tags/attachTagToObject', { uuid: ev.uuid, tag: orgTag.name, local: false }, outsider.key);
        assert.equal(invisible.status, 404);
        assert.equal(invisible.body.message, 'Invalid Target.');

        const ok = await s.call('POST', 'tags/attachTagToObject', { uuid: ev.uuid, tag: orgTag.name, local: false }, user.key);
        assert.equal(ok.status, 200, JSON.stringify(ok.body));
        assert.equal(ok.body.saved, true);
        assert.equal(ok.body.message, `Global tag ${orgTag.name}(${orgTag.id}) successfully attached to Event(${ev.id}).`);
        assert.equal(ok.body.url, '/tags/attachTagToObject');
        const row = await eventRow(s, ev.id);
        assert.equal(row.published, 0, 'a global tag unpublishes the event');
        assert.ok(Number(row.timestamp) > 100);

        const wrongUser = await s.call('POST', 'tags/attachTagToObject', { uuid: attr.uuid, tag: userTag.name, local: false }, pub.key);
        assert.equal(wrongUser.status, 403);
        assert.equal(wrongUser.body.saved, false);
        assert.equal(wrongUser.body.message, 'Could not attachTagToObject Tag');
        assert.ok(wrongUser.body.errors.includes('Invalid Tag. This tag can only be set by a fixed user.'));

        const onAttr = await s.call('POST', 'tags/attachTagToObject', { uuid: attr.uuid, tag: userTag.name, local: false }, user.key);
        assert.equal(onAttr.status, 200);
        assert.ok(onAttr.body.message.toLowerCase().includes('successfully') && onAttr.body.message.includes(`(${attr.id})`));
        const links = await s.container.storage.tags.attributeTags([attr.id]);
        assert.deepEqual(links.get(attr.id)!.map((l) => l.tag.name), [userTag.name]);

        const again = await s.call('POST', 'tags/attachTagToObject', { uuid: attr.uuid, tag: userTag.name }, user.key);
        assert.equal(again.body.message, `Attribute already has the requested tag attached, no changes had to be made for tag ${userTag.name}.`);
      });

      it('keeps global tags to the creator org, local tags to the host org, and leaves the event published for local ones', async () => {
        await addTag({ name: 'tlp:green' });
        const ev = await insertEvent(s, { orgId: user.orgId, distribution: 3, published: true, timestamp: 100 });
        const global = await s.call('POST', 'tags/attachTagToObject', { uuid: ev.uuid, tag: 'tlp:green' }, hostUser.key);
        assert.equal(global.status, 403);
        assert.match(global.body.message, /^Cannot alter the tags of this data, only the organisation that has created the data \(orgc\) can modify global tags\. Please consider using local tags/);
        const localOther = await s.call('POST', 'tags/attachTagToObject', { uuid: ev.uuid, tag: 'tlp:green', local: true }, outsider.key);
        assert.equal(localOther.status, 403);
        assert.match(localOther.body.errors, /Local tags can only be added by users of the host organisation\./);

        const local = await s.call('POST', 'tags/attachTagToObject', { uuid: ev.uuid, tag: 'TLP:GREEN', local: 1, relationship_type: 'about' }, hostUser.key);
        assert.equal(local.status, 200, JSON.stringify(local.body));
        assert.match(local.body.message, /^Local tag tlp:green\(\d+\) successfully attached to Event\(\d+\)\.$/);
        const row = await eventRow(s, ev.id);
        assert.equal(row.published, 1);
        assert.equal(Number(row.timestamp), 100);
        const [link] = (await s.container.storage.tags.eventTags([ev.id])).get(ev.id)!;
        assert.equal(link!.local, true);
        assert.equal(link!.relationshipType, 'about');

        const removed = await s.call('POST', 'tags/removeTagFromObject', { uuid: ev.uuid, tag: 'tlp:green' }, hostUser.key);
        assert.equal(removed.status, 200);
        assert.match(removed.body.message, /^Local tag tlp:green \(\d+\) successfully removed from Event\(\d+\)\.$/);
        assert.equal((await eventRow(s, ev.id)).published, 1);
      });

      it('creates unknown names only for perm_tag_editor and honours local_only tags', async () => {
        const ev = await insertEvent(s, { orgId: user.orgId, distribution: 0 });
        const denied = await s.call('POST', 'tags/attachTagToObject', { uuid: ev.uuid, tag: 'brand new tag' }, user.key);
        assert.equal(denied.status, 403);
        assert.match(denied.body.errors, /Tag not found and insufficient privileges to create it\./);
        const created = await s.call('POST', 'tags/attachTagToObject', { uuid: ev.uuid, tag: ['brand new tag', 'second new tag'] }, editor.key);
        assert.equal(created.status, 200, JSON.stringify(created.body));
        assert.equal(created.body.message, `Successfully attached 2 tags to Event (${ev.id})`);
        const made = await s.call('POST', 'tags/search', { tagname: 'brand new tag', strict_tagname: true });
        assert.equal(made.body[0].Tag.colour, defaultTagColour('brand new tag'));

        await addTag({ name: 'local only', local_only: true });
        const lo = await s.call('POST', 'tags/attachTagToObject', { uuid: ev.uuid, tag: 'local only' }, editor.key);
        assert.equal(lo.status, 403);
        assert.match(lo.body.errors, /This tag can only be set as a local tag\./);
        const bad = await s.call('POST', 'tags/attachTagToObject', { uuid: 'not-a-uuid', tag: 'x' }, editor.key);
        assert.equal(bad.status, 400);
        const noTagger = await s.call('POST', 'tags/attachTagToObject', { uuid: ev.uuid, tag: 'brand new tag' }, reader.key);
        assert.equal(noTagger.status, 403);
        assert.equal(noTagger.body.message, 'You do not have permission to use this functionality.');
      });

      it('removes a global tag (unpublishing), and answers MISP\'s errors for unknown tags and absent links', async () => {
        const t = await addTag({ name: 'remove me' });
        const ev = await insertEvent(s, { orgId: user.orgId, userId: user.userId, distribution: 0, published: true, timestamp: 100 });
        await s.container.storage.tags.linkEventTags(ev.id, [{ tagId: Number(t.id), local: false, relationshipType: '' }]);
        const outsiderTry = await s.call('POST', 'tags/removeTagFromObject', { uuid: ev.uuid, tag: t.id }, outsider.key);
        assert.equal(outsiderTry.status, 404);
        const r = await s.call('POST', 'tags/removeTagFromObject', { uuid: ev.uuid, tag: 'REMOVE ME' }, pub.key);
        assert.equal(r.status, 200);
        assert.equal(r.body.message, `Global tag remove me (${t.id}) successfully removed from Event(${ev.id}).`);
        const row = await eventRow(s, ev.id);
        assert.equal(row.published, 0);
        assert.ok(Number(row.timestamp) > 100);
        const gone = await s.call('POST', 'tags/removeTagFromObject', { uuid: ev.uuid, tag: t.id }, pub.key);
        assert.equal(gone.status, 404);
        assert.equal(gone.body.message, 'Could not remove tag as it is not attached to the target Event');
        const unknown = await s.call('POST', 'tags/removeTagFromObject', { uuid: ev.uuid, tag: 'no such tag' }, pub.key);
        assert.equal(unknown.status, 405);
        assert.equal(unknown.body.message, 'Invalid Tag.');
      });
    });

    describe('events/addTag, events/removeTag, attributes/addTag, attributes/removeTag', () => {
      it('tags and untags an event with MISP\'s ajax-style replies', async () => {
        const t = await addTag({ name: 'quick event tag' });
        const ev = await insertEvent(s, { orgId: user.orgId, userId: user.userId, distribution: 0, published: true, timestamp: 100 });
        const add = await s.call('POST', 'events/addTag', { event: ev.id, tag: t.id }, user.key);
        assert.deepEqual(add.body, { saved: true, success: 'Tag added.', check_publish: true });
        assert.equal((await eventRow(s, ev.id)).published, 0);
        const dup = await s.call('POST', `events/addTag/${ev.id}/${t.id}`, undefined, user.key);
        assert.deepEqual(dup.body, { saved: false, errors: 'Tag is already attached to this event.' });
        const byName = await s.call('POST', 'events/addTag', { Event: { id: ev.uuid, tag: 'tlp:green' } }, user.key);
        assert.equal(byName.body.success, 'Tag added.');
        const invisible = await s.call('POST', 'events/addTag', { event: ev.id, tag: t.id }, outsider.key);
        assert.deepEqual(invisible.body, { saved: false, errors: 'Invalid event.' });
        const other = await s.call('POST', 'events/addTag', { event: ev.id, tag: t.id }, editor.key);
        assert.equal(other.body.saved, false, 'perm_modify_org of the creator org may tag it');
        assert.equal(other.body.errors, 'Tag is already attached to this event.');

        const rm = await s.call('POST', `events/removeTag/${ev.id}/${t.id}`, undefined, user.key);
        assert.deepEqual(rm.body, { saved: true, success: 'Tag removed.', check_publish: true });
        const rm2 = await s.call('POST', `events/removeTag/${ev.id}/${t.id}`, undefined, user.key);
        assert.deepEqual(rm2.body, { saved: false, errors: 'Invalid event - tag combination.' });
        const noPerm = await s.call('POST', 'events/removeTag', { event: ev.id, tag: 'tlp:green' }, outsider.key);
        assert.deepEqual(noPerm.body, { saved: false, errors: 'Invalid event - tag combination.' });
      });

      it('tags and untags an attribute, touching it for global tags', async () => {
        const t = await addTag({ name: 'quick attribute tag' });
        const ev = await insertEvent(s, { orgId: user.orgId, userId: user.userId, distribution: 0, published: true, timestamp: 100 });
        const attr = await insertAttribute(s, ev.id, { timestamp: 100 });
        const add = await s.call('POST', `attributes/addTag/${attr.id}/${t.id}`, undefined, user.key);
        assert.deepEqual(add.body, { saved: true, success: 'Tag added.', check_publish: true });
        const row = await eventRow(s, ev.id);
        assert.equal(row.published, 0);
        const again = await s.call('POST', 'attributes/addTag', { attribute: attr.id, tag: t.id }, user.key);
        assert.deepEqual(again.body, { saved: false, errors: 'Tag could not be added.' });
        const invisible = await s.call('POST', 'attributes/addTag', { attribute: attr.id, tag: t.id }, outsider.key);
        assert.equal(invisible.status, 404);
        assert.equal(invisible.body.message, 'Invalid attribute');
        const rm = await s.call('POST', 'attributes/removeTag', { attribute_id: attr.id, tag_id: 'Quick Attribute Tag' }, user.key);
        assert.deepEqual(rm.body, { saved: true, success: 'Tag removed.', check_publish: true });
        const rm2 = await s.call('POST', `attributes/removeTag/${attr.id}/${t.id}`, undefined, user.key);
        assert.deepEqual(rm2.body, { saved: false, errors: 'Invalid attribute - tag combination.' });
      });
    });
  });
}
