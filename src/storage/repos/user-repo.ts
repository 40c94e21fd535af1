import { type Kysely, sql, type Updateable } from 'kysely';
import type { NewUser, UserFilter, UserPatch, UserQueries } from '../../core/ports/identity-store.js';
import { foldCase } from '../../core/util/fold-case.js';
import { arrayRows } from '../array-rows.js';
import type { Database, UsersTable } from '../db-schema.js';
import type { Dialect } from '../dialect.js';
import { i, ORGANISATION_ROW, ROLE_ROW, toOrganisation, toRole, toUser, USER_ROW } from './identity-rows.js';

/** Maps a domain patch onto columns; only the keys present are written. */
function patchColumns(p: UserPatch): Updateable<UsersTable> {
  const cols: Record<string, unknown> = {};
  const set = (col: keyof UsersTable, v: unknown) => { if (v !== undefined) cols[col] = v; };
  set('email', p.email?.toLowerCase());
  set('password', p.passwordHash);
  set('org_id', p.orgId);
  set('role_id', p.roleId);
  set('server_id', p.serverId);
  for (const [col, v] of [['autoalert', p.autoalert], ['contactalert', p.contactalert], ['disabled', p.disabled],
    ['change_pw', p.changePw], ['termsaccepted', p.termsaccepted], ['external_auth_required', p.externalAuthRequired],
    ['notification_daily', p.notificationDaily], ['notification_weekly', p.notificationWeekly],
    ['notification_monthly', p.notificationMonthly], ['force_logout', p.forceLogout]] as const) {
    if (v !== undefined) cols[col] = i(v);
  }
  set('nids_sid', p.nidsSid);
  set('gpgkey', p.gpgkey);
  set('certif_public', p.certifPublic);
  set('expiration', p.expiration);
  set('external_auth_key', p.externalAuthKey);
  set('last_pw_change', p.lastPwChange);
  if (p.legacyKey) {
    cols.authkey_hash = p.legacyKey.hash;
    cols.authkey_start = p.legacyKey.start;
    cols.authkey_end = p.legacyKey.end;
  }
  return cols as Updateable<UsersTable>;
}

export function createUserQueries(db: Kysely<Database>, d: Dialect): UserQueries {
  return {
    async countUsers() {
      const r = await db.selectFrom('users').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },

    async findUser(ref) {
      let q = db.selectFrom('users').selectAll();
      q = 'id' in ref ? q.where('id', '=', ref.id) : q.where('email', '=', ref.email.toLowerCase());
      const r = await q.executeTakeFirst();
      return r && toUser(r);
    },

    async findUserContext(id) {
      const [row] = await arrayRows(db, sql`select ${USER_ROW.select('u')}, ${ROLE_ROW.select('r')}, ${ORGANISATION_ROW.select('o')}
        from users u left join roles r on r.id = u.role_id left join organisations o on o.id = u.org_id where u.id = ${id}`);
      if (!row) return undefined;
      const roleAt = USER_ROW.width;
      const orgAt = roleAt + ROLE_ROW.width;
      return {
        user: toUser(USER_ROW.fromArray(row)),
        role: row[roleAt] === null ? undefined : toRole(ROLE_ROW.fromArray(row, roleAt)),
        org: row[orgAt] === null ? undefined : toOrganisation(ORGANISATION_ROW.fromArray(row, orgAt)),
      };
    },

    async findUsers(ids) {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('users').selectAll().where('id', 'in', [...new Set(ids)]).execute();
      return rows.map(toUser);
    },

    async listUsers(f: UserFilter) {
      let q = db.selectFrom('users')
        .innerJoin('organisations', 'organisations.id', 'users.org_id')
        .innerJoin('roles', 'roles.id', 'users.role_id')
        .selectAll('users');
      if (f.orgIds) q = f.orgIds.length === 0 ? q.where(sql<boolean>`1 = 0`) : q.where('users.org_id', 'in', f.orgIds);
      if (f.notOrgIds?.length) q = q.where('users.org_id', 'not in', f.notOrgIds);
      if (f.roleIds?.length) q = q.where('users.role_id', 'in', f.roleIds);
      if (f.emailLike?.length) {
        const likes = f.emailLike.map((s) => `%${foldCase(s)}%`);
        q = q.where((e) => e.or(likes.map((p) => e(d.lower(sql.ref('users.email')), 'like', p))));
      }
      if (f.all) {
        const p = `%${foldCase(f.all)}%`;
        q = q.where((e) => e.or(['users.email', 'organisations.name', 'roles.name'].map((c) => e(d.lower(sql.ref(c)), 'like', p))));
      }
      for (const [col, v] of [['users.disabled', f.disabled], ['users.autoalert', f.autoalert],
        ['users.contactalert', f.contactalert], ['users.termsaccepted', f.termsaccepted]] as const) {
        if (v !== undefined) q = q.where(col, '=', i(v));
      }
      return (await q.orderBy('users.id').execute()).map(toUser);
    },

    async createUser(u: NewUser) {
      const r = await db.insertInto('users').values({
        email: u.email.toLowerCase(), password: u.passwordHash, org_id: u.orgId, role_id: u.roleId,
        server_id: u.serverId ?? 0,
        authkey_hash: u.legacyKeyHash, authkey_start: u.legacyKeyStart, authkey_end: u.legacyKeyEnd,
        autoalert: i(u.autoalert), contactalert: i(u.contactalert), disabled: i(u.disabled), change_pw: i(u.changePw),
        termsaccepted: i(u.termsaccepted), nids_sid: u.nidsSid ?? 0, invited_by: u.invitedBy, gpgkey: u.gpgkey ?? null,
        certif_public: u.certifPublic ?? null, external_auth_required: i(u.externalAuthRequired),
        external_auth_key: u.externalAuthKey ?? null, notification_daily: i(u.notificationDaily),
        notification_weekly: i(u.notificationWeekly), notification_monthly: i(u.notificationMonthly),
        date_created: u.now, date_modified: u.now, last_pw_change: u.now,
      }).returningAll().executeTakeFirstOrThrow();
      return toUser(r);
    },

    async updateUser(id, patch, now) {
      const r = await db.updateTable('users').set({ ...patchColumns(patch), date_modified: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      return toUser(r);
    },

    async deleteUser(id) {
      await db.deleteFrom('auth_keys').where('user_id', '=', id).execute();
      await db.deleteFrom('user_settings').where('user_id', '=', id).execute();
      await db.deleteFrom('users').where('id', '=', id).execute();
    },

    async findPasswordHash(userId) {
      const r = await db.selectFrom('users').select('password').where('id', '=', userId).executeTakeFirst();
      return r?.password;
    },
  };
}
