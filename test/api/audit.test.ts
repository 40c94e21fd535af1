import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addUserWithPassword, browse, type CookieJar, formLogin } from '../support/browser-session.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

const PASSWORD = 'Correct-Horse-Battery-9';
const NEW_PASSWORD = 'Another-Secret-Phrase-77';

interface Log { id: string; title: string; model: string; model_id: string; action: string; user_id: string; change: string; email: string; org: string; ip: string }

for (const dialect of testDialects()) {
  describe(`${dialect}: audit log (spec §1.4, §3.13)`, () => {
    let s: TestServer;
    /** Every secret that went over the wire while the actions below ran. */
    const secrets: string[] = [PASSWORD, NEW_PASSWORD];
    let orgId = '';
    let userId = '';
    let keyId = '';
    let sgId = '';

    const logs = async (filter: Record<string, unknown> = {}, key?: string): Promise<Log[]> => {
      const r = await s.call('POST', 'admin/logs/index', filter, key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.map((x: { Log: Log }) => x.Log);
    };

    before(async () => {
      s = await startTestServer(dialect);
      secrets.push(s.adminKey);
      // organisation add / edit / delete
      orgId = (await s.call('POST', 'admin/organisations/add', { name: 'Audited Org' })).body.Organisation.id;
      await s.call('POST', `admin/organisations/edit/${orgId}`, { name: 'Audited Org 2', sector: 'Energy' });
      const doomed = (await s.call('POST', 'admin/organisations/add', { name: 'Doomed Org' })).body.Organisation.id;
      await s.call('POST', `admin/organisations/delete/${doomed}`);
      // role add / edit / delete
      const roleId = (await s.call('POST', 'admin/roles/add', { name: 'Audited role', perm_add: 1 })).body.Role.id;
      await s.call('POST', `admin/roles/edit/${roleId}`, { name: 'Audited role 2' });
      await s.call('POST', `admin/roles/delete/${roleId}`);
      // user add (with a password and a key), edit (password change), delete
      const added = await addUserWithPassword(s, 'audited@audit.test', PASSWORD, 3, Number(orgId));
      userId = added.id;
      secrets.push(added.authkey);
      await s.call('POST', `admin/users/edit/${userId}`, { password: NEW_PASSWORD, contactalert: 1 });
      const victim = await addUserWithPassword(s, 'deleted@audit.test', PASSWORD, 3);
      secrets.push(victim.authkey);
      await s.call('POST', `admin/users/delete/${victim.id}`);
      // auth key add / edit / delete
      const key = (await s.call('POST', `auth_keys/add/${userId}`, { comment: 'audited key' })).body.AuthKey;
      keyId = key.id;
      secrets.push(key.authkey_raw);
      await s.call('POST', `auth_keys/edit/${keyId}`, { comment: 'audited key 2' });
      await s.call('POST', `auth_keys/delete/${keyId}`);
      // sharing group add / edit / member changes / delete
      const sg = (await s.call('POST', 'sharing_groups/add', { name: 'Audited SG', releasability: 'audit' })).body.SharingGroup;
      sgId = sg.id;
      await s.call('POST', `sharing_groups/edit/${sgId}`, { name: 'Audited SG 2' });
      await s.call('POST', `sharing_groups/addOrg/${sgId}/${orgId}`);
      await s.call('POST', `sharing_groups/removeOrg/${sgId}/${orgId}`);
      await s.call('POST', `sharing_groups/delete/${sgId}`);
      // settings, including a secret-looking one
      await s.call('POST', 'servers/serverSettingsEdit/MISP.welcome_text_top', { value: 'Audited welcome' });
      await s.call('POST', 'servers/serverSettingsEdit/Security.salt_for_tests', { value: 'SaltValueNeverLogged', force: true });
      secrets.push('SaltValueNeverLogged');
      // login, failed login, logout
      const jar: CookieJar = new Map();
      assert.equal((await formLogin(s, jar, 'audited@audit.test', NEW_PASSWORD)).status, 302);
      secrets.push(jar.get('cairn_session')!, jar.get('cairn_login')!);
      const csrf = (await browse(s, jar, 'GET', 'users/view/me', { headers: { Accept: 'application/json' } })).headers.get('x-csrf-token')!;
      secrets.push(csrf);
      await browse(s, jar, 'GET', 'users/logout');
      await formLogin(s, new Map(), 'audited@audit.test', 'Wrong-Password-123');
      secrets.push('Wrong-Password-123');
      const hashes = await s.container.storage.db.selectFrom('users').select('password').execute();
      secrets.push(...hashes.map((h) => h.password));
    });
    after(() => s.close());

    it('records every audited action with MISP\'s model, action and id', async () => {
      const all = await logs();
      const has = (model: string, action: string, id?: string) =>
        all.some((l) => l.model === model && l.action === action && (id === undefined || l.model_id === id));
      for (const action of ['add', 'edit', 'delete']) {
        assert.ok(has('Organisation', action), `Organisation ${action}`);
        assert.ok(has('Role', action), `Role ${action}`);
        assert.ok(has('User', action), `User ${action}`);
        assert.ok(has('AuthKey', action, keyId), `AuthKey ${action}`);
      }
      for (const action of ['add', 'edit', 'delete']) assert.ok(has('SharingGroup', action, sgId), `SharingGroup ${action}`);
      assert.ok(has('SharingGroupOrg', 'add', sgId) && has('SharingGroupOrg', 'delete', sgId), 'SharingGroupOrg add/delete');
      assert.match(all.find((l) => l.model === 'SharingGroup' && l.action === 'edit')!.change, /Audited SG 2/);
      assert.ok(has('Organisation', 'edit', orgId));
      assert.ok(has('Server', 'serverSettingsEdit'));
      assert.ok(has('User', 'login', userId));
      assert.ok(has('User', 'logout', userId));
      assert.ok(has('User', 'login_fail', userId));
      const edit = all.find((l) => l.model === 'Organisation' && l.action === 'edit')!;
      assert.match(edit.change, /name \(Audited Org\) => \(Audited Org 2\)/);
      assert.equal(edit.email, 'admin@admin.test');
      assert.equal(edit.org, 'ORGNAME');
      const setting = all.find((l) => l.title === 'Server setting changed' && l.change.includes('welcome_text_top'))!;
      assert.match(setting.change, /MISP\.welcome_text_top \(Initial Install, please configure\) => \(Audited welcome\)/);
      const login = all.find((l) => l.action === 'login')!;
      assert.equal(login.title, `User (${userId}): audited@audit.test`);
      assert.equal(login.email, 'audited@audit.test');
      assert.equal(login.org, 'Audited Org 2');
      assert.equal(login.ip, '127.0.0.1');
    });

    it('logs no password, key, hash, cookie or token', async () => {
      const legacy = JSON.stringify((await s.call('POST', 'admin/logs/index', {})).body);
      const audit = JSON.stringify((await s.call('GET', 'admin/audit_logs/index/limit:1000')).body);
      const rows = JSON.stringify(await s.container.storage.db.selectFrom('audit_logs').selectAll().execute());
      for (const secret of secrets) {
        assert.ok(secret && secret.length >= 8, 'a real secret');
        for (const [name, text] of [['logs', legacy], ['audit_logs', audit], ['rows', rows]] as const) {
          assert.ok(!text.includes(secret), `${name} contains a secret (${secret.slice(0, 3)}…)`);
        }
      }
      const pw = (await logs({ model: 'User', action: 'edit' })).find((l) => l.model_id === userId)!;
      assert.match(pw.change, /password \(\) => \(\*\*\*\*\*\)/);
      assert.match(pw.change, /contactalert \(false\) => \(true\)/);
    });

    it('filters admin/logs/index with % wildcards, lists, negation, limit and page', async () => {
      const orgs = await logs({ model: 'Organisation' });
      assert.ok(orgs.length >= 4 && orgs.every((l) => l.model === 'Organisation'));
      assert.ok(Number(orgs[0]!.id) > Number(orgs.at(-1)!.id), 'newest first');
      const doomed = await logs({ title: '%doomed org%' });
      assert.deepEqual(doomed.map((l) => l.action).sort(), ['add', 'delete']);
      const twoModels = await logs({ model: ['Role', 'AuthKey'] });
      assert.deepEqual([...new Set(twoModels.map((l) => l.model))].sort(), ['AuthKey', 'Role']);
      const notAdd = await logs({ model: 'Role', action: '!add' });
      assert.ok(notAdd.length >= 2 && notAdd.every((l) => l.action !== 'add'));
      const page1 = await logs({ model: 'Organisation', limit: 1, page: 1 });
      const page2 = await logs({ model: 'Organisation', limit: 1, page: 2 });
      assert.deepEqual([page1[0]!.id, page2[0]!.id], [orgs[0]!.id, orgs[1]!.id]);
      assert.equal((await logs({ created: Math.floor(Date.now() / 1000) + 3600 })).length, 0);
      assert.ok((await logs({ created: new Date().toISOString().slice(0, 10) })).length > 0);
      assert.equal((await logs({ email: 'audited@audit.test', action: 'login' })).length, 1);
    });

    it('serves admin/audit_logs/index in MISP\'s AuditLog shape', async () => {
      const r = await s.call('GET', `admin/audit_logs/index/model:Organisation:${orgId}`);
      assert.equal(r.status, 200);
      assert.ok(r.body.length >= 2);
      const row = r.body[0];
      assert.deepEqual(Object.keys(row).sort(), ['AuditLog', 'Organisation', 'User']);
      assert.equal(row.AuditLog.model, 'Organisation');
      assert.equal(row.AuditLog.model_id, orgId);
      assert.equal(row.AuditLog.request_type, '1');
      assert.equal(typeof row.AuditLog.change, 'object');
      assert.equal(row.User.email, 'admin@admin.test');
      const add = r.body.find((x: { AuditLog: { action: string } }) => x.AuditLog.action === 'add');
      assert.equal(add.AuditLog.change.name, 'Audited Org');
    });

    it('scopes logs: perm_audit required; org admins see their organisation, other users themselves', async () => {
      const roleId = (await s.call('POST', 'admin/roles/add', { name: 'No audit', perm_auth: 1, perm_audit: 0 })).body.Role.id;
      const noAudit = await addUserWithPassword(s, 'noaudit@audit.test', PASSWORD, Number(roleId), Number(orgId));
      assert.equal((await s.call('POST', 'admin/logs/index', {}, noAudit.authkey)).status, 403);
      assert.equal((await s.call('GET', 'admin/audit_logs/index', undefined, noAudit.authkey)).status, 403);

      const orgAdmin = await addUserWithPassword(s, 'orgadmin@audit.test', PASSWORD, 2, Number(orgId));
      const seen = await logs({}, orgAdmin.authkey);
      assert.ok(seen.length > 0 && seen.every((l) => l.org === 'Audited Org 2'));
      const audit = (await s.call('GET', 'admin/audit_logs/index', undefined, orgAdmin.authkey)).body;
      assert.ok(audit.length > 0 && audit.every((x: { AuditLog: { org_id: string } }) => x.AuditLog.org_id === orgId));

      const plain = await addUserWithPassword(s, 'plain@audit.test', PASSWORD, 3, Number(orgId));
      assert.equal((await s.call('POST', 'users/edit', { contactalert: 1 }, plain.authkey)).status, 200);
      const own = await logs({}, plain.authkey);
      assert.ok(own.length > 0 && own.every((l) => l.user_id === plain.id));
    });

    it('writes entries in the change\'s transaction, so a rolled-back change leaves no entry', async () => {
      const ctx = { now: Math.floor(Date.now() / 1000) };
      await assert.rejects(s.container.storage.transaction(async (tx) => {
        await tx.audit.record(ctx, { action: 'add', model: 'Organisation', modelId: 999, title: 'rolled back entry' });
        throw new Error('the change failed');
      }));
      assert.equal((await logs({ title: 'rolled back entry' })).length, 0);
      await s.container.storage.transaction((tx) => tx.audit.record(ctx, { action: 'add', model: 'Organisation', modelId: 999, title: 'committed entry' }));
      const [entry] = await logs({ title: 'committed entry' });
      assert.equal(entry?.email, 'SYSTEM');
    });
  });
}
