import { CompiledQuery, sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { foldCase, isAscii } from '../core/util/fold-case.js';
import { uuidBytes, uuidBytesSql, uuidTextOf } from './binary-uuids.js';
import { eachRowText } from './each-row-insert.js';
import { pgArrayLiteral } from './pg-array-literal.js';
import { type CascadingKey, pgSetBasedForeignKeys } from './pg-set-based-foreign-keys.js';

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
  /** Case-insensitive LIKE, for every alphabet (MISP's searches run on case-insensitive MySQL collations). */
  ilike(col: Expression<string>, pattern: string): RawBuilder<SqlBool>;
  /**
   * The lower case of a text expression, for every alphabet: compare it with `foldCase` of the other side
   * (core/util/fold-case.ts). SQLite's built-in `lower()` folds ASCII only; its connections have `cairn_lower`.
   */
  lower(expr: Expression<unknown>): RawBuilder<string>;
  /** Most bind parameters one statement may carry; batch inserts are chunked under it. */
  readonly maxParams: number;
  /** Column type for bytes (attachment files): SQLite's BLOB, PostgreSQL's BYTEA; both drivers return a Buffer. */
  readonly blob: 'blob' | 'bytea';
  /**
   * Case-insensitive equality of `column` with any of `values` (MISP compares values on a `_ci` collation): the
   * whole-value check of an exact value search, whose candidates come from the value hash index
   * (`attributes.value1_hash`, migration 0024). SQLite's NOCASE folds ASCII only: values with other letters compare
   * through `cairn_lower`, as PostgreSQL's `lower` compares them all.
   */
  ciEquals(column: string, values: readonly string[]): RawBuilder<SqlBool>;
  /**
   * Case-insensitive LIKE on a value column. PostgreSQL serves a pattern that starts with literal text from its
   * value key index; SQLite has none since migration 0024 and scans (as both do for a leading `%`).
   */
  ciLike(column: string, pattern: string): RawBuilder<SqlBool>;
  /**
   * `CREATE INDEX` of the case-insensitive value of `table.column` as migration 0008 made it (optionally partial:
   * `where`). On SQLite that indexed the whole value; {@link Dialect.ciKeyIndexUpgrade} replaces it with the key.
   */
  ciIndex(name: string, table: string, column: string, where?: RawBuilder<SqlBool>): RawBuilder<unknown>;
  /**
   * Statements that turn a `ciIndex` into a value key index (migrations 0014, 0023): SQLite drops and recreates it
   * on its key `substr(col, 1, 64) COLLATE NOCASE` — multi-KB values (yara, snort) no longer spill into overflow
   * pages on every B-tree comparison — while PostgreSQL's already is one (no statements). SQLite's went in 0024.
   */
  ciKeyIndexUpgrade(name: string, table: string, column: string, where?: RawBuilder<SqlBool>): RawBuilder<unknown>[];
  /**
   * Statements that drop a value key index the value hash replaced (migration 0024): SQLite's goes, as one random
   * B-tree less per attribute insert; PostgreSQL keeps its own for `ciLike` prefix patterns (no statements).
   */
  retireValueKeyIndex(name: string): RawBuilder<unknown>[];
  /**
   * `table alias`, read in primary-key order: for keyset pages over a result covering much of the table, where an
   * index on a filter column would make every page re-sort the whole result. SQLite (no statistics unless ANALYZEd)
   * needs `NOT INDEXED`; PostgreSQL's planner decides this from its statistics.
   */
  keyOrderScan(table: string, alias: string): RawBuilder<unknown>;
  /**
   * `column in (ids)` for a subquery of row ids, in the form each planner reads in id order, so that `order by id
   * limit n` stops after n matches: SQLite turns `in (…)` into a sorted list of ids; PostgreSQL hashed it as a
   * semi-join it estimated at 200 rows, then fetched and sorted every match (a tag on 31,762 attributes with a type
   * filter, limit 1000: 200 ms at 1M attributes), where `= any(array(…))` scans the primary key in order.
   */
  idIn(column: RawBuilder<unknown>, ids: RawBuilder<unknown>): RawBuilder<SqlBool>;
  /** A uuid column as text in a select list: SQLite formats its 16 bytes in SQL (binary-uuids.ts); PostgreSQL's is text. */
  uuidText(column: RawBuilder<unknown>): RawBuilder<unknown>;
  /**
   * Statements that make SQLite keep `table.column` as 16 uuid bytes (binary-uuids.ts, migration 0022): stored
   * uuids are converted in place (a value that is no uuid stays text: still shown, as before never found by a uuid
   * lookup). None on PostgreSQL, which keeps the text.
   */
  uuidBytesUpgrade(table: string, column: string): RawBuilder<unknown>[];
  /**
   * Statements that enforce `keys` once per statement instead of once per row (migration 0026): PostgreSQL's own
   * row-by-row checks were 45 % of an attribute insert (pg-set-based-foreign-keys.ts). SQLite checks a key inside its
   * insert, at no measurable cost, and keeps its constraints (no statements).
   */
  setBasedForeignKeys(keys: readonly CascadingKey[]): RawBuilder<unknown>[];
}

/** Length of PostgreSQL's value key: btree entries are limited to ~2.7 kB and MISP values reach 64 kB. */
const CI_KEY_CHARS = 200;
/**
 * Length of SQLite's value key (migration 0023): every IP, domain, md5, sha1 and sha256 whole, and enough of a URL
 * or file name to tell nearly all apart; the rare values sharing a key are told apart by the whole-value check. Its
 * index holds one key per attribute, ~15 bytes per attribute smaller than with 200 characters (docs/adr/0009).
 */
const SQLITE_KEY_CHARS = 64;

/** The literal text a LIKE pattern starts with (before its first wildcard or escape character), cut to `chars`. */
function likePrefix(pattern: string, chars: number): string {
  const cut = pattern.search(/[%_\\]/);
  return [...(cut === -1 ? pattern : pattern.slice(0, cut))].slice(0, chars).join('');
}

/** The SQL function open-database.ts registers on every SQLite connection: `foldCase` of a text (other values as they are). */
export const SQLITE_LOWER_FUNCTION = 'cairn_lower';
const SQLITE_LOWER = (expr: Expression<unknown>): RawBuilder<string> => sql<string>`${sql.raw(SQLITE_LOWER_FUNCTION)}(${expr})`;

/**
 * Case-insensitive LIKE on SQLite. LIKE folds ASCII letters itself, which is every value and pattern most of the time.
 * Other letters compare folded (`foldCase`), and only in values that hold a character past ASCII (more bytes than
 * characters), so that the function call per row is paid by those alone: a pattern with 'ä' over 1M attributes took
 * 1.3–1.7 s folding every value and 0.44–0.67 s with the test, against 0.31–0.45 s for an ASCII pattern. A folded
 * pattern that is ASCII ('İ' folds to 'i') also matches ASCII values, through LIKE. An ASCII pattern compares the
 * way LIKE does: it does not match a dotted capital 'İ' as PostgreSQL's lower() does (measured: testing every value
 * for it cost ~60 % more on every search).
 */
function sqliteIlike(col: Expression<string>, pattern: string): RawBuilder<SqlBool> {
  if (isAscii(pattern)) return sql<SqlBool>`${col} like ${pattern} escape '\\'`;
  const folded = foldCase(pattern);
  const beyondAscii = sql<SqlBool>`(octet_length(${col}) <> length(${col}) and ${SQLITE_LOWER(col)} like ${folded} escape '\\')`;
  return isAscii(folded) ? sql<SqlBool>`(${col} like ${folded} escape '\\' or ${beyondAscii})` : beyondAscii;
}

const pgKey = (col: RawBuilder<unknown>) => sql`lower(left(${col}, ${sql.lit(CI_KEY_CHARS)}))`;
const sqliteKey = (col: RawBuilder<unknown>) => sql`substr(${col}, 1, ${sql.lit(SQLITE_KEY_CHARS)}) collate nocase`;

export const dialects: Record<DialectName, Dialect> = {
  sqlite: {
    name: 'sqlite',
    bigint: 'integer',
    id: (c) => c.primaryKey().autoIncrement(),
    // backslash escapes `%`, `_` and itself, as in MySQL's and PostgreSQL's LIKE (MISP users double it, MISP#6616)
    ilike: sqliteIlike,
    lower: SQLITE_LOWER,
    maxParams: 32_000,
    blob: 'blob',
    ciEquals: (column, values) => {
      const col = sql.ref(column);
      const ascii = values.filter(isAscii);
      const folded = values.filter((v) => !isAscii(v)).map(foldCase);
      const parts = [];
      if (ascii.length > 0 || folded.length === 0) parts.push(sql`${col} collate nocase in (select value from json_each(${JSON.stringify(ascii)}))`);
      if (folded.length > 0) parts.push(sql`${SQLITE_LOWER(col)} in (select value from json_each(${JSON.stringify(folded)}))`);
      return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
    },
    // `ilike` folds case itself
    ciLike: (column, pattern) => dialects.sqlite.ilike(sql.ref(column), pattern),
    ciIndex: (name, table, column, where) =>
      sql`create index ${sql.id(name)} on ${sql.table(table)} (${sql.id(column)} collate nocase)${where ? sql` where ${where}` : sql``}`,
    ciKeyIndexUpgrade: (name, table, column, where) => [
      sql`drop index if exists ${sql.id(name)}`,
      sql`create index ${sql.id(name)} on ${sql.table(table)} (${sqliteKey(sql.ref(column))})${where ? sql` where ${where}` : sql``}`,
    ],
    retireValueKeyIndex: (name) => [sql`drop index if exists ${sql.id(name)}`],
    keyOrderScan: (table, alias) => sql`${sql.table(table)} ${sql.id(alias)} not indexed`,
    idIn: (column, ids) => sql<SqlBool>`${column} in (${ids})`,
    uuidText: uuidTextOf,
    uuidBytesUpgrade: (table, column) => {
      const col = sql.ref(column);
      return [sql`update ${sql.table(table)} set ${col} = ${uuidBytes(col)}
        where typeof(${col}) = 'text' and length(${col}) = 36 and ${uuidBytes(col)} is not null`];
    },
    setBasedForeignKeys: () => [],
  },
  postgres: {
    name: 'postgres',
    bigint: 'bigint',
    id: (c) => c.primaryKey().generatedByDefaultAsIdentity(),
    ilike: (col, p) => sql<SqlBool>`${col} ilike ${p}`,
    lower: (expr) => sql<string>`lower(${expr})`,
    maxParams: 60_000,
    blob: 'bytea',
    // `in (subquery)` runs as a hashed subplan; `= any(array(subquery))` compared each row with every value in turn (1,000
    // values, restSearch 3b at 1M attributes: the statement 134 -> 97 ms)
    ciEquals: (column, values) => sql<SqlBool>`lower(${sql.ref(column)}) in (select lower(v.v) from unnest(${pgArrayLiteral(values, false)}::text[]) as v(v))`,
    ciLike: (column, pattern) => {
      const col = sql.ref(column);
      const prefix = likePrefix(pattern, CI_KEY_CHARS);
      if (prefix === '') return sql<SqlBool>`${col} ilike ${pattern}`;
      return sql<SqlBool>`(${pgKey(col)} like lower(${`${prefix}%`}::text) and ${col} ilike ${pattern})`;
    },
    ciIndex: (name, table, column, where) => sql`create index ${sql.id(name)} on ${sql.table(table)}
      (${pgKey(sql.ref(column))} text_pattern_ops)${where ? sql` where ${where}` : sql``}`,
    ciKeyIndexUpgrade: () => [],
    retireValueKeyIndex: () => [],
    keyOrderScan: (table, alias) => sql`${sql.table(table)} ${sql.id(alias)}`,
    idIn: (column, ids) => sql<SqlBool>`${column} = any(array(${ids}))`,
    uuidText: (column) => column,
    uuidBytesUpgrade: () => [],
    setBasedForeignKeys: pgSetBasedForeignKeys,
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
  /** PostgreSQL's array element type; `uuid`: text there, 16 bytes on SQLite (binary-uuids.ts). */
  readonly type: 'int4' | 'int8' | 'text' | 'uuid';
}

/** The bind expression of a column in SQLite's single-row insert. */
const sqliteBind = (c: BulkColumn): string => (c.type === 'uuid' ? uuidBytesSql('?') : '?');
/** The element type of a column's array in PostgreSQL's `unnest` insert. */
const pgArrayType = (c: BulkColumn): string => (c.type === 'uuid' ? 'text' : c.type);

const quoteId = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * SQLite bulk insert: one query whose single-row statement runs once per row (each-row-insert.ts), in input order.
 * The `returning` columns come back per row: `id` from SQLite, any other from the inserted values.
 */
async function sqliteEachRowInsert(db: Kysely<any>, table: string, columns: readonly BulkColumn[],
  rows: readonly (readonly unknown[])[], conflict: string, returning: readonly string[]): Promise<Record<string, unknown>[]> {
  const at = returning.map((name) => {
    const k = columns.findIndex((c) => c.name === name);
    if (k < 0 && name !== 'id') throw new Error(`bulk insert into ${table} cannot return ${name}: not an inserted column`);
    return k;
  });
  if (rows.length === 0) return [];
  const n = columns.length;
  const binds = columns.map(sqliteBind).join(', ');
  const text = eachRowText(n, `insert into ${quoteId(table)} (${columns.map((c) => quoteId(c.name)).join(', ')}) values (${binds})${conflict}`);
  const ids = (await db.executeQuery<number | null>(CompiledQuery.raw(text, rows as unknown[]))).rows;
  if (returning.length === 0) return [];
  const out = new Array<Record<string, unknown>>(ids.length);
  for (let r = 0; r < ids.length; r++) {
    const o: Record<string, unknown> = {};
    for (let j = 0; j < returning.length; j++) o[returning[j]!] = at[j]! >= 0 ? rows[r]![at[j]!] : ids[r];
    out[r] = o;
  }
  return out;
}

/**
 * PostgreSQL bulk statement: one array per column (`insert … select … from unnest(…) with ordinality … order by`), so
 * a statement carries as many parameters as there are columns (parsing a 60,000-parameter VALUES list costs
 * PostgreSQL more than twice as much), in chunks of 50,000 rows, rows in input order; `tail` follows the select
 * (`on conflict …`, `returning …`).
 */
async function pgUnnestInsert(db: Kysely<any>, table: string, columns: readonly BulkColumn[],
  rows: readonly (readonly unknown[])[], tail: RawBuilder<unknown>): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const cols = sql.join(columns.map((c) => sql.ref(c.name)));
  for (let k = 0; k < rows.length; k += 50_000) {
    const part = rows.slice(k, k + 50_000);
    const arrays = sql.join(columns.map((c, n) =>
      sql`${pgArrayLiteral(part.map((r) => r[n]), c.type === 'int4' || c.type === 'int8')}::${sql.raw(pgArrayType(c))}[]`));
    const res = await sql`insert into ${sql.table(table)} (${cols}) select ${cols} from unnest(${arrays})
      with ordinality as u(${cols}, ord) order by ord${tail}`.execute(db);
    for (const r of res.rows) out.push(r as Record<string, unknown>);
  }
  return out;
}

/**
 * Inserts many rows in as few statements as possible and returns the `returning` columns of every row in input
 * order: PostgreSQL through {@link pgUnnestInsert}, SQLite one prepared single-row insert per row
 * ({@link sqliteEachRowInsert}).
 */
export async function bulkInsert(d: Dialect, db: Kysely<any>, table: string, columns: readonly BulkColumn[],
  rows: readonly (readonly unknown[])[], returning: readonly string[] = []): Promise<Record<string, unknown>[]> {
  if (d.name === 'sqlite') return sqliteEachRowInsert(db, table, columns, rows, '', returning);
  return pgUnnestInsert(db, table, columns, rows,
    returning.length ? sql` returning ${sql.join(returning.map((r) => sql.ref(r)))}` : sql``);
}

/** Inserts many rows, skipping those that collide with a unique key (`on conflict do nothing`). */
export async function bulkInsertNew(d: Dialect, db: Kysely<any>, table: string, columns: readonly BulkColumn[],
  rows: readonly (readonly unknown[])[]): Promise<void> {
  if (d.name === 'sqlite') await sqliteEachRowInsert(db, table, columns, rows, ' on conflict do nothing', []);
  else await pgUnnestInsert(db, table, columns, rows, sql` on conflict do nothing`);
}

/**
 * Inserts the rows whose `unique` column holds a value not stored yet (`on conflict (unique) do nothing`): the id of
 * each row in input order, null for a row skipped. Lets a write rely on the unique index instead of looking every
 * value up first. A value sent in several rows is inserted from the first of them; the later ones are skipped.
 */
export async function bulkInsertOrSkip(d: Dialect, db: Kysely<any>, table: string, columns: readonly BulkColumn[],
  rows: readonly (readonly unknown[])[], unique: string): Promise<(number | null)[]> {
  const k = columns.findIndex((c) => c.name === unique);
  if (k < 0) throw new Error(`bulk insert into ${table} cannot skip on ${unique}: not an inserted column`);
  if (d.name === 'sqlite') {
    const out = await sqliteEachRowInsert(db, table, columns, rows, ` on conflict (${quoteId(unique)}) do nothing`, ['id']);
    return out.map((r) => (r.id === null ? null : Number(r.id)));
  }
  const returned = await pgUnnestInsert(db, table, columns, rows,
    sql` on conflict (${sql.ref(unique)}) do nothing returning id, ${sql.ref(unique)}`);
  const ids = new Map(returned.map((r) => [String(r[unique]), Number(r.id)]));
  // a value sent twice is inserted once, from its first row (the unnest keeps input order): the later rows were skipped
  return rows.map((row) => {
    const id = ids.get(String(row[k]));
    ids.delete(String(row[k]));
    return id ?? null;
  });
}

/**
 * Writes many rows by id (`columns` include `id`): a row whose id exists gets every other column from the row, a
 * new id is inserted. The batch form of an update for rows read, changed and saved back (event edits and syncs).
 */
export async function bulkUpsert(d: Dialect, db: Kysely<any>, table: string, columns: readonly BulkColumn[],
  rows: readonly (readonly unknown[])[]): Promise<void> {
  if (!columns.some((c) => c.name === 'id')) throw new Error(`bulk upsert into ${table} needs the id column`);
  const others = columns.filter((c) => c.name !== 'id').map((c) => c.name);
  if (d.name === 'sqlite') {
    const set = others.map((c) => `${quoteId(c)} = excluded.${quoteId(c)}`).join(', ');
    await sqliteEachRowInsert(db, table, columns, rows, ` on conflict ("id") do update set ${set}`, []);
  } else {
    await pgUnnestInsert(db, table, columns, rows,
      sql` on conflict (id) do update set ${sql.join(others.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`))}`);
  }
}

/**
 * A clustered table: SQLite keeps the rows inside the primary-key B-tree (`WITHOUT ROWID`), which saves the rowid
 * tree and one write per row for tables keyed by several integers; PostgreSQL keeps its heap and key index.
 */
export function clusteredTable<T extends string, C extends string>(d: Dialect, table: CreateTableBuilder<T, C>): CreateTableBuilder<T, C> {
  return d.name === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table;
}

/**
 * `column IN (…)` for a long list of strings as ONE bind parameter (see {@link intIn}): uuid lookups of a
 * 50,000-attribute event are one short statement per chunk instead of a 30,000-placeholder list.
 */
export function textIn(d: Dialect, column: RawBuilder<unknown>, values: readonly string[]): RawBuilder<SqlBool> {
  return d.name === 'sqlite'
    ? sql<SqlBool>`${column} in (select value from json_each(${JSON.stringify(values)}))`
    : sql<SqlBool>`${column} = any(${pgArrayLiteral(values, false)}::text[])`;
}

/**
 * `column = uuid` for a column SQLite stores as 16 bytes (binary-uuids.ts); the text column's equality on PostgreSQL.
 * A value that is no uuid matches nothing.
 */
export function uuidIs(d: Dialect, column: RawBuilder<unknown>, uuid: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${column} = ${d.name === 'sqlite' ? uuidBytes(uuid) : uuid}`;
}

/** {@link textIn} for a column SQLite stores as 16 bytes (binary-uuids.ts). */
export function uuidIn(d: Dialect, column: RawBuilder<unknown>, uuids: readonly string[]): RawBuilder<SqlBool> {
  return d.name === 'sqlite'
    ? sql<SqlBool>`${column} in (select ${uuidBytes(sql.ref('value'))} from json_each(${JSON.stringify(uuids)}))`
    : textIn(d, column, uuids);
}

/**
 * `column IN (…)` for a long list of integers as ONE bind parameter: SQLite reads a JSON array through
 * `json_each`, PostgreSQL an array through `= any`. The statement text stays constant whatever the list length,
 * so thousands of ids cost no query-building or parsing time.
 *
 * PostgreSQL gets an `int4[]` when every value fits one (ids), else an `int8[]` (53-bit key hashes). The element type
 * matters: against an `integer` column, `= any(int8[])` is a cross-type comparison PostgreSQL cannot hash, so where it
 * filters rather than drives an index scan it compares each row with the whole list. Deleting the correlation keys
 * of a 50,000-attribute event took 9 s that way, in 10,000-id chunks, against milliseconds with `int4[]`.
 */
export function intIn(d: Dialect, column: RawBuilder<unknown>, values: readonly number[]): RawBuilder<SqlBool> {
  return d.name === 'sqlite'
    ? sql<SqlBool>`${column} in (select value from json_each(${JSON.stringify(values)}))`
    : sql<SqlBool>`${column} = any(${pgArrayLiteral(values, true)}::${sql.raw(values.every(fitsInt4) ? 'int4' : 'int8')}[])`;
}

const fitsInt4 = (n: number): boolean => n >= -2_147_483_648 && n <= 2_147_483_647;

/** Empties a table: PostgreSQL's TRUNCATE frees the space at once (a DELETE leaves dead rows for VACUUM); SQLite has none. */
export function truncateTableSql(d: Dialect, table: string): RawBuilder<unknown> {
  return d.name === 'postgres' ? sql`truncate table ${sql.table(table)}` : sql`delete from ${sql.table(table)}`;
}
