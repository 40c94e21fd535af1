import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Galaxy cluster blocklist (spec §1.4, §6.7; MISP's galaxy_cluster_blocklists): cluster uuids refused by
 * galaxy_clusters/add, galaxies/import and pushCluster. Hard-deleting a cluster lists its uuid.
 */
export function up(d: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.createTable('galaxy_cluster_blocklists')
      .addColumn('id', 'integer', d.id)
      .addColumn('cluster_uuid', 'varchar(40)', (c) => c.notNull().unique())
      .addColumn('created', 'varchar(20)', (c) => c.notNull())
      .addColumn('cluster_info', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('cluster_orgc', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .execute();
  };
}
