import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { printMigrationProgress } from './storage-options.js';

describe('migration progress lines', () => {
  it('prints at most one line per interval, and always the last one', () => {
    const lines: string[] = [];
    let clock = 0;
    const progress = printMigrationProgress((l) => lines.push(l), 2000, () => clock);
    progress('0024-value-hashes', 5000, 1_200_000);
    clock = 500;
    progress('0024-value-hashes', 10_000, 1_200_000); // within the interval: not printed
    clock = 2600;
    progress('0024-value-hashes', 600_000, 1_200_000);
    clock = 2700;
    progress('0024-value-hashes', 1_200_000, 1_200_000); // the end is printed whatever the interval
    assert.deepEqual(lines, [
      'migration 0024-value-hashes: 5,000 of 1,200,000 rows (0 %)',
      'migration 0024-value-hashes: 600,000 of 1,200,000 rows (50 %)',
      'migration 0024-value-hashes: 1,200,000 of 1,200,000 rows (100 %)',
    ]);
  });
});
