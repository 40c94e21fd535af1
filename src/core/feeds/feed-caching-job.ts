import type { RequestContext } from '../context.js';
import { notAllowed } from '../errors.js';
import type { FeedSource } from '../ports/feed-source.js';
import type { Storage } from '../ports/stores.js';
import { cacheFeeds, type FeedCachingResult, feedsInScope } from './feed-cache.js';

/**
 * feeds/cacheFeeds/{scope} (FeedsController::cacheFeeds): with `MISP.background_jobs` the caching runs after the
 * answer, in this process; without, the request waits for it. One caching run per storage at a time: a request
 * made while one runs is queued behind it. Each feed's outcome lands in its cache state (feeds/index `cache_timestamp`).
 */

const running = new WeakMap<object, Promise<FeedCachingResult>>();

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Starts caching the scope's feeds; rejects an unknown scope before anything starts, as MISP does. */
export async function startFeedCaching(
  ctx: Pick<RequestContext, 'settings'>, storage: Storage, source: FeedSource, scope: string,
  progress?: (message: string, percent: number) => void,
): Promise<{ background: boolean; done: Promise<FeedCachingResult> }> {
  const feeds = feedsInScope(await storage.feeds.list(), scope);
  if (!feeds) throw notAllowed("Invalid value for scope, it must be integer or 'freetext', 'csv', 'misp' or 'all' string.");
  const background = ctx.settings.bool('MISP.background_jobs');
  const previous = running.get(storage) ?? Promise.resolve({ successes: 0, fails: 0 });
  const localAllowed = !ctx.settings.bool('Security.disable_local_feed_access');
  const done = previous.catch(() => undefined).then(() => cacheFeeds(storage, source, feeds, {
    now: nowSeconds, localAllowed, ...(progress ? { progress } : {}),
  }));
  running.set(storage, done);
  void done.finally(() => { if (running.get(storage) === done) running.delete(storage); }).catch(() => undefined);
  return { background, done };
}
