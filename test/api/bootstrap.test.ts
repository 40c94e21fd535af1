import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_DATA_PACKS } from '../../src/app/config.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

for (const dialect of testDialects()) {
  describe(`${dialect}: connection bootstrap (PyMISP constructor calls)`, () => {
    let s: TestServer;
    before(async () => { s = await startTestServer(dialect); });
    after(() => s.close());

    it('reports a 2.5.x MISP version PyMISP accepts, plus Cairn\'s own', async () => {
      const r = await s.call('GET', 'servers/getVersion');
      assert.equal(r.status, 200);
      assert.match(r.body.version, /^2\.5\.\d+$/);
      assert.equal(typeof r.body.perm_sync, 'boolean');
      assert.ok(r.body.cairn_version);
      const p = await s.call('GET', 'servers/getPyMISPVersion.json');
      assert.match(p.body.version, /^\d+\.\d+\.\d+$/);
    });

    it('serves users/view/me with User, Role, UserSetting and Organisation', async () => {
      const r = await s.call('GET', 'users/view/me.json');
      assert.equal(r.status, 200);
      assert.equal(r.body.User.email, 'admin@admin.test');
      assert.equal(r.body.User.id, '1');
      assert.equal(r.body.User.password, '*****');
      assert.equal(r.body.Role.perm_site_admin, true);
      assert.ok('UserSetting' in r.body);
      assert.equal(r.body.Organisation.name, 'ORGNAME');
    });

    it('serves describeTypes equal to the data pack copy', async () => {
      const r = await s.call('GET', 'attributes/describeTypes.json');
      const expected = JSON.parse(readFileSync(join(DEFAULT_DATA_PACKS, 'pymisp/describeTypes.json'), 'utf8'));
      assert.deepEqual(r.body, expected);
    });

    it('creates MISP\'s six default roles with their ids', async () => {
      const roles = await s.container.storage.identity.listRoles();
      assert.deepEqual(roles.map((r) => [r.id, r.name]), [
        [1, 'admin'], [2, 'Org Admin'], [3, 'User'], [4, 'Publisher'], [5, 'Sync user'], [6, 'Read Only'],
      ]);
      assert.equal(roles.find((r) => r.id === 3)?.defaultRole, true);
      assert.equal(roles.find((r) => r.id === 6)?.perms.perm_add, false);
    });

    it('refuses a wrong key with MISP\'s 403 and exact message', async () => {
      const r = await s.call('GET', 'users/view/me', undefined, 'a'.repeat(40));
      assert.equal(r.status, 403);
      assert.match(r.body.message, /^Authentication failed\. Please make sure you pass the API key/);
      assert.equal(r.body.url, '/users/view/me');
    });

    it('answers 405 with MISP\'s text to invalid JSON', async () => {
      const r = await s.call('POST', 'servers/getVersion', '{not json');
      assert.equal(r.status, 405);
      assert.match(r.body.message, /^Invalid JSON input/);
    });

    it('answers 404 for an unknown controller, with the MISP envelope', async () => {
      const r = await s.call('GET', 'nosuchthing/index');
      assert.equal(r.status, 404);
      assert.deepEqual(Object.keys(r.body).sort(), ['message', 'name', 'url']);
    });
  });
}
