import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Event reports (spec §1.1 `event_reports`, §2.8, §3.7): markdown documents attached to an event, with their own
 * distribution (5 = inherit the event's) and soft deletion; removed with their event.
 */
export function up(d: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.createTable('event_reports')
      .addColumn('id', 'integer', d.id)
      .addColumn('uuid', 'varchar(40)', (c) => c.notNull().unique())
      .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('content', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('distribution', 'integer', (c) => c.notNull().defaultTo(5))
      .addColumn('sharing_group_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('timestamp', d.bigint, (c) => c.notNull())
      .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('event_reports_event_id').on('event_reports').column('event_id').execute();
  };
}
