import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SECRET_SETTING } from '../../src/app/bootstrap.js';
import { generateApiKey, hashApiKey, keyHints } from '../../src/core/auth/secrets.js';
import { datetime } from '../../src/core/misp-format/scalars.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';
import { storedUuid } from '../support/tag-test-fixtures.js';
import { valueHashes } from '../../src/storage/repos/event-write-rows.js';

/**
 * The event read path through HTTP (spec §2.2–§2.5, §2.12, §3.1–§3.3, §4.2–§4.3). Data is written straight
 * through the storage's Kysely handle so these tests do not depend on the write path.
 */

type Db = TestServer['container']['storage']['db'];
const NOW = 1_700_000_000;

async function orgWithUser(s: TestServer, name: string, roleId: number): Promise<{ orgId: number; key: string }> {
  const identity = s.container.storage.identity;
  const org = await identity.createOrganisation({ uuid: randomUUID(), name, local: true, createdBy: 1 }, datetime(NOW));
  const user = await identity.createUser({
    email: `${name.toLowerCase()}@example.test`, passwordHash: 'x', orgId: org.id, roleId, legacyKeyHash: '',
    legacyKeyStart: '', legacyKeyEnd: '', invitedBy: 1, now: NOW,
  });
  const key = generateApiKey();
  const { start, end } = keyHints(key);
  await identity.createAuthKey({
    uuid: randomUUID(), hash: hashApiKey(s.container.settings.stored(SECRET_SETTING) as string, key), start, end,
    created: NOW, expiration: 0, readOnly: false, userId: user.id, comment: '', allowedIps: null,
  });
  return { orgId: org.id, key };
}

async function event(db: Db, o: { orgId: number; distribution: number; sharingGroupId?: number; published?: boolean; info: string; date?: string }) {
  const uuid = randomUUID();
  const r = await db.insertInto('events').values({
    uuid, org_id: o.orgId, orgc_id: o.orgId, user_id: 1, date: o.date ?? '2024-03-01', info: o.info, threat_level_id: 2,
    analysis: 1, published: o.published ? 1 : 0, publish_timestamp: o.published ? NOW : 0, timestamp: NOW,
    sighting_timestamp: 0, attribute_count: 0, distribution: o.distribution, sharing_group_id: o.sharingGroupId ?? 0,
    proposal_email_lock: 0, locked: 0, disable_correlation: 0, extends_uuid: '', protected: null,
  }).returning('id').executeTakeFirstOrThrow();
  return { id: r.id, uuid };
}

async function attribute(db: Db, eventId: number, o: { value1: string; value2?: string; type?: string; distribution?: number; deleted?: boolean; objectId?: number; firstSeen?: number }) {
  const uuid = randomUUID();
  const r = await db.insertInto('attributes').values({
    uuid: storedUuid(db, uuid), event_id: eventId, object_id: o.objectId ?? 0, object_relation: o.objectId ? 'filename' : null,
    category: 'Payload delivery', type: o.type ?? 'filename', value1: o.value1, value2: o.value2 ?? '', ...valueHashes(o.value1, o.value2 ?? ''), to_ids: 1,
    timestamp: NOW, distribution: o.distribution ?? 5, sharing_group_id: 0, comment: '', deleted: o.deleted ? 1 : 0,
    disable_correlation: 0, first_seen: o.firstSeen ?? null, last_seen: null,
  }).returning('id').executeTakeFirstOrThrow();
  await db.updateTable('events').set((eb) => ({ attribute_count: eb('attribute_count', '+', 1) })).where('id', '=', eventId).execute();
  return { id: r.id, uuid };
}

async function object(db: Db, eventId: number, distribution = 5) {
  const uuid = randomUUID();
  const r = await db.insertInto('objects').values({
    uuid, event_id: eventId, name: 'file', meta_category: 'file', description: 'File object', template_uuid: null,
    template_version: '1', timestamp: NOW, distribution, sharing_group_id: 0, comment: '', deleted: 0, first_seen: null, last_seen: null,
  }).returning('id').executeTakeFirstOrThrow();
  return { id: r.id, uuid };
}

async function reference(db: Db, eventId: number, from: { id: number; uuid: string }, to: { id: number; uuid: string }, type: 0 | 1) {
  await db.insertInto('object_references').values({
    uuid: randomUUID(), timestamp: NOW, object_id: from.id, event_id: eventId, source_uuid: from.uuid,
    referenced_uuid: to.uuid, referenced_id: to.id, referenced_type: type, relationship_type: 'related-to', comment: '', deleted: 0,
  }).execute();
}

async function tag(db: Db, name: string, exportable = true) {
  const r = await db.insertInto('tags').values({
    name, name_lower: name.toLowerCase(), colour: '#ffffff', exportable: exportable ? 1 : 0, org_id: 0, user_id: 0,
    hide_tag: 0, numerical_value: null, is_galaxy: 0, is_custom_galaxy: 0, local_only: 0,
  }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

for (const dialect of testDialects()) {
  describe(`${dialect}: event read path`, () => {
    let s: TestServer;
    let b: { orgId: number; key: string };
    let c: { orgId: number; key: string };
    let orgOnly: { id: number; uuid: string };
    let community: { id: number; uuid: string };
    let shared: { id: number; uuid: string };
    const ids: Record<string, { id: number; uuid: string }> = {};

    before(async () => {
      s = await startTestServer(dialect);
      const db = s.container.storage.db;
      b = await orgWithUser(s, 'OrgB', 3);
      c = await orgWithUser(s, 'OrgC', 3);
      const sg = await db.insertInto('sharing_groups').values({
        uuid: randomUUID(), name: 'A+C', releasability: '', description: '', organisation_uuid: '', org_id: 1,
        sync_user_id: 0, active: 1, created: datetime(NOW), modified: datetime(NOW), local: 1, roaming: 0,
      }).returning('id').executeTakeFirstOrThrow();
      for (const org of [1, c.orgId]) await db.insertInto('sharing_group_orgs').values({ sharing_group_id: sg.id, org_id: org, extend: 0 }).execute();

      orgOnly = await event(db, { orgId: 1, distribution: 0, info: 'Org only secrets', published: true });
      await attribute(db, orgOnly.id, { value1: 'secret.exe' });
      community = await event(db, { orgId: 1, distribution: 1, info: 'Community event', date: '2024-02-01' });
      shared = await event(db, { orgId: 1, distribution: 4, sharingGroupId: sg.id, info: 'Shared with C', published: true });

      ids.visible = await attribute(db, community.id, { value1: 'evil.exe|0123456789abcdef0123456789abcdef', type: 'filename|md5', firstSeen: 1_614_859_200_000_001 });
      ids.orgOnlyAttr = await attribute(db, community.id, { value1: 'internal-only.exe', distribution: 0 });
      ids.deletedAttr = await attribute(db, community.id, { value1: 'removed.exe', deleted: true });
      ids.obj = await object(db, community.id);
      ids.objAttr = await attribute(db, community.id, { value1: 'in-object.exe', objectId: ids.obj.id });
      ids.hiddenObj = await object(db, community.id, 0);
      ids.hiddenObjAttr = await attribute(db, community.id, { value1: 'in-hidden-object.exe', objectId: ids.hiddenObj.id });
      ids.emptyObj = await object(db, community.id);
      await attribute(db, community.id, { value1: 'deleted-in-object.exe', objectId: ids.emptyObj.id, deleted: true });
      await reference(db, community.id, ids.obj, ids.visible, 0);
      await reference(db, community.id, ids.obj, ids.hiddenObj, 1);

      const tlp = await tag(db, 'tlp:green');
      const hidden = await tag(db, 'internal:not-exportable', false);
      const local = await tag(db, 'workflow:todo');
      await db.insertInto('event_tags').values([
        { event_id: community.id, tag_id: tlp, local: 0, relationship_type: '' },
        { event_id: community.id, tag_id: hidden, local: 0, relationship_type: '' },
        { event_id: community.id, tag_id: local, local: 1, relationship_type: '' },
      ]).execute();
      await db.insertInto('attribute_tags').values([
        { attribute_id: ids.visible.id, event_id: community.id, tag_id: tlp, local: 0, relationship_type: '' },
        { attribute_id: ids.visible.id, event_id: community.id, tag_id: hidden, local: 0, relationship_type: '' },
      ]).execute();
    });
    after(() => s.close());

    it('serves events/view in MISP\'s shape: string ids, boolean flags, Org/Orgc, empty lists MISP always sends', async () => {
      const r = await s.call('GET', `events/view/${community.id}`);
      assert.equal(r.status, 200);
      const e = r.body.Event;
      assert.equal(e.id, String(community.id));
      assert.equal(e.uuid, community.uuid);
      assert.equal(e.org_id, '1');
      assert.equal(e.distribution, '1');
      assert.equal(e.threat_level_id, '2');
      assert.equal(e.attribute_count, '6');
      assert.equal(e.published, false);
      assert.equal(e.locked, false);
      assert.equal(e.protected, null);
      assert.equal(e.date, '2024-02-01');
      assert.equal('user_id' in e, false);
      assert.equal('sighting_timestamp' in e, false);
      assert.equal(e.event_creator_email, 'admin@admin.test');
      assert.deepEqual(Object.keys(e.Org).sort(), ['id', 'local', 'name', 'uuid']);
      assert.equal(e.Orgc.name, 'ORGNAME');
      for (const k of ['ShadowAttribute', 'RelatedEvent', 'Galaxy', 'EventReport', 'CryptographicKey']) assert.deepEqual(e[k], [], k);
    });

    it('keeps object attributes inside their objects and renders attribute fields as MISP does', async () => {
      const e = (await s.call('GET', `events/view/${community.uuid}`)).body.Event;
      const values = e.Attribute.map((a: any) => a.value).sort();
      assert.deepEqual(values, ['evil.exe|0123456789abcdef0123456789abcdef', 'internal-only.exe']);
      const a = e.Attribute.find((x: any) => x.uuid === ids.visible!.uuid);
      assert.equal(a.id, String(ids.visible!.id));
      assert.equal(a.object_id, '0');
      assert.equal(a.to_ids, true);
      assert.equal(a.deleted, false);
      assert.equal(a.first_seen, '2021-03-04T12:00:00.000001+00:00');
      assert.equal(a.last_seen, null);
      assert.equal('value1' in a, false);
      assert.deepEqual(a.Galaxy, []);
      assert.deepEqual(a.ShadowAttribute, []);
      const o = e.Object.find((x: any) => x.uuid === ids.obj!.uuid);
      assert.equal(o['meta-category'], 'file');
      assert.deepEqual(o.Attribute.map((x: any) => x.value), ['in-object.exe']);
    });

    it('drops objects whose attributes are all deleted or invisible', async () => {
      const admin = (await s.call('GET', `events/view/${community.id}`)).body.Event;
      assert.equal(admin.Object.some((o: any) => o.uuid === ids.emptyObj!.uuid), false);
      assert.equal(admin.Object.some((o: any) => o.uuid === ids.hiddenObj!.uuid), true);
      const withDeleted = (await s.call('POST', `events/view/${community.id}`, { deleted: true })).body.Event;
      assert.equal(withDeleted.Object.some((o: any) => o.uuid === ids.emptyObj!.uuid), true);
    });

    it('summarises reference targets, and uses MISP\'s placeholder for targets the reader cannot see', async () => {
      const refs = (who: string) => s.call('GET', `events/view/${community.id}`, undefined, who)
        .then((r) => r.body.Event.Object.find((o: any) => o.uuid === ids.obj!.uuid).ObjectReference);
      const admin = await refs(s.adminKey);
      const toAttr = admin.find((x: any) => x.referenced_type === '0');
      assert.equal(toAttr.Attribute.value, 'evil.exe|0123456789abcdef0123456789abcdef');
      assert.equal(toAttr.Attribute.to_ids, true);
      assert.equal(toAttr.source_uuid, ids.obj!.uuid);
      assert.equal(admin.find((x: any) => x.referenced_type === '1').Object.uuid, ids.hiddenObj!.uuid);
      const other = (await refs(b.key)).find((x: any) => x.referenced_type === '1');
      assert.equal(other.Object['meta-category'], 'Object from another event');
    });

    it('shows exportable tags with local and relationship_type, hides non-exportable ones', async () => {
      const e = (await s.call('GET', `events/view/${community.id}`)).body.Event;
      assert.deepEqual(e.Tag.map((t: any) => t.name).sort(), ['tlp:green', 'workflow:todo']);
      const local = e.Tag.find((t: any) => t.name === 'workflow:todo');
      assert.equal(local.local, true);
      assert.equal(local.relationship_type, null);
      assert.equal('org_id' in local, false);
      assert.equal(local.exportable, true);
      const a = e.Attribute.find((x: any) => x.uuid === ids.visible!.uuid);
      assert.deepEqual(a.Tag.map((t: any) => t.name), ['tlp:green']);
      const noLocal = (await s.call('GET', `events/view/${community.id}/excludeLocalTags:1`)).body.Event;
      assert.deepEqual(noLocal.Tag.map((t: any) => t.name), ['tlp:green']);
    });

    it('hides an org-only event from another org: 404 on view, HEAD 404, absent from the index', async () => {
      for (const ref of [orgOnly.id, orgOnly.uuid]) {
        const r = await s.call('GET', `events/view/${ref}`, undefined, b.key);
        assert.equal(r.status, 404);
        assert.equal(r.body.message, 'Invalid event');
      }
      const head = await fetch(`${s.url}/events/view/${orgOnly.id}`, { method: 'HEAD', headers: { Authorization: b.key, Accept: 'application/json' } });
      assert.equal(head.status, 404);
      assert.equal(await head.text(), '');
      const own = await fetch(`${s.url}/events/view/${orgOnly.uuid}`, { method: 'HEAD', headers: { Authorization: s.adminKey, Accept: 'application/json' } });
      assert.equal(own.status, 200);
      const index = await s.call('GET', 'events/index', undefined, b.key);
      assert.deepEqual(index.body.map((e: any) => e.info).sort(), ['Community event']);
      assert.equal(index.headers.get('x-result-count'), '1');
    });

    it('shows a sharing-group event to members of the group only', async () => {
      assert.equal((await s.call('GET', `events/view/${shared.uuid}`, undefined, c.key)).status, 200);
      assert.equal((await s.call('GET', `events/view/${shared.uuid}`, undefined, b.key)).status, 404);
      const index = await s.call('POST', 'events/index', {}, c.key);
      assert.deepEqual(index.body.map((e: any) => e.info).sort(), ['Community event', 'Shared with C']);
      const row = index.body.find((e: any) => e.info === 'Shared with C');
      assert.equal(row.SharingGroup.name, 'A+C');
    });

    it('hides an org-only attribute of a community event from other orgs', async () => {
      const e = (await s.call('GET', `events/view/${community.id}`, undefined, b.key)).body.Event;
      assert.deepEqual(e.Attribute.map((a: any) => a.value), ['evil.exe|0123456789abcdef0123456789abcdef']);
      assert.equal(e.Object.some((o: any) => o.uuid === ids.hiddenObj!.uuid), false);
      assert.equal('event_creator_email' in e, false);
      const r = await s.call('GET', `attributes/view/${ids.orgOnlyAttr!.id}`, undefined, b.key);
      assert.equal(r.status, 405);
      assert.equal(r.body.message, 'Invalid attribute');
      assert.equal((await s.call('GET', `attributes/view/${ids.orgOnlyAttr!.id}`)).status, 200);
    });

    it('returns soft-deleted attributes only when deleted is asked, and only to the owner org', async () => {
      const values = async (path: string, body?: unknown, key?: string) =>
        (await s.call(body ? 'POST' : 'GET', path, body, key)).body.Event.Attribute.map((a: any) => a.value);
      assert.equal((await values(`events/view/${community.id}`)).includes('removed.exe'), false);
      assert.equal((await values(`events/view/${community.id}`, { deleted: 1 })).includes('removed.exe'), true);
      assert.equal((await values(`events/view/${community.id}/deleted[]:0/deleted[]:1`)).includes('removed.exe'), true);
      assert.deepEqual(await values(`events/view/${community.id}/deleted:2`), ['removed.exe']);
      assert.equal((await values(`events/view/${community.id}`, { deleted: [0, 1] }, b.key)).includes('removed.exe'), false);
      const deleted = (await s.call('POST', `events/view/${community.id}`, { deleted: true })).body.Event.Attribute
        .find((a: any) => a.value === 'removed.exe');
      assert.equal(deleted.deleted, true);
      assert.equal((await s.call('GET', `attributes/view/${ids.deletedAttr!.uuid}`)).status, 405);
    });

    it('answers MISP\'s errors for malformed and unknown ids', async () => {
      assert.equal((await s.call('GET', 'events/view/0')).status, 404);
      assert.equal((await s.call('GET', `events/view/${randomUUID()}`)).status, 404);
      assert.equal((await s.call('GET', 'attributes/view/nope')).body.message, 'Invalid attribute ID.');
      const obj = await s.call('GET', 'objects/view/999999');
      assert.equal(obj.status, 404);
      assert.equal(obj.body.message, 'Invalid object.');
    });

    it('serves attributes/view with exportable tags and HEAD without a body', async () => {
      const r = await s.call('GET', `attributes/view/${ids.visible!.uuid}`, undefined, b.key);
      assert.equal(r.status, 200);
      assert.equal(r.body.Attribute.value, 'evil.exe|0123456789abcdef0123456789abcdef');
      assert.equal(r.body.Attribute.event_id, String(community.id));
      assert.deepEqual(r.body.Attribute.Tag.map((t: any) => t.name), ['tlp:green']);
      const head = await fetch(`${s.url}/attributes/view/${ids.orgOnlyAttr!.uuid}`, { method: 'HEAD', headers: { Authorization: b.key, Accept: 'application/json' } });
      assert.equal(head.status, 404);
    });

    it('serves objects/view with its event stub and visible attributes', async () => {
      const r = await s.call('GET', `objects/view/${ids.obj!.uuid}`, undefined, b.key);
      assert.equal(r.status, 200);
      assert.equal(r.body.Object.id, String(ids.obj!.id));
      assert.deepEqual(r.body.Object.Event, { id: String(community.id), info: 'Community event', org_id: '1', orgc_id: '1' });
      assert.deepEqual(r.body.Object.Attribute.map((a: any) => a.value), ['in-object.exe']);
      assert.equal((await s.call('GET', `objects/view/${ids.hiddenObj!.id}`, undefined, b.key)).status, 404);
      const head = await fetch(`${s.url}/objects/view/${ids.hiddenObj!.id}`, { method: 'HEAD', headers: { Authorization: s.adminKey, Accept: 'application/json' } });
      assert.equal(head.status, 200);
    });

    it('filters, sorts and pages events/index and reports the total in X-Result-Count', async () => {
      const all = await s.call('POST', 'events/index', { sort: 'date', direction: 'desc' });
      // Equal dates fall back to id in the same direction.
      assert.deepEqual(all.body.map((e: any) => e.info), ['Shared with C', 'Org only secrets', 'Community event']);
      const row = all.body.find((e: any) => e.id === String(community.id));
      assert.equal(row.published, false);
      assert.equal(row.sighting_timestamp, '0');
      assert.equal('user_id' in row, false);
      assert.deepEqual(row.Org, { id: '1', name: 'ORGNAME', uuid: row.Org.uuid });
      assert.deepEqual(row.EventTag.map((t: any) => t.Tag.name).sort(), ['tlp:green', 'workflow:todo']);
      const page = await s.call('POST', 'events/index', { limit: 1, page: 2, sort: 'id' });
      assert.equal(page.headers.get('x-result-count'), '3');
      assert.deepEqual(page.body.map((e: any) => e.id), [String(community.id)]);
      assert.deepEqual((await s.call('POST', 'events/index', { published: 1 })).body.map((e: any) => e.info).sort(), ['Org only secrets', 'Shared with C']);
      assert.deepEqual((await s.call('POST', 'events/index', { eventinfo: 'COMMUNITY' })).body.map((e: any) => e.id), [String(community.id)]);
      assert.deepEqual((await s.call('POST', 'events/index', { eventid: `${orgOnly.id}|${shared.uuid}` })).body.length, 2);
      assert.equal((await s.call('POST', 'events/index', { org: 'OrgB' })).body.length, 0);
      assert.equal((await s.call('GET', 'events/index/searchorg:ORGNAME/searchpublished:0')).body.length, 1);
      const minimal = await s.call('POST', 'events/index', { minimal: 1, eventid: orgOnly.uuid });
      assert.deepEqual(Object.keys(minimal.body[0]).sort(), ['id', 'orgc_uuid', 'published', 'sighting_timestamp', 'timestamp', 'uuid']);
    });

    it('lists visible live attributes on attributes/index', async () => {
      const r = await s.call('GET', 'attributes/index', undefined, b.key);
      assert.equal(r.status, 200);
      const values = r.body.map((a: any) => a.value).sort();
      assert.deepEqual(values, ['evil.exe|0123456789abcdef0123456789abcdef', 'in-object.exe']);
    });
  });
}
