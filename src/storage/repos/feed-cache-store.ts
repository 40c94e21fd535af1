import { type Kysely, sql } from 'kysely';
import type { FeedCacheState, FeedCacheStore } from '../../core/ports/feed-cache-store.js';
import type { Database } from '../db-schema.js';
import { bulkInsertNew, type Dialect, intIn, textIn } from '../dialect.js';

const ENTRY_COLUMNS = [
  { name: 'feed_id', type: 'int4' }, { name: 'value_md5', type: 'text' }, { name: 'event_uuid', type: 'text' },
] as const;

/** Kysely implementation of the feed cache port (migration 0020). */
export function createFeedCacheStore(db: Kysely<Database>, d: Dialect): FeedCacheStore {
  const saveState = async (feedId: number, row: { cached_at?: number; status: string; message: string; value_count?: number }) => {
    await db.insertInto('feed_cache_states').values({ feed_id: feedId, cached_at: 0, value_count: 0, ...row })
      .onConflict((oc) => oc.column('feed_id').doUpdateSet(row)).execute();
  };
  return {
    async replace(feedId, entries, cachedAt, message) {
      await db.deleteFrom('feed_cache_entries').where('feed_id', '=', feedId).execute();
      await bulkInsertNew(d, db, 'feed_cache_entries', ENTRY_COLUMNS, entries.map((e) => [feedId, e.md5, e.eventUuid]));
      const values = new Set(entries.map((e) => e.md5)).size;
      await saveState(feedId, { cached_at: cachedAt, status: 'cached', message, value_count: values });
    },
    async fail(feedId, message) {
      await saveState(feedId, { status: 'failed', message });
    },
    async clear(feedId) {
      await db.deleteFrom('feed_cache_entries').where('feed_id', '=', feedId).execute();
      await db.deleteFrom('feed_cache_states').where('feed_id', '=', feedId).execute();
    },
    async states(feedIds) {
      const out = new Map<number, FeedCacheState>();
      if (feedIds.length === 0) return out;
      const rows = await db.selectFrom('feed_cache_states').selectAll().where(intIn(d, sql.ref('feed_id'), feedIds)).execute();
      for (const r of rows) {
        out.set(r.feed_id, {
          feedId: r.feed_id, cachedAt: r.cached_at, status: r.status === 'cached' ? 'cached' : 'failed', message: r.message, values: r.value_count,
        });
      }
      return out;
    },
    async cachedFeedIds() {
      return (await db.selectFrom('feed_cache_states').select('feed_id').where('cached_at', '>', 0).execute()).map((r) => r.feed_id);
    },
    async overlaps(feedIds) {
      if (feedIds.length < 2) return [];
      const inFeeds = (alias: string) => intIn(d, sql.ref(`${alias}.feed_id`), feedIds);
      const rows = await sql<{ a: number; b: number; n: number }>`select x.feed_id as a, y.feed_id as b, count(distinct x.value_md5) as n
        from feed_cache_entries x join feed_cache_entries y on y.value_md5 = x.value_md5 and y.feed_id <> x.feed_id
        where ${inFeeds('x')} and ${inFeeds('y')} group by x.feed_id, y.feed_id`.execute(db);
      return rows.rows.map((r) => ({ a: Number(r.a), b: Number(r.b), count: Number(r.n) }));
    },
    async sharedWithAny(feedId, others) {
      if (others.length === 0) return 0;
      const r = await sql<{ n: number }>`select count(distinct x.value_md5) as n from feed_cache_entries x where x.feed_id = ${feedId}
        and exists (select 1 from feed_cache_entries y where y.value_md5 = x.value_md5 and ${intIn(d, sql.ref('y.feed_id'), others)})`.execute(db);
      return Number(r.rows[0]?.n ?? 0);
    },
    async holders(md5s, feedIds) {
      if (md5s.length === 0 || feedIds.length === 0) return [];
      const rows = await db.selectFrom('feed_cache_entries').selectAll()
        .where(textIn(d, sql.ref('value_md5'), md5s)).where(intIn(d, sql.ref('feed_id'), feedIds)).execute();
      return rows.map((r) => ({ feedId: r.feed_id, md5: r.value_md5, eventUuid: r.event_uuid }));
    },
  };
}
