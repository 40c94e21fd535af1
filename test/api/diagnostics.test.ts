import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { registeredActions } from '../../src/server/build-app.js';
import { createUserWithKey } from '../support/tag-test-fixtures.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/** Administrators' self-checks: events/queryACL (PyMISP remote_acl) and servers/dbSchemaDiagnostic. */
for (const dialect of testDialects()) {
  describe(`${dialect}: diagnostics`, () => {
    let s: TestServer;
    before(async () => { s = await startTestServer(dialect); });
    after(() => s.close());

    it('queryACL finds no action without an ACL rule and lists what each role may reach', async () => {
      assert.deepEqual((await s.call('GET', 'events/queryACL/findMissingFunctionNames')).body, []);
      const all = (await s.call('GET', 'events/queryACL/printAllFunctionNames')).body;
      assert.equal(Object.values(all).flat().length, registeredActions(s.container.app).length);
      const readOnly = (await s.call('GET', 'events/queryACL/printRoleAccess/6')).body['6'];
      assert.equal(readOnly.name, 'Read Only');
      assert.ok(readOnly.urls.includes('/events/view'));
      assert.ok(!readOnly.urls.includes('/events/add'), 'the read-only role cannot add events');
      assert.equal((await s.call('GET', 'events/queryACL/printRoleAccess/999')).status, 404);
      assert.equal((await s.call('GET', 'events/queryACL/rm')).status, 405);
    });

    it('dbSchemaDiagnostic reports the applied and the expected schema version', async () => {
      const d = (await s.call('GET', 'servers/dbSchemaDiagnostic')).body;
      assert.equal(d.actual_db_version, d.expected_db_version);
      assert.match(d.actual_db_version, /^\d{4}-/);
      assert.deepEqual(d.pending_migrations, []);
    });

    it('both are for site admins only', async () => {
      const user = await createUserWithKey(s, { orgName: 'Diag Org', email: 'diag@diag.test', perms: ['perm_admin'] });
      assert.equal((await s.call('GET', 'events/queryACL/printAllFunctionNames', undefined, user.key)).status, 403);
      assert.equal((await s.call('GET', 'servers/dbSchemaDiagnostic', undefined, user.key)).status, 403);
    });
  });
}
