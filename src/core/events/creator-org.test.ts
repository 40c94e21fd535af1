import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestServer, testDialects, type TestServer } from '../../../test/support/test-server.js';
import { holdTransaction } from '../../../test/support/held-transaction.js';
import type { RequestContext } from '../context.js';
import type { OrgcInput } from '../misp-format/event-input.js';
import { creatorOrgId } from './creator-org.js';

/** A sync user's add naming an unknown Orgc captures it (spec §2.11, §6.4), also when two adds name it at once. */
for (const dialect of testDialects()) {
  describe(`${dialect}: creatorOrgId`, () => {
    let s: TestServer;
    const ctx = {
      actor: { user: { id: 1 }, org: { id: 1 }, role: { perms: { perm_sync: true } } }, now: 1_700_000_000,
    } as unknown as RequestContext;
    const orgc = (o: Partial<OrgcInput>): OrgcInput => ({ id: undefined, uuid: undefined, name: undefined, ...o });
    before(async () => { s = await startTestServer(dialect); });
    after(() => s.close());

    it('creates an unknown org once, finds it by uuid afterwards, and suffixes a name another uuid holds', async () => {
      const { storage } = s.container;
      const uuid = randomUUID();
      const id = await creatorOrgId(ctx, storage, orgc({ uuid, name: 'Captured Org' }));
      assert.equal((await storage.identity.findOrganisation({ id }))?.uuid, uuid);
      assert.equal(await creatorOrgId(ctx, storage, orgc({ uuid, name: 'Renamed elsewhere' })), id);
      const other = await creatorOrgId(ctx, storage, orgc({ uuid: randomUUID(), name: 'Captured Org' }));
      assert.notEqual(other, id);
      assert.match((await storage.identity.findOrganisation({ id: other }))?.name ?? '', /^Captured Org_[0-9a-f]{6}$/);
      assert.equal(await creatorOrgId(ctx, storage, orgc({ name: 'Captured Org' })), id, 'a name alone finds the org holding it');
    });

    it('gives two transactions capturing the same new org at once the same org', async () => {
      const { storage } = s.container;
      const pushed = orgc({ uuid: randomUUID(), name: 'Pushed in parallel' });
      const first = await holdTransaction(storage, (tx) => creatorOrgId(ctx, tx, pushed));
      const second = storage.transaction((tx) => creatorOrgId(ctx, tx, pushed));
      setTimeout(first.release, 50);
      const [a, b] = await Promise.all([first.committed, second]);
      assert.equal(b, a);
    });
  });
}
