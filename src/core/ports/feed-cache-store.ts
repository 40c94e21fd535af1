/** One cached value of a feed: md5 of the value, and the feed event carrying it (MISP feeds; '' for freetext/CSV). */
export interface FeedCacheEntry {
  readonly md5: string;
  readonly eventUuid: string;
}

/** The outcome of a feed's last caching run. */
export interface FeedCacheState {
  readonly feedId: number;
  /** When the stored entries were cached (epoch seconds); 0 when the feed never cached successfully. */
  readonly cachedAt: number;
  readonly status: 'cached' | 'failed';
  readonly message: string;
  /** Distinct values cached. */
  readonly values: number;
}

/**
 * The feed caches behind feed correlation (spec §7.3; MISP keeps them in Redis sets `misp:feed_cache:*`): a set of
 * value hashes per feed, with the feed events they come from.
 */
export interface FeedCacheStore {
  /** Replaces the feed's entries with `entries` and records a successful run at `cachedAt`. */
  replace(feedId: number, entries: readonly FeedCacheEntry[], cachedAt: number, message: string): Promise<void>;
  /** Records a failed run; the entries of the last successful run stay. */
  fail(feedId: number, message: string): Promise<void>;
  /** Drops the feed's entries and state (feed deleted). */
  clear(feedId: number): Promise<void>;
  states(feedIds: readonly number[]): Promise<Map<number, FeedCacheState>>;
  /** Feeds with a successful cache (one small query: events/view asks it on every view). */
  cachedFeedIds(): Promise<number[]>;
  /** Distinct values two feeds share, for every ordered pair of the given feeds that shares any. */
  overlaps(feedIds: readonly number[]): Promise<Array<{ readonly a: number; readonly b: number; readonly count: number }>>;
  /** Distinct values of `feedId` that at least one of `others` also carries. */
  sharedWithAny(feedId: number, others: readonly number[]): Promise<number>;
  /** Entries of the given feeds holding one of the hashes. */
  holders(md5s: readonly string[], feedIds: readonly number[]): Promise<Array<FeedCacheEntry & { readonly feedId: number }>>;
}
