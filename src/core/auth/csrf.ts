import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * CSRF tokens for browser sessions (spec §0.3). A token is an HMAC of the session id under the instance
 * secret, so it is bound to one session, needs no storage and cannot be derived from the stored (hashed)
 * session id. The login form, which runs before any session exists, binds its token to a random nonce kept
 * in a short-lived cookie instead (double-submit).
 */
function mac(secret: string, purpose: string, value: string): string {
  return createHmac('sha256', secret).update(`${purpose}:${value}`).digest('base64url');
}

export const sessionCsrfToken = (secret: string, sessionId: string): string => mac(secret, 'csrf', sessionId);
export const loginCsrfToken = (secret: string, nonce: string): string => mac(secret, 'login', nonce);

/** Constant-time comparison; a missing token never matches. */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
