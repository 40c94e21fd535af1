/**
 * MISP roles and their permission flags (spec §1.3, §4.4). The flag names are MISP's column names:
 * they appear unchanged on the wire and in the ACL table, so the domain keeps them as they are.
 */
export const PERM_FLAGS = [
  'perm_add', 'perm_modify', 'perm_modify_org', 'perm_publish', 'perm_delegate', 'perm_sync', 'perm_admin',
  'perm_audit', 'perm_full', 'perm_auth', 'perm_site_admin', 'perm_regexp_access', 'perm_tagger', 'perm_template',
  'perm_sharing_group', 'perm_tag_editor', 'perm_sighting', 'perm_object_template', 'perm_publish_zmq',
  'perm_publish_kafka', 'perm_decaying', 'perm_galaxy_editor', 'perm_warninglist', 'perm_view_feed_correlations',
  'perm_analyst_data', 'perm_skip_otp',
] as const;
export type PermFlag = (typeof PERM_FLAGS)[number];
export type Permissions = Readonly<Record<PermFlag, boolean>>;

export interface Role {
  readonly id: number;
  readonly name: string;
  readonly created: string;
  readonly modified: string;
  readonly perms: Permissions;
  readonly defaultRole: boolean;
  readonly memoryLimit: string;
  readonly maxExecutionTime: string;
  readonly restrictedToSiteAdmin: boolean;
  readonly enforceRateLimit: boolean;
  readonly rateLimitCount: number;
}

export function noPermissions(): Record<PermFlag, boolean> {
  return Object.fromEntries(PERM_FLAGS.map((f) => [f, false])) as Record<PermFlag, boolean>;
}

export function permissionsOf(...flags: PermFlag[]): Permissions {
  const p = noPermissions();
  for (const f of flags) p[f] = true;
  return p;
}

/** MISP's virtual `permission` level (Role::beforeSave / afterFind): 0 read_only … 3 publish. */
export const PERMISSION_LEVELS = ['read_only', 'manage_own', 'manage_org', 'publish'] as const;

/** MISP's SQL virtual field, reproduced exactly (Role::$virtualFields['permission']). */
export function permissionLevel(p: Permissions): 0 | 1 | 2 | 3 {
  if (p.perm_add && p.perm_modify && p.perm_publish) return 3;
  if (p.perm_add && p.perm_modify_org) return 2;
  if (p.perm_add) return 1;
  return 0;
}

/** Reads a `permission` value as Role::beforeSave does: 0–3 or a level name; anything else is 0. */
export function readPermissionLevel(raw: unknown): 0 | 1 | 2 | 3 {
  if (typeof raw === 'string' && (PERMISSION_LEVELS as readonly string[]).includes(raw)) {
    return PERMISSION_LEVELS.indexOf(raw as (typeof PERMISSION_LEVELS)[number]) as 0 | 1 | 2 | 3;
  }
  const n = Number(raw);
  return n === 1 || n === 2 || n === 3 ? n : 0;
}

/** The four base flags a `permission` level sets (Role::beforeSave). */
export function baseFlagsForLevel(level: number): Partial<Record<PermFlag, boolean>> {
  return {
    perm_add: level >= 1,
    perm_modify: level >= 1,
    perm_modify_org: level >= 2,
    perm_publish: level >= 3,
  };
}

interface DefaultRole { id: number; name: string; perms: Permissions; defaultRole: boolean }

/**
 * MISP's six default roles with their ids (INSTALL/MYSQL.sql). MISP's SQL sets `perm_admin` on every row
 * because its VALUES lists are shifted by one column; we follow MISP's documented intent instead
 * (docs/adr/0003-default-roles.md): only admin and Org Admin administer users.
 */
export const DEFAULT_ROLES: readonly DefaultRole[] = [
  { id: 1, name: 'admin', defaultRole: false, perms: permissionsOf(...PERM_FLAGS.filter((f) => f !== 'perm_skip_otp')) },
  {
    id: 2, name: 'Org Admin', defaultRole: false,
    perms: permissionsOf('perm_add', 'perm_modify', 'perm_modify_org', 'perm_publish', 'perm_publish_zmq',
      'perm_publish_kafka', 'perm_admin', 'perm_audit', 'perm_auth', 'perm_tagger', 'perm_template',
      'perm_sharing_group', 'perm_tag_editor', 'perm_delegate', 'perm_sighting', 'perm_decaying', 'perm_analyst_data'),
  },
  {
    id: 3, name: 'User', defaultRole: true,
    perms: permissionsOf('perm_add', 'perm_modify', 'perm_modify_org', 'perm_audit', 'perm_auth', 'perm_tagger',
      'perm_sighting', 'perm_decaying', 'perm_analyst_data'),
  },
  {
    id: 4, name: 'Publisher', defaultRole: false,
    perms: permissionsOf('perm_add', 'perm_modify', 'perm_modify_org', 'perm_publish', 'perm_publish_zmq',
      'perm_publish_kafka', 'perm_audit', 'perm_auth', 'perm_tagger', 'perm_delegate', 'perm_sighting',
      'perm_decaying', 'perm_analyst_data'),
  },
  {
    id: 5, name: 'Sync user', defaultRole: false,
    perms: permissionsOf('perm_add', 'perm_modify', 'perm_modify_org', 'perm_publish', 'perm_publish_zmq',
      'perm_publish_kafka', 'perm_sync', 'perm_audit', 'perm_auth', 'perm_tagger', 'perm_sharing_group',
      'perm_tag_editor', 'perm_delegate', 'perm_sighting', 'perm_decaying', 'perm_analyst_data'),
  },
  { id: 6, name: 'Read Only', defaultRole: false, perms: permissionsOf('perm_audit', 'perm_auth') },
];
