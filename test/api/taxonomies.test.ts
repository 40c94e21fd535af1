import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_DATA_PACKS } from '../../src/app/config.js';
import { makeDataPack, type TempDataPack } from '../support/knowledge-pack-fixture.js';
import { createUserWithKey, insertAttribute, insertEvent } from '../support/tag-test-fixtures.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/** Taxonomies over HTTP (spec §1.2, §3.4), following PyMISP's test_taxonomies and MISP's TaxonomiesController. */

const machinetag = (name: string) => JSON.parse(readFileSync(join(DEFAULT_DATA_PACKS, 'taxonomies', name, 'machinetag.json'), 'utf8'));
/** How many tags a machinetag.json defines: one per entry, one per predicate without entries. */
function tagCount(name: string): number {
  const j = machinetag(name);
  const withEntries = new Set((j.values ?? []).filter((v: any) => v.entry.length).map((v: any) => v.predicate));
  return (j.values ?? []).reduce((n: number, v: any) => n + v.entry.length, 0) + j.predicates.filter((p: any) => !withEntries.has(p.value)).length;
}

for (const dialect of testDialects()) {
  describe(`${dialect}: taxonomies API`, () => {
    let s: TestServer;
    let pack: TempDataPack;
    let ids: Record<string, string>;
    let tagger: { key: string; orgId: number };

    before(async () => {
      pack = makeDataPack({ taxonomies: ['tlp', 'PAP', 'admiralty-scale'] });
      s = await startTestServer(dialect, { CAIRN_DATA_PACKS: pack.dir });
      tagger = await createUserWithKey(s, { orgName: 'ORGNAME', email: 'tagger@admin.test', perms: ['perm_add', 'perm_modify_org', 'perm_tagger'] });
    });
    after(async () => {
      await s.close();
      pack.remove();
    });

    it('installs the pack on update, then reports it up to date', async () => {
      const first = await s.call('POST', 'taxonomies/update');
      assert.equal(first.status, 200);
      assert.equal(first.body.message, 'Successfully updated 3 taxonomy libraries.');
      assert.equal(first.body.url, '/taxonomies/update');
      const again = await s.call('POST', 'taxonomies/update');
      assert.equal(again.body.name, 'All taxonomy libraries are up to date already.');
    });

    it('lists taxonomies with tag counts and MISP wire types', async () => {
      const r = await s.call('GET', 'taxonomies/index');
      assert.equal(r.status, 200);
      assert.equal(r.body.length, 3);
      ids = Object.fromEntries(r.body.map((row: any) => [row.Taxonomy.namespace, row.Taxonomy.id]));
      const tlp = r.body.find((row: any) => row.Taxonomy.namespace === 'tlp');
      assert.deepEqual(Object.keys(tlp).sort(), ['Taxonomy', 'current_count', 'total_count']);
      assert.equal(tlp.total_count, tagCount('tlp'));
      assert.equal(tlp.current_count, 0);
      assert.match(tlp.Taxonomy.id, /^\d+$/);
      assert.equal(tlp.Taxonomy.version, String(machinetag('tlp').version));
      assert.equal(tlp.Taxonomy.enabled, false);
      assert.equal(tlp.Taxonomy.exclusive, true);
      assert.equal(tlp.Taxonomy.required, false);
      const search = await s.call('GET', 'taxonomies/index/value:reliab');
      assert.deepEqual(search.body.map((row: any) => row.Taxonomy.namespace), ['admiralty-scale']);
      const enabled = await s.call('GET', 'taxonomies/index/enabled:1');
      assert.deepEqual(enabled.body, []);
    });

    it('views a taxonomy by id or namespace with its tags', async () => {
      const r = await s.call('GET', `taxonomies/view/${ids['admiralty-scale']}`);
      assert.equal(r.status, 200);
      assert.equal(r.body.Taxonomy.namespace, 'admiralty-scale');
      assert.equal(r.body.entries.length, tagCount('admiralty-scale'));
      const a = r.body.entries.find((e: any) => e.tag === 'admiralty-scale:source-reliability="a"');
      assert.equal(a.numerical_value, '100');
      assert.equal(a.exclusive_predicate, true);
      assert.equal(a.existing_tag, false);
      assert.match(a.expanded, /^Source Reliability: /);
      const byName = await s.call('GET', 'taxonomies/view/TLP');
      assert.equal(byName.body.Taxonomy.id, ids.tlp);
      const missing = await s.call('GET', 'taxonomies/view/9999');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.message, 'Taxonomy not found.');
    });

    it('enables a taxonomy and creates its tags with the pack colours and numerical values', async () => {
      const en = await s.call('POST', `taxonomies/enable/${ids['admiralty-scale']}`);
      assert.equal(en.body.message, 'Taxonomy enabled');
      assert.equal(en.body.url, `/taxonomies/enable/${ids['admiralty-scale']}`);
      const add = await s.call('POST', `taxonomies/addTag/${ids['admiralty-scale']}`);
      assert.equal(add.body.name, 'The tag(s) has been saved.');
      await s.call('POST', `taxonomies/addTag/${ids['admiralty-scale']}`);
      const tags = (await s.call('GET', 'tags/index/searchall:admiralty-scale')).body.Tag;
      assert.equal(tags.length, tagCount('admiralty-scale'), 'enabling twice creates no duplicates');
      const a = tags.find((t: any) => t.name === 'admiralty-scale:source-reliability="a"');
      assert.equal(a.numerical_value, '100');
      assert.equal(a.hide_tag, false);
      assert.match(a.colour, /^#[0-9a-f]{6}$/);
      const view = await s.call('GET', `taxonomies/view/${ids['admiralty-scale']}`);
      const entry = view.body.entries.find((e: any) => e.tag === a.name);
      assert.equal(entry.existing_tag.Tag.id, a.id);
      const index = await s.call('GET', 'taxonomies/index/enabled:1');
      assert.deepEqual(index.body.map((row: any) => [row.Taxonomy.namespace, row.current_count]), [['admiralty-scale', tagCount('admiralty-scale')]]);
      await s.call('POST', `taxonomies/addTag/${ids.tlp}`);
      const red = (await s.call('GET', 'tags/index/searchall:tlp:red')).body.Tag[0];
      assert.equal(red.colour, '#FF2B2B', 'the colour given by the pack wins');
    });

    it('creates only the named tags when addTag gets a name list', async () => {
      const r = await s.call('POST', 'taxonomies/addTag', { Taxonomy: { taxonomy_id: ids.PAP, nameList: JSON.stringify(['PAP:RED']) } });
      assert.equal(r.body.message, 'The tag(s) has been saved.');
      const tags = (await s.call('GET', 'tags/index/searchall:PAP:')).body.Tag.map((t: any) => t.name);
      assert.deepEqual(tags, ['PAP:RED']);
    });

    it('enforces taxonomy and predicate exclusivity on events/addTag and attributes/addTag', async () => {
      const ev = await insertEvent(s, { orgId: tagger.orgId });
      const tag = async (name: string) => (await s.call('GET', `tags/index/searchall:${encodeURIComponent(name)}`)).body.Tag.find((t: any) => t.name === name).id;
      const first = await s.call('POST', `events/addTag/${ev.id}/${await tag('tlp:red')}`, undefined, tagger.key);
      assert.equal(first.body.saved, true, JSON.stringify(first.body));
      const second = await s.call('POST', `events/addTag/${ev.id}/${await tag('tlp:amber')}`, undefined, tagger.key);
      assert.deepEqual(second.body, { saved: false, errors: 'Tag is not allowed due to taxonomy exclusivity settings' });
      const local = await s.call('POST', `events/addTag/${ev.id}/${await tag('tlp:amber')}/local:1`, undefined, tagger.key);
      assert.equal(local.body.saved, true, 'local and global tags are checked separately');
      const attr = await insertAttribute(s, ev.id);
      const rel = await s.call('POST', `attributes/addTag/${attr.id}/${await tag('admiralty-scale:source-reliability="a"')}`, undefined, tagger.key);
      assert.equal(rel.body.saved, true);
      const clash = await s.call('POST', `attributes/addTag/${attr.id}/${await tag('admiralty-scale:source-reliability="b"')}`, undefined, tagger.key);
      assert.equal(clash.body.saved, false);
      const other = await s.call('POST', `attributes/addTag/${attr.id}/${await tag('admiralty-scale:information-credibility="1"')}`, undefined, tagger.key);
      assert.equal(other.body.saved, true, 'another predicate of the taxonomy is fine');
    });

    it('disables a taxonomy and hides its tags', async () => {
      const hide = await s.call('POST', `taxonomies/disableTag/${ids['admiralty-scale']}`);
      assert.equal(hide.body.message, 'The tag(s) has been hidden.');
      const r = await s.call('POST', `taxonomies/disable/${ids['admiralty-scale']}`);
      assert.equal(r.body.message, 'Taxonomy disabled');
      const tags = (await s.call('GET', 'tags/index/searchall:admiralty-scale')).body.Tag;
      assert.ok(tags.every((t: any) => t.hide_tag === true));
      const row = (await s.call('GET', 'taxonomies/index')).body.find((x: any) => x.Taxonomy.namespace === 'admiralty-scale');
      assert.equal(row.Taxonomy.enabled, false);
      assert.equal(row.current_count, 0);
    });

    it('toggles the required flag with MISP message', async () => {
      const r = await s.call('POST', `taxonomies/toggleRequired/${ids.tlp}`, { Taxonomy: { required: true } });
      assert.equal(r.body.message, 'Taxonomy toggleRequireded');
      assert.equal((await s.call('GET', `taxonomies/view/${ids.tlp}`)).body.Taxonomy.required, true);
      await s.call('POST', `taxonomies/toggleRequired/${ids.tlp}`, { Taxonomy: { required: false } });
      assert.equal((await s.call('GET', `taxonomies/view/${ids.tlp}`)).body.Taxonomy.required, false);
    });

    it('refuses changes from non-admins and unknown ids', async () => {
      const denied = await s.call('POST', `taxonomies/enable/${ids.tlp}`, undefined, tagger.key);
      assert.equal(denied.status, 403);
      const unknown = await s.call('POST', 'taxonomies/enable/9999');
      assert.equal(unknown.status, 403);
      assert.equal(unknown.body.saved, false);
      assert.equal(unknown.body.message, 'Could not enable Taxonomy');
      assert.equal(unknown.body.errors, 'Invalid taxonomy.');
      const get = await s.call('GET', `taxonomies/enable/${ids.tlp}`);
      assert.equal(get.status, 405);
    });

    it('upgrades a taxonomy whose pack version grew, keeping its id and state, and counts broken files as failures', async () => {
      await s.call('POST', `taxonomies/enable/${ids.tlp}`);
      const tlp = machinetag('tlp');
      tlp.version += 1;
      tlp.predicates.find((p: any) => p.value === 'red').colour = '#cc0000';
      pack.write('taxonomies/tlp/machinetag.json', JSON.stringify(tlp));
      pack.write('taxonomies/broken/machinetag.json', '{"namespace": "broken", ');
      const r = await s.call('POST', 'taxonomies/update');
      assert.equal(r.body.message, 'Successfully updated 1 taxonomy libraries. However, could not update 1 taxonomy libraries.');
      const view = await s.call('GET', 'taxonomies/view/tlp');
      assert.equal(view.body.Taxonomy.id, ids.tlp);
      assert.equal(view.body.Taxonomy.version, String(tlp.version));
      assert.equal(view.body.Taxonomy.enabled, true);
      const red = view.body.entries.find((e: any) => e.tag === 'tlp:red');
      assert.equal(red.existing_tag.Tag.colour, '#cc0000', 'existing tags follow the new pack colour');
      pack.write('taxonomies/broken/machinetag.json', JSON.stringify({ ...machinetag('PAP'), namespace: 'broken', values: [{ predicate: 'nope', entry: [] }] }));
      const again = await s.call('POST', 'taxonomies/update');
      assert.equal(again.body.message, 'Could not update any of the taxonomy libraries');
    });
  });
}
