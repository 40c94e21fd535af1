import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Write-path sizing (docs/adr/0009, performance.md §4.2 metric 5): SQLite keeps `attributes.uuid` as 16 bytes
 * (binary-uuids.ts), 20 bytes less in the row and in its unique index. A database converted here keeps the freed
 * space inside its file until a `VACUUM`; new rows are small from the start. Nothing changes on PostgreSQL.
 */
export function up(d: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    for (const statement of d.uuidBytesUpgrade('attributes', 'uuid')) await statement.execute(db);
  };
}
