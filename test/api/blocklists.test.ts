import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createUserWithKey } from '../support/tag-test-fixtures.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/**
 * Event and organisation blocklists (spec §3.13, §6.7): CRUD as PyMISP drives it, refusals on events/add, the
 * automatic entry when an event is deleted, the settings that switch them off, and who may manage them.
 */

type User = { key: string; userId: number; orgId: number };

for (const dialect of testDialects()) {
  describe(`${dialect}: blocklists`, () => {
    let s: TestServer;
    let outsider: User;
    let hostUser: User;

    before(async () => {
      s = await startTestServer(dialect);
      hostUser = await createUserWithKey(s, { orgName: 'ORGNAME', email: 'host@bl.test', perms: ['perm_add', 'perm_modify'] });
      outsider = await createUserWithKey(s, { orgName: 'Elsewhere', email: 'out@bl.test', perms: ['perm_add', 'perm_modify'] });
    });
    after(() => s.close());

    it('refuses an event whose uuid is blocklisted, and lets it in once the entry is removed', async () => {
      const uuid = randomUUID();
      const add = await s.call('POST', 'eventBlocklists/add', { uuids: [uuid], comment: 'bad feed' });
      assert.deepEqual(add.body.result, { successes: [uuid], fails: [] });
      assert.equal(add.body.message, 'Done. Added 1 new entries to the blocklist. 0 entries could not be saved.');
      const again = await s.call('POST', 'eventBlocklists/add', { uuids: `${uuid}\nnot-a-uuid` });
      assert.deepEqual(again.body.result, { successes: [], fails: [uuid, 'not-a-uuid'] });

      const list = await s.call('GET', 'eventBlocklists/index');
      const entry = list.body.find((e: any) => e.event_uuid === uuid);
      assert.equal(entry.comment, 'bad feed');

      const refused = await s.call('POST', 'events/add', { uuid, info: 'blocked' }, outsider.key);
      assert.equal(refused.status, 403);
      assert.equal(refused.body.message, 'Event blocked by event blocklist.');
      assert.equal((await s.call('POST', 'events/add', { uuid: uuid.toUpperCase(), info: 'blocked' }, outsider.key)).status, 403, 'case-insensitive');

      const edited = await s.call('POST', `eventBlocklists/edit/${entry.id}`, { comment: 'This is a test', event_info: 'foo', event_orgc: 'bar' });
      assert.equal(edited.body.EventBlocklist.comment, 'This is a test');
      assert.equal(edited.body.EventBlocklist.event_orgc, 'bar');
      const del = await s.call('POST', `eventBlocklists/delete/${uuid}`);
      assert.equal(del.body.success, true);
      assert.equal((await s.call('POST', 'events/add', { uuid, info: 'welcome back' }, outsider.key)).status, 200);
    });

    it('refuses events created by a blocklisted organisation', async () => {
      const org = (await s.call('GET', `organisations/view/${outsider.orgId}`)).body.Organisation;
      await s.call('POST', 'orgBlocklists/add', { uuids: org.uuid, org_name: 'Elsewhere' });
      const refused = await s.call('POST', 'events/add', { info: 'from a blocked org' }, outsider.key);
      assert.equal(refused.status, 403);
      assert.equal(refused.body.message, 'Event blocked by organisation blocklist.');
      const entry = (await s.call('GET', 'orgBlocklists/index')).body.find((e: any) => e.org_uuid === org.uuid);
      const edited = await s.call('POST', `orgBlocklists/edit/${entry.id}`, { org_name: 'bar' });
      assert.equal(edited.body.OrgBlocklist.org_name, 'bar');
      assert.equal((await s.call('POST', `orgBlocklists/delete/${entry.id}`)).body.message, 'Blocklist entry removed');
      assert.equal((await s.call('POST', 'events/add', { info: 'allowed again' }, outsider.key)).status, 200);
    });

    it('blocklists a deleted event\'s uuid, unless MISP.enableEventBlocklisting is false', async () => {
      const ev = (await s.call('POST', 'events/add', { info: 'to delete' }, hostUser.key)).body.Event;
      await s.call('POST', `events/delete/${ev.id}`, undefined, hostUser.key);
      const entry = (await s.call('GET', 'eventBlocklists/index')).body.find((e: any) => e.event_uuid === ev.uuid);
      assert.equal(entry.comment, 'Automatically blocked by deleting event');
      assert.equal(entry.event_info, 'to delete');
      assert.equal(entry.event_orgc, 'ORGNAME');
      assert.equal((await s.call('POST', 'events/add', { uuid: ev.uuid, info: 'again' }, hostUser.key)).status, 403);

      await s.call('POST', 'servers/serverSettingsEdit/MISP.enableEventBlocklisting', { value: false, force: true });
      try {
        assert.equal((await s.call('POST', 'events/add', { uuid: ev.uuid, info: 'list off' }, hostUser.key)).status, 200);
        const other = (await s.call('POST', 'events/add', { info: 'not remembered' }, hostUser.key)).body.Event;
        await s.call('POST', `events/delete/${other.id}`, undefined, hostUser.key);
        const index = await s.call('GET', 'eventBlocklists/index');
        assert.equal(index.status, 405);
      } finally {
        await s.call('POST', 'servers/serverSettingsEdit/MISP.enableEventBlocklisting', { value: true, force: true });
      }
      const after = (await s.call('GET', 'eventBlocklists/index')).body;
      assert.equal(after.some((e: any) => e.event_info === 'not remembered'), false);
    });

    it('is managed by host-org users with perm_add (events) and site admins (organisations) only', async () => {
      assert.equal((await s.call('GET', 'eventBlocklists/index', undefined, hostUser.key)).status, 200);
      const refused = await s.call('POST', 'eventBlocklists/add', { uuids: [randomUUID()] }, outsider.key);
      assert.equal(refused.status, 403);
      assert.equal(refused.body.message, 'You do not have permission to use this functionality.');
      assert.equal((await s.call('GET', 'orgBlocklists/index', undefined, hostUser.key)).status, 403);
    });
  });
}
