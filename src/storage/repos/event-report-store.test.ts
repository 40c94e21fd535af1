import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedOrgsAndSharingGroups } from '../../../test/support/acl-seed.js';
import { startTestServer, testDialects, type TestServer } from '../../../test/support/test-server.js';
import {
  type AclSubject, canSeeChild, canSeeDeletedState, canSeeEvent, type DeletedStates, eventViewer,
} from '../../core/acl/event-visibility.js';

/**
 * Contract: the event report store returns exactly the reports the pure rules allow (spec §4.3: event visible,
 * report passes the element test, deletion states as for attributes), on a generated corpus, for every kind of actor.
 */

const ORGS = [1, 2, 3, 4];
const SG_ORGS: Record<number, number[]> = { 1: [2, 3], 2: [4] };
const sgIdsOf = (org: number) => Object.keys(SG_ORGS).map(Number).filter((sg) => SG_ORGS[sg]!.includes(org));

function corpus() {
  let a = 7;
  const rnd = () => { a = (a * 1103515245 + 12345) % 2147483648; return a / 2147483648; };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const sgFor = (d: number) => (d === 4 ? pick([1, 2, 9]) : 0);
  const events: Array<{ id: number; orgId: number; distribution: number; sharingGroupId: number; published: boolean }> = [];
  const reports: Array<{ id: number; eventId: number; distribution: number; sharingGroupId: number; deleted: boolean }> = [];
  for (let id = 1; id <= 60; id++) {
    const distribution = pick([0, 1, 3, 4]);
    events.push({ id, orgId: pick(ORGS), distribution, sharingGroupId: sgFor(distribution), published: true });
    for (let k = Math.floor(rnd() * 4); k > 0; k--) {
      const d = pick([0, 1, 2, 3, 4, 5]);
      reports.push({ id: reports.length + 1, eventId: id, distribution: d, sharingGroupId: sgFor(d), deleted: rnd() < 0.25 });
    }
  }
  return { events, reports };
}

const ids = (xs: Iterable<{ id: number }>): number[] => [...xs].map((x) => x.id).sort((x, y) => x - y);

for (const dialect of testDialects()) {
  describe(`${dialect}: event report store agrees with the pure visibility rules`, () => {
    let s: TestServer;
    const c = corpus();
    before(async () => {
      s = await startTestServer(dialect);
      const db = s.container.storage.db;
      await seedOrgsAndSharingGroups(s, ORGS, SG_ORGS);
      await db.insertInto('events').values(c.events.map((e) => ({
        id: e.id, uuid: `20000000-0000-4000-8000-${String(e.id).padStart(12, '0')}`, org_id: e.orgId, orgc_id: e.orgId,
        user_id: 1, date: '2024-01-01', info: `event ${e.id}`, threat_level_id: 4, analysis: 0, published: 1,
        publish_timestamp: 0, timestamp: 1, sighting_timestamp: 0, attribute_count: 0, distribution: e.distribution,
        sharing_group_id: e.sharingGroupId, proposal_email_lock: 0, locked: 0, disable_correlation: 0, extends_uuid: '', protected: null,
      }))).execute();
      await db.insertInto('event_reports').values(c.reports.map((r) => ({
        id: r.id, uuid: `50000000-0000-4000-8000-${String(r.id).padStart(12, '0')}`, event_id: r.eventId, name: `r${r.id}`,
        content: '', distribution: r.distribution, sharing_group_id: r.sharingGroupId, timestamp: 1, deleted: r.deleted ? 1 : 0,
      }))).execute();
    });
    after(() => s.close());

    it('lists and finds exactly the visible reports for every actor and deletion variant', async () => {
      const store = s.container.storage.eventReports;
      const settings = { bool: () => false };
      const byId = new Map(c.events.map((e) => [e.id, e]));
      const subjects: AclSubject[] = ORGS.flatMap((org) => [false, true].map((sync) => ({ isSiteAdmin: false, org: { id: org }, role: { perms: { perm_sync: sync } } })));
      subjects.push({ isSiteAdmin: true, org: { id: 2 }, role: { perms: { perm_sync: false } } });
      for (const actor of subjects) {
        const sg = sgIdsOf(actor.org.id);
        const viewer = eventViewer(actor, settings, sg);
        const visible = (r: (typeof c.reports)[number]) => {
          const ev = byId.get(r.eventId)!;
          return canSeeEvent(actor, ev, settings, sg) && canSeeChild(actor, ev, r, sg);
        };
        const name = `org${actor.org.id}${actor.role.perms.perm_sync ? '+sync' : ''}${actor.isSiteAdmin ? ' admin' : ''}`;
        for (const deleted of [[0], [0, 1], [1]] as DeletedStates[]) {
          const want = c.reports.filter((r) => visible(r) && canSeeDeletedState(actor, byId.get(r.eventId)!, r.deleted, deleted));
          assert.deepEqual(ids((await store.listVisible(viewer, { deleted })).map((h) => h.report)), ids(want), `${name} ${deleted}`);
        }
        for (const r of c.reports.slice(0, 50)) {
          assert.equal(Boolean(await store.findVisible(viewer, { id: r.id })), visible(r), `${name} report ${r.id}`);
        }
      }
    });
  });
}
