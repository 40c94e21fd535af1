import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUserWithKey, rawDb } from '../support/tag-test-fixtures.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/**
 * Proposals (shadow attributes, spec §2.9, §3.8) through the real HTTP server: what PyMISP's 403 fallback sends,
 * where proposals show in events/view, and accept/discard applying or retiring them in one transaction.
 */

type User = { key: string; userId: number; orgId: number };
const PERMS = ['perm_add', 'perm_modify', 'perm_modify_org', 'perm_tagger'] as const;

for (const dialect of testDialects()) {
  describe(`${dialect}: proposals`, () => {
    let s: TestServer;
    let owner: User;
    let outsider: User;
    let stranger: User;
    let eventId: string;
    let target: { id: string; uuid: string; value: string };
    const view = async (key = owner.key) => (await s.call('GET', `events/view/${eventId}`, undefined, key)).body.Event;
    const proposals = async (key = owner.key, path = 'shadow_attributes/index') => (await s.call('GET', path, undefined, key)).body;

    before(async () => {
      s = await startTestServer(dialect);
      owner = await createUserWithKey(s, { orgName: 'ORGNAME', email: 'owner@prop.test', perms: [...PERMS] });
      outsider = await createUserWithKey(s, { orgName: 'Proposers', email: 'out@prop.test', perms: [...PERMS] });
      stranger = await createUserWithKey(s, { orgName: 'Strangers', email: 'str@prop.test', perms: [...PERMS] });
      const r = await s.call('POST', 'events/add', {
        info: 'proposals', distribution: 3, Attribute: [{ type: 'ip-dst', value: '10.0.0.1', to_ids: true }, { type: 'domain', value: 'gone.example' }],
      }, owner.key);
      eventId = r.body.Event.id;
      const a = r.body.Event.Attribute[0];
      target = { id: a.id, uuid: a.uuid, value: a.value };
    });
    after(() => s.close());

    it('answers another org\'s attributes/add with the 403 PyMISP falls back on, then takes the proposal', async () => {
      const denied = await s.call('POST', `attributes/add/${eventId}`, { type: 'ip-dst', value: '5.2.3.4' }, outsider.key);
      assert.equal(denied.status, 403);
      assert.equal(denied.body.message, 'You do not have permission to do that.');
      const r = await s.call('POST', `shadowAttributes/add/${eventId}`, { type: 'ip-dst', value: '5.2.3.4' }, outsider.key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const p = r.body.ShadowAttribute;
      assert.equal(p.value, '5.2.3.4');
      assert.equal(p.category, 'Network activity', 'default category of the type');
      assert.equal(p.old_id, '0');
      assert.equal(p.event_id, eventId);
      assert.equal(p.email, 'out@prop.test');
      assert.equal(p.deleted, false);
      const ev = await view();
      assert.deepEqual(ev.ShadowAttribute.map((x: { value: string }) => x.value), ['5.2.3.4']);
      assert.equal(ev.ShadowAttribute[0].Org.name, 'Proposers');
      assert.equal(ev.Attribute.length, 2, 'a proposal is not an attribute');
    });

    it('refuses an invalid proposal with MISP\'s 404 text and stores nothing', async () => {
      const before = (await proposals()).length;
      const r = await s.call('POST', `shadow_attributes/add/${eventId}`, { type: 'ip-dst', value: 'not an ip' }, outsider.key);
      assert.equal(r.status, 404);
      assert.match(r.body.message, /^Could not save the proposal\. Errors: \[value\]: /);
      assert.equal((await proposals()).length, before);
      const hidden = await s.call('POST', 'events/add', { info: 'private', distribution: 0 }, owner.key);
      const invisible = await s.call('POST', `shadow_attributes/add/${hidden.body.Event.id}`, { type: 'ip-dst', value: '1.1.1.1' }, outsider.key);
      assert.equal(invisible.status, 404, 'an event the proposer cannot see');
    });

    it('proposes a change: the attribute\'s own uuid and id, other fields kept, shown on the attribute', async () => {
      const r = await s.call('POST', `shadow_attributes/edit/${target.id}`, { to_ids: false }, outsider.key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const p = r.body.ShadowAttribute;
      assert.equal(p.old_id, target.id);
      assert.equal(p.uuid, target.uuid);
      assert.equal(p.value, target.value);
      assert.equal(p.to_ids, false);
      const attribute = (await view()).Attribute.find((a: { id: string }) => a.id === target.id);
      assert.deepEqual(attribute.ShadowAttribute.map((x: { to_ids: boolean }) => x.to_ids), [false]);
      assert.equal(attribute.to_ids, true, 'the attribute itself is unchanged');
      const nothing = await s.call('POST', `shadow_attributes/edit/${target.id}`, {}, outsider.key);
      assert.equal(nothing.status, 405);
      assert.equal(nothing.body.message, 'Invalid input.');
    });

    it('proposes a deletion with MISP\'s 200 replies', async () => {
      const r = await s.call('POST', `shadow_attributes/delete/${target.uuid}`, undefined, outsider.key);
      assert.deepEqual(r.body, { saved: true, success: 'The proposal to delete the attribute has been saved' });
      const missing = await s.call('POST', 'shadow_attributes/delete/999999', undefined, outsider.key);
      assert.equal(missing.status, 200);
      assert.deepEqual(missing.body, { false: true, errors: 'Invalid Attribute.' });
    });

    it('lists what the reader may see, per event, with org and uuids', async () => {
      const all = await proposals(outsider.key);
      assert.deepEqual(all.map((x: { ShadowAttribute: { value: string } }) => x.ShadowAttribute.value), ['5.2.3.4', target.value, target.value]);
      const change = all[1].ShadowAttribute;
      assert.equal(change.old_uuid, target.uuid);
      assert.equal(change.Org.name, 'Proposers');
      assert.equal(all[2].ShadowAttribute.proposal_to_delete, true);
      assert.equal((await proposals(owner.key, `shadow_attributes/index/${eventId}`)).length, 3);
      assert.equal((await proposals(owner.key, 'shadowAttributes/index/999999')).length, 0);
      const withProposal = await s.call('POST', 'events/index', { hasproposal: 1 }, owner.key);
      assert.deepEqual(withProposal.body.map((e: { id: string }) => e.id), [eventId]);
      const without = await s.call('POST', 'events/index', { hasproposal: 0 }, owner.key);
      assert.ok(!without.body.some((e: { id: string }) => e.id === eventId));
      const id = all[0].ShadowAttribute.id;
      const one = await s.call('GET', `shadow_attributes/view/${id}`, undefined, stranger.key);
      assert.equal(one.body.ShadowAttribute.value, '5.2.3.4', 'the event is public, so is its proposal');
    });

    it('hides proposals of events the reader cannot see', async () => {
      const hidden = await s.call('POST', 'events/add', { info: 'private', distribution: 0, Attribute: [{ type: 'ip-dst', value: '7.7.7.7' }] }, owner.key);
      const p = await s.call('POST', `shadow_attributes/add/${hidden.body.Event.id}`, { type: 'ip-dst', value: '8.8.8.8' }, owner.key);
      assert.equal(p.status, 200);
      assert.equal((await s.call('GET', `shadow_attributes/view/${p.body.ShadowAttribute.id}`, undefined, stranger.key)).status, 404);
      assert.ok(!(await proposals(stranger.key)).some((x: { ShadowAttribute: { value: string } }) => x.ShadowAttribute.value === '8.8.8.8'));
    });

    it('lets only those who may modify the event accept', async () => {
      const [newOne] = await proposals(owner.key, `shadow_attributes/index/${eventId}`);
      const r = await s.call('POST', `shadow_attributes/accept/${newOne.ShadowAttribute.id}`, undefined, outsider.key);
      assert.equal(r.status, 405);
      assert.equal(r.body.message, 'Proposal not found or you are not authorised to accept it.');
      assert.equal((await view()).Attribute.length, 2);
    });

    it('accepts a new-attribute proposal: an attribute with its uuid, distribution 5, the event unpublished', async () => {
      await s.call('POST', `events/publish/${eventId}`);
      const [newOne] = await proposals(owner.key, `shadow_attributes/index/${eventId}`);
      const r = await s.call('POST', `shadow_attributes/accept/${newOne.ShadowAttribute.uuid}`, undefined, owner.key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.message, 'Proposal accepted.');
      const ev = await view();
      const created = ev.Attribute.at(-1);
      assert.equal(created.value, '5.2.3.4');
      assert.equal(created.uuid, newOne.ShadowAttribute.uuid);
      assert.equal(created.distribution, '5');
      assert.equal(ev.published, false);
      assert.equal(ev.attribute_count, '3');
      assert.deepEqual(ev.ShadowAttribute, [], 'accepted proposals leave events/view');
      const listed = (await proposals()).find((x: { ShadowAttribute: { id: string } }) => x.ShadowAttribute.id === newOne.ShadowAttribute.id);
      assert.equal(listed.ShadowAttribute.deleted, true, 'the REST index keeps retired proposals');
      assert.equal((await s.call('POST', `shadow_attributes/accept/${newOne.ShadowAttribute.id}`, undefined, owner.key)).status, 405);
    });

    it('accepts a change by the attribute uuid it shares, then the deletion', async () => {
      const r = await s.call('POST', `shadow_attributes/accept/${target.uuid}`, undefined, owner.key);
      assert.equal(r.body.message, 'Proposed change accepted.');
      const changed = await s.call('GET', `attributes/view/${target.id}`, undefined, owner.key);
      assert.equal(changed.body.Attribute.to_ids, false);
      const del = await s.call('POST', `shadow_attributes/accept/${target.uuid}`, undefined, owner.key);
      assert.equal(del.body.message, 'Proposed change accepted.');
      const ev = (await s.call('GET', `events/view/${eventId}/deleted:1`, undefined, owner.key)).body.Event;
      assert.equal(ev.Attribute.find((a: { id: string }) => a.id === target.id).deleted, true);
    });

    it('refuses to accept a proposal that would duplicate an attribute and writes nothing', async () => {
      const p = await s.call('POST', `shadow_attributes/add/${eventId}`, { type: 'domain', value: 'gone.example' }, outsider.key);
      const r = await s.call('POST', `shadow_attributes/accept/${p.body.ShadowAttribute.id}`, undefined, owner.key);
      assert.equal(r.status, 405);
      assert.equal(r.body.message, 'A similar attribute already exists for this event.');
      assert.equal((await view()).ShadowAttribute.length, 1, 'still pending');
    });

    it('discards: the author or the event owner may, others not', async () => {
      const pending = (await view()).ShadowAttribute[0];
      const denied = await s.call('POST', `shadow_attributes/discard/${pending.id}`, undefined, stranger.key);
      assert.equal(denied.status, 405);
      const r = await s.call('POST', `shadow_attributes/discard/${pending.id}`, undefined, outsider.key);
      assert.deepEqual(r.body, { name: 'Proposal discarded.', message: 'Proposal discarded.', url: `/shadow_attributes/discard/${pending.id}` });
      assert.deepEqual((await view()).ShadowAttribute, []);
      assert.equal((await s.call('GET', `shadow_attributes/view/${pending.id}`, undefined, owner.key)).status, 404);
    });

    it('drops change proposals with their attribute on hard delete', async () => {
      const a = (await view()).Attribute.find((x: { value: string }) => x.value === 'gone.example');
      await s.call('POST', `shadow_attributes/edit/${a.id}`, { comment: 'please' }, outsider.key);
      const before = await rawDb(s).selectFrom('shadow_attributes').select('id').execute();
      await s.call('POST', `attributes/delete/${a.id}/1`, undefined, owner.key);
      const afterRows = await rawDb(s).selectFrom('shadow_attributes').select('id').execute();
      assert.equal(afterRows.length, before.length - 1);
    });
  });
}
