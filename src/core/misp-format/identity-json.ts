import type { Organisation } from '../model/organisation.js';
import { PERM_FLAGS, PERMISSION_LEVELS, permissionLevel, type Role } from '../model/role.js';
import type { User } from '../model/user.js';
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

/** User columns; the password is masked and no key material is ever included (spec §3.0). */
export function toMispUser(u: User): Record<string, unknown> {
  return {
    id: String(u.id), password: '*****', org_id: String(u.orgId), server_id: s0(u.serverId), email: u.email,
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

export { datetime };
