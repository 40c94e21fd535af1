import { type Kysely, sql } from 'kysely';
import type { Database } from './db-schema.js';
import type { Dialect } from './dialect.js';

/**
 * Whether the database folds letters past ASCII ('Ä' to 'ä') as `foldCase` does (docs/adr/0013): a warning for the
 * operator when it does not. PostgreSQL's `lower()` and `ILIKE` follow the database's LC_CTYPE; a database created
 * under the C locale (a container with no LANG, say) folds ASCII only, and searches there would miss 'ärger.exe'
 * when asked for 'ÄRGER.EXE'. SQLite's connections always fold (`cairn_lower`), so only PostgreSQL is asked.
 */
export async function caseFoldingWarning(db: Kysely<Database>, dialect: Dialect): Promise<string | undefined> {
  if (dialect.name !== 'postgres') return undefined;
  const r = await sql<{ folds: boolean; ctype: string }>`select lower('Ä') = 'ä' as folds, datctype as ctype
    from pg_database where datname = current_database()`.execute(db);
  const row = r.rows[0];
  if (!row || row.folds) return undefined;
  return `This PostgreSQL database's LC_CTYPE is '${row.ctype}': lower() and ILIKE fold ASCII letters only, so searches `
    + 'ignore case for ASCII only. Create the database with a UTF-8 locale (for example '
    + "`create database cairn template template0 encoding 'UTF8' locale 'C.UTF-8'`).";
}
