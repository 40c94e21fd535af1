import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_DATA_PACKS } from '../../src/app/config.js';
import { importKnowledgePacks } from '../../src/app/knowledge-packs.js';
import { makeDataPack, type TempDataPack } from '../support/knowledge-pack-fixture.js';
import { createUserWithKey } from '../support/tag-test-fixtures.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/** Noticelists over HTTP (spec §3.12, §9.2), following PyMISP's test_noticelists and MISP's NoticelistsController. */

const gdpr = JSON.parse(readFileSync(join(DEFAULT_DATA_PACKS, 'noticelists', 'lists', 'gdpr', 'list.json'), 'utf8'));
// the upstream gdpr list has no version: MISP counts it as 1
gdpr.version ??= 1;

for (const dialect of testDialects()) {
  describe(`${dialect}: noticelists API`, () => {
    let s: TestServer;
    let pack: TempDataPack;
    let user: { key: string };
    let id: string;

    before(async () => {
      pack = makeDataPack({ noticelists: ['gdpr'] });
      s = await startTestServer(dialect, { CAIRN_DATA_PACKS: pack.dir });
      user = await createUserWithKey(s, { orgName: 'TestOrg', email: 'user@test.org', perms: ['perm_add', 'perm_modify'] });
    });
    after(async () => {
      await s.close();
      pack.remove();
    });

    it('installs the pack on update, then reports it up to date', async () => {
      assert.equal((await s.call('POST', 'noticelists/update')).body.name, 'Successfully updated 1 noticelists.');
      const again = await s.call('POST', 'noticelists/update');
      assert.equal(again.body.name, 'All noticelists are up to date already.');
      assert.equal(again.body.url, '/noticelists/update');
    });

    it('lists noticelists with decoded ref and geographical area', async () => {
      const r = await s.call('GET', 'noticelists/index', undefined, user.key);
      assert.equal(r.status, 200);
      assert.equal(r.body.length, 1);
      const n = r.body[0].Noticelist;
      id = n.id;
      assert.deepEqual(n, {
        id, name: 'gdpr', expanded_name: gdpr.expanded_name, ref: gdpr.ref, geographical_area: gdpr.geographical_area,
        version: String(gdpr.version), enabled: false,
      });
      assert.deepEqual((await s.call('GET', 'noticelists/index/quickFilter:nothing')).body, []);
    });

    it('views a noticelist with its entries inside the Noticelist object', async () => {
      const r = await s.call('GET', `noticelists/view/${id}`, undefined, user.key);
      assert.equal(r.body.Noticelist.name, 'gdpr');
      assert.equal(r.body.Noticelist.NoticelistEntry.length, gdpr.notice.length);
      assert.deepEqual(r.body.Noticelist.NoticelistEntry[0].data, gdpr.notice[0]);
      assert.equal(r.body.Noticelist.NoticelistEntry[0].noticelist_id, id);
      const missing = await s.call('GET', 'noticelists/view/9999');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.message, 'Invalid Noticelist.');
    });

    it('enables with /true and disables without, answering with the list as PyMISP expects', async () => {
      const on = await s.call('POST', `noticelists/enableNoticelist/${id}/true`);
      assert.equal(on.body.Noticelist.enabled, true);
      const off = await s.call('POST', `noticelists/enableNoticelist/${id}`);
      assert.equal(off.body.Noticelist.enabled, false);
      const toggled = await s.call('POST', `noticelists/toggleEnable/${id}`);
      assert.equal(toggled.body.message, 'Noticelist enabled.');
      assert.equal((await s.call('GET', `noticelists/view/${id}`)).body.Noticelist.enabled, true);
      assert.equal((await s.call('POST', 'noticelists/enableNoticelist/9999/true')).status, 404);
      assert.equal((await s.call('POST', `noticelists/enableNoticelist/${id}/true`, undefined, user.key)).status, 403);
    });

    it('imports through the CLI hook like the endpoint does', async () => {
      const lines: string[] = [];
      const [report] = await importKnowledgePacks('noticelists', (l) => lines.push(l), { storage: s.container.storage, dataPacks: pack.dir });
      assert.equal(report!.message, 'All noticelists are up to date already.');
      assert.ok(lines.some((l) => l.startsWith('noticelists: All noticelists are up to date already.')), lines.join('\n'));
      await assert.rejects(importKnowledgePacks('nonsense' as 'all', () => {}, { storage: s.container.storage, dataPacks: pack.dir }), /unknown knowledge pack/);
    });

    it('replaces a noticelist whose pack version grew and keeps it enabled', async () => {
      pack.write('noticelists/lists/gdpr/list.json', JSON.stringify({ ...gdpr, version: gdpr.version + 1, notice: gdpr.notice.slice(0, 1) }));
      assert.equal((await s.call('POST', 'noticelists/update')).body.name, 'Successfully updated 1 noticelists.');
      const view = (await s.call('GET', `noticelists/view/${id}`)).body.Noticelist;
      assert.equal(view.version, String(gdpr.version + 1));
      assert.equal(view.enabled, true);
      assert.equal(view.NoticelistEntry.length, 1);
    });
  });
}
