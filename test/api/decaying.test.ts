import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { importKnowledgePacks } from '../../src/app/knowledge-packs.js';
import { copiedPack, type CopiedPack } from '../support/pack-copy.js';
import { createUserWithKey, insertAttribute, insertEvent, rawDb, storedUuid } from '../support/tag-test-fixtures.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';
import { valueHashes } from '../../src/storage/repos/event-write-rows.js';

/**
 * Decaying models over HTTP (spec §3.12, §3.14): decayingModel/update|index|view|enable|disable as PyMISP's
 * test_search_decay drives them, and the decay score restSearch attaches with includeDecayScore, decayingModel,
 * modelOverrides, score and excludeDecayed (MISP's Polynomial formula: base · (1 − (t/τ)^(1/δ))).
 */

const DAY = 86_400;
const NIDS = 'NIDS Simple Decaying Model';
const PHISHING = 'Phishing model';
const now = () => Math.floor(Date.now() / 1000);
const close = (actual: number, expected: number, eps = 0.01) => assert.ok(Math.abs(actual - expected) < eps, `${actual} ≉ ${expected}`);

for (const dialect of testDialects()) {
  describe(`${dialect}: decaying models API`, () => {
    let s: TestServer;
    let pack: CopiedPack;
    let reader: { key: string; orgId: number };
    let decayer: { key: string };
    const ids: Record<string, string> = {};

    /** An event of the host org visible to all, with one ip-dst attribute last changed `ageDays` ago. */
    async function indicator(value: string, ageDays: number, eventTimestamp = now()) {
      const e = await insertEvent(s, { distribution: 3, published: true, timestamp: eventTimestamp });
      const a = await insertAttribute(s, e.id, { value, timestamp: now() - Math.round(ageDays * DAY) });
      return { event: e, attribute: a };
    }

    async function numericTag(name: string, value: number): Promise<number> {
      const r = await rawDb(s).insertInto('tags').values({
        name, name_lower: name.toLowerCase(), colour: '#ffffff', exportable: 1, org_id: 0, user_id: 0, hide_tag: 0,
        numerical_value: value, is_galaxy: 0, is_custom_galaxy: 0, local_only: 0,
      }).returning('id').executeTakeFirstOrThrow();
      return r.id;
    }

    async function search(body: Record<string, unknown>, key?: string) {
      const r = await s.call('POST', 'attributes/restSearch', body, key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.response.Attribute as any[];
    }

    before(async () => {
      pack = copiedPack(['decaying-models']);
      s = await startTestServer(dialect, { CAIRN_DATA_PACKS: pack.dir });
      reader = await createUserWithKey(s, { orgName: 'Reader Org', email: 'reader@decay.test', perms: [] });
      decayer = await createUserWithKey(s, { orgName: 'Reader Org', email: 'decayer@decay.test', perms: ['perm_decaying'] });
    });
    after(async () => {
      await s.close();
      pack.remove();
    });

    it('imports the pack on update as default models, disabled and shared with all organisations', async () => {
      assert.deepEqual((await s.call('GET', 'decayingModel/index')).body, []);
      const r = await s.call('POST', 'decayingModel/update');
      assert.equal(r.status, 200);
      assert.equal(r.body.success, true);
      assert.equal(r.body.message, 'Default decaying models updated');
      const index = (await s.call('GET', 'decayingModel/index', undefined, reader.key)).body;
      assert.deepEqual(index.map((m: any) => m.DecayingModel.name).sort(), [NIDS, PHISHING, 'Vishing model']);
      for (const m of index) ids[m.DecayingModel.name] = m.DecayingModel.id;
      const nids = index.find((m: any) => m.DecayingModel.name === NIDS);
      assert.deepEqual(nids.DecayingModelMapping, []);
      assert.equal(nids.DecayingModel.uuid, '073fae4a-2377-4cfa-bd34-2516830d33c3');
      assert.equal(nids.DecayingModel.version, '2');
      assert.equal(nids.DecayingModel.formula, 'Polynomial');
      assert.equal(nids.DecayingModel.enabled, false);
      assert.equal(nids.DecayingModel.default, true);
      assert.equal(nids.DecayingModel.all_orgs, true);
      assert.deepEqual(nids.DecayingModel.parameters.lifetime, 120);
      assert.ok(nids.DecayingModel.attribute_types.includes('ip-dst'));
    });

    it('is idempotent, version-aware and skips an unreadable model file', async () => {
      const before = (await s.call('GET', 'decayingModel/index')).body;
      pack.write('decaying-models/models/broken.json', '{ "name": "half a model", ');
      assert.equal((await s.call('POST', 'decayingModel/update')).status, 200);
      assert.deepEqual((await s.call('GET', 'decayingModel/index')).body, before);

      await s.call('POST', `decayingModel/enable/${ids[NIDS]}`);
      const file = 'decaying-models/models/nids-simple-model.json';
      const nids = pack.readJson(file);
      pack.writeJson(file, { ...nids, version: 3, parameters: { ...nids.parameters, threshold: 35 } });
      assert.equal((await s.call('POST', 'decayingModel/update')).status, 200);
      const after = (await s.call('GET', `decayingModel/view/${ids[NIDS]}`)).body.DecayingModel;
      assert.equal(after.version, '3');
      assert.equal(after.parameters.threshold, 35);
      assert.equal(after.enabled, true, 'an update keeps the enabled flag');
      assert.equal((await s.call('GET', 'decayingModel/index')).body.length, 3, 'no duplicate row');
      // an older or equal version in the pack changes nothing
      pack.writeJson(file, nids);
      await s.call('POST', 'decayingModel/update');
      assert.equal((await s.call('GET', `decayingModel/view/${ids[NIDS]}`)).body.DecayingModel.version, '3');
      pack.writeJson(file, nids);
      await s.call('POST', `decayingModel/update/1`);
      const forced = (await s.call('GET', `decayingModel/view/${ids[NIDS]}`)).body.DecayingModel;
      assert.equal(forced.version, '2', 'force rewrites from the pack');
      assert.equal(forced.parameters.threshold, 30);
      await s.call('POST', `decayingModel/disable/${ids[NIDS]}`);
    });

    it('imports through the CLI hook like the endpoint does, naming the skipped file', async () => {
      const lines: string[] = [];
      const [r] = await importKnowledgePacks('decaying', (l) => lines.push(l), { storage: s.container.storage, dataPacks: pack.dir });
      assert.deepEqual([r!.kind, r!.created, r!.updated, r!.unchanged], ['decaying', 0, 0, 3]);
      assert.equal(r!.warnings.length, 1);
      assert.match(r!.warnings[0]!, /broken\.json: .*skipped/);
      assert.ok(lines.some((l) => l.startsWith('decaying: skipped ') && l.includes('broken.json')));
    });

    it('views one model with isEditable; unknown or malformed ids are 404', async () => {
      const asReader = (await s.call('GET', `decayingModel/view/${ids[NIDS]}`, undefined, reader.key)).body;
      assert.equal(asReader.DecayingModel.name, NIDS);
      assert.equal(asReader.DecayingModel.isEditable, false);
      assert.equal((await s.call('GET', `decayingModel/view/${ids[NIDS]}`)).body.DecayingModel.isEditable, true);
      for (const bad of ['9999', 'abc']) {
        const r = await s.call('GET', `decayingModel/view/${bad}`);
        assert.equal(r.status, 404);
        assert.equal(r.body.message, 'No Decaying Model with the provided ID exists');
      }
    });

    it('lets only site admins update, enable and disable default models', async () => {
      assert.equal((await s.call('POST', 'decayingModel/update', undefined, reader.key)).status, 403);
      assert.equal((await s.call('POST', 'decayingModel/update', undefined, decayer.key)).status, 403);
      assert.equal((await s.call('POST', `decayingModel/enable/${ids[NIDS]}`, undefined, reader.key)).status, 403);
      const refused = await s.call('POST', `decayingModel/enable/${ids[NIDS]}`, undefined, decayer.key);
      assert.equal(refused.status, 405);
      assert.equal(refused.body.message, 'You are not authorised to enable this model.');
      assert.equal((await s.call('GET', `decayingModel/view/${ids[NIDS]}`)).body.DecayingModel.enabled, false);

      const on = await s.call('POST', `decayingModel/enable/${ids[NIDS]}`);
      assert.equal(on.status, 200);
      assert.equal(on.body.message, 'Decaying model enabled');
      assert.equal(on.body.data.DecayingModel.enabled, true);
      const off = await s.call('POST', `decayingModel/disable/${ids[NIDS]}`);
      assert.equal(off.body.data.DecayingModel.enabled, false);
      assert.equal((await s.call('GET', `decayingModel/enable/${ids[NIDS]}`)).status, 405, 'enable is POST only');
    });

    it('attaches no decay_score while no model applies', async () => {
      await indicator('198.51.100.1', 30);
      const [a] = await search({ value: '198.51.100.1', includeDecayScore: 1 });
      assert.equal(a.decay_score, undefined);
    });

    it('scores with the enabled models of the attribute type: 30 of 120 days at speed 2 halves 80', async () => {
      await s.call('POST', `decayingModel/enable/${ids[NIDS]}`);
      const [a] = await search({ value: '198.51.100.1', includeDecayScore: 1 }, reader.key);
      assert.equal(a.decay_score.length, 1);
      const d = a.decay_score[0];
      assert.deepEqual(d.DecayingModel, { id: ids[NIDS], name: NIDS });
      assert.equal(d.base_score, 80);
      close(d.score, 40);
      assert.equal(d.decayed, false);
      // without the flag nothing is attached
      assert.equal((await search({ value: '198.51.100.1' }))[0].decay_score, undefined);
      // a type the model does not cover
      const e = await insertEvent(s, { distribution: 3, published: true });
      await rawDb(s).insertInto('attributes').values({
        uuid: storedUuid(rawDb(s), randomUUID()), event_id: e.id, object_id: 0, object_relation: null, category: 'Payload delivery', type: 'md5',
        value1: 'd41d8cd98f00b204e9800998ecf8427e', value2: '', ...valueHashes('d41d8cd98f00b204e9800998ecf8427e', ''), to_ids: 1, timestamp: now(), distribution: 5, sharing_group_id: 0,
        comment: '', deleted: 0, disable_correlation: 0, first_seen: null, last_seen: null,
      }).execute();
      assert.equal((await search({ value: 'd41d8cd98f00b204e9800998ecf8427e', includeDecayScore: 1 }))[0].decay_score, undefined);
    });

    it('takes the base score from tagged taxonomies, attribute tags overriding event tags', async () => {
      const { event, attribute } = await indicator('198.51.100.2', 30);
      const low = await numericTag('false-positive:risk="low"', 25);
      const high = await numericTag('false-positive:risk="high"', 75);
      await rawDb(s).insertInto('event_tags').values({ event_id: event.id, tag_id: low, local: 0, relationship_type: '' }).execute();
      let [a] = await search({ value: '198.51.100.2', includeDecayScore: 1 });
      assert.equal(a.decay_score[0].base_score, 25);
      close(a.decay_score[0].score, 12.5);
      assert.equal(a.decay_score[0].decayed, true, '12.5 is under the threshold of 30');
      // MISP adds the event tags, marked inherited, when it scores
      assert.deepEqual(a.Tag.map((t: any) => [t.name, t.inherited]), [['false-positive:risk="low"', 1]]);
      await rawDb(s).insertInto('attribute_tags').values({ attribute_id: attribute.id, event_id: event.id, tag_id: high, local: 0, relationship_type: '' }).execute();
      [a] = await search({ value: '198.51.100.2', includeDecayScore: 1 });
      assert.equal(a.decay_score[0].base_score, 75);
      close(a.decay_score[0].score, 37.5);
    });

    it('restarts the decay at the last sighting of type 0 the reader may see', async () => {
      const { event, attribute } = await indicator('198.51.100.3', 30);
      const sighting = (orgId: number, age: number, type: number) => rawDb(s).insertInto('sightings').values({
        uuid: randomUUID(), attribute_id: attribute.id, event_id: event.id, org_id: orgId, date_sighting: now() - age * DAY, source: '', type,
      }).execute();
      await sighting(1, 1, 0);
      await sighting(1, 0.5, 1); // a false positive does not refresh
      const [a] = await search({ value: '198.51.100.3', includeDecayScore: 1 });
      close(a.decay_score[0].score, 80 * (1 - Math.sqrt(1 / 120)));
      // Sightings policy 0: another org only sees its own sightings, so its score still counts from the timestamp
      const [b] = await search({ value: '198.51.100.3', includeDecayScore: 1 }, reader.key);
      close(b.decay_score[0].score, 40);
    });

    it('drops attributes every applicable model calls decayed with excludeDecayed', async () => {
      await indicator('198.51.100.4', 200);
      await indicator('198.51.100.5', 1);
      const r = await s.call('POST', 'attributes/restSearch', { value: ['198.51.100.4', '198.51.100.5'], excludeDecayed: 1 });
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.response.Attribute.map((a: any) => a.value), ['198.51.100.5']);
      assert.ok(r.body.response.Attribute[0].decay_score.length, 'excludeDecayed implies includeDecayScore');
      const all = await search({ value: ['198.51.100.4', '198.51.100.5'], includeDecayScore: 1 });
      const old = all.find((a) => a.value === '198.51.100.4');
      assert.equal(old.decay_score[0].score, 0);
      assert.equal(old.decay_score[0].decayed, true);
      // attributes no model scores are kept
      const md5 = await s.call('POST', 'attributes/restSearch', { type: 'md5', excludeDecayed: 1 });
      assert.equal(md5.body.response.Attribute.length, 1);
    });

    it('scores with the models named by decayingModel, with modelOverrides, score and includeFullModel', async () => {
      // the phishing model is disabled and lives 3 days: at 30 days the indicator is long gone
      let [a] = await search({ value: '198.51.100.1', includeDecayScore: 1, decayingModel: ids[PHISHING] });
      assert.deepEqual(a.decay_score.map((d: any) => [d.DecayingModel.name, d.score, d.decayed]), [[PHISHING, 0, true]]);
      [a] = await search({ value: '198.51.100.1', includeDecayScore: 1, decayingModel: [ids[PHISHING], ids[NIDS]], modelOverrides: { lifetime: 120, decay_speed: 2 } });
      assert.deepEqual(a.decay_score.map((d: any) => d.DecayingModel.name).sort(), [NIDS, PHISHING]);
      for (const d of a.decay_score) close(d.score, 40);
      [a] = await search({ value: '198.51.100.1', includeDecayScore: 1, decayingModel: ids[NIDS], score: 50, includeFullModel: 1 });
      assert.equal(a.decay_score[0].decayed, true, 'score sets the threshold');
      assert.equal(a.decay_score[0].DecayingModel.uuid, '073fae4a-2377-4cfa-bd34-2516830d33c3');
      assert.equal(a.decay_score[0].DecayingModel.parameters.threshold, 50);
      // an unknown model id scores with nothing
      assert.equal((await search({ value: '198.51.100.1', includeDecayScore: 1, decayingModel: 9999 }))[0].decay_score, undefined);
      const bad = await s.call('POST', 'attributes/restSearch', { value: '198.51.100.1', includeDecayScore: 1, decayingModel: 'x' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.message, 'Invalid value for the "decayingModel" filter.');
    });

    it('adds the mean score and the decayed flag as CSV columns', async () => {
      const r = await s.call('POST', 'attributes/restSearch', { returnFormat: 'csv', value: '198.51.100.1', includeDecayScore: 1 });
      assert.equal(r.status, 200);
      const [header, line] = (r.body as string).split('\n');
      const columns = header!.split(',');
      assert.deepEqual(columns.slice(9, 13), ['attribute_tag', 'decay_score_score', 'decay_score_decayed', 'object_uuid']);
      const cells = line!.split(',');
      close(Number(cells[10]), 40);
      assert.equal(cells[11], '0');
      const plain = await s.call('POST', 'attributes/restSearch', { returnFormat: 'csv', value: '198.51.100.1' });
      assert.ok(!(plain.body as string).split('\n')[0]!.includes('decay_score'));
    });

    it('scores the attributes inside events on events/restSearch', async () => {
      const { event } = await indicator('198.51.100.6', 30);
      const r = await s.call('POST', 'events/restSearch', { eventid: event.id, includeDecayScore: 1 });
      assert.equal(r.status, 200);
      const [attr] = r.body.response[0].Event.Attribute;
      assert.equal(attr.decay_score[0].DecayingModel.name, NIDS);
      close(attr.decay_score[0].score, 40);
      const plain = await s.call('POST', 'events/restSearch', { eventid: event.id });
      assert.equal(plain.body.response[0].Event.Attribute[0].decay_score, undefined);
      // events/view takes it as a named parameter (or in a POST body)
      const view = await s.call('GET', `events/view/${event.id}/includeDecayScore:1`, undefined, reader.key);
      assert.equal(view.status, 200);
      close(view.body.Event.Attribute[0].decay_score[0].score, 40);
      assert.equal((await s.call('GET', `events/view/${event.id}`)).body.Event.Attribute[0].decay_score, undefined);
    });
  });
}
