import { type Kysely, sql } from 'kysely';
import { valueHash } from '../../core/correlation/correlation-keys.js';
import type { Dialect } from '../dialect.js';
import type { StepProgress } from '../migrate.js';

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
 * Existing rows are hashed here before the indexes are built, in pages of one read and one `update … from` each
 * (PostgreSQL would otherwise pay a round trip per row), reporting progress after each page: the first start after
 * the upgrade of a large database says how far it has got. 200,000 rows take 1.4 s on SQLite and 6 s on PostgreSQL
 * on the 2-core bench machine. It all runs in the migration's one transaction.
 */
export function up(d: Dialect, progress: StepProgress = () => {}) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('attributes').addColumn('value1_hash', d.bigint, (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('attributes').addColumn('value2_hash', d.bigint).execute();
    const total = Number((await sql<{ n: number | string }>`select count(*) as n from attributes`.execute(db)).rows[0]?.n ?? 0);
    let done = 0;
    for (let after = 0; ;) {
      const { rows } = await sql<{ id: number; value1: string; value2: string }>`select id, value1, value2 from attributes
        where id > ${after} order by id limit ${PAGE}`.execute(db);
      if (rows.length === 0) break;
      // the casts type the values list for PostgreSQL, which takes bind parameters as text (and a page whose value2
      // hashes are all null would stay text)
      const hashes = rows.map((r) => sql`(cast(${r.id} as integer), cast(${valueHash(r.value1)} as ${sql.raw(d.bigint)}),
        cast(${r.value2 === '' ? null : valueHash(r.value2)} as ${sql.raw(d.bigint)}))`);
      await sql`with h (id, v1, v2) as (values ${sql.join(hashes)})
        update attributes set value1_hash = h.v1, value2_hash = h.v2 from h where attributes.id = h.id`.execute(db);
      after = rows[rows.length - 1]!.id;
      done += rows.length;
      progress(done, total);
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
