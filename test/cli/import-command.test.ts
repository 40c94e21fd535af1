import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { DEFAULT_DATA_PACKS } from '../../src/app/config.js';
import { runCorrelationRebuild } from '../../src/core/correlation/correlation-rebuild.js';
import { createSettingsService } from '../../src/core/settings/settings-service.js';
import { createStorage } from '../../src/storage/create-storage.js';
import { cairn, freshDatabase } from '../support/cli-database.js';
import { testDialects } from '../support/test-server.js';

/**
 * `npm run cairn -- import …` as an operator runs it: a child process on a fresh database, importing a folder laid
 * out like a downloaded MISP feed (the digitalside feed of the data packs, with its manifest and a hashes.csv), a
 * restSearch answer and a JSON-lines file, in groups small enough that the import spans several transactions.
 * Checked through the storage afterwards, down to the correlations, which must equal a full rebuild's.
 */

const FEED = join(process.env.CAIRN_DATA_PACKS ?? DEFAULT_DATA_PACKS, 'feeds', 'digitalside');
const FEED_EVENTS = 30;
const CORRELATING = new Set(['md5', 'sha1', 'sha256', 'domain', 'hostname', 'url', 'ip-dst', 'ip-src', 'filename']);

type Json = Record<string, any>;

function importFolder(): { dir: string; first: Json; shared: Json; newUuid: string; nameless: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-import-'));
  const files = readdirSync(FEED).filter((f) => /^[0-9a-f-]{36}\.json$/.test(f)).sort().slice(0, FEED_EVENTS);
  for (const f of [...files, 'manifest.json']) copyFileSync(join(FEED, f), join(dir, f));
  writeFileSync(join(dir, 'hashes.csv'), 'd41d8cd98f00b204e9800998ecf8427e,00000000-0000-4000-8000-000000000000\n');
  const first = JSON.parse(readFileSync(join(FEED, files[0]!), 'utf8')) as Json;
  const shared = (first.Event.Attribute as Json[]).find((a) => CORRELATING.has(a.type))!;
  const nameless = randomUUID();
  // a restSearch answer: an event without info (refused as events/add refuses it) and one the folder holds already
  writeFileSync(join(dir, 'answer.json'), JSON.stringify({ response: [
    { Event: { uuid: nameless, Attribute: [{ type: 'domain', category: 'Network activity', value: 'nameless.example' }] } },
    first,
  ] }));
  // JSON lines: a new event carrying a value of the first feed event, a broken line and an empty one
  const newUuid = randomUUID();
  writeFileSync(join(dir, 'more.jsonl'), [
    JSON.stringify({ Event: { uuid: newUuid, info: 'imported from JSON lines', Attribute: [
      { type: shared.type, category: shared.category, value: shared.value },
      { type: 'comment', category: 'Other', value: 'no correlation' },
    ] } }),
    '{"Event": {',
    '',
  ].join('\n'));
  return { dir, first, shared, newUuid, nameless };
}

for (const dialect of testDialects()) {
  describe(`${dialect}: cairn import`, () => {
    let folder: ReturnType<typeof importFolder>;
    let db: { url: string; drop: () => Promise<void> };
    let env: Record<string, string>;

    before(async () => {
      folder = importFolder();
      db = await freshDatabase(dialect);
      env = { CAIRN_DATABASE_URL: db.url };
    });
    after(async () => {
      await db.drop();
      rmSync(folder.dir, { recursive: true, force: true });
    });

    it('adds a feed folder, a restSearch answer and JSON lines in group commits, reporting what it did not add', async () => {
      const r = cairn(['import', folder.dir, '--group', '100'], env);
      assert.equal(r.status, 1, `refused and unreadable input fail the command\n${r.stdout}\n${r.stderr}`);
      const groups = r.stdout.split('\n').filter((l) => /^ {2}\d+ events read, \d+ added/.test(l));
      assert.ok(groups.length > 3, `one progress line per committed group:\n${r.stdout}`);
      assert.match(r.stdout, new RegExp(`^refused: .*answer\\.json\\[0\\] \\(${folder.nameless}\\): Could not add Event`, 'm'));
      assert.match(r.stdout, /^unreadable: .*more\.jsonl:2: not JSON/m);
      assert.match(r.stdout, new RegExp(`^events: ${FEED_EVENTS + 3} read, ${FEED_EVENTS + 1} added \\(\\d+ attributes\\), 0 updated, 1 already present, 1 refused, 1 unreadable$`, 'm'));

      const storage = await createStorage(db.url);
      try {
        const events = await storage.db.selectFrom('events').select(['id', 'uuid', 'orgc_id', 'info']).execute();
        assert.equal(events.length, FEED_EVENTS + 1);
        const byUuid = new Map(events.map((e) => [e.uuid, e]));
        const firstRow = byUuid.get(folder.first.Event.uuid)!;
        assert.equal(firstRow.info, folder.first.Event.info);
        // the admin's role may sync, so the creator organisation comes from the file, as events/add keeps it
        const orgc = await storage.identity.findOrganisation({ id: firstRow.orgc_id });
        assert.equal(orgc?.uuid, folder.first.Event.Orgc.uuid);
        const added = byUuid.get(folder.newUuid)!;
        const stored = await storage.db.selectFrom('attributes').select(['id', 'event_id']).where('event_id', 'in', [added.id, firstRow.id]).execute();
        assert.equal(stored.filter((a) => a.event_id === added.id).length, 2);
        // the JSON-lines event correlates with the feed event that carries the same value
        const linked = await sql<{ n: number }>`select count(*) as n from correlations where event_id = ${added.id} and ${sql.ref('1_event_id')} = ${firstRow.id}`.execute(storage.db);
        assert.ok(Number(linked.rows[0]!.n) >= 1, `${folder.shared.type} ${folder.shared.value} correlates`);
        // what the group commits linked is what a full rebuild links
        const count = async () => Number((await sql<{ n: number }>`select count(*) as n from correlations`.execute(storage.db)).rows[0]!.n);
        const imported = await count();
        assert.ok(imported > 0);
        const settings = createSettingsService(storage.settings);
        await settings.reload();
        const job = await storage.correlations.createJob(Math.floor(Date.now() / 1000));
        await runCorrelationRebuild({ settings: settings.current() }, storage, job.id);
        assert.equal(await count(), imported);
      } finally {
        await storage.close();
      }
    });

    it('leaves every event in place the second time', () => {
      const r = cairn(['import', folder.dir], env);
      assert.match(r.stdout, new RegExp(`^events: ${FEED_EVENTS + 3} read, 0 added \\(0 attributes\\), 0 updated, ${FEED_EVENTS + 2} already present, 1 refused, 1 unreadable$`, 'm'));
    });

    it('edits a stored event in with --update only when the file is newer', async () => {
      const file = join(folder.dir, 'newer.jsonl');
      const body = (timestamp: number) => JSON.stringify({ Event: {
        uuid: folder.newUuid, info: 'imported from JSON lines, edited', timestamp: String(timestamp), Attribute: [
          { type: 'domain', category: 'Network activity', value: 'added-by-update.example' },
        ],
      } });
      const summary = (updated: number, present: number) => new RegExp(`^events: 1 read, 0 added \\(0 attributes\\), ${updated} updated, ${present} already present, 0 refused, 0 unreadable$`, 'm');
      writeFileSync(file, body(2_000_000_000));
      assert.match(cairn(['import', file], env).stdout, summary(0, 1), 'without --update');
      const r = cairn(['import', file, '--update'], env);
      assert.equal(r.status, 0, r.stdout);
      assert.match(r.stdout, summary(1, 0));
      assert.match(cairn(['import', file, '--update'], env).stdout, summary(0, 1), 'the same timestamp again');
      const storage = await createStorage(db.url);
      try {
        const event = (await storage.eventWrites.findEvent({ uuid: folder.newUuid }))!;
        assert.equal(event.info, 'imported from JSON lines, edited');
        const values = await storage.db.selectFrom('attributes').select('value1').where('event_id', '=', event.id).execute();
        assert.ok(values.some((v) => v.value1 === 'added-by-update.example'));
        assert.equal(values.length, 3, 'events/edit adds to the attributes it keeps');
      } finally {
        await storage.close();
      }
    });

    it('refuses an unknown user, a bad group size and a missing path before writing', () => {
      const user = cairn(['import', folder.dir, '--user', 'nobody@example.test'], env);
      assert.equal(user.status, 1);
      assert.match(user.stderr, /cairn import: no user "nobody@example\.test"/);
      const group = cairn(['import', folder.dir, '--group', '0'], env);
      assert.match(group.stderr, /--group must be a positive number of attributes/);
      const none = cairn(['import'], env);
      assert.match(none.stderr, /name at least one file or folder/);
    });
  });
}
