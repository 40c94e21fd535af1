import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Foundation schema: identity, settings, events with their attributes, objects, references and tags,
 * and sharing groups (spec §1.1, §1.3). Indexes are the ones reads need; value indexes for search and
 * correlation arrive with their own migrations.
 */
export function up(d: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const s = db.schema;

    await s.createTable('organisations')
      .addColumn('id', 'integer', d.id)
      .addColumn('uuid', 'varchar(40)', (c) => c.notNull().unique())
      .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('date_created', 'varchar(20)', (c) => c.notNull())
      .addColumn('date_modified', 'varchar(20)', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('type', 'varchar(255)')
      .addColumn('nationality', 'varchar(255)')
      .addColumn('sector', 'varchar(255)')
      .addColumn('created_by', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('contacts', 'text')
      .addColumn('local', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('restricted_to_domain', 'text')
      .addColumn('landingpage', 'text')
      .execute();

    await s.createTable('roles')
      .addColumn('id', 'integer', d.id)
      .addColumn('name', 'varchar(100)', (c) => c.notNull().unique())
      .addColumn('created', 'varchar(20)', (c) => c.notNull())
      .addColumn('modified', 'varchar(20)', (c) => c.notNull())
      .addColumn('permissions', 'text', (c) => c.notNull())
      .addColumn('default_role', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('memory_limit', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('max_execution_time', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('restricted_to_site_admin', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('enforce_rate_limit', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rate_limit_count', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();

    await s.createTable('users')
      .addColumn('id', 'integer', d.id)
      .addColumn('email', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('password', 'varchar(255)', (c) => c.notNull())
      .addColumn('org_id', 'integer', (c) => c.notNull().references('organisations.id'))
      .addColumn('role_id', 'integer', (c) => c.notNull().references('roles.id'))
      .addColumn('server_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('authkey_hash', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('authkey_start', 'varchar(4)', (c) => c.notNull().defaultTo(''))
      .addColumn('authkey_end', 'varchar(4)', (c) => c.notNull().defaultTo(''))
      .addColumn('autoalert', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('contactalert', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('expiration', 'varchar(20)')
      .addColumn('gpgkey', 'text')
      .addColumn('certif_public', 'text')
      .addColumn('nids_sid', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('termsaccepted', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('change_pw', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('current_login', d.bigint, (c) => c.notNull().defaultTo(0))
      .addColumn('last_login', d.bigint, (c) => c.notNull().defaultTo(0))
      .addColumn('last_api_access', d.bigint, (c) => c.notNull().defaultTo(0))
      .addColumn('date_created', d.bigint, (c) => c.notNull().defaultTo(0))
      .addColumn('date_modified', d.bigint, (c) => c.notNull().defaultTo(0))
      .addColumn('last_pw_change', d.bigint, (c) => c.notNull().defaultTo(0))
      .addColumn('invited_by', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('notification_daily', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('notification_weekly', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('notification_monthly', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('force_logout', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('external_auth_required', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('external_auth_key', 'text')
      .addColumn('sub', 'varchar(255)')
      .execute();
    await s.createIndex('users_org_id').on('users').column('org_id').execute();
    await s.createIndex('users_authkey_start').on('users').columns(['authkey_start', 'authkey_end']).execute();

    await s.createTable('auth_keys')
      .addColumn('id', 'integer', d.id)
      .addColumn('uuid', 'varchar(40)', (c) => c.notNull().unique())
      .addColumn('authkey', 'varchar(255)', (c) => c.notNull())
      .addColumn('authkey_start', 'varchar(4)', (c) => c.notNull())
      .addColumn('authkey_end', 'varchar(4)', (c) => c.notNull())
      .addColumn('created', d.bigint, (c) => c.notNull())
      .addColumn('expiration', d.bigint, (c) => c.notNull().defaultTo(0))
      .addColumn('read_only', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('allowed_ips', 'text')
      .addColumn('unique_ips', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
    await s.createIndex('auth_keys_start_end').on('auth_keys').columns(['authkey_start', 'authkey_end']).execute();
    await s.createIndex('auth_keys_user_id').on('auth_keys').column('user_id').execute();

    await s.createTable('user_settings')
      .addColumn('id', 'integer', d.id)
      .addColumn('setting', 'varchar(255)', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('timestamp', d.bigint, (c) => c.notNull())
      .addUniqueConstraint('user_settings_user_setting', ['user_id', 'setting'])
      .execute();

    await s.createTable('settings')
      .addColumn('name', 'varchar(255)', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();

    await s.createTable('sharing_groups')
      .addColumn('id', 'integer', d.id)
      .addColumn('uuid', 'varchar(40)', (c) => c.notNull().unique())
      .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('releasability', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('organisation_uuid', 'varchar(40)', (c) => c.notNull())
      .addColumn('org_id', 'integer', (c) => c.notNull())
      .addColumn('sync_user_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created', 'varchar(20)', (c) => c.notNull())
      .addColumn('modified', 'varchar(20)', (c) => c.notNull())
      .addColumn('local', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('roaming', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await s.createTable('sharing_group_orgs')
      .addColumn('id', 'integer', d.id)
      .addColumn('sharing_group_id', 'integer', (c) => c.notNull().references('sharing_groups.id').onDelete('cascade'))
      .addColumn('org_id', 'integer', (c) => c.notNull())
      .addColumn('extend', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await s.createIndex('sgo_org').on('sharing_group_orgs').columns(['org_id', 'sharing_group_id']).execute();
    await s.createIndex('sgo_sg').on('sharing_group_orgs').column('sharing_group_id').execute();
    await s.createTable('sharing_group_servers')
      .addColumn('id', 'integer', d.id)
      .addColumn('sharing_group_id', 'integer', (c) => c.notNull().references('sharing_groups.id').onDelete('cascade'))
      .addColumn('server_id', 'integer', (c) => c.notNull())
      .addColumn('all_orgs', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await s.createIndex('sgs_sg').on('sharing_group_servers').column('sharing_group_id').execute();

    await s.createTable('events')
      .addColumn('id', 'integer', d.id)
      .addColumn('uuid', 'varchar(40)', (c) => c.notNull().unique())
      .addColumn('org_id', 'integer', (c) => c.notNull())
      .addColumn('orgc_id', 'integer', (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.notNull())
      .addColumn('date', 'varchar(10)', (c) => c.notNull())
      .addColumn('info', 'text', (c) => c.notNull())
      .addColumn('threat_level_id', 'integer', (c) => c.notNull().defaultTo(4))
      .addColumn('analysis', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('published', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('publish_timestamp', d.bigint, (c) => c.notNull().defaultTo(0))
      .addColumn('timestamp', d.bigint, (c) => c.notNull().defaultTo(0))
      .addColumn('sighting_timestamp', d.bigint, (c) => c.notNull().defaultTo(0))
      .addColumn('attribute_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('distribution', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('sharing_group_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('proposal_email_lock', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('disable_correlation', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('extends_uuid', 'varchar(40)', (c) => c.notNull().defaultTo(''))
      .addColumn('protected', 'integer')
      .execute();
    await s.createIndex('events_org_id').on('events').column('org_id').execute();
    await s.createIndex('events_orgc_id').on('events').column('orgc_id').execute();
    await s.createIndex('events_timestamp').on('events').column('timestamp').execute();

    await s.createTable('objects')
      .addColumn('id', 'integer', d.id)
      .addColumn('uuid', 'varchar(40)', (c) => c.notNull().unique())
      .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('meta_category', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('template_uuid', 'varchar(40)')
      .addColumn('template_version', 'varchar(20)')
      .addColumn('timestamp', d.bigint, (c) => c.notNull())
      .addColumn('distribution', 'integer', (c) => c.notNull().defaultTo(5))
      .addColumn('sharing_group_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('first_seen', d.bigint)
      .addColumn('last_seen', d.bigint)
      .execute();
    await s.createIndex('objects_event_id').on('objects').column('event_id').execute();

    await s.createTable('attributes')
      .addColumn('id', 'integer', d.id)
      .addColumn('uuid', 'varchar(40)', (c) => c.notNull().unique())
      .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
      .addColumn('object_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('object_relation', 'varchar(255)')
      .addColumn('category', 'varchar(255)', (c) => c.notNull())
      .addColumn('type', 'varchar(100)', (c) => c.notNull())
      .addColumn('value1', 'text', (c) => c.notNull())
      .addColumn('value2', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('to_ids', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('timestamp', d.bigint, (c) => c.notNull())
      .addColumn('distribution', 'integer', (c) => c.notNull().defaultTo(5))
      .addColumn('sharing_group_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('disable_correlation', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('first_seen', d.bigint)
      .addColumn('last_seen', d.bigint)
      .execute();
    await s.createIndex('attributes_event_id').on('attributes').column('event_id').execute();
    await s.createIndex('attributes_object_id').on('attributes').column('object_id').execute();

    await s.createTable('object_references')
      .addColumn('id', 'integer', d.id)
      .addColumn('uuid', 'varchar(40)', (c) => c.notNull().unique())
      .addColumn('timestamp', d.bigint, (c) => c.notNull())
      .addColumn('object_id', 'integer', (c) => c.notNull().references('objects.id').onDelete('cascade'))
      .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
      .addColumn('source_uuid', 'varchar(40)', (c) => c.notNull())
      .addColumn('referenced_uuid', 'varchar(40)', (c) => c.notNull())
      .addColumn('referenced_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('referenced_type', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('relationship_type', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await s.createIndex('object_references_event_id').on('object_references').column('event_id').execute();
    await s.createIndex('object_references_object_id').on('object_references').column('object_id').execute();

    await s.createTable('tags')
      .addColumn('id', 'integer', d.id)
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('name_lower', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('colour', 'varchar(7)', (c) => c.notNull())
      .addColumn('exportable', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('org_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('user_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('hide_tag', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('numerical_value', 'integer')
      .addColumn('is_galaxy', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('is_custom_galaxy', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('local_only', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();

    await s.createTable('event_tags')
      .addColumn('id', 'integer', d.id)
      .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
      .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id').onDelete('cascade'))
      .addColumn('local', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('relationship_type', 'varchar(191)', (c) => c.notNull().defaultTo(''))
      .execute();
    await s.createIndex('event_tags_event_id').on('event_tags').column('event_id').execute();
    await s.createIndex('event_tags_tag_id').on('event_tags').column('tag_id').execute();

    await s.createTable('attribute_tags')
      .addColumn('id', 'integer', d.id)
      .addColumn('attribute_id', 'integer', (c) => c.notNull().references('attributes.id').onDelete('cascade'))
      .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
      .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id').onDelete('cascade'))
      .addColumn('local', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('relationship_type', 'varchar(191)', (c) => c.notNull().defaultTo(''))
      .execute();
    await s.createIndex('attribute_tags_event_id').on('attribute_tags').column('event_id').execute();
    await s.createIndex('attribute_tags_attribute_id').on('attribute_tags').column('attribute_id').execute();
    await s.createIndex('attribute_tags_tag_id').on('attribute_tags').column('tag_id').execute();
  };
}
