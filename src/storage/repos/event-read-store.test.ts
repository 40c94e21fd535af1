import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedOrgsAndSharingGroups } from '../../../test/support/acl-seed.js';
import { startTestServer, testDialects, type TestServer } from '../../../test/support/test-server.js';
import {
  type AclSubject, canSeeAttribute, canSeeChild, canSeeDeletedState, canSeeEvent, type DeletedStates, eventViewer,
} from '../../core/acl/event-visibility.js';
import type { EventReadStore } from '../../core/ports/event-read-store.js';
import { storedUuid } from '../../../test/support/tag-test-fixtures.js';
import { valueHashes } from './event-write-rows.js';

/**
 * Contract: the SQL form of the visibility rules (event-visibility-sql.ts) returns exactly what the pure
 * rules (src/core/acl/event-visibility.ts) allow, for a generated corpus of orgs, sharing groups, events,
 * objects and attributes, for every kind of actor and both values of MISP.unpublishedprivate.
 */

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Ev { id: number; orgId: number; distribution: number; sharingGroupId: number; published: boolean }
interface Child { id: number; eventId: number; objectId: number; distribution: number; sharingGroupId: number; deleted: boolean }

const ORGS = [1, 2, 3, 4, 5];
/** sg 1: orgs 2, 3; sg 2: org 4; sg 3: every local org; sg 4: org 5, local server row without all_orgs; sg 5: a remote server's all_orgs. */
const SG_ORGS: Record<number, number[]> = { 1: [2, 3], 2: [4], 3: [], 4: [5], 5: [] };
const SG_SERVERS: Array<{ sg: number; server: number; allOrgs: number }> = [
  { sg: 3, server: 0, allOrgs: 1 }, { sg: 4, server: 0, allOrgs: 0 }, { sg: 5, server: 7, allOrgs: 1 },
];
const pureSgIds = (orgId: number): number[] => Object.keys(SG_ORGS).map(Number)
  .filter((sg) => SG_ORGS[sg]!.includes(orgId) || SG_SERVERS.some((s) => s.sg === sg && s.server === 0 && s.allOrgs === 1));

function corpus(seed: number) {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const sgFor = (d: number) => (d === 4 || rnd() < 0.2 ? pick([1, 2, 3, 4, 5, 9]) : 0);
  const events: Ev[] = [];
  const objects: Child[] = [];
  const attributes: Child[] = [];
  for (let id = 1; id <= 160; id++) {
    const distribution = pick([0, 1, 2, 3, 4, 4]);
    events.push({ id, orgId: pick(ORGS), distribution, sharingGroupId: sgFor(distribution), published: rnd() < 0.5 });
    const own: number[] = [];
    for (let k = Math.floor(rnd() * 3); k > 0; k--) {
      const d = pick([0, 1, 3, 4, 5, 5]);
      const oid = objects.length + 1;
      own.push(oid);
      objects.push({ id: oid, eventId: id, objectId: 0, distribution: d, sharingGroupId: sgFor(d), deleted: rnd() < 0.2 });
    }
    for (let k = Math.floor(rnd() * 5); k > 0; k--) {
      const d = pick([0, 1, 2, 3, 4, 5, 5]);
      attributes.push({
        id: attributes.length + 1, eventId: id, objectId: own.length && rnd() < 0.5 ? pick(own) : 0,
        distribution: d, sharingGroupId: sgFor(d), deleted: rnd() < 0.2,
      });
    }
  }
  return { events, objects, attributes };
}

type Corpus = ReturnType<typeof corpus>;

async function seed(s: TestServer, c: Corpus): Promise<void> {
  const db = s.container.storage.db;
  await seedOrgsAndSharingGroups(s, ORGS, SG_ORGS);
  for (const x of SG_SERVERS) {
    await db.insertInto('sharing_group_servers').values({ sharing_group_id: x.sg, server_id: x.server, all_orgs: x.allOrgs }).execute();
  }
  await db.insertInto('events').values(c.events.map((e) => ({
    id: e.id, uuid: `20000000-0000-4000-8000-${String(e.id).padStart(12, '0')}`, org_id: e.orgId, orgc_id: e.orgId,
    user_id: 1, date: '2024-01-01', info: `event ${e.id}`, threat_level_id: 4, analysis: 0, published: e.published ? 1 : 0,
    publish_timestamp: 0, timestamp: 1, sighting_timestamp: 0, attribute_count: 0, distribution: e.distribution,
    sharing_group_id: e.sharingGroupId, proposal_email_lock: 0, locked: 0, disable_correlation: 0, extends_uuid: '', protected: null,
  }))).execute();
  await db.insertInto('objects').values(c.objects.map((o) => ({
    id: o.id, uuid: `30000000-0000-4000-8000-${String(o.id).padStart(12, '0')}`, event_id: o.eventId, name: 'file',
    meta_category: 'file', description: '', template_uuid: null, template_version: null, timestamp: 1,
    distribution: o.distribution, sharing_group_id: o.sharingGroupId, comment: '', deleted: o.deleted ? 1 : 0, first_seen: null, last_seen: null,
  }))).execute();
  for (let i = 0; i < c.attributes.length; i += 200) {
    await db.insertInto('attributes').values(c.attributes.slice(i, i + 200).map((a) => ({
      id: a.id, uuid: storedUuid(db, `40000000-0000-4000-8000-${String(a.id).padStart(12, '0')}`), event_id: a.eventId, object_id: a.objectId,
      object_relation: a.objectId ? 'filename' : null, category: 'Other', type: 'text', value1: `v${a.id}`, value2: '', ...valueHashes(`v${a.id}`, ''), to_ids: 0,
      timestamp: 1, distribution: a.distribution, sharing_group_id: a.sharingGroupId, comment: '', deleted: a.deleted ? 1 : 0,
      disable_correlation: 0, first_seen: null, last_seen: null,
    }))).execute();
  }
}

function actors(): Array<{ name: string; actor: AclSubject }> {
  const out = ORGS.flatMap((org) => [false, true].map((sync) => ({
    name: `org${org}${sync ? '+sync' : ''}`,
    actor: { isSiteAdmin: false, org: { id: org }, role: { perms: { perm_sync: sync } } },
  })));
  out.push({ name: 'site admin without perm_sync', actor: { isSiteAdmin: true, org: { id: 2 }, role: { perms: { perm_sync: false } } } });
  return out;
}

const ids = (xs: Iterable<{ id: number }>): number[] => [...xs].map((x) => x.id).sort((a, b) => a - b);
const DELETED_VARIANTS: DeletedStates[] = [[0], [0, 1], [1]];

for (const dialect of testDialects()) {
  describe(`${dialect}: event read store agrees with the pure visibility rules`, () => {
    let s: TestServer;
    let store: EventReadStore;
    const c = corpus(42);
    before(async () => {
      s = await startTestServer(dialect);
      store = s.container.storage.eventReads;
      await seed(s, c);
    });
    after(() => s.close());

    it('computes sharing-group membership from sharing_group_orgs and local all_orgs servers only', async () => {
      for (const org of ORGS) assert.deepEqual(await store.sharingGroupIdsOfOrg(org), pureSgIds(org), `org ${org}`);
    });

    for (const unpublishedPrivate of [false, true]) {
      const settings = { bool: (n: string) => n === 'MISP.unpublishedprivate' && unpublishedPrivate };

      it(`lists and finds exactly the visible events (unpublishedprivate=${unpublishedPrivate})`, async () => {
        for (const { name, actor } of actors()) {
          const sg = pureSgIds(actor.org.id);
          const viewer = eventViewer(actor, settings, sg);
          const want = ids(c.events.filter((e) => canSeeEvent(actor, e, settings, sg)));
          assert.deepEqual(ids((await store.listEvents(viewer, {}, {})).events), want, name);
          for (const e of c.events.slice(0, 40)) {
            assert.equal(Boolean(await store.findEvent(viewer, { id: e.id })), want.includes(e.id), `${name} event ${e.id}`);
          }
        }
      });

      it(`loads exactly the visible children for every deleted variant (unpublishedprivate=${unpublishedPrivate})`, async () => {
        const allEventIds = c.events.map((e) => e.id);
        const byId = new Map(c.events.map((e) => [e.id, e]));
        const objectById = new Map(c.objects.map((o) => [o.id, o]));
        for (const { name, actor } of actors()) {
          const sg = pureSgIds(actor.org.id);
          const viewer = eventViewer(actor, settings, sg);
          for (const deleted of DELETED_VARIANTS) {
            // Ask for every event: children of invisible events must not leak either.
            const got = await store.loadChildren(viewer, { eventIds: allEventIds }, deleted);
            const shown = (x: Child) => {
              const ev = byId.get(x.eventId)!;
              return canSeeEvent(actor, ev, settings, sg) && canSeeChild(actor, ev, x, sg) && canSeeDeletedState(actor, ev, x.deleted, deleted);
            };
            assert.deepEqual(ids(got.objects), ids(c.objects.filter(shown)), `${name} objects ${deleted}`);
            const wantAttributes = c.attributes.filter((a) => shown(a)
              && (a.objectId === 0 || canSeeChild(actor, byId.get(a.eventId)!, objectById.get(a.objectId)!, sg)));
            assert.deepEqual(ids(got.attributes), ids(wantAttributes), `${name} attributes ${deleted}`);
          }
        }
      });

      it(`lists and finds exactly the visible attributes in attribute scope (unpublishedprivate=${unpublishedPrivate})`, async () => {
        const byId = new Map(c.events.map((e) => [e.id, e]));
        const objectById = new Map(c.objects.map((o) => [o.id, o]));
        for (const { name, actor } of actors()) {
          const sg = pureSgIds(actor.org.id);
          const viewer = eventViewer(actor, settings, sg);
          const want = c.attributes.filter((a) => !a.deleted && canSeeAttribute(
            actor, byId.get(a.eventId)!, a, a.objectId ? objectById.get(a.objectId)! : null, settings, sg));
          assert.deepEqual(ids(await store.listAttributes(viewer, {}, { limit: 100_000, page: 1 })), ids(want), name);
          for (const a of c.attributes.slice(0, 40)) {
            const hit = await store.findAttribute(viewer, { id: a.id }, [0]);
            assert.equal(Boolean(hit), want.some((w) => w.id === a.id), `${name} attribute ${a.id}`);
          }
        }
      });
    }
  });
}
