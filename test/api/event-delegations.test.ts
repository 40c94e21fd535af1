import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUserWithKey } from '../support/tag-test-fixtures.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/**
 * Event delegation (EventDelegationsController, spec §3 eventDelegations, §4.2): requests, the delegate org's
 * temporary view of the event, the transfer on acceptance, and who may do what.
 */

type User = { key: string; userId: number; orgId: number };

for (const dialect of testDialects()) {
  describe(`${dialect}: event delegations`, () => {
    let s: TestServer;
    let requester: User;
    let delegate: User;
    let bystander: User;
    let plainUser: User;

    const addPrivateEvent = async () => (await s.call('POST', 'events/add', {
      info: 'to delegate', distribution: 0, Attribute: [{ type: 'ip-dst', value: '198.51.100.20', distribution: 0 }],
    }, requester.key)).body.Event;
    const delegateTo = (eventId: string, key = requester.key) =>
      s.call('POST', `eventDelegations/delegateEvent/${eventId}`, { org_id: delegate.orgId, distribution: -1, message: 'yours' }, key);

    before(async () => {
      s = await startTestServer(dialect);
      requester = await createUserWithKey(s, { orgName: 'Requester', email: 'req@del.test', perms: ['perm_add', 'perm_modify', 'perm_delegate'] });
      delegate = await createUserWithKey(s, { orgName: 'Delegate', email: 'del@del.test', perms: ['perm_add', 'perm_modify'] });
      bystander = await createUserWithKey(s, { orgName: 'Bystander', email: 'by@del.test', perms: ['perm_add'] });
      plainUser = await createUserWithKey(s, { orgName: 'Requester', email: 'plain@del.test', perms: ['perm_add', 'perm_modify'] });
    });
    after(() => s.close());

    it('is refused while MISP.delegation is off, and without perm_delegate', async () => {
      const ev = await addPrivateEvent();
      const off = await delegateTo(ev.id);
      assert.equal(off.status, 403);
      assert.equal(off.body.message, 'You do not have permission to use this functionality.');
      await s.call('POST', 'servers/serverSettingsEdit/MISP.delegation', { value: true, force: true });
      const noPerm = await delegateTo(ev.id, plainUser.key);
      assert.equal(noPerm.status, 403);
      assert.equal(noPerm.body.message, 'You do not have permission to use this functionality.');
    });

    it('lets the delegate org see the pending event, then transfers it on acceptance', async () => {
      const ev = await addPrivateEvent();
      assert.equal((await s.call('GET', `events/view/${ev.id}`, undefined, delegate.key)).status, 404);
      const r = await delegateTo(ev.id);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const d = r.body.EventDelegation;
      assert.equal(d.org_id, String(delegate.orgId));
      assert.equal(d.requester_org_id, String(requester.orgId));
      assert.equal(d.event_id, ev.id);

      const again = await delegateTo(ev.id);
      assert.equal(again.status, 405);
      assert.match(again.body.message, /already has a pending delegation request/);

      assert.equal((await s.call('GET', `events/view/${ev.id}`, undefined, delegate.key)).status, 200, 'pending: visible to the delegate');
      assert.equal((await s.call('GET', `events/view/${ev.id}`, undefined, bystander.key)).status, 404, 'never to a third org');

      const pending = await s.call('GET', 'eventDelegations', undefined, delegate.key);
      assert.deepEqual(pending.body.map((x: any) => x.EventDelegation.id), [d.id]);
      assert.equal(pending.body[0].EventDelegation.Org.name, 'Delegate');
      assert.equal(pending.body[0].EventDelegation.RequesterOrg.name, 'Requester');
      assert.equal(pending.body[0].EventDelegation.distribution, undefined, '-1 (recipient decides) is left out');
      const issued = await s.call('GET', 'eventDelegations/index/context:issued', undefined, requester.key);
      assert.deepEqual(issued.body.map((x: any) => x.EventDelegation.id), [d.id]);

      const byRequester = await s.call('POST', `eventDelegations/acceptDelegation/${d.id}`, undefined, requester.key);
      assert.equal(byRequester.status, 405);
      assert.equal(byRequester.body.message, 'You are not authorised to do that.');

      // The delegate's own org-only event with the same value, correlated while the other event was still the requester's.
      const own = (await s.call('POST', 'events/add', {
        info: 'delegate own', distribution: 0, Attribute: [{ type: 'ip-dst', value: '198.51.100.20', distribution: 0 }],
      }, delegate.key)).body.Event;
      const ok = await s.call('POST', `eventDelegations/acceptDelegation/${d.id}`, undefined, delegate.key);
      assert.equal(ok.status, 200);
      assert.equal(ok.body.message, 'Event ownership transferred.');
      const view = (await s.call('GET', `events/view/${ev.id}`, undefined, delegate.key)).body.Event;
      assert.equal(view.Org.name, 'Delegate');
      assert.equal(view.Orgc.name, 'Delegate');
      assert.equal(view.Attribute.length, 1, 'organisation-only attributes travel with the event');
      assert.equal((await s.call('GET', `events/view/${ev.id}`, undefined, requester.key)).status, 404, 'the requester gave it away');
      // The correlation rows learnt the new owner: the delegate's own org-only event now relates to the transferred one.
      const related = (await s.call('GET', `events/view/${own.id}`, undefined, delegate.key)).body.Event.RelatedEvent;
      assert.ok(related.some((r: any) => r.Event.id === ev.id), JSON.stringify(related));
      assert.deepEqual((await s.call('GET', 'eventDelegations', undefined, delegate.key)).body, []);
    });

    it('can be withdrawn by the requester; third orgs cannot touch it', async () => {
      const ev = await addPrivateEvent();
      const d = (await delegateTo(ev.id)).body.EventDelegation;
      const third = await s.call('POST', `eventDelegations/deleteDelegation/${d.id}`, undefined, bystander.key);
      assert.equal(third.status, 405);
      const r = await s.call('POST', `eventDelegations/deleteDelegation/${d.id}`, undefined, requester.key);
      assert.equal(r.body.message, 'Delegation request deleted.');
      assert.equal((await s.call('GET', `events/view/${ev.id}`, undefined, delegate.key)).status, 404);
      assert.equal((await s.call('GET', `events/view/${ev.id}`, undefined, requester.key)).body.Event.Org.name, 'Requester');
    });

    it('only delegates organisation-only events of the actor\'s own org', async () => {
      const shared = (await s.call('POST', 'events/add', { info: 'shared', distribution: 1 }, requester.key)).body.Event;
      const r = await delegateTo(shared.id);
      assert.equal(r.status, 405);
      assert.equal(r.body.message, 'Only events with the distribution setting "Your Organisation Only" can be delegated.');
      const other = (await s.call('POST', 'events/add', { info: 'not mine', distribution: 0 }, bystander.key)).body.Event;
      assert.equal((await delegateTo(other.id)).body.message, 'You are not authorised to do that.');
    });
  });
}
