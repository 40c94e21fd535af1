import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * MISP's `servers` table (spec §1.4) with its columns and indexes, so sharing groups can list sync links
 * (`sharing_group_servers.server_id`, spec §2.10) before the servers endpoints exist. `authkey_encrypted` holds
 * the remote instance's key encrypted at rest; `sharing_group_servers.server_id = 0` keeps meaning "this
 * instance", which has no row here.
 */
export function up(d: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const s = db.schema;
    const flag = (c: Parameters<Dialect['id']>[0]) => c.notNull().defaultTo(0);
    await s.createTable('servers')
      .addColumn('id', 'integer', d.id)
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('url', 'varchar(255)', (c) => c.notNull())
      .addColumn('authkey_encrypted', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('org_id', 'integer', (c) => c.notNull())
      .addColumn('push', 'integer', flag)
      .addColumn('pull', 'integer', flag)
      .addColumn('push_sightings', 'integer', flag)
      .addColumn('push_galaxy_clusters', 'integer', flag)
      .addColumn('push_analyst_data', 'integer', flag)
      .addColumn('pull_analyst_data', 'integer', flag)
      .addColumn('pull_galaxy_clusters', 'integer', flag)
      .addColumn('lastpulledid', 'integer')
      .addColumn('lastpushedid', 'integer')
      .addColumn('organization', 'varchar(10)')
      .addColumn('remote_org_id', 'integer', flag)
      .addColumn('publish_without_email', 'integer', flag)
      .addColumn('unpublish_event', 'integer', flag)
      .addColumn('self_signed', 'integer', flag)
      .addColumn('pull_rules', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('push_rules', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('cert_file', 'varchar(255)')
      .addColumn('client_cert_file', 'varchar(255)')
      .addColumn('internal', 'integer', flag)
      .addColumn('skip_proxy', 'integer', flag)
      .addColumn('remove_missing_tags', 'integer', flag)
      .addColumn('caching_enabled', 'integer', flag)
      .addColumn('priority', 'integer', flag)
      .execute();
    await s.createIndex('servers_org_id').on('servers').column('org_id').execute();
    await s.createIndex('servers_remote_org_id').on('servers').column('remote_org_id').execute();
    await s.createIndex('servers_priority').on('servers').column('priority').execute();
    await s.createIndex('sgs_server').on('sharing_group_servers').column('server_id').execute();
  };
}
