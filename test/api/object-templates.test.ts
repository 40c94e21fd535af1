import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { importKnowledgePacks } from '../../src/app/knowledge-packs.js';
import { copiedPack, type CopiedPack } from '../support/pack-copy.js';
import { createUserWithKey } from '../support/tag-test-fixtures.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/**
 * Object templates over HTTP (spec §3.3; ObjectTemplatesController, PyMISP's test_object_template): update from
 * `<packs>/objects/objects`, index, view, activate and getRaw, on a pack trimmed to three templates.
 */

const KEPT = ['domain-ip', 'file', 'url'];
const DOMAIN_IP = 'objects/objects/domain-ip/definition.json';

for (const dialect of testDialects()) {
  describe(`${dialect}: object templates API`, () => {
    let s: TestServer;
    let pack: CopiedPack;
    let user: { key: string };
    let templater: { key: string };
    let domainIp: any;

    const index = async (path = 'objectTemplates/index', key?: string) => {
      const r = await s.call('GET', path, undefined, key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body as any[];
    };
    const byName = (rows: any[], name: string) => rows.filter((r) => r.ObjectTemplate.name === name);

    before(async () => {
      pack = copiedPack(['objects']);
      const dir = join(pack.dir, 'objects', 'objects');
      for (const name of readdirSync(dir)) if (!KEPT.includes(name)) rmSync(join(dir, name), { recursive: true });
      domainIp = pack.readJson(DOMAIN_IP);
      s = await startTestServer(dialect, { CAIRN_DATA_PACKS: pack.dir });
      user = await createUserWithKey(s, { orgName: 'Other Org', email: 'user@templates.test', perms: ['perm_add'] });
      templater = await createUserWithKey(s, { orgName: 'Other Org', email: 'templater@templates.test', perms: ['perm_add', 'perm_object_template'] });
    });
    after(async () => {
      await s.close();
      pack.remove();
    });

    it('installs every template on update and answers with the index, as PyMISP expects', async () => {
      const r = await s.call('POST', 'objectTemplates/update');
      assert.equal(r.status, 200);
      assert.ok(Array.isArray(r.body));
      assert.deepEqual(r.body.map((t: any) => t.ObjectTemplate.name).sort(), KEPT);
      const t = byName(r.body, 'domain-ip')[0];
      assert.equal(t.ObjectTemplate.uuid, domainIp.uuid);
      assert.equal(t.ObjectTemplate.version, String(domainIp.version));
      assert.equal(t.ObjectTemplate.active, true);
      assert.equal(t.ObjectTemplate.fixed, true);
      assert.equal(t.ObjectTemplate['meta-category'], domainIp['meta-category']);
      assert.deepEqual(t.ObjectTemplate.requirements, { requiredOneOf: domainIp.requiredOneOf });
      assert.deepEqual(Object.keys(t.Organisation).sort(), ['id', 'name', 'uuid']);
    });

    it('changes nothing on a second update', async () => {
      const first = await index('objectTemplates/index/all');
      assert.deepEqual((await s.call('POST', 'objectTemplates/update')).body.map((t: any) => t.ObjectTemplate.id).sort(),
        first.map((t) => t.ObjectTemplate.id).sort());
      assert.equal((await index('objectTemplates/index/all')).length, 3);
    });

    it('views a template with its elements, by id or by uuid (newest version)', async () => {
      const [row] = byName(await index(), 'domain-ip');
      const byId = await s.call('GET', `objectTemplates/view/${row.ObjectTemplate.id}`, undefined, user.key);
      assert.equal(byId.status, 200);
      assert.equal(byId.body.ObjectTemplate.name, 'domain-ip');
      assert.equal(byId.body.User, undefined, 'only site admins see who installed it');
      const relations = byId.body.ObjectTemplateElement.map((e: any) => e.object_relation).sort();
      assert.deepEqual(relations, Object.keys(domainIp.attributes).sort());
      const ip = byId.body.ObjectTemplateElement.find((e: any) => e.object_relation === 'ip');
      assert.equal(ip.type, domainIp.attributes.ip['misp-attribute']);
      assert.equal(ip.object_template_id, row.ObjectTemplate.id);
      const byUuid = await s.call('GET', `objectTemplates/view/${domainIp.uuid}`);
      assert.equal(byUuid.body.ObjectTemplate.id, row.ObjectTemplate.id);
      assert.ok(byUuid.body.User, 'site admins see the installing user');
      for (const [path, message] of [['objectTemplates/view/9999', 'Invalid object template'], ['objectTemplates/view/nope', 'Invalid object template id.']]) {
        const r = await s.call('GET', path!);
        assert.equal(r.status, 404);
        assert.equal(r.body.message, message);
      }
    });

    it('installs a newer version as the active one and keeps the old row inactive', async () => {
      pack.writeJson(DOMAIN_IP, { ...domainIp, version: domainIp.version + 1, description: 'newer' });
      await s.call('POST', 'objectTemplates/update');
      const active = byName(await index(), 'domain-ip');
      assert.equal(active.length, 1);
      assert.equal(active[0].ObjectTemplate.version, String(domainIp.version + 1));
      assert.equal(active[0].ObjectTemplate.description, 'newer');
      const all = byName(await index('objectTemplates/index/all'), 'domain-ip');
      assert.deepEqual(all.map((t) => [t.ObjectTemplate.version, t.ObjectTemplate.active]),
        [[String(domainIp.version), false], [String(domainIp.version + 1), true]]);
      // non-admins get the active list even when asking for all
      assert.equal(byName(await index('objectTemplates/index/all', user.key), 'domain-ip').length, 1);
      assert.equal((await s.call('GET', `objectTemplates/view/${domainIp.uuid}`)).body.ObjectTemplate.version, String(domainIp.version + 1));
    });

    it('reports and skips a broken template file while importing the others', async () => {
      pack.write('objects/objects/broken/definition.json', '{"name": "broken", ');
      pack.writeJson('objects/objects/no-uuid/definition.json', { name: 'no-uuid', version: 1, attributes: {} });
      pack.writeJson('objects/objects/cairn-test/definition.json', {
        name: 'cairn-test', uuid: '2b4b4b1e-0000-4000-8000-00000000ca1e', version: 1, 'meta-category': 'misc', description: 'test',
        attributes: { text: { 'misp-attribute': 'text', 'ui-priority': 1, categories: ['Other'] } },
      });
      const r = await s.call('POST', 'objectTemplates/update');
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.map((t: any) => t.ObjectTemplate.name).sort(), ['cairn-test', ...KEPT]);
    });

    it('updates only the named template with type, and rewrites with force', async () => {
      pack.writeJson(DOMAIN_IP, { ...domainIp, version: domainIp.version + 2 });
      const url = pack.readJson('objects/objects/url/definition.json');
      pack.writeJson('objects/objects/url/definition.json', { ...url, version: url.version + 1 });
      await s.call('POST', 'objectTemplates/update/domain-ip');
      assert.equal(byName(await index(), 'domain-ip')[0].ObjectTemplate.version, String(domainIp.version + 2));
      assert.equal(byName(await index(), 'url')[0].ObjectTemplate.version, String(url.version), 'url is not touched');
      await s.call('POST', 'objectTemplates/update/type:url');
      assert.equal(byName(await index(), 'url')[0].ObjectTemplate.version, String(url.version + 1));
      const before = (await index('objectTemplates/index/all')).length;
      await s.call('POST', 'objectTemplates/update/file/force:1');
      assert.equal((await index('objectTemplates/index/all')).length, before + 1, 'force stores the pack version again');
      assert.equal(byName(await index(), 'file').length, 1);
    });

    it('toggles a template with activate', async () => {
      const [file] = byName(await index(), 'file');
      const id = file.ObjectTemplate.id;
      const off = await s.call('POST', 'objectTemplates/activate', { ObjectTemplate: { data: id } });
      assert.deepEqual(off.body, { saved: true, success: 'Template disabled.' });
      assert.equal(byName(await index(), 'file').length, 0);
      const on = await s.call('POST', 'objectTemplates/activate', { ObjectTemplate: { data: id } });
      assert.deepEqual(on.body, { saved: true, success: 'Template activated.' });
      assert.equal(byName(await index(), 'file')[0].ObjectTemplate.id, id);
      assert.deepEqual((await s.call('POST', 'objectTemplates/activate', { ObjectTemplate: { data: 'x' } })).body,
        { saved: false, errors: 'Template not found.' });
      assert.deepEqual((await s.call('POST', 'objectTemplates/activate', { ObjectTemplate: { data: 99999 } })).body,
        { saved: false, errors: "Template's state could not be toggeled." });
    });

    it('serves the raw definition from disk by name or uuid to perm_object_template users', async () => {
      const byName = await s.call('GET', 'objectTemplates/getRaw/cairn-test', undefined, templater.key);
      assert.equal(byName.status, 200);
      assert.equal(byName.body.uuid, '2b4b4b1e-0000-4000-8000-00000000ca1e');
      const byUuid = await s.call('GET', `objectTemplates/getRaw/${domainIp.uuid}`);
      assert.equal(byUuid.body.name, 'domain-ip');
      assert.deepEqual(byUuid.body.attributes.ip, domainIp.attributes.ip);
      const missing = await s.call('GET', 'objectTemplates/getRaw/..%2F..%2Fmetadata');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.message, 'Template not found');
      assert.equal((await s.call('GET', 'objectTemplates/getRaw/domain-ip', undefined, user.key)).status, 403);
    });

    it('imports through the CLI hook like the endpoint does, naming the skipped files', async () => {
      pack.writeJson('objects/objects/url/definition.json', { ...pack.readJson('objects/objects/url/definition.json'), version: 99 });
      const lines: string[] = [];
      const [report] = await importKnowledgePacks('object-templates', (l) => lines.push(l), { storage: s.container.storage, dataPacks: pack.dir });
      assert.equal(report!.kind, 'objectTemplates');
      assert.equal(report!.updated, 1);
      assert.equal(report!.created, 0);
      assert.match(report!.message, /^Successfully updated 1 object templates\./);
      assert.equal(report!.warnings.length, 2);
      assert.ok(report!.warnings.some((w) => w.includes('broken/definition.json')));
      assert.ok(report!.warnings.some((w) => w.includes('no-uuid/definition.json') && w.includes('no uuid')));
      assert.ok(lines.some((l) => l.startsWith('objectTemplates: skipped ') && l.includes('broken')));
      assert.equal(byName(await index(), 'url')[0].ObjectTemplate.version, '99');
      const [again] = await importKnowledgePacks('objectTemplates', () => {}, { storage: s.container.storage, dataPacks: pack.dir });
      assert.match(again!.message, /^All object templates are up to date already\./);
    });

    it('keeps update and activate for site admins', async () => {
      for (const key of [user.key, templater.key]) {
        assert.equal((await s.call('POST', 'objectTemplates/update', undefined, key)).status, 403);
        assert.equal((await s.call('POST', 'objectTemplates/activate', { ObjectTemplate: { data: 1 } }, key)).status, 403);
      }
      assert.ok((await index('objectTemplates/index', user.key)).length >= 3, 'everyone may read the index');
    });
  });
}

describe('object templates on a fresh instance', () => {
  it('are filled from the pack on first read (ObjectTemplate::populateIfEmpty)', async () => {
    const pack = copiedPack(['objects']);
    const dir = join(pack.dir, 'objects', 'objects');
    for (const name of readdirSync(dir)) if (!KEPT.includes(name)) rmSync(join(dir, name), { recursive: true });
    const s = await startTestServer(testDialects()[0]!, { CAIRN_DATA_PACKS: pack.dir });
    try {
      const r = await s.call('GET', 'objectTemplates/index');
      assert.deepEqual(r.body.map((t: any) => t.ObjectTemplate.name).sort(), KEPT);
    } finally {
      await s.close();
      pack.remove();
    }
  });
});
