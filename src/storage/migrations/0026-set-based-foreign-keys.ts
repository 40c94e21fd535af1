import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import type { CascadingKey } from '../pg-set-based-foreign-keys.js';

/**
 * The keys every attribute, object and tag link insert checks (docs/adr/0011): on PostgreSQL they are enforced per
 * statement from now on (pg-set-based-foreign-keys.ts), with the same rules: a row needs its parent, and goes when
 * the parent is deleted. Each is one of migration 0001's `on delete cascade` keys. SQLite keeps its constraints.
 */
export const SET_BASED_KEYS: readonly CascadingKey[] = [
  { table: 'attributes', column: 'event_id', parent: 'events' },
  { table: 'objects', column: 'event_id', parent: 'events' },
  { table: 'attribute_tags', column: 'event_id', parent: 'events' },
  { table: 'attribute_tags', column: 'attribute_id', parent: 'attributes' },
  { table: 'attribute_tags', column: 'tag_id', parent: 'tags' },
];

export function up(d: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    for (const statement of d.setBasedForeignKeys(SET_BASED_KEYS)) await statement.execute(db);
  };
}
