import type { Role } from '../model/role.js';

/**
 * The user settings MISP knows (UserSetting::VALID_SETTINGS, spec §3.13) with their restrictions:
 * `restricted` names the perm flag a user needs to set it, `internal` ones are written by plugins only.
 */
interface UserSettingRule {
  readonly restricted?: 'perm_site_admin';
  readonly internal?: boolean;
}

export const USER_SETTING_RULES: Readonly<Record<string, UserSettingRule>> = {
  publish_alert_filter: {},
  dashboard_access: { restricted: 'perm_site_admin' },
  dashboard: {},
  homepage: {},
  default_restsearch_parameters: {},
  tag_numerical_value_override: {},
  event_index_hide_columns: {},
  oidc: { internal: true },
  periodic_notification_filters: {},
};

export const INTERNAL_USER_SETTINGS: readonly string[] = Object.entries(USER_SETTING_RULES)
  .filter(([, r]) => r.internal).map(([name]) => name);

export const isKnownUserSetting = (name: string): boolean => Object.hasOwn(USER_SETTING_RULES, name);
export const isInternalUserSetting = (name: string): boolean => USER_SETTING_RULES[name]?.internal === true;

/** UserSetting::checkSettingAccess: true, or the permission names MISP lists in its refusal. */
export function settingAccess(role: Role, name: string): true | string {
  const rule = USER_SETTING_RULES[name];
  if (rule?.internal) return 'site_admin';
  if (rule?.restricted && !role.perms[rule.restricted]) return rule.restricted.slice(5);
  return true;
}
