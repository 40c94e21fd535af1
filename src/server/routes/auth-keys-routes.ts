import {
  addAuthKey, type AuthKeyWithUser, deleteAuthKey, editAuthKey, listAuthKeys, viewAuthKey,
} from '../../core/identity/auth-key-service.js';
import { notFound } from '../../core/errors.js';
import { toMispAuthKey } from '../../core/misp-format/identity-json.js';
import { type ActionDef, controller, success } from '../action.js';
import type { AppDeps } from '../app-deps.js';
import { instanceSecret } from './instance-secret.js';

const KEY_FIELDS = ['comment', 'expiration', 'allowed_ips', 'read_only'];

const withUser = ({ key, user }: AuthKeyWithUser) => ({
  AuthKey: toMispAuthKey(key), User: user ? { id: String(user.id), email: user.email } : {},
});

/** `/auth_keys/view/12`: numeric ids only (CRUDComponent casts to int). */
function keyId(passed: readonly string[]): number {
  const raw = passed[0];
  if (raw === undefined || !/^\d+$/.test(raw)) throw notFound('Invalid AuthKey.');
  return Number(raw);
}

/**
 * AuthKeysController (spec §0.3, §3.9). Every change calls `authenticator.invalidate()`, because the
 * authenticator caches key rows (expiry, allowed IPs, read-only) for a minute.
 */
export function authKeysActions(deps: AppDeps): ActionDef[] {
  const { storage, authenticator } = deps;
  const write = { AND: ['perm_auth', 'not_read_only_authkey'] } as const;
  return controller('auth_keys', [
    {
      action: 'add', methods: ['POST'], acl: write, describe: { mandatory: [], optional: KEY_FIELDS },
      handler: async ({ ctx, passed, body }) => {
        const issued = await storage.transaction((tx) => addAuthKey(ctx, tx, instanceSecret(deps), passed[0], body));
        return { AuthKey: { ...toMispAuthKey(issued.authKey!), authkey_raw: issued.raw } };
      },
    },
    {
      action: 'index', methods: ['GET'], acl: 'perm_auth',
      handler: async ({ ctx, passed, named }) => {
        const raw = passed[0] ?? (typeof named.user_id === 'string' ? named.user_id : undefined);
        const userId = raw === undefined ? undefined : raw === 'me' ? ctx.actor.user.id : /^\d+$/.test(raw) ? Number(raw) : -1;
        return (await listAuthKeys(ctx, storage, userId)).map(withUser);
      },
    },
    {
      action: 'view', methods: ['GET'], acl: 'perm_auth',
      handler: async ({ ctx, passed }) => withUser(await viewAuthKey(ctx, storage, keyId(passed))),
    },
    {
      action: 'edit', methods: ['POST', 'PUT'], acl: write, describe: { mandatory: [], optional: KEY_FIELDS },
      handler: async ({ ctx, passed, body }) => {
        const key = await storage.transaction((tx) => editAuthKey(ctx, tx, keyId(passed), body));
        authenticator.invalidate();
        return { AuthKey: toMispAuthKey(key) };
      },
    },
    {
      action: 'delete', methods: ['POST', 'DELETE'], acl: write,
      handler: async ({ ctx, passed }) => {
        const id = keyId(passed);
        await storage.transaction((tx) => deleteAuthKey(ctx, tx, id));
        authenticator.invalidate();
        return success('AuthKey deleted.', `/auth_keys/delete/${id}`, id);
      },
    },
  ]);
}
