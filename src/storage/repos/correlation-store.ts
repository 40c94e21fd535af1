import type { Kysely } from 'kysely';
import type { CorrelationStore } from '../../core/ports/correlation-store.js';
import type { Database } from '../db-schema.js';
import type { Dialect } from '../dialect.js';
import type { StoredValueHashes } from '../stored-value-hashes.js';
import { createCorrelationAdminStore } from './correlation-admin-store.js';
import { createCorrelationIndexStore } from './correlation-index-store.js';
import { createCorrelationReadStore } from './correlation-read-store.js';

/** The correlation port (spec §1.5, §5): index, reads and administration over the tables of migration 0007. */
export function createCorrelationStore(db: Kysely<Database>, dialect: Dialect, stored?: StoredValueHashes): CorrelationStore {
  return {
    ...createCorrelationIndexStore(db, dialect, stored),
    ...createCorrelationReadStore(db, dialect),
    ...createCorrelationAdminStore(db, dialect),
  };
}
