import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createUserWithKey, rawDb } from '../support/tag-test-fixtures.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/**
 * attributes/add|edit|delete|restore, objects/add|edit|delete and objectReferences/add|delete through the real HTTP
 * server (spec §3.2, §3.3, §4.5, §4.6), with the replies PyMISP parses.
 */

const DOMAIN_IP = { name: 'domain-ip', 'meta-category': 'network', description: 'A domain and its IP', template_uuid: '43b3b146-77eb-4931-b4cc-b66c60f28734', template_version: '11' };

type User = { key: string; userId: number; orgId: number };

for (const dialect of testDialects()) {
  describe(`${dialect}: attributes write endpoints`, () => {
    let s: TestServer;
    let user: User;
    let outsider: User;
    let eventId: string;
    const view = async () => (await s.call('GET', `events/view/${eventId}/deleted[]:0/deleted[]:1`, undefined, user.key)).body.Event;
    before(async () => {
      s = await startTestServer(dialect);
      const perms = ['perm_add', 'perm_modify', 'perm_modify_org', 'perm_tagger'] as const;
      user = await createUserWithKey(s, { orgName: 'ORGNAME', email: 'user@attr.test', perms: [...perms] });
      outsider = await createUserWithKey(s, { orgName: 'Elsewhere', email: 'out@attr.test', perms: [...perms] });
      await s.call('POST', 'tags/add', { name: 'testtag_admin_created' });
      const r = await s.call('POST', 'events/add', { info: 'attributes', distribution: 1, Attribute: [{ type: 'ip-dst', value: '10.0.0.1' }] }, user.key);
      eventId = r.body.Event.id;
      await s.call('POST', `events/publish/${eventId}`);
    });
    after(() => s.close());

    it('adds one attribute with MISP\'s single reply shape and unpublishes the event', async () => {
      const r = await s.call('POST', `attributes/add/${eventId}`, { type: 'ip-dst', value: '1.2.3.4', Tag: [{ name: 'testtag_admin_created' }] }, user.key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.Attribute.value, '1.2.3.4');
      assert.equal(r.body.Attribute.distribution, '5');
      assert.equal(r.body.AttributeTag[0].Tag.name, 'testtag_admin_created');
      const ev = await view();
      assert.equal(ev.published, false);
      assert.equal(ev.attribute_count, '2');
    });

    it('refuses a duplicate with "A similar attribute already exists for this event." as PyMISP reads it', async () => {
      const r = await s.call('POST', `attributes/add/${eventId}`, { type: 'ip-dst', value: '1.2.3.4' }, user.key);
      assert.equal(r.status, 403);
      assert.equal(r.body.message, 'Could not add Attribute');
      assert.deepEqual(r.body.errors, { value: ['A similar attribute already exists for this event.'] });
    });

    it('updates the existing duplicate instead with breakOnDuplicate:0', async () => {
      const before = (await view()).Attribute.find((a: { value: string }) => a.value === '1.2.3.4');
      const r = await s.call('POST', `attributes/add/${eventId}/breakOnDuplicate:0`, { type: 'ip-dst', value: '1.2.3.4', comment: 'again' }, user.key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.Attribute.uuid, before.uuid);
      assert.equal(r.body.Attribute.comment, 'again');
    });

    it('adds a list: saved ones come back as a list, failures keyed attribute_<n>', async () => {
      const r = await s.call('POST', `attributes/add/${eventId}`, [
        { type: 'ip-dst', value: '1.2.3.4' }, { type: 'ip-dst', value: '1.2.3.5' },
        { type: 'ip-dst', value: '10.0.0.1' }, { type: 'ip-dst', value: '1.2.3.6', Tag: [{ name: 'not-created-without-tag-editor' }, { name: 'testtag_admin_created' }] },
      ], user.key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.Attribute.map((a: { value: string }) => a.value), ['1.2.3.5', '1.2.3.6']);
      assert.deepEqual(r.body.Attribute[1].Tag.map((t: { name: string }) => t.name), ['testtag_admin_created']);
      assert.equal(r.body.errors.attribute_0.value[0], 'A similar attribute already exists for this event.');
      assert.equal(r.body.errors.attribute_2.value[0], 'A similar attribute already exists for this event.');
      const values = await s.call('POST', `attributes/add/${eventId}`, { type: 'domain', value: ['a.example', 'b.example'] }, user.key);
      assert.deepEqual(values.body.Attribute.map((a: { value: string }) => a.value), ['a.example', 'b.example']);
    });

    it('writes nothing when every attribute fails', async () => {
      const before = (await view()).Attribute.length;
      const r = await s.call('POST', `attributes/add/${eventId}`, [{ type: 'nope', value: 'x' }, { type: 'ip-dst', value: 'nope' }], user.key);
      assert.equal(r.status, 403);
      assert.deepEqual(r.body.errors.attribute_0, { type: ['Invalid type.'] });
      assert.equal((await view()).Attribute.length, before);
    });

    it('edits with a newer or missing timestamp and refuses an older one with MISP\'s 405', async () => {
      const a = (await view()).Attribute[0];
      const ok = await s.call('POST', `attributes/edit/${a.uuid}`, { comment: 'edited', to_ids: false }, user.key);
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.Attribute.comment, 'edited');
      assert.equal(ok.body.Attribute.to_ids, false);
      assert.equal(ok.body.Attribute.value, a.value);
      const old = await s.call('POST', `attributes/edit/${a.id}`, { comment: 'older', timestamp: Number(a.timestamp) - 10 }, user.key);
      assert.equal(old.status, 405);
      assert.equal(old.body.message, 'Attribute could not be saved: Attribute in the request not newer than the local copy.');
      const invalid = await s.call('POST', `attributes/edit/${a.id}`, { value: 'not an ip' }, user.key);
      assert.equal(invalid.status, 403);
      assert.ok(invalid.body.errors.value);
    });

    it('detaches tags an edit sends with deleted: true (PyMISP MISPTag.delete())', async () => {
      const added = await s.call('POST', `attributes/add/${eventId}`, { type: 'ip-dst', value: '1.2.3.99', Tag: [{ name: 'testtag_admin_created' }] }, user.key);
      const tag = { ...added.body.AttributeTag[0].Tag, deleted: true };
      // PyMISP drops the timestamp of what it edited
      const { timestamp: _ts, ...attribute } = added.body.Attribute;
      const r = await s.call('POST', `attributes/edit/${added.body.Attribute.id}`, { ...attribute, Tag: [tag] }, user.key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.Attribute.Tag, undefined);
      await s.call('POST', `events/edit/${eventId}`, { Tag: [{ name: 'testtag_admin_created' }] }, user.key);
      assert.deepEqual((await view()).Tag.map((t: { name: string }) => t.name), ['testtag_admin_created']);
      await s.call('POST', `events/edit/${eventId}`, { Tag: [{ name: 'testtag_admin_created', deleted: true }] }, user.key);
      assert.equal((await view()).Tag, undefined);
    });

    it('soft-deletes, restores and hard-deletes, keeping attribute_count right', async () => {
      const a = (await view()).Attribute.find((x: { value: string }) => x.value === '1.2.3.5');
      const count = Number((await view()).attribute_count);
      const del = await s.call('POST', `attributes/delete/${a.uuid}`, undefined, user.key);
      assert.deepEqual(del.body, { message: 'Attribute deleted.' });
      let ev = await view();
      assert.equal(ev.Attribute.find((x: { uuid: string }) => x.uuid === a.uuid).deleted, true);
      assert.equal(ev.attribute_count, String(count - 1));
      assert.equal((await s.call('POST', `attributes/delete/${a.uuid}`, undefined, user.key)).status, 404, 'already deleted');
      const restored = await s.call('POST', `attributes/restore/${a.id}`, undefined, user.key);
      assert.equal(restored.status, 200);
      assert.equal(restored.body.Attribute.deleted, false);
      const hard = await s.call('POST', `attributes/delete/${a.id}/1`, undefined, user.key);
      assert.equal(hard.body.message, 'Attribute deleted.');
      ev = await view();
      assert.equal(ev.Attribute.find((x: { uuid: string }) => x.uuid === a.uuid), undefined);
      assert.equal(ev.attribute_count, String(count - 1));
    });

    it('answers another organisation with PyMISP\'s exact 403 and changes nothing', async () => {
      const a = (await view()).Attribute[0];
      for (const [path, body] of [[`attributes/add/${eventId}`, { type: 'ip-dst', value: '9.9.9.9' }], [`attributes/edit/${a.id}`, { comment: 'x' }], [`attributes/delete/${a.id}`, undefined]] as const) {
        const r = await s.call('POST', path, body, outsider.key);
        assert.equal(r.status, 403, path);
        assert.equal(r.body.message, 'You do not have permission to do that.', path);
      }
      assert.equal((await s.call('POST', `attributes/restore/${a.id}`, undefined, outsider.key)).status, 405);
      const after = (await view()).Attribute[0];
      assert.deepEqual(after, a);
    });
  });

  describe(`${dialect}: objects and object references write endpoints`, () => {
    let s: TestServer;
    let user: User;
    let outsider: User;
    let eventId: string;
    before(async () => {
      s = await startTestServer(dialect);
      const perms = ['perm_add', 'perm_modify', 'perm_modify_org', 'perm_tagger'] as const;
      user = await createUserWithKey(s, { orgName: 'ORGNAME', email: 'user@obj.test', perms: [...perms] });
      outsider = await createUserWithKey(s, { orgName: 'Elsewhere', email: 'out@obj.test', perms: [...perms] });
      const r = await s.call('POST', 'events/add', { info: 'objects', Attribute: [{ type: 'text', value: 'top' }] }, user.key);
      eventId = r.body.Event.id;
    });
    after(() => s.close());

    const addDomainIp = async (attrs: unknown[], path = `objects/add/${eventId}`) =>
      s.call('POST', path, { ...DOMAIN_IP, Attribute: attrs }, user.key);

    it('adds an object with its attributes and answers {"Object": {…, "Attribute": […]}}', async () => {
      const r = await addDomainIp([{ type: 'domain', value: 'example.org', object_relation: 'domain' }, { type: 'ip-dst', value: '203.0.113.1', object_relation: 'ip' }]);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.Object.name, 'domain-ip');
      assert.equal(r.body.Object.distribution, '5');
      assert.equal(r.body.Object.Attribute.length, 2);
      assert.equal(r.body.Object.Attribute[1].object_relation, 'ip');
    });

    it('refuses objects that break their template, with MISP\'s messages', async () => {
      const noneOf = await addDomainIp([{ type: 'text', value: 'x', object_relation: 'text' }]);
      assert.equal(noneOf.status, 403);
      assert.equal(noneOf.body.errors, 'Could not save the object as it requires at least one of the following attributes to be set: ip, domain, hostname');
      // `hostname` is not `multiple` in domain-ip
      const twice = await addDomainIp([{ type: 'hostname', value: 'a.example', object_relation: 'hostname' }, { type: 'hostname', value: 'b.example', object_relation: 'hostname' }]);
      assert.equal(twice.status, 403);
      assert.match(twice.body.errors, /only allowed if the multiple flag is set/);
      const noRelation = await addDomainIp([{ type: 'domain', value: 'c.example' }]);
      assert.equal(noRelation.status, 403);
      const badAttribute = await addDomainIp([{ type: 'ip-dst', value: 'not an ip', object_relation: 'ip' }]);
      assert.equal(badAttribute.status, 403);
      assert.match(badAttribute.body.errors, /^Could not save object as at least one attribute has failed validation \(ip\)/);
    });

    it('refuses an identical object with breakOnDuplicate:1 only', async () => {
      const attrs = [{ type: 'domain', value: 'dup.example', object_relation: 'domain' }];
      assert.equal((await addDomainIp(attrs)).status, 200);
      const dup = await addDomainIp(attrs, `objects/add/${eventId}/breakOnDuplicate:1`);
      assert.equal(dup.status, 403);
      assert.match(dup.body.errors, /Duplicate object found/);
      assert.equal((await addDomainIp(attrs)).status, 200);
    });

    it('edits an object: changed attributes updated, new ones added, unsent ones soft-deleted', async () => {
      const created = (await addDomainIp([
        { type: 'domain', value: 'edit.example', object_relation: 'domain' }, { type: 'ip-dst', value: '203.0.113.2', object_relation: 'ip' },
      ])).body.Object;
      const [domain] = created.Attribute;
      const r = await s.call('POST', `objects/edit/${created.uuid}`, {
        ...DOMAIN_IP, comment: 'edited',
        Attribute: [{ ...domain, value: 'edited.example' }, { type: 'ip-dst', value: '203.0.113.3', object_relation: 'ip' }],
      }, user.key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.Object.comment, 'edited');
      const live = r.body.Object.Attribute.filter((a: { deleted: boolean }) => !a.deleted);
      assert.deepEqual(live.map((a: { value: string }) => a.value).sort(), ['203.0.113.3', 'edited.example']);
      assert.equal(live.find((a: { value: string }) => a.value === 'edited.example').uuid, domain.uuid);
      assert.equal(r.body.Object.Attribute.filter((a: { deleted: boolean }) => a.deleted).length, 1);
    });

    it('adds and deletes object references', async () => {
      const source = (await addDomainIp([{ type: 'domain', value: 'src.example', object_relation: 'domain' }])).body.Object;
      const target = (await s.call('GET', `events/view/${eventId}`, undefined, user.key)).body.Event.Attribute[0];
      const r = await s.call('POST', 'objectReferences/add', { object_uuid: source.uuid, referenced_uuid: target.uuid, relationship_type: 'describes' }, user.key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.ObjectReference.referenced_type, '0');
      assert.equal(r.body.ObjectReference.object_uuid, source.uuid);
      const missing = await s.call('POST', 'objectReferences/add', { object_uuid: source.uuid, referenced_uuid: randomUUID(), relationship_type: 'x' }, user.key);
      assert.equal(missing.status, 404);
      assert.equal((await s.call('POST', 'objectReferences/add', { object_uuid: source.uuid, referenced_uuid: target.uuid, relationship_type: 'x' }, outsider.key)).status, 404);
      const soft = await s.call('POST', `objectReferences/delete/${r.body.ObjectReference.uuid}`, undefined, user.key);
      assert.equal(soft.body.message, 'ObjectReference deleted');
      const row = await rawDb(s).selectFrom('object_references').selectAll().where('uuid', '=', r.body.ObjectReference.uuid).executeTakeFirstOrThrow();
      assert.equal(row.deleted, 1);
      await s.call('POST', `objectReferences/delete/${r.body.ObjectReference.id}/true`, undefined, user.key);
      assert.equal(await rawDb(s).selectFrom('object_references').selectAll().where('uuid', '=', r.body.ObjectReference.uuid).executeTakeFirst(), undefined);
    });

    it('deletes objects soft then hard, with "Object deleted"; another org gets 403', async () => {
      const obj = (await addDomainIp([{ type: 'domain', value: 'gone.example', object_relation: 'domain' }])).body.Object;
      assert.equal((await s.call('POST', `objects/delete/${obj.id}`, undefined, outsider.key)).status, 403);
      const soft = await s.call('POST', `objects/delete/${obj.uuid}`, undefined, user.key);
      assert.equal(soft.body.message, 'Object deleted');
      const attrs = await rawDb(s).selectFrom('attributes').selectAll().where('object_id', '=', Number(obj.id)).execute();
      assert.ok(attrs.every((a) => a.deleted === 1));
      const hard = await s.call('POST', `objects/delete/${obj.id}`, { hard: 1 }, user.key);
      assert.equal(hard.body.message, 'Object deleted');
      assert.equal((await rawDb(s).selectFrom('attributes').selectAll().where('object_id', '=', Number(obj.id)).execute()).length, 0);
      assert.equal((await s.call('GET', `objects/view/${obj.id}`, undefined, user.key)).status, 404);
    });
  });
}
