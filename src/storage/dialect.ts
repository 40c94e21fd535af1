import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';

/**
 * The ONLY place that branches on SQLite vs PostgreSQL. Every other storage file writes one query
 * for both databases and asks this seam where they differ.
 */
export type DialectName = 'sqlite' | 'postgres';

export interface Dialect {
  readonly name: DialectName;
  /** Auto-increment primary key: SQLite rejects GENERATED … AS IDENTITY. */
  id(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** Column type for Unix seconds / microseconds. */
  readonly bigint: 'integer' | 'bigint';
  /** Case-insensitive LIKE (MISP's value search runs on a case-insensitive MySQL collation). */
  ilike(col: Expression<string>, pattern: string): RawBuilder<SqlBool>;
  /** Most bind parameters one statement may carry; batch inserts are chunked under it. */
  readonly maxParams: number;
  /** Column type for bytes (attachment files): SQLite's BLOB, PostgreSQL's BYTEA; both drivers return a Buffer. */
  readonly blob: 'blob' | 'bytea';
  /**
   * Case-insensitive equality of `column` with any of `values` (MISP compares values on a `_ci` collation), in the
   * form the value index of `ciIndex` serves: SQLite `col COLLATE NOCASE IN (…)`; PostgreSQL compares the
   * lower-cased 200-character key first (a btree cannot hold long values whole), then the whole value.
   */
  ciIn(column: string, values: readonly string[]): RawBuilder<SqlBool>;
  /** Case-insensitive LIKE on `column`, served by the same index when the pattern starts with literal text. */
  ciLike(column: string, pattern: string): RawBuilder<SqlBool>;
  /** `CREATE INDEX` of the case-insensitive value key of `table.column` (optionally partial: `where`). */
  ciIndex(name: string, table: string, column: string, where?: RawBuilder<SqlBool>): RawBuilder<unknown>;
  /**
   * `table alias`, read in primary-key order: for keyset pages over a result covering much of the table, where an
   * index on a filter column would make every page re-sort the whole result. SQLite (no statistics unless ANALYZEd)
   * needs `NOT INDEXED`; PostgreSQL's planner decides this from its statistics.
   */
  keyOrderScan(table: string, alias: string): RawBuilder<unknown>;
}

/** Length of PostgreSQL's value key: btree entries are limited to ~2.7 kB and MISP values reach 64 kB. */
const CI_KEY_CHARS = 200;

/** The literal text a LIKE pattern starts with (before its first wildcard or escape character), cut to the key length. */
function likePrefix(pattern: string): string {
  const cut = pattern.search(/[%_\\]/);
  return (cut === -1 ? pattern : pattern.slice(0, cut)).slice(0, CI_KEY_CHARS);
}

const pgKey = (col: RawBuilder<unknown>) => sql`lower(left(${col}, ${sql.lit(CI_KEY_CHARS)}))`;

export const dialects: Record<DialectName, Dialect> = {
  sqlite: {
    name: 'sqlite',
    bigint: 'integer',
    id: (c) => c.primaryKey().autoIncrement(),
    // backslash escapes `%`, `_` and itself, as in MySQL's and PostgreSQL's LIKE (MISP users double it, MISP#6616)
    ilike: (col, p) => sql<SqlBool>`${col} like ${p} escape '\\'`,
    maxParams: 32_000,
    blob: 'blob',
    ciIn: (column, values) => sql<SqlBool>`${sql.ref(column)} collate nocase in (${sql.join(values)})`,
    ciLike: (column, pattern) => sql<SqlBool>`${sql.ref(column)} like ${pattern}`,
    ciIndex: (name, table, column, where) =>
      sql`create index ${sql.id(name)} on ${sql.table(table)} (${sql.id(column)} collate nocase)${where ? sql` where ${where}` : sql``}`,
    keyOrderScan: (table, alias) => sql`${sql.table(table)} ${sql.id(alias)} not indexed`,
  },
  postgres: {
    name: 'postgres',
    bigint: 'bigint',
    id: (c) => c.primaryKey().generatedByDefaultAsIdentity(),
    ilike: (col, p) => sql<SqlBool>`${col} ilike ${p}`,
    maxParams: 60_000,
    blob: 'bytea',
    // One array parameter whatever the number of values; `= any(array(…))` keeps the key index usable.
    ciIn: (column, values) => {
      const col = sql.ref(column);
      const list = sql`unnest(${[...values]}::text[]) as v(v)`;
      return sql<SqlBool>`(${pgKey(col)} = any(array(select ${pgKey(sql.ref('v.v'))} from ${list}))
        and lower(${col}) = any(array(select lower(v.v) from ${list})))`;
    },
    ciLike: (column, pattern) => {
      const col = sql.ref(column);
      const prefix = likePrefix(pattern);
      if (prefix === '') return sql<SqlBool>`${col} ilike ${pattern}`;
      return sql<SqlBool>`(${pgKey(col)} like lower(${`${prefix}%`}::text) and ${col} ilike ${pattern})`;
    },
    ciIndex: (name, table, column, where) => sql`create index ${sql.id(name)} on ${sql.table(table)}
      (${pgKey(sql.ref(column))} text_pattern_ops)${where ? sql` where ${where}` : sql``}`,
    keyOrderScan: (table, alias) => sql`${sql.table(table)} ${sql.id(alias)}`,
  },
};

/**
 * After rows were inserted with explicit ids (MISP's default roles keep ids 1–6), PostgreSQL's identity
 * sequence must move past them; SQLite's AUTOINCREMENT already does.
 */
export function syncIdSequenceSql(dialect: Dialect, table: string): RawBuilder<unknown> | null {
  if (dialect.name !== 'postgres') return null;
  return sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.table(table)}), 1))`;
}

/** A column of a bulk insert; `type` is the PostgreSQL element type of its unnest array. */
export interface BulkColumn {
  readonly name: string;
  readonly type: 'int4' | 'int8' | 'text';
}

/**
 * Inserts many rows in as few statements as possible and returns the `returning` columns of every row in input
 * order. PostgreSQL takes one array per column (`insert … select … from unnest(…) with ordinality … order by`), so a
 * statement carries as many parameters as there are columns: parsing a 60,000-parameter VALUES list costs PostgreSQL
 * more than twice as much. SQLite gets multi-row VALUES chunked under `maxParams`.
 */
export async function bulkInsert(d: Dialect, db: Kysely<any>, table: string, columns: readonly BulkColumn[],
  rows: readonly (readonly unknown[])[], returning: readonly string[] = []): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const cols = sql.join(columns.map((c) => sql.ref(c.name)));
  const ret = returning.length ? sql` returning ${sql.join(returning.map((r) => sql.ref(r)))}` : sql``;
  const size = d.name === 'postgres' ? 50_000 : Math.max(1, Math.floor(d.maxParams / columns.length));
  for (let k = 0; k < rows.length; k += size) {
    const part = rows.slice(k, k + size);
    if (d.name === 'postgres') {
      const arrays = sql.join(columns.map((c, n) => sql`${part.map((r) => r[n])}::${sql.raw(c.type)}[]`));
      const res = await sql`insert into ${sql.table(table)} (${cols}) select ${cols} from unnest(${arrays})
        with ordinality as u(${cols}, ord) order by ord${ret}`.execute(db);
      out.push(...(res.rows as Record<string, unknown>[]));
    } else {
      const objects = part.map((r) => Object.fromEntries(columns.map((c, n) => [c.name, r[n]])));
      const q = db.insertInto(table).values(objects);
      out.push(...(returning.length ? await q.returning(returning as string[]).execute() : (await q.execute(), [])));
    }
  }
  return out;
}

/**
 * A clustered table: SQLite keeps the rows inside the primary-key B-tree (`WITHOUT ROWID`), which saves the rowid
 * tree and one write per row for tables keyed by several integers; PostgreSQL keeps its heap and key index.
 */
export function clusteredTable<T extends string, C extends string>(d: Dialect, table: CreateTableBuilder<T, C>): CreateTableBuilder<T, C> {
  return d.name === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table;
}

/**
 * `column IN (…)` for a long list of integers as ONE bind parameter: SQLite reads a JSON array through
 * `json_each`, PostgreSQL an `int8[]` through `= any`. The statement text stays constant whatever the list length,
 * so thousands of ids cost no query-building or parsing time.
 */
export function intIn(d: Dialect, column: RawBuilder<unknown>, values: readonly number[]): RawBuilder<SqlBool> {
  return d.name === 'sqlite'
    ? sql<SqlBool>`${column} in (select value from json_each(${JSON.stringify(values)}))`
    : sql<SqlBool>`${column} = any(${values}::int8[])`;
}

/**
 * Inserts many rows, skipping those that collide with a unique key (`on conflict do nothing`), with one bind
 * parameter per column (PostgreSQL `unnest` arrays) or per statement (SQLite `json_each` over a JSON array of rows).
 */
export async function bulkInsertNew(d: Dialect, db: Kysely<any>, table: string, columns: readonly BulkColumn[],
  rows: readonly (readonly unknown[])[]): Promise<void> {
  const cols = sql.join(columns.map((c) => sql.ref(c.name)));
  const size = d.name === 'postgres' ? 50_000 : 20_000;
  for (let k = 0; k < rows.length; k += size) {
    const part = rows.slice(k, k + size);
    if (d.name === 'postgres') {
      const arrays = sql.join(columns.map((c, n) => sql`${part.map((r) => r[n])}::${sql.raw(c.type)}[]`));
      await sql`insert into ${sql.table(table)} (${cols}) select * from unnest(${arrays}) on conflict do nothing`.execute(db);
    } else {
      const fields = sql.join(columns.map((_, n) => sql`j.value ->> ${sql.lit(n)}`));
      await sql`insert into ${sql.table(table)} (${cols}) select ${fields} from json_each(${JSON.stringify(part)}) j
        where true on conflict do nothing`.execute(db);
    }
  }
}

/** Empties a table: PostgreSQL's TRUNCATE frees the space at once (a DELETE leaves dead rows for VACUUM); SQLite has none. */
export function truncateTableSql(d: Dialect, table: string): RawBuilder<unknown> {
  return d.name === 'postgres' ? sql`truncate table ${sql.table(table)}` : sql`delete from ${sql.table(table)}`;
}
