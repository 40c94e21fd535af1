import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Indexes for restSearch (spec §3.14; performance.md §4.2 metrics 3a–3d): a case-insensitive key on `value1` and
 * on non-empty `value2` (MISP matches values on a `_ci` collation, so the key is lower-cased — see
 * `Dialect.ciIndex`), `type` with `timestamp` for type filters with a time window, `timestamp` alone for "changed
 * since" searches, and the event date for `from` / `to` / `date`. Tag filters use the existing `tag_id` indexes of
 * event_tags and attribute_tags. Kept few on purpose: every index costs each attribute insert a page write.
 */
export function up(d: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await d.ciIndex('attributes_value1_ci', 'attributes', 'value1').execute(db);
    await d.ciIndex('attributes_value2_ci', 'attributes', 'value2', sql`value2 <> ''`).execute(db);
    await db.schema.createIndex('attributes_type_timestamp').on('attributes').columns(['type', 'timestamp']).execute();
    await db.schema.createIndex('attributes_timestamp').on('attributes').column('timestamp').execute();
    await db.schema.createIndex('events_date').on('events').column('date').execute();
  };
}
