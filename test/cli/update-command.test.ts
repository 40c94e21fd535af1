import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_DATA_PACKS } from '../../src/app/config.js';
import { createStorage } from '../../src/storage/create-storage.js';
import { cairn, freshDatabase } from '../support/cli-database.js';
import { testDialects } from '../support/test-server.js';

/**
 * `npm run cairn -- update <kind>` as an operator runs it: a child process on a fresh database and a small data
 * pack holding one item of every kind (plus one broken object template), checked through the storage afterwards.
 */

const SOURCE = process.env.CAIRN_DATA_PACKS ?? DEFAULT_DATA_PACKS;

function tinyPack(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-packs-'));
  for (const linked of ['pymisp', 'decaying-models', 'metadata']) symlinkSync(join(SOURCE, linked), join(dir, linked));
  cpSync(join(SOURCE, 'taxonomies', 'tlp'), join(dir, 'taxonomies', 'tlp'), { recursive: true });
  cpSync(join(SOURCE, 'warninglists', 'lists', 'google'), join(dir, 'warninglists', 'lists', 'google'), { recursive: true });
  cpSync(join(SOURCE, 'noticelists', 'lists', 'gdpr'), join(dir, 'noticelists', 'lists', 'gdpr'), { recursive: true });
  cpSync(join(SOURCE, 'objects', 'objects', 'domain-ip'), join(dir, 'objects', 'objects', 'domain-ip'), { recursive: true });
  mkdirSync(join(dir, 'objects', 'objects', 'broken'), { recursive: true });
  writeFileSync(join(dir, 'objects', 'objects', 'broken', 'definition.json'), '{"name": ');
  for (const sub of ['galaxies', 'clusters']) {
    mkdirSync(join(dir, 'galaxy', sub), { recursive: true });
    copyFileSync(join(SOURCE, 'galaxy', sub, 'cert-eu-govsector.json'), join(dir, 'galaxy', sub, 'cert-eu-govsector.json'));
  }
  return dir;
}

for (const dialect of testDialects()) {
  describe(`${dialect}: cairn update`, () => {
    let packs: string;
    let db: { url: string; drop: () => Promise<void> };
    let env: Record<string, string>;

    before(async () => {
      packs = tinyPack();
      db = await freshDatabase(dialect);
      env = { CAIRN_DATABASE_URL: db.url, CAIRN_DATA_PACKS: packs };
    });
    after(async () => {
      await db.drop();
      rmSync(packs, { recursive: true, force: true });
    });

    it('imports every kind with progress lines and names the skipped file', async () => {
      const r = cairn(['update', 'all'], env);
      assert.equal(r.status, 0, r.stderr);
      for (const kind of ['taxonomies', 'warninglists', 'noticelists', 'objectTemplates', 'galaxies', 'decaying', 'feeds']) {
        assert.match(r.stdout, new RegExp(`^  ${kind}: reading `, 'm'), `${kind} progress`);
        assert.match(r.stdout, new RegExp(`^${kind}: .* \\(\\d+ ms`, 'm'), `${kind} summary`);
      }
      assert.match(r.stdout, /^taxonomies: Successfully updated 1 taxonomy libraries\./m);
      assert.match(r.stdout, /^objectTemplates: Successfully updated 1 object templates\. .*1 skipped\)$/m);
      assert.match(r.stdout, /^ {2}objectTemplates: skipped .*broken\/definition\.json/m);
      assert.match(r.stdout, /^decaying: Default decaying models updated \(3 added/m);
      const storage = await createStorage(db.url);
      try {
        assert.equal((await storage.taxonomies.list()).length, 1);
        assert.equal((await storage.objectTemplates.list({ active: true })).map((t) => t.name).join(), 'domain-ip');
        assert.equal((await storage.decayingModels.list()).length, 3);
        assert.ok((await storage.feeds.urls()).size > 50);
        assert.equal((await storage.galaxies.listGalaxies()).length, 1);
      } finally {
        await storage.close();
      }
    });

    it('changes nothing the second time and accepts the kinds under their other spellings', () => {
      const r = cairn(['update', 'object-templates'], env);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^objectTemplates: All object templates are up to date already\./m);
      const d = cairn(['update', 'decaying-models'], env);
      assert.match(d.stdout, /^decaying: Default decaying models updated \(0 added, 0 updated, 3 unchanged\)/m);
      const t = cairn(['update', 'taxonomies'], env);
      assert.match(t.stdout, /^taxonomies: All taxonomy libraries are up to date already\./m);
    });

    it('refuses an unknown kind with the list of kinds', () => {
      const r = cairn(['update', 'nonsense'], env);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /Unknown knowledge pack "nonsense"\. Kinds: taxonomies, warninglists, noticelists, objectTemplates, galaxies, decaying, feeds, all/);
    });
  });
}
