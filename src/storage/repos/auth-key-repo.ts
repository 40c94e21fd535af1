import type { Kysely } from 'kysely';
import type { AuthKeyPatch, AuthKeyQueries, KeyCandidate, NewAuthKey } from '../../core/ports/identity-store.js';
import type { Database } from '../db-schema.js';
import { i, toAuthKey } from './identity-rows.js';

export function createAuthKeyQueries(db: Kysely<Database>): AuthKeyQueries {
  return {
    async findKeyCandidates(start, end) {
      // Expired keys are candidates too: the authenticator judges expiry with its own clock on every request, cached keys included.
      const keys = await db.selectFrom('auth_keys').selectAll()
        .where('authkey_start', '=', start).where('authkey_end', '=', end)
        .execute();
      const legacy = await db.selectFrom('users').select(['id', 'authkey_hash'])
        .where('authkey_start', '=', start).where('authkey_end', '=', end).where('authkey_hash', '!=', '')
        .execute();
      const out: KeyCandidate[] = keys.map((k) => ({ hash: k.authkey, userId: k.user_id, authKey: toAuthKey(k) }));
      for (const u of legacy) out.push({ hash: u.authkey_hash, userId: u.id, authKey: null });
      return out;
    },

    async createAuthKey(k: NewAuthKey) {
      const r = await db.insertInto('auth_keys').values({
        uuid: k.uuid, authkey: k.hash, authkey_start: k.start, authkey_end: k.end, created: k.created,
        expiration: k.expiration, read_only: i(k.readOnly), user_id: k.userId, comment: k.comment,
        allowed_ips: k.allowedIps?.length ? JSON.stringify(k.allowedIps) : null, unique_ips: '[]',
      }).returningAll().executeTakeFirstOrThrow();
      return toAuthKey(r);
    },

    async findAuthKey(id) {
      const r = await db.selectFrom('auth_keys').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toAuthKey(r);
    },

    async listAuthKeys(userIds) {
      let q = db.selectFrom('auth_keys').selectAll();
      if (userIds) {
        if (userIds.length === 0) return [];
        q = q.where('user_id', 'in', [...new Set(userIds)]);
      }
      return (await q.orderBy('id', 'desc').execute()).map(toAuthKey);
    },

    async updateAuthKey(id, p: AuthKeyPatch) {
      const r = await db.updateTable('auth_keys').set({
        ...(p.comment !== undefined ? { comment: p.comment } : {}),
        ...(p.expiration !== undefined ? { expiration: p.expiration } : {}),
        ...(p.readOnly !== undefined ? { read_only: i(p.readOnly) } : {}),
        ...(p.allowedIps !== undefined ? { allowed_ips: p.allowedIps?.length ? JSON.stringify(p.allowedIps) : null } : {}),
      }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      return toAuthKey(r);
    },

    async deleteAuthKey(id) {
      await db.deleteFrom('auth_keys').where('id', '=', id).execute();
    },

    async expireUserKeys(userId, now) {
      await db.updateTable('auth_keys').set({ expiration: now })
        .where('user_id', '=', userId)
        .where((e) => e.or([e('expiration', '=', 0), e('expiration', '>', now)]))
        .execute();
    },
  };
}
