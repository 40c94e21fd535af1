import type pg from 'pg';

/**
 * PostgreSQL's planner statistics, refreshed by Cairn where autovacuum has not (performance.md §3.4: its probes must
 * use the indexes). Without statistics the planner takes the default selectivity for `value1_hash = any($1)`, half
 * a percent per element, so a correlation probe of 100 values "expects" half the table and reads all of it: 130–170 ms
 * at 400,000 attributes instead of ~1 ms, which slowed a 1M load to a few hundred attributes per second on a server
 * whose `autovacuum` was off. One `ANALYZE` of a filled table is enough for the estimates to follow its growth (the
 * statistics keep distinct counts as fractions of the rows).
 *
 * The rule is autovacuum's own (changes since the last analyze above a fraction of the rows), with a floor so that
 * small tables are not analysed again and again. Where autovacuum runs it usually gets there first and this finds
 * nothing to do. Several Cairn processes share one database: an advisory lock lets one of them do it.
 */

/** Changes since the last analyze, at least this many … */
const MIN_CHANGES = 1000;
/** … and at least this fraction of the table's rows. */
const CHANGED_FRACTION = 0.1;
/** pg_try_advisory_lock key of the statistics refresh ("cairn-st"). */
const LOCK_KEY = 0x636169726e2d7374n;

/** Analyses the tables of the current schema whose statistics are missing or stale; returns their names. */
export async function analyzeStaleTables(pool: pg.Pool): Promise<string[]> {
  const client = await pool.connect();
  try {
    const { rows: [lock] } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [LOCK_KEY.toString()]);
    if (!lock?.ok) return [];
    try {
      const { rows } = await client.query<{ name: string }>(`select relname as name from pg_stat_user_tables
        where schemaname = current_schema() and n_mod_since_analyze >= $1 and n_mod_since_analyze >= $2::float8 * greatest(n_live_tup, 1)
        order by relname`, [MIN_CHANGES, CHANGED_FRACTION]);
      for (const { name } of rows) await client.query(`analyze ${client.escapeIdentifier(name)}`);
      return rows.map((r) => r.name);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [LOCK_KEY.toString()]);
    }
  } finally {
    client.release();
  }
}
