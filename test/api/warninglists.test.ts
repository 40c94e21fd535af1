import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_DATA_PACKS } from '../../src/app/config.js';
import { makeDataPack, type TempDataPack } from '../support/knowledge-pack-fixture.js';
import { createUserWithKey } from '../support/tag-test-fixtures.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/** Warninglists over HTTP (spec §3.12, §9.1), following PyMISP's test_warninglists and MISP's WarninglistsController. */

const listJson = (dir: string) => JSON.parse(readFileSync(join(DEFAULT_DATA_PACKS, 'warninglists', 'lists', dir, 'list.json'), 'utf8'));
const FLORIAN = 'List of known hashes with common false-positives (based on Florian Roth input list)';
const EMPTY_MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const SMALL_PACK = ['common-ioc-false-positive', 'empty-hashes', 'rfc1918', 'ipv6-linklocal', 'url-shortener', 'disposable-email', 'common-contact-emails'];

for (const dialect of testDialects()) {
  describe(`${dialect}: warninglists API`, () => {
    let s: TestServer;
    let pack: TempDataPack;
    let user: { key: string };
    let byName: Record<string, string>;

    before(async () => {
      pack = makeDataPack({ warninglists: SMALL_PACK });
      s = await startTestServer(dialect, { CAIRN_DATA_PACKS: pack.dir });
      user = await createUserWithKey(s, { orgName: 'TestOrg', email: 'user@test.org', perms: ['perm_add', 'perm_modify'] });
    });
    after(async () => {
      await s.close();
      pack.remove();
    });

    const check = async (values: unknown, key?: string) => {
      const r = await s.call('POST', 'warninglists/checkValue', values, key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body;
    };

    it('installs the pack lists on update, disabled, then reports them up to date', async () => {
      const r = await s.call('POST', 'warninglists/update');
      assert.equal(r.body.name, `Successfully updated ${SMALL_PACK.length} warninglists.`);
      const again = await s.call('POST', 'warninglists/update');
      assert.equal(again.body.name, 'All warninglists are up to date already.');
      assert.equal((await s.call('GET', 'warninglists/update')).status, 405);
    });

    it('lists warninglists newest first with entry counts and valid attributes', async () => {
      const r = await s.call('GET', 'warninglists/index');
      assert.equal(r.status, 200);
      const rows = r.body.Warninglists.map((x: any) => x.Warninglist);
      assert.equal(rows.length, SMALL_PACK.length);
      assert.deepEqual(rows.map((w: any) => Number(w.id)), rows.map((w: any) => Number(w.id)).sort((a: number, b: number) => b - a));
      byName = Object.fromEntries(rows.map((w: any) => [w.name, w.id]));
      const rfc = rows.find((w: any) => w.name === 'List of RFC 1918 CIDR blocks');
      assert.equal(rfc.type, 'cidr');
      assert.equal(rfc.enabled, false);
      assert.equal(rfc.default, true);
      assert.equal(rfc.category, 'false_positive');
      assert.equal(rfc.version, String(listJson('rfc1918').version));
      assert.equal(rfc.warninglist_entry_count, String(listJson('rfc1918').list.length));
      assert.equal(rfc.valid_attributes, listJson('rfc1918').matching_attributes.join(', '));
      const search = await s.call('GET', 'warninglists/index/value:RFC 1918');
      assert.deepEqual(search.body.Warninglists.map((x: any) => x.Warninglist.name), ['List of RFC 1918 CIDR blocks']);
      assert.deepEqual((await s.call('GET', 'warninglists/index/enabled:1')).body, { Warninglists: [] });
    });

    it('views a list with its entries and types inside the Warninglist object', async () => {
      const r = await s.call('GET', `warninglists/view/${byName[FLORIAN]}`);
      assert.equal(r.body.Warninglist.name, FLORIAN);
      assert.equal(r.body.Warninglist.WarninglistEntry.length, listJson('common-ioc-false-positive').list.length);
      assert.deepEqual(Object.keys(r.body.Warninglist.WarninglistEntry[0]).sort(), ['comment', 'id', 'value', 'warninglist_id']);
      assert.deepEqual(r.body.Warninglist.WarninglistType.map((t: any) => t.type), listJson('common-ioc-false-positive').matching_attributes);
      assert.equal((await s.call('GET', 'warninglists/view/9999')).status, 404);
      assert.equal((await s.call('GET', 'warninglists/view/abc')).body.message, 'Invalid ID.');
    });

    it('enables and disables lists by id or name with MISP replies', async () => {
      const en = await s.call('POST', 'warninglists/toggleEnable', { id: [byName[FLORIAN]], enabled: true });
      assert.deepEqual(en.body, { saved: true, success: '1 warninglist(s) enabled' });
      const byNames = await s.call('POST', 'warninglists/toggleEnable', {
        name: ['list of rfc 1918 cidr blocks', 'List of IPv6 link local blocks', 'Common contact e-mail addresses', 'List of disposable email domains'], enabled: 1,
      });
      assert.deepEqual(byNames.body, { saved: true, success: '4 warninglist(s) enabled' });
      const toggled = await s.call('POST', 'warninglists/toggleEnable', { id: [byName['List of known hashes for empty files'], byName[listJson('url-shortener').name]] });
      assert.deepEqual(toggled.body, { saved: true, success: '2 warninglist(s) toggled' });
      const none = await s.call('POST', 'warninglists/toggleEnable', { id: [] });
      assert.deepEqual(none.body, { saved: false, errors: 'Warninglist not found.' });
      const missing = await s.call('POST', 'warninglists/toggleEnable', { id: 9999 });
      assert.deepEqual(missing.body, { saved: false, errors: 'Warninglist(s) not found.' });
      const get = await s.call('GET', 'warninglists/toggleEnable');
      assert.deepEqual(get.body, { saved: false, errors: 'This function only accepts POST requests.' });
      const denied = await s.call('POST', 'warninglists/toggleEnable', { id: [byName[FLORIAN]] }, user.key);
      assert.equal(denied.status, 403);
      const enabled = (await s.call('GET', 'warninglists/index/enabled:1')).body.Warninglists.length;
      assert.equal(enabled, 7);
    });

    it('checks values against every enabled list, for any user', async () => {
      const r = await check([EMPTY_MD5, '10.1.2.3 ', 'fe80::abcd', 'bob@mailinator.com', 'abuse@example.com', '8.8.8.8'], user.key);
      assert.deepEqual(r[EMPTY_MD5].map((h: any) => h.name).sort(), [FLORIAN, 'List of known hashes for empty files'].sort());
      assert.equal(r[EMPTY_MD5][0].matched, EMPTY_MD5);
      assert.match(r[EMPTY_MD5][0].id, /^\d+$/);
      assert.deepEqual(r['10.1.2.3'], [{ id: byName['List of RFC 1918 CIDR blocks'], name: 'List of RFC 1918 CIDR blocks', matched: '10.0.0.0/8' }]);
      assert.deepEqual(r['fe80::abcd'].map((h: any) => h.matched), ['fe80::/10']);
      assert.deepEqual(r['bob@mailinator.com'].map((h: any) => h.matched), ['mailinator.com']);
      assert.equal(r['abuse@example.com'][0].name, 'Common contact e-mail addresses');
      assert.equal(r['8.8.8.8'], undefined);
      const shortener = listJson('url-shortener').list[0];
      const sub = await check({ Warninglist: [`https://x.${shortener}/abc`] });
      assert.equal(sub[`https://x.${shortener}/abc`][0].matched, shortener, 'sub-domains of a hostname entry match');
      assert.deepEqual(await check(['nothing to see']), []);
      const empty = await s.call('POST', 'warninglists/checkValue', []);
      assert.equal(empty.status, 404);
      assert.equal(empty.body.message, 'No valid data received.');
    });

    it('stops matching a list once it is disabled', async () => {
      const off = await s.call('POST', 'warninglists/toggleEnable', { id: byName[FLORIAN], enabled: false });
      assert.deepEqual(off.body, { saved: true, success: '1 warninglist(s) disabled' });
      const r = await check([EMPTY_MD5]);
      assert.deepEqual(r[EMPTY_MD5].map((h: any) => h.name), ['List of known hashes for empty files']);
    });

    it('upgrades a list whose pack version grew, keeping its id and enabled state, and rebuilds the matcher', async () => {
      const rfc = listJson('rfc1918');
      rfc.version += 1;
      rfc.list.push('100.64.0.0/10');
      pack.write('warninglists/lists/rfc1918/list.json', JSON.stringify(rfc));
      pack.write('warninglists/lists/broken/list.json', '{"name": ');
      const r = await s.call('POST', 'warninglists/update');
      assert.equal(r.body.name, 'Successfully updated 1 warninglists. However, could not update 1 warninglists.');
      const view = (await s.call('GET', `warninglists/view/${byName['List of RFC 1918 CIDR blocks']}`)).body.Warninglist;
      assert.equal(view.version, String(rfc.version));
      assert.equal(view.enabled, true);
      assert.equal(view.WarninglistEntry.length, rfc.list.length);
      const hit = await check(['100.64.1.1']);
      assert.equal(hit['100.64.1.1'][0].matched, '100.64.0.0/10');
    });
  });
}

for (const dialect of testDialects()) {
  describe(`${dialect}: warninglists, the full shared pack`, () => {
    let s: TestServer;
    before(async () => { s = await startTestServer(dialect); });
    after(() => s.close());

    it('imports every list of the real pack once, enables them all and checks values against them', async (t) => {
      const started = performance.now();
      const r = await s.call('POST', 'warninglists/update');
      const importMs = Math.round(performance.now() - started);
      assert.match(r.body.name, /^Successfully updated \d+ warninglists\.$/, r.body.name);
      const lists = (await s.call('GET', 'warninglists/index')).body.Warninglists;
      const entries = lists.reduce((n: number, w: any) => n + Number(w.Warninglist.warninglist_entry_count), 0);
      await s.call('POST', 'warninglists/toggleEnable', { id: lists.map((w: any) => w.Warninglist.id), enabled: true });
      const checkStarted = performance.now();
      const hits = (await s.call('POST', 'warninglists/checkValue', [EMPTY_MD5, '8.8.8.8', 'www.google.com'])).body;
      const firstCheckMs = Math.round(performance.now() - checkStarted);
      assert.ok(hits[EMPTY_MD5].some((h: any) => h.name === FLORIAN));
      assert.ok(hits['8.8.8.8'].some((h: any) => h.name === 'List of known IPv4 public DNS resolvers'));
      assert.ok(hits['www.google.com'].length > 0);
      t.diagnostic(`${dialect}: imported ${lists.length} warninglists (${entries} entries) in ${importMs} ms; first checkValue with the matcher build ${firstCheckMs} ms`);
      assert.equal((await s.call('POST', 'warninglists/update')).body.name, 'All warninglists are up to date already.');
    });
  });
}
