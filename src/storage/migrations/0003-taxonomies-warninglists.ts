import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Knowledge packs (spec §1.2, §9): taxonomies, warninglists and noticelists as MISP stores them. Children
 * cascade with their parent; the update services still delete children explicitly (a SQLite shell without
 * foreign_keys = ON would otherwise leave orphans). Names are unique: the updates match packs to rows by
 * namespace / name.
 */
export function up(d: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const s = db.schema;

    await s.createTable('taxonomies')
      .addColumn('id', 'integer', d.id)
      .addColumn('namespace', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('exclusive', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('highlighted', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await s.createTable('taxonomy_predicates')
      .addColumn('id', 'integer', d.id)
      .addColumn('taxonomy_id', 'integer', (c) => c.notNull().references('taxonomies.id').onDelete('cascade'))
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('expanded', 'text')
      .addColumn('colour', 'varchar(7)')
      .addColumn('description', 'text')
      .addColumn('exclusive', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('numerical_value', 'integer')
      .execute();
    await s.createIndex('taxonomy_predicates_taxonomy_id').on('taxonomy_predicates').column('taxonomy_id').execute();
    await s.createTable('taxonomy_entries')
      .addColumn('id', 'integer', d.id)
      .addColumn('taxonomy_predicate_id', 'integer', (c) => c.notNull().references('taxonomy_predicates.id').onDelete('cascade'))
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('expanded', 'text')
      .addColumn('colour', 'varchar(7)')
      .addColumn('description', 'text')
      .addColumn('numerical_value', 'integer')
      .execute();
    await s.createIndex('taxonomy_entries_predicate_id').on('taxonomy_entries').column('taxonomy_predicate_id').execute();

    await s.createTable('warninglists')
      .addColumn('id', 'integer', d.id)
      .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('type', 'varchar(255)', (c) => c.notNull().defaultTo('string'))
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('default', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('category', 'varchar(20)', (c) => c.notNull().defaultTo('false_positive'))
      .execute();
    await s.createTable('warninglist_entries')
      .addColumn('id', 'integer', d.id)
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('warninglist_id', 'integer', (c) => c.notNull().references('warninglists.id').onDelete('cascade'))
      .addColumn('comment', 'text')
      .execute();
    await s.createIndex('warninglist_entries_list_id').on('warninglist_entries').column('warninglist_id').execute();
    await s.createTable('warninglist_types')
      .addColumn('id', 'integer', d.id)
      .addColumn('type', 'varchar(255)', (c) => c.notNull())
      .addColumn('warninglist_id', 'integer', (c) => c.notNull().references('warninglists.id').onDelete('cascade'))
      .execute();
    await s.createIndex('warninglist_types_list_id').on('warninglist_types').column('warninglist_id').execute();

    await s.createTable('noticelists')
      .addColumn('id', 'integer', d.id)
      .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('expanded_name', 'text', (c) => c.notNull())
      .addColumn('ref', 'text')
      .addColumn('geographical_area', 'varchar(255)')
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await s.createTable('noticelist_entries')
      .addColumn('id', 'integer', d.id)
      .addColumn('noticelist_id', 'integer', (c) => c.notNull().references('noticelists.id').onDelete('cascade'))
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
    await s.createIndex('noticelist_entries_list_id').on('noticelist_entries').column('noticelist_id').execute();
  };
}
