import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Dialect } from './dialect.js';
import * as m0001 from './migrations/0001-foundation.js';
import * as m0003 from './migrations/0003-taxonomies-warninglists.js';
import * as m0004 from './migrations/0004-galaxies-templates-decaying-feeds.js';
import * as m0005 from './migrations/0005-servers.js';
import * as m0006 from './migrations/0006-sessions-audit.js';
import * as m0007 from './migrations/0007-correlations.js';
import * as m0008 from './migrations/0008-search-indexes.js';
import * as m0009 from './migrations/0009-proposals.js';
import * as m0010 from './migrations/0010-sightings.js';
import * as m0011 from './migrations/0011-attachments.js';
import * as m0012 from './migrations/0012-galaxy-custom-clusters.js';
import * as m0014 from './migrations/0014-value-key-indexes.js';
import * as m0016 from './migrations/0016-event-delegations.js';
import * as m0018 from './migrations/0018-blocklists.js';
import * as m0019 from './migrations/0019-galaxy-cluster-blocklists.js';
import * as m0020 from './migrations/0020-feed-caches.js';
import * as m0017 from './migrations/0017-event-reports.js';
import * as m0021 from './migrations/0021-object-attribute-index.js';
import * as m0022 from './migrations/0022-attribute-uuid-bytes.js';
import * as m0023 from './migrations/0023-value-key-64.js';
import * as m0024 from './migrations/0024-value-hashes.js';
import * as m0025 from './migrations/0025-tag-link-covering-indexes.js';
import * as m0026 from './migrations/0026-set-based-foreign-keys.js';

/**
 * How far a long migration has got: `done` of `total` units (rows) of migration `name`. A migration that rewrites
 * existing rows reports after each page, so the start after an upgrade of a large database shows progress.
 */
export type MigrationProgress = (name: string, done: number, total: number) => void;

/** What a migration module's `up` gets besides the dialect: its own progress reporter. */
export type StepProgress = (done: number, total: number) => void;

/** Versioned migrations, in order. Each module exports `up(dialect, progress)`; add new ones at the end. */
const MIGRATIONS: Record<string, { up: (d: Dialect, progress: StepProgress) => (db: Kysely<unknown>) => Promise<void> }> = {
  '0001-foundation': m0001,
  '0003-taxonomies-warninglists': m0003,
  '0004-galaxies-templates-decaying-feeds': m0004,
  '0005-servers': m0005,
  '0006-sessions-audit': m0006,
  '0007-correlations': m0007,
  '0008-search-indexes': m0008,
  '0009-proposals': m0009,
  '0010-sightings': m0010,
  '0011-attachments': m0011,
  '0012-galaxy-custom-clusters': m0012,
  '0014-value-key-indexes': m0014,
  '0016-event-delegations': m0016,
  '0018-blocklists': m0018,
  '0019-galaxy-cluster-blocklists': m0019,
  '0020-feed-caches': m0020,
  '0017-event-reports': m0017,
  '0021-object-attribute-index': m0021,
  '0022-attribute-uuid-bytes': m0022,
  '0023-value-key-64': m0023,
  '0024-value-hashes': m0024,
  '0025-tag-link-covering-indexes': m0025,
  '0026-set-based-foreign-keys': m0026,
};

class StaticProvider implements MigrationProvider {
  readonly #dialect: Dialect;
  readonly #progress: MigrationProgress;
  constructor(dialect: Dialect, progress: MigrationProgress) {
    this.#dialect = dialect;
    this.#progress = progress;
  }
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(Object.entries(MIGRATIONS).map(([name, m]) =>
      [name, { up: m.up(this.#dialect, (done, total) => this.#progress(name, done, total)) }]));
  }
}

function migrator(db: Kysely<any>, dialect: Dialect, progress: MigrationProgress = () => {}): Migrator {
  return new Migrator({ db, provider: new StaticProvider(dialect, progress), migrationTableName: 'cairn_migrations', migrationLockTableName: 'cairn_migrations_lock',
    // Features land in parallel with reserved numbers (0012–0018…): a database that already ran a later number
    // still gets an earlier one added afterwards. Every migration creates or alters only its own tables.
    allowUnorderedMigrations: true });
}

/** Every known migration and whether this database has run it (servers/dbSchemaDiagnostic). */
export async function migrationStatus(db: Kysely<any>, dialect: Dialect): Promise<Array<{ name: string; applied: boolean }>> {
  return (await migrator(db, dialect).getMigrations()).map((m) => ({ name: m.name, applied: m.executedAt !== undefined }));
}

/** Brings the schema up to and including migration `name` (tests of a later migration's upgrade). */
export async function migrateTo(db: Kysely<any>, dialect: Dialect, name: string): Promise<void> {
  const { error } = await migrator(db, dialect).migrateTo(name);
  if (error) throw error;
}

/** Brings the schema to the latest version; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>, dialect: Dialect, progress?: MigrationProgress): Promise<string[]> {
  const { error, results } = await migrator(db, dialect, progress).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String((error as Error).message ?? error)}`, { cause: error });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
