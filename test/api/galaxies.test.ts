import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { importGalaxies } from '../../src/core/galaxies/galaxy-import.js';
import { smallDataPacks, type TestPacks } from '../support/knowledge-pack-dir.js';
import { createUserWithKey } from '../support/tag-test-fixtures.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/**
 * Galaxies and clusters (spec §2.6, §3.5, §4.5) over a small copy of the galaxy pack: the import (idempotent,
 * version-aware, broken files skipped), index/view/search, default clusters as PyMISP reads them and their
 * read-only rule, custom clusters through their whole life (add, edit, relations, publish, fork, delete, restore),
 * who sees and changes them, attachCluster / detach and the `Galaxy` lists of events/view, restSearch and export.
 */

type User = { key: string; userId: number; orgId: number };
type Json = Record<string, any>;

for (const dialect of testDialects()) {
  describe(`${dialect}: galaxies`, () => {
    let s: TestServer;
    let packs: TestPacks;
    let editor: User;
    let colleague: User;
    let rival: User;
    let outsider: User;
    let reader: User;
    let galaxyId = '';
    let defaultCluster: Json;
    let secondCluster: Json;

    const addCluster = async (body: Json, key = editor.key, galaxy = galaxyId) => s.call('POST', `galaxy_clusters/add/${galaxy}`, body, key);
    const view = async (ref: string | number, key = editor.key) => s.call('GET', `galaxy_clusters/view/${ref}`, undefined, key);

    before(async () => {
      packs = smallDataPacks(['tea-matrix', 'nato', 'country']);
      s = await startTestServer(dialect, { CAIRN_DATA_PACKS: packs.dir });
      const editorPerms = ['perm_add', 'perm_modify', 'perm_modify_org', 'perm_publish', 'perm_tagger', 'perm_tag_editor', 'perm_galaxy_editor'] as const;
      editor = await createUserWithKey(s, { orgName: 'Galaxy Org', email: 'editor@gx.test', perms: editorPerms });
      colleague = await createUserWithKey(s, { orgName: 'Galaxy Org', email: 'colleague@gx.test', perms: ['perm_add', 'perm_modify_org', 'perm_tagger'] });
      rival = await createUserWithKey(s, { orgName: 'Rival Org', email: 'rival@gx.test', perms: editorPerms });
      outsider = await createUserWithKey(s, { orgName: 'Elsewhere', email: 'out@gx.test', perms: ['perm_add', 'perm_modify', 'perm_tagger'] });
      reader = await createUserWithKey(s, { orgName: 'Elsewhere', email: 'reader@gx.test', perms: [] });
      const update = await s.call('POST', 'galaxies/update');
      assert.equal(update.status, 200, JSON.stringify(update.body));
      assert.equal(update.body.message, 'Galaxies updated.');
      const index = (await s.call('GET', 'galaxies')).body;
      galaxyId = index.find((g: Json) => g.Galaxy.type === 'tea-matrix').Galaxy.id;
      [defaultCluster, secondCluster] = (await s.call('GET', `galaxies/view/${galaxyId}`)).body.GalaxyCluster;
    });
    after(async () => { await s.close(); packs.cleanup(); });

    describe('import', () => {
      it('imports the pack once; a second run writes nothing and keeps every id', async () => {
        const before = await s.container.storage.galaxies.totals();
        assert.equal(before.galaxies, 3);
        const again = await importGalaxies(s.container.storage, packs.dir);
        assert.equal(again.clustersCreated + again.clustersUpdated + again.galaxiesCreated + again.galaxiesUpdated, 0);
        assert.equal(again.clustersUnchanged, before.clusters);
        assert.deepEqual(await s.container.storage.galaxies.totals(), before);
        const view = (await s.call('GET', `galaxies/view/${galaxyId}`)).body;
        assert.equal(view.Galaxy.type, 'tea-matrix');
        assert.equal(view.GalaxyCluster.length, 7);
        assert.equal(view.GalaxyCluster[0].id, defaultCluster.id);
      });

      it('rewrites a default cluster whose version grew, under its old id', async () => {
        packs.editClusters('tea-matrix', (j) => {
          j.values.find((v: Json) => v.uuid === defaultCluster.uuid).version = 999;
          j.values.find((v: Json) => v.uuid === defaultCluster.uuid).description = 'A newer description';
        });
        const r = await importGalaxies(s.container.storage, packs.dir);
        assert.equal(r.clustersUpdated, 1);
        assert.equal(r.clustersCreated, 0);
        const c = (await view(defaultCluster.id)).body.GalaxyCluster;
        assert.equal(c.uuid, defaultCluster.uuid);
        assert.equal(c.version, '999');
        assert.equal(c.description, 'A newer description');
        assert.deepEqual([...new Set(c.GalaxyElement.map((e: Json) => e.key))], ['kill_chain']);
      });

      it('reports a malformed galaxy or clusters file and imports the rest', async () => {
        const dir = join(packs.dir, 'galaxy');
        writeFileSync(join(dir, 'galaxies', 'broken-json.json'), '{"uuid": "not closed"');
        writeFileSync(join(dir, 'galaxies', 'bad-clusters.json'), JSON.stringify({ uuid: randomUUID(), type: 'bad-clusters', name: 'Bad', version: 1, description: '' }));
        writeFileSync(join(dir, 'clusters', 'bad-clusters.json'), '[1, 2');
        try {
          const r = await importGalaxies(s.container.storage, packs.dir);
          assert.ok(r.warnings.some((w) => w.includes('broken-json.json')), r.warnings.join('\n'));
          assert.ok(r.warnings.some((w) => w.includes('bad-clusters.json')), r.warnings.join('\n'));
          assert.equal((await s.call('POST', 'galaxies/update')).status, 200);
          const types = (await s.call('GET', 'galaxies')).body.map((g: Json) => g.Galaxy.type);
          assert.ok(!types.includes('bad-clusters'), 'a galaxy whose clusters cannot be read is not half-imported');
        } finally {
          for (const f of ['galaxies/broken-json.json', 'galaxies/bad-clusters.json', 'clusters/bad-clusters.json']) rmSync(join(dir, f));
        }
      });

      it('leaves galaxies/update to site admins', async () => {
        const r = await s.call('POST', 'galaxies/update', {}, editor.key);
        assert.equal(r.status, 403);
      });
    });

    describe('galaxies', () => {
      it('lists, views and searches galaxies; default clusters come without distribution, as PyMISP requires', async () => {
        const list = (await s.call('GET', 'galaxies/index', undefined, reader.key)).body;
        assert.equal(list.length, 3);
        const tea = list.find((g: Json) => g.Galaxy.id === galaxyId).Galaxy;
        assert.deepEqual(tea.kill_chain_order, { tea: ['black', 'blend', 'green', 'white', 'yellow', 'oolong', 'post-fermented'] });
        assert.equal(tea.enabled, true);
        const search = await s.call('POST', 'galaxies', { value: 'tea-matrix' }, reader.key);
        assert.deepEqual(search.body.map((g: Json) => g.Galaxy.id), [galaxyId]);
        assert.deepEqual((await s.call('POST', 'galaxies', { value: 'no such galaxy' })).body, []);
        const byUuid = (await s.call('GET', `galaxies/view/${tea.uuid}`, undefined, reader.key)).body;
        assert.equal(byUuid.Galaxy.id, galaxyId);
        assert.equal(defaultCluster.default, true);
        assert.equal(defaultCluster.distribution, undefined);
        assert.match(defaultCluster.tag_name, /^misp-galaxy:tea-matrix="/);
        assert.deepEqual([...new Set(defaultCluster.GalaxyElement.map((e: Json) => e.key))], ['kill_chain']);
        assert.equal((await s.call('GET', 'galaxies/view/999999')).status, 404);
      });

      it('enables and disables galaxies (site admin only)', async () => {
        assert.equal((await s.call('POST', `galaxies/disable/${galaxyId}`, {}, editor.key)).status, 403);
        const off = await s.call('POST', `galaxies/disable/${galaxyId}`);
        assert.equal(off.body.message, 'Galaxy disabled');
        assert.equal((await s.call('POST', 'galaxies/index', { enabled: 0 })).body[0].Galaxy.id, galaxyId);
        const on = await s.call('POST', `galaxies/enable/${galaxyId}`);
        assert.equal(on.body.message, 'Galaxy enabled');
        assert.equal((await s.call('GET', `galaxies/view/${galaxyId}`)).body.Galaxy.enabled, true);
      });
    });

    describe('clusters and events', () => {
      it('shows the clusters behind galaxy tags as Galaxy on events/view, for the event and its attributes', async () => {
        const ev = (await s.call('POST', 'events/add', {
          info: 'galaxy tagged', distribution: 3, Tag: [{ name: defaultCluster.tag_name }],
          Attribute: [{ type: 'text', value: 'tagged attribute', Tag: [{ name: secondCluster.tag_name }] }],
        }, editor.key)).body.Event;
        assert.equal(ev.Galaxy[0].GalaxyCluster[0].uuid, defaultCluster.uuid, 'events/add answers with Galaxy too');
        const got = (await s.call('GET', `events/view/${ev.id}`, undefined, outsider.key)).body.Event;
        assert.equal(got.Galaxy.length, 1);
        assert.equal(got.Galaxy[0].id, galaxyId);
        const cluster = got.Galaxy[0].GalaxyCluster[0];
        assert.equal(cluster.uuid, defaultCluster.uuid);
        assert.deepEqual(cluster.meta, { kill_chain: defaultCluster.GalaxyElement.map((e: Json) => e.value) });
        assert.equal(cluster.local, false);
        assert.ok(cluster.event_tag_id);
        assert.equal(got.Attribute[0].Galaxy[0].GalaxyCluster[0].uuid, secondCluster.uuid);
        assert.ok(got.Attribute[0].Galaxy[0].GalaxyCluster[0].attribute_tag_id);
        const excluded = (await s.call('GET', `events/view/${ev.id}/excludeGalaxy:1`, undefined, outsider.key)).body.Event;
        assert.deepEqual(excluded.Galaxy, []);
        assert.deepEqual(excluded.Attribute[0].Galaxy, []);
        assert.ok(excluded.Tag.some((t: Json) => t.name === defaultCluster.tag_name), 'the tag itself stays');
        assert.equal(got.Tag.find((t: Json) => t.name === defaultCluster.tag_name).is_galaxy, true, 'Tag::beforeValidate sets the flag from the name');
      });

      it('attaches clusters to events and attributes, locally or globally, for users who may tag them', async () => {
        const ev = (await s.call('POST', 'events/add', {
          info: 'attach target', distribution: 3, published: false, Attribute: [{ type: 'ip-dst', value: '203.0.113.9' }],
        }, editor.key)).body.Event;
        const refused = await s.call('POST', `galaxies/attachCluster/${ev.id}/event`, { Galaxy: { target_id: defaultCluster.id } }, outsider.key);
        assert.equal(refused.status, 403);
        const noTagger = await s.call('POST', `galaxies/attachCluster/${ev.id}/event`, { Galaxy: { target_id: defaultCluster.id } }, reader.key);
        assert.equal(noTagger.status, 403);
        const ok = await s.call('POST', `galaxies/attachCluster/${ev.id}/event/local:0`, { Galaxy: { target_id: defaultCluster.id } }, colleague.key);
        assert.equal(ok.status, 200, JSON.stringify(ok.body));
        assert.deepEqual(ok.body, { saved: true, success: 'Cluster attached.', check_publish: true });
        const twice = await s.call('POST', `galaxies/attachCluster/${ev.id}/event`, { Galaxy: { target_id: defaultCluster.id } }, editor.key);
        assert.equal(twice.body.success, 'Cluster already attached.');
        const attributeId = ev.Attribute[0].id;
        const onAttribute = await s.call('POST', `galaxies/attachCluster/${attributeId}/attribute/local:1`, { Galaxy: { target_id: secondCluster.id } });
        assert.equal(onAttribute.body.success, 'Cluster attached.');
        assert.equal((await s.call('POST', `galaxies/attachCluster/${ev.id}/event`, { Galaxy: { target_id: 987654 } })).status, 404);
        const got = (await s.call('GET', `events/view/${ev.id}`, undefined, editor.key)).body.Event;
        assert.equal(got.Galaxy[0].GalaxyCluster[0].uuid, defaultCluster.uuid);
        assert.ok(got.Tag.some((t: Json) => t.name === defaultCluster.tag_name && t.local === false));
        const attrCluster = got.Attribute[0].Galaxy[0].GalaxyCluster[0];
        assert.equal(attrCluster.uuid, secondCluster.uuid);
        assert.equal(attrCluster.local, true);

        // galaxy_clusters/detach/{target}/{type}/{tag id}: creator org only, then the Galaxy is gone.
        const tagId = got.Galaxy[0].GalaxyCluster[0].tag_id;
        assert.equal((await s.call('POST', `galaxy_clusters/detach/${ev.id}/event/${tagId}`, {}, outsider.key)).status, 404);
        const detached = await s.call('POST', `galaxy_clusters/detach/${ev.id}/event/${tagId}`, {}, colleague.key);
        assert.equal(detached.status, 200, JSON.stringify(detached.body));
        assert.equal(detached.body.success, 'Galaxy successfully detached.');
        assert.equal((await s.call('POST', `galaxy_clusters/detach/${ev.id}/event/${tagId}`, {}, colleague.key)).status, 404);
        const after = (await s.call('GET', `events/view/${ev.id}`, undefined, editor.key)).body.Event;
        assert.deepEqual(after.Galaxy, []);
      });

      it('attaches several clusters at once (galaxies/attachMultipleClusters)', async () => {
        const ev = (await s.call('POST', 'events/add', { info: 'multi attach', distribution: 0 }, editor.key)).body.Event;
        const r = await s.call('POST', `galaxies/attachMultipleClusters/${ev.id}/event/local:0`,
          { Galaxy: { target_ids: JSON.stringify([defaultCluster.id, secondCluster.id]) } }, editor.key);
        assert.equal(r.body.saved, true, JSON.stringify(r.body));
        const got = (await s.call('GET', `events/view/${ev.id}`, undefined, editor.key)).body.Event;
        assert.deepEqual(got.Galaxy[0].GalaxyCluster.map((c: Json) => c.uuid).sort(), [defaultCluster.uuid, secondCluster.uuid].sort());
        const none = await s.call('POST', `galaxies/attachMultipleClusters/${ev.id}/event`, { Galaxy: { target_ids: '[]' } }, editor.key);
        assert.deepEqual(none.body, { saved: false, errors: 'No clusters picked.' });
      });
    });

    describe('custom clusters', () => {
      it('goes through add, edit, relations, publish, fork, soft delete, restore and hard delete', async () => {
        const add = await addCluster({
          GalaxyCluster: {
            value: 'Smoky brew', description: 'ours', distribution: 1, authors: ['Galaxy Org'],
            GalaxyElement: [{ key: 'synonyms', value: 'Lapsang' }, { key: 'refs', value: 'https://tea.example' }],
          },
        });
        assert.equal(add.status, 200, JSON.stringify(add.body));
        let c = add.body.GalaxyCluster;
        assert.equal(c.default, false);
        assert.equal(c.published, false);
        assert.equal(c.distribution, '1');
        assert.equal(c.galaxy_id, galaxyId);
        assert.equal(c.tag_name, `misp-galaxy:tea-matrix="${c.uuid}"`);
        assert.equal(c.Orgc.id, String(editor.orgId));
        assert.deepEqual(c.authors, ['Galaxy Org']);
        assert.deepEqual(c.GalaxyElement.map((e: Json) => [e.key, e.value]), [['synonyms', 'Lapsang'], ['refs', 'https://tea.example']]);

        // searchall finds it by value or synonym; context custom lists only custom clusters
        const bySynonym = (await s.call('POST', `galaxy_clusters/index/${galaxyId}`, { context: 'all', searchall: 'lapsang' }, reader.key)).body;
        assert.deepEqual(bySynonym.map((r: Json) => r.GalaxyCluster.uuid), [c.uuid]);
        const custom = (await s.call('POST', `galaxy_clusters/index/${galaxyId}`, { context: 'custom' }, editor.key)).body;
        assert.ok(custom.every((r: Json) => r.GalaxyCluster.default === false));
        assert.ok(custom.some((r: Json) => r.GalaxyCluster.uuid === c.uuid));

        // edit: the elements become exactly the sent ones; the version moves and the cluster is unpublished
        const edit = await s.call('POST', `galaxy_clusters/edit/${c.id}`, {
          GalaxyCluster: { ...c, description: 'still ours', GalaxyElement: [{ key: 'synonyms', value: 'Souchong' }] },
        }, editor.key);
        assert.equal(edit.status, 200, JSON.stringify(edit.body));
        c = edit.body.GalaxyCluster;
        assert.equal(c.description, 'still ours');
        assert.deepEqual(c.GalaxyElement.map((e: Json) => e.value), ['Souchong']);

        // relations: add to a default cluster, view, edit, index, delete
        const rel = await s.call('POST', 'galaxy_cluster_relations/add/', {
          galaxy_cluster_uuid: c.uuid, referenced_galaxy_cluster_uuid: defaultCluster.uuid,
          referenced_galaxy_cluster_type: 'similar-to', distribution: 3, tags: 'tlp:green',
        }, editor.key);
        assert.equal(rel.status, 200, JSON.stringify(rel.body));
        const dup = await s.call('POST', 'galaxy_cluster_relations/add/', {
          galaxy_cluster_uuid: c.uuid, referenced_galaxy_cluster_uuid: defaultCluster.uuid, referenced_galaxy_cluster_type: 'similar-to',
        }, editor.key);
        assert.equal(dup.status, 403);
        c = (await view(c.uuid)).body.GalaxyCluster;
        assert.equal(c.GalaxyClusterRelation.length, 1);
        const relation = c.GalaxyClusterRelation[0];
        assert.equal(relation.referenced_galaxy_cluster_id, defaultCluster.id);
        assert.deepEqual(relation.Tag.map((t: Json) => t.name), ['tlp:green']);
        const target = (await view(defaultCluster.id)).body.GalaxyCluster;
        assert.ok(target.TargetingClusterRelation.some((r: Json) => r.id === relation.id));
        const relView = (await s.call('GET', `galaxy_cluster_relations/view/${relation.id}`, undefined, reader.key)).body;
        assert.equal(relView.GalaxyClusterRelation.referenced_galaxy_cluster_type, 'similar-to');
        assert.equal(relView.TargetCluster.uuid, defaultCluster.uuid);

        const relEdit = await s.call('POST', `galaxy_cluster_relations/edit/${relation.id}`, {
          ...relation, referenced_galaxy_cluster_type: 'derived-from', Tag: [{ name: 'tlp:amber' }],
        }, editor.key);
        assert.equal(relEdit.status, 200, JSON.stringify(relEdit.body));
        assert.equal((await s.call('POST', `galaxy_cluster_relations/edit/${relation.id}`, relation, rival.key)).status, 405);
        const edited = (await view(c.id)).body.GalaxyCluster.GalaxyClusterRelation[0];
        assert.equal(edited.referenced_galaxy_cluster_type, 'derived-from');
        assert.deepEqual(edited.Tag.map((t: Json) => t.name), ['tlp:amber']);

        const relIndex = (await s.call('POST', 'galaxy_cluster_relations/index', { context: 'custom', searchall: 'smoky' }, reader.key)).body;
        assert.equal(relIndex.length, 1);
        assert.equal(relIndex[0].GalaxyClusterRelation.id, relation.id);
        assert.equal(relIndex[0].SourceCluster.uuid, c.uuid);
        assert.equal(relIndex[0].TargetCluster.uuid, defaultCluster.uuid);
        assert.deepEqual(relIndex[0].GalaxyClusterRelationTag.map((t: Json) => t.Tag.name), ['tlp:amber']);
        const defaults = (await s.call('GET', 'galaxy_cluster_relations/index/context:default/limit:5')).body;
        assert.equal(defaults.length, 5, 'the nato clusters bring default relations');
        assert.ok(defaults.every((r: Json) => r.GalaxyClusterRelation.default === true));
        const defaultEdit = await s.call('POST', `galaxy_cluster_relations/edit/${defaults[0].GalaxyClusterRelation.id}`, { referenced_galaxy_cluster_type: 'x' });
        assert.equal(defaultEdit.status, 405);

        const relDelete = await s.call('POST', `galaxy_cluster_relations/delete/${relation.id}`, {}, editor.key);
        assert.equal(relDelete.status, 200, JSON.stringify(relDelete.body));
        assert.deepEqual((await view(c.id)).body.GalaxyCluster.GalaxyClusterRelation, []);

        // publish / unpublish
        const pub = await s.call('POST', `galaxy_clusters/publish/${c.id}`, {}, editor.key);
        assert.equal(pub.status, 200, JSON.stringify(pub.body));
        assert.equal((await view(c.id)).body.GalaxyCluster.published, true);
        assert.equal((await s.call('POST', `galaxy_clusters/publish/${c.id}`, {}, editor.key)).status, 405);
        const unpub = await s.call('POST', `galaxy_clusters/unpublish/${c.id}`, {}, editor.key);
        assert.equal(unpub.body.message, 'GalaxyCluster unpublished');
        assert.equal((await view(c.id)).body.GalaxyCluster.published, false);

        // fork: PyMISP's fork_galaxy_cluster posts the cluster with extends_uuid / extends_version
        const { uuid, version, id: _id, ...rest } = c;
        const fork = await s.call('POST', `galaxy_clusters/add/${galaxyId}/forkUUID:${c.uuid}`,
          { ...rest, value: 'Smoky fork', extends_uuid: uuid, extends_version: version }, rival.key);
        assert.equal(fork.status, 200, JSON.stringify(fork.body));
        assert.equal(fork.body.GalaxyCluster.extends_uuid, c.uuid);
        assert.equal(fork.body.GalaxyCluster.Orgc.id, String(rival.orgId));

        // soft delete keeps it visible as deleted; restore brings it back; hard delete removes it
        assert.equal((await s.call('POST', `galaxy_clusters/delete/${c.id}`, {}, rival.key)).status, 405);
        const soft = await s.call('POST', `galaxy_clusters/delete/${c.id}`, {}, editor.key);
        assert.equal(soft.body.message, 'Galaxy cluster successfuly soft deleted.');
        assert.equal((await view(c.id)).body.GalaxyCluster.deleted, true);
        const deleted = (await s.call('POST', `galaxy_clusters/index/${galaxyId}`, { context: 'deleted' }, editor.key)).body;
        assert.deepEqual(deleted.map((r: Json) => r.GalaxyCluster.uuid), [c.uuid]);
        const restored = await s.call('POST', `galaxy_clusters/restore/${c.id}`, {}, editor.key);
        assert.equal(restored.body.message, 'GalaxyCluster restored');
        assert.equal((await view(c.id)).body.GalaxyCluster.deleted, false);
        const hard = await s.call('POST', `galaxy_clusters/delete/${c.uuid}`, { hard: 1 }, editor.key);
        assert.equal(hard.status, 200, JSON.stringify(hard.body));
        assert.equal((await view(c.id)).status, 404);
      });

      it('blocklists a hard-deleted cluster: its uuid is refused by add and import until the entry is removed', async () => {
        const c = (await addCluster({ value: 'Doomed brew', distribution: 1 })).body.GalaxyCluster;
        assert.equal((await s.call('POST', `galaxy_clusters/delete/${c.id}`, { hard: 1 }, editor.key)).status, 200);
        const list = await s.call('GET', 'galaxyClusterBlocklists/index');
        assert.equal(list.status, 200, JSON.stringify(list.body));
        const entry = list.body.find((e: Json) => e.cluster_uuid === c.uuid);
        assert.equal(entry.cluster_info, 'Doomed brew');
        assert.equal(entry.cluster_orgc, (await s.call('GET', `organisations/view/${editor.orgId}`)).body.Organisation.name);

        const again = await addCluster({ value: 'Doomed brew', uuid: c.uuid, distribution: 1 });
        assert.equal(again.status, 403);
        assert.match(JSON.stringify(again.body), /Blocked by blocklist/);
        const imported = await s.call('POST', 'galaxies/import', [{ GalaxyCluster: { ...c, id: undefined, version: '999' } }]);
        assert.match(imported.body.message, /0 imported, 1 ignored/);

        assert.equal((await s.call('GET', 'galaxyClusterBlocklists/index', undefined, editor.key)).status, 403, 'site admins only');
        const edited = await s.call('POST', `galaxyClusterBlocklists/edit/${entry.id}`, { comment: 'deleted on purpose' });
        assert.equal(edited.body.GalaxyClusterBlocklist.comment, 'deleted on purpose');
        assert.equal((await s.call('POST', `galaxyClusterBlocklists/delete/${c.uuid}`)).body.success, true);
        assert.equal((await addCluster({ value: 'Doomed brew', uuid: c.uuid, distribution: 1 })).status, 200);
        const manual = await s.call('POST', 'galaxyClusterBlocklists/add', { uuids: [c.uuid], cluster_info: 'again' });
        assert.deepEqual(manual.body.result, { successes: [c.uuid], fails: [] });
      });

      it('keeps default clusters read-only, even for site admins', async () => {
        const edit = await s.call('POST', `galaxy_clusters/edit/${defaultCluster.id}`, { value: 'renamed' });
        assert.equal(edit.status, 405);
        assert.equal(edit.body.message, 'Default galaxy cluster cannot be edited');
        assert.equal((await s.call('POST', `galaxy_clusters/delete/${defaultCluster.id}`, {})).status, 405);
        assert.equal((await s.call('POST', `galaxy_clusters/publish/${defaultCluster.id}`, {})).status, 405);
        const relation = await s.call('POST', 'galaxy_cluster_relations/add/', {
          galaxy_cluster_uuid: defaultCluster.uuid, referenced_galaxy_cluster_uuid: secondCluster.uuid, referenced_galaxy_cluster_type: 'x',
        });
        assert.equal(relation.status, 405);
        assert.equal((await view(defaultCluster.id)).body.GalaxyCluster.value, defaultCluster.value);
      });

      it('validates what it stores', async () => {
        const empty = await addCluster({ GalaxyCluster: { value: '' } });
        assert.equal(empty.status, 403);
        assert.equal(empty.body.saved, false);
        const distribution = await addCluster({ value: 'bad distribution', distribution: 9 });
        assert.equal(distribution.status, 403);
        const sg = await addCluster({ value: 'no such group', distribution: 4, sharing_group_id: 424242 });
        assert.equal(sg.status, 403);
        assert.match(JSON.stringify(sg.body.errors), /sharing group/);
        assert.equal((await addCluster({ value: 'nowhere' }, editor.key, '999999')).status, 403);
      });
    });

    describe('access control', () => {
      let secret: Json;

      before(async () => {
        const add = await addCluster({ GalaxyCluster: { value: 'Private brew', description: 'ours', distribution: 0 } });
        assert.equal(add.status, 200, JSON.stringify(add.body));
        secret = add.body.GalaxyCluster;
      });

      it('hides an organisation-only cluster from other organisations everywhere', async () => {
        assert.equal(secret.distribution, '0');
        assert.equal((await view(secret.id, colleague.key)).status, 200, 'same organisation');
        const hidden = await view(secret.uuid, outsider.key);
        assert.equal(hidden.status, 404);
        assert.equal(hidden.body.message, 'Invalid galaxy cluster');
        const listed = (await s.call('GET', `galaxies/view/${galaxyId}`, undefined, outsider.key)).body.GalaxyCluster;
        assert.equal(listed.some((c: Json) => c.uuid === secret.uuid), false);
        const indexed = (await s.call('POST', `galaxy_clusters/index/${galaxyId}`, { searchall: 'Private brew' }, outsider.key)).body;
        assert.deepEqual(indexed, []);
        const searched = (await s.call('POST', 'galaxy_clusters/restSearch', { uuid: secret.uuid }, outsider.key)).body;
        assert.deepEqual(searched.response, []);
        const ev = (await s.call('POST', 'events/add', { info: 'outsider event', distribution: 0 }, outsider.key)).body.Event;
        const attach = await s.call('POST', `galaxies/attachCluster/${ev.id}/event`, { Galaxy: { target_id: secret.id } }, outsider.key);
        assert.equal(attach.status, 404);
        const exported = (await s.call('POST', `galaxies/export/${galaxyId}`, { Galaxy: { default: 0, custom: 1 } }, outsider.key)).body;
        assert.equal(exported.some((c: Json) => c.GalaxyCluster.uuid === secret.uuid), false);
      });

      it('shows the cluster on an event only to those who may see the cluster', async () => {
        const ev = (await s.call('POST', 'events/add', { info: 'secret cluster on a shared event', distribution: 3, Tag: [{ name: secret.tag_name }] }, editor.key)).body.Event;
        assert.equal((await s.call('GET', `events/view/${ev.id}`, undefined, colleague.key)).body.Event.Galaxy[0].GalaxyCluster[0].uuid, secret.uuid);
        const seen = (await s.call('GET', `events/view/${ev.id}`, undefined, outsider.key)).body.Event;
        assert.deepEqual(seen.Galaxy, []);
      });

      it('lets only the creator organisation change a cluster, and only galaxy editors add one', async () => {
        const rivalEdit = await s.call('POST', `galaxy_clusters/edit/${secret.id}`, { value: 'taken' }, rival.key);
        assert.equal(rivalEdit.status, 404, 'an organisation-only cluster does not even exist for them');
        const shared = (await addCluster({ value: 'Shared brew', distribution: 3 })).body.GalaxyCluster;
        const refused = await s.call('POST', `galaxy_clusters/edit/${shared.id}`, { value: 'taken' }, rival.key);
        assert.equal(refused.status, 405);
        assert.equal(refused.body.message, 'Only the creator organisation can modify the galaxy cluster');
        assert.equal((await s.call('POST', `galaxy_clusters/publish/${shared.id}`, {}, rival.key)).status, 405);
        const noPerm = await addCluster({ GalaxyCluster: { value: 'Refused' } }, outsider.key);
        assert.equal(noPerm.status, 403);
        assert.equal(noPerm.body.message, 'You do not have permission to use this functionality.');
        assert.equal((await s.call('POST', `galaxy_clusters/edit/${shared.id}`, { value: 'x' }, colleague.key)).status, 403);
        assert.equal((await view(shared.id, reader.key)).body.GalaxyCluster.value, 'Shared brew');
      });
    });

    describe('search and export', () => {
      let published: Json;

      before(async () => {
        published = (await addCluster({ value: 'Exported brew', distribution: 3, GalaxyElement: [{ key: 'synonyms', value: 'Export me' }] })).body.GalaxyCluster;
        assert.equal((await s.call('POST', `galaxy_clusters/publish/${published.id}`, {}, editor.key)).status, 200);
      });

      it('answers galaxy_clusters/restSearch as sync peers ask it, and in full', async () => {
        const minimal = (await s.call('POST', 'galaxy_clusters/restSearch', { published: 1, minimal: 1, custom: 1 }, rival.key)).body;
        assert.deepEqual(minimal.response, [{ GalaxyCluster: { uuid: published.uuid, version: published.version } }]);
        const full = (await s.call('POST', 'galaxy_clusters/restSearch', { uuid: [defaultCluster.uuid] }, reader.key)).body.response;
        assert.equal(full.length, 1);
        assert.equal(full[0].GalaxyCluster.Galaxy.id, galaxyId);
        assert.ok(Array.isArray(full[0].GalaxyCluster.GalaxyElement));
      });

      it('exports a galaxy in MISP and misp-galaxy formats', async () => {
        const misp = (await s.call('POST', `galaxies/export/${galaxyId}`, { Galaxy: { default: 0, custom: 1, distribution: [3] } }, reader.key)).body;
        const mine = misp.find((c: Json) => c.GalaxyCluster.uuid === published.uuid).GalaxyCluster;
        assert.equal(mine.id, undefined);
        assert.equal(mine.galaxy_id, undefined);
        assert.deepEqual(mine.GalaxyElement, [{ key: 'synonyms', value: 'Export me' }]);
        assert.ok(misp.every((c: Json) => c.GalaxyCluster.default === false));
        const pack = (await s.call('POST', `galaxies/export/${galaxyId}`, { Galaxy: { default: 1, custom: 0, format: 'misp-galaxy' } }, reader.key)).body;
        assert.equal(pack.type, 'tea-matrix');
        assert.equal(pack.uuid, '7eacd736-b093-4cc0-a56c-5f84de725dfb');
        assert.equal(pack.values.length, 7);
        assert.ok(pack.values.every((v: Json) => typeof v.meta.kill_chain !== 'undefined'));
        const one = (await s.call('GET', `galaxy_clusters/export_for_misp_galaxy/${published.uuid}`, undefined, reader.key)).body;
        assert.deepEqual(one, { description: '', uuid: published.uuid, value: 'Exported brew', meta: { synonyms: 'Export me' } });
      });

      it('imports exported clusters by uuid: new ones locked, newer versions replaced, the rest ignored', async () => {
        const [exported] = (await s.call('POST', `galaxies/export/${galaxyId}`, { Galaxy: { default: 0, custom: 1 } }, editor.key)).body
          .filter((c: Json) => c.GalaxyCluster.uuid === published.uuid);
        const uuid = randomUUID();
        const copy = { GalaxyCluster: { ...exported.GalaxyCluster, uuid, value: 'Imported brew', version: '100' } };
        const first = await s.call('POST', 'galaxies/import', [copy], rival.key);
        assert.equal(first.status, 200, JSON.stringify(first.body));
        assert.match(first.body.message, /^Galaxy clusters imported\. 1 imported, 0 ignored, 0 failed\./);
        const c = (await view(uuid, rival.key)).body.GalaxyCluster;
        assert.equal(c.locked, true);
        assert.equal(c.galaxy_id, galaxyId);
        assert.equal(c.Orgc.id, String(rival.orgId), 'only sync users and site admins keep another creator organisation');
        assert.equal(c.tag_name, `misp-galaxy:tea-matrix="${uuid}"`);
        assert.deepEqual(c.GalaxyElement.map((e: Json) => e.value), ['Export me']);
        const same = await s.call('POST', 'galaxies/import', [copy], rival.key);
        assert.match(same.body.message, /0 imported, 1 ignored/);
        const newer = await s.call('POST', 'galaxies/import', [{ GalaxyCluster: { ...copy.GalaxyCluster, version: '200', description: 'newer' } }]);
        assert.match(newer.body.message, /1 imported/);
        const updated = (await view(uuid)).body.GalaxyCluster;
        assert.equal(updated.id, c.id);
        assert.equal(updated.description, 'newer');
        assert.equal(updated.Orgc.id, String(editor.orgId), 'a site admin keeps the sent creator organisation');
        const refused = await s.call('POST', 'galaxies/import', [{ GalaxyCluster: { ...copy.GalaxyCluster, uuid: randomUUID(), default: true } }]);
        assert.equal(refused.status, 403);
        assert.match(refused.body.errors, /Only non-default clusters can be saved/);
        assert.equal((await s.call('POST', 'galaxies/import', [copy], outsider.key)).status, 403, 'perm_galaxy_editor');
      });
    });

    describe('site admin maintenance', () => {
      it('wipes default clusters and brings them back with galaxies/update; deletes a galaxy', async () => {
        const nato = (await s.call('GET', 'galaxies')).body.find((g: Json) => g.Galaxy.type === 'nato').Galaxy;
        assert.equal((await s.call('POST', 'galaxies/wipe_default', {}, editor.key)).status, 403);
        const wipe = await s.call('POST', 'galaxies/wipe_default');
        assert.equal(wipe.body.message, 'Default galaxy clusters dropped.');
        const left = (await s.call('GET', `galaxies/view/${galaxyId}`)).body.GalaxyCluster;
        assert.ok(left.length > 0 && left.every((c: Json) => c.default === false), 'custom clusters stay');
        await s.call('POST', 'galaxies/update');
        assert.equal((await s.call('GET', `galaxies/view/${galaxyId}`)).body.GalaxyCluster.filter((c: Json) => c.default).length, 7);
        const del = await s.call('POST', `galaxies/delete/${nato.id}`);
        assert.equal(del.body.message, 'Galaxy deleted');
        assert.equal((await s.call('GET', `galaxies/view/${nato.id}`)).status, 404);
        await s.call('POST', 'galaxies/update');
        assert.ok((await s.call('GET', 'galaxies')).body.some((g: Json) => g.Galaxy.type === 'nato'));
      });
    });
  });
}
