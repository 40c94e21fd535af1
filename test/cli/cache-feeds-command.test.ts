import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultFeed } from '../../src/core/feeds/feed-service.js';
import { createStorage } from '../../src/storage/create-storage.js';
import { cairn, freshDatabase, type FreshDatabase } from '../support/cli-database.js';
import { testDialects } from '../support/test-server.js';

/**
 * `npm run cairn -- cache-feeds [scope]` (feeds/cacheFeeds in the foreground, spec §7.3): a local MISP feed is cached
 * with progress lines, a feed that cannot be read is reported and makes the command fail, and both outcomes are
 * recorded in the feeds' cache states.
 */

for (const dialect of testDialects()) {
  describe(`${dialect}: cairn cache-feeds`, () => {
    let db: FreshDatabase;
    let dir: string;
    let ok: number;
    let broken: number;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'cairn-feed-cli-'));
      const uuid = randomUUID();
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ [uuid]: { info: 'x' } }));
      writeFileSync(join(dir, `${uuid}.json`), JSON.stringify({ Event: { uuid, Attribute: [{ type: 'ip-dst', value: '198.51.100.7' }] } }));
      db = await freshDatabase(dialect);
      const storage = await createStorage(db.url);
      const local = { ...defaultFeed({ name: 'local', provider: 'me', url: dir }, 0), isDefault: false, inputSource: 'local', cachingEnabled: true };
      ok = await storage.feeds.insert(local);
      broken = await storage.feeds.insert({ ...local, name: 'gone', url: join(dir, 'missing') });
      await storage.close();
    });
    after(async () => {
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('caches the feeds of a scope with progress, and fails when one cannot be read', async () => {
      const one = cairn(['cache-feeds', String(ok)], { CAIRN_DATABASE_URL: db.url });
      assert.equal(one.status, 0, one.stderr);
      assert.match(one.stdout, /1 feed\(s\) with caching enabled/);
      assert.match(one.stdout, new RegExp(`Feed ${ok} cached\\.`));
      assert.match(one.stdout, /feeds cached: 1, failed: 0/);

      const all = cairn(['cache-feeds', 'all'], { CAIRN_DATABASE_URL: db.url });
      assert.equal(all.status, 1);
      assert.match(all.stdout, /Could not get manifest for feed/);
      assert.match(all.stdout, /feeds cached: 1, failed: 1/);
      assert.equal(cairn(['cache-feeds', 'bogus'], { CAIRN_DATABASE_URL: db.url }).status, 1);

      const storage = await createStorage(db.url);
      try {
        const states = await storage.feedCaches.states([ok, broken]);
        assert.deepEqual([states.get(ok)?.status, states.get(ok)?.values], ['cached', 1]);
        assert.equal(states.get(broken)?.status, 'failed');
        assert.equal(states.get(broken)?.cachedAt, 0);
      } finally {
        await storage.close();
      }
    });
  });
}
