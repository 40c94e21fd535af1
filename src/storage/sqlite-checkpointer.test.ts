import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from './open-database.js';

/**
 * The checkpointer (sqlite-checkpointer.ts) copies committed WAL pages into the database file by itself: the writer's
 * automatic checkpoint only starts past ~160 MB of WAL, so a few MB written and committed reach the database file
 * only through the worker, also after it has backed off while idle. Closing the database stops the worker, so nothing
 * keeps the process alive.
 */
describe('sqlite: WAL checkpoints beside the writer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-checkpoint-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('moves committed pages into the database file without a checkpoint from the writer', async () => {
    const path = join(dir, 'cairn.db');
    const { db, close } = openDatabase(`sqlite:${path}`);
    try {
      await sql`create table probe (id integer primary key, body text not null)`.execute(db);
      const before = statSync(path).size;
      await sql`with recursive n(k) as (select 1 union all select k + 1 from n where k < 2000)
        insert into probe (body) select hex(randomblob(1000)) from n`.execute(db);
      const walBytes = statSync(`${path}-wal`).size;
      assert.ok(walBytes > 3_000_000, `the commit is in the WAL (${walBytes} bytes)`);
      let size = statSync(path).size;
      for (let waited = 0; size < before + 3_000_000 && waited < 10_000; waited += 50) {
        await new Promise((r) => setTimeout(r, 50));
        size = statSync(path).size;
      }
      assert.ok(size >= before + 3_000_000, `the database file grew from ${before} to ${size} bytes`);
      const { rows } = await sql<{ n: number }>`select count(*) as n from probe`.execute(db);
      assert.equal(Number(rows[0]!.n), 2000);

      // after a quiet spell the worker polls less often, and still copies the next commit
      await new Promise((r) => setTimeout(r, 2500));
      const quiet = statSync(path).size;
      await sql`with recursive n(k) as (select 1 union all select k + 1 from n where k < 2000)
        insert into probe (body) select hex(randomblob(1000)) from n`.execute(db);
      for (let waited = 0; size < quiet + 3_000_000 && waited < 10_000; waited += 50) {
        await new Promise((r) => setTimeout(r, 50));
        size = statSync(path).size;
      }
      assert.ok(size >= quiet + 3_000_000, `the database file grew from ${quiet} to ${size} bytes after the quiet spell`);
    } finally {
      await close();
    }
  });
});
