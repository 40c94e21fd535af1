import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { registeredActions } from '../../src/server/build-app.js';
import { addUserWithPassword, browse, type CookieJar, formLogin, formToken, setCookies } from '../support/browser-session.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

const BASE = 'https://cairn.example.test';
const PASSWORD = 'Correct-Horse-Battery-9';
const JSON_HEADERS = { Accept: 'application/json' };

for (const dialect of testDialects()) {
  describe(`${dialect}: form login, sessions and CSRF (spec §0.3)`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(dialect, { CAIRN_BASEURL: BASE });
      await addUserWithPassword(s, 'analyst@login.test', PASSWORD, 3);
      await addUserWithPassword(s, 'boss@login.test', PASSWORD, 1);
    });
    after(() => s.close());

    it('serves an accessible login form without authentication', async () => {
      const res = await browse(s, new Map(), 'GET', 'users/login');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      const html = await res.text();
      assert.match(html, /<html lang="en">/);
      assert.match(html, /<label for="UserEmail">/);
      assert.match(html, /name="data\[User\]\[email\]"/);
      assert.match(html, /<label for="UserPassword">/);
      assert.match(html, /type="password" id="UserPassword" name="data\[User\]\[password\]"/);
      assert.ok(formToken(html).length > 20);
      assert.match(html, new RegExp(`action="${BASE}/users/login"`));
    });

    it('logs in: 302 to the absolute base URL and an HttpOnly, SameSite=Lax, Secure session cookie', async () => {
      const jar: CookieJar = new Map();
      const res = await formLogin(s, jar, 'analyst@login.test', PASSWORD);
      assert.equal(res.status, 302);
      assert.equal(res.headers.get('location'), `${BASE}/`);
      const line = setCookies(res).find((c) => c.startsWith('cairn_session='));
      assert.ok(line, 'a session cookie is set');
      assert.match(line, /HttpOnly/);
      assert.match(line, /SameSite=Lax/);
      assert.match(line, /Secure/);
      assert.match(line, /Max-Age=\d+/);
      const me = await browse(s, jar, 'GET', 'users/view/me', { headers: JSON_HEADERS });
      assert.equal(me.status, 200);
      assert.equal((await me.json()).User.email, 'analyst@login.test');
      assert.ok(me.headers.get('x-csrf-token'));
      // the session id is stored hashed only
      const rows = await s.container.storage.db.selectFrom('sessions').select('id_hash').execute();
      assert.ok(rows.length >= 1);
      assert.ok(rows.every((r) => r.id_hash !== jar.get('cairn_session')));
    });

    it('sets no session cookie for a wrong password, an unknown user or a disabled user', async () => {
      const bad = await formLogin(s, new Map(), 'analyst@login.test', 'wrong-password-1A');
      assert.equal(bad.status, 200);
      assert.match(await bad.text(), /role="alert"[^>]*>Invalid username or password, try again/);
      assert.ok(!setCookies(bad).some((c) => c.startsWith('cairn_session=')));
      const unknown = await formLogin(s, new Map(), 'nobody@login.test', PASSWORD);
      assert.ok(!setCookies(unknown).some((c) => c.startsWith('cairn_session=')));
      const { id } = await addUserWithPassword(s, 'disabled@login.test', PASSWORD, 3);
      await s.call('POST', `admin/users/edit/${id}`, { disabled: true });
      const disabled = await formLogin(s, new Map(), 'disabled@login.test', PASSWORD);
      assert.ok(!setCookies(disabled).some((c) => c.startsWith('cairn_session=')));
    });

    it('refuses a login POST without the form\'s CSRF token', async () => {
      const jar: CookieJar = new Map();
      await browse(s, jar, 'GET', 'users/login');
      const res = await browse(s, jar, 'POST', 'users/login', { form: { 'data[User][email]': 'analyst@login.test', 'data[User][password]': PASSWORD } });
      assert.equal(res.status, 403);
      assert.ok(!jar.has('cairn_session'));
    });

    it('blocks the 6th attempt after 5 failures per IP and username, even with the right password', async () => {
      const email = 'victim@login.test';
      await addUserWithPassword(s, email, PASSWORD, 3);
      for (let i = 0; i < 5; i++) {
        const r = await formLogin(s, new Map(), email, `Wrong-password-${i}`);
        assert.equal(r.status, 200);
      }
      const jar: CookieJar = new Map();
      const sixth = await formLogin(s, jar, email, PASSWORD);
      assert.equal(sixth.status, 403);
      assert.match(await sixth.text(), /You have reached the maximum number of login attempts\. Please wait 300 seconds and try again\./);
      assert.ok(!jar.has('cairn_session'));
      const logs = await s.call('POST', 'admin/logs/index', { action: 'login_fail', title: `%${email}%` });
      assert.equal(logs.body.length, 5);
      assert.match(logs.body[0].Log.title, /Blocked against bruteforcing\.$/);
      // another username from the same IP is not blocked
      assert.equal((await formLogin(s, new Map(), 'analyst@login.test', PASSWORD)).status, 302);
    });

    it('re-hashes an imported MISP bcrypt password with scrypt on login', async () => {
      const { id } = await addUserWithPassword(s, 'imported@login.test', PASSWORD, 3);
      await s.container.storage.identity.updateUser(Number(id), { passwordHash: bcrypt.hashSync(PASSWORD, 4).replace(/^\$2b\$/, '$2y$') }, 0);
      assert.equal((await formLogin(s, new Map(), 'imported@login.test', PASSWORD)).status, 302);
      assert.match((await s.container.storage.identity.findPasswordHash(Number(id)))!, /^\$scrypt\$/);
    });

    it('requires the session\'s CSRF token for writes, and changes nothing without it', async () => {
      const jar: CookieJar = new Map();
      await formLogin(s, jar, 'boss@login.test', PASSWORD);
      const view = await browse(s, jar, 'GET', 'users/view/me', { headers: JSON_HEADERS });
      const token = view.headers.get('x-csrf-token')!;
      const denied = await browse(s, jar, 'POST', 'admin/organisations/add', { json: { name: 'CSRF victim org' }, headers: JSON_HEADERS });
      assert.equal(denied.status, 403);
      const wrong = await browse(s, jar, 'POST', 'admin/organisations/add', { json: { name: 'CSRF victim org' }, headers: { ...JSON_HEADERS, 'X-CSRF-Token': 'x'.repeat(43) } });
      assert.equal(wrong.status, 403);
      assert.equal(await s.container.storage.identity.findOrganisation({ name: 'CSRF victim org' }), undefined);
      const ok = await browse(s, jar, 'POST', 'admin/organisations/add', { json: { name: 'CSRF victim org' }, headers: { ...JSON_HEADERS, 'X-CSRF-Token': token } });
      assert.equal(ok.status, 200);
      const viaForm = await browse(s, jar, 'POST', 'admin/organisations/add', { form: { name: 'Form org', 'data[_Token][key]': token }, headers: JSON_HEADERS });
      assert.equal(viaForm.status, 200);
      // a key-authenticated write needs no token
      assert.equal((await s.call('POST', 'admin/organisations/add', { name: 'Key org' })).status, 200);
    });

    it('never lets a session cookie stand in for a refused, read-only or IP-bound key', async () => {
      const jar: CookieJar = new Map();
      await formLogin(s, jar, 'boss@login.test', PASSWORD);
      const token = (await browse(s, jar, 'GET', 'users/view/me', { headers: JSON_HEADERS })).headers.get('x-csrf-token')!;
      const headers = { ...JSON_HEADERS, 'X-CSRF-Token': token };
      const readOnly = (await s.call('POST', 'auth_keys/add/me', { read_only: 1 })).body.AuthKey.authkey_raw;
      const ipBound = (await s.call('POST', 'auth_keys/add/me', { allowed_ips: ['10.9.9.9/32'] })).body.AuthKey.authkey_raw;
      for (const key of [readOnly, ipBound, 'a'.repeat(40), '']) {
        const r = await browse(s, jar, 'POST', 'admin/organisations/add', { json: { name: `Bypass ${key.slice(0, 4)}` }, headers: { ...headers, Authorization: key } });
        assert.equal(r.status, 403, `key ${key.slice(0, 4)} must not fall back to the session`);
      }
      assert.equal((await s.container.storage.identity.listOrganisations({})).filter((o) => o.name.startsWith('Bypass')).length, 0);
    });

    it('logout destroys the session server-side', async () => {
      const jar: CookieJar = new Map();
      await formLogin(s, jar, 'analyst@login.test', PASSWORD);
      const stolen = jar.get('cairn_session')!;
      const out = await browse(s, jar, 'GET', 'users/logout');
      assert.equal(out.status, 302);
      assert.equal(out.headers.get('location'), `${BASE}/users/login`);
      assert.ok(!jar.has('cairn_session'));
      const replay = await browse(s, new Map([['cairn_session', stolen]]), 'GET', 'users/view/me', { headers: JSON_HEADERS });
      assert.equal(replay.status, 403);
    });

    it('ends sessions idle longer than Session.timeout', async () => {
      const jar: CookieJar = new Map();
      await formLogin(s, jar, 'analyst@login.test', PASSWORD);
      await s.container.storage.db.updateTable('sessions').set({ last_seen: Math.floor(Date.now() / 1000) - 2 * 3600 }).execute();
      assert.equal((await browse(s, jar, 'GET', 'users/view/me', { headers: JSON_HEADERS })).status, 403);
    });

    it('sends anonymous browsers to the login page and keeps MISP\'s 403 JSON for API clients', async () => {
      const page = await browse(s, new Map(), 'GET', 'events/index');
      assert.equal(page.status, 302);
      assert.equal(page.headers.get('location'), `${BASE}/users/login`);
      const home = await browse(s, new Map(), 'GET', '/');
      assert.equal(home.headers.get('location'), `${BASE}/users/login`);
      const api = await fetch(`${s.url}/events/index`, { redirect: 'manual', headers: JSON_HEADERS });
      assert.equal(api.status, 403);
      assert.match((await api.json()).message, /^Authentication failed/);
      const ext = await fetch(`${s.url}/events/index.json`, { redirect: 'manual' });
      assert.equal(ext.status, 403);
    });

    it('answers 403 to an anonymous JSON request on every non-public action', async () => {
      const actions = registeredActions(s.container.app);
      assert.ok(actions.length > 50);
      const publicOnes = actions.filter((a) => a.auth === 'none').map((a) => `${a.controller}/${a.action}`).sort();
      assert.deepEqual(publicOnes, ['users/login', 'users/logout', 'users/register']);
      for (const a of actions.filter((x) => x.auth !== 'none')) {
        const path = `${a.admin ? 'admin/' : ''}${a.controller}/${a.action}`;
        const method = a.methods.find((m) => m !== 'HEAD')!;
        const res = await fetch(`${s.url}/${path}`, {
          method, redirect: 'manual', headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
          ...(method === 'GET' ? {} : { body: '{}' }),
        });
        assert.equal(res.status, 403, `${method} ${path}`);
        assert.match((await res.json()).message, /^Authentication failed/);
      }
    });

    it('sends X-Username and X-UserOrgUUID when Security.username_in_response_header is on', async () => {
      const before = await s.call('GET', 'users/view/me');
      assert.equal(before.headers.get('x-username'), null);
      await s.call('POST', 'servers/serverSettingsEdit/Security.username_in_response_header', { value: true });
      const r = await s.call('GET', 'users/view/me');
      assert.equal(r.headers.get('x-username'), 'admin@admin.test');
      assert.equal(r.headers.get('x-userorguuid'), r.body.Organisation.uuid);
      await s.call('POST', 'servers/serverSettingsEdit/Security.username_in_response_header', { value: false });
    });
  });

  describe(`${dialect}: self-registration (users/register, spec §3.9)`, () => {
    let s: TestServer;
    before(async () => { s = await startTestServer(dialect); });
    after(() => s.close());

    const register = (body: unknown) => fetch(`${s.url}/users/register`, {
      method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'User-Agent': 'PyMISP test' }, body: JSON.stringify(body),
    });

    it('refuses registrations unless Security.allow_self_registration is on', async () => {
      const r = await register({ email: 'early@reg.test' });
      assert.equal(r.status, 405);
      assert.equal((await r.json()).message, 'Self registration is not enabled on this instance.');
    });

    it('stores, lists, accepts and discards requests as PyMISP expects (test_registrations)', async () => {
      await s.call('POST', 'servers/serverSettingsEdit/Security.allow_self_registration', { value: true });
      const org = (await s.call('POST', 'admin/organisations/add', { name: 'Test Org' })).body.Organisation;
      const pymispBody = (email: string, extra: Record<string, unknown>) => ({
        email, org_id: null, org_name: null, message: null, custom_perms: null, perm_sync: false, perm_publish: false, perm_admin: false, ...extra,
      });
      const first = await register(pymispBody('self_register@user.local', { org_uuid: org.uuid, org_name: 'Test Org' }));
      assert.equal(first.status, 200);
      assert.equal((await first.json()).saved, true);
      assert.equal((await register(pymispBody('discard@tesst.de', {}))).status, 200);
      assert.equal((await register({ message: 'no email' })).status, 400);

      const list = await s.call('GET', 'users/registrations/index');
      assert.equal(list.status, 200);
      assert.equal(list.body.length, 2);
      assert.equal(list.body[0].Inbox.data.email, 'self_register@user.local');
      assert.equal(list.body[0].Inbox.data.org_name, 'Test Org');
      assert.equal(list.body[0].Inbox.data.perm_sync, '');
      assert.equal(list.body[0].Inbox.type, 'registration');
      assert.equal(list.body[1].Inbox.data.email, 'discard@tesst.de');

      const accepted = await s.call('POST', `users/acceptRegistrations/${list.body[0].Inbox.id}`, { User: { org_id: org.id, role_id: 3, perm_sync: '' } });
      assert.equal(accepted.status, 200);
      assert.equal(accepted.body.saved, true);
      assert.equal(accepted.body.message, 'Added 1 user(s).');
      const user = await s.container.storage.identity.findUser({ email: 'self_register@user.local' });
      assert.equal(user?.orgId, Number(org.id));

      const noOrg = await s.call('POST', `users/acceptRegistrations/${list.body[1].Inbox.id}`, { User: { org_id: null, role_id: 3 } });
      assert.equal(noOrg.status, 400);
      assert.equal(noOrg.body.message, 'No organisation selected. Supply an Organisation ID');

      const discarded = await s.call('POST', `users/discardRegistrations/${list.body[1].Inbox.id}`);
      assert.equal(discarded.body.name, '1 registration(s) discarded.');
      assert.deepEqual((await s.call('GET', 'users/registrations/index')).body, []);
    });

    it('keeps registrations for site admins', async () => {
      const { authkey } = await addUserWithPassword(s, 'orgadmin@reg.test', PASSWORD, 2);
      assert.equal((await s.call('GET', 'users/registrations/index', undefined, authkey)).status, 403);
    });
  });
}
