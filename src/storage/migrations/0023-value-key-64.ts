import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Write-path sizing (docs/adr/0009, performance.md §4.2 metric 5): SQLite's value key indexes of migration 0014 are
 * rebuilt on a 64-character key (`Dialect.ciIn`), which holds every IP, domain and hash whole; ~15 bytes per
 * attribute less. PostgreSQL's 200-character key stays (no statements).
 */
export function up(d: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    for (const statement of [
      ...d.ciKeyIndexUpgrade('attributes_value1_ci', 'attributes', 'value1'),
      ...d.ciKeyIndexUpgrade('attributes_value2_ci', 'attributes', 'value2', sql`value2 <> ''`),
    ]) await statement.execute(db);
  };
}
