import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/** Sightings (spec §1.1, §2.7): one row per report, removed with its attribute or event. */
export function up(d: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const s = db.schema;
    await s.createTable('sightings')
      .addColumn('id', 'integer', d.id)
      .addColumn('uuid', 'varchar(40)', (c) => c.notNull().unique())
      .addColumn('attribute_id', 'integer', (c) => c.notNull().references('attributes.id').onDelete('cascade'))
      .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
      .addColumn('org_id', 'integer', (c) => c.notNull())
      .addColumn('date_sighting', d.bigint, (c) => c.notNull())
      .addColumn('source', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('type', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await s.createIndex('sightings_event_id').on('sightings').column('event_id').execute();
    await s.createIndex('sightings_attribute_id').on('sightings').column('attribute_id').execute();
  };
}
