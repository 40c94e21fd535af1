import type { Kysely } from 'kysely';
import type { EventStore } from '../../core/ports/event-store.js';
import type { Database } from '../db-schema.js';
import type { Dialect } from '../dialect.js';

export function createEventStore(_db: Kysely<Database>, _dialect: Dialect): EventStore {
  return {};
}
