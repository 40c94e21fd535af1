import type { RequestContext } from '../context.js';
import { notAllowed, notFound, saveFailed } from '../errors.js';
import type { AuthKey, User } from '../model/user.js';
import type { Stores } from '../ports/stores.js';
import { readAuthKeyInput } from './auth-key-input.js';
import { type IssuedKey, issueAuthKey, issueLegacyKey } from './api-key-issue.js';
import { auditAdd, auditDelete, auditEdit } from '../audit/audit-record.js';
import { toMispAuthKey } from '../misp-format/identity-json.js';

/** Audit title of a key: its comment, else its uuid (never the key or its hints). */
const keyTitle = (k: AuthKey): string => k.comment || k.uuid;

/** Spec §0.3, §3.9: advanced auth keys (AuthKeysController) and users/resetauthkey (User::resetauthkey). */
export const KEY_NOT_ALLOWED = 'Invalid user or insufficient privileges to interact with an authkey for the given user.';
const INVALID_KEY = 'Invalid AuthKey.';

export interface AuthKeyWithUser {
  readonly key: AuthKey;
  readonly user: Pick<User, 'id' | 'email'> | undefined;
}

/**
 * AuthKeysController::__canCreateAuthKeyForUser: site admins for anyone; org admins for themselves and for
 * enabled, API-capable non-admin users — of their own organisation (MISP omits that check; we do not); others
 * only for themselves. Edit and delete leave the organisation to {@link visibleKey}, which answers MISP's 404
 * there (its CRUD scope), so they pass `orgChecked = false`.
 */
async function canManageKeysOf(ctx: RequestContext, stores: Stores, userId: number, orgChecked = true): Promise<boolean> {
  const { actor } = ctx;
  if (actor.isSiteAdmin) return true;
  if (!actor.role.perms.perm_admin) return userId === actor.user.id;
  const target = await stores.identity.findUser({ id: userId });
  if (!target || target.disabled || (orgChecked && target.orgId !== actor.user.orgId)) return false;
  const role = await stores.identity.findRole(target.roleId);
  if (!role || role.perms.perm_site_admin || !role.perms.perm_auth) return false;
  return !role.perms.perm_admin || target.id === actor.user.id;
}

/** Users whose keys the actor may list or touch (AuthKeysController::__prepareConditions); undefined = all. */
async function visibleUserIds(ctx: RequestContext, stores: Stores): Promise<number[] | undefined> {
  const { actor } = ctx;
  if (actor.isSiteAdmin) return undefined;
  if (actor.role.perms.perm_admin) return (await stores.identity.listUsers({ orgIds: [actor.user.orgId] })).map((u) => u.id);
  return [actor.user.id];
}

async function withUsers(stores: Stores, keys: AuthKey[]): Promise<AuthKeyWithUser[]> {
  const users = new Map((await stores.identity.findUsers(keys.map((k) => k.userId))).map((u) => [u.id, u]));
  return keys.map((key) => ({ key, user: users.get(key.userId) }));
}

/** A key the actor may see, or 404 as MISP's CRUD component answers. */
async function visibleKey(ctx: RequestContext, stores: Stores, id: number): Promise<AuthKey> {
  const key = await stores.identity.findAuthKey(id);
  const scope = key && (await visibleUserIds(ctx, stores));
  if (!key || (scope && !scope.includes(key.userId))) throw notFound(INVALID_KEY);
  return key;
}

/** auth_keys/add/{user_id|me}: a new key whose clear text is returned once (spec §0.3 step 7). */
export async function addAuthKey(ctx: RequestContext, stores: Stores, secret: string, target: string | undefined, body: unknown): Promise<IssuedKey> {
  const userId = target === undefined || target === 'me' ? ctx.actor.user.id : Number(target);
  if (!Number.isSafeInteger(userId) || userId <= 0 || !(await canManageKeysOf(ctx, stores, userId))) throw notAllowed(KEY_NOT_ALLOWED);
  if (!(await stores.identity.findUser({ id: userId }))) throw notAllowed(KEY_NOT_ALLOWED);
  const { input, errors } = readAuthKeyInput(body, ctx.settings, ctx.now, true);
  if (Object.keys(errors).length) throw saveFailed('Could not add auth_key', errors);
  const issued = await issueAuthKey(stores, secret, userId, ctx.now, input);
  await auditAdd(ctx, stores, 'AuthKey', issued.authKey!.id, keyTitle(issued.authKey!), toMispAuthKey(issued.authKey!));
  return issued;
}

/** auth_keys/index[/{user_id}]: the keys the actor may see, newest first, with their user's id and e-mail. */
export async function listAuthKeys(ctx: RequestContext, stores: Stores, userId: number | undefined): Promise<AuthKeyWithUser[]> {
  const scope = await visibleUserIds(ctx, stores);
  let ids = scope;
  if (userId !== undefined) ids = scope && !scope.includes(userId) ? [] : [userId];
  return withUsers(stores, await stores.identity.listAuthKeys(ids));
}

export async function viewAuthKey(ctx: RequestContext, stores: Stores, id: number): Promise<AuthKeyWithUser> {
  const [row] = await withUsers(stores, [await visibleKey(ctx, stores, id)]);
  return row!;
}

/** auth_keys/edit/{id}: comment, expiration, allowed_ips and read_only only. */
export async function editAuthKey(ctx: RequestContext, stores: Stores, id: number, body: unknown): Promise<AuthKey> {
  const existing = await stores.identity.findAuthKey(id);
  if (existing && !(await canManageKeysOf(ctx, stores, existing.userId, false))) throw notAllowed(KEY_NOT_ALLOWED);
  await visibleKey(ctx, stores, id);
  const { input, errors } = readAuthKeyInput(body, ctx.settings, ctx.now, false);
  if (Object.keys(errors).length) throw saveFailed('Could not edit auth_key', errors);
  const { uuid: _uuid, ...patch } = input;
  const updated = await stores.identity.updateAuthKey(id, patch);
  if (existing) await auditEdit(ctx, stores, 'AuthKey', id, keyTitle(updated), toMispAuthKey(existing), toMispAuthKey(updated));
  return updated;
}

export async function deleteAuthKey(ctx: RequestContext, stores: Stores, id: number): Promise<void> {
  const existing = await stores.identity.findAuthKey(id);
  if (existing && !(await canManageKeysOf(ctx, stores, existing.userId, false))) throw notAllowed(KEY_NOT_ALLOWED);
  const key = await visibleKey(ctx, stores, id);
  await auditDelete(ctx, stores, 'AuthKey', id, keyTitle(key), toMispAuthKey(key));
  await stores.identity.deleteAuthKey(id);
}

/**
 * users/resetauthkey/{id|me} (User::resetauthkey): with advanced keys, `me` retires the key in use and issues a
 * successor with its allowed IPs; an id retires every live key of that user. Legacy mode replaces users.authkey.
 */
export async function resetUserKey(ctx: RequestContext, stores: Stores, secret: string, which: string | undefined): Promise<{ userId: number; issued: IssuedKey }> {
  const { actor } = ctx;
  const self = which === 'me' || which === undefined;
  const userId = self ? actor.user.id : Number(which);
  const target = Number.isSafeInteger(userId) && userId > 0 ? await stores.identity.findUser({ id: userId }) : undefined;
  // MISP lets an org admin reset any key of their organisation, a site admin's included; we apply the key rules.
  if (!target || !(await canManageKeysOf(ctx, stores, target.id))) throw notAllowed('Invalid user.');
  if (!ctx.settings.bool('Security.advanced_authkeys')) return { userId, issued: await issueLegacyKey(stores, secret, userId, ctx.now) };
  const current = self ? actor.authKey : null;
  if (current) {
    await stores.identity.updateAuthKey(current.id, { expiration: ctx.now });
    const issued = await issueAuthKey(stores, secret, userId, ctx.now, {
      comment: `Created by resetting auth key ${current.id}\n${current.comment}`, allowedIps: current.allowedIps,
    });
    await auditAdd(ctx, stores, 'AuthKey', issued.authKey!.id, keyTitle(issued.authKey!), toMispAuthKey(issued.authKey!));
    return { userId, issued };
  }
  await stores.identity.expireUserKeys(userId, ctx.now);
  const issued = await issueAuthKey(stores, secret, userId, ctx.now);
  await auditAdd(ctx, stores, 'AuthKey', issued.authKey!.id, keyTitle(issued.authKey!), toMispAuthKey(issued.authKey!));
  return { userId, issued };
}
