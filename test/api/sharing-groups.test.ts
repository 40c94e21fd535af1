import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SECRET_SETTING } from '../../src/app/bootstrap.js';
import { DEFAULT_DATA_PACKS } from '../../src/app/config.js';
import { generateApiKey, hashApiKey, keyHints } from '../../src/core/auth/secrets.js';
import { datetime } from '../../src/core/misp-format/scalars.js';
import { isSharingGroupMember } from '../../src/core/sharing-groups/sharing-group-access.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';
import { storedUuid } from '../support/tag-test-fixtures.js';
import { valueHashes } from '../../src/storage/repos/event-write-rows.js';

/**
 * Sharing groups through HTTP (spec §2.10, §3.9, §4.1, §4.2.1): the SG endpoints with PyMISP-shaped requests and
 * MISP's texts, and what membership does to the visibility of the group itself and of the data shared with it.
 * Events are written straight through Kysely so these tests do not depend on the event write path.
 */

type Db = TestServer['container']['storage']['db'];
interface Member { orgId: number; orgUuid: string; key: string }
const NOW = 1_700_000_000;
const ORG_ADMIN = 2;
const USER = 3;

/** A user with an API key, in a new organisation `name` or in the existing organisation `orgId`. */
async function orgWithUser(s: TestServer, name: string, roleId: number, orgId?: number): Promise<Member> {
  const identity = s.container.storage.identity;
  const org = orgId ? (await identity.findOrganisation({ id: orgId }))!
    : await identity.createOrganisation({ uuid: randomUUID(), name, local: true, createdBy: 1 }, datetime(NOW));
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
  return { orgId: org.id, orgUuid: org.uuid, key };
}

async function event(db: Db, o: { distribution: number; sharingGroupId?: number; info: string }) {
  const uuid = randomUUID();
  const r = await db.insertInto('events').values({
    uuid, org_id: 1, orgc_id: 1, user_id: 1, date: '2024-03-01', info: o.info, threat_level_id: 2, analysis: 1,
    published: 1, publish_timestamp: NOW, timestamp: NOW, sighting_timestamp: 0, attribute_count: 0,
    distribution: o.distribution, sharing_group_id: o.sharingGroupId ?? 0, proposal_email_lock: 0, locked: 0,
    disable_correlation: 0, extends_uuid: '', protected: null,
  }).returning('id').executeTakeFirstOrThrow();
  return { id: r.id, uuid };
}

async function attribute(db: Db, eventId: number, value: string, distribution = 5, sharingGroupId = 0) {
  const uuid = randomUUID();
  const r = await db.insertInto('attributes').values({
    uuid: storedUuid(db, uuid), event_id: eventId, object_id: 0, object_relation: null, category: 'Network activity', type: 'ip-dst',
    value1: value, value2: '', ...valueHashes(value, ''), to_ids: 1, timestamp: NOW, distribution, sharing_group_id: sharingGroupId, comment: '',
    deleted: 0, disable_correlation: 0, first_seen: null, last_seen: null,
  }).returning('id').executeTakeFirstOrThrow();
  return { id: r.id, uuid };
}

const values = (body: any): string[] => (body.Event.Attribute as any[]).map((a) => a.value).sort();

for (const dialect of testDialects()) {
  describe(`${dialect}: sharing groups`, () => {
    let s: TestServer;
    let b: Member;
    let c: Member;
    let d: Member;

    before(async () => {
      s = await startTestServer(dialect);
      b = await orgWithUser(s, 'OrgB', ORG_ADMIN);
      c = await orgWithUser(s, 'OrgC', USER);
      d = await orgWithUser(s, 'OrgD', USER);
    });
    after(() => s.close());

    const add = async (body: unknown, key?: string) => {
      const r = await s.call('POST', 'sharingGroups/add', body, key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body;
    };

    it('runs PyMISP\'s sharing group life cycle with MISP\'s shapes and texts', async () => {
      const sg = await add({ name: 'Testcases SG', releasability: 'Testing' });
      assert.equal(sg.SharingGroup.name, 'Testcases SG');
      assert.equal(sg.SharingGroup.releasability, 'Testing');
      assert.equal(sg.SharingGroup.org_id, '1');
      assert.equal(sg.SharingGroup.active, true);
      assert.equal(sg.SharingGroup.roaming, false);
      assert.match(sg.SharingGroup.created, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      assert.deepEqual(sg.SharingGroupOrg, [], 'a site admin\'s REST add lists no member, as on MISP');
      assert.deepEqual(sg.SharingGroupServer.map((x: any) => [x.server_id, x.all_orgs, 'Server' in x]), [['0', false, false]]);
      assert.deepEqual(Object.keys(sg.Organisation), ['id', 'name', 'uuid']);
      const { id, uuid } = sg.SharingGroup;

      let r = await s.call('POST', `sharing_groups/edit/${id}`, { releasability: 'Testing updated' });
      assert.equal(r.status, 200);
      assert.equal(r.body.SharingGroup.releasability, 'Testing updated');
      // PyMISP's pythonified update sends the whole object back, SharingGroupOrg included, without `modified`
      const { modified: _m, ...whole } = { ...r.body.SharingGroup, SharingGroupOrg: r.body.SharingGroupOrg };
      r = await s.call('POST', `sharing_groups/edit/${uuid}`, { ...whole, name: 'Testcases SG - new name' });
      assert.equal(r.body.SharingGroup.name, 'Testcases SG - new name');
      assert.equal(r.body.SharingGroup.releasability, 'Testing updated');

      for (const ref of [id, uuid]) assert.equal((await s.call('HEAD', `sharing_groups/view/${ref}`)).status, 200);
      assert.equal((await s.call('HEAD', 'sharing_groups/view/999999')).status, 404);

      r = await s.call('POST', 'sharingGroups/addOrg', { sg_id: id, org_id: c.orgUuid, extend: true });
      assert.equal(r.status, 200);
      assert.equal(r.body.name, 'Organisation added to the sharing group.');
      r = await s.call('POST', 'sharingGroups/addOrg', { sg_id: id, org_id: String(c.orgId), extend: true });
      assert.equal(r.status, 403);
      assert.equal(r.body.name, 'Could not add Organisation to SharingGroup');
      assert.equal(r.body.errors, 'Organisation is already in the sharing group.');

      const view = (await s.call('GET', `sharing_groups/view/${id}`)).body;
      assert.equal(view.SharingGroup.name, 'Testcases SG - new name');
      assert.equal(view.SharingGroupOrg[0].org_id, String(c.orgId));
      assert.equal(view.SharingGroupOrg[0].extend, true);
      assert.deepEqual(Object.keys(view.SharingGroupOrg[0].Organisation), ['id', 'name', 'uuid', 'local']);
      assert.equal(view.SharingGroupServer[0].Server.id, '0');
      assert.equal(view.SharingGroupServer[0].Server.name, 'Local instance');
      assert.equal(view.Organisation.name, 'ORGNAME');
      assert.equal(view.SharingGroup.sync_org_name, 'ORGNAME');

      r = await s.call('POST', 'sharingGroups/removeOrg', { sg_id: id, org_id: c.orgUuid });
      assert.equal(r.body.name, 'Organisation removed from the sharing group.');
      r = await s.call('POST', 'sharingGroups/removeOrg', { sg_id: id, org_id: c.orgUuid });
      assert.equal(r.status, 403);
      assert.equal(r.body.errors, 'Organisation is not in the sharing group.');

      const index = (await s.call('GET', 'sharingGroups/index')).body.response;
      const row = index.find((x: any) => x.SharingGroup.id === id);
      assert.equal(row.editable, true);
      assert.equal(row.deletable, true);

      r = await s.call('POST', `sharingGroups/delete/${id}`);
      assert.equal(r.status, 200);
      assert.equal(r.body.message, 'SharingGroup deleted');
      for (const ref of [id, uuid]) assert.equal((await s.call('HEAD', `sharing_groups/view/${ref}`)).status, 404);
    });

    it('renders index rows with the keys of MISP\'s sharingGroups/index fixture', async () => {
      await add({ name: 'Shape SG', releasability: '', SharingGroupOrg: [{ extend: true, Organisation: { uuid: b.orgUuid } }] });
      const fixture = JSON.parse(readFileSync(join(resolve(process.env.CAIRN_DATA_PACKS ?? DEFAULT_DATA_PACKS), 'fixtures', 'sharing_groups.json'), 'utf8'));
      const row = (await s.call('GET', 'sharing_groups/index')).body.response.find((x: any) => x.SharingGroup.name === 'Shape SG');
      const keys = (o: object) => Object.keys(o).sort();
      for (const k of keys(fixture[0])) assert.ok(k in row, `missing ${k}`);
      for (const k of keys(fixture[0].SharingGroup)) assert.ok(k in row.SharingGroup, `missing SharingGroup.${k}`);
      assert.deepEqual(keys(row.SharingGroupOrg[0]), keys(fixture[0].SharingGroupOrg[0]));
      assert.deepEqual(keys(row.SharingGroupOrg[0].Organisation), keys(fixture[0].SharingGroupOrg[0].Organisation));
      assert.deepEqual(keys(row.SharingGroupServer[0]), keys(fixture[0].SharingGroupServer[0]));
      assert.deepEqual(row.SharingGroupServer[0].Server, []);
    });

    it('shows a group and the data shared with it to members only, and revokes access with the membership', async () => {
      const sg = await add({
        name: 'B and C', releasability: 'partners',
        SharingGroupOrg: [{ extend: true, Organisation: { uuid: b.orgUuid, name: 'OrgB' } }, { uuid: c.orgUuid, name: 'OrgC', extend: false }],
      });
      const id = Number(sg.SharingGroup.id);
      assert.deepEqual(sg.SharingGroupOrg.map((x: any) => [x.org_id, x.extend]), [[String(b.orgId), true], [String(c.orgId), false]]);
      const db = s.container.storage.db;
      const shared = await event(db, { distribution: 4, sharingGroupId: id, info: 'Shared with B and C' });
      await attribute(db, shared.id, '10.0.0.1');
      await attribute(db, shared.id, '10.0.0.2', 4, id);
      const community = await event(db, { distribution: 1, info: 'Community with a shared attribute' });
      await attribute(db, community.id, '10.0.1.1');
      await attribute(db, community.id, '10.0.1.2', 4, id);

      // member C
      const sees = async (key: string) => ({
        index: (await s.call('GET', 'sharingGroups/index', undefined, key)).body.response.some((x: any) => x.SharingGroup.id === String(id)),
        view: (await s.call('GET', `sharing_groups/view/${id}`, undefined, key)).status,
        head: (await s.call('HEAD', `sharingGroups/view/${sg.SharingGroup.uuid}`, undefined, key)).status,
        event: (await s.call('GET', `events/view/${shared.id}`, undefined, key)).status,
        eventHead: (await s.call('HEAD', `events/view/${shared.uuid}`, undefined, key)).status,
        listed: ((await s.call('GET', 'events/index', undefined, key)).body as any[]).some((e) => e.id === String(shared.id)),
        community: values((await s.call('GET', `events/view/${community.id}`, undefined, key)).body),
      });
      assert.deepEqual(await sees(c.key), {
        index: true, view: 200, head: 200, event: 200, eventHead: 200, listed: true, community: ['10.0.1.1', '10.0.1.2'],
      });
      const view = (await s.call('GET', `events/view/${shared.id}`, undefined, c.key)).body.Event;
      assert.equal(view.SharingGroup.name, 'B and C');
      assert.deepEqual(view.SharingGroup.SharingGroupServer[0].Server, { id: '0', url: view.SharingGroup.SharingGroupServer[0].Server.url, name: view.SharingGroup.SharingGroupServer[0].Server.url });
      assert.match(view.SharingGroup.SharingGroupServer[0].Server.url, /^http/);
      assert.deepEqual(view.SharingGroup.SharingGroupOrg.map((x: any) => x.Organisation.name), ['OrgB', 'OrgC']);
      assert.ok(Object.keys(view).indexOf('SharingGroup') === Object.keys(view).indexOf('Orgc') + 1, 'SharingGroup follows Orgc');
      const sharedAttr = view.Attribute.find((a: any) => a.value === '10.0.0.2');
      assert.equal(sharedAttr.SharingGroup.uuid, sg.SharingGroup.uuid);
      assert.ok(!('SharingGroup' in view.Attribute.find((a: any) => a.value === '10.0.0.1')));
      const indexRow = ((await s.call('GET', 'events/index', undefined, c.key)).body as any[]).find((e) => e.id === String(shared.id));
      assert.deepEqual(indexRow.SharingGroup, { id: String(id), name: 'B and C', uuid: sg.SharingGroup.uuid });
      const cRow = (await s.call('GET', 'sharingGroups/index', undefined, c.key)).body.response.find((x: any) => x.SharingGroup.id === String(id));
      assert.deepEqual([cRow.editable, cRow.deletable], [false, false]);

      // a plain user of the owner org (not a member) still sees its own event, but MISP's fetchEvent drops the
      // children whose group it cannot load and shows no SharingGroup block (Event::__attachSharingGroups)
      const owner = await orgWithUser(s, 'host user', USER, 1);
      const own = (await s.call('GET', `events/view/${shared.id}`, undefined, owner.key)).body;
      assert.deepEqual([values(own), 'SharingGroup' in own.Event], [['10.0.0.1'], false]);
      assert.deepEqual(values((await s.call('GET', `events/view/${community.id}`, undefined, owner.key)).body), ['10.0.1.1']);

      // non-member D
      assert.deepEqual(await sees(d.key), {
        index: false, view: 405, head: 404, event: 404, eventHead: 404, listed: false, community: ['10.0.1.1'],
      });
      const denied = await s.call('GET', `sharing_groups/view/${id}`, undefined, d.key);
      assert.equal(denied.body.message, "Sharing group doesn't exist or you do not have permission to access it.");
      const attr = await s.call('GET', `attributes/view/${(await db.selectFrom('attributes').select('id').where('value1', '=', '10.0.1.2').executeTakeFirstOrThrow()).id}`, undefined, d.key);
      assert.equal(attr.status, 405);

      // B (extend member, perm_sharing_group) removes C: C loses the group and its data on the next request
      const r = await s.call('POST', `sharingGroups/removeOrg/${id}/${c.orgId}`, undefined, b.key);
      assert.equal(r.body.message, 'Organisation removed from the sharing group.');
      assert.deepEqual(await sees(c.key), {
        index: false, view: 405, head: 404, event: 404, eventHead: 404, listed: false, community: ['10.0.1.1'],
      });
    });

    it('makes every local organisation a member through the local server row with all_orgs', async () => {
      const sg = await add({ name: 'Everyone here', releasability: 'all local orgs' });
      const id = sg.SharingGroup.id;
      const db = s.container.storage.db;
      const ev = await event(db, { distribution: 4, sharingGroupId: Number(id), info: 'For every local org' });
      await attribute(db, ev.id, '10.0.2.1');
      assert.equal((await s.call('GET', `events/view/${ev.id}`, undefined, d.key)).status, 404);

      const url = (await s.call('GET', `sharing_groups/view/${id}`)).body.SharingGroupServer[0].Server.url;
      const r = await s.call('POST', `sharing_groups/edit/${id}`, { SharingGroupServer: [{ all_orgs: true, Server: { url } }] });
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.SharingGroupServer.map((x: any) => [x.server_id, x.all_orgs]), [['0', true]]);
      for (const m of [c, d]) {
        assert.equal((await s.call('HEAD', `sharing_groups/view/${id}`, undefined, m.key)).status, 200);
        assert.equal((await s.call('GET', `events/view/${ev.id}`, undefined, m.key)).status, 200);
      }

      // the SQL membership list (sharingGroupIdsOfOrg) and the pure rule agree for every org
      const groups = await s.container.storage.sharingGroups.loadMany({});
      for (const orgId of [1, b.orgId, c.orgId, d.orgId]) {
        const sql = await s.container.storage.eventReads.sharingGroupIdsOfOrg(orgId);
        assert.deepEqual(sql, groups.filter((g) => isSharingGroupMember(orgId, g)).map((g) => g.id).sort((x, y) => x - y));
      }

      const removed = await s.call('POST', 'sharingGroups/removeServer', { sg_id: id, server_id: 0 });
      assert.equal(removed.body.message, 'Server removed from the sharing group.');
      assert.equal((await s.call('GET', `events/view/${ev.id}`, undefined, d.key)).status, 404);
      const back = await s.call('POST', 'sharingGroups/addServer', { sg_id: id, server_id: url, all_orgs: true });
      assert.equal(back.body.message, 'Server added to the sharing group.');
      assert.equal((await s.call('GET', `events/view/${ev.id}`, undefined, d.key)).status, 200);
      const again = await s.call('POST', 'sharingGroups/addServer', { sg_id: id, server_id: 0 });
      assert.equal(again.body.errors, 'Server is already in the sharing group.');
      const unknown = await s.call('POST', 'sharingGroups/addServer', { sg_id: id, server_id: 'https://nowhere.example' });
      assert.equal(unknown.status, 405);
      assert.equal(unknown.body.message, 'Invalid Server.');
    });

    it('lets only the owner org, extend members and site admins edit, and only the owner delete', async () => {
      const sg = await add({ name: 'Owned by host', releasability: 'x', SharingGroupOrg: [{ uuid: b.orgUuid, extend: false }] });
      const id = sg.SharingGroup.id;
      let r = await s.call('POST', `sharing_groups/edit/${id}`, { releasability: 'changed by B' }, b.key);
      assert.equal(r.status, 405);
      assert.equal(r.body.message, 'Action not allowed.');
      r = await s.call('POST', `sharing_groups/edit/${id}`, { releasability: 'changed by C' }, c.key);
      assert.equal(r.status, 403);
      assert.equal(r.body.message, 'You do not have permission to use this functionality.');
      r = await s.call('POST', 'sharingGroups/addOrg', { sg_id: id, org_id: 'orgd' }, b.key);
      assert.equal(r.body.message, 'Invalid sharing group or no editing rights.');
      assert.equal((await s.call('POST', `sharing_groups/edit/999999`, {})).body.message, 'Invalid sharing group.');

      r = await s.call('POST', `sharing_groups/edit/${id}`, { SharingGroupOrg: [{ uuid: b.orgUuid, extend: true }] });
      assert.deepEqual(r.body.SharingGroupOrg.map((x: any) => x.extend), [true]);
      r = await s.call('POST', `sharing_groups/edit/${id}`, { releasability: 'changed by B' }, b.key);
      assert.equal(r.status, 200);
      assert.equal(r.body.SharingGroup.releasability, 'changed by B');
      r = await s.call('POST', 'sharingGroups/addOrg', { sg_id: id, org_id: 'orgd' }, b.key);
      assert.equal(r.body.message, 'Organisation added to the sharing group.', 'org names match case-insensitively');
      const bRow = (await s.call('GET', 'sharingGroups/index', undefined, b.key)).body.response.find((x: any) => x.SharingGroup.id === id);
      assert.deepEqual([bRow.editable, bRow.deletable], [true, false]);
      r = await s.call('POST', `sharingGroups/delete/${id}`, undefined, b.key);
      assert.equal(r.status, 405);
      assert.equal(r.body.message, 'Action not allowed.');

      // a non-admin's own group: its org becomes an extend member and the owner
      const own = await add({ name: 'B own', releasability: 'b' }, b.key);
      assert.equal(own.SharingGroup.org_id, String(b.orgId));
      assert.equal(own.SharingGroup.local, false);
      assert.deepEqual(own.SharingGroupOrg.map((x: any) => [x.org_id, x.extend]), [[String(b.orgId), true]]);
      assert.equal(own.Organisation.name, 'OrgB');
      r = await s.call('POST', `sharingGroups/delete/${own.SharingGroup.uuid}`, undefined, b.key);
      assert.equal(r.body.message, 'SharingGroup deleted');
    });

    it('keeps names unique and refuses a group without a name', async () => {
      const first = await add({ name: 'Twin', releasability: '' });
      const second = await add({ name: 'twin', releasability: '' });
      assert.match(second.SharingGroup.name, /^twin_\d{1,4}$/);
      const r = await s.call('POST', `sharing_groups/edit/${second.SharingGroup.id}`, { name: 'TWIN' });
      assert.equal(r.status, 403);
      assert.deepEqual(r.body.errors, { name: ['A sharing group with this name already exists.'] });
      assert.equal(first.SharingGroup.name, 'Twin');
      const none = await s.call('POST', 'sharingGroups/add', { releasability: 'no name' });
      assert.equal(none.status, 403);
      assert.equal(none.body.name, 'Could not add SharingGroup');
      assert.equal(none.body.errors, 'Could not save sharing group.');
    });

    it('refuses to delete a group that events, attributes or objects still use', async () => {
      const sg = await add({ name: 'In use', releasability: '' });
      const id = Number(sg.SharingGroup.id);
      const db = s.container.storage.db;
      const ev = await event(db, { distribution: 1, info: 'uses the group through an attribute' });
      const attr = await attribute(db, ev.id, '10.0.3.1', 4, id);
      let r = await s.call('POST', `sharingGroups/delete/${id}`);
      assert.equal(r.status, 403);
      assert.deepEqual(
        { saved: r.body.saved, name: r.body.name, errors: r.body.errors, id: r.body.id },
        { saved: false, name: 'Could not delete SharingGroup', errors: 'The sharing group could not be deleted.', id: String(id) },
      );
      await db.updateTable('attributes').set({ distribution: 1, sharing_group_id: 0 }).where('id', '=', attr.id).execute();
      await db.updateTable('events').set({ distribution: 4, sharing_group_id: id }).where('id', '=', ev.id).execute();
      assert.equal((await s.call('POST', `sharingGroups/delete/${id}`)).status, 403);
      await db.updateTable('events').set({ distribution: 1, sharing_group_id: 0 }).where('id', '=', ev.id).execute();
      r = await s.call('DELETE', `sharing_groups/delete/${id}`);
      assert.equal(r.status, 200);
      assert.equal(r.body.url, `/sharing_groups/delete/${id}`);
    });
  });
}
