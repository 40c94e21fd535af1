import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Event delegation requests (spec §1.1 `event_delegations`, §3 eventDelegations): an org asks another to take over
 * one of its events; at most one pending request per event, removed with the event.
 */
export function up(d: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.createTable('event_delegations')
      .addColumn('id', 'integer', d.id)
      .addColumn('org_id', 'integer', (c) => c.notNull())
      .addColumn('requester_org_id', 'integer', (c) => c.notNull())
      .addColumn('event_id', 'integer', (c) => c.notNull().unique().references('events.id').onDelete('cascade'))
      .addColumn('message', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('distribution', 'integer', (c) => c.notNull().defaultTo(-1))
      .addColumn('sharing_group_id', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('event_delegations_org_id').on('event_delegations').column('org_id').execute();
  };
}
