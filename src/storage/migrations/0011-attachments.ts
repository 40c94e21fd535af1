import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Files of attachment and malware-sample attributes and proposals (spec §2.3), in the database
 * (docs/adr/0005-attachments.md): one row per attribute in a table of its own, so the many reads of `attributes`
 * never drag file bytes along; a proposal's file sits in its own row (proposals are read by explicit columns).
 */
export function up(d: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.createTable('attribute_attachments')
      .addColumn('attribute_id', 'integer', (c) => c.primaryKey().references('attributes.id').onDelete('cascade'))
      .addColumn('data', d.blob, (c) => c.notNull())
      .execute();
    await db.schema.alterTable('shadow_attributes').addColumn('data', d.blob).execute();
  };
}
