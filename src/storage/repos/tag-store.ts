import type { Kysely } from 'kysely';
import type { TagStore } from '../../core/ports/tag-store.js';
import type { Database } from '../db-schema.js';
import type { Dialect } from '../dialect.js';

/** Implemented by the tags feature. */
export function createTagStore(_db: Kysely<Database>, _dialect: Dialect): TagStore {
  return {} as TagStore;
}
