import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeDataPack, type TempDataPack } from '../support/knowledge-pack-fixture.js';
import { createUserWithKey } from '../support/tag-test-fixtures.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/**
 * attributes/add with `enforceWarninglist` (MispAttribute::captureAttribute; PyMISP's test_simple_event adds
 * `ip-src 8.8.8.8` this way): a value on an enabled warninglist is refused with MISP's message.
 */

const WARNINGLISTED = 'Attribute could not be saved as it trips over a warninglist and enforceWarninglist is enforced.';

for (const dialect of testDialects()) {
  describe(`${dialect}: attributes/add enforceWarninglist`, () => {
    let s: TestServer;
    let pack: TempDataPack;
    let user: { key: string };
    let eventId: string;

    before(async () => {
      pack = makeDataPack({ warninglists: ['rfc1918'] });
      s = await startTestServer(dialect, { CAIRN_DATA_PACKS: pack.dir });
      user = await createUserWithKey(s, { orgName: 'ORGNAME', email: 'wl@attr.test', perms: ['perm_add', 'perm_modify'] });
      await s.call('POST', 'warninglists/update');
      const lists = (await s.call('GET', 'warninglists/index')).body.Warninglists;
      await s.call('POST', 'warninglists/toggleEnable', { id: lists.map((w: { Warninglist: { id: string } }) => w.Warninglist.id), enabled: true });
      eventId = (await s.call('POST', 'events/add', { info: 'warninglist' }, user.key)).body.Event.id;
    });
    after(async () => {
      await s.close();
      pack.remove();
    });

    it('refuses a listed value flagged on the attribute, with the message as the errors', async () => {
      const r = await s.call('POST', `attributes/add/${eventId}`, { type: 'ip-src', value: '10.1.2.3', enforceWarninglist: true }, user.key);
      assert.equal(r.status, 403);
      assert.equal(r.body.errors, WARNINGLISTED);
    });

    it('refuses per attribute with the named parameter and keeps the others', async () => {
      const r = await s.call('POST', `attributes/add/${eventId}/enforceWarninglist:1`, [
        { type: 'ip-src', value: '192.168.1.1' }, { type: 'ip-src', value: '203.0.113.5' },
      ], user.key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.Attribute.value, '203.0.113.5');
      assert.deepEqual(r.body.errors, { attribute_0: WARNINGLISTED });
    });

    it('saves a listed value when not enforced', async () => {
      const r = await s.call('POST', `attributes/add/${eventId}`, { type: 'ip-src', value: '10.1.2.3' }, user.key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
    });
  });
}
