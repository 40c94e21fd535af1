import type { RequestContext } from '../context.js';
import type { Stores } from '../ports/stores.js';
import { isHostOrgUser } from '../tags/tag-access.js';
import { md5 } from './feed-cache.js';
import type { Feed } from './feed-model.js';

/**
 * What the feed caches answer (spec §7.3): feeds/compareFeeds (overlap of every pair of cached feeds) and
 * feeds/searchCaches (which cached feeds carry a value). Users outside the host organisation only see feeds marked
 * `lookup_visible` (`$limited` in FeedsController). Server caches come with server sync.
 */

type Json = Record<string, unknown>;

const limited = (ctx: RequestContext): boolean => !ctx.actor.isSiteAdmin && !isHostOrgUser(ctx);

async function cachingFeeds(ctx: RequestContext, stores: Stores): Promise<Feed[]> {
  return (await stores.feeds.list(limited(ctx) ? { lookupVisible: true } : {})).filter((f) => f.cachingEnabled);
}

const summary = (f: Feed): Json => ({
  id: String(f.id), input_source: f.inputSource, source_format: f.sourceFormat, url: f.url, provider: f.provider, name: f.name,
  default: f.isDefault,
});

/**
 * Feed::getFeedCoverage for feeds/view: the share of the feed's cached values that another caching feed also
 * carries, as MISP renders it (`"37.5%"`, two decimals at most).
 */
export async function feedCoverage(stores: Stores, feedId: number): Promise<{ cached: number; coverage: string }> {
  const cached = (await stores.feedCaches.states([feedId])).get(feedId)?.values ?? 0;
  const others = (await stores.feeds.list()).filter((f) => f.cachingEnabled && f.id !== feedId).map((f) => f.id);
  const shared = cached > 0 ? await stores.feedCaches.sharedWithAny(feedId, others) : 0;
  return { cached, coverage: `${cached > 0 ? Math.round((10_000 * shared) / cached) / 100 : 0}%` };
}

/** Feed::compareFeeds: each cached feed with its value count and, per other cached feed, the shared values. */
export async function compareFeeds(ctx: RequestContext, stores: Stores): Promise<Json[]> {
  const feeds = await cachingFeeds(ctx, stores);
  const states = await stores.feedCaches.states(feeds.map((f) => f.id));
  const cached = feeds.filter((f) => (states.get(f.id)?.cachedAt ?? 0) > 0);
  const shared = new Map<string, number>();
  for (const o of await stores.feedCaches.overlaps(cached.map((f) => f.id))) shared.set(`${o.a}/${o.b}`, o.count);
  return cached.map((f) => {
    const values = states.get(f.id)!.values;
    return {
      Feed: {
        ...summary(f), values,
        ComparedFeed: cached.filter((g) => g.id !== f.id).map((g) => {
          const count = shared.get(`${f.id}/${g.id}`) ?? 0;
          return { ...summary(g), overlap_count: count, overlap_percentage: values > 0 ? Math.round((100 * count) / values) : 0 };
        }),
      },
    };
  });
}

/**
 * Feed::searchCaches: the cached feeds holding md5(trimmed, lower-cased value); MISP feeds also list the feed events
 * carrying it, with their preview urls. A list of values answers a map value → hits.
 */
export async function searchCaches(ctx: RequestContext, stores: Stores, value: unknown): Promise<Json[] | Record<string, Json[]>> {
  const values = (Array.isArray(value) ? value : [value]).filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
    .map((v) => String(v).trim().toLowerCase()).filter((v) => v !== '');
  const feeds = await cachingFeeds(ctx, stores);
  const byMd5 = new Map<string, Map<number, Set<string>>>();
  for (const h of await stores.feedCaches.holders(values.map(md5), feeds.map((f) => f.id))) {
    let perFeed = byMd5.get(h.md5);
    if (!perFeed) byMd5.set(h.md5, (perFeed = new Map()));
    let uuids = perFeed.get(h.feedId);
    if (!uuids) perFeed.set(h.feedId, (uuids = new Set()));
    if (h.eventUuid) uuids.add(h.eventUuid);
  }
  const hitsFor = (v: string): Json[] => {
    const perFeed = byMd5.get(md5(v));
    if (!perFeed) return [];
    return feeds.filter((f) => perFeed.has(f.id)).map((f) => {
      const base = { id: String(f.id), name: f.name, url: f.url, source_format: f.sourceFormat };
      if (f.sourceFormat !== 'misp') {
        return { Feed: { ...base, type: 'Feed', direct_urls: [{ url: `${ctx.baseUrl}/feeds/previewIndex/${f.id}`, name: `Feed ${f.id}` }] } };
      }
      const uuids = [...perFeed.get(f.id)!];
      return {
        Feed: {
          ...base, uuid: uuids, type: 'MISP Feed',
          ...(uuids.length ? { direct_urls: uuids.map((u) => ({ url: `${ctx.baseUrl}/feeds/previewEvent/${f.id}/${u}`, name: `Event ${u}` })) } : {}),
        },
      };
    });
  };
  if (!Array.isArray(value)) return values.length ? hitsFor(values[0]!) : [];
  return Object.fromEntries(values.map((v) => [v, hitsFor(v)]).filter(([, hits]) => hits.length > 0));
}
