import type { Feed } from '../feeds/feed-model.js';

/**
 * Where feed content comes from (spec §7.1): an HTTP GET of a url with the feed's custom headers (`network`), or a
 * file on this server (`local`, a `file://` prefix allowed). Implemented in src/app/feeds/feed-source.ts.
 */
export interface FeedSource {
  /** The body at `url`; throws an Error naming the url and the reason (status, network error, missing file). */
  read(feed: Pick<Feed, 'inputSource' | 'headers'>, url: string): Promise<string>;
  /** What a local feed's path points at, if anything. */
  pathKind(path: string): 'directory' | 'file' | undefined;
}
