import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { importKnowledgePacks } from '../../src/app/knowledge-packs.js';
import { copiedPack, type CopiedPack } from '../support/pack-copy.js';
import { createUserWithKey } from '../support/tag-test-fixtures.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/**
 * Default feeds and the community list over HTTP (spec §3.11, §3.13, §7.2): feeds/loadDefaultFeeds from
 * `<packs>/metadata/default-feeds.json`, feeds/index|view, communities/index|view from `metadata/communities.json`.
 */

const FEEDS = 'metadata/default-feeds.json';
const COMMUNITIES = 'metadata/communities.json';

for (const dialect of testDialects()) {
  describe(`${dialect}: default feeds and communities API`, () => {
    let s: TestServer;
    let pack: CopiedPack;
    let hostUser: { key: string };
    let outsider: { key: string };
    let defaults: any[];
    let communities: any[];

    before(async () => {
      pack = copiedPack(['metadata']);
      defaults = pack.readJson(FEEDS);
      communities = pack.readJson(COMMUNITIES);
      s = await startTestServer(dialect, { CAIRN_DATA_PACKS: pack.dir });
      // the admin's organisation (id 1) is the host organisation
      hostUser = await createUserWithKey(s, { orgName: 'ORGNAME', email: 'host@feeds.test', perms: ['perm_add'] });
      outsider = await createUserWithKey(s, { orgName: 'Elsewhere', email: 'out@feeds.test', perms: ['perm_add'] });
    });
    after(async () => {
      await s.close();
      pack.remove();
    });

    it('loads the default feeds disabled, with their tags, once', async () => {
      assert.deepEqual((await s.call('GET', 'feeds/index')).body, []);
      const r = await s.call('POST', 'feeds/loadDefaultFeeds');
      assert.equal(r.status, 200);
      assert.equal(r.body.message, 'Default feed metadata loaded.');
      const index = (await s.call('GET', 'feeds/index')).body;
      assert.equal(index.length, defaults.length);
      const botvrij = index.find((f: any) => f.Feed.name === 'The Botvrij.eu Data');
      assert.equal(botvrij.Feed.url, 'https://www.botvrij.eu/data/feed-osint');
      assert.equal(botvrij.Feed.default, true);
      assert.equal(botvrij.Feed.enabled, false, 'Feed::importFeeds does not save enabled');
      assert.equal(botvrij.Feed.caching_enabled, false);
      assert.equal(botvrij.Feed.distribution, '0');
      assert.equal(botvrij.Feed.cache_timestamp, false);
      assert.equal(typeof botvrij.Feed.rules, 'string', 'rules stay a JSON string');
      const tagged = defaults.find((d) => d.Tag);
      const row = index.find((f: any) => f.Feed.url === tagged.Feed.url);
      assert.equal(row.Tag.name, tagged.Tag.name);
      assert.equal(row.Feed.tag_id, row.Tag.id);
      const csv = index.find((f: any) => f.Feed.source_format === 'csv');
      assert.equal(typeof JSON.parse(csv.Feed.settings), 'object', 'settings stay a JSON string PyMISP can load');

      await s.call('POST', 'feeds/loadDefaultFeeds');
      const again = (await s.call('GET', 'feeds/index')).body;
      assert.deepEqual(again.map((f: any) => f.Feed.id), index.map((f: any) => f.Feed.id), 'a second load adds nothing');
      const tags = (await s.call('GET', 'tags/index')).body.Tag.filter((t: any) => t.name === tagged.Tag.name);
      assert.equal(tags.length, 1);
    });

    it('adds feeds that appeared in the list and skips entries without a url', async () => {
      pack.writeJson(FEEDS, [...defaults, { Feed: { name: 'no url' } }, {
        Feed: { name: 'Cairn test feed', provider: 'cairn', url: 'https://feeds.example.test/misp', source_format: 'misp', lookup_visible: true },
      }]);
      await s.call('POST', 'feeds/loadDefaultFeeds');
      const index = (await s.call('GET', 'feeds/index')).body;
      assert.equal(index.length, defaults.length + 1);
      assert.ok(index.some((f: any) => f.Feed.name === 'Cairn test feed'));
      assert.ok(!index.some((f: any) => f.Feed.name === 'no url'));
      pack.writeJson(FEEDS, defaults);
    });

    it('survives an unreadable feed list, which the CLI hook reports', async () => {
      pack.write(FEEDS, '[{"Feed": ');
      const r = await s.call('POST', 'feeds/loadDefaultFeeds');
      assert.equal(r.status, 200);
      assert.equal((await s.call('GET', 'feeds/index')).body.length, defaults.length + 1);
      const [report] = await importKnowledgePacks('feeds', () => {}, { storage: s.container.storage, dataPacks: pack.dir });
      assert.equal(report!.created, 0);
      assert.match(report!.warnings[0]!, /default-feeds\.json: .*no feed loaded/);
      pack.writeJson(FEEDS, defaults);
      const [again] = await importKnowledgePacks('feeds', () => {}, { storage: s.container.storage, dataPacks: pack.dir });
      assert.deepEqual([again!.created, again!.unchanged, again!.warnings], [0, defaults.length, []]);
    });

    it('filters the index by scope and shows outsiders only lookup-visible feeds', async () => {
      const all = (await s.call('GET', 'feeds/index')).body;
      assert.equal((await s.call('GET', 'feeds/index/scope:default')).body.length, all.length);
      assert.deepEqual((await s.call('GET', 'feeds/index/scope:custom')).body, []);
      assert.deepEqual((await s.call('GET', 'feeds/index/scope:enabled')).body, []);
      assert.equal((await s.call('GET', 'feeds/index', undefined, hostUser.key)).body.length, all.length);
      const seen = (await s.call('GET', 'feeds/index', undefined, outsider.key)).body;
      assert.equal(seen.length, all.filter((f: any) => f.Feed.lookup_visible).length);
      assert.ok(seen.length > 0 && seen.length < all.length);
      assert.equal(seen[0].Feed.cache_timestamp, undefined, 'cache timestamps are for site admins');
    });

    it('views a feed to host organisation users, hiding its headers from non-admins', async () => {
      const [first] = (await s.call('GET', 'feeds/index')).body;
      const asAdmin = await s.call('GET', `feeds/view/${first.Feed.id}`);
      assert.equal(asAdmin.status, 200);
      assert.equal(asAdmin.body.Feed.url, first.Feed.url);
      assert.ok('headers' in asAdmin.body.Feed);
      const asHost = await s.call('GET', `feeds/view/${first.Feed.id}`, undefined, hostUser.key);
      assert.equal(asHost.status, 200);
      assert.ok(!('headers' in asHost.body.Feed));
      assert.equal((await s.call('GET', `feeds/view/${first.Feed.id}`, undefined, outsider.key)).status, 403);
      const missing = await s.call('GET', 'feeds/view/99999');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.message, 'Invalid feed.');
    });

    it('keeps loadDefaultFeeds for site admins', async () => {
      assert.equal((await s.call('POST', 'feeds/loadDefaultFeeds', undefined, hostUser.key)).status, 403);
      assert.equal((await s.call('POST', 'feeds/loadDefaultFeeds', undefined, outsider.key)).status, 403);
    });

    it('lists vetted communities by default, the others on request, filtered by value', async () => {
      const vetted = (await s.call('GET', 'communities/index')).body;
      assert.equal(vetted.length, communities.filter((c) => c.misp_project_vetted).length);
      assert.equal(vetted[0].name, 'CIRCL Private Sector Information Sharing Community - aka MISPPRIV');
      assert.equal(vetted[0].id, 1);
      assert.deepEqual(vetted[0].Org, { uuid: communities[0].org_uuid, name: communities[0].org_name });
      const others = (await s.call('GET', 'communities/index/context:unvetted')).body;
      assert.equal(others.length, communities.length - vetted.length);
      assert.ok(others.every((c: any) => c.misp_project_vetted === false));
      const circl = (await s.call('GET', 'communities/index/value:circl')).body;
      assert.ok(circl.length >= 2 && circl.length < vetted.length);
      assert.deepEqual((await s.call('POST', 'communities/index', { value: 'no such community anywhere' })).body, []);
    });

    it('views a community by number or uuid', async () => {
      const second = await s.call('GET', 'communities/view/2');
      assert.equal(second.status, 200);
      assert.equal(second.body.name, 'CIRCL n/g CSIRT information sharing community - aka MISP');
      assert.equal((await s.call('GET', `communities/view/${communities[1].uuid}`)).body.id, 2);
      const missing = await s.call('GET', 'communities/view/999');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.message, 'Community not found.');
    });

    it('keeps communities for site admins and reports a broken list', async () => {
      assert.equal((await s.call('GET', 'communities/index', undefined, hostUser.key)).status, 403);
      assert.equal((await s.call('GET', 'communities/view/1', undefined, outsider.key)).status, 403);
      pack.write(COMMUNITIES, '{"not": "a list"}');
      const broken = await s.call('GET', 'communities/index');
      assert.equal(broken.status, 404);
      assert.equal(broken.body.message, 'Default community list not in the expected format.');
      pack.writeJson(COMMUNITIES, communities);
    });
  });
}
