import type { Kysely } from 'kysely';
import { clusteredTable, type Dialect } from '../dialect.js';

/**
 * Feed caches (spec §7.3): the md5 of every value a cached feed carries, with the feed event it came from, and the
 * outcome of each feed's last caching run. MISP keeps these in Redis sets; here they live with the data so that
 * compareFeeds and searchCaches are queries, and a restart keeps them.
 */
export function up(d: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await clusteredTable(d, db.schema.createTable('feed_cache_entries')
      .addColumn('feed_id', 'integer', (c) => c.notNull())
      .addColumn('value_md5', 'varchar(32)', (c) => c.notNull())
      .addColumn('event_uuid', 'varchar(40)', (c) => c.notNull().defaultTo(''))
      .addPrimaryKeyConstraint('feed_cache_entries_pk', ['feed_id', 'value_md5', 'event_uuid'])).execute();
    await db.schema.createIndex('feed_cache_entries_md5').on('feed_cache_entries').column('value_md5').execute();
    await db.schema.createTable('feed_cache_states')
      .addColumn('feed_id', 'integer', (c) => c.primaryKey())
      .addColumn('cached_at', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('value_count', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  };
}
