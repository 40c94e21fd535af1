import type { Kysely } from 'kysely';
import type { EventWriteStore } from '../../core/ports/event-store.js';
import type { Database } from '../db-schema.js';
import type { Dialect } from '../dialect.js';

export function createEventWriteStore(_db: Kysely<Database>, _dialect: Dialect): EventWriteStore {
  return {};
}
