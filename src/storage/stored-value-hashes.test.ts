import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { correlatedTransaction } from '../core/correlation/correlated-transaction.js';
import type { Storage } from '../core/ports/stores.js';
import { settingsFrom } from '../core/settings/settings.js';
import { createStorage } from './create-storage.js';

/**
 * Correlation skips the hash probe for values no committed attribute holds (stored-value-hashes.ts). The set must
 * never miss a stored value: not one this connection committed, nor one another connection (another process on the
 * same file) committed after the set was read.
 */
describe('sqlite: committed value hashes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-hashes-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const ctx = { settings: settingsFrom(new Map()), now: 1_700_000_000 };

  /** A new event with one ip-dst attribute of `value`, written through the correlation hook; the attribute's id. */
  const add = (storage: Storage, value: string, commit = true) => correlatedTransaction(ctx, storage, async (tx) => {
    const [eventId] = await tx.eventWrites.insertNewEvents([{
      uuid: randomUUID(), orgId: 1, orgcId: 1, userId: 1, date: '2024-01-01', info: value, threatLevelId: 1, analysis: 0,
      published: false, publishTimestamp: 0, timestamp: 1, distribution: 1, sharingGroupId: 0, locked: false,
      disableCorrelation: false, extendsUuid: '', protected: null,
    }]);
    const [id] = await tx.eventWrites.insertAttributes([{
      uuid: randomUUID(), eventId: eventId!, objectId: 0, objectRelation: null, category: 'Network activity', type: 'ip-dst',
      value1: value, value2: '', toIds: true, timestamp: 1, distribution: 5, sharingGroupId: 0, comment: '', deleted: false,
      disableCorrelation: false, firstSeen: null, lastSeen: null,
    }]);
    if (!commit) throw new Error('rolled back');
    return id!;
  });

  /** Waits until the set is read: a hash nothing holds is then no candidate. */
  const setRead = async (storage: Storage) => {
    for (let i = 0; i < 500; i++) {
      if ((await storage.correlations.possiblyStored([123_456_789])).length === 0) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.fail('the set of stored value hashes was never read');
  };

  it('never skips a value stored before, by this connection or another one', async () => {
    const url = `sqlite:${join(dir, 'cairn.db')}`;
    const mine = await createStorage(url);
    const other = await createStorage(url);
    try {
      const pairs = async () => new Set((await mine.db.selectFrom('correlations').select(['attribute_id', '1_attribute_id']).execute())
        .map((r) => `${r.attribute_id}-${r['1_attribute_id']}`));

      await add(mine, '192.0.2.1'); // the set is read from the table after this, in the background
      await setRead(mine);
      const first = await add(mine, '198.51.100.7');
      const again = await add(mine, '198.51.100.7');
      assert.ok((await pairs()).has(`${again}-${first}`), 'a value this connection committed earlier');

      await assert.rejects(add(mine, '198.51.100.8', false), /rolled back/);
      const afterRollback = await add(mine, '198.51.100.8');
      assert.equal([...await pairs()].filter((p) => p.startsWith(`${afterRollback}-`)).length, 0, 'a rolled back row holds nothing');

      await setRead(mine);
      const theirs = await add(other, '203.0.113.8');
      const ours = await add(mine, '203.0.113.8');
      assert.ok((await pairs()).has(`${ours}-${theirs}`), 'a value another connection committed after the set was read');
    } finally {
      await other.close();
      await mine.close();
    }
  });
});
