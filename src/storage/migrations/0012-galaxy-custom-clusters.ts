import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Custom galaxy clusters (spec §3.5, §6.11): a partial index on the few rows with `default = 0`, so
 * galaxy_clusters/restSearch `{"custom": 1, "published": 1}` (what a sync peer asks on every pull), index
 * `context:custom` and custom-cluster exports read those rows instead of scanning the ~46,000 shipped clusters.
 * The shipped clusters are not in it, so the galaxy pack import pays nothing for it. The store writes the
 * predicate as the literal `"default" = 0`, which both planners match against the index's WHERE clause.
 */
export function up(_d: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.createIndex('galaxy_clusters_custom').on('galaxy_clusters').columns(['published', 'galaxy_id'])
      .where(sql.ref('default'), '=', sql.lit(0)).execute();
  };
}
