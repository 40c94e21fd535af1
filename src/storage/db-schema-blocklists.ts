import type { Generated } from 'kysely';

/** Row types of the event and organisation blocklists (migration 0018), MISP's column names. */
export interface EventBlocklistsTable {
  id: Generated<number>;
  event_uuid: string;
  /** MISP datetime text `YYYY-MM-DD HH:MM:SS`. */
  created: string;
  event_info: string;
  comment: string;
  event_orgc: string;
}

export interface OrgBlocklistsTable {
  id: Generated<number>;
  org_uuid: string;
  created: string;
  org_name: string;
  comment: string;
}

export interface BlocklistTables {
  event_blocklists: EventBlocklistsTable;
  org_blocklists: OrgBlocklistsTable;
}
