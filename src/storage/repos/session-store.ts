import { type Kysely, sql } from 'kysely';
import type { SessionRow, SessionStore } from '../../core/ports/session-store.js';
import type { Database } from '../db-schema.js';

export function createSessionStore(db: Kysely<Database>): SessionStore {
  return {
    async createSession(r: SessionRow) {
      await db.insertInto('sessions').values({
        id_hash: r.idHash, user_id: r.userId, created: r.created, last_seen: r.lastSeen, expires: r.expires, ip: r.ip,
      }).execute();
    },

    async findSession(idHash) {
      const r = await db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
      return r && {
        idHash: r.id_hash, userId: r.user_id, created: Number(r.created), lastSeen: Number(r.last_seen), expires: Number(r.expires), ip: r.ip,
      };
    },

    async touchSession(idHash, now) {
      await db.updateTable('sessions').set({ last_seen: now }).where('id_hash', '=', idHash).execute();
    },

    async deleteSession(idHash) {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    },

    async deleteUserSessions(userId) {
      await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
    },

    async recordLogin(userId, now) {
      await db.updateTable('users').set({ last_login: sql<number>`current_login`, current_login: now }).where('id', '=', userId).execute();
    },

    async addLoginFailure(ip, username, expire) {
      await db.insertInto('bruteforces').values({ ip, username: username.trim().toLowerCase(), expire }).execute();
    },

    async countLoginFailures(ip, username, now) {
      await db.deleteFrom('bruteforces').where('expire', '<=', now).execute();
      const r = await db.selectFrom('bruteforces').select((e) => e.fn.countAll<number>().as('n'))
        .where('ip', '=', ip).where('username', '=', username.trim().toLowerCase()).executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
