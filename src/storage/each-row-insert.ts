/**
 * Bulk inserts on SQLite as one prepared single-row statement run once per row, inside one Kysely query.
 *
 * better-sqlite3 runs a prepared `insert … values (?, …)` per row faster than SQLite runs multi-row VALUES: SQLite
 * compiles a multi-row VALUES list into a co-routine that copies every row through registers, and the bind call
 * carries thousands of parameters. Measured on an `attributes` row with the schema's indexes (bench/README.md,
 * "Bulk inserts on SQLite"): ~16 µs per row for the single-row loop against ~28 µs in 200-row VALUES statements.
 * `returning` is slower still per row (~36 µs), so ids come from `lastInsertRowid`: rows go in one at a time, in
 * input order.
 *
 * The statement text starts with EACH_ROW_MARK and the row width (`/*rows:each:17*\/ insert …`); its parameters are
 * the rows themselves, each an array of `width` values (Kysely hands a raw query's parameters to the statement
 * untouched, so the rows are bound as they are, without being copied into one flat list first). The SQLite connection
 * wrapper in open-database.ts reads the mark and hands Kysely {@link eachRowStatement} instead of the prepared
 * statement; the query's "rows" are the id of each inserted row, or null for a row that `on conflict do nothing`
 * skipped: plain numbers, not an object per row.
 */
import type { Statement } from 'better-sqlite3';

export const EACH_ROW_MARK = '/*rows:each:';

/** The marked text of a single-row statement whose rows are `width` parameters wide. */
export function eachRowText(width: number, statement: string): string {
  return `${EACH_ROW_MARK}${width}*/ ${statement}`;
}

/** The row width of a marked text, or undefined when the text is not marked. */
export function eachRowWidth(text: string): number | undefined {
  if (!text.startsWith(EACH_ROW_MARK)) return undefined;
  const width = Number(text.slice(EACH_ROW_MARK.length, text.indexOf('*/')));
  return Number.isInteger(width) && width > 0 ? width : undefined;
}

/**
 * What Kysely's SQLite driver calls on a statement: a reader whose `all` runs `stmt` once per row of `rows` (better-sqlite3
 * binds an `undefined` value as NULL).
 */
export function eachRowStatement(stmt: Statement, width: number): { readonly reader: true; all(rows: readonly (readonly unknown[])[]): (number | null)[] } {
  return {
    reader: true,
    all(rows) {
      const out = new Array<number | null>(rows.length);
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r]!;
        if (row.length !== width) throw new Error(`each-row insert: row ${r} has ${row.length} values, not ${width}`);
        // spread: better-sqlite3 binds separate arguments ~0.5 µs per row faster than one array of them
        const info = stmt.run(...row);
        out[r] = info.changes > 0 ? Number(info.lastInsertRowid) : null;
      }
      return out;
    },
  };
}
