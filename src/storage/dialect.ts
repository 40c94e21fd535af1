import { sql, type ColumnDefinitionBuilder, type Expression, type RawBuilder, type SqlBool } from 'kysely';

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
}

export const dialects: Record<DialectName, Dialect> = {
  sqlite: {
    name: 'sqlite',
    bigint: 'integer',
    id: (c) => c.primaryKey().autoIncrement(),
    ilike: (col, p) => sql<SqlBool>`${col} like ${p}`,
    maxParams: 32_000,
  },
  postgres: {
    name: 'postgres',
    bigint: 'bigint',
    id: (c) => c.primaryKey().generatedByDefaultAsIdentity(),
    ilike: (col, p) => sql<SqlBool>`${col} ilike ${p}`,
    maxParams: 60_000,
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
