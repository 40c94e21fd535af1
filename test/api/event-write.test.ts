import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_DATA_PACKS } from '../../src/app/config.js';
import { loadDescribeTypes, typeMatrix } from '../../src/core/attributes/describe-types.js';
import type { RequestContext } from '../../src/core/context.js';
import { addEvent, addEvents, EVENT_EXISTS } from '../../src/core/events/event-add.js';
import { DomainError } from '../../src/core/errors.js';
import { loadObjectTemplates } from '../../src/core/objects/load-object-templates.js';
import type { Storage } from '../../src/core/ports/stores.js';
import { createUserWithKey, rawDb } from '../support/tag-test-fixtures.js';
import { holdTransaction } from '../support/held-transaction.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/**
 * events/add, events/edit, events/delete, events/publish, events/unpublish through the real HTTP server
 * (spec §2.11, §3.1, §4.5, §4.6, §6.4, §12 items 3, 4, 7, 8), as PyMISP drives them.
 */

/** A PyMISP-shaped event: ints as strings, tags by name, an object with a reference, ISO first_seen. */
function pymispEvent(over: Record<string, unknown> = {}) {
  const objectUuid = randomUUID();
  return {
    uuid: randomUUID().toUpperCase(), info: 'PyMISP event', date: '2024-03-01', threat_level_id: '2', analysis: 'Ongoing',
    published: false, Tag: [{ name: 'tlp:green' }],
    Attribute: [
      { type: 'ip-dst', value: '198.51.100.1', comment: 'c2', first_seen: '2024-03-01T10:00:00.123456+02:00', Tag: [{ name: 'Kill-Chain' }] },
      { type: 'domain', value: 'Evil.Example.COM', to_ids: '0' },
    ],
    Object: [{
      name: 'domain-ip', 'meta-category': 'network', description: 'A domain and its IP', uuid: objectUuid,
      template_uuid: '43b3b146-77eb-4931-b4cc-b66c60f28734', template_version: '11',
      Attribute: [
        { type: 'domain', value: 'example.org', object_relation: 'domain' },
        { type: 'ip-dst', value: '203.0.113.9', object_relation: 'ip' },
      ],
      ObjectReference: [{ referenced_uuid: objectUuid, relationship_type: 'related-to' }],
    }],
    ...over,
  };
}

async function eventCount(s: TestServer): Promise<number> {
  const r = await rawDb(s).selectFrom('events').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The bootstrap admin as a request context, for calling a service directly. */
async function adminContext(s: TestServer): Promise<RequestContext> {
  const identity = s.container.storage.identity;
  const user = (await identity.findUser({ id: 1 }))!;
  const [org, role] = await Promise.all([identity.findOrganisation({ id: user.orgId }), identity.findRole(user.roleId)]);
  return {
    actor: { user, org: org!, role: role!, authKey: null, isSiteAdmin: true },
    settings: s.container.settings.current(), now: Math.floor(Date.now() / 1000), baseUrl: s.url,
  };
}

for (const dialect of testDialects()) {
  describe(`${dialect}: events/add`, () => {
    let s: TestServer;
    let user: { key: string; userId: number; orgId: number };
    before(async () => {
      s = await startTestServer(dialect, { CAIRN_BASEURL: 'https://misp.example.test' });
      user = await createUserWithKey(s, { orgName: 'ORGNAME', email: 'user@write.test', perms: ['perm_add', 'perm_modify', 'perm_modify_org', 'perm_tagger'] });
      await s.call('POST', 'tags/add', { name: 'Kill-Chain' });
    });
    after(() => s.close());

    /** A transaction that has inserted domain 'first.example' with `uuid` into the event and stays open (ADR 0012's races). */
    const holdDomainInsert = (eventId: number, uuid: string) => holdTransaction(s.container.storage, (tx) => tx.eventWrites.insertAttributes([{
      uuid, eventId, objectId: 0, objectRelation: null, category: 'Network activity', type: 'domain', value1: 'first.example',
      value2: '', toIds: false, timestamp: 1_700_000_000, distribution: 5, sharingGroupId: 0, comment: '', deleted: false,
      disableCorrelation: false, firstSeen: null, lastSeen: null,
    }]));

    it('refuses as not unique an attribute uuid another request stores while attributes/add runs, and keeps one copy', async () => {
      const ev = await s.call('POST', 'events/add', { Event: { info: 'uuid race', Attribute: [{ type: 'text', value: 'filler' }] } }, user.key);
      assert.equal(ev.status, 200, JSON.stringify(ev.body));
      const eventId = Number(ev.body.Event.id);
      const uuid = randomUUID();
      const first = await holdDomainInsert(eventId, uuid);
      const second = s.call('POST', `attributes/add/${eventId}`, { uuid, type: 'domain', value: 'second.example' }, user.key);
      setTimeout(first.release, 100);
      const [, r] = await Promise.all([first.committed, second]);
      assert.equal(r.status, 403, JSON.stringify(r.body));
      assert.equal(r.body.url, `/attributes/add/${eventId}`);
      assert.match(JSON.stringify(r.body.errors?.uuid), /not unique/i, JSON.stringify(r.body));
      const view = await s.call('GET', `events/view/${eventId}`, undefined, user.key);
      assert.deepEqual(view.body.Event.Attribute.filter((a: { uuid: string }) => a.uuid === uuid).map((a: { value: string }) => a.value), ['first.example']);
    });

    it('merges into the attribute another request stores while events/edit adds the same uuid, as one after the other', async () => {
      const ev = await s.call('POST', 'events/add', { Event: { info: 'edit race', Attribute: [{ type: 'text', value: 'filler' }] } }, user.key);
      assert.equal(ev.status, 200, JSON.stringify(ev.body));
      const eventId = Number(ev.body.Event.id);
      const uuid = randomUUID();
      const first = await holdDomainInsert(eventId, uuid);
      // PostgreSQL: the edit reads the event without the held row, then its insert waits for it and fails once it commits
      const second = s.call('POST', `events/edit/${eventId}`, { Event: { Attribute: [{ uuid, type: 'domain', value: 'second.example' }] } }, user.key);
      setTimeout(first.release, 100);
      const [, r] = await Promise.all([first.committed, second]);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const view = await s.call('GET', `events/view/${eventId}`, undefined, user.key);
      assert.deepEqual(view.body.Event.Attribute.filter((a: { uuid: string }) => a.uuid === uuid).map((a: { value: string }) => a.value), ['second.example']);
    });

    it('stores a PyMISP event and events/view returns what was sent, MISP-typed', async () => {
      const body = pymispEvent();
      const r = await s.call('POST', 'events/add', body, user.key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.errors, undefined);
      const ev = r.body.Event;
      assert.equal(ev.uuid, body.uuid.toLowerCase());
      assert.equal(ev.info, 'PyMISP event');
      assert.equal(ev.date, '2024-03-01');
      assert.equal(ev.threat_level_id, '2');
      assert.equal(ev.analysis, '1');
      assert.equal(ev.distribution, '1', 'MISP.default_event_distribution');
      assert.equal(ev.orgc_id, String(user.orgId));
      assert.equal(ev.attribute_count, '4');
      assert.equal(ev.published, false);
      const [ip, domain] = ev.Attribute;
      assert.equal(ip.distribution, '5', 'MISP.default_attribute_distribution "event" is 5');
      assert.equal(ip.first_seen, '2024-03-01T08:00:00.123456+00:00');
      assert.deepEqual(ip.Tag.map((t: { name: string }) => t.name), ['Kill-Chain']);
      assert.equal(domain.value, 'evil.example.com');
      assert.equal(domain.to_ids, false);
      assert.equal(domain.category, 'Network activity');
      const [obj] = ev.Object;
      assert.equal(obj.distribution, '5');
      assert.equal(obj.Attribute.length, 2);
      assert.equal(obj.ObjectReference[0].relationship_type, 'related-to');
      assert.equal(obj.ObjectReference[0].referenced_type, '1');
      // tags the user may not create (no perm_tag_editor) are dropped silently, as MISP does
      assert.equal(ev.Tag, undefined);
      const view = await s.call('GET', `events/view/${ev.id}`, undefined, user.key);
      assert.deepEqual(view.body.Event.Attribute, ev.Attribute);
      assert.deepEqual(view.body.Event.Object, ev.Object);
    });

    it('accepts the {"Event": …} and {"response": …} wrappers and /metadata:1', async () => {
      const wrapped = await s.call('POST', 'events/add/metadata:1', { response: { Event: { info: 'wrapped', Attribute: [{ type: 'text', value: 'x' }] } } }, user.key);
      assert.equal(wrapped.status, 200, JSON.stringify(wrapped.body));
      assert.equal(wrapped.body.Event.info, 'wrapped');
      assert.equal(wrapped.body.Event.Attribute, undefined);
      assert.equal(wrapped.body.Event.attribute_count, '1');
    });

    it('stores a 50,000-attribute event in one request (the batches stay under the bind-parameter limits)', async () => {
      const n = 50_000;
      const Attribute = Array.from({ length: n }, (_, i) => ({
        uuid: randomUUID(), type: 'ip-dst', value: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      }));
      const r = await s.call('POST', 'events/add/metadata:1', { info: 'big', Attribute }, user.key);
      assert.equal(r.status, 200);
      assert.equal(r.body.Event.attribute_count, String(n));
      // Speed is measured by `npm run bench`, not asserted here.
    });

    it('answers an existing uuid with 404, MISP\'s message and a Location header naming the event', async () => {
      const first = await s.call('POST', 'events/add', pymispEvent(), user.key);
      const again = await s.call('POST', 'events/add', { uuid: first.body.Event.uuid, info: 'again' }, user.key);
      assert.equal(again.status, 404);
      assert.equal(again.body.message, 'Event already exists, if you would like to edit it, use the url in the location header.');
      assert.equal(again.headers.get('location'), `https://misp.example.test/events/${first.body.Event.id}`);
    });

    it('drops invalid attributes, reports them in errors and saves the rest', async () => {
      const r = await s.call('POST', 'events/add', {
        info: 'partly invalid',
        Attribute: [
          { type: 'ip-dst', value: '192.0.2.1' },
          { type: 'no-such-type', value: 'x' },
          { type: 'ip-dst', value: 'not an ip' },
          { type: 'ip-dst', value: '192.0.2.1' }, // in-request duplicate: dropped silently (Event::_add)
          { type: 'text', value: 'bad uuid', uuid: 'not-a-uuid' },
        ],
      }, user.key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.errors.Attribute.attribute_1, { type: ['Invalid type.'] });
      assert.ok(r.body.errors.Attribute.attribute_2.value);
      assert.deepEqual(r.body.errors.Attribute.attribute_4, { uuid: ['Please provide a valid RFC 4122 UUID'] });
      assert.equal(r.body.errors.Attribute.attribute_3, undefined);
      assert.equal(r.body.Event.Attribute.length, 1);
      assert.equal(r.body.Event.attribute_count, '1');
    });

    it('drops attributes and whole objects whose uuid another event already holds, and correlates none of them', async () => {
      const [takenAttribute, takenByObject, takenObject] = [randomUUID(), randomUUID(), randomUUID()];
      const domainObject = (uuid: string, attributes: Record<string, unknown>[]) => ({ name: 'domain-ip', 'meta-category': 'network', uuid, Attribute: attributes });
      const first = await s.call('POST', 'events/add', {
        info: 'holds the uuids',
        Attribute: [
          { uuid: takenAttribute, type: 'domain', value: 'first-holder.example' },
          { uuid: takenByObject, type: 'ip-dst', value: '192.0.2.76' },
        ],
        Object: [domainObject(takenObject, [{ type: 'domain', value: 'first-object.example', object_relation: 'domain' }])],
      }, user.key);
      assert.equal(first.status, 200, JSON.stringify(first.body));

      const second = await s.call('POST', 'events/add', {
        info: 'reuses them',
        Attribute: [
          { uuid: takenAttribute.toUpperCase(), type: 'domain', value: 'dropped-top.example' },
          { type: 'domain', value: 'kept-top.example' },
        ],
        Object: [
          domainObject(takenObject, [{ type: 'domain', value: 'dropped-object.example', object_relation: 'domain' }]),
          domainObject(randomUUID(), [
            { type: 'domain', value: 'orphan.example', object_relation: 'domain' },
            { uuid: takenByObject, type: 'ip-dst', value: '192.0.2.77', object_relation: 'ip' },
          ]),
          domainObject(randomUUID(), [{ type: 'domain', value: 'kept-object.example', object_relation: 'domain' }]),
        ],
      }, user.key);
      assert.equal(second.status, 200, JSON.stringify(second.body));
      const notUnique = { uuid: ['The UUID provided is not unique'] };
      assert.deepEqual(second.body.errors, { Attribute: { attribute_0: notUnique }, Object: { object_0: notUnique, object_1: notUnique } });
      const event = second.body.Event;
      assert.deepEqual(event.Attribute.map((a: { value: string }) => a.value), ['kept-top.example']);
      assert.deepEqual(event.Object.map((o: { Attribute: { value: string }[] }) => o.Attribute.map((a) => a.value)), [['kept-object.example']]);
      assert.equal(event.attribute_count, '2');

      // nothing of the dropped elements is stored, and the taken uuids still belong to the first event
      for (const value of ['dropped-top.example', 'dropped-object.example', 'orphan.example', '192.0.2.77']) {
        const found = await s.call('POST', 'attributes/restSearch', { value }, user.key);
        assert.deepEqual(found.body.response.Attribute, [], value);
      }
      for (const uuid of [takenAttribute, takenByObject]) {
        const holder = await s.call('GET', `attributes/view/${uuid}`, undefined, user.key);
        assert.equal(holder.body.Attribute.event_id, first.body.Event.id);
      }
      // a third event carrying the dropped values correlates with nothing of the second
      const third = await s.call('POST', 'events/add', {
        info: 'correlation probe', Attribute: ['orphan.example', 'dropped-top.example', 'kept-top.example'].map((value) => ({ type: 'domain', value })),
      }, user.key);
      const view = await s.call('GET', `events/view/${third.body.Event.id}/includeGranularCorrelations:1`, undefined, user.key);
      assert.deepEqual((view.body.Event.RelatedEvent ?? []).map((r: { Event: { id: string } }) => r.Event.id), [event.id]);
      const related = view.body.Event.Attribute.filter((a: { RelatedAttribute?: unknown[] }) => (a.RelatedAttribute ?? []).length > 0);
      assert.deepEqual(related.map((a: { value: string }) => a.value), ['kept-top.example']);
    });

    it('refuses an invalid event uuid and writes nothing', async () => {
      const before = await eventCount(s);
      const r = await s.call('POST', 'events/add', { info: 'bad', uuid: 'zzz', Attribute: [{ type: 'text', value: 'x' }] }, user.key);
      assert.equal(r.status, 403);
      assert.equal(r.body.saved, false);
      assert.deepEqual(r.body.errors, { Event: { uuid: ['Please provide a valid RFC 4122 UUID'] } });
      assert.equal(await eventCount(s), before);
    });

    it('writes nothing — event, tags, attributes — when a step fails after the event row is in', async () => {
      const storage = s.container.storage;
      const failing: Storage = {
        ...storage,
        transaction: (fn) => storage.transaction((tx) => fn({
          ...tx, eventWrites: { ...tx.eventWrites, insertObjectReferences: async () => { throw new Error('disk full'); } },
        })),
      };
      const matrix = typeMatrix(loadDescribeTypes(DEFAULT_DATA_PACKS));
      const env = { storage: failing, typeMatrix: matrix, objectTemplates: loadObjectTemplates(DEFAULT_DATA_PACKS) };
      const before = await eventCount(s);
      const tagsBefore = (await rawDb(s).selectFrom('tags').selectAll().execute()).length;
      const attributesBefore = (await rawDb(s).selectFrom('attributes').selectAll().execute()).length;
      await assert.rejects(addEvent(await adminContext(s), env, pymispEvent({ Tag: [{ name: 'rolled-back-tag' }] })), /disk full/);
      assert.equal(await eventCount(s), before);
      assert.equal((await rawDb(s).selectFrom('tags').selectAll().execute()).length, tagsBefore);
      assert.equal((await rawDb(s).selectFrom('attributes').selectAll().execute()).length, attributesBefore);
    });

    it('addEvents writes a group as events/add would each body alone, refusing some without the others', async () => {
      const matrix = typeMatrix(loadDescribeTypes(DEFAULT_DATA_PACKS));
      const env = { storage: s.container.storage, typeMatrix: matrix, objectTemplates: loadObjectTemplates(DEFAULT_DATA_PACKS) };
      const blockedUuid = randomUUID();
      await s.call('POST', 'eventBlocklists/add', { uuids: [blockedUuid] });
      const stored = await s.call('POST', 'events/add', { info: 'stored before', Attribute: [{ type: 'text', value: 'x' }] });
      const a = pymispEvent({ info: 'group A' });
      // a value no other test stores, so that C relates to A alone
      (a.Attribute[0] as Record<string, unknown>).value = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.77`;
      const c = {
        info: 'group C', Tag: [{ name: 'tlp:green' }], Attribute: [
          { ...a.Attribute[0], uuid: randomUUID() },
          { type: 'md5', value: '0123456789abcdef0123456789abcdef' },
        ],
      };
      const takenUuid = randomUUID();
      (a.Attribute[1] as Record<string, unknown>).uuid = takenUuid;
      const d = { info: 'group D', Attribute: [{ type: 'domain', value: 'taken.example', uuid: takenUuid }, { type: 'domain', value: 'kept.example' }] };
      const before = await eventCount(s);
      const outcomes = await addEvents(await adminContext(s), env, [
        a, { uuid: blockedUuid, info: 'blocked' }, { Attribute: [] }, { uuid: stored.body.Event.uuid, info: 'exists' },
        { ...pymispEvent(), uuid: a.uuid, info: 'same uuid as A' }, c, d,
      ]);
      assert.deepEqual(outcomes.map((o) => o.ok), [true, false, false, false, false, true, true]);
      const refusal = (i: number) => {
        const o = outcomes[i]!;
        assert.ok(!o.ok && o.error instanceof DomainError, `outcome ${i} is a refusal`);
        return o.error;
      };
      assert.equal(refusal(1).message, 'Event blocked by event blocklist.');
      assert.deepEqual(refusal(2).errors, { Event: { info: ['Info cannot be empty.'] } });
      assert.equal(refusal(3).details.location, `/events/${stored.body.Event.id}`);
      const first = outcomes[0]!.ok ? outcomes[0]!.result : assert.fail('A was added');
      assert.equal(refusal(4).message, EVENT_EXISTS, 'a uuid taken earlier in the group is refused as on a second add');
      assert.equal(refusal(4).details.location, `/events/${first.eventId}`);
      assert.equal(await eventCount(s), before + 3);

      const view = (await s.call('GET', `events/view/${first.eventId}`)).body.Event;
      assert.deepEqual(view.Tag.map((t: { name: string }) => t.name), ['tlp:green']);
      assert.equal(view.attribute_count, '4');
      assert.deepEqual(view.Attribute.find((x: { type: string }) => x.type === 'ip-dst').Tag.map((t: { name: string }) => t.name), ['Kill-Chain']);
      assert.equal(view.Object[0].ObjectReference.length, 1);
      const third = outcomes[5]!.ok ? outcomes[5]!.result : assert.fail('C was added');
      const viewC = (await s.call('GET', `events/view/${third.eventId}`)).body.Event;
      assert.equal(viewC.attribute_count, '2');
      assert.deepEqual(viewC.RelatedEvent.map((r: { Event: { id: string } }) => r.Event.id), [String(first.eventId)],
        'events of one group correlate with each other');
      const fourth = outcomes[6]!.ok ? outcomes[6]!.result : assert.fail('D was added');
      assert.deepEqual(fourth.errors, { Attribute: { attribute_0: { uuid: ['The UUID provided is not unique'] } } },
        'an attribute uuid taken by an earlier event of the group is dropped as on a second add');
      assert.equal((await s.call('GET', `events/view/${fourth.eventId}`)).body.Event.attribute_count, '1');
    });

    it('applies MISP\'s defaults and rules for distribution, orgc and published', async () => {
      await s.call('POST', 'servers/serverSettingsEdit/MISP.default_event_distribution', { value: '0' });
      const r = await s.call('POST', 'events/add', {
        info: 'defaults', published: true, distribution: undefined, orgc_id: 1234, Orgc: { name: 'Spoofed', uuid: randomUUID() },
        Attribute: [{ type: 'text', value: 'x' }],
      }, user.key);
      await s.call('POST', 'servers/serverSettingsEdit/MISP.default_event_distribution', { value: '1' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.Event.distribution, '0');
      assert.equal(r.body.Event.orgc_id, String(user.orgId), 'only sync users may choose the creator org');
      assert.equal(r.body.Event.published, false, 'published is dropped without perm_publish');
      assert.equal(r.body.Event.threat_level_id, '4');
      const five = await s.call('POST', 'events/add', { info: 'inherit is not an event level', distribution: 5 }, user.key);
      assert.equal(five.status, 403);
      assert.ok(five.body.errors.Event.distribution);
      const empty = await s.call('POST', 'events/add', { info: 'empty published', published: true });
      assert.equal(empty.status, 403);
      assert.equal(empty.body.errors.Event, 'Received a published event that was empty. Event add process blocked.');
    });

    it('lets sync users name the creator org (captured when unknown) and publishers publish on add', async () => {
      const sync = await createUserWithKey(s, {
        orgName: 'ORGNAME', email: 'sync@write.test', perms: ['perm_add', 'perm_modify', 'perm_modify_org', 'perm_publish', 'perm_sync', 'perm_tagger'],
      });
      const orgUuid = randomUUID();
      const r = await s.call('POST', 'events/add', {
        info: 'pushed', published: true, locked: true, Orgc: { name: 'Remote CERT', uuid: orgUuid }, Attribute: [{ type: 'text', value: 'x' }],
      }, sync.key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.Event.Orgc.uuid, orgUuid);
      assert.equal(r.body.Event.Orgc.local, false);
      assert.equal(r.body.Event.org_id, String(sync.orgId), 'the owner org is always the pushing user\'s');
      assert.equal(r.body.Event.published, true);
      assert.notEqual(r.body.Event.publish_timestamp, '0');
      const again = await s.call('POST', 'events/add', { info: 'same org', Orgc: { name: 'Remote CERT', uuid: orgUuid } }, sync.key);
      assert.equal(again.body.Event.orgc_id, r.body.Event.orgc_id);
    });

    it('takes distribution 4 only with a sharing group the user belongs to', async () => {
      const db = rawDb(s);
      const group = async (name: string, memberOrg?: number) => {
        const sg = await db.insertInto('sharing_groups').values({
          uuid: randomUUID(), name, releasability: '', description: '', organisation_uuid: randomUUID(), org_id: 9999,
          sync_user_id: 0, active: 1, created: '2024-01-01 00:00:00', modified: '2024-01-01 00:00:00', local: 1, roaming: 0,
        }).returning('id').executeTakeFirstOrThrow();
        if (memberOrg) await db.insertInto('sharing_group_orgs').values({ sharing_group_id: sg.id, org_id: memberOrg, extend: 0 }).execute();
        return sg.id;
      };
      const mine = await group('member group', user.orgId);
      const foreign = await group('foreign group');
      const r = await s.call('POST', 'events/add', {
        info: 'sg', distribution: 4, sharing_group_id: mine,
        Attribute: [{ type: 'text', value: 'ok' }, { type: 'text', value: 'foreign', distribution: 4, sharing_group_id: foreign }],
      }, user.key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.Event.sharing_group_id, String(mine));
      assert.ok(r.body.errors.Attribute.attribute_1.sharing_group_id);
      const refused = await s.call('POST', 'events/add', { info: 'sg', distribution: 4, sharing_group_id: foreign }, user.key);
      assert.equal(refused.status, 405);
      assert.equal(refused.body.message, 'Invalid Sharing Group or not authorised.');
      const forced = await s.call('POST', 'events/add', { info: 'sg', distribution: 2, sharing_group_id: foreign }, user.key);
      assert.equal(forced.body.Event.sharing_group_id, '0');
      // an existing uuid is refused first, as MISP checks it before the sharing group
      const taken = await s.call('POST', 'events/add', { uuid: r.body.Event.uuid, info: 'sg', distribution: 4, sharing_group_id: foreign }, user.key);
      assert.equal(taken.status, 404);
      assert.equal(taken.headers.get('location'), `https://misp.example.test/events/${r.body.Event.id}`);
    });

    it('answers a GET with MISP\'s API description and refuses users without perm_add', async () => {
      const d = await s.call('GET', 'events/add');
      assert.equal(d.status, 200);
      assert.equal(d.body.name, '/events/add API description');
      assert.deepEqual(d.body.mandatory_fields, ['info']);
      const reader = await createUserWithKey(s, { orgName: 'ORGNAME', email: 'reader@write.test', perms: [] });
      const r = await s.call('POST', 'events/add', { info: 'nope' }, reader.key);
      assert.equal(r.status, 403);
    });
  });

  describe(`${dialect}: events/edit, publish, unpublish, delete`, () => {
    let s: TestServer;
    let user: { key: string; userId: number; orgId: number };
    let publisher: { key: string; userId: number; orgId: number };
    let outsider: { key: string; userId: number; orgId: number };
    const add = async (body: Record<string, unknown>, key = user.key) => {
      const r = await s.call('POST', 'events/add', body, key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.Event;
    };
    before(async () => {
      s = await startTestServer(dialect);
      const perms = ['perm_add', 'perm_modify', 'perm_modify_org', 'perm_tagger'] as const;
      user = await createUserWithKey(s, { orgName: 'ORGNAME', email: 'user@edit.test', perms: [...perms] });
      publisher = await createUserWithKey(s, { orgName: 'ORGNAME', email: 'pub@edit.test', perms: [...perms, 'perm_publish'] });
      outsider = await createUserWithKey(s, { orgName: 'Elsewhere', email: 'out@edit.test', perms: [...perms, 'perm_publish'] });
    });
    after(() => s.close());

    it('merges attributes and objects by uuid, keeps unsent fields, adds new ones', async () => {
      const ev = await add(pymispEvent());
      const [ip] = ev.Attribute;
      const obj = ev.Object[0];
      const r = await s.call('POST', `events/edit/${ev.uuid}`, {
        info: 'renamed',
        Attribute: [{ uuid: ip.uuid, comment: 'updated' }, { type: 'url', value: 'https://example.net/x' }],
        Object: [{ uuid: obj.uuid, comment: 'object comment', Attribute: [{ type: 'ip-dst', value: '203.0.113.10', object_relation: 'ip' }] }],
      }, user.key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const e = r.body.Event;
      assert.equal(e.info, 'renamed');
      assert.equal(e.threat_level_id, '2', 'unsent fields keep their stored value');
      const edited = e.Attribute.find((a: { uuid: string }) => a.uuid === ip.uuid);
      assert.equal(edited.comment, 'updated');
      assert.equal(edited.value, '198.51.100.1');
      assert.equal(e.Attribute.length, 3);
      assert.equal(e.Object[0].comment, 'object comment');
      assert.equal(e.Object[0].Attribute.length, 3);
      assert.equal(e.attribute_count, '6');
    });

    it('refuses an event timestamp that is not newer and changes nothing', async () => {
      const ev = await add({ info: 'original', timestamp: 1700000000, Attribute: [{ type: 'text', value: 'a' }] });
      for (const timestamp of [1700000000, 1600000000]) {
        const r = await s.call('POST', `events/edit/${ev.id}`, { info: 'older', timestamp, Attribute: [{ type: 'text', value: 'new' }] }, user.key);
        assert.equal(r.status, 403);
        assert.equal(r.body.errors, 'Event could not be saved: Event in the request not newer than the local copy.');
      }
      const view = await s.call('GET', `events/view/${ev.id}`, undefined, user.key);
      assert.equal(view.body.Event.info, 'original');
      assert.equal(view.body.Event.Attribute.length, 1);
    });

    it('skips attributes whose timestamp is not newer, and takes a missing timestamp as now', async () => {
      const ev = await add({ info: 'attr ts', Attribute: [{ type: 'text', value: 'a', timestamp: 1700000000 }] });
      const a = ev.Attribute[0];
      await s.call('POST', `events/edit/${ev.id}`, { Attribute: [{ uuid: a.uuid, comment: 'older', timestamp: 1700000000 }] }, user.key);
      let view = await s.call('GET', `events/view/${ev.id}`, undefined, user.key);
      assert.equal(view.body.Event.Attribute[0].comment, '');
      await s.call('POST', `events/edit/${ev.id}`, { Attribute: [{ uuid: a.uuid, comment: 'newer' }] }, user.key);
      view = await s.call('GET', `events/view/${ev.id}`, undefined, user.key);
      assert.equal(view.body.Event.Attribute[0].comment, 'newer');
      assert.ok(Number(view.body.Event.Attribute[0].timestamp) > 1700000000);
    });

    it('soft-deletes attributes sent with deleted: true (PyMISP MISPAttribute.delete())', async () => {
      const ev = await add({ info: 'soft', Attribute: [{ type: 'text', value: 'a' }, { type: 'text', value: 'b' }] });
      const r = await s.call('POST', `events/edit/${ev.id}`, { Attribute: [{ uuid: ev.Attribute[1].uuid, deleted: true }] }, user.key);
      assert.equal(r.body.Event.Attribute.length, 1);
      assert.equal(r.body.Event.attribute_count, '1');
      const all = await s.call('GET', `events/view/${ev.id}/deleted:1`, undefined, user.key);
      assert.equal(all.body.Event.Attribute.length, 2);
    });

    it('publishes, and an edit unpublishes unless a publisher sends published: true', async () => {
      const ev = await add({ info: 'publish me', Attribute: [{ type: 'text', value: 'a' }] });
      const p = await s.call('POST', `events/publish/${ev.id}`, undefined, publisher.key);
      assert.equal(p.status, 200, JSON.stringify(p.body));
      assert.equal(p.body.success, true);
      let view = await s.call('GET', `events/view/${ev.id}`, undefined, user.key);
      assert.equal(view.body.Event.published, true);
      assert.notEqual(view.body.Event.publish_timestamp, '0');
      await s.call('POST', `events/edit/${ev.id}`, { info: 'edited', published: true }, user.key);
      view = await s.call('GET', `events/view/${ev.id}`, undefined, user.key);
      assert.equal(view.body.Event.published, false, 'published: true without perm_publish is dropped');
      const again = await s.call('POST', `events/edit/${ev.id}`, { info: 'republished', published: true }, publisher.key);
      assert.equal(again.body.Event.published, true);
      const un = await s.call('POST', `events/unpublish/${ev.uuid}`, undefined, user.key);
      assert.equal(un.body.message, 'Event unpublished.');
      view = await s.call('GET', `events/view/${ev.id}`, undefined, user.key);
      assert.equal(view.body.Event.published, false);
      const denied = await s.call('POST', `events/publish/${ev.id}`, undefined, user.key);
      assert.equal(denied.status, 403, 'perm_publish is required by the ACL');
    });

    it('keeps other organisations out: 404 when invisible, 403 when visible, and nothing changes', async () => {
      const hidden = await add({ info: 'org only', distribution: 0, Attribute: [{ type: 'text', value: 'a' }] });
      const visible = await add({ info: 'community', distribution: 1, Attribute: [{ type: 'text', value: 'b' }] });
      assert.equal((await s.call('POST', `events/edit/${hidden.id}`, { info: 'x' }, outsider.key)).status, 404);
      const edit = await s.call('POST', `events/edit/${visible.id}`, { info: 'x' }, outsider.key);
      assert.equal(edit.status, 403);
      assert.equal(edit.body.message, 'You are not authorised to do that.');
      assert.equal((await s.call('POST', `events/publish/${visible.id}`, undefined, outsider.key)).status, 405);
      assert.equal((await s.call('POST', `events/unpublish/${visible.id}`, undefined, outsider.key)).status, 403);
      const del = await s.call('POST', `events/delete/${visible.id}`, undefined, outsider.key);
      assert.equal(del.status, 403);
      assert.equal(del.body.errors, 'Event was not deleted.');
      const view = await s.call('GET', `events/view/${visible.id}`, undefined, user.key);
      assert.equal(view.body.Event.info, 'community');
    });

    it('deletes events hard, by id or uuid, and in bulk', async () => {
      const a = await add({ info: 'del a', Attribute: [{ type: 'text', value: 'a' }] });
      const b = await add({ info: 'del b' });
      const c = await add({ info: 'del c' });
      const one = await s.call('POST', `events/delete/${a.uuid}`, undefined, user.key);
      assert.equal(one.status, 200);
      assert.equal(one.body.message, 'Event deleted.');
      assert.equal((await s.call('GET', `events/view/${a.id}`, undefined, user.key)).status, 404);
      assert.equal((await rawDb(s).selectFrom('attributes').selectAll().where('event_id', '=', Number(a.id)).execute()).length, 0);
      const bulk = await s.call('POST', 'events/delete', { id: [b.id, c.uuid, '999999'] }, user.key);
      assert.equal(bulk.body.message, '2 events deleted.1 event(s) could not be deleted due to insufficient privileges or the event not being found.');
    });
  });

  describe(`${dialect}: request size limit`, () => {
    let s: TestServer;
    before(async () => { s = await startTestServer(dialect, { CAIRN_MAX_BODY_BYTES: String(64 * 1024) }); });
    after(() => s.close());

    it('answers 413 to a body over CAIRN_MAX_BODY_BYTES and stores nothing', async () => {
      const big = { info: 'too big', Attribute: Array.from({ length: 3000 }, (_, i) => ({ type: 'text', value: `value number ${i}` })) };
      const r = await s.call('POST', 'events/add', big);
      assert.equal(r.status, 413);
      assert.equal(await eventCount(s), 0);
    });
  });
}
