import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SECRET_SETTING } from '../../src/app/bootstrap.js';
import { generateApiKey, hashApiKey, keyHints } from '../../src/core/auth/secrets.js';
import { datetime } from '../../src/core/misp-format/scalars.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';
import { storedUuid } from '../support/tag-test-fixtures.js';
import { valueHashes } from '../../src/storage/repos/event-write-rows.js';

/**
 * events/restSearch, attributes/restSearch and objects/restSearch (spec §3.14, §2.12, §8.1, §4.2–§4.3) through the
 * real HTTP server: every filter, every format's shape, the URL grammar, MISP's errors, and visibility — another
 * org's org-only event must never show, whatever the format. Events are added through events/add; ownership,
 * publication and timestamps are then set in the database so the time filters are exact.
 */

const DAY = 86_400;
const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const MD5B = '0cc175b9c0f1b6a831c399e269772661';
const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

async function orgWithUser(s: TestServer, name: string): Promise<{ orgId: number; uuid: string; key: string }> {
  const identity = s.container.storage.identity;
  const now = Math.floor(Date.now() / 1000);
  const org = await identity.createOrganisation({ uuid: randomUUID(), name, local: true, createdBy: 1 }, datetime(now));
  const user = await identity.createUser({
    email: `${name.toLowerCase()}@example.test`, passwordHash: 'x', orgId: org.id, roleId: 3, legacyKeyHash: '',
    legacyKeyStart: '', legacyKeyEnd: '', invitedBy: 1, now,
  });
  const key = generateApiKey();
  const { start, end } = keyHints(key);
  await identity.createAuthKey({
    uuid: randomUUID(), hash: hashApiKey(s.container.settings.stored(SECRET_SETTING) as string, key), start, end,
    created: now, expiration: 0, readOnly: false, userId: user.id, comment: '', allowedIps: null,
  });
  return { orgId: org.id, uuid: org.uuid, key };
}

interface Added {
  readonly id: number;
  readonly uuid: string;
  readonly attributes: Record<string, { id: number; uuid: string }>;
}

for (const dialect of testDialects()) {
  describe(`${dialect}: restSearch`, () => {
    let s: TestServer;
    let b: { orgId: number; uuid: string; key: string };
    let c: { orgId: number; uuid: string; key: string };
    let alpha: Added;
    let beta: Added;
    let privateB: Added;
    let gamma: Added;
    let shared: Added;
    const now = Math.floor(Date.now() / 1000);

    type Reply = { status: number; body: any; text: string; headers: Headers };
    async function search(path: string, body?: unknown, key = s.adminKey, method = 'POST'): Promise<Reply> {
      // JSON-encode whatever the test passes (a string too), unlike s.call which sends a string body raw.
      return s.call(method, path, body === undefined ? undefined : JSON.stringify(body), key);
    }
    const events = async (body: unknown, key?: string) => {
      const r = await search('events/restSearch', body, key);
      assert.equal(r.status, 200, r.text);
      return (r.body.response as any[]).map((x) => x.Event);
    };
    const eventIds = async (body: unknown, key?: string) => (await events(body, key)).map((e) => Number(e.id)).sort((x, y) => x - y);
    const attributes = async (body: unknown, key?: string) => {
      const r = await search('attributes/restSearch', body, key);
      assert.equal(r.status, 200, r.text);
      return r.body.response.Attribute as any[];
    };
    const values = async (body: unknown, key?: string) => (await attributes(body, key)).map((a) => a.value).sort();

    async function add(event: Record<string, unknown>, state: { orgId?: number; distribution: number; published: boolean; timestamp: number; date: string; sharingGroupId?: number }): Promise<Added> {
      const r = await s.call('POST', 'events/add', event);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const e = r.body.Event;
      const db = s.container.storage.db;
      await db.updateTable('events').set({
        org_id: state.orgId ?? 1, orgc_id: state.orgId ?? 1, distribution: state.distribution, published: state.published ? 1 : 0,
        publish_timestamp: state.published ? state.timestamp : 0, timestamp: state.timestamp, date: state.date,
        sharing_group_id: state.sharingGroupId ?? 0,
      }).where('id', '=', Number(e.id)).execute();
      await db.updateTable('attributes').set({ timestamp: state.timestamp }).where('event_id', '=', Number(e.id)).execute();
      const all = [...e.Attribute, ...(e.Object ?? []).flatMap((o: any) => o.Attribute)];
      return { id: Number(e.id), uuid: e.uuid, attributes: Object.fromEntries(all.map((a: any) => [a.value, { id: Number(a.id), uuid: a.uuid }])) };
    }

    before(async () => {
      s = await startTestServer(dialect);
      b = await orgWithUser(s, 'OrgB');
      c = await orgWithUser(s, 'OrgC');
      const db = s.container.storage.db;
      await s.call('POST', 'tags/add', { name: 'tlp:red', exportable: true });
      await s.call('POST', 'tags/add', { name: 'internal:hidden', exportable: false });

      alpha = await add({
        info: 'Alpha campaign', Tag: [{ name: 'tlp:green' }],
        Attribute: [
          { type: 'ip-dst', value: '198.51.100.7', to_ids: true, comment: 'C2 server', Tag: [{ name: 'kill-chain:delivery' }] },
          { type: 'domain', value: 'bad.example.org', to_ids: true },
          { type: 'filename|md5', value: `dropper.exe|${MD5}`, to_ids: true },
          { type: 'email-src', value: 'attacker@example.org', to_ids: false },
          { type: 'email', value: 'contact@example.org', to_ids: false },
          { type: 'text', value: 'note about alpha', to_ids: false, Tag: [{ name: 'internal:hidden' }] },
          { type: 'domain', value: 'gone.example.org', to_ids: true },
        ],
        Object: [{
          name: 'file', 'meta-category': 'file', description: 'File object', template_uuid: '688c46fb-5edb-40a3-8273-1af7923e2215',
          template_version: '24', Attribute: [
            { type: 'filename', object_relation: 'filename', value: 'payload.bin', first_seen: '2021-01-01T00:00:00Z', last_seen: '2021-02-01T00:00:00Z' },
            { type: 'sha256', object_relation: 'sha256', value: SHA256 },
          ],
        }],
      }, { distribution: 3, published: true, timestamp: now - 3 * DAY, date: '2024-01-10' });
      await db.updateTable('attributes').set({ deleted: 1 }).where('id', '=', alpha.attributes['gone.example.org']!.id).execute();

      beta = await add({
        info: 'Beta intrusion', Tag: [{ name: 'tlp:amber' }],
        Attribute: [
          { type: 'ip-src', value: '203.0.113.9', to_ids: true, Tag: [{ name: 'tlp:green' }] },
          { type: 'url', value: 'http://bad.example.org/x', to_ids: true },
          { type: 'hostname', value: 'www.beta.example', to_ids: true },
          { type: 'md5', value: MD5B, to_ids: true },
        ],
      }, { distribution: 1, published: false, timestamp: now - DAY, date: '2024-03-05' });

      privateB = await add({
        info: 'OrgB private', Tag: [{ name: 'tlp:red' }],
        Attribute: [
          { type: 'ip-dst', value: '198.51.100.7', to_ids: true },
          { type: 'domain', value: 'secret-b.example', to_ids: true, Tag: [{ name: 'tlp:green' }] },
          { type: 'md5', value: 'ffffffffffffffffffffffffffffffff', to_ids: true },
        ],
      }, { orgId: b.orgId, distribution: 0, published: true, timestamp: now - 2 * DAY, date: '2024-02-01' });

      gamma = await add({
        info: 'Gamma',
        Attribute: [
          { type: 'snort', value: 'alert tcp any any -> any 80 (msg:"gamma"; content:"x"; sid:1; rev:2;)', to_ids: true },
          { type: 'user-agent', value: 'EvilBot/1.0', to_ids: true },
          { type: 'email-dst', value: 'victim@example.net', to_ids: true },
        ],
      }, { orgId: c.orgId, distribution: 1, published: true, timestamp: now - 10 * DAY, date: '2023-06-01' });

      const sg = await db.insertInto('sharing_groups').values({
        uuid: randomUUID(), name: 'Host+C', releasability: '', description: '', organisation_uuid: '', org_id: 1,
        sync_user_id: 0, active: 1, created: datetime(now), modified: datetime(now), local: 1, roaming: 0,
      }).returning('id').executeTakeFirstOrThrow();
      for (const org of [1, c.orgId]) await db.insertInto('sharing_group_orgs').values({ sharing_group_id: sg.id, org_id: org, extend: 0 }).execute();
      shared = await add({ info: 'Shared with C', Attribute: [{ type: 'domain', value: 'shared.example', to_ids: true }] },
        { distribution: 4, sharingGroupId: sg.id, published: true, timestamp: now - 5 * DAY, date: '2024-04-01' });
    });
    after(() => s.close());

    it('answers MISP\'s JSON envelopes for events, attributes and objects, with X-Result-Count', async () => {
      const ev = await search('events/restSearch', { eventid: alpha.id });
      assert.equal(ev.headers.get('x-result-count'), '1');
      assert.equal(ev.headers.get('x-export-module-used'), 'json');
      const e = ev.body.response[0].Event;
      assert.equal(e.id, String(alpha.id));
      assert.equal(e.published, true);
      assert.equal(e.Orgc.name, 'ORGNAME');
      assert.deepEqual(e.Tag.map((t: any) => t.name), ['tlp:green']);
      assert.equal(e.Object[0].Attribute.length, 2);
      assert.equal(e.Attribute.some((a: any) => a.value === 'gone.example.org'), false, 'soft-deleted attributes are left out by default');

      const at = await search('attributes/restSearch', { value: '198.51.100.7' }, c.key);
      const a = at.body.response.Attribute[0];
      assert.equal(at.body.response.Attribute.length, 1);
      assert.equal(a.value, '198.51.100.7');
      assert.equal(a.to_ids, true);
      assert.equal('value1' in a, false);
      assert.deepEqual(Object.keys(a.Event).sort(), ['distribution', 'id', 'info', 'org_id', 'orgc_id', 'publish_timestamp', 'uuid']);
      assert.deepEqual(a.Tag.map((t: any) => t.name), ['kill-chain:delivery']);

      const ob = await search('objects/restSearch', { object_name: 'file' });
      const o = ob.body.response[0].Object;
      assert.equal(o.name, 'file');
      assert.deepEqual(o.Event, { id: String(alpha.id), info: 'Alpha campaign', org_id: '1', orgc_id: '1' });
      assert.deepEqual(o.Attribute.map((x: any) => x.value).sort(), ['payload.bin', SHA256].sort());
    });

    it('matches value on value1 or value2, ignoring case; % makes a LIKE; ! and NOT exclude', async () => {
      assert.deepEqual(await values({ value: MD5 }), [`dropper.exe|${MD5}`]);
      assert.deepEqual(await values({ value: 'DROPPER.EXE' }), [`dropper.exe|${MD5}`]);
      assert.deepEqual(await values({ value: 'BAD.example.ORG' }), ['bad.example.org']);
      assert.deepEqual(await values({ value: 'bad.example%' }), ['bad.example.org']);
      assert.deepEqual(await values({ value: '%example.org%', type: 'url' }), ['http://bad.example.org/x']);
      assert.deepEqual(await values({ value: ['203.0.113.9', 'www.beta.example'] }), ['203.0.113.9', 'www.beta.example']);
      assert.deepEqual(await values({ value: '203.0.113.9||www.beta.example' }), ['203.0.113.9', 'www.beta.example']);
      assert.deepEqual(await values({ value: { OR: ['%.example.org'], NOT: ['bad.example.org'] }, type: 'domain' }), []);
      assert.deepEqual(await values({ eventid: beta.id, value: '!203.0.113.9' }), ['http://bad.example.org/x', MD5B, 'www.beta.example'].sort());
      assert.deepEqual(await eventIds({ value: 'nothing-like-this' }), []);
    });

    it('filters type (email-src also finds email), category and object_relation', async () => {
      assert.deepEqual(await values({ type: 'email-src' }), ['attacker@example.org', 'contact@example.org']);
      assert.deepEqual(await values({ type: { OR: ['ip-src', 'ip-dst'] } }, c.key), ['198.51.100.7', '203.0.113.9']);
      assert.deepEqual(await values({ category: 'Network activity', eventid: beta.id }), ['203.0.113.9', 'http://bad.example.org/x', 'www.beta.example']);
      assert.deepEqual(await values({ object_relation: 'sha256' }), [SHA256]);
      // Event scope: whole events that contain a match (Event::filterEventIds), not only the matching attributes.
      const [e] = await events({ type: 'md5' }, c.key);
      assert.equal(Number(e.id), beta.id);
      assert.equal(e.Attribute.length, 4);
    });

    it('filters the creator org by id, name and uuid, and negates with !', async () => {
      assert.deepEqual(await eventIds({ org: c.orgId }), [gamma.id]);
      assert.deepEqual(await eventIds({ org: 'OrgC' }), [gamma.id]);
      assert.deepEqual(await eventIds({ org: c.uuid }), [gamma.id]);
      assert.deepEqual(await eventIds({ org: 'No such org' }), []);
      assert.deepEqual(await eventIds({ org: ['!1', `!${b.orgId}`] }), [gamma.id]);
    });

    it('applies tags: OR on event or attribute, AND on each, NOT drops events and blocked attributes; event_tags looks at events only', async () => {
      assert.deepEqual(await eventIds({ tags: 'tlp:green' }), [alpha.id, beta.id, privateB.id]);
      assert.deepEqual(await eventIds({ event_tags: 'tlp:green' }), [alpha.id]);
      assert.deepEqual(await eventIds({ tags: 'TLP:GR%' }), [alpha.id, beta.id, privateB.id]);
      assert.deepEqual(await eventIds({ tags: { AND: ['tlp:green', 'tlp:amber'] } }), [beta.id]);
      assert.deepEqual(await eventIds({ tags: { AND: ['tlp:green', 'no-such-tag'] } }), []);
      assert.deepEqual(await eventIds({ tags: 'no-such-tag' }), []);
      const notAmber = await events({ tags: { OR: ['tlp:green'], NOT: ['tlp:amber', 'kill-chain:delivery'] } });
      assert.deepEqual(notAmber.map((e) => Number(e.id)).sort(), [alpha.id, privateB.id]);
      const a = notAmber.find((e) => Number(e.id) === alpha.id);
      assert.equal(a.Attribute.some((x: any) => x.value === '198.51.100.7'), false, 'attributes carrying a NOT tag are left out');
      assert.deepEqual(await values({ tags: 'tlp:green', eventid: [alpha.id, beta.id] }), [
        '198.51.100.7', '203.0.113.9', 'attacker@example.org', 'bad.example.org', 'contact@example.org', `dropper.exe|${MD5}`,
        'note about alpha', SHA256, 'payload.bin'].sort());
      assert.deepEqual(await values({ tags: { OR: ['tlp:green'], NOT: ['tlp:amber'] }, eventid: beta.id }), []);
      assert.deepEqual(await values({ event_tags: 'tlp:amber' }), ['203.0.113.9', 'http://bad.example.org/x', MD5B, 'www.beta.example'].sort());
    });

    it('filters eventid (ids and uuids) and uuid (event, attribute or the event of an attribute)', async () => {
      assert.deepEqual(await eventIds({ eventid: [alpha.id, beta.uuid] }), [alpha.id, beta.id]);
      assert.deepEqual(await eventIds({ eventid: `!${alpha.id}`, org: 1 }), [beta.id, shared.id]);
      const attr = beta.attributes['203.0.113.9']!;
      assert.deepEqual(await eventIds({ uuid: attr.uuid }), [beta.id]);
      assert.deepEqual(await eventIds({ uuid: gamma.uuid }), [gamma.id]);
      assert.deepEqual(await values({ uuid: attr.uuid }), ['203.0.113.9']);
      assert.equal((await values({ uuid: beta.uuid })).length, 4);
    });

    it('filters the event date with from, to and date', async () => {
      assert.deepEqual(await eventIds({ from: '2024-01-10', to: '2024-03-05' }), [alpha.id, beta.id, privateB.id]);
      assert.deepEqual(await eventIds({ from: '2024-03-01' }), [beta.id, shared.id]);
      assert.deepEqual(await eventIds({ to: '2023-12-31' }), [gamma.id]);
      assert.deepEqual(await eventIds({ from: Date.UTC(2024, 3, 1) / 1000 }), [shared.id]);
      assert.deepEqual(await eventIds({ date: [Date.UTC(2024, 0, 1) / 1000, Date.UTC(2024, 0, 31) / 1000] }), [alpha.id]);
    });

    it('filters timestamps: timestamp, event_timestamp, attribute_timestamp, publish_timestamp and last; relative values and ranges', async () => {
      assert.deepEqual(await eventIds({ timestamp: '36h' }), [beta.id]);
      assert.deepEqual(await eventIds({ timestamp: now - 4 * DAY }), [alpha.id, beta.id, privateB.id]);
      assert.deepEqual(await eventIds({ timestamp: ['6d', '4d'] }), [shared.id]);
      assert.deepEqual(await eventIds({ event_timestamp: '36h' }), [beta.id]);
      assert.deepEqual(await eventIds({ publish_timestamp: '4d' }), [alpha.id, privateB.id]);
      assert.deepEqual(await eventIds({ last: '4d' }), [alpha.id, privateB.id]);
      assert.deepEqual(await eventIds({ publish_timestamp: 'aaad' }), [], 'an unreadable relative time matches nothing, as MISP');
      assert.deepEqual(await values({ timestamp: '36h' }), ['203.0.113.9', 'http://bad.example.org/x', MD5B, 'www.beta.example'].sort());
      assert.deepEqual(await values({ attribute_timestamp: ['11d', '9d'] }), ['EvilBot/1.0', 'alert tcp any any -> any 80 (msg:"gamma"; content:"x"; sid:1; rev:2;)', 'victim@example.net'].sort());
      assert.deepEqual(await values({ event_timestamp: '36h', type: 'md5' }), [MD5B]);
    });

    it('filters published and to_ids; to_ids also narrows the attributes shown inside events', async () => {
      assert.deepEqual(await eventIds({ published: false }), [beta.id]);
      assert.deepEqual(await eventIds({ published: [0, 1], org: 1 }), [alpha.id, beta.id, shared.id]);
      const [e] = await events({ eventid: alpha.id, to_ids: 0 });
      assert.deepEqual(e.Attribute.map((a: any) => a.value).sort(), ['attacker@example.org', 'contact@example.org', 'note about alpha']);
      assert.deepEqual(await values({ eventid: alpha.id, to_ids: 1, type: 'domain' }), ['bad.example.org']);
    });

    it('returns soft-deleted attributes only when deleted asks: 1 only those, [0, 1] both', async () => {
      assert.deepEqual(await values({ eventid: alpha.id, deleted: 1 }), ['gone.example.org']);
      assert.equal((await values({ eventid: alpha.id, deleted: [0, 1] })).length, 9);
      const [e] = await events({ eventid: alpha.id, deleted: 1 });
      assert.deepEqual(e.Attribute.map((a: any) => a.value), ['gone.example.org']);
      assert.deepEqual(await values({ eventid: privateB.id, deleted: [0, 1] }, b.key), ['198.51.100.7', 'ffffffffffffffffffffffffffffffff', 'secret-b.example']);
    });

    it('searches info, values, comments and tag names with searchall / quickFilter', async () => {
      assert.deepEqual(await eventIds({ searchall: '%intrusion%' }), [beta.id]);
      assert.deepEqual(await eventIds({ quickFilter: '%c2 serv%' }), [alpha.id]);
      assert.deepEqual(await eventIds({ value: '%beta.exam%', searchall: true }), [beta.id]);
      assert.deepEqual(await eventIds({ searchall: '%amber%' }), [beta.id]);
      assert.deepEqual(await values({ quickFilter: '%evilbot%' }), ['EvilBot/1.0']);
    });

    it('shapes attribute results: includeEventUuid, includeEventTags (inherited), includeContext', async () => {
      const [plain] = await attributes({ value: '203.0.113.9' });
      assert.equal('event_uuid' in plain, false);
      assert.deepEqual(plain.Tag.map((t: any) => t.name), ['tlp:green']);
      const [rich] = await attributes({ value: '203.0.113.9', includeEventUuid: 1, includeEventTags: 1, includeContext: 1 });
      assert.equal(rich.event_uuid, beta.uuid);
      assert.deepEqual(rich.Tag.map((t: any) => [t.name, t.inherited ?? 0]), [['tlp:green', 0], ['tlp:amber', 1]]);
      assert.equal(rich.Event.uuid, beta.uuid);
      assert.equal(rich.Event.date, '2024-03-05');
      assert.equal(rich.Event.Orgc.name, 'ORGNAME');
      assert.deepEqual(rich.Event.Tag.map((t: any) => t.name), ['tlp:amber']);
      const [hidden] = await attributes({ value: 'note about alpha', includeAllTags: 1 });
      assert.deepEqual(hidden.Tag.map((t: any) => t.name), ['internal:hidden']);
      assert.equal((await attributes({ value: 'note about alpha' }))[0].Tag, undefined, 'non-exportable tags need includeAllTags');
    });

    it('metadata leaves attributes and objects out; object_name and first_seen/last_seen select objects and attributes', async () => {
      const [meta] = await events({ eventid: alpha.id, metadata: 1 });
      assert.equal(meta.Attribute, undefined);
      assert.equal(meta.Object, undefined);
      assert.deepEqual(await eventIds({ object_name: 'file' }), [alpha.id]);
      assert.deepEqual(await values({ object_name: 'file' }), [SHA256, 'payload.bin'].sort());
      assert.deepEqual(await values({ first_seen: '2020-12-31' }), ['payload.bin']);
      assert.deepEqual(await values({ last_seen: '2021-03-01', first_seen: '2020-01-01' }), ['payload.bin']);
      assert.deepEqual(await values({ first_seen: '2021-06-01' }), []);
      const ob = await search('objects/restSearch', { value: 'payload.bin', metadata: 1 });
      assert.equal(ob.body.response[0].Object.Attribute, undefined);
    });

    it('pages with limit and page, reports X-Result-Count, and orders', async () => {
      const page = (n: number) => search('attributes/restSearch', { eventid: alpha.id, limit: 3, page: n, order: 'Attribute.value asc' });
      const [p1, p2, p3, p4] = await Promise.all([page(1), page(2), page(3), page(4)]);
      const got = [p1, p2, p3, p4].map((r) => r.body.response.Attribute.map((a: any) => a.value));
      assert.deepEqual(got.map((g) => g.length), [3, 3, 2, 0]);
      assert.deepEqual(got.flat(), [...got.flat()].sort());
      assert.deepEqual(got.flat().sort(), (await values({ eventid: alpha.id })));
      assert.equal(p1.headers.get('x-result-count'), '3');
      assert.equal(p3.headers.get('x-result-count'), '2');
      const ev = await search('events/restSearch', { org: 1, limit: 2, order: 'timestamp desc' });
      assert.equal(ev.headers.get('x-result-count'), '3', 'events: every match, before paging');
      assert.deepEqual(ev.body.response.map((x: any) => Number(x.Event.id)), [beta.id, alpha.id]);
      const next = await events({ org: 1, limit: 2, page: 2, order: 'timestamp desc' });
      assert.deepEqual(next.map((e) => Number(e.id)), [shared.id]);
    });

    it('embeds SharingGroup blocks unless sgReferenceOnly', async () => {
      const [withSg] = await events({ eventid: shared.id });
      assert.equal(withSg.SharingGroup.name, 'Host+C');
      const [refOnly] = await events({ eventid: shared.id, sgReferenceOnly: 1 });
      assert.equal(refOnly.SharingGroup, undefined);
      assert.equal(refOnly.sharing_group_id, withSg.sharing_group_id);
    });

    it('adds base64 files with withAttachments only', async () => {
      // Written straight to the database: attributes/add would unpublish the event other tests read.
      const db = s.container.storage.db;
      const { id } = await db.insertInto('attributes').values({
        uuid: storedUuid(db, randomUUID()), event_id: gamma.id, object_id: 0, object_relation: null, category: 'External analysis', type: 'attachment',
        value1: 'report.txt', value2: '', ...valueHashes('report.txt', ''), to_ids: 0, timestamp: now - 10 * DAY, distribution: 5, sharing_group_id: 0, comment: '',
        deleted: 0, disable_correlation: 0, first_seen: null, last_seen: null,
      }).returning('id').executeTakeFirstOrThrow();
      await s.container.storage.attachments.save([{ attributeId: id, data: Buffer.from('hello') }]);
      const [without] = await attributes({ value: 'report.txt' });
      assert.equal(without.data, undefined);
      const [withData] = await attributes({ value: 'report.txt', withAttachments: 1 });
      assert.equal(withData.data, Buffer.from('hello').toString('base64'));
      const [e] = await events({ eventid: gamma.id, withAttachments: 1, published: [0, 1] });
      assert.equal(e.Attribute.find((a: any) => a.value === 'report.txt').data, Buffer.from('hello').toString('base64'));
      await db.deleteFrom('attributes').where('id', '=', id).execute();
    });

    it('writes MISP CSV: default columns, requested_attributes, headerless, includeContext; event scope flattens objects', async () => {
      const csv = await search('attributes/restSearch', { returnFormat: 'csv', value: `%${MD5}` });
      assert.equal(csv.headers.get('content-type'), 'text/csv; charset=UTF-8');
      const lines = csv.text.split('\n');
      assert.equal(lines[0], 'uuid,event_id,category,type,value,comment,to_ids,date,object_relation,attribute_tag,object_uuid,object_name,object_meta_category');
      const uuid = alpha.attributes[`dropper.exe|${MD5}`]!.uuid;
      assert.equal(lines[1], `"${uuid}",${alpha.id},"Payload delivery","filename|md5","dropper.exe|${MD5}","",1,${now - 3 * DAY},"","","","",""`);
      assert.equal(csv.text.endsWith('\n\n'), true);
      const picked = await search('attributes/restSearch', { returnFormat: 'csv', value: '198.51.100.7', requested_attributes: ['value', 'event_info', 'attribute_tag'] });
      assert.deepEqual(picked.text.split('\n').slice(0, 2), ['value,event_info,attribute_tag', '"198.51.100.7","Alpha campaign","kill-chain:delivery"']);
      const headerless = await search('attributes/restSearch', { returnFormat: 'csv', value: '198.51.100.7', headerless: 1, org: 1 });
      assert.equal(headerless.text.trim().split('\n').length, 1);
      const context = await search('attributes/restSearch', { returnFormat: 'csv', value: '203.0.113.9', includeContext: 1 });
      const [head, row] = context.text.split('\n');
      assert.equal(head!.endsWith(',event_info,event_member_org,event_source_org,event_distribution,event_threat_level_id,event_analysis,event_date,event_tag,event_timestamp'), true);
      assert.equal(row!.endsWith(`"Beta intrusion","ORGNAME","ORGNAME",1,"Undefined",0,"2024-03-05","tlp:amber",${now - DAY}`), true);
      const ev = await search('events/restSearch', { returnFormat: 'csv', eventid: alpha.id });
      const objectLine = ev.text.split('\n').find((l) => l.includes('payload.bin'))!;
      assert.equal(objectLine.endsWith('"file","file"'), true);
      assert.equal(ev.text.trim().split('\n').length, 1 + 8);
    });

    it('detection formats default to to_ids = 1 and published = 1 unless the request sets them', async () => {
      const text = await search('events/restSearch', { returnFormat: 'text' });
      assert.equal(text.headers.get('content-type'), 'text/plain; charset=UTF-8');
      const lines = text.text.trim().split('\n').sort();
      assert.equal(lines.includes('bad.example.org'), true);
      assert.equal(lines.includes('203.0.113.9'), false, 'unpublished event');
      assert.equal(lines.includes('attacker@example.org'), false, 'to_ids off');
      const all = await search('attributes/restSearch', { returnFormat: 'text', published: [0, 1], to_ids: [0, 1], eventid: beta.id });
      assert.deepEqual(all.text.trim().split('\n').sort(), ['203.0.113.9', 'http://bad.example.org/x', MD5B, 'www.beta.example'].sort());
      const hashes = await search('attributes/restSearch', { returnFormat: 'hashes', published: [0, 1], org: 1 });
      assert.deepEqual(hashes.text.trim().split('\n').sort(), [MD5, MD5B, SHA256].sort());
      assert.equal((await search('attributes/restSearch', { returnFormat: 'hashes', value: 'none' })).text, '\n');
    });

    it('writes Snort and Suricata rules in MISP\'s syntax, sids from the user\'s nids_sid', async () => {
      const me = (await s.call('GET', 'users/view/me', undefined, c.key)).body.User;
      const base = Number(me.nids_sid) || 4_000_000; // a user without nids_sid gets MISP.nids_sid's rules
      const ip = alpha.attributes['198.51.100.7']!.id;
      const sur = await search('attributes/restSearch', { returnFormat: 'suricata', value: '198.51.100.7' }, c.key);
      const rules = sur.text.split('\n');
      assert.equal(rules[0], '# MISP export of IDS rules - optimized for suricata');
      assert.equal(rules.at(-1), `alert ip $HOME_NET any -> 198.51.100.7 any (msg: "MISP e${alpha.id} [kill-chain:delivery] Outgoing To IP: 198.51.100.7";   classtype:trojan-activity; sid:${base + ip * 10 + 1}; rev:1; priority:4; reference:url,http://127.0.0.1:0/events/view/${alpha.id};) `);
      const snort = await search('events/restSearch', { returnFormat: 'snort', eventid: gamma.id });
      const snortRules = snort.text.split('\n').filter((l) => l.startsWith('alert'));
      assert.equal(snortRules.length, 3);
      assert.match(snortRules[0]!, /^alert tcp any any -> any 80 \(msg: "MISP e\d+ \[\] snort-rule \| gamma"; content:"x"; sid:\d+; rev:1; classtype:trojan-activity;reference:url,.*\/events\/view\/\d+;\)$/);
      assert.match(snortRules[1]!, /flow:to_server,established; content:"EvilBot\/1.0"; http_header;/);
      assert.match(snortRules[2]!, /content:"RCPT TO\|3a\|"; nocase; content:"victim@example.net"; fast_pattern;/);
      const dns = await search('attributes/restSearch', { returnFormat: 'snort', value: 'bad.example.org', type: 'domain' });
      assert.match(dns.text, /content:"\|03\|bad\|07\|example\|03\|org\|00\|"; fast_pattern; nocase;/);
    });

    it('writes RPZ zones, Zeek intel, cache digests, counts, hosts and MISP XML', async () => {
      const rpz = await search('attributes/restSearch', { returnFormat: 'rpz', eventid: alpha.id, policy: 'DROP' });
      assert.match(rpz.text, /^\$TTL 1w;\n@ {15}SOA localhost\. root\.localhost \(\d{8}00 2h 30m 30d 1h\)\n {16}NS localhost\.\n\n/);
      assert.match(rpz.text, /32\.7\.100\.51\.198\.rpz-ip CNAME rpz-drop\.\n/);
      assert.match(rpz.text, /bad\.example\.org CNAME rpz-drop\.\n\*\.bad\.example\.org CNAME rpz-drop\.\n/);
      const zeek = await search('attributes/restSearch', { returnFormat: 'zeek', eventid: alpha.id, type: 'filename|md5' });
      assert.deepEqual(zeek.text.trim().split('\n').slice(1).map((l) => l.split('\t').slice(0, 2)), [['dropper.exe', 'Intel::FILE_NAME'], [MD5, 'Intel::FILE_HASH']]);
      assert.match(zeek.text, new RegExp(`ORGNAME MISP \\(${alpha.uuid}\\) - ORGNAME\tAlpha campaign\\. `));
      const cache = await search('attributes/restSearch', { returnFormat: 'cache', value: 'bad.example.org', includeEventUuid: 1 });
      assert.equal(cache.text, `${createHash('md5').update('bad.example.org').digest('hex')},${alpha.uuid}\n`);
      const count = await search('attributes/restSearch', { returnFormat: 'count', eventid: beta.id });
      assert.equal(count.text, '4');
      const hosts = await search('attributes/restSearch', { returnFormat: 'hosts', type: 'domain' });
      assert.match(hosts.text, /^# Blocklist in the HOSTS format\n# Generated: .*\n0\.0\.0\.0 bad\.example\.org\n/);
      const xml = await search('events/restSearch', { returnFormat: 'xml', eventid: beta.id });
      assert.equal(xml.headers.get('content-type'), 'application/xml; charset=UTF-8');
      assert.match(xml.text, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<response><Event><id>\d+<\/id>/);
      assert.match(xml.text, /<Attribute><id>\d+<\/id>.*<value>203\.0\.113\.9<\/value><to_ids>1<\/to_ids>/);
      assert.match(xml.text, /<\/Event><\/response>\n$/);
      const xmlAttr = await search('attributes/restSearch', { returnFormat: 'xml', value: 'http://bad.example.org/x' });
      assert.match(xmlAttr.text, /<response><Attribute><id>\d+<\/id>.*<value>http:\/\/bad\.example\.org\/x<\/value>.*<\/Attribute><\/response>/);
    });

    it('never shows another org\'s org-only event, in any format or scope', async () => {
      const secrets = ['secret-b.example', 'OrgB private', 'ffffffffffffffffffffffffffffffff', privateB.uuid];
      const everything = { published: [0, 1], to_ids: [0, 1] };
      const requests: Array<[string, Record<string, unknown>]> = [];
      for (const f of ['json', 'xml', 'csv', 'text', 'hashes', 'cache', 'suricata', 'snort', 'rpz', 'zeek', 'hosts']) {
        requests.push(['events/restSearch', { returnFormat: f, ...everything }], ['attributes/restSearch', { returnFormat: f, ...everything }]);
      }
      requests.push(['objects/restSearch', { returnFormat: 'json', ...everything }]);
      requests.push(['attributes/restSearch', { tags: 'tlp:green', ...everything }], ['events/restSearch', { searchall: '%secret%' }]);
      for (const [path, body] of requests) {
        const r = await search(path, body, c.key);
        assert.equal(r.status, 200, `${path} ${JSON.stringify(body)}: ${r.text}`);
        for (const secret of secrets) assert.equal(r.text.includes(secret), false, `${path} ${JSON.stringify(body)} leaks ${secret}`);
      }
      assert.deepEqual(await eventIds({ value: '198.51.100.7' }, c.key), [alpha.id]);
      assert.deepEqual(await eventIds({ value: '198.51.100.7' }, b.key), [alpha.id, privateB.id]);
      assert.deepEqual(await eventIds({ value: '198.51.100.7' }), [alpha.id, privateB.id]);
      assert.equal((await search('events/restSearch', { returnFormat: 'count' }, c.key)).text, '4');
      assert.deepEqual(await eventIds({ eventid: shared.id }, b.key), [], 'sharing group members only');
      assert.deepEqual(await eventIds({ eventid: shared.id }, c.key), [shared.id]);
    });

    it('reads URL parameters: positional segments in MISP\'s order and named name:value segments', async () => {
      const positional = await search('attributes/restSearch/csv/198.51.100.7', undefined, c.key, 'GET');
      assert.equal(positional.status, 200);
      assert.equal(positional.text.split('\n')[1]!.includes('"198.51.100.7"'), true);
      const named = await search('attributes/restSearch/returnFormat:json/value:203.0.113.9.json', undefined, s.adminKey, 'GET');
      assert.equal(named.body.response.Attribute[0].value, '203.0.113.9');
      const wrapped = await search('events/restSearch', { request: { eventid: gamma.id } });
      assert.equal(Number(wrapped.body.response[0].Event.id), gamma.id);
    });

    it('rejects bad requests with MISP-shaped 4xx errors, never a 500', async () => {
      const cases: Array<[string, string, unknown, number, RegExp]> = [
        ['GET', 'events/restSearch', undefined, 400, /GET and no parameters are not allowed/],
        ['POST', 'attributes/restSearch', undefined, 400, /POST a json with the filter parameters/],
        ['POST', 'events/restSearch', { returnFormat: 'stix42' }, 404, /^Invalid output format\.$/],
        ['POST', 'objects/restSearch', { returnFormat: 'csv' }, 404, /^Invalid output format\.$/],
        ['POST', 'events/restSearch', { timestamp: ['1d', '2d', '3d'] }, 400, /Invalid date specification/],
        ['POST', 'events/restSearch', { from: 'not a date' }, 400, /"from"/],
        ['POST', 'attributes/restSearch', { limit: 'ten' }, 400, /"limit"/],
        ['POST', 'attributes/restSearch', { value: { LIKE: 'x' } }, 400, /"value"/],
        ['POST', 'attributes/restSearch', { value: { OR: [{ nested: 1 }] } }, 400, /"value"/],
        ['POST', 'attributes/restSearch', { to_ids: 'maybe' }, 400, /"to_ids"/],
        ['POST', 'events/restSearch', { eventid: 'abc' }, 400, /"eventid"/],
        ['POST', 'events/restSearch', { uuid: 'not-a-uuid' }, 400, /"uuid"/],
        ['POST', 'events/restSearch', { metadata: 'perhaps' }, 400, /"metadata"/],
        ['POST', 'attributes/restSearch', { returnFormat: 'cache', hash_type: 'nope' }, 405, /Invalid hashing algo/],
      ];
      for (const [method, path, body, status, message] of cases) {
        const r = await search(path, body, s.adminKey, method);
        assert.equal(r.status, status, `${method} ${path} ${JSON.stringify(body)}: ${r.text}`);
        assert.match(r.body.message, message);
        assert.equal(r.body.url, `/${path}`);
      }
    });
  });
}
