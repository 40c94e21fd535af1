import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createUserWithKey } from '../support/tag-test-fixtures.js';
import { startTestServer, testDialects, type TestServer } from '../support/test-server.js';

/**
 * Feed management and feed caches (FeedsController, spec §3.11, §7.2, §7.3) against real feeds served over HTTP
 * and from a local directory: add/edit/delete/enable/disable as PyMISP drives them, MISP's validation, caching a
 * MISP feed through its events or its hashes.csv quick cache, compareFeeds overlaps and searchCaches hits.
 */

const md5 = (v: string) => createHash('md5').update(v).digest('hex');

/** A MISP feed of two events; `shared` is in both, `ip-dst|port` caches its address only. */
function mispFeed(shared: string, own: string) {
  const events = [randomUUID(), randomUUID()].map((uuid, n) => ({
    Event: {
      uuid, info: `feed event ${n}`, date: '2024-01-01', analysis: '2', threat_level_id: '3', timestamp: '1700000000',
      Orgc: { name: 'Feed Org', uuid: '5cf66e53-b5f8-43e7-be9e-49880a3b4631' },
      Attribute: [
        { type: 'domain', category: 'Network activity', value: n === 0 ? shared : own, uuid: randomUUID() },
        { type: 'ip-dst|port', category: 'Network activity', value: `203.0.113.${n + 1}|443`, uuid: randomUUID() },
        { type: 'comment', category: 'Other', value: 'not correlating', uuid: randomUUID() },
      ],
    },
  }));
  const manifest = Object.fromEntries(events.map((e) => [e.Event.uuid, { info: e.Event.info, timestamp: e.Event.timestamp }]));
  return { events, manifest };
}

for (const dialect of testDialects()) {
  describe(`${dialect}: feed management and caches`, () => {
    let s: TestServer;
    let http: Server;
    let base: string;
    let localDir: string;
    let outsider: { key: string };
    let viewer: { key: string };
    const files = new Map<string, string>();
    const a = mispFeed('shared.example', 'only-a.example');
    const b = mispFeed('other.example', 'only-b.example');

    const addFeed = (feed: Record<string, unknown>, key?: string) => s.call('POST', 'feeds/add', { Feed: feed }, key);
    const setting = (name: string, value: unknown) => s.call('POST', `servers/serverSettingsEdit/${name}`, { value, force: true });

    before(async () => {
      files.set('/a/manifest.json', JSON.stringify(a.manifest));
      for (const e of a.events) files.set(`/a/${e.Event.uuid}.json`, JSON.stringify(e));
      // feed b publishes a quick cache that shares one value with feed a
      files.set('/b/hashes.csv', [
        `${md5('shared.example')},${b.events[0]!.Event.uuid}`, `${md5('only-b.example')},${b.events[1]!.Event.uuid}`, 'garbage line',
      ].join('\n'));
      files.set('/text/list.txt', '1.2.3.4\n');
      http = createServer((req, res) => {
        const body = files.get(req.url ?? '');
        res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' }).end(body ?? 'not found');
      });
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      localDir = mkdtempSync(join(tmpdir(), 'cairn-local-feed-'));
      writeFileSync(join(localDir, 'manifest.json'), JSON.stringify(b.manifest));
      for (const e of b.events) writeFileSync(join(localDir, `${e.Event.uuid}.json`), JSON.stringify(e));
      s = await startTestServer(dialect);
      outsider = await createUserWithKey(s, { orgName: 'Feed Outsider', email: 'out@feedmgmt.test', perms: ['perm_add'] });
      viewer = await createUserWithKey(s, { orgName: 'Feed Viewer', email: 'viewer@feedmgmt.test', perms: ['perm_view_feed_correlations'] });
    });
    after(async () => {
      await s.close();
      await new Promise((resolve) => http.close(resolve));
      rmSync(localDir, { recursive: true, force: true });
    });

    it('adds, edits in part, enables, disables and deletes a feed as PyMISP does', async () => {
      const settings = { csv: { value: '2', delimiter: ',' }, common: { excluderegex: '' } };
      const added = await addFeed({ name: 'TestFeed', provider: 'TestFeed - Provider', url: 'http://example.com', source_format: 'csv', settings });
      assert.equal(added.status, 200, JSON.stringify(added.body));
      const feed = added.body.Feed;
      assert.equal(feed.name, 'TestFeed');
      assert.equal(feed.enabled, false);
      assert.equal(feed.default, false);
      assert.equal(feed.distribution, '0');
      assert.equal(feed.input_source, 'network');
      assert.deepEqual(JSON.parse(feed.settings), settings, 'settings sent as an object are stored as JSON text');

      const renamed = await s.call('POST', `feeds/edit/${feed.id}`, { Feed: { ...feed, name: 'TestFeed - Update' } });
      assert.equal(renamed.body.Feed.name, 'TestFeed - Update');
      // PyMISP's enable_feed(id) sends only the id and the flag: nothing else may change
      const enabled = await s.call('POST', `feeds/edit/${feed.id}`, { Feed: { id: feed.id, enabled: true } });
      assert.equal(enabled.body.Feed.enabled, true);
      assert.deepEqual(JSON.parse(enabled.body.Feed.settings), settings);
      assert.equal(enabled.body.Feed.name, 'TestFeed - Update');
      const cache = await s.call('POST', `feeds/edit/${feed.id}`, { Feed: { id: feed.id, caching_enabled: true } });
      assert.equal(cache.body.Feed.caching_enabled, true);
      assert.equal(cache.body.Feed.enabled, true);

      const off = await s.call('POST', `feeds/disable/${feed.id}`);
      assert.deepEqual([off.body.message, (await s.call('GET', `feeds/view/${feed.id}`)).body.Feed.enabled], ['Feed disabled.', false]);
      assert.equal((await s.call('POST', `feeds/enable/${feed.id}`)).body.message, 'Feed enabled.');
      assert.equal((await s.call('POST', 'feeds/enable/999999')).status, 405);

      const del = await s.call('POST', `feeds/delete/${feed.id}`);
      assert.equal(del.body.message, 'Feed deleted.');
      assert.equal((await s.call('GET', `feeds/view/${feed.id}`)).status, 404);
      assert.equal((await s.call('POST', `feeds/edit/${feed.id}`, { Feed: { enabled: true } })).status, 404);
    });

    it('refuses invalid feeds with MISP\'s errors, and non-admins', async () => {
      const bad = await addFeed({ name: '', provider: 'p', url: 'not a url', source_format: 'misp' });
      assert.equal(bad.status, 403);
      assert.equal(bad.body.saved, false);
      assert.equal(bad.body.message, 'Could not add Feed');
      assert.deepEqual(Object.keys(bad.body.errors).sort(), ['name', 'url']);
      const local = await addFeed({ name: 'n', provider: 'p', url: '/no/such/dir', source_format: 'misp', input_source: 'local' });
      assert.deepEqual(local.body.errors.url, ['For MISP type local feeds, please specify the containing directory.']);
      await setting('Security.disable_local_feed_access', true);
      const forbiddenLocal = await addFeed({ name: 'n', provider: 'p', url: localDir, source_format: 'misp', input_source: 'local' });
      assert.match(forbiddenLocal.body.errors.input_source[0], /local feeds are thereby not allowed/);
      await setting('Security.disable_local_feed_access', false);
      assert.equal((await addFeed({ name: 'n', provider: 'p', url: 'http://example.com' }, outsider.key)).status, 403);
      assert.equal((await s.call('GET', 'feeds/index')).body.length, 0, 'nothing was written');
    });

    it('caches MISP feeds from their events, their quick cache or a local folder, and compares and searches them', async () => {
      await setting('MISP.background_jobs', false);
      const feedA = (await addFeed({ name: 'Feed A', provider: 'A', url: `${base}/a`, source_format: 'misp', caching_enabled: true, lookup_visible: true })).body.Feed;
      const feedB = (await addFeed({ name: 'Feed B', provider: 'B', url: `${base}/b`, source_format: 'misp', caching_enabled: true })).body.Feed;
      const feedL = (await addFeed({ name: 'Local', provider: 'L', url: localDir, source_format: 'misp', input_source: 'local', caching_enabled: true })).body.Feed;
      const sync = await s.call('GET', 'feeds/cacheFeeds/misp');
      assert.equal(sync.status, 200, JSON.stringify(sync.body));
      assert.equal(sync.body.message, 'Caching the feeds has successfully completed.');

      const index = (await s.call('GET', 'feeds/index')).body;
      for (const f of [feedA, feedB, feedL]) assert.match(String(index.find((r: any) => r.Feed.id === f.id).Feed.cache_timestamp), /^\d+$/);
      // A: shared, only-a, 203.0.113.1 and .2 (the port dropped), the comment skipped; B: two hashes
      const viewA = (await s.call('GET', `feeds/view/${feedA.id}`)).body.Feed;
      assert.equal(viewA.cached_elements, 4);
      // shared.example (with B) and both addresses (with the local copy of B): 3 of A's 4 values
      assert.equal(viewA.coverage_by_other_feeds, '75%');
      assert.equal((await s.call('GET', `feeds/view/${feedB.id}`)).body.Feed.cached_elements, 2);

      const compared = (await s.call('GET', 'feeds/compareFeeds')).body;
      const rowA = compared.find((r: any) => r.Feed.id === feedA.id).Feed;
      assert.equal(rowA.values, 4);
      const aToB = rowA.ComparedFeed.find((c: any) => c.id === feedB.id);
      assert.deepEqual([aToB.overlap_count, aToB.overlap_percentage], [1, 25]);
      const aToLocal = rowA.ComparedFeed.find((c: any) => c.id === feedL.id);
      assert.deepEqual([aToLocal.overlap_count, aToLocal.overlap_percentage], [2, 50], 'the local copy of B shares the two addresses');

      const hits = (await s.call('POST', 'feeds/searchCaches', { value: ' Shared.Example ' })).body;
      assert.deepEqual(hits.map((h: any) => h.Feed.id).sort(), [feedA.id, feedB.id].sort());
      const hitA = hits.find((h: any) => h.Feed.id === feedA.id).Feed;
      assert.deepEqual(hitA.uuid, [a.events[0]!.Event.uuid]);
      assert.equal(hitA.type, 'MISP Feed');
      assert.deepEqual((await s.call('POST', 'feeds/searchCaches', { value: 'nowhere.example' })).body, []);
      const limited = (await s.call('POST', 'feeds/searchCaches', { value: 'shared.example' }, outsider.key)).body;
      assert.deepEqual(limited.map((h: any) => h.Feed.id), [feedA.id], 'outside the host org only lookup-visible feeds');

      // events/view includeFeedCorrelations: values carried by cached feeds, per attribute and for the event
      const ev = (await s.call('POST', 'events/add', {
        info: 'feed hits', distribution: 3, Attribute: [
          { type: 'domain', value: 'shared.example' }, { type: 'url', value: 'http://only-a.example' },
          { type: 'ip-dst|port', value: '203.0.113.1|8080' }, { type: 'comment', value: 'shared.example' },
          { type: 'domain', value: 'nowhere.example' },
        ],
      })).body.Event;
      const view = (await s.call('GET', `events/view/${ev.id}/includeFeedCorrelations:1`)).body.Event;
      const feedsOf = (value: string) => (view.Attribute.find((x: any) => x.value === value && x.type !== 'comment').Feed ?? []).map((f: any) => f.id);
      assert.deepEqual(feedsOf('shared.example'), [feedA.id, feedB.id].sort((x, y) => Number(x) - Number(y)));
      assert.deepEqual(feedsOf('http://only-a.example'), [feedA.id], 'a url also matches without its scheme');
      assert.deepEqual(feedsOf('203.0.113.1|8080'), [feedA.id, feedL.id], 'only the address of an ip|port');
      assert.deepEqual(feedsOf('nowhere.example'), []);
      assert.equal(view.Attribute.find((x: any) => x.type === 'comment').Feed, undefined, 'comments do not correlate');
      const sharedHit = view.Attribute.find((x: any) => x.value === 'shared.example' && x.type === 'domain').Feed.find((f: any) => f.id === feedA.id);
      assert.deepEqual(sharedHit.event_uuids, [a.events[0]!.Event.uuid]);
      assert.deepEqual(view.Feed.map((f: any) => f.id).sort(), [feedA.id, feedB.id, feedL.id].sort());
      assert.deepEqual((await s.call('GET', `events/view/${ev.id}`)).body.Event.Feed.length, 3, 'on by default, as on MISP');
      assert.equal((await s.call('GET', `events/view/${ev.id}/includeFeedCorrelations:0`)).body.Event.Feed, undefined, 'off with 0');
      const searched = (await s.call('POST', 'events/restSearch', { eventid: ev.id, includeFeedCorrelations: 1 })).body.response;
      assert.equal(searched[0].Event.Feed.length, 3, 'restSearch on request');
      assert.equal((await s.call('POST', 'events/restSearch', { eventid: ev.id })).body.response[0].Event.Feed, undefined, 'off by default there');
      const limitedView = (await s.call('GET', `events/view/${ev.id}/includeFeedCorrelations:1`, undefined, viewer.key)).body.Event;
      assert.deepEqual(limitedView.Feed.map((f: any) => f.id), [feedA.id], 'outside site admins only lookup-visible feeds');
      assert.equal((await s.call('GET', `events/view/${ev.id}/includeFeedCorrelations:1`, undefined, outsider.key)).body.Event.Feed,
        undefined, 'perm_view_feed_correlations is needed');

      // a local feed is not read once local feed access is switched off
      await setting('Security.disable_local_feed_access', true);
      assert.equal((await s.call('GET', `feeds/cacheFeeds/${feedL.id}`)).body.message, 'Caching the feeds has failed.');
      await setting('Security.disable_local_feed_access', false);
      assert.equal((await s.call('GET', `feeds/cacheFeeds/${feedL.id}`)).status, 200);
    });

    it('runs the caching job in the background under MISP.background_jobs and records failures', async () => {
      await setting('MISP.background_jobs', true);
      const broken = (await addFeed({ name: 'Gone', provider: 'G', url: `${base}/missing`, source_format: 'misp', caching_enabled: true })).body.Feed;
      const text = (await addFeed({ name: 'Text', provider: 'T', url: `${base}/text/list.txt`, source_format: 'freetext', caching_enabled: true })).body.Feed;
      const r = await s.call('GET', `feeds/cacheFeeds/${broken.id}`);
      assert.equal(r.body.message, 'Feed caching job initiated.');
      assert.equal((await s.call('GET', 'feeds/cacheFeeds/all')).body.message, 'Feed caching job initiated.');
      assert.equal((await s.call('GET', 'feeds/cacheFeeds/nonsense')).status, 405);
      // the job ends on its own; a synchronous run afterwards waits for it and reports the failures
      await setting('MISP.background_jobs', false);
      const failed = await s.call('GET', 'feeds/cacheFeeds/freetext');
      assert.equal(failed.status, 403);
      assert.equal(failed.body.message, 'Caching the feeds has failed.');
      const index = (await s.call('GET', 'feeds/index')).body;
      for (const f of [broken, text]) assert.equal(index.find((x: any) => x.Feed.id === f.id).Feed.cache_timestamp, false);
    });
  });
}
