import { createHash } from 'node:crypto';
import { DomainError, ErrorCode } from '../errors.js';
import { noPermissions, type Role } from '../model/role.js';
import type { Actor, AuthKey } from '../model/user.js';
import type { IdentityStore } from '../ports/identity-store.js';
import { ipAllowed } from './ip-allow.js';
import { API_KEY_RE, keyHints, verifyApiKey } from './secrets.js';

/** MISP's exact texts (AppController::__loginByAuthKey, spec §0.3 step 5). */
export const AUTH_FAILED =
  'Authentication failed. Please make sure you pass the API key of an API enabled user along in the Authorization header.';
export const AUTH_DISABLED = 'Authentication failed. Your user account has been disabled.';
/** AppController::_checkAuthUser text for a key used from outside its allowed_ips. */
export const AUTH_KEY_IP_REFUSED = 'It is not possible to use this Auth key from your IP address';

const unauthenticated = (message: string = AUTH_FAILED) => new DomainError(ErrorCode.Unauthenticated, message);

/** A read-only key keeps only perm_auth and perm_audit (AuthKey::setUserData, spec §0.3 step 4). */
function restrictForReadOnly(role: Role): Role {
  const perms = noPermissions();
  perms.perm_auth = role.perms.perm_auth;
  perms.perm_audit = role.perms.perm_audit;
  return { ...role, perms };
}

interface CacheEntry {
  readonly userId: number;
  readonly authKey: AuthKey | null;
  readonly until: number;
}

export interface AuthenticatorOptions {
  readonly identity: IdentityStore;
  readonly secret: string;
  /** How long (ms) a verified key is remembered, so a request costs a map lookup, not a hash round. */
  readonly cacheMs?: number;
  readonly now?: () => number;
}

/**
 * Turns the `Authorization` / `X-MISP-AUTH` header into an Actor. Verified keys are cached by their
 * SHA-256 (never the key itself) for `cacheMs`; the user, role and organisation are re-read on every
 * request (one statement) so that disabling a user or changing a role takes effect at once. Key rows (expiry, IPs,
 * read-only) come from the cache, so whoever changes a key calls `invalidate()`.
 *
 * Both key kinds are accepted whatever `Security.advanced_authkeys` says: the setting only chooses
 * where *new* keys go (auth_keys rows or users.authkey_hash), so flipping it never locks anyone out.
 */
export function createAuthenticator(opts: AuthenticatorOptions) {
  const cacheMs = opts.cacheMs ?? 60_000;
  const nowMs = opts.now ?? Date.now;
  const cache = new Map<string, CacheEntry>();

  async function resolveKey(key: string): Promise<{ userId: number; authKey: AuthKey | null } | undefined> {
    const fingerprint = createHash('sha256').update(key).digest('hex');
    const hit = cache.get(fingerprint);
    const t = nowMs();
    if (hit && hit.until > t) return hit;
    cache.delete(fingerprint);
    const { start, end } = keyHints(key);
    for (const c of await opts.identity.findKeyCandidates(start, end)) {
      if (await verifyApiKey(opts.secret, c.hash, key)) {
        const entry = { userId: c.userId, authKey: c.authKey, until: t + cacheMs };
        if (cache.size > 10_000) cache.clear();
        cache.set(fingerprint, entry);
        return entry;
      }
    }
    return undefined;
  }

  return {
    /** Forget every cached key (after a key is deleted or a user changes). */
    invalidate(): void {
      cache.clear();
    },

    async authenticate(header: string | undefined, ip: string): Promise<Actor> {
      if (!header || header.startsWith('Basic')) throw unauthenticated();
      const candidates = header.split(',').map((k) => k.trim()).filter((k) => API_KEY_RE.test(k));
      for (const key of candidates) {
        const found = await resolveKey(key);
        if (!found) continue;
        // An expired key is no key: AuthKey::getAuthUserByAuthKey selects only `expiration = 0 OR > now`, so MISP
        // answers the generic failure (or takes a later key in the header). Its "Auth key is expired" is reachable
        // only through Security.authkey_keep_session sessions, which Cairn does not keep.
        const expiration = found.authKey?.expiration ?? 0;
        if (expiration !== 0 && expiration * 1000 <= nowMs()) continue;
        const context = await opts.identity.findUserContext(found.userId);
        if (!context) continue;
        const { user, role, org } = context;
        if (user.disabled) throw unauthenticated(AUTH_DISABLED);
        if (found.authKey?.allowedIps?.length && !ipAllowed(ip, found.authKey.allowedIps)) {
          throw unauthenticated(AUTH_KEY_IP_REFUSED);
        }
        if (!role || !org || !role.perms.perm_auth) throw unauthenticated();
        const effective = found.authKey?.readOnly ? restrictForReadOnly(role) : role;
        return { user, org, role: effective, authKey: found.authKey, isSiteAdmin: effective.perms.perm_site_admin };
      }
      throw unauthenticated();
    },
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;
