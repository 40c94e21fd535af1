import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Feed } from '../../core/feeds/feed-model.js';
import type { FeedSource } from '../../core/ports/feed-source.js';

/** How long one feed request may take before it counts as failed. */
const TIMEOUT_MS = 60_000;

/** A local feed's path: MISP strips a `file://`-style scheme prefix (Feed::feedGetUri). */
const localPath = (url: string): string => url.replace(/^[a-z]+:\/\//i, '');

/** The feed's `headers` text, one `Name: value` per line (Feed::__createFeedRequest), as fetch headers. */
export function feedHeaders(text: string | null): Record<string, string> {
  const out: Record<string, string> = { 'User-Agent': 'Cairn (MISP-compatible) feed fetcher' };
  for (const line of (text ?? '').split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0) out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

/** The FeedSource port over the network (fetch, redirects followed, a timeout) and the local file system. */
export function createFeedSource(): FeedSource {
  return {
    async read(feed: Pick<Feed, 'inputSource' | 'headers'>, url: string): Promise<string> {
      if (feed.inputSource === 'local') {
        const path = localPath(url);
        if (!existsSync(path)) throw new Error(`Local file '${path}' doesn't exist.`);
        return readFileSync(path, 'utf8');
      }
      let res: Response;
      try {
        res = await fetch(url, { headers: feedHeaders(feed.headers), redirect: 'follow', signal: AbortSignal.timeout(TIMEOUT_MS) });
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        throw new Error(`Fetching the '${url}' failed with exception: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
      }
      if (res.status !== 200) {
        await res.body?.cancel();
        throw new Error(`Fetching the '${url}' failed with HTTP ${res.status}.`);
      }
      return res.text();
    },
    pathKind(path: string) {
      const p = localPath(path);
      if (!existsSync(p)) return undefined;
      return statSync(p).isDirectory() ? 'directory' : 'file';
    },
  };
}
