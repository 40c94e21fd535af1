import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Galaxies and clusters, object templates, decaying models and feeds (spec §1.2, §1.4). Cluster uuids are not
 * unique: misp-galaxy ships the same cluster in several (deprecated MITRE) galaxies, so only lookups are indexed.
 * The galaxy tables carry no foreign keys between themselves (as in MISP): PostgreSQL checks a foreign key with a
 * trigger per inserted row, which doubled the time of a full galaxy import; the store deletes children explicitly.
 * Relation tags do cascade with their tag. `tag_name_lower` (computed in JS, like `tags.name_lower`) serves the
 * case-insensitive tag → cluster lookup identically on both databases.
 */
export function up(d: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const s = db.schema;

    await s.createTable('galaxies')
      .addColumn('id', 'integer', d.id)
      .addColumn('uuid', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('name', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('type', 'varchar(255)', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('version', 'varchar(255)', (c) => c.notNull())
      .addColumn('icon', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('namespace', 'varchar(255)', (c) => c.notNull().defaultTo('misp'))
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('local_only', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('kill_chain_order', 'text')
      .execute();
    await s.createIndex('galaxies_type').on('galaxies').column('type').execute();

    await s.createTable('galaxy_clusters')
      .addColumn('id', 'integer', d.id)
      .addColumn('uuid', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('collection_uuid', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('type', 'varchar(255)', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('tag_name', 'text', (c) => c.notNull())
      .addColumn('tag_name_lower', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('galaxy_id', 'integer', (c) => c.notNull())
      .addColumn('source', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('authors', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('distribution', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('sharing_group_id', 'integer')
      .addColumn('org_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('orgc_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('default', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('extends_uuid', 'varchar(40)', (c) => c.defaultTo(''))
      .addColumn('extends_version', 'integer', (c) => c.defaultTo(0))
      .addColumn('published', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await s.createIndex('galaxy_clusters_galaxy_id').on('galaxy_clusters').column('galaxy_id').execute();
    await s.createIndex('galaxy_clusters_uuid').on('galaxy_clusters').column('uuid').execute();
    await s.createIndex('galaxy_clusters_tag_name_lower').on('galaxy_clusters').column('tag_name_lower').execute();
    await s.createIndex('galaxy_clusters_extends_uuid').on('galaxy_clusters').column('extends_uuid').execute();

    await s.createTable('galaxy_elements')
      .addColumn('id', 'integer', d.id)
      .addColumn('galaxy_cluster_id', 'integer', (c) => c.notNull())
      .addColumn('key', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
    await s.createIndex('galaxy_elements_cluster').on('galaxy_elements').column('galaxy_cluster_id').execute();

    await s.createTable('galaxy_cluster_relations')
      .addColumn('id', 'integer', d.id)
      .addColumn('galaxy_cluster_id', 'integer', (c) => c.notNull())
      .addColumn('referenced_galaxy_cluster_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('referenced_galaxy_cluster_uuid', 'varchar(255)', (c) => c.notNull())
      .addColumn('referenced_galaxy_cluster_type', 'text', (c) => c.notNull())
      .addColumn('galaxy_cluster_uuid', 'varchar(40)', (c) => c.notNull())
      .addColumn('distribution', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('sharing_group_id', 'integer')
      .addColumn('default', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await s.createIndex('gcr_cluster').on('galaxy_cluster_relations').column('galaxy_cluster_id').execute();
    await s.createIndex('gcr_referenced_id').on('galaxy_cluster_relations').column('referenced_galaxy_cluster_id').execute();
    await s.createIndex('gcr_referenced_uuid').on('galaxy_cluster_relations').column('referenced_galaxy_cluster_uuid').execute();

    await s.createTable('galaxy_cluster_relation_tags')
      .addColumn('id', 'integer', d.id)
      .addColumn('galaxy_cluster_relation_id', 'integer', (c) => c.notNull())
      .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id').onDelete('cascade'))
      .execute();
    await s.createIndex('gcrt_relation').on('galaxy_cluster_relation_tags').column('galaxy_cluster_relation_id').execute();
    await s.createIndex('gcrt_tag').on('galaxy_cluster_relation_tags').column('tag_id').execute();

    await s.createTable('object_templates')
      .addColumn('id', 'integer', d.id)
      .addColumn('user_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('org_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('uuid', 'varchar(40)', (c) => c.notNull())
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('meta_category', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('requirements', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('fixed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await s.createIndex('object_templates_uuid').on('object_templates').column('uuid').execute();
    await s.createIndex('object_templates_name').on('object_templates').column('name').execute();
    await s.createTable('object_template_elements')
      .addColumn('id', 'integer', d.id)
      .addColumn('object_template_id', 'integer', (c) => c.notNull().references('object_templates.id').onDelete('cascade'))
      .addColumn('object_relation', 'varchar(255)', (c) => c.notNull())
      .addColumn('type', 'varchar(255)', (c) => c.notNull())
      .addColumn('ui_priority', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('categories', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('sane_default', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('values_list', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('disable_correlation', 'integer')
      .addColumn('multiple', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await s.createIndex('ote_template').on('object_template_elements').column('object_template_id').execute();

    await s.createTable('decaying_models')
      .addColumn('id', 'integer', d.id)
      .addColumn('uuid', 'varchar(40)')
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('parameters', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('attribute_types', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('org_id', 'integer')
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('all_orgs', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('ref', 'text')
      .addColumn('formula', 'varchar(255)', (c) => c.notNull())
      .addColumn('version', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('default', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await s.createIndex('decaying_models_uuid').on('decaying_models').column('uuid').execute();
    await s.createTable('decaying_model_mappings')
      .addColumn('id', 'integer', d.id)
      .addColumn('attribute_type', 'varchar(255)', (c) => c.notNull())
      .addColumn('model_id', 'integer', (c) => c.notNull().references('decaying_models.id').onDelete('cascade'))
      .execute();
    await s.createIndex('dmm_model').on('decaying_model_mappings').column('model_id').execute();

    await s.createTable('feeds')
      .addColumn('id', 'integer', d.id)
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('provider', 'varchar(255)', (c) => c.notNull())
      .addColumn('url', 'varchar(255)', (c) => c.notNull())
      .addColumn('rules', 'text')
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('distribution', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('sharing_group_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('tag_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('default', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('source_format', 'varchar(255)', (c) => c.notNull().defaultTo('misp'))
      .addColumn('fixed_event', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('delta_merge', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('event_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('publish', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('override_ids', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('settings', 'text')
      .addColumn('input_source', 'varchar(255)', (c) => c.notNull().defaultTo('network'))
      .addColumn('delete_local_file', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('lookup_visible', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('headers', 'text')
      .addColumn('caching_enabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('force_to_ids', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('orgc_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('tag_collection_id', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await s.createIndex('feeds_url').on('feeds').column('url').execute();
  };
}
