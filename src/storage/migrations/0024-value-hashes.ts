import { type Kysely, sql } from 'kysely';
import { valueHash } from '../../core/correlation/correlation-keys.js';
import type { Dialect } from '../dialect.js';

/** Rows per backfill page. */
const PAGE = 5000;

/**
 * One value hash per half for search and correlation (docs/adr/0009, "Session 9"): `attributes.value1_hash` and
 * `value2_hash` hold `valueHash` of each half (correlation-keys.ts; null for an empty value2), each with an index of
 * fixed-size entries. Exact value search and correlation's "holders of these values" both read them, so:
 * - `correlation_keys` goes: its table and its random index were one more B-tree insert per key. The correlation
 *   rows keep their value ids, which are the same hashes, so nothing needs recorrelating.
 * - SQLite's 64-character value key indexes go (`Dialect.retireValueKeyIndex`): a value filter with a literal
 *   prefix and `%` now scans; PostgreSQL keeps its key index for those.
 * Existing rows are hashed here, in pages, before the indexes are built: ~30 µs per row on SQLite (6 s for 200,000
 * rows on the 2-core reference class in a slow session), so ~30 s per million attributes at the first start after
 * the upgrade, in the migration's one transaction.
 */
export function up(d: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('attributes').addColumn('value1_hash', d.bigint, (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('attributes').addColumn('value2_hash', d.bigint).execute();
    for (let after = 0; ;) {
      const { rows } = await sql<{ id: number; value1: string; value2: string }>`select id, value1, value2 from attributes
        where id > ${after} order by id limit ${PAGE}`.execute(db);
      if (rows.length === 0) break;
      for (const r of rows) {
        await sql`update attributes set value1_hash = ${valueHash(r.value1)}, value2_hash = ${r.value2 === '' ? null : valueHash(r.value2)}
          where id = ${r.id}`.execute(db);
      }
      after = rows[rows.length - 1]!.id;
    }
    await db.schema.createIndex('attributes_value1_hash').on('attributes').column('value1_hash').execute();
    await db.schema.createIndex('attributes_value2_hash').on('attributes').column('value2_hash')
      .where(sql.ref('value2_hash'), 'is not', null).execute();
    for (const name of ['attributes_value1_ci', 'attributes_value2_ci']) {
      for (const statement of d.retireValueKeyIndex(name)) await statement.execute(db);
    }
    await db.schema.dropTable('correlation_keys').ifExists().execute();
  };
}
