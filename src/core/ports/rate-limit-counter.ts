/**
 * A fixed-window counter for API rate limits (spec §3.1 "rate-limited"; MISP's RateLimitComponent keeps one Redis
 * key per user that expires 15 minutes after the first search of the window). The in-memory adapter serves a single
 * process; the Redis adapter (CAIRN_REDIS_URL) shares the windows between processes (src/app/rate-limit).
 */

export interface RateLimitHit {
  /** Searches counted in the window, this one included unless it was refused. */
  readonly count: number;
  /** The window was already full: this search was not counted and must be refused. */
  readonly exceeded: boolean;
  /** Seconds until the window ends. */
  readonly resetSeconds: number;
}

export interface RateLimitCounter {
  /**
   * Counts one use of `key` unless `limit` uses were already counted in its window (then `exceeded`). A new window of
   * `windowSeconds` starts with the first use after the previous one ended. Undefined when the backend is unreachable:
   * MISP lets the request through then.
   */
  hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitHit | undefined>;
  close(): Promise<void>;
}
