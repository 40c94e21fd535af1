import { createHash } from 'node:crypto';
import { splitValue } from '../attributes/composite.js';
import { isCorrelatingType, PRIMARY_ONLY_CORRELATING_TYPES } from '../correlation/correlation-keys.js';
import { isRecord } from '../misp-format/input-readers.js';
import type { FeedCacheEntry } from '../ports/feed-cache-store.js';
import type { FeedSource } from '../ports/feed-source.js';
import type { Stores } from '../ports/stores.js';
import { isUuid } from '../util/uuid.js';
import type { Feed } from './feed-model.js';

/**
 * Feed caching (feeds/cacheFeeds, Feed::cacheFeedInitiator, spec §7.3): the md5 of every value a feed carries, kept
 * per feed so that feeds can be compared (compareFeeds) and searched (searchCaches) without fetching them again.
 * MISP feeds are read through their quick cache `hashes.csv` when they publish one, else through `manifest.json`
 * and every event file. Freetext and CSV feeds need the freetext parser (ComplexTypeTool, spec §8.3) to find their
 * values; Cairn does not have it yet, so caching one fails with a message saying so.
 */

export const md5 = (v: string): string => createHash('md5').update(v).digest('hex');

/** What caching one feed did: the entries, or why there are none. */
export type FeedCacheOutcome = { readonly ok: true; readonly entries: FeedCacheEntry[]; readonly via: string } | { readonly ok: false; readonly message: string };

/** `hashes.csv`: lines `<md5>,<event uuid>` (Feed::getCache); malformed lines are skipped. */
export function parseHashesCsv(text: string): FeedCacheEntry[] {
  const out: FeedCacheEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    const [hash, uuid] = line.trim().split(',');
    if (hash && /^[0-9a-f]{32}$/i.test(hash) && uuid !== undefined && isUuid(uuid.trim())) out.push({ md5: hash.toLowerCase(), eventUuid: uuid.trim().toLowerCase() });
  }
  return out;
}

/**
 * The values of one feed event that MISP caches (Feed::__cacheMISPFeedTraditional): its `Attribute` list, correlating
 * types only, composite values split (only the first part for the `|port` types), each value hashed as sent.
 */
export function eventCacheEntries(doc: unknown): FeedCacheEntry[] {
  const event = isRecord(doc) && isRecord(doc.Event) ? doc.Event : isRecord(doc) ? doc : {};
  const uuid = typeof event.uuid === 'string' ? event.uuid.toLowerCase() : '';
  const out: FeedCacheEntry[] = [];
  for (const a of Array.isArray(event.Attribute) ? event.Attribute : []) {
    if (!isRecord(a) || typeof a.type !== 'string' || typeof a.value !== 'string' || !isCorrelatingType(a.type)) continue;
    const { value1, value2 } = splitValue(a.type, a.value);
    out.push({ md5: md5(value1), eventUuid: uuid });
    if (value2 !== '' && !PRIMARY_ONLY_CORRELATING_TYPES.has(a.type)) out.push({ md5: md5(value2), eventUuid: uuid });
  }
  return out;
}

/** `url` + `/name`, as MISP joins a feed url and a file name. */
const under = (url: string, name: string): string => `${url.replace(/\/+$/, '')}/${name}`;

/** Reads one feed's values; never throws: a failure is an outcome with MISP's kind of message. */
export async function readFeedCache(source: FeedSource, feed: Feed, progress: (message: string) => void = () => {}): Promise<FeedCacheOutcome> {
  if (feed.sourceFormat !== 'misp') {
    return { ok: false, message: `Feed ${feed.id}: caching ${feed.sourceFormat} feeds needs the freetext parser, which this Cairn version does not have.` };
  }
  try {
    const entries = parseHashesCsv(await source.read(feed, under(feed.url, 'hashes.csv')));
    if (entries.length > 0) return { ok: true, entries, via: 'quick cache' };
  } catch {
    // no quick cache: read the events (Feed::__cacheMISPFeedTraditional)
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(await source.read(feed, under(feed.url, 'manifest.json')));
  } catch (err) {
    return { ok: false, message: `Could not get manifest for feed ${feed.id}: ${(err as Error).message}` };
  }
  const uuids = isRecord(manifest) ? Object.keys(manifest).filter((u) => isUuid(u)) : [];
  const entries: FeedCacheEntry[] = [];
  for (const [i, uuid] of uuids.entries()) {
    try {
      entries.push(...eventCacheEntries(JSON.parse(await source.read(feed, under(feed.url, `${uuid}.json`)))));
    } catch (err) {
      return { ok: false, message: `Could not get and parse event '${uuid}' for feed ${feed.id}: ${(err as Error).message}` };
    }
    if ((i + 1) % 10 === 0) progress(`Feed ${feed.id}: ${i + 1}/${uuids.length} events cached.`);
  }
  return { ok: true, entries, via: `${uuids.length} events` };
}

/** Which feeds a cacheFeeds scope names (Feed::cacheFeedInitiator): `all`, `freetext`/`csv`, `misp`, or a feed id. */
export function feedsInScope(feeds: readonly Feed[], scope: string): Feed[] | undefined {
  const caching = feeds.filter((f) => f.cachingEnabled);
  if (scope === 'all') return caching;
  if (/^\d+$/.test(scope)) return caching.filter((f) => f.id === Number(scope));
  if (scope === 'freetext' || scope === 'csv') return caching.filter((f) => f.sourceFormat === 'freetext' || f.sourceFormat === 'csv');
  if (scope === 'misp') return caching.filter((f) => f.sourceFormat === 'misp');
  return undefined;
}

export interface FeedCachingResult {
  readonly successes: number;
  readonly fails: number;
}

/**
 * Caches every feed of the scope in turn, each stored in its own transaction (a slow or broken feed costs only
 * itself), and reports progress per feed. Feeds whose caching fails keep their previous cache and record why.
 */
export async function cacheFeeds(
  storage: Stores & { transaction<T>(fn: (tx: Stores) => Promise<T>): Promise<T> }, source: FeedSource, feeds: readonly Feed[],
  opts: { readonly now: () => number; readonly localAllowed: boolean; readonly progress?: (message: string, percent: number) => void },
): Promise<FeedCachingResult> {
  const progress = opts.progress ?? (() => {});
  const now = opts.now;
  let successes = 0;
  let fails = 0;
  for (const [i, feed] of feeds.entries()) {
    // a local feed added while local access was allowed is not read once `Security.disable_local_feed_access` is set
    const outcome: FeedCacheOutcome = feed.inputSource === 'local' && !opts.localAllowed
      ? { ok: false, message: `Feed ${feed.id}: local feeds are not allowed (Security.disable_local_feed_access).` }
      : await readFeedCache(source, feed, (m) => progress(m, Math.floor((100 * i) / feeds.length)));
    if (outcome.ok) {
      await storage.transaction((tx) => tx.feedCaches.replace(feed.id, outcome.entries, now(), `Feed ${feed.id} cached (${outcome.via}).`));
      successes++;
      progress(`Feed ${feed.id} cached.`, Math.floor((100 * (i + 1)) / feeds.length));
    } else {
      await storage.feedCaches.fail(feed.id, outcome.message);
      fails++;
      progress(`Failed to cache feed ${feed.id}: ${outcome.message}`, Math.floor((100 * (i + 1)) / feeds.length));
    }
  }
  return { successes, fails };
}
