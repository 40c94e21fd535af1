import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Proposals, MISP's `shadow_attributes` (spec §1.1, §2.9). `old_id` is NULL for a proposed new attribute (MISP
 * stores 0) so that it can reference the attribute a change proposal targets: hard-deleting that attribute removes
 * its proposals instead of leaving orphans. Files of attachment proposals arrive with 0011-attachments.
 */
export function up(d: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const s = db.schema;
    await s.createTable('shadow_attributes')
      .addColumn('id', 'integer', d.id)
      .addColumn('old_id', 'integer', (c) => c.references('attributes.id').onDelete('cascade'))
      .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
      .addColumn('type', 'varchar(100)', (c) => c.notNull())
      .addColumn('category', 'varchar(255)', (c) => c.notNull())
      .addColumn('value1', 'text', (c) => c.notNull())
      .addColumn('value2', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('to_ids', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('uuid', 'varchar(40)', (c) => c.notNull())
      .addColumn('event_uuid', 'varchar(40)', (c) => c.notNull())
      .addColumn('event_org_id', 'integer', (c) => c.notNull())
      .addColumn('email', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('org_id', 'integer', (c) => c.notNull())
      .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('timestamp', d.bigint, (c) => c.notNull())
      .addColumn('proposal_to_delete', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('disable_correlation', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('first_seen', d.bigint)
      .addColumn('last_seen', d.bigint)
      .execute();
    await s.createIndex('shadow_attributes_event_id').on('shadow_attributes').column('event_id').execute();
    await s.createIndex('shadow_attributes_old_id').on('shadow_attributes').column('old_id').execute();
    await s.createIndex('shadow_attributes_uuid').on('shadow_attributes').column('uuid').execute();
  };
}
