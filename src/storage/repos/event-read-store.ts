import type { Kysely } from 'kysely';
import type { EventReadStore } from '../../core/ports/event-store.js';
import type { Database } from '../db-schema.js';
import type { Dialect } from '../dialect.js';

export function createEventReadStore(_db: Kysely<Database>, _dialect: Dialect): EventReadStore {
  return {};
}
