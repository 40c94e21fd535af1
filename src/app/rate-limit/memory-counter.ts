import type { RateLimitCounter } from '../../core/ports/rate-limit-counter.js';

/**
 * Rate-limit windows in this process's memory (the default; one Cairn process). Expired windows are dropped when
 * met again and swept whenever the map has grown by `SWEEP_EVERY` keys, so memory follows the number of users
 * searching in the last window. `now` (ms) is injectable for tests.
 */

const SWEEP_EVERY = 1000;

export function createMemoryRateLimitCounter(now: () => number = Date.now): RateLimitCounter {
  const windows = new Map<string, { count: number; endsAt: number }>();
  let sweepAt = SWEEP_EVERY;
  return {
    async hit(key, limit, windowSeconds) {
      const t = now();
      let w = windows.get(key);
      if (w && w.endsAt <= t) {
        windows.delete(key);
        w = undefined;
      }
      if (w && w.count >= limit) return { count: w.count, exceeded: true, resetSeconds: Math.ceil((w.endsAt - t) / 1000) };
      if (!w) {
        w = { count: 0, endsAt: t + windowSeconds * 1000 };
        windows.set(key, w);
        if (windows.size >= sweepAt) {
          for (const [k, v] of windows) if (v.endsAt <= t) windows.delete(k);
          sweepAt = windows.size + SWEEP_EVERY;
        }
      }
      w.count++;
      return { count: w.count, exceeded: false, resetSeconds: Math.ceil((w.endsAt - t) / 1000) };
    },
    async close() {
      windows.clear();
    },
  };
}
