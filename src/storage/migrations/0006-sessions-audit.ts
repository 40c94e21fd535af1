import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Access control (spec §0.3, §1.4): browser sessions (only the SHA-256 of the cookie value is stored), MISP's
 * `bruteforces` failed-login rows, MISP's `inbox` (self-registration requests) and the audit trail.
 *
 * `audit_logs` has MISP's columns (spec §1.4; `change` is JSON text, `ip` text rather than varbinary) plus the
 * legacy `logs` columns Cairn serves admin/logs/index from — `email`, `org_name` and `title` — copied at write
 * time as MISP does, so one write feeds both views and the trail outlives deleted users.
 */
export function up(d: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const s = db.schema;

    await s.createTable('sessions')
      .addColumn('id_hash', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created', d.bigint, (c) => c.notNull())
      .addColumn('last_seen', d.bigint, (c) => c.notNull())
      .addColumn('expires', d.bigint, (c) => c.notNull())
      .addColumn('ip', 'varchar(45)', (c) => c.notNull().defaultTo(''))
      .execute();
    await s.createIndex('sessions_user_id').on('sessions').column('user_id').execute();

    await s.createTable('bruteforces')
      .addColumn('id', 'integer', d.id)
      .addColumn('ip', 'varchar(255)', (c) => c.notNull())
      .addColumn('username', 'varchar(255)', (c) => c.notNull())
      .addColumn('expire', d.bigint, (c) => c.notNull())
      .execute();
    await s.createIndex('bruteforces_ip_username').on('bruteforces').columns(['ip', 'username']).execute();

    await s.createTable('inbox')
      .addColumn('id', 'integer', d.id)
      .addColumn('uuid', 'varchar(40)', (c) => c.notNull().unique())
      .addColumn('title', 'varchar(191)', (c) => c.notNull())
      .addColumn('type', 'varchar(191)', (c) => c.notNull())
      .addColumn('ip', 'varchar(191)', (c) => c.notNull().defaultTo(''))
      .addColumn('user_agent', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('user_agent_sha256', 'varchar(64)', (c) => c.notNull().defaultTo(''))
      .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('timestamp', d.bigint, (c) => c.notNull())
      .addColumn('store_as_file', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
    await s.createIndex('inbox_type').on('inbox').column('type').execute();

    await s.createTable('audit_logs')
      .addColumn('id', 'integer', d.id)
      .addColumn('created', d.bigint, (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('org_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('authkey_id', 'integer')
      .addColumn('ip', 'varchar(45)')
      .addColumn('request_type', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('request_id', 'varchar(255)')
      .addColumn('action', 'varchar(20)', (c) => c.notNull())
      .addColumn('model', 'varchar(80)', (c) => c.notNull())
      .addColumn('model_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('model_title', 'text')
      .addColumn('event_id', 'integer')
      .addColumn('change', 'text')
      .addColumn('email', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('org_name', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    for (const col of ['created', 'user_id', 'org_id', 'event_id'] as const) {
      await s.createIndex(`audit_logs_${col}`).on('audit_logs').column(col).execute();
    }
    await s.createIndex('audit_logs_model').on('audit_logs').columns(['model', 'model_id']).execute();
  };
}
