import type { Kysely } from 'kysely';
import { clusteredTable, type Dialect } from '../dialect.js';

/**
 * Correlation tables (spec §1.5, §5; design in src/core/correlation/README.md). Sized for millions of attributes
 * (performance.md §5): every table is keyed by integers, values are referred to by a 53-bit hash of their
 * normalised key (`keyHash`), and each table has at most one secondary index, chosen for one lookup:
 *
 * - `correlations`: one row per direction of a correlated pair, keyed (event_id, attribute_id, 1_attribute_id,
 *   value_id) so "correlations of this event/attribute" is a key prefix; the `1_*` columns copy the ACL data of the
 *   other attribute, its object and its event, as MISP's `default_correlations` does, so reads filter without joins.
 *   Deleting or re-stamping the rows that point AT an event goes through the mirror rows, so no second index.
 * - `correlation_keys`: which attribute carries which key; keyed by event then attribute (appends), indexed by key
 *   (replaced by the attribute rows' value hashes in migration 0024).
 * - `correlation_values` / `over_correlating_values`: id = key hash, `value` = first 191 characters for display.
 * - `correlation_exclusions`: MISP's table.
 * - `correlation_ip_ranges`, `correlation_ssdeep_grams`: advanced correlations (CIDR, ssdeep), empty otherwise.
 * - `correlation_jobs`: progress of background rebuilds.
 */
export function up(d: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const s = db.schema;
    const int = 'integer';
    const key = d.bigint;

    await clusteredTable(d, s.createTable('correlations')
      .addColumn('event_id', int, (c) => c.notNull())
      .addColumn('attribute_id', int, (c) => c.notNull())
      .addColumn('1_attribute_id', int, (c) => c.notNull())
      .addColumn('value_id', key, (c) => c.notNull())
      .addColumn('1_event_id', int, (c) => c.notNull())
      .addColumn('1_object_id', int, (c) => c.notNull())
      .addColumn('1_org_id', int, (c) => c.notNull())
      .addColumn('1_distribution', int, (c) => c.notNull())
      .addColumn('1_sharing_group_id', int, (c) => c.notNull())
      .addColumn('1_object_distribution', int, (c) => c.notNull())
      .addColumn('1_object_sharing_group_id', int, (c) => c.notNull())
      .addColumn('1_event_distribution', int, (c) => c.notNull())
      .addColumn('1_event_sharing_group_id', int, (c) => c.notNull())
      .addPrimaryKeyConstraint('correlations_pk', ['event_id', 'attribute_id', '1_attribute_id', 'value_id'])).execute();

    await clusteredTable(d, s.createTable('correlation_keys')
      .addColumn('event_id', int, (c) => c.notNull())
      .addColumn('attribute_id', int, (c) => c.notNull())
      .addColumn('key_hash', key, (c) => c.notNull())
      .addPrimaryKeyConstraint('correlation_keys_pk', ['event_id', 'attribute_id', 'key_hash'])).execute();
    await s.createIndex('correlation_keys_key').on('correlation_keys').columns(['key_hash', 'event_id', 'attribute_id']).execute();

    await s.createTable('correlation_values')
      .addColumn('id', key, (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();

    await s.createTable('over_correlating_values')
      .addColumn('id', key, (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('occurrence', int, (c) => c.notNull().defaultTo(0))
      .execute();

    await s.createTable('correlation_exclusions')
      .addColumn('id', int, d.id)
      .addColumn('value', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('from_json', int, (c) => c.notNull().defaultTo(0))
      .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
      .execute();

    await clusteredTable(d, s.createTable('correlation_ip_ranges')
      .addColumn('event_id', int, (c) => c.notNull())
      .addColumn('attribute_id', int, (c) => c.notNull())
      .addColumn('key_hash', key, (c) => c.notNull())
      .addColumn('block', int, (c) => c.notNull())
      .addColumn('lo', 'varchar(32)', (c) => c.notNull())
      .addColumn('hi', 'varchar(32)', (c) => c.notNull())
      .addPrimaryKeyConstraint('correlation_ip_ranges_pk', ['event_id', 'attribute_id'])).execute();
    await s.createIndex('correlation_ip_ranges_lo').on('correlation_ip_ranges').columns(['block', 'lo']).execute();

    await clusteredTable(d, s.createTable('correlation_ssdeep_grams')
      .addColumn('event_id', int, (c) => c.notNull())
      .addColumn('attribute_id', int, (c) => c.notNull())
      .addColumn('gram_hash', key, (c) => c.notNull())
      .addPrimaryKeyConstraint('correlation_ssdeep_grams_pk', ['event_id', 'attribute_id', 'gram_hash'])).execute();
    await s.createIndex('correlation_ssdeep_grams_gram').on('correlation_ssdeep_grams').columns(['gram_hash']).execute();

    await s.createTable('correlation_jobs')
      .addColumn('id', int, d.id)
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('progress', int, (c) => c.notNull().defaultTo(0))
      .addColumn('processed', int, (c) => c.notNull().defaultTo(0))
      .addColumn('total', int, (c) => c.notNull().defaultTo(0))
      .addColumn('message', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('started', d.bigint, (c) => c.notNull())
      .addColumn('finished', d.bigint, (c) => c.notNull().defaultTo(0))
      .execute();
  };
}
