import type { Generated } from 'kysely';
import type { Default } from './db-schema.js';

/**
 * Row type of migration 0005: MISP's `servers` table (spec §1.4), the sync links to other instances. Sharing
 * groups reference it through `sharing_group_servers.server_id` (0 = this instance, which has no row). The remote
 * key is stored encrypted, never in clear, hence `authkey_encrypted` instead of MISP's `authkey`.
 */
export interface ServersTable {
  id: Generated<number>;
  name: string;
  url: string;
  authkey_encrypted: Default<string>;
  org_id: number;
  push: Default<number>;
  pull: Default<number>;
  push_sightings: Default<number>;
  push_galaxy_clusters: Default<number>;
  push_analyst_data: Default<number>;
  pull_analyst_data: Default<number>;
  pull_galaxy_clusters: Default<number>;
  lastpulledid: number | null;
  lastpushedid: number | null;
  organization: string | null;
  remote_org_id: Default<number>;
  publish_without_email: Default<number>;
  unpublish_event: Default<number>;
  self_signed: Default<number>;
  /** JSON text, returned raw (spec §2.1). */
  pull_rules: Default<string>;
  push_rules: Default<string>;
  cert_file: string | null;
  client_cert_file: string | null;
  internal: Default<number>;
  skip_proxy: Default<number>;
  remove_missing_tags: Default<number>;
  caching_enabled: Default<number>;
  priority: Default<number>;
}

export interface ServerTables {
  servers: ServersTable;
}
