import type { StorageOptions } from '../storage/create-storage.js';
import type { MigrationProgress } from '../storage/migrate.js';
import type { Config } from './config.js';

/**
 * The options every entry point (server, `cairn update`, `cairn cache-feeds`) opens the database with: the configured
 * SQLite cache and, unless logging is off, migration progress on stderr.
 */
export function storageOptions(config: Pick<Config, 'sqliteCacheMB' | 'logLevel'>): StorageOptions {
  return {
    sqliteCacheMB: config.sqliteCacheMB,
    ...(config.logLevel === 'silent' ? {} : { migrationProgress: printMigrationProgress((line) => process.stderr.write(`${line}\n`)) }),
  };
}

/**
 * Prints how far a long migration has got (the first start after an upgrade rewrites existing rows), at most one
 * line per `everyMs` and always the last one: `migration 0024-value-hashes: 400,000 of 1,000,000 rows (40 %)`.
 */
export function printMigrationProgress(write: (line: string) => void, everyMs = 2000, now: () => number = Date.now): MigrationProgress {
  let last = Number.NEGATIVE_INFINITY;
  return (name, done, total) => {
    const t = now();
    if (done < total && t - last < everyMs) return;
    last = t;
    const percent = total > 0 ? Math.floor((100 * done) / total) : 100;
    write(`migration ${name}: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows (${percent} %)`);
  };
}
