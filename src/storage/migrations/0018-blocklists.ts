import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Event and organisation blocklists (spec §1.1, §6.7): uuids refused on every add. Deleting an event blocklists
 * its uuid unless MISP.enableEventBlocklisting is false.
 */
export function up(d: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.createTable('event_blocklists')
      .addColumn('id', 'integer', d.id)
      .addColumn('event_uuid', 'varchar(40)', (c) => c.notNull().unique())
      .addColumn('created', 'varchar(20)', (c) => c.notNull())
      .addColumn('event_info', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('event_orgc', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .execute();
    await db.schema.createTable('org_blocklists')
      .addColumn('id', 'integer', d.id)
      .addColumn('org_uuid', 'varchar(40)', (c) => c.notNull().unique())
      .addColumn('created', 'varchar(20)', (c) => c.notNull())
      .addColumn('org_name', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
  };
}
