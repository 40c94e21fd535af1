import { sql, type ColumnDefinitionBuilder, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';

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
}

export const dialects: Record<DialectName, Dialect> = {
  sqlite: {
    name: 'sqlite',
    bigint: 'integer',
    id: (c) => c.primaryKey().autoIncrement(),
    ilike: (col, p) => sql<SqlBool>`${col} like ${p}`,
    maxParams: 32_000,
    blob: 'blob',
  },
  postgres: {
    name: 'postgres',
    bigint: 'bigint',
    id: (c) => c.primaryKey().generatedByDefaultAsIdentity(),
    ilike: (col, p) => sql<SqlBool>`${col} ilike ${p}`,
    maxParams: 60_000,
    blob: 'bytea',
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
