import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Write-path sizing (performance.md §4.2 metrics 2c and 5, §5.2): on SQLite the case-insensitive value indexes of
 * migration 0008 held every value whole, so the 1–2 % of multi-KB values (yara, snort, long URLs) spilled into
 * overflow pages that each insert's B-tree descent had to read, and the `value1` index alone was ~100 bytes per
 * attribute. They become 200-character key indexes, as PostgreSQL's already are and as MISP's `value1(255)` prefix
 * index is: `Dialect.ciIn` / `ciLike` match the key through the index and re-check the whole value. Roughly 45 bytes
 * per attribute less; nothing to do on PostgreSQL.
 */
export function up(d: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    for (const statement of [
      ...d.ciKeyIndexUpgrade('attributes_value1_ci', 'attributes', 'value1'),
      ...d.ciKeyIndexUpgrade('attributes_value2_ci', 'attributes', 'value2', sql`value2 <> ''`),
    ]) await statement.execute(db);
  };
}
