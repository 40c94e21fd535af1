import { generateApiKey, hashApiKey, keyHints } from '../auth/secrets.js';
import type { Settings } from '../settings/settings.js';
import type { AuthKey } from '../model/user.js';
import type { Stores } from '../ports/stores.js';
import { newUuid } from '../util/uuid.js';
import type { AuthKeyInput } from './auth-key-input.js';

/** A freshly issued API key: the clear text exists only in this value and in the one answer that returns it. */
export interface IssuedKey {
  readonly raw: string;
  /** The auth_keys row, or null for a legacy per-user key. */
  readonly authKey: AuthKey | null;
}

/** A new auth_keys row holding only the HMAC of a random 40-character key (AuthKey::beforeValidate). */
export async function issueAuthKey(stores: Stores, secret: string, userId: number, now: number, input: AuthKeyInput = {}): Promise<IssuedKey> {
  const raw = generateApiKey();
  const { start, end } = keyHints(raw);
  const authKey = await stores.identity.createAuthKey({
    uuid: input.uuid ?? newUuid(), hash: hashApiKey(secret, raw), start, end, created: now,
    expiration: input.expiration ?? 0, readOnly: input.readOnly ?? false, userId,
    comment: input.comment ?? '', allowedIps: input.allowedIps ?? null,
  });
  return { raw, authKey };
}

/** Replaces the user's legacy key (users.authkey_hash), used when `Security.advanced_authkeys` is off. */
export async function issueLegacyKey(stores: Stores, secret: string, userId: number, now: number): Promise<IssuedKey> {
  const raw = generateApiKey();
  const { start, end } = keyHints(raw);
  await stores.identity.updateUser(userId, { legacyKey: { hash: hashApiKey(secret, raw), start, end } }, now);
  return { raw, authKey: null };
}

/** A key of the kind the instance uses for new keys (spec §0.3 step 2). */
export function issueUserKey(settings: Settings, stores: Stores, secret: string, userId: number, now: number): Promise<IssuedKey> {
  return settings.bool('Security.advanced_authkeys')
    ? issueAuthKey(stores, secret, userId, now)
    : issueLegacyKey(stores, secret, userId, now);
}
