import type { Selectable } from 'kysely';
import { rowCodec } from '../array-rows.js';
import type { Organisation } from '../../core/model/organisation.js';
import { noPermissions, PERM_FLAGS, type Role } from '../../core/model/role.js';
import type { UserSetting } from '../../core/model/user-setting.js';
import type { AuthKey, User } from '../../core/model/user.js';
import type { AuthKeysTable, OrganisationsTable, RolesTable, UserSettingsTable, UsersTable } from '../db-schema.js';

/** Row ↔ domain mapping for the identity tables; flags are 0/1 integers in the rows. */
export const b = (v: number | null | undefined): boolean => v === 1;
export const i = (v: boolean | undefined): number => (v ? 1 : 0);

export function parseJsonList(text: string | null): string[] {
  if (!text) return [];
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

/** Every column of the identity tables a user's context joins, for one array-row read (`findUserContext`). */
export const ORGANISATION_ROW = rowCodec<Selectable<OrganisationsTable>>([
  'id', 'uuid', 'name', 'date_created', 'date_modified', 'description', 'type', 'nationality', 'sector', 'created_by',
  'contacts', 'local', 'restricted_to_domain', 'landingpage',
]);
export const ROLE_ROW = rowCodec<Selectable<RolesTable>>([
  'id', 'name', 'created', 'modified', 'permissions', 'default_role', 'memory_limit', 'max_execution_time',
  'restricted_to_site_admin', 'enforce_rate_limit', 'rate_limit_count',
]);
export const USER_ROW = rowCodec<Selectable<UsersTable>>([
  'id', 'email', 'password', 'org_id', 'role_id', 'server_id', 'authkey_hash', 'authkey_start', 'authkey_end',
  'autoalert', 'contactalert', 'disabled', 'expiration', 'gpgkey', 'certif_public', 'nids_sid', 'termsaccepted',
  'change_pw', 'current_login', 'last_login', 'last_api_access', 'date_created', 'date_modified', 'last_pw_change',
  'invited_by', 'notification_daily', 'notification_weekly', 'notification_monthly', 'force_logout',
  'external_auth_required', 'external_auth_key', 'sub',
]);

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

export function toUserSetting(r: Selectable<UserSettingsTable>): UserSetting {
  let value: unknown;
  try {
    value = JSON.parse(r.value);
  } catch {
    value = r.value;
  }
  return { id: r.id, setting: r.setting, value, userId: r.user_id, timestamp: r.timestamp };
}
