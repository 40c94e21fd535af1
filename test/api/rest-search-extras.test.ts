import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { gradient } from '../../src/core/export/attack-export.js';
import { makeDataPack, type TempDataPack } from '../support/knowledge-pack-fixture.js';
import { createUserWithKey, storedUuid } from '../support/tag-test-fixtures.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';
import { valueHashes } from '../../src/storage/repos/event-write-rows.js';

/**
 * restSearch options the main suite (rest-search.test.ts) does not cover, through the real HTTP server on both
 * databases: `includeCorrelations` (attribute scope, spec §3.14, §5.5: RelatedAttribute with the related event,
 * only what the reader may see), `includeSightings`, `enforceWarninglist` in both scopes, the `bro` name of the Zeek
 * export, `count` in event scope, value AND terms, the `attack` ATT&CK matrix (spec §8.1) and more bad-filter answers.
 */

const PHISHING = 'misp-galaxy:mitre-attack-pattern="Phishing - T1566"';
const SCRIPTING = 'misp-galaxy:mitre-attack-pattern="Command and Scripting Interpreter - T1059"';
const UNUSED = 'misp-galaxy:mitre-attack-pattern="Valid Accounts - T1078"';

for (const dialect of testDialects()) {
  describe(`${dialect}: restSearch extras`, () => {
    let s: TestServer;
    let pack: TempDataPack;
    let other: { key: string; orgId: number };
    const ids: Record<string, number> = {};
    const uuids: Record<string, string> = {};

    type Reply = { status: number; body: any; text: string; headers: Headers };
    async function search(path: string, body: unknown, key = s.adminKey): Promise<Reply> {
      // JSON-encode whatever the test passes (a string too), unlike s.call which sends a string body raw.
      return s.call('POST', path, body === undefined ? undefined : JSON.stringify(body), key);
    }
    const attributes = async (body: unknown, key?: string) => {
      const r = await search('attributes/restSearch', body, key);
      assert.equal(r.status, 200, r.text);
      return r.body.response.Attribute as any[];
    };
    async function add(name: string, event: Record<string, unknown>, key = s.adminKey): Promise<void> {
      const r = await s.call('POST', 'events/add', event, key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      ids[name] = Number(r.body.Event.id);
      uuids[name] = r.body.Event.uuid;
    }

    before(async () => {
      pack = makeDataPack({ warninglists: ['rfc1918'] });
      s = await startTestServer(dialect, { CAIRN_DATA_PACKS: pack.dir });
      other = await createUserWithKey(s, { orgName: 'Other org', email: 'other@extras.test', perms: ['perm_add', 'perm_modify', 'perm_sighting'] });
      await s.call('POST', 'warninglists/update');
      const lists = (await s.call('GET', 'warninglists/index')).body.Warninglists;
      await s.call('POST', 'warninglists/toggleEnable', { id: lists.map((w: { Warninglist: { id: string } }) => w.Warninglist.id), enabled: true });

      // a value in four events: the admin's community event, another org's org-only event, another org's
      // community event whose attribute is org-only, and another org's community event
      await add('mine', { info: 'mine', distribution: 1, Attribute: [{ type: 'ip-dst', value: '192.0.2.77', to_ids: true }] });
      await add('hidden', { info: 'hidden', distribution: 0, Attribute: [{ type: 'ip-src', value: '192.0.2.77' }] }, other.key);
      await add('hiddenAttr', { info: 'attribute org only', distribution: 1, Attribute: [{ type: 'ip-src', value: '192.0.2.77', distribution: 0 }] }, other.key);
      await add('open', { info: 'open', distribution: 1, Attribute: [{ type: 'ip-src', value: '192.0.2.77' }, { type: 'domain', value: 'lonely.example' }] }, other.key);

      await add('listed', {
        info: 'warninglisted', distribution: 1, Attribute: [
          { type: 'ip-dst', value: '10.11.12.13', to_ids: true }, { type: 'ip-dst', value: '198.51.100.200', to_ids: true },
          { type: 'filename|md5', value: 'a.exe|0cc175b9c0f1b6a831c399e269772661', to_ids: true },
        ],
      });

      const g = s.container.storage.galaxies;
      const galaxyId = await g.insertGalaxy({
        uuid: randomUUID(), name: 'Attack Pattern', type: 'mitre-attack-pattern', description: 'ATT&CK Tactic', version: '1',
        icon: 'map', namespace: 'mitre-attack', killChainOrder: JSON.stringify({ 'mitre-attack': ['initial-access', 'execution'] }),
      });
      const cluster = (value: string, tagName: string) => ({
        uuid: randomUUID(), collectionUuid: randomUUID(), type: 'mitre-attack-pattern', value, tagName, description: `<${value}>`,
        galaxyId, source: 'test', authors: [], version: 1, distribution: 3, sharingGroupId: null, orgId: 0, orgcId: 0,
        isDefault: true, locked: false, extendsUuid: null, extendsVersion: null, published: true,
      });
      const [phishing, scripting, unused] = await g.insertClusters([
        cluster('Phishing - T1566', PHISHING), cluster('Command and Scripting Interpreter - T1059', SCRIPTING), cluster('Valid Accounts - T1078', UNUSED),
      ]);
      await g.insertElements([
        { clusterId: phishing!, key: 'kill_chain', value: 'mitre-attack:initial-access' }, { clusterId: phishing!, key: 'external_id', value: 'T1566' },
        { clusterId: scripting!, key: 'kill_chain', value: 'mitre-attack:execution' }, { clusterId: scripting!, key: 'external_id', value: 'T1059' },
        { clusterId: unused!, key: 'kill_chain', value: 'mitre-attack:initial-access' }, { clusterId: unused!, key: 'external_id', value: 'T1078' },
      ]);
      await add('attack1', { info: 'attack one', Tag: [{ name: PHISHING }], Attribute: [{ type: 'domain', value: 'attack-one.example', Tag: [{ name: SCRIPTING }] }] });
      await add('attack2', { info: 'attack two', Attribute: [{ type: 'domain', value: 'attack-two.example', Tag: [{ name: PHISHING }] }] });
    });
    after(async () => {
      await s.close();
      pack.remove();
    });

    it('includeCorrelations adds RelatedAttribute with the related attribute and its event, only as the reader may see them', async () => {
      const [plain] = await attributes({ eventid: ids.mine, value: '192.0.2.77' });
      assert.equal(plain.RelatedAttribute, undefined, 'only when asked');
      const [mine] = await attributes({ eventid: ids.mine, value: '192.0.2.77', includeCorrelations: 1 });
      const related = mine.RelatedAttribute as any[];
      assert.deepEqual(related.map((r) => r.Event.uuid).sort(), [uuids.hidden, uuids.hiddenAttr, uuids.open].sort(), 'a site admin sees all');
      const open = related.find((r) => r.Event.uuid === uuids.open);
      assert.equal(open.value, '192.0.2.77');
      assert.equal(open.type, 'ip-src');
      assert.equal(open.event_id, String(ids.open));
      assert.deepEqual(Object.keys(open.Event).sort(), ['analysis', 'date', 'distribution', 'extends_uuid', 'id', 'info', 'org_id', 'orgc_id',
        'published', 'sharing_group_id', 'threat_level_id', 'uuid']);

      // the other org sees its own three events and the admin's community event; from the admin's attribute it sees
      // only correlations it may see, and never the admin's own event through another one's
      const seen = await attributes({ value: '192.0.2.77', includeCorrelations: 1 }, other.key);
      const byEvent = new Map(seen.map((a) => [a.Event.uuid, (a.RelatedAttribute as any[]).map((r) => r.Event.uuid).sort()]));
      assert.deepEqual(byEvent.get(uuids.mine), [uuids.hidden, uuids.hiddenAttr, uuids.open].sort());
      assert.deepEqual(byEvent.get(uuids.open), [uuids.hidden, uuids.hiddenAttr, uuids.mine].sort());
      const [lonely] = await attributes({ value: 'lonely.example', includeCorrelations: 1 }, other.key);
      assert.deepEqual(lonely.RelatedAttribute, [], 'MISP sets an empty list on attributes without correlations');

      const third = await createUserWithKey(s, { orgName: 'Third org', email: 'third@extras.test', perms: [] });
      const [fromMine] = await attributes({ eventid: ids.mine, value: '192.0.2.77', includeCorrelations: 1 }, third.key);
      assert.deepEqual((fromMine.RelatedAttribute as any[]).map((r) => r.Event.uuid), [uuids.open], 'org-only event and attribute hidden');
      const xml = await search('attributes/restSearch', { returnFormat: 'xml', eventid: ids.mine, value: '192.0.2.77', includeCorrelations: 1 }, third.key);
      assert.match(xml.text, new RegExp(`<RelatedAttribute><id>\\d+</id>.*<uuid>${uuids.open}</uuid>`));
      assert.equal(xml.text.includes(uuids.hidden!), false);
    });

    it('includeSightings adds each attribute\'s Sighting list', async () => {
      const r = await s.call('POST', 'sightings/add', { value: 'lonely.example' }, other.key);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const [plain] = await attributes({ value: 'lonely.example' }, other.key);
      assert.equal(plain.Sighting, undefined);
      const [withSightings] = await attributes({ value: 'lonely.example', includeSightings: 1 }, other.key);
      assert.equal(withSightings.Sighting.length, 1);
      assert.equal(withSightings.Sighting[0].type, '0');
      assert.equal(withSightings.Sighting[0].attribute_id, withSightings.id);
    });

    it('enforceWarninglist drops listed attributes in attribute and event scope, and from text exports', async () => {
      const all = (await attributes({ eventid: ids.listed })).map((a) => a.value).sort();
      assert.deepEqual(all, ['10.11.12.13', '198.51.100.200', 'a.exe|0cc175b9c0f1b6a831c399e269772661']);
      const kept = (await attributes({ eventid: ids.listed, enforceWarninglist: 1 })).map((a) => a.value).sort();
      assert.deepEqual(kept, ['198.51.100.200', 'a.exe|0cc175b9c0f1b6a831c399e269772661']);
      const ev = await search('events/restSearch', { eventid: ids.listed, enforceWarninglist: true });
      assert.deepEqual(ev.body.response[0].Event.Attribute.map((a: any) => a.value).sort(), kept);
      const text = await search('attributes/restSearch', { returnFormat: 'text', eventid: ids.listed, published: [0, 1], enforceWarninglist: 1 });
      assert.deepEqual(text.text.trim().split('\n').sort(), kept);
    });

    it('matches every AND value on value1 or value2; count and bro work in both scopes', async () => {
      const both = await attributes({ value: { AND: ['a.exe', '0cc175b9c0f1b6a831c399e269772661'] } });
      assert.deepEqual(both.map((a) => a.value), ['a.exe|0cc175b9c0f1b6a831c399e269772661']);
      assert.deepEqual(await attributes({ value: { AND: ['a.exe', 'lonely.example'] } }), []);
      const count = await search('events/restSearch', { returnFormat: 'count', value: '192.0.2.77' });
      assert.equal(count.text, '4');
      const bro = await search('attributes/restSearch', { returnFormat: 'bro', eventid: ids.listed, published: [0, 1], type: 'ip-dst' });
      assert.equal(bro.status, 200, bro.text);
      const lines = bro.text.trim().split('\n');
      assert.match(lines[0]!, /^#fields\tindicator\tindicator_type\tmeta\.source/);
      assert.deepEqual(lines.slice(1).map((l) => l.split('\t').slice(0, 2)).sort(), [['10.11.12.13', 'Intel::ADDR'], ['198.51.100.200', 'Intel::ADDR']]);
    });

    it('attack: an HTML ATT&CK matrix scored by the number of events carrying each technique', async () => {
      const r = await search('events/restSearch', { returnFormat: 'attack', eventid: [ids.attack1, ids.attack2] });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers.get('content-type'), 'text/html; charset=UTF-8');
      assert.equal(r.headers.get('x-response-format'), 'html');
      assert.match(r.text, /^<div>\n {4}<div id="attackmatrix_div"/);
      const cell = (tag: string) => {
        const m = new RegExp(`<td class="heatCell[^>]*data-score="(\\d+)" data-tag_name="${tag.replace(/[".()]/g, (c) => (c === '"' ? '&quot;' : `\\${c}`))}"[^>]*>([^<]*)</td>`).exec(r.text);
        assert.ok(m, `no cell for ${tag}`);
        return { score: Number(m[1]), name: m[2], html: m[0] };
      };
      assert.equal(cell(PHISHING).score, 2, 'event tag in one event, attribute tag in the other');
      assert.equal(cell(SCRIPTING).score, 1);
      assert.equal(cell(UNUSED).score, 0);
      assert.equal(cell(PHISHING).name, 'Phishing', 'the " - T1566" suffix is dropped for ATT&CK');
      // scores 0..2 on MISP's blue-to-red gradient: 2 is red, 1 the middle step
      const hex = (c: readonly number[]) => `#${c.map((x) => x.toString(16).padStart(2, '0')).join('')}`;
      assert.equal(hex(gradient(3)[2]!), '#ff0000');
      assert.equal(hex(gradient(3)[0]!), '#0000ff');
      assert.match(cell(PHISHING).html, /style="background: #ff0000; color: white"/);
      assert.match(cell(SCRIPTING).html, new RegExp(`style="background: ${hex(gradient(3)[1]!)};`));
      assert.equal(cell(UNUSED).html.includes('style='), false);
      // scored techniques come first in their column
      assert.ok(r.text.indexOf('Phishing<') < r.text.indexOf('Valid Accounts<'));
      assert.match(r.text, /<th>Initial access<div/);
      assert.match(r.text, /<span id="matrix-heatmap-maxval">2<\/span>/);
      const none = await search('events/restSearch', { returnFormat: 'attack', eventid: ids.mine });
      assert.match(none.text, /<span id="matrix-heatmap-maxval">0<\/span>/);
      const unknown = await search('events/restSearch', { returnFormat: 'attack', attackGalaxy: 'no-such-galaxy', eventid: ids.mine });
      assert.equal(unknown.status, 200);
      assert.equal(unknown.text.includes('<table'), false);
      assert.equal((await search('attributes/restSearch', { returnFormat: 'attack' })).status, 404, 'event scope only');
    });

    it('counts and pages results larger than a database page; a time window orders by (timestamp, id)', async () => {
      // 6,000 attributes (more than one 5,000-row database page) written straight to the database, timestamps with many ties, in an order unrelated to ids
      await add('big', { info: 'big event', distribution: 1 });
      const db = s.container.storage.db;
      const base = 1_700_000_000;
      const rows = Array.from({ length: 6000 }, (_, i) => ({
        uuid: storedUuid(db, randomUUID()), event_id: ids.big!, object_id: 0, object_relation: null, category: 'Network activity', type: 'domain',
        value1: `bulk-${i}.example`, value2: '', ...valueHashes(`bulk-${i}.example`, ''), to_ids: 1, timestamp: base + ((i * 7919) % 2000), distribution: 5,
        sharing_group_id: 0, comment: '', deleted: 0, disable_correlation: 0, first_seen: null, last_seen: null,
      }));
      for (let i = 0; i < rows.length; i += 250) await db.insertInto('attributes').values(rows.slice(i, i + 250)).execute();

      const all = await search('attributes/restSearch', { eventid: ids.big });
      assert.equal(all.headers.get('x-result-count'), '6000');
      assert.equal(all.body.response.Attribute.length, 6000);
      const ids1 = all.body.response.Attribute.map((a: any) => Number(a.id));
      assert.deepEqual(ids1, [...ids1].sort((a, b) => a - b), 'id order by default');
      const page = await search('attributes/restSearch', { eventid: ids.big, limit: 2500, page: 3 });
      assert.equal(page.headers.get('x-result-count'), '1000');
      assert.equal(page.body.response.Attribute.length, 1000);
      assert.deepEqual(page.body.response.Attribute.map((a: any) => Number(a.id)), ids1.slice(5000));
      assert.equal((await search('attributes/restSearch', { eventid: ids.big, limit: 2500, page: 4 })).headers.get('x-result-count'), '0');
      assert.equal((await search('attributes/restSearch', { returnFormat: 'count', eventid: ids.big })).text, '6000');
      const wide = await search('attributes/restSearch', { eventid: ids.big, limit: 12_000 });
      assert.equal(wide.headers.get('x-result-count'), '6000', 'a window wider than one database page is counted');
      assert.equal(wide.body.response.Attribute.length, 6000);
      assert.equal((await search('attributes/restSearch', { returnFormat: 'count', eventid: ids.big, limit: 4000, page: 2 })).text, '2000');
      const events = await search('events/restSearch', { eventid: ids.big, metadata: 1 });
      assert.equal(events.headers.get('x-result-count'), '1');

      // a time window: (timestamp, id) order, in pages and unpaged across database pages, nothing lost or repeated
      const window = { eventid: ids.big, timestamp: [base, base + 1999] };
      const seen: number[] = [];
      const stamps: number[] = [];
      for (let p = 1; p <= 3; p++) {
        const r = await search('attributes/restSearch', { ...window, limit: 2500, page: p });
        assert.equal(r.headers.get('x-result-count'), String(p < 3 ? 2500 : 1000));
        for (const a of r.body.response.Attribute) {
          seen.push(Number(a.id));
          stamps.push(Number(a.timestamp));
        }
      }
      assert.equal(seen.length, 6000);
      assert.equal(new Set(seen).size, 6000);
      const keys = seen.map((id, i) => [stamps[i]!, id] as const);
      assert.deepEqual(keys, [...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
      const unpaged = await search('attributes/restSearch', window);
      assert.deepEqual(unpaged.body.response.Attribute.map((a: any) => Number(a.id)), seen, 'unpaged: the same order');
      const explicit = await search('attributes/restSearch', { ...window, limit: 5, order: 'Attribute.id desc' });
      assert.deepEqual(explicit.body.response.Attribute.map((a: any) => Number(a.id)), [...ids1].reverse().slice(0, 5), 'an explicit order wins');
    });

    it('answers malformed filters with MISP-shaped 4xx errors, never a 500', async () => {
      const cases: Array<[string, unknown, number, RegExp]> = [
        ['events/restSearch', { returnFormat: 'no-such-format' }, 404, /^Invalid output format\.$/],
        ['events/restSearch', { returnFormat: 42 }, 404, /^Invalid output format\.$/],
        ['events/restSearch', { date: ['2024-01-01', '2024-01-02', '2024-01-03'] }, 400, /Invalid date specification/],
        ['attributes/restSearch', { last: { from: 1 } }, 400, /"last"/],
        ['attributes/restSearch', { to: ['x'] }, 400, /"to"/],
        ['attributes/restSearch', { first_seen: true }, 400, /"first_seen"/],
        ['attributes/restSearch', { published: 'perhaps' }, 400, /"published"/],
        ['attributes/restSearch', { deleted: 'sometimes' }, 400, /"deleted"/],
        ['attributes/restSearch', { page: -1 }, 400, /"page"/],
        ['attributes/restSearch', { limit: 1.5 }, 400, /"limit"/],
        ['attributes/restSearch', { tags: { ANY: ['x'] } }, 400, /"tags"/],
        ['attributes/restSearch', { type: [['ip-dst']] }, 400, /"type"/],
        ['attributes/restSearch', { threat_level_id: 'high' }, 400, /"threat_level_id"/],
        ['attributes/restSearch', { includeCorrelations: 'please' }, 400, /"includeCorrelations"/],
        ['attributes/restSearch', { requested_attributes: { a: 1 } }, 400, /"requested_attributes"/],
        ['attributes/restSearch', { searchall: { a: 1 } }, 400, /"searchall"/],
      ];
      for (const [path, body, status, message] of cases) {
        const r = await search(path, body);
        assert.equal(r.status, status, `${path} ${JSON.stringify(body)}: ${r.text}`);
        assert.match(r.body.message, message, `${path} ${JSON.stringify(body)}`);
        assert.equal(r.body.name, r.body.message);
        assert.equal(r.body.url, `/${path}`);
      }
    });

    it('compares numbers past the columns\' range as no row\'s, and refuses on PostgreSQL the NUL it cannot store', async () => {
      const events = async (path: string, body: unknown) => {
        const r = await search(path, body);
        assert.equal(r.status, 200, `${path} ${JSON.stringify(body)}: ${r.text}`);
        return (path === 'events/index' ? r.body : r.body.response).length as number;
      };
      const all = await events('events/restSearch', { published: [0, 1] });
      assert.ok(all > 0);
      // 1e20 is past PostgreSQL's bigint, 1e11 past the integer ids; a date past year 9999 is that year's last day
      assert.equal(await events('events/restSearch', { from: 1e20 }), 0);
      assert.equal(await events('events/restSearch', { to: 1e20 }), all);
      assert.equal(await events('events/restSearch', { date: [0, 1e20] }), all);
      assert.equal(await events('events/restSearch', { timestamp: 1e20 }), 0);
      assert.equal(await events('events/restSearch', { eventid: 99_999_999_999 }), 0);
      assert.equal(await events('events/restSearch', { eventid: `!${99_999_999_999}` }), all);
      assert.equal(await events('events/restSearch', { org: 99_999_999_999 }), 0);
      assert.equal(await events('events/restSearch', { tags: 99_999_999_999 }), 0);
      assert.equal(await events('events/restSearch', { threat_level_id: 99_999_999_999 }), 0);
      assert.equal(await events('objects/restSearch', { first_seen: 1e20 }), 0);
      assert.equal(await events('events/index', { org: 99_999_999_999 }), 0);
      assert.equal(await events('events/index', { limit: 1e20 }), all);
      for (const path of ['attributes/restSearch', 'events/index']) {
        const r = await search(path, { value: 'nul\u0000byte' });
        if (dialect === 'sqlite') {
          assert.equal(r.status, 200, r.text);
          continue;
        }
        assert.equal(r.status, 400, r.text);
        assert.match(r.body.message, /^Invalid input: /);
        assert.equal(r.body.url, `/${path}`);
      }
    });
  });
}
