import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/**
 * Organisations, users, roles, user settings and server settings through the HTTP API, with the requests
 * PyMISP sends (tests/testlive_comprehensive.py setUpClass, test_user, test_organisation, test_roles,
 * test_server_settings, test_user_settings).
 */
const ACL_DENIED = 'You do not have permission to use this functionality.';

interface Account { readonly id: string; readonly key: string; readonly orgId: string }

async function addOrg(s: TestServer, name: string): Promise<string> {
  const r = await s.call('POST', 'admin/organisations/add', { name });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.Organisation.id;
}

async function addUser(s: TestServer, body: Record<string, unknown>, key?: string): Promise<Account> {
  const r = await s.call('POST', 'admin/users/add', body, key);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return { id: r.body.User.id, key: r.body.User.authkey, orgId: r.body.User.org_id };
}

for (const dialect of testDialects()) {
  describe(`${dialect}: organisations, users and roles (PyMISP identity calls)`, () => {
    let s: TestServer;
    let testOrg: string;
    let usr: Account;
    before(async () => {
      s = await startTestServer(dialect);
      testOrg = await addOrg(s, 'Test Org');
    });
    after(() => s.close());

    it('runs PyMISP setUpClass: forced settings, default role, a user whose returned key works', async () => {
      assert.equal((await s.call('POST', 'servers/serverSettingsEdit/Security.allow_self_registration', { value: true, force: true })).body.message, 'Field updated');
      assert.equal((await s.call('POST', 'servers/serverSettingsEdit/debug', { value: 1, force: true })).status, 200);
      const def = await s.call('POST', 'admin/roles/set_default/3');
      assert.equal(def.body.message, 'Default role set.');
      const r = await s.call('POST', 'admin/users/add', { email: 'testusr@user.local', org_id: testOrg });
      assert.equal(r.status, 200);
      assert.equal(r.body.User.role_id, '3', 'role_id defaults to the default role');
      assert.equal(r.body.User.org_id, testOrg);
      assert.match(r.body.User.authkey, /^[A-Za-z0-9]{40}$/);
      assert.match(r.body.User.password, /^\*+$/);
      usr = { id: r.body.User.id, key: r.body.User.authkey, orgId: testOrg };
      const v = await s.call('GET', 'servers/getVersion', undefined, usr.key);
      assert.equal(v.status, 200);
      assert.equal(v.body.perm_sync, false);
      const me = await s.call('GET', 'users/view/me.json', undefined, usr.key);
      assert.equal(me.body.User.email, 'testusr@user.local');
      assert.equal(me.body.User.password, '*****');
      assert.equal('authkey' in me.body.User, false);
      assert.equal(me.body.Role.name, 'User');
      assert.equal(me.body.Organisation.name, 'Test Org');
      assert.deepEqual(me.body.UserSetting, []);
    });

    it('refuses admin/users/add without an e-mail, with a bad role or a duplicate address', async () => {
      const none = await s.call('POST', 'admin/users/add', { org_id: testOrg });
      assert.equal(none.status, 403);
      assert.equal(none.body.saved, false);
      assert.deepEqual(none.body.errors, { email: 'Mandatory field not set.' });
      assert.equal((await s.call('POST', 'admin/users/add', { email: 'x@y.local', role_id: 99 })).status, 405);
      const dup = await s.call('POST', 'admin/users/add', { email: 'TESTUSR@user.local', org_id: testOrg });
      assert.equal(dup.status, 403);
      assert.deepEqual(dup.body.errors.email, ['An account with this email address already exists.']);
      const weak = await s.call('POST', 'admin/users/add', { email: 'weak@user.local', password: 'short' });
      assert.equal(weak.status, 403);
      assert.ok(weak.body.errors.password.includes('Password length requirement not met.'));
      assert.equal((await s.call('GET', 'admin/users/add')).body.mandatory_fields[0], 'email', 'GET describes the endpoint');
    });

    it('lists, searches and filters users (test_user, test_user_search)', async () => {
      const all = await s.call('GET', 'admin/users/index');
      assert.equal(all.status, 200);
      const row = all.body.find((u: any) => u.User.email === 'testusr@user.local');
      assert.ok(row);
      assert.deepEqual(Object.keys(row).sort(), ['Organisation', 'Role', 'User']);
      assert.equal(row.Organisation.name, 'Test Org');
      assert.equal('password' in row.User || 'authkey' in row.User, false);
      const found = await s.call('GET', 'admin/users/index/value:testusr@user.local');
      assert.equal(found.body.length, 1);
      const inOrg = await s.call('GET', `admin/users/index/value:testusr@user.local/searchorg:${row.Organisation.id}`);
      assert.equal(inOrg.body.length, 1);
      assert.equal((await s.call('GET', 'admin/users/index/value:testusr@user.local/searchorg:1')).body.length, 0);
      assert.equal((await s.call('GET', 'admin/users/index/value:ORGNAME')).body[0].User.email, 'admin@admin.test');
      assert.equal((await s.call('GET', 'admin/users/index', undefined, usr.key)).status, 403, 'plain users are not admins');
    });

    it('updates users through admin/users/edit and users/edit (test_user)', async () => {
      const me = (await s.call('GET', 'users/view/me', undefined, usr.key)).body;
      const edited = await s.call('POST', `admin/users/edit/${usr.id}`, { ...me.User, email: 'foo@bar.de' });
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.equal(edited.body.User.email, 'foo@bar.de');
      assert.equal(edited.body.User.totp, null, 'the masked totp PyMISP echoes is ignored');
      const self = await s.call('POST', `users/edit/${usr.id}`, { autoalert: false, termsaccepted: true, role_id: 1, org_id: 1 }, usr.key);
      assert.equal(self.status, 200);
      assert.equal(self.body.User.autoalert, false);
      assert.equal(self.body.User.role_id, '3', 'users/edit cannot change the role');
      assert.equal(self.body.User.org_id, usr.orgId);
      assert.equal(self.body.Role.name, 'User');
      const back = await s.call('POST', `admin/users/edit/${usr.id}`, { email: 'testusr@user.local' });
      assert.equal(back.body.User.email, 'testusr@user.local');
    });

    it('changes the own password with users/change_pw (test_user_settings)', async () => {
      const u = await addUser(s, { email: 'pw@user.local', org_id: testOrg });
      const ok = await s.call('POST', 'users/change_pw', { password: 'Password1234' }, u.key);
      assert.equal(ok.status, 200);
      assert.equal(ok.body.message, 'Password Changed.');
      const same = await s.call('POST', 'users/change_pw', { password: 'Password1234' }, u.key);
      assert.equal(same.status, 403);
      assert.equal(same.body.errors, 'Submitted new password cannot be the same as the current one');
      assert.equal((await s.call('POST', 'users/change_pw', { password: 'abc' }, u.key)).status, 403);
      const row = await s.container.storage.db.selectFrom('users').select(['password', 'change_pw']).where('email', '=', 'pw@user.local').executeTakeFirstOrThrow();
      assert.equal(row.change_pw, 0);
      assert.equal(row.password.includes('Password1234'), false);
    });

    it('keeps org admins inside their organisation and below their own role', async () => {
      const otherOrg = await addOrg(s, 'Other Org');
      const orgAdmin = await addUser(s, { email: 'orgadmin@user.local', org_id: testOrg, role_id: 2 });
      const placed = await s.call('POST', 'admin/users/add', { email: 'placed@user.local', org_id: otherOrg, role_id: 3 }, orgAdmin.key);
      assert.equal(placed.status, 200);
      assert.equal(placed.body.User.org_id, testOrg, 'org_id is forced to the org admin\'s organisation');
      for (const roleId of [1, 5]) {
        const r = await s.call('POST', 'admin/users/add', { email: `escalate${roleId}@user.local`, role_id: roleId }, orgAdmin.key);
        assert.equal(r.status, 403, `role ${roleId}`);
        assert.equal(r.body.message, 'You are not authorised to assign that role to a user.');
      }
      const promote = await s.call('POST', `admin/users/edit/${placed.body.User.id}`, { role_id: 1 }, orgAdmin.key);
      assert.equal(promote.status, 403);
      assert.equal((await s.call('POST', 'admin/users/edit/1', { disabled: true }, orgAdmin.key)).status, 404, 'site admin out of reach');
      const outsider = await addUser(s, { email: 'outsider@user.local', org_id: otherOrg });
      assert.equal((await s.call('POST', `admin/users/edit/${outsider.id}`, { disabled: true }, orgAdmin.key)).status, 404);
      assert.equal((await s.call('POST', `admin/users/delete/${outsider.id}`, undefined, orgAdmin.key)).status, 404);
      const listed = await s.call('GET', 'admin/users/index', undefined, orgAdmin.key);
      assert.ok(listed.body.length >= 2);
      assert.ok(listed.body.every((u: any) => u.User.org_id === testOrg));
      assert.equal((await s.call('POST', 'admin/organisations/add', { name: 'Nope' }, orgAdmin.key)).status, 403);
      await s.call('POST', 'servers/serverSettingsEdit/MISP.disable_user_add', { value: true });
      const blocked = await s.call('POST', 'admin/users/add', { email: 'blocked@user.local' }, orgAdmin.key);
      assert.equal(blocked.status, 403);
      assert.equal(blocked.body.message, ACL_DENIED);
      await s.call('POST', 'servers/serverSettingsEdit/MISP.disable_user_add', { value: false });
    });

    it('refuses a disabled user with MISP\'s text and a deleted user altogether', async () => {
      const u = await addUser(s, { email: 'disable-me@user.local', org_id: testOrg });
      assert.equal((await s.call('POST', `admin/users/edit/${u.id}`, { disabled: true })).status, 200);
      const r = await s.call('GET', 'servers/getVersion', undefined, u.key);
      assert.equal(r.status, 403);
      assert.equal(r.body.message, 'Authentication failed. Your user account has been disabled.');
      const del = await s.call('POST', `admin/users/delete/${u.id}`);
      assert.equal(del.body.message, 'User deleted.');
      assert.equal(del.body.url, `/admin/users/delete/${u.id}`);
      assert.match((await s.call('GET', 'servers/getVersion', undefined, u.key)).body.message, /^Authentication failed\. Please make sure/);
      assert.equal((await s.call('GET', `users/view/${u.id}`)).status, 404);
    });

    it('lists, views, edits and deletes organisations (test_organisation, test_org_search)', async () => {
      const idx = await s.call('GET', 'organisations/index/scope:local');
      assert.ok(idx.body.some((o: any) => o.Organisation.name === 'ORGNAME'));
      const search = await s.call('GET', 'organisations/index/scope:local/searchall:ORGNAME');
      assert.equal(search.body.length, 1);
      assert.equal(search.body[0].Organisation.name, 'ORGNAME');
      assert.equal(search.body[0].Organisation.user_count, '1');
      const byUser = await s.call('GET', `organisations/view/${testOrg}`, undefined, usr.key);
      assert.equal(byUser.body.Organisation.name, 'Test Org');
      assert.equal('created_by' in byUser.body.Organisation, false, 'creator hidden from plain users');
      const uuid = byUser.body.Organisation.uuid;
      assert.equal((await s.call('GET', `organisations/view/${uuid}`)).body.Organisation.id, testOrg);
      assert.equal((await s.call('GET', 'organisations/view/Test+Org')).body.Organisation.id, testOrg);
      assert.equal((await s.call('HEAD', `organisations/view/${uuid}`)).status, 200);
      assert.equal((await s.call('HEAD', 'organisations/view/999')).status, 404);
      const dup = await s.call('POST', 'admin/organisations/add', { name: 'Test Org' });
      assert.equal(dup.status, 403);
      assert.deepEqual(dup.body.errors, { name: ['An organisation with this name already exists.'] });
      const renamed = await s.call('POST', `admin/organisations/edit/${uuid}`, { ...byUser.body.Organisation, name: 'blah' });
      assert.equal(renamed.status, 200);
      assert.equal(renamed.body.Organisation.name, 'blah');
      assert.equal(renamed.body.Organisation.uuid, uuid);
      const busy = await s.call('POST', `admin/organisations/delete/${testOrg}`);
      assert.equal(busy.status, 403);
      assert.equal(busy.body.message, 'Could not delete Organisation');
      const given = '1b5b9a3e-7f5c-4c9e-9a55-3cc55e2a1f01';
      const ext = await s.call('POST', 'admin/organisations/add', { name: 'Remote', uuid: given.toUpperCase(), local: false });
      assert.equal(ext.body.Organisation.uuid, given);
      assert.ok((await s.call('GET', 'organisations/index/scope:external')).body.some((o: any) => o.Organisation.uuid === given));
      assert.equal((await s.call('GET', 'organisations/index/scope:local')).body.some((o: any) => o.Organisation.uuid === given), false);
      const del = await s.call('POST', `admin/organisations/delete/${given}`);
      assert.equal(del.status, 200);
      assert.equal(del.body.message, 'Organisation deleted');
      assert.equal((await s.call('GET', `organisations/view/${given}`)).status, 404);
    });

    it('manages roles (test_roles)', async () => {
      assert.equal((await s.call('POST', 'admin/roles/set_default/4')).body.message, 'Default role set.');
      const roles = await s.call('GET', 'roles/index');
      assert.equal(roles.body.find((r: any) => r.Role.id === '4').Role.default, true);
      assert.equal(roles.body.filter((r: any) => r.Role.default).length, 1);
      await s.call('POST', 'admin/roles/set_default/3');
      const created = await s.call('POST', 'admin/roles/add', { name: 'testrole' });
      assert.equal(created.status, 200);
      assert.equal(created.body.Role.perm_sighting, false);
      assert.equal(created.body.Role.permission, '0');
      const updated = await s.call('POST', `admin/roles/edit/${created.body.Role.id}`, { ...created.body.Role, perm_sighting: true, max_execution_time: 1234 });
      assert.equal(updated.body.Role.perm_sighting, true);
      assert.equal(updated.body.Role.max_execution_time, '1234');
      const publish = await s.call('POST', `admin/roles/edit/${created.body.Role.id}`, { permission: 'publish' });
      assert.equal(publish.body.Role.perm_publish, true);
      assert.equal(publish.body.Role.perm_modify_org, true);
      assert.equal(publish.body.Role.permission, '3');
      assert.equal(publish.body.Role.perm_sighting, true, 'flags not sent are kept');
      assert.equal((await s.call('POST', 'admin/roles/add', { name: 'testrole' })).status, 403);
      assert.equal((await s.call('POST', 'admin/roles/delete/3')).body.errors, 'It is not possible to delete role that is assigned to users.');
      const del = await s.call('POST', `admin/roles/delete/${created.body.Role.id}`);
      assert.equal(del.body.message, 'Role deleted.');
      assert.equal((await s.call('POST', 'admin/roles/add', { name: 'x' }, usr.key)).status, 403);
    });

    it('reads and writes server settings (test_server_settings)', async () => {
      const all = await s.call('GET', 'servers/serverSettings');
      const max = all.body.finalSettings.find((f: any) => f.setting === 'MISP.max_correlations_per_event');
      assert.equal(max.value, 5000);
      assert.equal(all.body.finalSettings.some((f: any) => f.setting.startsWith('Cairn.')), false, 'internal values stay hidden');
      assert.equal((await s.call('POST', 'servers/serverSettingsEdit/MISP.max_correlations_per_event', { value: 10 })).body.message, 'Field updated');
      assert.equal((await s.call('GET', 'servers/getSetting/MISP.max_correlations_per_event')).body.value, 10);
      await s.call('POST', 'servers/serverSettingsEdit/MISP.max_correlations_per_event', { value: 5000 });
      assert.equal((await s.call('GET', 'servers/getSetting/MISP.live')).body.value, true);
      assert.equal((await s.call('POST', 'servers/serverSettingsEdit/MISP.live', { value: false, force: true })).body.message, 'Field updated');
      assert.equal((await s.call('GET', 'servers/getSetting/MISP.live')).body.value, false);
      await s.call('POST', 'servers/serverSettingsEdit/MISP.live', { value: true, force: true });
      assert.equal((await s.call('GET', 'servers/getSetting/MISP.live')).body.value, true);
      const unknown = await s.call('POST', 'servers/serverSettingsEdit/Plugin.Foo_bar', { value: 'x' });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.message, 'Setting Plugin.Foo_bar is invalid.');
      assert.equal((await s.call('POST', 'servers/serverSettingsEdit/Plugin.Foo_bar', { value: 'x', force: true })).status, 200);
      assert.equal((await s.call('GET', 'servers/getSetting/Plugin.Foo_bar')).body.value, 'x');
      assert.equal((await s.call('POST', 'servers/serverSettingsEdit/MISP.max_correlations_per_event', { value: 'lots' })).status, 403);
      assert.equal((await s.call('POST', 'servers/serverSettingsEdit/Cairn.secret', { value: 'x', force: true })).status, 404);
      assert.equal((await s.call('GET', 'servers/getSetting/Cairn.secret')).status, 404);
      assert.equal((await s.call('GET', 'servers/serverSettings', undefined, usr.key)).status, 403);
    });

    it('stores user settings as JSON (test_user_settings)', async () => {
      const access = await s.call('POST', 'userSettings/setSetting', { setting: 'dashboard_access', value: 1 });
      assert.equal(access.status, 200);
      assert.equal(access.body.UserSetting.value, 1);
      const filter = { 'Tag.name': 'test_publish_filter' };
      const set = await s.call('POST', 'userSettings/setSetting', { setting: 'publish_alert_filter', value: JSON.stringify(filter) });
      assert.deepEqual(set.body.UserSetting.value, filter);
      assert.equal(set.body.UserSetting.user_id, '1');
      const list = await s.call('GET', 'userSettings/index');
      assert.ok(Array.isArray(list.body) && list.body.length === 2 && 'UserSetting' in list.body[0]);
      const me = await s.call('GET', 'users/view/me');
      assert.deepEqual(me.body.UserSetting, { dashboard_access: 1, publish_alert_filter: filter });
      const got = await s.call('POST', 'userSettings/getSetting', { setting: 'publish_alert_filter' });
      assert.deepEqual(got.body.value, filter);
      assert.equal((await s.call('POST', 'userSettings/setSetting', { setting: 'dashboard_access', value: 1 }, usr.key)).status, 405, 'restricted to site admins');
      assert.equal((await s.call('POST', 'userSettings/setSetting', { setting: 'nonsense', value: 1 })).status, 405);
      assert.equal((await s.call('POST', 'userSettings/setSetting', { setting: 'homepage', value: 'not json' })).status, 403);
      const own = await s.call('POST', 'userSettings/setSetting', { setting: 'homepage', value: { path: '/events/index' }, user_id: 1 }, usr.key);
      assert.equal(own.body.UserSetting.user_id, usr.id, 'a plain user cannot write another user\'s setting');
      assert.equal((await s.call('POST', 'userSettings/getSetting', { setting: 'publish_alert_filter', user_id: 1 }, usr.key)).status, 404);
      assert.equal((await s.call('GET', 'userSettings/index', undefined, usr.key)).body.length, 1);
      const del = await s.call('POST', 'userSettings/delete', { setting: 'publish_alert_filter' });
      assert.equal(del.body.message, 'Setting deleted.');
      assert.equal((await s.call('POST', 'userSettings/getSetting', { setting: 'publish_alert_filter' })).status, 404);
    });

    it('never stores or returns passwords and keys in clear', async () => {
      const password = 'Sup3rSecretPassw0rd!';
      const r = await s.call('POST', 'admin/users/add', { email: 'secret@user.local', org_id: testOrg, password });
      const key = r.body.User.authkey as string;
      const extra = (await s.call('POST', 'auth_keys/add/me', {}, key)).body.AuthKey.authkey_raw as string;
      const answers = JSON.stringify([
        r.body, (await s.call('GET', `users/view/${r.body.User.id}`)).body, (await s.call('GET', 'admin/users/index')).body,
        (await s.call('GET', `auth_keys/index/${r.body.User.id}`)).body,
      ]);
      assert.equal(answers.includes(password), false);
      assert.equal(JSON.stringify((await s.call('GET', 'users/view/me', undefined, key)).body).includes(key), false);
      const db = s.container.storage.db;
      const rows = JSON.stringify([
        await db.selectFrom('users').selectAll().execute(), await db.selectFrom('auth_keys').selectAll().execute(),
        await db.selectFrom('settings').selectAll().execute(), await db.selectFrom('user_settings').selectAll().execute(),
      ]);
      for (const secret of [password, key, extra, s.adminKey]) assert.equal(rows.includes(secret), false, 'secret found in the database');
    });
  });
}
