import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestServer, testDialects, type TestServer } from '../../../test/support/test-server.js';
import { correlatedTransaction } from '../../core/correlation/correlated-transaction.js';
import { exclusionMatcher } from '../../core/correlation/correlation-exclusions.js';
import { correlationKeys, keyHash } from '../../core/correlation/correlation-keys.js';
import { runCorrelationRebuild } from '../../core/correlation/correlation-rebuild.js';
import type { Attribute } from '../../core/model/event.js';
import type { NewAttribute } from '../../core/ports/event-write-store.js';
import { settingsFrom } from '../../core/settings/settings.js';

/**
 * Contract of the correlation engine on both databases: after any sequence of writes, the stored rows are exactly
 * the ones a brute-force model computes from the live attributes (every pair of eligible attributes of different
 * events sharing a non-excluded key, unless more than limit + 1 attributes carry it), and a full rebuild yields
 * the same rows. Random writes, fixed seed.
 */

function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LIMIT = 3;
/** ~100 values, case variants and excluded ones among them: groups of every size around the limit. */
const VALUES = [
  ...Array.from({ length: 40 }, (_, i) => `198.51.100.${i}`), ...Array.from({ length: 20 }, (_, i) => `Host${i}.Example`),
  ...Array.from({ length: 20 }, (_, i) => `host${i}.example`), ...Array.from({ length: 15 }, (_, i) => `file${i}.exe`),
  'x.sinkhole.test', 'y.sinkhole.test',
];
const TYPES = ['ip-dst', 'ip-src', 'domain', 'text', 'filename|md5', 'ip-dst|port', 'comment'] as const;

type Row = { e: number; a: number; t: number; v: number; te: number; to: number; org: number; d: number; sg: number; od: number; osg: number; ed: number; esg: number };
const key = (r: Row) => `${r.e}/${r.a}>${r.t}@${r.v}|${r.te},${r.to},${r.org},${r.d},${r.sg},${r.od},${r.osg},${r.ed},${r.esg}`;

for (const dialect of testDialects()) {
  describe(`${dialect}: correlation engine contract`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(dialect);
    });
    after(() => s.close());

    it('keeps exactly the model rows through random adds, edits, deletes and event changes, and a rebuild agrees', async () => {
      const storage = s.container.storage;
      const db = storage.db;
      const rnd = prng(20240601);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
      const ctx = { settings: settingsFrom(new Map<string, unknown>([['MISP.correlation_limit', LIMIT]])), now: 1_700_000_000 };
      const events: number[] = [];
      const newAttribute = (eventId: number): NewAttribute => {
        const type = pick(TYPES);
        const composite = type.includes('|');
        return {
          uuid: randomUUID(), eventId, objectId: 0, objectRelation: null, category: 'Other', type,
          value1: pick(VALUES), value2: composite ? (type === 'ip-dst|port' ? pick(['80', '443']) : pick(VALUES)) : '',
          toIds: false, timestamp: 1, distribution: pick([0, 1, 5, 5, 5]), sharingGroupId: 0, comment: '', deleted: false,
          disableCorrelation: rnd() < 0.1, firstSeen: null, lastSeen: null,
        };
      };
      const liveAttributes = async (): Promise<Attribute[]> => {
        const rows = await db.selectFrom('attributes').select('id').execute();
        return (await Promise.all(rows.map((r) => storage.eventWrites.findAttribute({ id: r.id })))).filter((a): a is Attribute => !!a);
      };

      await storage.correlations.insertExclusion({ value: '%.sinkhole.test', comment: '', fromJson: false });
      for (let step = 0; step < 300; step++) {
        const op = rnd();
        // read outside the transaction: SQLite's single connection is held by it
        const all = await liveAttributes();
        await correlatedTransaction(ctx, storage, async (tx) => {
          const w = tx.eventWrites;
          if (op < 0.35 || events.length < 3) {
            const [id] = await w.insertNewEvents([{
              uuid: randomUUID(), orgId: pick([1, 2]), orgcId: 1, userId: 1, date: '2024-01-01', info: `e${step}`, threatLevelId: 1,
              analysis: 0, published: false, publishTimestamp: 0, timestamp: 1, distribution: pick([0, 1, 3]), sharingGroupId: 0,
              locked: false, disableCorrelation: rnd() < 0.05, extendsUuid: '', protected: null,
            }]);
            events.push(id!);
            await w.insertAttributes(Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => newAttribute(id!)));
            return;
          }
          const a = all.length > 0 ? pick(all) : undefined;
          if (op < 0.5 && a) await w.saveAttributes([{ ...a, value1: pick(VALUES), disableCorrelation: rnd() < 0.2 }]);
          else if (op < 0.6 && a) await w.saveAttributes([{ ...a, deleted: !a.deleted }]);
          else if (op < 0.7 && a) await w.deleteAttribute(a.id);
          else if (op < 0.78) await w.updateEvent(pick(events), { distribution: pick([0, 1, 2, 3]) });
          else if (op < 0.84) await w.updateEvent(pick(events), { disableCorrelation: rnd() < 0.5 });
          else if (op < 0.9) {
            const id = pick(events);
            if (await w.deleteEvent(id)) events.splice(events.indexOf(id), 1);
          } else {
            const e = pick(events);
            await w.insertAttributes([newAttribute(e), newAttribute(e)]);
          }
        });
      }

      const stored = async () => (await db.selectFrom('correlations').selectAll().execute()).map((r): Row => ({
        e: r.event_id, a: r.attribute_id, t: r['1_attribute_id'], v: Number(r.value_id), te: r['1_event_id'], to: r['1_object_id'],
        org: r['1_org_id'], d: r['1_distribution'], sg: r['1_sharing_group_id'], od: r['1_object_distribution'],
        osg: r['1_object_sharing_group_id'], ed: r['1_event_distribution'], esg: r['1_event_sharing_group_id'],
      })).map(key).sort();

      // the model
      const excluded = exclusionMatcher(['%.sinkhole.test']);
      const eventRows = new Map((await db.selectFrom('events').selectAll().execute()).map((e) => [e.id, e]));
      const groups = new Map<number, Attribute[]>();
      for (const a of await liveAttributes()) {
        const ev = eventRows.get(a.eventId)!;
        if (a.deleted || a.disableCorrelation || ev.disable_correlation === 1) continue;
        for (const k of correlationKeys(a)) {
          if (excluded.excludes(k)) continue;
          const list = groups.get(keyHash(k)) ?? [];
          list.push(a);
          groups.set(keyHash(k), list);
        }
      }
      const expected: string[] = [];
      for (const [hash, members] of groups) {
        if (members.length > LIMIT + 1) continue;
        for (const x of members) {
          for (const y of members) {
            if (x.eventId === y.eventId) continue;
            const ev = eventRows.get(y.eventId)!;
            expected.push(key({
              e: x.eventId, a: x.id, t: y.id, v: hash, te: y.eventId, to: 0, org: ev.org_id, d: y.distribution, sg: 0, od: 0, osg: 0,
              ed: ev.distribution, esg: ev.sharing_group_id,
            }));
          }
        }
      }
      expected.sort();
      const incremental = await stored();
      assert.ok(expected.length > 50, `the scenario produced ${expected.length} rows`);
      assert.deepEqual(incremental, expected);

      const over = new Set((await db.selectFrom('over_correlating_values').select('id').execute()).map((r) => Number(r.id)));
      assert.deepEqual(over, new Set([...groups].filter(([, m]) => m.length > LIMIT + 1).map(([h]) => h)));

      const job = await storage.correlations.createJob(ctx.now);
      await runCorrelationRebuild(ctx, storage, job.id, 7);
      assert.deepEqual(await stored(), expected);
    });
  });
}
