import { Redis } from 'ioredis';
import type { RateLimitCounter } from '../../core/ports/rate-limit-counter.js';

/**
 * Rate-limit windows in Redis (CAIRN_REDIS_URL), shared by every Cairn process using the same Redis, as MISP keeps
 * them (`misp:<uuid>:rate_limit:<user id>`, INCR then EXPIRE 900 on the first use). One Lua script does the read,
 * the increment and the expiry atomically, so concurrent searches cannot slip past the limit. When Redis cannot be
 * reached the request goes through (MISP: "redis is not available, allow access"): commands fail fast instead of
 * queueing while the client reconnects in the background.
 */

const HIT = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count >= tonumber(ARGV[1]) then
  return {count, redis.call('TTL', KEYS[1]), 1}
end
count = redis.call('INCR', KEYS[1])
if count == 1 or redis.call('TTL', KEYS[1]) < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
return {count, redis.call('TTL', KEYS[1]), 0}`;

export function createRedisRateLimitCounter(url: string): RateLimitCounter {
  const redis = new Redis(url, {
    lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 5000),
  });
  // Errors surface through the commands below; without a listener ioredis would print every reconnect failure.
  redis.on('error', () => {});
  let connecting: Promise<void> | undefined;
  const ready = async () => {
    if (redis.status === 'wait') connecting ??= redis.connect().catch(() => { connecting = undefined; });
    if (connecting) await connecting;
  };
  return {
    async hit(key, limit, windowSeconds) {
      try {
        await ready();
        const [count, ttl, exceeded] = await redis.eval(HIT, 1, key, limit, windowSeconds) as [number, number, number];
        return { count, exceeded: exceeded === 1, resetSeconds: Math.max(0, ttl) };
      } catch {
        return undefined;
      }
    },
    async close() {
      redis.disconnect();
    },
  };
}
