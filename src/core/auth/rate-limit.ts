import { notAllowed } from '../errors.js';
import type { Actor } from '../model/user.js';
import type { RateLimitCounter } from '../ports/rate-limit-counter.js';

/**
 * MISP's search rate limit (RateLimitComponent, AppController::__rateLimitCheck; spec §3.1 `events/restSearch`
 * "rate-limited"): a role with `enforce_rate_limit` may run `rate_limit_count` events/attributes restSearch calls per
 * 15 minutes and per user. Every answer carries X-Rate-Limit-Limit / -Remaining / -Reset; past the limit the search
 * is refused with 429 "Rate limit exceeded."; a count of 0 forbids API searches altogether (405).
 */

/** RateLimitComponent::LIMITED_FUNCTIONS. */
const LIMITED: Readonly<Record<string, readonly string[]>> = { attributes: ['restSearch'], events: ['restSearch'] };

/** The 15-minute window (the key's 900 s expiry). */
export const RATE_LIMIT_WINDOW_SECONDS = 900;

export const RATE_LIMIT_EXCEEDED = 'Rate limit exceeded.';

export interface RateLimitVerdict {
  readonly exceeded: boolean;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The verdict for one request, or undefined when no limit applies (another action, a role without the limit, or an
 * unreachable counter backend). `instanceUuid` namespaces the key as MISP's `misp:<uuid>:rate_limit:<user id>`.
 */
export async function checkRateLimit(
  counter: RateLimitCounter, actor: Actor, controller: string, action: string, instanceUuid: string,
): Promise<RateLimitVerdict | undefined> {
  if (!LIMITED[controller]?.includes(action) || !actor.role.enforceRateLimit) return undefined;
  const limit = actor.role.rateLimitCount;
  if (limit <= 0) throw notAllowed('API searches are not allowed for this user role.');
  const hit = await counter.hit(`misp:${instanceUuid || 'no-uuid'}:rate_limit:${actor.user.id}`, limit, RATE_LIMIT_WINDOW_SECONDS);
  if (!hit) return undefined;
  return {
    exceeded: hit.exceeded,
    headers: {
      'X-Rate-Limit-Limit': String(limit),
      'X-Rate-Limit-Remaining': String(Math.max(0, limit - hit.count)),
      'X-Rate-Limit-Reset': String(hit.resetSeconds),
    },
  };
}
