import type { Kysely, Selectable } from 'kysely';
import type { Organisation } from '../../core/model/organisation.js';
import { noPermissions, PERM_FLAGS, type Role } from '../../core/model/role.js';
import type { AuthKey, User } from '../../core/model/user.js';
import type { IdentityStore, KeyCandidate, NewAuthKey, NewOrganisation, NewRole, NewUser } from '../../core/ports/identity-store.js';
import type { AuthKeysTable, Database, OrganisationsTable, RolesTable, UsersTable } from '../db-schema.js';

const b = (v: number | null | undefined): boolean => v === 1;
const i = (v: boolean | undefined): number => (v ? 1 : 0);

function parseJsonList(text: string | null): string[] {
  if (!text) return [];
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

export function toOrganisation(r: Selectable<OrganisationsTable>): Organisation {
  return {
    id: r.id, uuid: r.uuid, name: r.name, dateCreated: r.date_created, dateModified: r.date_modified,
    description: r.description, type: r.type, nationality: r.nationality, sector: r.sector,
    createdBy: r.created_by, contacts: r.contacts, local: b(r.local),
    restrictedToDomain: parseJsonList(r.restricted_to_domain), landingpage: r.landingpage,
  };
}

export function toRole(r: Selectable<RolesTable>): Role {
  const stored = JSON.parse(r.permissions) as Record<string, unknown>;
  const perms = noPermissions();
  for (const f of PERM_FLAGS) perms[f] = stored[f] === true;
  return {
    id: r.id, name: r.name, created: r.created, modified: r.modified, perms, defaultRole: b(r.default_role),
    memoryLimit: r.memory_limit, maxExecutionTime: r.max_execution_time,
    restrictedToSiteAdmin: b(r.restricted_to_site_admin), enforceRateLimit: b(r.enforce_rate_limit),
    rateLimitCount: r.rate_limit_count,
  };
}

export function toUser(r: Selectable<UsersTable>): User {
  return {
    id: r.id, email: r.email, orgId: r.org_id, roleId: r.role_id, serverId: r.server_id,
    autoalert: b(r.autoalert), contactalert: b(r.contactalert), disabled: b(r.disabled), expiration: r.expiration,
    gpgkey: r.gpgkey, certifPublic: r.certif_public, nidsSid: r.nids_sid, termsaccepted: b(r.termsaccepted),
    changePw: b(r.change_pw), currentLogin: r.current_login, lastLogin: r.last_login, lastApiAccess: r.last_api_access,
    dateCreated: r.date_created, dateModified: r.date_modified, lastPwChange: r.last_pw_change, invitedBy: r.invited_by,
    notificationDaily: b(r.notification_daily), notificationWeekly: b(r.notification_weekly),
    notificationMonthly: b(r.notification_monthly), forceLogout: b(r.force_logout),
    externalAuthRequired: b(r.external_auth_required), externalAuthKey: r.external_auth_key, sub: r.sub,
  };
}

export function toAuthKey(r: Selectable<AuthKeysTable>): AuthKey {
  return {
    id: r.id, uuid: r.uuid, authkeyStart: r.authkey_start, authkeyEnd: r.authkey_end, created: r.created,
    expiration: r.expiration, readOnly: b(r.read_only), userId: r.user_id, comment: r.comment,
    allowedIps: r.allowed_ips ? parseJsonList(r.allowed_ips) : null, uniqueIps: parseJsonList(r.unique_ips),
  };
}

export function createIdentityStore(db: Kysely<Database>): IdentityStore {
  return {
    async countUsers() {
      const r = await db.selectFrom('users').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },

    async findOrganisation(ref) {
      let q = db.selectFrom('organisations').selectAll();
      if ('id' in ref) q = q.where('id', '=', ref.id);
      else if ('uuid' in ref) q = q.where('uuid', '=', ref.uuid.toLowerCase());
      else q = q.where('name', '=', ref.name);
      const r = await q.executeTakeFirst();
      return r && toOrganisation(r);
    },

    async createOrganisation(o: NewOrganisation, now: string) {
      const r = await db.insertInto('organisations').values({
        uuid: o.uuid.toLowerCase(), name: o.name, date_created: now, date_modified: now,
        description: o.description ?? null, type: o.type ?? null, nationality: o.nationality ?? null,
        sector: o.sector ?? null, created_by: o.createdBy, contacts: o.contacts ?? null, local: i(o.local),
        restricted_to_domain: JSON.stringify(o.restrictedToDomain ?? []), landingpage: o.landingpage ?? null,
      }).returningAll().executeTakeFirstOrThrow();
      return toOrganisation(r);
    },

    async findRole(id) {
      const r = await db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toRole(r);
    },

    async listRoles() {
      return (await db.selectFrom('roles').selectAll().orderBy('id').execute()).map(toRole);
    },

    async createRole(role: NewRole) {
      const values = {
        name: role.name, created: role.created, modified: role.created, permissions: JSON.stringify(role.perms),
        default_role: i(role.defaultRole), memory_limit: role.memoryLimit ?? '', max_execution_time: role.maxExecutionTime ?? '',
        restricted_to_site_admin: i(role.restrictedToSiteAdmin), enforce_rate_limit: i(role.enforceRateLimit),
        rate_limit_count: role.rateLimitCount ?? 0,
      };
      const r = await db.insertInto('roles').values(role.id !== undefined ? { ...values, id: role.id } : values)
        .returningAll().executeTakeFirstOrThrow();
      return toRole(r);
    },

    async findUser(ref) {
      let q = db.selectFrom('users').selectAll();
      q = 'id' in ref ? q.where('id', '=', ref.id) : q.where('email', '=', ref.email.toLowerCase());
      const r = await q.executeTakeFirst();
      return r && toUser(r);
    },

    async createUser(u: NewUser) {
      const r = await db.insertInto('users').values({
        email: u.email.toLowerCase(), password: u.passwordHash, org_id: u.orgId, role_id: u.roleId,
        authkey_hash: u.legacyKeyHash, authkey_start: u.legacyKeyStart, authkey_end: u.legacyKeyEnd,
        autoalert: i(u.autoalert), contactalert: i(u.contactalert), disabled: i(u.disabled), change_pw: i(u.changePw),
        termsaccepted: i(u.termsaccepted), nids_sid: u.nidsSid ?? 0, invited_by: u.invitedBy, gpgkey: u.gpgkey ?? null,
        date_created: u.now, date_modified: u.now, last_pw_change: u.now,
      }).returningAll().executeTakeFirstOrThrow();
      return toUser(r);
    },

    async findKeyCandidates(start, end, now) {
      const keys = await db.selectFrom('auth_keys').selectAll()
        .where('authkey_start', '=', start).where('authkey_end', '=', end)
        .where((e) => e.or([e('expiration', '=', 0), e('expiration', '>', now)]))
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
        allowed_ips: k.allowedIps ? JSON.stringify(k.allowedIps) : null, unique_ips: '[]',
      }).returningAll().executeTakeFirstOrThrow();
      return toAuthKey(r);
    },

    async findPasswordHash(userId) {
      const r = await db.selectFrom('users').select('password').where('id', '=', userId).executeTakeFirst();
      return r?.password;
    },
  };
}
