import type { MigrationProgress } from '../storage/migrate.js';

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
