import { cacheFeeds, type FeedCachingResult, feedsInScope } from '../../core/feeds/feed-cache.js';
import { loadConfig } from '../config.js';
import { createStorage } from '../../storage/create-storage.js';
import { storageOptions } from '../storage-options.js';
import { createFeedSource } from './feed-source.js';
import { createSettingsService } from '../../core/settings/settings-service.js';

/**
 * `cairn cache-feeds [scope]`: what feeds/cacheFeeds/{scope} does, in the foreground with a progress line per step
 * (scope `all`, `misp`, `freetext`, `csv` or a feed id; MISP's default is `freetext`).
 */
export async function cacheFeedsCommand(scope: string, progress: (line: string) => void): Promise<FeedCachingResult> {
  const config = loadConfig();
  const storage = await createStorage(config.databaseUrl, storageOptions(config));
  try {
    const feeds = feedsInScope(await storage.feeds.list(), scope);
    if (!feeds) throw new Error(`unknown scope "${scope}": a feed id, all, misp, freetext or csv`);
    progress(`${feeds.length} feed(s) with caching enabled in scope ${scope}`);
    const settings = createSettingsService(storage.settings);
    await settings.reload();
    return await cacheFeeds(storage, createFeedSource(), feeds, {
      now: () => Math.floor(Date.now() / 1000),
      localAllowed: !settings.current().bool('Security.disable_local_feed_access'),
      progress: (message, percent) => progress(`[${String(percent).padStart(3)}%] ${message}`),
    });
  } finally {
    await storage.close();
  }
}
