import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUserWithKey } from '../support/tag-test-fixtures.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/**
 * sightings/listSightings, index, view, delete and restSearch (spec §3.6, §4.3) through the real HTTP server:
 * filters, context, the sightings policy and attribute visibility.
 */

type User = { key: string; userId: number; orgId: number };
type Row = { Sighting: Record<string, any> };

for (const dialect of testDialects()) {
  describe(`${dialect}: sightings read side`, () => {
    let s: TestServer;
    let owner: User;
    let sighter: User;
    let outsider: User;
    let pub: { id: string; attrs: Array<{ id: string; uuid: string; value: string }> };
    let priv: { id: string; attrs: Array<{ id: string; uuid: string; value: string }> };
    const since = Math.floor(Date.now() / 1000) - 5;

    const search = async (body: Record<string, unknown>, key: string, path = 'sightings/restSearch') => {
      const r = await s.call('POST', path, { returnFormat: 'json', ...body }, key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.response as Row[];
    };

    before(async () => {
      s = await startTestServer(dialect);
      owner = await createUserWithKey(s, { orgName: 'ORGNAME', email: 'owner@sr.test', perms: ['perm_add', 'perm_modify', 'perm_sighting', 'perm_modify_org'] });
      sighter = await createUserWithKey(s, { orgName: 'Sighters', email: 'sighter@sr.test', perms: ['perm_sighting', 'perm_modify_org'] });
      outsider = await createUserWithKey(s, { orgName: 'Outsiders', email: 'out@sr.test', perms: ['perm_sighting'] });
      const add = async (distribution: number, values: string[]) => {
        const ev = (await s.call('POST', 'events/add', {
          info: `d${distribution}`, distribution, Attribute: values.map((value) => ({ type: 'ip-dst', value })),
        }, owner.key)).body.Event;
        return { id: ev.id as string, attrs: ev.Attribute };
      };
      pub = await add(3, ['192.0.2.1', '192.0.2.2']);
      priv = await add(0, ['192.0.2.3']);
      await s.call('POST', `sightings/add/${pub.attrs[0]!.id}`, { source: 'honeypot' }, sighter.key);
      await s.call('POST', `sightings/add/${pub.attrs[1]!.id}`, { type: 1, source: 'analyst' }, owner.key);
      await s.call('POST', `sightings/add/${priv.attrs[0]!.id}`, { source: 'internal' }, owner.key);
      // an old sighting, outside the default 30-day window
      await s.call('POST', `sightings/add/${pub.attrs[0]!.id}`, { source: 'archive', timestamp: since - 40 * 86_400 }, owner.key);
    });
    after(() => s.close());

    it('restSearch defaults to the last 30 days and filters by type, source, org and context', async () => {
      const all = await search({}, owner.key);
      assert.deepEqual(all.map((r) => r.Sighting.source).sort(), ['analyst', 'honeypot', 'internal']);
      assert.deepEqual((await search({ last: since - 50 * 86_400 }, owner.key)).length, 4);
      assert.deepEqual((await search({ type: '1' }, owner.key)).map((r) => r.Sighting.source), ['analyst']);
      assert.deepEqual((await search({ source: 'honeypot' }, owner.key)).map((r) => r.Sighting.attribute_id), [pub.attrs[0]!.id]);
      assert.deepEqual((await search({ org_id: sighter.orgId }, owner.key)).map((r) => r.Sighting.source), ['honeypot']);
      assert.deepEqual((await search({ org_id: `!${sighter.orgId}` }, owner.key)).map((r) => r.Sighting.source).sort(), ['analyst', 'internal']);
      const byEvent = await search({ id: Number(priv.id) }, owner.key, 'sightings/restSearch/event');
      assert.deepEqual(byEvent.map((r) => r.Sighting.source), ['internal']);
      const byAttr = await search({ context: 'attribute', uuid: pub.attrs[1]!.uuid }, owner.key);
      assert.deepEqual(byAttr.map((r) => r.Sighting.source), ['analyst']);
    });

    it('restSearch adds the value always and Attribute / Event / uuids on request', async () => {
      const [row] = await search({ source: 'honeypot', includeAttribute: true, includeEvent: true, includeUuid: true }, owner.key);
      const sg = row!.Sighting;
      assert.equal(sg.value, '192.0.2.1');
      assert.equal(sg.Attribute.id, pub.attrs[0]!.id);
      assert.equal(sg.Attribute.type, 'ip-dst');
      assert.equal(sg.Event.id, pub.id);
      assert.equal(sg.Event.Orgc.name, 'ORGNAME');
      assert.equal(sg.attribute_uuid, pub.attrs[0]!.uuid);
      assert.equal(sg.Organisation.name, 'Sighters');
      const [bare] = await search({ source: 'honeypot' }, owner.key);
      assert.equal(bare!.Sighting.Attribute, undefined);
      assert.equal(bare!.Sighting.Event, undefined);
    });

    it('restSearch shows nothing of events the user cannot see, and other orgs\' sightings only per the policy', async () => {
      // policy 0 (event owner): the sighter sees its own sighting on the public event, not the owner's
      assert.deepEqual((await search({}, sighter.key)).map((r) => r.Sighting.source), ['honeypot']);
      assert.deepEqual(await search({}, outsider.key), []);
      assert.deepEqual(await search({ id: Number(priv.id) }, outsider.key, 'sightings/restSearch/event'), []);
      await s.call('POST', 'servers/serverSettingsEdit/Plugin.Sightings_policy', { value: 2, force: true });
      try {
        assert.deepEqual((await search({}, outsider.key)).map((r) => r.Sighting.source).sort(), ['analyst', 'honeypot']);
      } finally {
        await s.call('POST', 'servers/serverSettingsEdit/Plugin.Sightings_policy', { value: 0, force: true });
      }
    });

    it('restSearch rejects a bad context, a context without id, and an unknown format', async () => {
      const bad = await s.call('POST', 'sightings/restSearch', { context: 'object', id: 1 }, owner.key);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.message, 'Invalid context object.');
      const noId = await s.call('POST', 'sightings/restSearch', { context: 'event' }, owner.key);
      assert.equal(noId.status, 400);
      assert.equal(noId.body.message, 'An ID or UUID must be provided if the context is set.');
      const fmt = await s.call('POST', 'sightings/restSearch', { returnFormat: 'stix2' }, owner.key);
      assert.equal(fmt.status, 404);
      assert.equal(fmt.body.message, 'Invalid output format.');
    });

    it('restSearch writes CSV with the flattened event and attribute columns', async () => {
      const r = await fetch(`${s.url}/sightings/restSearch`, {
        method: 'POST', headers: { Authorization: owner.key, Accept: 'application/json', 'Content-Type': 'application/json' },
        body: JSON.stringify({ returnFormat: 'csv', source: 'honeypot', includeAttribute: 1, includeEvent: 1 }),
      });
      const [header, line, end] = (await r.text()).split('\n');
      assert.equal(header, 'id,attribute_id,event_id,org_id,date_sighting,uuid,source,type,attribute_uuid,attribute_type,attribute_category,attribute_to_ids,attribute_value,event_uuid,event_orgc_id,event_org_id,event_info,event_Orgc_name');
      assert.match(line!, new RegExp(`"honeypot",0,"${pub.attrs[0]!.uuid}","ip-dst","Network activity",1,"192.0.2.1","[0-9a-f-]{36}",\\d+,\\d+,"d3","ORGNAME"$`));
      assert.equal(end, '');
    });

    it('listSightings lists an attribute\'s or event\'s sightings, newest first, optionally of one org', async () => {
      const list = await s.call('POST', 'sightings/listSightings', { context: 'attribute', id: pub.attrs[0]!.id }, owner.key);
      assert.equal(list.status, 200);
      assert.deepEqual(list.body.map((r: Row) => r.Sighting.source), ['honeypot', 'archive']);
      const byOrg = await s.call('POST', 'sightings/listSightings', { context: 'event', id: pub.id, org_id: sighter.orgId }, owner.key);
      assert.deepEqual(byOrg.body.map((r: Row) => r.Sighting.source), ['honeypot']);
      const path = await s.call('GET', `sightings/listSightings/${pub.id}/event`, undefined, owner.key);
      assert.equal(path.body.length, 3);
      const hidden = await s.call('POST', 'sightings/listSightings', { context: 'event', id: priv.id }, outsider.key);
      assert.equal(hidden.status, 405);
      assert.equal(hidden.body.message, 'Invalid object.');
    });

    it('index and view apply the same rules', async () => {
      const idx = await s.call('GET', 'sightings/index', undefined, sighter.key);
      assert.deepEqual(idx.body.map((r: Row) => r.Sighting.source), ['honeypot']);
      const own = idx.body[0].Sighting;
      assert.equal((await s.call('GET', `sightings/view/${own.id}`, undefined, sighter.key)).body.Sighting.source, 'honeypot');
      const privSighting = (await search({ id: Number(priv.id) }, owner.key, 'sightings/restSearch/event'))[0]!.Sighting;
      const v = await s.call('GET', `sightings/view/${privSighting.uuid}`, undefined, outsider.key);
      assert.equal(v.status, 404);
      assert.equal(v.body.message, 'Invalid sighting.');
    });

    it('delete: own org\'s sightings with perm_modify_org, anything else looks absent; site admins any', async () => {
      const [mine] = await search({ source: 'honeypot' }, sighter.key);
      const [theirs] = await search({ source: 'analyst' }, owner.key);
      const refused = await s.call('POST', `sightings/delete/${theirs!.Sighting.id}`, undefined, sighter.key);
      assert.equal(refused.status, 404);
      assert.equal(refused.body.message, 'Invalid sighting.');
      const noPerm = await s.call('POST', `sightings/delete/${mine!.Sighting.id}`, undefined, outsider.key);
      assert.equal(noPerm.status, 403);
      const ok = await s.call('POST', `sightings/delete/${mine!.Sighting.id}`, undefined, sighter.key);
      assert.equal(ok.status, 200);
      assert.equal(ok.body.message, 'Sighting successfully deleted.');
      assert.deepEqual(await search({ source: 'honeypot' }, owner.key), []);
      assert.equal((await s.call('POST', `sightings/delete/${theirs!.Sighting.uuid}`)).status, 200, 'site admin');
    });
  });
}
