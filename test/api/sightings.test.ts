import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createUserWithKey } from '../support/tag-test-fixtures.js';
import { holdTransaction } from '../support/held-transaction.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/**
 * sightings/add and the per-attribute `Sighting` lists of events/view (spec §2.7, §3.6, §4.3) through the real
 * HTTP server, under the default Plugin.Sightings_policy 0.
 */

type User = { key: string; userId: number; orgId: number };

for (const dialect of testDialects()) {
  describe(`${dialect}: sightings`, () => {
    let s: TestServer;
    let owner: User;
    let other: User;
    let reader: User;
    let eventId: string;
    let attr: { id: string; uuid: string };
    const sightingsOf = async (key: string, extra = '') => {
      const ev = (await s.call('GET', `events/view/${eventId}${extra}`, undefined, key)).body.Event;
      return ev.Attribute.find((a: { id: string }) => a.id === attr.id).Sighting as Array<Record<string, any>> | undefined;
    };

    before(async () => {
      s = await startTestServer(dialect);
      owner = await createUserWithKey(s, { orgName: 'ORGNAME', email: 'owner@sight.test', perms: ['perm_add', 'perm_modify', 'perm_sighting'] });
      other = await createUserWithKey(s, { orgName: 'Sighters', email: 'other@sight.test', perms: ['perm_sighting'] });
      reader = await createUserWithKey(s, { orgName: 'Readers', email: 'reader@sight.test', perms: [] });
      const r = await s.call('POST', 'events/add', {
        info: 'sightings', distribution: 3, Attribute: [{ type: 'ip-dst', value: '203.0.113.9' }, { type: 'domain', value: 'Seen.Example' }],
      }, owner.key);
      eventId = r.body.Event.id;
      attr = r.body.Event.Attribute[0];
    });
    after(() => s.close());

    it('sights every visible attribute with the value and returns the sighting', async () => {
      const r = await s.call('POST', 'sightings/add', { value: '203.0.113.9' }, other.key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const sg = r.body.Sighting;
      assert.equal(sg.attribute_id, attr.id);
      assert.equal(sg.event_id, eventId);
      assert.equal(sg.org_id, String(other.orgId));
      assert.equal(sg.type, '0');
      assert.match(sg.date_sighting, /^\d+$/);
      const seen = await sightingsOf(other.key);
      assert.equal(seen?.length, 1);
      assert.equal(seen![0]!.attribute_uuid, attr.uuid);
      assert.equal(seen![0]!.Organisation.name, 'Sighters');
      assert.equal(await sightingsOf(other.key, '/noSightings:1'), undefined, 'noSightings:1 leaves them out');
    });

    it('matches values case-insensitively and takes the attribute by path or body id/uuid', async () => {
      const byValue = await s.call('POST', 'sightings/add', { values: ['seen.example'] }, owner.key);
      assert.equal(byValue.body.Sighting.event_id, eventId);
      const byPath = await s.call('POST', `sightings/add/${attr.uuid}`, { type: 1, source: ' honeypot ' }, owner.key);
      assert.equal(byPath.body.Sighting.type, '1');
      assert.equal(byPath.body.Sighting.source, 'honeypot');
      const byBody = await s.call('POST', 'sightings/add', { id: attr.id, timestamp: 1_700_000_000 }, owner.key);
      assert.equal(byBody.body.Sighting.date_sighting, '1700000000');
    });

    it('shows other orgs only their own sightings of an event (policy 0); the owner sees all', async () => {
      assert.equal((await sightingsOf(owner.key))?.length, 3);
      const mine = await sightingsOf(other.key);
      assert.deepEqual(mine?.map((x) => x.org_id), [String(other.orgId)]);
      assert.equal(await sightingsOf(reader.key), undefined);
    });

    it('keeps one expiration per org and attribute', async () => {
      await s.call('POST', `sightings/add/${attr.id}`, { type: 2 }, other.key);
      await s.call('POST', `sightings/add/${attr.id}`, { type: 2 }, other.key);
      const expirations = (await sightingsOf(other.key))?.filter((x) => x.type === '2');
      assert.equal(expirations?.length, 1);
    });

    it('keeps one expiration when another request replaces it at the same moment', async () => {
      // what sightings/add does for type 2, with the first transaction held open after its insert
      const first = await holdTransaction(s.container.storage, async (tx) => {
        await tx.sightings.deleteOrgSightingsOfType(other.orgId, 2, [Number(attr.id)]);
        await tx.sightings.insert([{
          uuid: randomUUID(), attributeId: Number(attr.id), eventId: Number(eventId), orgId: other.orgId, dateSighting: 1_700_000_100,
          source: 'held', type: 2,
        }]);
      });
      const second = s.call('POST', `sightings/add/${attr.id}`, { type: 2, source: 'parallel' }, other.key);
      setTimeout(first.release, 100);
      const [, r] = await Promise.all([first.committed, second]);
      assert.equal(r.status, 200, r.text);
      const expirations = (await sightingsOf(other.key))?.filter((x) => x.type === '2');
      assert.deepEqual(expirations?.map((x) => x.source), ['parallel']);
    });

    it('answers failures with HTTP 200 and MISP\'s message', async () => {
      const none = await s.call('POST', 'sightings/add', { value: '198.51.100.200' }, other.key);
      assert.equal(none.status, 200);
      assert.deepEqual(none.body, { message: 'Could not add the Sighting. Reason: No valid attributes found that match the criteria.' });
      const badType = await s.call('POST', 'sightings/add', { value: '203.0.113.9', type: 5 }, other.key);
      assert.equal(badType.body.message, 'Could not add the Sighting. Reason: Invalid type, please change it before you POST 1000000 sightings.');
      const empty = await s.call('POST', 'sightings/add', {}, other.key);
      assert.equal(empty.body.message, 'Could not add the Sighting. Reason: No valid attributes found.');
    });

    it('takes a value as it is: % and _ are no wildcards, and a value longer than any stored one matches none', async () => {
      for (const value of ['203.0.113.%', '203.0.113._', '%', 'x'.repeat(70_000)]) {
        const r = await s.call('POST', 'sightings/add', { value }, other.key);
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(r.body, { message: 'Could not add the Sighting. Reason: No valid attributes found that match the criteria.' }, value.slice(0, 20));
      }
    });

    it('does not sight attributes the user cannot see', async () => {
      const hidden = await s.call('POST', 'events/add', { info: 'private', distribution: 0, Attribute: [{ type: 'ip-dst', value: '192.0.2.77' }] }, owner.key);
      const r = await s.call('POST', 'sightings/add', { value: '192.0.2.77' }, other.key);
      assert.match(r.body.message, /No valid attributes found that match the criteria/);
      const ev = (await s.call('GET', `events/view/${hidden.body.Event.id}`, undefined, owner.key)).body.Event;
      assert.equal(ev.Attribute[0].Sighting, undefined);
    });

    it('needs perm_sighting', async () => {
      const r = await s.call('POST', 'sightings/add', { value: '203.0.113.9' }, reader.key);
      assert.equal(r.status, 403);
    });
  });
}
