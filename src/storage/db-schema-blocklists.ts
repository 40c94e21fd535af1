import type { Generated } from 'kysely';

/** Row types of the event, organisation (migration 0018) and galaxy cluster (0019) blocklists, MISP's column names. */
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

export interface GalaxyClusterBlocklistsTable {
  id: Generated<number>;
  cluster_uuid: string;
  created: string;
  /** The cluster's value when it was listed. */
  cluster_info: string;
  comment: string;
  cluster_orgc: string;
}

export interface BlocklistTables {
  event_blocklists: EventBlocklistsTable;
  org_blocklists: OrgBlocklistsTable;
  galaxy_cluster_blocklists: GalaxyClusterBlocklistsTable;
}
