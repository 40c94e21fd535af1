import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUserWithKey, rawDb } from '../support/tag-test-fixtures.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/**
 * Event reports (EventReportsController, spec §2.8, §3.7): the add/edit/view/index/delete/restore life cycle, MISP's
 * answers and validation, and the report rule of spec §4.3 (event visible and report passes the element test).
 */

type User = { key: string; userId: number; orgId: number };

for (const dialect of testDialects()) {
  describe(`${dialect}: event reports`, () => {
    let s: TestServer;
    let owner: User;
    let other: User;
    let third: User;
    let reader: User;

    const addEvent = async (distribution: number, key = owner.key) => {
      const r = await s.call('POST', 'events/add', { info: 'report host', distribution }, key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.Event as { id: string; uuid: string };
    };
    const addReport = async (eventRef: string, body: Record<string, unknown>, key = owner.key) =>
      s.call('POST', `eventReports/add/${eventRef}`, body, key);
    const reportsInEvent = async (eventId: string, key: string, named = '') =>
      ((await s.call('GET', `events/view/${eventId}${named}`, undefined, key)).body.Event?.EventReport ?? []).map((r: any) => r.name);

    before(async () => {
      s = await startTestServer(dialect);
      owner = await createUserWithKey(s, { orgName: 'Report Owner', email: 'owner@er.test', perms: ['perm_add', 'perm_modify', 'perm_modify_org'] });
      other = await createUserWithKey(s, { orgName: 'Report Other', email: 'other@er.test', perms: ['perm_add', 'perm_modify', 'perm_modify_org'] });
      third = await createUserWithKey(s, { orgName: 'Report Third', email: 'third@er.test', perms: ['perm_add'] });
      reader = await createUserWithKey(s, { orgName: 'Report Owner', email: 'reader@er.test', perms: [] });
    });
    after(() => s.close());

    it('adds, views, edits, lists, soft-deletes, restores and hard-deletes a report', async () => {
      const ev = await addEvent(1);
      await rawDb(s).updateTable('events').set({ published: 1 }).where('id', '=', Number(ev.id)).execute();
      const added = await addReport(ev.id, { name: 'First report', content: '# Markdown', distribution: 5 });
      assert.equal(added.status, 200, JSON.stringify(added.body));
      const r = added.body.EventReport;
      assert.equal(r.event_id, ev.id);
      assert.equal(r.name, 'First report');
      assert.equal(r.content, '# Markdown');
      assert.equal(r.distribution, '5');
      assert.equal(r.sharing_group_id, '0');
      assert.equal(r.deleted, false);
      assert.match(r.uuid, /^[0-9a-f-]{36}$/);
      assert.equal(added.body.Event.id, ev.id);
      assert.equal(added.body.Event.Orgc.name, 'Report Owner');
      assert.equal(added.body.SharingGroup.id, null);
      const published = (await rawDb(s).selectFrom('events').select('published').where('id', '=', Number(ev.id)).executeTakeFirstOrThrow()).published;
      assert.equal(published, 0, 'adding a report unpublishes the event');

      const inEvent = (await s.call('GET', `events/view/${ev.id}`, undefined, owner.key)).body.Event.EventReport;
      assert.deepEqual(inEvent, [r], 'events/view carries the report as MISP 2.5 does');
      assert.deepEqual(await reportsInEvent(ev.id, owner.key, '/noEventReports:1'), [], 'noEventReports:1 leaves them out');

      const byUuid = await s.call('GET', `eventReports/view/${r.uuid}`, undefined, owner.key);
      assert.equal(byUuid.status, 200);
      assert.equal(byUuid.body.EventReport.id, r.id);

      await rawDb(s).updateTable('event_reports').set({ timestamp: 1000 }).where('id', '=', Number(r.id)).execute();
      const edited = await s.call('POST', `eventReports/edit/${r.id}`, { name: 'Renamed', content: 'New text', uuid: '00000000-0000-4000-8000-000000000000', timestamp: 5 }, owner.key);
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.equal(edited.body.EventReport.name, 'Renamed');
      assert.equal(edited.body.EventReport.content, 'New text');
      assert.equal(edited.body.EventReport.uuid, r.uuid, 'the uuid never changes');
      assert.ok(Number(edited.body.EventReport.timestamp) > 1000, 'the timestamp becomes now');

      const index = await s.call('GET', `eventReports/index/event_id:${ev.id}`, undefined, owner.key);
      assert.equal(index.status, 200);
      assert.deepEqual(index.body.map((x: any) => x.EventReport.id), [r.id]);
      const byEventUuid = await s.call('GET', `eventReports/index/event_id:${ev.uuid}`, undefined, owner.key);
      assert.deepEqual(byEventUuid.body.map((x: any) => x.EventReport.id), [r.id]);
      const search = await s.call('GET', 'eventReports/index/value:new%20TEXT', undefined, owner.key);
      assert.deepEqual(search.body.map((x: any) => x.EventReport.id), [r.id]);

      const soft = await s.call('POST', `eventReports/delete/${r.uuid}`, {}, owner.key);
      assert.equal(soft.status, 200, JSON.stringify(soft.body));
      assert.equal(soft.body.success, true);
      assert.equal(soft.body.name, `Event Report ${r.uuid} soft deleted`);
      assert.deepEqual((await s.call('GET', `eventReports/index/event_id:${ev.id}`, undefined, owner.key)).body, []);
      assert.deepEqual(await reportsInEvent(ev.id, owner.key), [], 'soft-deleted reports are hidden by default');
      assert.deepEqual(await reportsInEvent(ev.id, owner.key, '/deleted:1'), ['Renamed'], '…and shown with deleted:1');
      const deletedOnly = await s.call('GET', `eventReports/index/event_id:${ev.id}/context:deleted`, undefined, owner.key);
      assert.deepEqual(deletedOnly.body.map((x: any) => x.EventReport.deleted), [true]);
      assert.equal((await s.call('GET', `eventReports/view/${r.id}`, undefined, owner.key)).body.EventReport.deleted, true);

      const restored = await s.call('POST', `eventReports/restore/${r.id}`, {}, owner.key);
      assert.equal(restored.status, 200);
      assert.equal(restored.body.message, `Event Report ${r.id} restored`);
      assert.deepEqual(await reportsInEvent(ev.id, owner.key), ['Renamed']);

      const hard = await s.call('POST', `eventReports/delete/${r.id}/1`, {}, owner.key);
      assert.equal(hard.status, 200);
      assert.equal(hard.body.name, `Event Report ${r.id} hard deleted`);
      const gone = await s.call('GET', `eventReports/view/${r.id}`, undefined, owner.key);
      assert.equal(gone.status, 404);
      assert.equal(gone.body.message, 'Invalid report');
      assert.equal(gone.body.url, `/eventReports/view/${r.id}`);
    });

    it('hard-deletes with {"hard": 1} in the body, as PyMISP sends it, and removes reports with their event', async () => {
      const ev = await addEvent(1);
      const r = (await addReport(ev.id, { EventReport: { name: 'Wrapped', distribution: 0 } })).body.EventReport;
      assert.equal(r.name, 'Wrapped', '{"EventReport": {...}} is accepted too');
      const hard = await s.call('POST', `eventReports/delete/${r.id}`, { hard: 1 }, owner.key);
      assert.equal(hard.body.name, `Event Report ${r.id} hard deleted`);
      const r2 = (await addReport(ev.id, { name: 'Cascade' })).body.EventReport;
      assert.equal(r2.distribution, '5', 'MISP.default_attribute_distribution (inherit) when none is sent');
      assert.equal((await s.call('POST', `events/delete/${ev.id}`, {}, owner.key)).status, 200);
      assert.equal((await rawDb(s).selectFrom('event_reports').select('id').where('id', '=', Number(r2.id)).execute()).length, 0);
    });

    it('answers MISP-shaped validation failures', async () => {
      const ev = await addEvent(1);
      const noName = await addReport(ev.id, { content: 'x', distribution: 1 });
      assert.equal(noName.status, 403);
      assert.equal(noName.body.saved, false);
      assert.equal(noName.body.name, 'Could not add EventReport');
      assert.deepEqual(Object.keys(noName.body.errors), ['name']);
      const badDist = await addReport(ev.id, { name: 'x', distribution: 7 });
      assert.equal(badDist.status, 403);
      assert.match(badDist.body.errors.distribution[0], /^Options: Your organisation only/);
      const badSg = await addReport(ev.id, { name: 'x', distribution: 4, sharing_group_id: 999 });
      assert.equal(badSg.status, 403);
      assert.deepEqual(badSg.body.errors, { sharing_group_id: ['Invalid Sharing Group or not authorised.'] });
      const uuid = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
      assert.equal((await addReport(ev.id, { name: 'u', uuid: uuid.toUpperCase() })).body.EventReport.uuid, uuid);
      const dup = await addReport(ev.id, { name: 'u2', uuid });
      assert.equal(dup.status, 403);
      assert.deepEqual(dup.body.errors, { uuid: ['The UUID provided is not unique'] });
      const noEvent = await s.call('POST', 'eventReports/add', { name: 'x' }, owner.key);
      assert.equal(noEvent.status, 405);
      assert.equal(noEvent.body.message, 'No event ID set.');
      const missingEvent = await addReport('999999', { name: 'x' });
      assert.equal(missingEvent.status, 404);
      assert.equal(missingEvent.body.message, 'Invalid event');
      const r = (await addReport(ev.id, { name: 'edit me' })).body.EventReport;
      const blank = await s.call('POST', `eventReports/edit/${r.id}`, { name: '  ' }, owner.key);
      assert.equal(blank.status, 403);
      assert.equal(blank.body.name, 'Could not edit EventReport');
      const describe = await s.call('GET', `eventReports/add/${ev.id}`, undefined, owner.key);
      assert.equal(describe.status, 200);
      assert.ok(describe.body.description, 'GET add answers the API description (sync probes it, spec §6)');
    });

    it('shows a report only where its event is visible and it passes the element test (spec §4.3)', async () => {
      const community = await addEvent(1);
      const orgOnly = (await addReport(community.id, { name: 'org only', distribution: 0 })).body.EventReport;
      const inherit = (await addReport(community.id, { name: 'inherit', distribution: 5 })).body.EventReport;

      assert.deepEqual(await reportsInEvent(community.id, owner.key), ['org only', 'inherit']);
      assert.deepEqual(await reportsInEvent(community.id, other.key), ['inherit'], 'another org sees the inherited one only');
      const hidden = await s.call('GET', `eventReports/view/${orgOnly.id}`, undefined, other.key);
      assert.equal(hidden.status, 404);
      assert.equal(hidden.body.message, 'Invalid report');
      assert.equal((await s.call('GET', `eventReports/view/${orgOnly.uuid}`, undefined, other.key)).status, 404);
      const index = await s.call('GET', `eventReports/index/event_id:${community.id}`, undefined, other.key);
      assert.deepEqual(index.body.map((x: any) => x.EventReport.name), ['inherit']);
      const all = await s.call('GET', 'eventReports/index', undefined, other.key);
      assert.ok(!all.body.some((x: any) => x.EventReport.id === orgOnly.id));

      const privateEvent = await addEvent(0);
      const inPrivate = (await addReport(privateEvent.id, { name: 'in private', distribution: 3 })).body.EventReport;
      assert.equal((await s.call('GET', `eventReports/view/${inPrivate.id}`, undefined, other.key)).status, 404,
        'a report with distribution 3 in an org-only event stays with the org');

      for (const path of [`eventReports/edit/${inherit.id}`, `eventReports/delete/${inherit.id}`, `eventReports/restore/${inherit.id}`]) {
        const r = await s.call('POST', path, { name: 'hijack' }, other.key);
        assert.equal(r.status, 403, path);
        assert.equal(r.body.message, 'You do not have permission to do that.');
      }
      assert.equal((await s.call('POST', `eventReports/edit/${orgOnly.id}`, { name: 'x' }, other.key)).status, 404, 'invisible: 404, not 403');
      const foreignAdd = await addReport(community.id, { name: 'intruder' }, other.key);
      assert.equal(foreignAdd.status, 403);
      assert.equal(foreignAdd.body.message, 'You do not have permission to do that.');
      assert.equal((await addReport(privateEvent.id, { name: 'x' }, other.key)).status, 404);

      const noPerm = await addReport(community.id, { name: 'x' }, reader.key);
      assert.equal(noPerm.status, 403);
      assert.equal(noPerm.body.message, 'You do not have permission to use this functionality.');
      assert.equal((await s.call('POST', `eventReports/delete/${inherit.id}`, {}, reader.key)).status, 403);
      assert.equal((await s.call('GET', `eventReports/view/${orgOnly.id}`, undefined, reader.key)).status, 200, 'read-only users of the owner org see it');
      assert.deepEqual((await s.call('GET', `eventReports/view/${inherit.id}`, undefined, other.key)).body.EventReport.name, 'inherit');
    });

    it('lets sharing-group members see a report with distribution 4', async () => {
      const sg = (await s.call('POST', 'sharing_groups/add', { name: 'Report SG', releasability: 'r' })).body.SharingGroup;
      assert.ok(sg?.id, 'sharing group created');
      assert.equal((await s.call('POST', `sharing_groups/addOrg/${sg.id}/${owner.orgId}`)).status, 200);
      assert.equal((await s.call('POST', `sharing_groups/addOrg/${sg.id}/${other.orgId}`)).status, 200);
      const ev = await addEvent(1);
      const added = await addReport(ev.id, { name: 'for the group', distribution: 4, sharing_group_id: sg.id });
      assert.equal(added.status, 200, JSON.stringify(added.body));
      assert.equal(added.body.SharingGroup.name, 'Report SG');
      assert.deepEqual(await reportsInEvent(ev.id, other.key), ['for the group']);
      assert.deepEqual(await reportsInEvent(ev.id, third.key), []);
      assert.equal((await s.call('GET', `eventReports/view/${added.body.EventReport.id}`, undefined, third.key)).status, 404);
      const toOrgOnly = await s.call('POST', `eventReports/edit/${added.body.EventReport.id}`, { distribution: 1 }, owner.key);
      assert.equal(toOrgOnly.body.EventReport.sharing_group_id, '0', 'leaving distribution 4 clears the group');
      assert.deepEqual(await reportsInEvent(ev.id, third.key), ['for the group']);
    });

    it('stores the EventReport list of an events/add body and drops the invalid ones (Event::_add)', async () => {
      const taken = (await addReport((await addEvent(1)).id, { name: 'first holder', content: 'x' })).body.EventReport.uuid;
      const r = await s.call('POST', 'events/add', {
        info: 'event with reports', distribution: 1,
        EventReport: [
          { name: 'Initial analysis', content: '# Findings\n@[attribute](x)', distribution: 5, uuid: '0b2a7a4c-7a1f-4f59-9c5e-3a0f1e6b8d01' },
          { name: 'Deleted draft', content: 'old', deleted: true },
          { name: '', content: 'no name' },
          { name: 'bad distribution', distribution: 9 },
          { name: 'duplicate uuid', uuid: taken },
        ],
      }, owner.key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const id = r.body.Event.id;
      assert.deepEqual(r.body.Event.EventReport.map((x: any) => x.name), ['Initial analysis'], 'the answer shows the stored, non-deleted report');
      const kept = r.body.Event.EventReport[0];
      assert.equal(kept.uuid, '0b2a7a4c-7a1f-4f59-9c5e-3a0f1e6b8d01');
      assert.equal(kept.content, '# Findings\n@[attribute](x)');
      assert.equal(kept.event_id, id);
      assert.deepEqual(await reportsInEvent(id, owner.key, '/deleted:1'), ['Initial analysis', 'Deleted draft']);
      assert.deepEqual(await reportsInEvent(id, reader.key), ['Initial analysis'], 'the report inherits the event distribution');
      const searched = (await s.call('POST', 'events/restSearch', { eventid: id }, reader.key)).body.response;
      assert.deepEqual(searched[0].Event.EventReport.map((x: any) => x.name), ['Initial analysis'], 'restSearch shows reports as events/view');
      const meta = (await s.call('POST', 'events/restSearch', { eventid: id, metadata: 1 }, reader.key)).body.response;
      assert.equal(meta[0].Event.EventReport, undefined);
    });

    it('applies the EventReport list of an events/edit body: new reports added, newer ones updated (Event::_edit)', async () => {
      const ev = await addEvent(1);
      const stored = (await addReport(ev.id, { name: 'Draft', content: 'v1' })).body.EventReport;
      const elsewhere = (await addReport((await addEvent(1)).id, { name: 'Not yours', content: 'keep' })).body.EventReport;
      const ts = Number(stored.timestamp);
      const edit = (reports: unknown[]) => s.call('POST', `events/edit/${ev.id}`, { info: 'report host', EventReport: reports }, owner.key);
      assert.equal((await edit([{ uuid: stored.uuid, name: 'Draft', content: 'stale', timestamp: String(ts) }])).status, 200);
      assert.equal((await s.call('GET', `eventReports/view/${stored.id}`, undefined, owner.key)).body.EventReport.content, 'v1', 'an equal timestamp changes nothing');
      const r = await edit([
        { uuid: stored.uuid, name: 'Final', content: 'v2', timestamp: String(ts + 10) },
        { name: 'Appendix', content: 'new' },
        { uuid: elsewhere.uuid, name: 'Taken over?', content: 'no', timestamp: String(ts + 10) },
      ]);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.Event.EventReport.map((x: any) => [x.name, x.content]), [['Final', 'v2'], ['Appendix', 'new']]);
      const other = (await s.call('GET', `eventReports/view/${elsewhere.id}`, undefined, owner.key)).body.EventReport;
      assert.deepEqual([other.event_id, other.content], [elsewhere.event_id, 'keep'], "another event's report is not moved");
    });
  });
}
