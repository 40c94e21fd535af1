import type { Kysely } from 'kysely';
import { createEventDelegationStore } from './repos/event-delegation-store.js';
import { createBlocklistStore } from './repos/blocklist-store.js';
import { createStatisticsStore } from './repos/statistics-store.js';
import { createEventReportStore } from './repos/event-report-store.js';
import type { Storage, Stores } from '../core/ports/stores.js';
import type { Database } from './db-schema.js';
import type { Dialect } from './dialect.js';
import { type MigrationProgress, migrateToLatest, migrationStatus } from './migrate.js';
import { openDatabase, type OpenOptions } from './open-database.js';
import type { WrittenHashes } from './repos/event-graph-batches.js';
import { createStoredValueHashes, type StoredValueHashes } from './stored-value-hashes.js';
import { createEventReadStore } from './repos/event-read-store.js';
import { createEventWriteStore } from './repos/event-write-store.js';
import { createIdentityStore } from './repos/identity-store.js';
import { caseFoldingWarning } from './case-folding-check.js';
import { createSettingsStore } from './repos/settings-store.js';
import { createNoticelistStore } from './repos/noticelist-store.js';
import { createTagStore } from './repos/tag-store.js';
import { createTaxonomyStore } from './repos/taxonomy-store.js';
import { createWarninglistStore } from './repos/warninglist-store.js';
import { createDecayingModelStore } from './repos/decaying-model-store.js';
import { createFeedStore } from './repos/feed-store.js';
import { createFeedCacheStore } from './repos/feed-cache-store.js';
import { createGalaxyStore } from './repos/galaxy-store.js';
import { createObjectTemplateStore } from './repos/object-template-store.js';
import { createAuditLogStore } from './repos/audit-log-store.js';
import { createSessionStore } from './repos/session-store.js';
import { createRegistrationStore } from './repos/registration-store.js';
import { createSharingGroupStore } from './repos/sharing-group-store.js';
import { createProposalStore } from './repos/proposal-store.js';
import { createSightingStore } from './repos/sighting-store.js';
import { createAttachmentStore } from './repos/attachment-store.js';
import { createSearchStore } from './repos/search-store.js';
import { createCorrelationStore } from './repos/correlation-store.js';

/** What the stores of one connection or transaction share: the committed value hashes (SQLite) and where writes report theirs. */
interface ValueHashTracking {
  readonly stored: StoredValueHashes;
  readonly written: WrittenHashes;
}

function bindStores(db: Kysely<Database>, dialect: Dialect, hashes?: ValueHashTracking): Stores {
  return {
    identity: createIdentityStore(db, dialect),
    settings: createSettingsStore(db),
    eventReads: createEventReadStore(db, dialect),
    eventWrites: createEventWriteStore(db, dialect, hashes?.written),
    tags: createTagStore(db, dialect),
    taxonomies: createTaxonomyStore(db, dialect),
    warninglists: createWarninglistStore(db, dialect),
    noticelists: createNoticelistStore(db, dialect),
    galaxies: createGalaxyStore(db, dialect),
    objectTemplates: createObjectTemplateStore(db, dialect),
    decayingModels: createDecayingModelStore(db, dialect),
    feeds: createFeedStore(db),
    feedCaches: createFeedCacheStore(db, dialect),
    audit: createAuditLogStore(db, dialect),
    sessions: createSessionStore(db),
    registrations: createRegistrationStore(db, dialect),
    sharingGroups: createSharingGroupStore(db, dialect),
    proposals: createProposalStore(db),
    sightings: createSightingStore(db, dialect),
    delegations: createEventDelegationStore(db),
    blocklists: createBlocklistStore(db),
    statistics: createStatisticsStore(db),
    eventReports: createEventReportStore(db, dialect),
    attachments: createAttachmentStore(db),
    search: createSearchStore(db, dialect),
    correlations: createCorrelationStore(db, dialect, hashes?.stored),
  };
}

export interface StorageOptions extends OpenOptions {
  /** Progress of migrations that rewrite existing rows (the first start after an upgrade). */
  readonly migrationProgress?: MigrationProgress;
}

/** Opens the database named by `url`, migrates it to the latest schema and returns the stores. */
export async function createStorage(url: string, opts: StorageOptions = {}): Promise<Storage & { readonly db: Kysely<Database>; readonly dialect: Dialect }> {
  const { db, dialect, close, optimize } = openDatabase(url, opts);
  await migrateToLatest(db, dialect, opts.migrationProgress);
  const folding = await caseFoldingWarning(db, dialect);
  if (folding) process.emitWarning(folding, 'CairnDatabaseWarning');
  optimize(); // planner statistics for the migrated schema (open-database.ts)
  // SQLite's one writing connection knows every value it commits (stored-value-hashes.ts); PostgreSQL has many writers
  const stored = dialect.name === 'sqlite' ? createStoredValueHashes(db) : undefined;
  const tracking = (written: WrittenHashes) => (stored ? { stored, written } : undefined);
  return {
    ...bindStores(db, dialect, tracking((h) => stored?.committed(h))),
    kind: dialect.name,
    db,
    dialect,
    transaction: async (fn) => {
      const written: number[] = [];
      const result = await db.transaction().execute((trx) => fn(bindStores(trx, dialect, tracking((h) => { for (const x of h) written.push(x); }))));
      stored?.committed(written);
      return result;
    },
    schemaStatus: () => migrationStatus(db, dialect),
    close,
  };
}
