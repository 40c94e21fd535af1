import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedOrgsAndSharingGroups } from '../../../test/support/acl-seed.js';
import { startTestServer, testDialects, type TestServer } from '../../../test/support/test-server.js';

/**
 * `findUserContext` (every authenticated request) reads a user, their role and their organisation in one statement:
 * it must give exactly what the three single-table reads give, column for column.
 */
for (const dialect of testDialects()) {
  describe(`${dialect}: identity store user context`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(dialect);
      await seedOrgsAndSharingGroups(s, [1, 2], {});
      // every column away from its default, so a column the joined read forgets shows as a difference
      await s.container.storage.db.insertInto('users').values({
        id: 50, email: 'analyst@org2.test', password: 'x', org_id: 2, role_id: 3, server_id: 4, authkey_hash: 'h',
        authkey_start: 'abcd', authkey_end: 'wxyz', autoalert: 1, contactalert: 1, disabled: 1, expiration: '2030-01-01 00:00:00',
        gpgkey: 'gpg', certif_public: 'cert', nids_sid: 4_000_123, termsaccepted: 1, change_pw: 1, current_login: 11,
        last_login: 12, last_api_access: 13, date_created: 14, date_modified: 15, last_pw_change: 16, invited_by: 1,
        notification_daily: 1, notification_weekly: 1, notification_monthly: 1, force_logout: 1, external_auth_required: 1,
        external_auth_key: 'ext', sub: 'sub-1',
      }).execute();
    });
    after(() => s.close());

    it('gives the user, role and organisation the single-table reads give', async () => {
      const identity = s.container.storage.identity;
      for (const id of [1, 50]) {
        const user = await identity.findUser({ id });
        assert.ok(user);
        assert.deepEqual(await identity.findUserContext(id), {
          user, role: await identity.findRole(user.roleId), org: await identity.findOrganisation({ id: user.orgId }),
        });
      }
      const analyst = await identity.findUserContext(50);
      assert.equal(analyst?.org?.name, 'org2');
      assert.equal(analyst?.role?.id, 3);
      assert.equal(analyst?.user.nidsSid, 4_000_123);
    });

    it('gives nothing for an unknown user', async () => {
      assert.equal(await s.container.storage.identity.findUserContext(9_999), undefined);
    });
  });
}
