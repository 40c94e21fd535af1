import type { Organisation } from '../model/organisation.js';
import { PERM_FLAGS, PERMISSION_LEVELS, permissionLevel, type Role } from '../model/role.js';
import type { UserSetting } from '../model/user-setting.js';
import type { AuthKey, User } from '../model/user.js';
import { datetime, s0 } from './scalars.js';

/** `{"Organisation": …}` columns as MISP returns them (spec §2.10). */
export function toMispOrganisation(o: Organisation): Record<string, unknown> {
  return {
    id: String(o.id), name: o.name, date_created: o.dateCreated, date_modified: o.dateModified,
    description: o.description, type: o.type, nationality: o.nationality, sector: o.sector,
    created_by: String(o.createdBy), uuid: o.uuid, contacts: o.contacts, local: o.local,
    restricted_to_domain: o.restrictedToDomain, landingpage: o.landingpage,
  };
}

/** Role with every perm flag as a boolean plus MISP's virtual `permission` fields (Role::afterFind). */
export function toMispRole(r: Role): Record<string, unknown> {
  const level = permissionLevel(r.perms);
  const perms = Object.fromEntries(PERM_FLAGS.filter((f) => f !== 'perm_full').map((f) => [f, r.perms[f]]));
  return {
    id: String(r.id), name: r.name, created: r.created, modified: r.modified, ...perms,
    default_role: r.defaultRole, memory_limit: r.memoryLimit, max_execution_time: r.maxExecutionTime,
    restricted_to_site_admin: r.restrictedToSiteAdmin, enforce_rate_limit: r.enforceRateLimit,
    rate_limit_count: String(r.rateLimitCount), permission: String(level), permission_description: PERMISSION_LEVELS[level],
  };
}

/**
 * User columns; the password is masked and no key material is ever included (spec §3.0). MISP masks
 * with five stars in views and six in admin add/edit answers; PyMISP treats any run of stars as "no password".
 */
export function toMispUser(u: User, mask = '*****'): Record<string, unknown> {
  return {
    id: String(u.id), password: mask, org_id: String(u.orgId), server_id: s0(u.serverId), email: u.email,
    autoalert: u.autoalert, invited_by: String(u.invitedBy), gpgkey: u.gpgkey, certif_public: u.certifPublic,
    nids_sid: String(u.nidsSid), termsaccepted: u.termsaccepted, newsread: '0', role_id: String(u.roleId),
    change_pw: u.changePw, contactalert: u.contactalert, disabled: u.disabled,
    expiration: u.expiration, current_login: String(u.currentLogin), last_login: String(u.lastLogin),
    last_api_access: String(u.lastApiAccess), force_logout: u.forceLogout,
    date_created: String(u.dateCreated), date_modified: String(u.dateModified), last_pw_change: String(u.lastPwChange),
    sub: u.sub, external_auth_required: u.externalAuthRequired, external_auth_key: u.externalAuthKey,
    notification_daily: u.notificationDaily, notification_weekly: u.notificationWeekly,
    notification_monthly: u.notificationMonthly, totp: null, hotp_counter: null,
  };
}

/**
 * users/view and users/edit answers (UsersController::__massageUserObject): no server_id, totp masked,
 * UserSetting as a `{setting: value}` map — or `[]` when empty, as PHP's array_column encodes it.
 */
export function toMispUserView(v: { user: User; role: Role | undefined; org: Organisation | undefined; settings: readonly UserSetting[] }): Record<string, unknown> {
  const { server_id: _serverId, ...user } = toMispUser(v.user);
  return {
    User: { ...user, totp: '*****' },
    Role: v.role ? toMispRole(v.role) : {},
    UserSetting: v.settings.length === 0 ? [] : Object.fromEntries(v.settings.map((s) => [s.setting, s.value])),
    Organisation: v.org ? toMispOrganisation(v.org) : {},
  };
}

/** An auth_keys row without its hash (AuthKeysController removes `authkey` from every answer). */
export function toMispAuthKey(k: AuthKey): Record<string, unknown> {
  return {
    id: String(k.id), uuid: k.uuid, authkey_start: k.authkeyStart, authkey_end: k.authkeyEnd,
    created: String(k.created), expiration: String(k.expiration), read_only: k.readOnly, user_id: String(k.userId),
    comment: k.comment, allowed_ips: k.allowedIps, unique_ips: k.uniqueIps,
  };
}

/** A user_settings row with its value decoded (UserSetting::afterFind). */
export function toMispUserSetting(s: UserSetting): Record<string, unknown> {
  return { id: String(s.id), setting: s.setting, value: s.value, user_id: String(s.userId), timestamp: String(s.timestamp) };
}

/**
 * An organisations/index or organisations/view element: the columns plus `user_count`; `created_by` becomes
 * `created_by_email` for those allowed to see who created it and disappears for everyone else.
 */
export function toMispOrganisationRow(o: Organisation, extra: { userCount: number; showCreator: boolean; creatorEmail?: string | undefined }): Record<string, unknown> {
  const { created_by: createdBy, ...rest } = toMispOrganisation(o);
  return {
    ...rest, user_count: String(extra.userCount),
    ...(extra.showCreator ? { created_by: createdBy, ...(extra.creatorEmail !== undefined ? { created_by_email: extra.creatorEmail } : {}) } : {}),
  };
}

/** An admin/users/index element (UsersController::admin_index REST field list and contains). */
export function toMispUserIndexRow(u: User, role: Role | undefined, org: Organisation | undefined): Record<string, unknown> {
  const { password: _p, totp: _t, hotp_counter: _h, sub: _s, external_auth_required: _r, external_auth_key: _k,
    notification_daily: _d, notification_weekly: _w, notification_monthly: _m, ...user } = toMispUser(u);
  return {
    User: user,
    Role: role ? { id: String(role.id), name: role.name, perm_auth: role.perms.perm_auth, perm_site_admin: role.perms.perm_site_admin, perm_admin: role.perms.perm_admin } : {},
    Organisation: org ? { id: String(org.id), name: org.name } : {},
  };
}

export { datetime };
