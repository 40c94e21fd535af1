import type { Statement } from 'better-sqlite3';
import { type RawBuilder, sql } from 'kysely';

/**
 * Uuids SQLite stores as 16 bytes instead of 36 characters (migration 0022, ADR 0009): `attributes.uuid`, the column
 * with one value per attribute and a unique index of its own. The row is 20 bytes shorter and the index entries
 * 20 bytes shorter, about 45 bytes per attribute once the B-tree's free space is counted, and every insert compares
 * 16-byte keys. PostgreSQL keeps the text column.
 *
 * The rest of Cairn sees uuid strings:
 * - writes and filters convert in SQL: `bulkInsert` columns of type `uuid` and `uuidIs` / `uuidIn` (dialect.ts);
 * - the attribute reads (`attributeColumns` of event-write-rows.ts) select the text, formatted in SQL
 *   ({@link uuidTextOf});
 * - any other read converts in the SQLite connection wrapper (open-database.ts): a prepared statement whose result
 *   columns come from a binary uuid column (SQLite reports a column's origin table and column, through aliases, subqueries
 *   and CTEs) returns them formatted. An expression over the column (`coalesce(a.uuid, …)`) has no origin and would
 *   return bytes: select the column itself.
 *
 * A write path that forgot the conversion would store text that no lookup finds; every test server checks on close
 * that none was written (test/support/test-server.ts). A trigger refusing text did the same in production but cost
 * ~4 µs per inserted row, a fifth of the insert.
 */
export const BINARY_UUID_COLUMNS: readonly { readonly table: string; readonly column: string }[] = [{ table: 'attributes', column: 'uuid' }];

/** SQL turning a uuid text (either case; anything else gives NULL) into its 16 bytes, around the SQL `text`. */
export const uuidBytesSql = (text: string): string => `unhex(replace(${text}, '-', ''))`;
const [BYTES_BEFORE, BYTES_AFTER] = uuidBytesSql('\0').split('\0') as [string, string];
/** {@link uuidBytesSql} around a bound value or an SQL expression. */
export const uuidBytes = (value: string | RawBuilder<unknown>): RawBuilder<unknown> =>
  sql`${sql.raw(BYTES_BEFORE)}${value}${sql.raw(BYTES_AFTER)}`;

/**
 * SQL giving the canonical text of a binary uuid column (a value stored as text, not a uuid, as it is). A select list
 * that formats the column in SQL hands JavaScript one flat string per row: better-sqlite3 would otherwise allocate a
 * Buffer per row for the bytes, then formatted here; measured on a 10,000-row restSearch page, 29 ms against 35–53 ms.
 */
export function uuidTextOf(column: RawBuilder<unknown>): RawBuilder<unknown> {
  const part = (from: number, length?: number) => (length
    ? sql`substr(hex(${column}), ${sql.lit(from)}, ${sql.lit(length)})`
    : sql`substr(hex(${column}), ${sql.lit(from)})`);
  return sql`case when typeof(${column}) = 'blob' then lower(${part(1, 8)} || '-' || ${part(9, 4)} || '-' || ${part(13, 4)} || '-' || ${part(17, 4)}
    || '-' || ${part(21)}) else ${column} end`;
}

/** The canonical lower-case text of 16 uuid bytes. */
export function uuidText(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const isBinaryUuid = (c: { table: string | null; column: string | null }): boolean =>
  BINARY_UUID_COLUMNS.some((b) => b.table === c.table && b.column === c.column);

const asText = (v: unknown): unknown => (v instanceof Uint8Array ? uuidText(v) : v);

/**
 * `stmt` as Kysely's SQLite driver uses it (`reader`, `all`, `run`), with the binary uuid columns of its result
 * formatted; `stmt` itself when it returns none. `raw`: the statement returns arrays (array-rows.ts).
 */
export function withUuidText(stmt: Statement, raw: boolean): Statement {
  if (!stmt.reader) return stmt;
  const columns = stmt.columns();
  const at = columns.flatMap((c, k) => (isBinaryUuid(c) ? [k] : []));
  if (at.length === 0) return stmt;
  const names = at.map((k) => columns[k]!.name);
  const convert = raw
    ? (row: unknown[]) => { for (const k of at) row[k] = asText(row[k]); }
    : (row: Record<string, unknown>) => { for (const n of names) row[n] = asText(row[n]); };
  return {
    reader: true,
    get busy() { return stmt.busy; },
    all(...params: unknown[]) {
      const rows = stmt.all(...params) as never[];
      for (const row of rows) convert(row);
      return rows;
    },
    run: (...params: unknown[]) => stmt.run(...params),
  } as unknown as Statement;
}
