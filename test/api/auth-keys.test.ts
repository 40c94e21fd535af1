import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AUTH_FAILED } from '../../src/core/auth/authenticator.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/**
 * API keys end to end (spec §0.3): auth_keys/add|index|view|edit|delete, PyMISP get_new_authkey,
 * read-only, expiring and IP-bound keys, users/resetauthkey and legacy per-user keys.
 */
const ACL_DENIED = 'You do not have permission to use this functionality.';

async function newKey(s: TestServer, body: Record<string, unknown> = {}, who = 'me', key?: string): Promise<{ id: string; raw: string }> {
  const r = await s.call('POST', `auth_keys/add/${who}`, body, key);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return { id: r.body.AuthKey.id, raw: r.body.AuthKey.authkey_raw };
}

const version = (s: TestServer, key: string) => s.call('GET', 'servers/getVersion', undefined, key);

for (const dialect of testDialects()) {
  describe(`${dialect}: API keys`, () => {
    let s: TestServer;
    let userKey: string;
    let userId: string;
    before(async () => {
      s = await startTestServer(dialect);
      const u = await s.call('POST', 'admin/users/add', { email: 'keys@user.local', role_id: 3 });
      userKey = u.body.User.authkey;
      userId = u.body.User.id;
    });
    after(() => s.close());

    it('issues a key once with auth_keys/add/me (PyMISP get_new_authkey)', async () => {
      const r = await s.call('POST', 'auth_keys/add/me', {}, userKey);
      assert.equal(r.status, 200);
      const k = r.body.AuthKey;
      assert.match(k.authkey_raw, /^[A-Za-z0-9]{40}$/);
      assert.equal('authkey' in k, false, 'the hash never leaves the server');
      assert.equal(k.authkey_start, k.authkey_raw.slice(0, 4));
      assert.equal(k.authkey_end, k.authkey_raw.slice(-4));
      assert.equal(k.user_id, userId);
      assert.equal(k.expiration, '0');
      assert.equal(k.read_only, false);
      assert.equal((await version(s, k.authkey_raw)).status, 200);
      const view = await s.call('GET', `auth_keys/view/${k.id}`, undefined, userKey);
      assert.equal(view.body.User.email, 'keys@user.local');
      assert.equal('authkey_raw' in view.body.AuthKey || 'authkey' in view.body.AuthKey, false);
    });

    it('lets read-only keys read but never write', async () => {
      const ro = await newKey(s, { read_only: 1, comment: 'ro' }, 'me', userKey);
      assert.equal((await s.call('GET', 'users/view/me', undefined, ro.raw)).status, 200);
      const version = await s.call('GET', 'servers/getVersion', undefined, ro.raw);
      assert.equal(version.body.perm_sighting, false, 'write flags are cleared');
      for (const [path, body] of [['auth_keys/add/me', {}], ['userSettings/setSetting', { setting: 'homepage', value: '{}' }],
        ['users/change_pw', { password: 'AnotherPassw0rd!' }], ['users/edit/me', { autoalert: true }], ['users/resetauthkey/me', {}]] as const) {
        const r = await s.call('POST', path, body, ro.raw);
        assert.equal(r.status, 403, path);
        assert.equal(r.body.message, ACL_DENIED, path);
      }
      const adminRo = await newKey(s, { read_only: true });
      assert.equal((await s.call('GET', 'admin/users/index', undefined, adminRo.raw)).status, 403, 'even a site admin loses perm_admin');
      assert.equal((await s.call('POST', 'admin/organisations/add', { name: 'RO org' }, adminRo.raw)).status, 403);
    });

    it('refuses an expired key like an unknown one, as MISP does (AuthKey::getAuthUserByAuthKey skips expired keys)', async () => {
      const past = Math.floor(Date.now() / 1000) - 60;
      const k = await newKey(s, { expiration: past }, 'me', userKey);
      const r = await version(s, k.raw);
      assert.equal(r.status, 403);
      assert.equal(r.body.message, AUTH_FAILED);
      const soon = await newKey(s, { expiration: '2099-01-01' }, 'me', userKey);
      const ok = await version(s, soon.raw);
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('x-auth-key-expiration'), '2099-01-01T00:00:00.000Z');
      const edited = await s.call('POST', `auth_keys/edit/${soon.id}`, { expiration: past }, userKey);
      assert.equal(edited.status, 200);
      assert.equal(edited.body.AuthKey.expiration, String(past));
      assert.equal((await version(s, soon.raw)).body.message, AUTH_FAILED, 'an edit takes effect at once');
      assert.equal((await s.call('POST', 'auth_keys/add/me', { expiration: 'someday' }, userKey)).status, 403);
    });

    it('binds a key to allowed_ips', async () => {
      const remote = await newKey(s, { allowed_ips: ['10.0.0.0/8'] }, 'me', userKey);
      const r = await version(s, remote.raw);
      assert.equal(r.status, 403);
      assert.equal(r.body.message, 'It is not possible to use this Auth key from your IP address');
      const local = await newKey(s, { allowed_ips: '["127.0.0.1/32", "::1"]' }, 'me', userKey);
      assert.equal((await version(s, local.raw)).status, 200);
      const lines = await newKey(s, { allowed_ips: '192.168.0.0/16\n127.0.0.1' }, 'me', userKey);
      assert.equal((await version(s, lines.raw)).status, 200);
      const bad = await s.call('POST', 'auth_keys/add/me', { allowed_ips: ['nonsense'] }, userKey);
      assert.equal(bad.status, 403);
      assert.deepEqual(bad.body.errors, { allowed_ips: ['nonsense is not valid IP range'] });
      const widened = await s.call('POST', `auth_keys/edit/${remote.id}`, { allowed_ips: ['127.0.0.0/8'] }, userKey);
      assert.deepEqual(widened.body.AuthKey.allowed_ips, ['127.0.0.0/8']);
      assert.equal((await version(s, remote.raw)).status, 200);
    });

    it('caps new keys at Security.advanced_authkeys_validity', async () => {
      await s.call('POST', 'servers/serverSettingsEdit/Security.advanced_authkeys_validity', { value: 30 });
      try {
        const far = await s.call('POST', 'auth_keys/add/me', { expiration: '2099-01-01' }, userKey);
        assert.equal(far.status, 403);
        assert.deepEqual(far.body.errors, { expiration: ['Maximal key validity is 30 days.'] });
        const dflt = await s.call('POST', 'auth_keys/add/me', {}, userKey);
        const exp = Number(dflt.body.AuthKey.expiration);
        assert.ok(Math.abs(exp - (Math.floor(Date.now() / 1000) + 30 * 86_400)) < 60);
      } finally {
        await s.call('POST', 'servers/serverSettingsEdit/Security.advanced_authkeys_validity', { value: 0 });
      }
    });

    it('keeps keys private to their owner (and their admins)', async () => {
      const other = await s.call('POST', 'admin/users/add', { email: 'other@user.local', role_id: 3 });
      const otherKey = await newKey(s, {}, 'me', other.body.User.authkey);
      const denied = await s.call('POST', `auth_keys/add/${other.body.User.id}`, {}, userKey);
      assert.equal(denied.status, 405);
      assert.equal((await s.call('GET', `auth_keys/view/${otherKey.id}`, undefined, userKey)).status, 404);
      assert.equal((await s.call('POST', `auth_keys/delete/${otherKey.id}`, undefined, userKey)).status, 405);
      const mine = await s.call('GET', 'auth_keys/index', undefined, userKey);
      assert.ok(mine.body.length > 0 && mine.body.every((k: any) => k.User.id === userId && !('authkey' in k.AuthKey)));
      const byAdmin = await newKey(s, { comment: 'from admin' }, other.body.User.id);
      assert.equal((await version(s, byAdmin.raw)).status, 200);
      const del = await s.call('POST', `auth_keys/delete/${byAdmin.id}`);
      assert.equal(del.body.message, 'AuthKey deleted.');
      assert.equal((await version(s, byAdmin.raw)).status, 403, 'a deleted key stops working at once');
    });

    it('resets keys with users/resetauthkey', async () => {
      const u = await s.call('POST', 'admin/users/add', { email: 'reset@user.local', role_id: 3 });
      const first = u.body.User.authkey as string;
      const second = (await newKey(s, { allowed_ips: ['127.0.0.1'], comment: 'laptop' }, 'me', first)).raw;
      const r = await s.call('POST', 'users/resetauthkey/me', {}, second);
      assert.equal(r.status, 200);
      const fresh = /^Authkey updated: ([A-Za-z0-9]{40})$/.exec(r.body.message)?.[1];
      assert.ok(fresh);
      assert.equal((await version(s, second)).body.message, AUTH_FAILED, 'the key in use is retired');
      assert.equal((await version(s, first)).status, 200, 'other keys survive a reset of "me"');
      assert.equal((await version(s, fresh)).status, 200);
      const all = await s.call('POST', `users/resetauthkey/${u.body.User.id}`);
      const last = /([A-Za-z0-9]{40})$/.exec(all.body.message)![1]!;
      assert.equal((await version(s, first)).status, 403);
      assert.equal((await version(s, fresh)).status, 403);
      assert.equal((await version(s, last)).status, 200);
      assert.equal((await s.call('POST', 'users/resetauthkey/1', {}, last)).status, 405, 'not someone else\'s');
    });

    it('issues and honours legacy per-user keys when Security.advanced_authkeys is off', async () => {
      await s.call('POST', 'servers/serverSettingsEdit/Security.advanced_authkeys', { value: false });
      try {
        const keysBefore = (await s.container.storage.db.selectFrom('auth_keys').select('id').execute()).length;
        const u = await s.call('POST', 'admin/users/add', { email: 'legacy@user.local', role_id: 3 });
        const key = u.body.User.authkey as string;
        assert.equal((await version(s, key)).status, 200);
        assert.equal((await s.container.storage.db.selectFrom('auth_keys').select('id').execute()).length, keysBefore);
        const row = await s.container.storage.db.selectFrom('users').select(['authkey_hash', 'authkey_start']).where('id', '=', Number(u.body.User.id)).executeTakeFirstOrThrow();
        assert.match(row.authkey_hash, /^hmac-sha256\$/);
        assert.equal(row.authkey_start, key.slice(0, 4));
        const reset = await s.call('POST', 'users/resetauthkey/me', {}, key);
        const next = /([A-Za-z0-9]{40})$/.exec(reset.body.message)![1]!;
        assert.equal((await version(s, key)).status, 403);
        assert.equal((await version(s, next)).status, 200);
        assert.equal((await version(s, s.adminKey)).status, 200, 'existing advanced keys keep working');
      } finally {
        await s.call('POST', 'servers/serverSettingsEdit/Security.advanced_authkeys', { value: true });
      }
    });
  });
}
