import { type Kysely, type RawBuilder, sql } from 'kysely';

/**
 * Array rows for the hot read paths (search pages, exports, tag lists). better-sqlite3 builds each result row as an
 * object one property at a time, which costs ~0.2 µs per column: 5.6 µs for an `events` row whose data SQLite read
 * in 0.3 µs, and most of a 10,000-attribute search page (measured at 1M attributes). Rows as arrays skip that, and a
 * codec below turns them into row objects of a fixed shape (a plain literal, cheap for V8) for the usual
 * `*FromRow` mappers. pg's `rowMode: 'array'` does the same on PostgreSQL.
 *
 * A statement asks for arrays by starting with ARRAY_ROWS_MARK (a comment, so the SQL is unchanged); the
 * connection wrappers in open-database.ts read the mark. Use `arrayRows` rather than the mark itself.
 */
export const ARRAY_ROWS_MARK = '/*rows:array*/';

export type ArrayRow = readonly unknown[];

/** Runs `query` and returns its rows as arrays of the selected columns, in select order. */
export async function arrayRows(db: Kysely<any>, query: RawBuilder<unknown>): Promise<ArrayRow[]> {
  const r = await sql`${sql.raw(ARRAY_ROWS_MARK)} ${query}`.execute(db);
  return r.rows as unknown as ArrayRow[];
}

/** The columns of one table as a select list, and the mapping back from an array row. */
export interface RowCodec<R> {
  readonly width: number;
  /** `alias.col1, alias.col2, …` in codec order; `expressions` replaces a column by an expression over it. */
  select(alias: string,
    expressions?: Readonly<Record<string, (column: RawBuilder<unknown>) => RawBuilder<unknown>>>): RawBuilder<unknown>;
  /** The row object of the columns starting at `at` in `r`. */
  fromArray(r: ArrayRow, at?: number): R;
}

/**
 * A codec for `columns`. The mapper is generated once per codec as one object literal (`{id: r[at], uuid:
 * r[at + 1], …}`) so every row gets the same hidden class; the column names are this file's own constants, never
 * input.
 */
export function rowCodec<R>(columns: readonly (keyof R & string)[]): RowCodec<R> {
  const body = `return {${columns.map((c, k) => `${JSON.stringify(c)}: r[at + ${k}]`).join(', ')}};`;
  const map = new Function('r', 'at', body) as (r: ArrayRow, at: number) => R;
  return {
    width: columns.length,
    select: (alias, expressions = {}) => sql.join(columns.map((c) => {
      const ref = sql.ref(`${alias}.${c}`);
      const f = expressions[c];
      return f ? sql`${f(ref)} as ${sql.id(c)}` : ref;
    })),
    fromArray: (r, at = 0) => map(r, at),
  };
}
