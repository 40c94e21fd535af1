import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createUserWithKey, rawDb } from '../support/tag-test-fixtures.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';
import { readZip } from '../support/zip-reader.js';

/**
 * Files of attachment and malware-sample attributes (spec §2.3, docs/adr/0005-attachments.md) through the real
 * HTTP server: stored with every write path PyMISP uses, malware samples zipped with the password `infected`, and
 * returned as base64 `data` on events/view and attributes/view.
 */

type User = { key: string; userId: number; orgId: number };
const b64 = (b: Buffer) => b.toString('base64');
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

/** What PyMISP's FileObject sends for a sample: the raw file and `encrypt`. */
const sampleAttribute = (name: string, content: Buffer, extra: Record<string, unknown> = {}) =>
  ({ type: 'malware-sample', value: name, data: b64(content), encrypt: true, ...extra });

/** The sample inside MISP's archive: `<md5>` and `<md5>.filename.txt`, password `infected`. */
function unpackSample(data: string): { md5: string; content: Buffer; filename: string } {
  const entries = readZip(Buffer.from(data, 'base64'), 'infected');
  assert.equal(entries.length, 2);
  const file = entries.find((e) => !e.name.endsWith('.filename.txt'))!;
  const name = entries.find((e) => e.name === `${file.name}.filename.txt`);
  assert.ok(name, 'the filename entry is named after the sample');
  return { md5: file.name, content: file.content, filename: name.content.toString('utf8') };
}

for (const dialect of testDialects()) {
  describe(`${dialect}: attachments and malware samples`, () => {
    let s: TestServer;
    let user: User;
    let eventId: string;
    const sample = randomBytes(50_000);
    const view = async (path = '') => (await s.call('GET', `events/view/${eventId}${path}`, undefined, user.key)).body.Event;

    before(async () => {
      s = await startTestServer(dialect);
      user = await createUserWithKey(s, { orgName: 'ORGNAME', email: 'files@att.test', perms: ['perm_add', 'perm_modify', 'perm_modify_org'] });
      const r = await s.call('POST', 'events/add', {
        info: 'files', distribution: 0,
        Attribute: [
          sampleAttribute('evil.exe', sample),
          { type: 'attachment', value: 'notes.txt', data: b64(Buffer.from('plain notes')) },
        ],
      }, user.key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      eventId = r.body.Event.id;
    });
    after(() => s.close());

    it('zips a sample sent with encrypt and names it filename|md5', async () => {
      const a = (await view()).Attribute.find((x: { type: string }) => x.type === 'malware-sample');
      assert.equal(a.value, `evil.exe|${md5(sample)}`);
      const unpacked = unpackSample(a.data);
      assert.equal(unpacked.md5, md5(sample));
      assert.equal(unpacked.filename, 'evil.exe');
      assert.ok(unpacked.content.equals(sample));
    });

    it('keeps an attachment as sent, on events/view and attributes/view; includeAttachments:0 leaves data out', async () => {
      const a = (await view()).Attribute.find((x: { type: string }) => x.type === 'attachment');
      assert.equal(Buffer.from(a.data, 'base64').toString(), 'plain notes');
      const one = await s.call('GET', `attributes/view/${a.uuid}`, undefined, user.key);
      assert.equal(Buffer.from(one.body.Attribute.data, 'base64').toString(), 'plain notes');
      const without = await view('/includeAttachments:0');
      assert.ok(without.Attribute.every((x: { data?: string }) => x.data === undefined));
    });

    it('stores a re-sent archive as is (PyMISP update_event round trip)', async () => {
      const ev = await view();
      const r = await s.call('POST', `events/edit/${eventId}`, { ...ev, info: 'files (edited)', timestamp: undefined }, user.key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const a = r.body.Event.Attribute.find((x: { type: string }) => x.type === 'malware-sample');
      assert.ok(unpackSample(a.data).content.equals(sample));
    });

    it('stores files from attributes/add, attributes/edit and objects/add', async () => {
      const other = randomBytes(1000);
      const added = await s.call('POST', `attributes/add/${eventId}`, sampleAttribute('second.bin', other), user.key);
      assert.equal(added.status, 200, JSON.stringify(added.body));
      const id = added.body.Attribute.id;
      let a = (await s.call('GET', `attributes/view/${id}`, undefined, user.key)).body.Attribute;
      assert.ok(unpackSample(a.data).content.equals(other));
      const replaced = randomBytes(700);
      const edited = await s.call('POST', `attributes/edit/${id}`, sampleAttribute('second.bin', replaced), user.key);
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.equal(edited.body.Attribute.value, `second.bin|${md5(replaced)}`);
      a = (await s.call('GET', `attributes/view/${id}`, undefined, user.key)).body.Attribute;
      assert.ok(unpackSample(a.data).content.equals(replaced));
      const inObject = randomBytes(300);
      const obj = await s.call('POST', `objects/add/${eventId}`, {
        name: 'file', 'meta-category': 'file', description: 'File object', template_uuid: '688c46fb-5edb-40a3-8273-1af7923e2215', template_version: '1',
        Attribute: [
          { object_relation: 'filename', type: 'filename', value: 'in-object.bin' },
          { object_relation: 'malware-sample', ...sampleAttribute('in-object.bin', inObject) },
        ],
      }, user.key);
      assert.equal(obj.status, 200, JSON.stringify(obj.body));
      const objAttr = (await view()).Object[0].Attribute.find((x: { type: string }) => x.type === 'malware-sample');
      assert.ok(unpackSample(objAttr.data).content.equals(inObject));
    });

    it('moves a proposal\'s file onto the attribute when accepted', async () => {
      const proposed = await s.call('POST', `shadow_attributes/add/${eventId}`, { type: 'attachment', value: 'report.pdf', data: b64(Buffer.from('%PDF-1.4')) }, user.key);
      assert.equal(proposed.status, 200, JSON.stringify(proposed.body));
      await s.call('POST', `shadow_attributes/accept/${proposed.body.ShadowAttribute.id}`, undefined, user.key);
      const a = (await view()).Attribute.find((x: { value: string }) => x.value === 'report.pdf');
      assert.equal(Buffer.from(a.data, 'base64').toString(), '%PDF-1.4');
    });

    it('removes files with their attribute and their event', async () => {
      const count = async () => (await rawDb(s).selectFrom('attribute_attachments').select('attribute_id').execute()).length;
      const before = await count();
      const a = (await view()).Attribute.find((x: { type: string }) => x.type === 'attachment');
      await s.call('POST', `attributes/delete/${a.id}/1`, undefined, user.key);
      assert.equal(await count(), before - 1);
      await s.call('POST', `events/delete/${eventId}`, undefined, user.key);
      assert.equal(await count(), 0);
    });
  });
}
