import type { Feed, NewFeed } from '../feeds/feed-model.js';

/** Which feeds to list; every member narrows. */
export interface FeedFilter {
  readonly lookupVisible?: boolean;
  readonly isDefault?: boolean;
  /** feeds/index `scope:enabled`: enabled or caching enabled. */
  readonly enabledOrCaching?: boolean;
}

/** Persistence of feed definitions (spec §1.4). */
export interface FeedStore {
  /** Ordered as feeds/index: default feeds first, then by id. */
  list(filter?: FeedFilter): Promise<Feed[]>;
  find(id: number): Promise<Feed | undefined>;
  insert(feed: NewFeed): Promise<number>;
  update(id: number, patch: Partial<NewFeed>): Promise<void>;
  delete(id: number): Promise<void>;
  /** Every stored feed url (Feed::importFeeds skips urls already present). */
  urls(): Promise<Set<string>>;
}
