import { after, before } from 'node:test';
import { migrateTo } from '../../src/storage/migrate.js';
import { openDatabase, type OpenedDatabase } from '../../src/storage/open-database.js';
import { freshDatabase, type FreshDatabase } from './cli-database.js';

/**
 * For a migration's upgrade test: a fresh database of `dialect` migrated up to and including `migration`, opened
 * before the enclosing describe()'s tests and closed and dropped after them. The test writes the rows the older
 * schema held, then migrates on. Call it inside describe(); the getter answers once `before` has run.
 */
export function databaseMigratedTo(dialect: string, migration: string): () => OpenedDatabase {
  let fresh: FreshDatabase | undefined;
  let opened: OpenedDatabase | undefined;
  before(async () => {
    fresh = await freshDatabase(dialect);
    opened = openDatabase(fresh.url);
    await migrateTo(opened.db, opened.dialect, migration);
  });
  after(async () => {
    await opened?.close();
    await fresh?.drop();
  });
  return () => opened!;
}
