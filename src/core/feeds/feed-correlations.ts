import type { RequestContext } from '../context.js';
import { isCorrelatingType, PRIMARY_ONLY_CORRELATING_TYPES } from '../correlation/correlation-keys.js';
import type { AttributeDetail, EventDetail, FeedHit } from '../model/event.js';
import type { Stores } from '../ports/stores.js';
import { md5 } from './feed-cache.js';
import type { Feed } from './feed-model.js';

/**
 * events/view `includeFeedCorrelations` (Feed::attachFeedCorrelations, spec §7.3): each attribute whose value a
 * cached feed carries gets `Feed` — the feeds, with the feed events for MISP feeds — and the event lists every feed
 * hit. Only roles with `perm_view_feed_correlations`; outside site admins only `lookup_visible` feeds. Values are
 * looked up in one query for the whole event.
 */

/** Above this many hits MISP only flags the attributes (`FeedHit`) and counts them (`FeedCount`). */
const HIT_LIMIT = 10_000;

/** The hashes MISP tests for an attribute: composite parts, and a url/uri without its scheme. */
function valueHashes(a: AttributeDetail): string[] {
  if (!isCorrelatingType(a.type) || a.disableCorrelation) return [];
  const { value1, value2 } = a;
  const parts = [value1];
  if (value2 !== '' && !PRIMARY_ONLY_CORRELATING_TYPES.has(a.type)) parts.push(value2);
  if ((a.type === 'url' || a.type === 'uri') && value2 === '') {
    const at = value1.indexOf('://');
    if (at >= 0) parts.push(value1.slice(at + 3));
  }
  return parts.map(md5);
}

const hitOf = (f: Feed, eventUuids: readonly string[]): FeedHit => ({
  id: f.id, name: f.name, url: f.url, provider: f.provider, sourceFormat: f.sourceFormat, lookupVisible: f.lookupVisible,
  eventUuids: f.sourceFormat === 'misp' ? eventUuids : [],
});

export async function withFeedCorrelations(ctx: RequestContext, stores: Stores, d: EventDetail): Promise<EventDetail> {
  if (!ctx.actor.role.perms.perm_view_feed_correlations) return d;
  const all = [...d.attributes, ...d.objects.flatMap((o) => o.attributes)];
  const hashes = new Map<number, string[]>();
  for (const a of all) {
    const h = valueHashes(a);
    if (h.length) hashes.set(a.id, h);
  }
  if (hashes.size === 0) return d;
  const cached = new Set(await stores.feedCaches.cachedFeedIds());
  if (cached.size === 0) return d;
  const feeds = await stores.feeds.list(ctx.actor.isSiteAdmin ? {} : { lookupVisible: true });
  const sources = new Map(feeds.filter((f) => cached.has(f.id)).map((f) => [f.id, f]));
  if (sources.size === 0) return d;
  // md5 → feed id → feed event uuids
  const holders = new Map<string, Map<number, Set<string>>>();
  for (const h of await stores.feedCaches.holders([...new Set([...hashes.values()].flat())], [...sources.keys()])) {
    let perFeed = holders.get(h.md5);
    if (!perFeed) holders.set(h.md5, (perFeed = new Map()));
    let uuids = perFeed.get(h.feedId);
    if (!uuids) perFeed.set(h.feedId, (uuids = new Set()));
    if (h.eventUuid) uuids.add(h.eventUuid);
  }
  let hitCount = 0;
  for (const list of hashes.values()) for (const h of list) if (holders.has(h)) hitCount++;
  if (hitCount === 0) return d;
  if (hitCount > HIT_LIMIT) {
    const flag = (a: AttributeDetail): AttributeDetail => (hashes.get(a.id)?.some((h) => holders.has(h)) ? { ...a, feedHit: true } : a);
    return { ...d, feedCount: hitCount, attributes: d.attributes.map(flag), objects: d.objects.map((o) => ({ ...o, attributes: o.attributes.map(flag) })) };
  }
  const eventHits = new Map<number, Set<string>>();
  const attach = (a: AttributeDetail): AttributeDetail => {
    const perFeed = new Map<number, Set<string>>();
    for (const h of hashes.get(a.id) ?? []) {
      for (const [feedId, uuids] of holders.get(h) ?? []) {
        const mine = perFeed.get(feedId) ?? new Set<string>();
        const event = eventHits.get(feedId) ?? new Set<string>();
        for (const u of uuids) { mine.add(u); event.add(u); }
        perFeed.set(feedId, mine);
        eventHits.set(feedId, event);
      }
    }
    if (perFeed.size === 0) return a;
    return { ...a, feedHits: [...perFeed].sort(([x], [y]) => x - y).map(([id, uuids]) => hitOf(sources.get(id)!, [...uuids])) };
  };
  const attributes = d.attributes.map(attach);
  const objects = d.objects.map((o) => ({ ...o, attributes: o.attributes.map(attach) }));
  const feedHits = [...eventHits].sort(([x], [y]) => x - y).map(([id, uuids]) => hitOf(sources.get(id)!, [...uuids]));
  return { ...d, attributes, objects, feedHits };
}
