import type { ColumnType, Generated } from 'kysely';
import type { BlocklistTables } from './db-schema-blocklists.js';
import type { EventDelegationTables } from './db-schema-delegations.js';
import type { EventReportTables } from './db-schema-event-reports.js';
import type { KnowledgePackTables } from './db-schema-knowledge.js';
import type { GalaxyFeedTables } from './db-schema-galaxies-feeds.js';
import type { ServerTables } from './db-schema-servers.js';
import type { AccessTables } from './db-schema-access.js';
import type { ProposalSightingTables } from './db-schema-proposals-sightings.js';
import type { CorrelationTables } from './db-schema-correlations.js';

/** A column with a database default: optional on insert. */
export type Default<T> = ColumnType<T, T | undefined, T>;

/**
 * Row types of every table, MISP's snake_case column names (spec §1). Flags are integers 0/1 as MISP's
 * tinyint(1); Unix seconds and microseconds are integers; JSON lives in text columns.
 */
export interface OrganisationsTable {
  id: Generated<number>;
  uuid: string;
  name: string;
  date_created: string;
  date_modified: string;
  description: string | null;
  type: string | null;
  nationality: string | null;
  sector: string | null;
  created_by: number;
  contacts: string | null;
  local: number;
  restricted_to_domain: string | null;
  landingpage: string | null;
}

export interface RolesTable {
  id: Generated<number>;
  name: string;
  created: string;
  modified: string;
  /** JSON object of the perm_* flags: one column per flag would tie migrations to every new MISP flag. */
  permissions: string;
  default_role: number;
  memory_limit: string;
  max_execution_time: string;
  restricted_to_site_admin: number;
  enforce_rate_limit: number;
  rate_limit_count: number;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  password: string;
  org_id: number;
  role_id: number;
  server_id: Default<number>;
  /** HMAC of the legacy per-user key (never the key itself); '' when none. */
  authkey_hash: Default<string>;
  authkey_start: Default<string>;
  authkey_end: Default<string>;
  autoalert: Default<number>;
  contactalert: Default<number>;
  disabled: Default<number>;
  expiration: Default<string | null>;
  gpgkey: Default<string | null>;
  certif_public: Default<string | null>;
  nids_sid: Default<number>;
  termsaccepted: Default<number>;
  change_pw: Default<number>;
  current_login: Default<number>;
  last_login: Default<number>;
  last_api_access: Default<number>;
  date_created: Default<number>;
  date_modified: Default<number>;
  last_pw_change: Default<number>;
  invited_by: Default<number>;
  notification_daily: Default<number>;
  notification_weekly: Default<number>;
  notification_monthly: Default<number>;
  force_logout: Default<number>;
  external_auth_required: Default<number>;
  external_auth_key: Default<string | null>;
  sub: Default<string | null>;
}

export interface AuthKeysTable {
  id: Generated<number>;
  uuid: string;
  /** HMAC-SHA256 of the key under the server secret, or an imported MISP `$2y$` bcrypt hash. */
  authkey: string;
  authkey_start: string;
  authkey_end: string;
  created: number;
  expiration: number;
  read_only: number;
  user_id: number;
  comment: string;
  allowed_ips: string | null;
  unique_ips: string;
}

export interface UserSettingsTable {
  id: Generated<number>;
  setting: string;
  value: string;
  user_id: number;
  timestamp: number;
}

export interface SettingsTable {
  name: string;
  value: string;
}

export interface EventsTable {
  id: Generated<number>;
  uuid: string;
  org_id: number;
  orgc_id: number;
  user_id: number;
  date: string;
  info: string;
  threat_level_id: number;
  analysis: number;
  published: number;
  publish_timestamp: number;
  timestamp: number;
  sighting_timestamp: number;
  attribute_count: number;
  distribution: number;
  sharing_group_id: number;
  proposal_email_lock: number;
  locked: number;
  disable_correlation: number;
  extends_uuid: string;
  protected: number | null;
}

export interface AttributesTable {
  id: Generated<number>;
  uuid: string;
  event_id: number;
  object_id: number;
  object_relation: string | null;
  category: string;
  type: string;
  value1: string;
  value2: string;
  /** `valueHash(value1)` (migration 0024): the exact-value search and correlation index. */
  value1_hash: number;
  /** `valueHash(value2)`, null when value2 is empty. */
  value2_hash: number | null;
  to_ids: number;
  timestamp: number;
  distribution: number;
  sharing_group_id: number;
  comment: string;
  deleted: number;
  disable_correlation: number;
  first_seen: number | null;
  last_seen: number | null;
}

export interface ObjectsTable {
  id: Generated<number>;
  uuid: string;
  event_id: number;
  name: string;
  meta_category: string;
  description: string;
  template_uuid: string | null;
  template_version: string | null;
  timestamp: number;
  distribution: number;
  sharing_group_id: number;
  comment: string;
  deleted: number;
  first_seen: number | null;
  last_seen: number | null;
}

export interface ObjectReferencesTable {
  id: Generated<number>;
  uuid: string;
  timestamp: number;
  object_id: number;
  event_id: number;
  source_uuid: string;
  referenced_uuid: string;
  referenced_id: number;
  referenced_type: number;
  relationship_type: string;
  comment: string;
  deleted: number;
}

export interface TagsTable {
  id: Generated<number>;
  name: string;
  /** lower(name): tags are matched case-insensitively by name (Tag::captureTag). */
  name_lower: string;
  colour: string;
  exportable: number;
  org_id: number;
  user_id: number;
  hide_tag: number;
  numerical_value: number | null;
  is_galaxy: number;
  is_custom_galaxy: number;
  local_only: number;
}

export interface EventTagsTable {
  id: Generated<number>;
  event_id: number;
  tag_id: number;
  local: number;
  relationship_type: string;
}

export interface AttributeTagsTable {
  id: Generated<number>;
  attribute_id: number;
  event_id: number;
  tag_id: number;
  local: number;
  relationship_type: string;
}

export interface SharingGroupsTable {
  id: Generated<number>;
  uuid: string;
  name: string;
  releasability: string;
  description: string;
  organisation_uuid: string;
  org_id: number;
  sync_user_id: number;
  active: number;
  created: string;
  modified: string;
  local: number;
  roaming: number;
}

export interface SharingGroupOrgsTable {
  id: Generated<number>;
  sharing_group_id: number;
  org_id: number;
  extend: number;
}

export interface SharingGroupServersTable {
  id: Generated<number>;
  sharing_group_id: number;
  server_id: number;
  all_orgs: number;
}

export interface Database extends BlocklistTables, EventDelegationTables, EventReportTables, KnowledgePackTables, GalaxyFeedTables, AccessTables, ServerTables, ProposalSightingTables, CorrelationTables {
  organisations: OrganisationsTable;
  roles: RolesTable;
  users: UsersTable;
  auth_keys: AuthKeysTable;
  user_settings: UserSettingsTable;
  settings: SettingsTable;
  events: EventsTable;
  attributes: AttributesTable;
  objects: ObjectsTable;
  object_references: ObjectReferencesTable;
  tags: TagsTable;
  event_tags: EventTagsTable;
  attribute_tags: AttributeTagsTable;
  sharing_groups: SharingGroupsTable;
  sharing_group_orgs: SharingGroupOrgsTable;
  sharing_group_servers: SharingGroupServersTable;
}
