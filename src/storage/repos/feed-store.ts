import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Feed, NewFeed } from '../../core/feeds/feed-model.js';
import type { FeedStore } from '../../core/ports/feed-store.js';
import type { Database } from '../db-schema.js';
import type { FeedsTable } from '../db-schema-galaxies-feeds.js';

const b = (v: number): boolean => v === 1;
const i = (v: boolean): number => (v ? 1 : 0);

export function toFeed(r: Selectable<FeedsTable>): Feed {
  return {
    id: r.id, name: r.name, provider: r.provider, url: r.url, rules: r.rules, enabled: b(r.enabled), distribution: r.distribution,
    sharingGroupId: r.sharing_group_id, tagId: r.tag_id, isDefault: b(r.default), sourceFormat: r.source_format,
    fixedEvent: b(r.fixed_event), deltaMerge: b(r.delta_merge), eventId: r.event_id, publish: b(r.publish),
    overrideIds: b(r.override_ids), settings: r.settings, inputSource: r.input_source, deleteLocalFile: b(r.delete_local_file),
    lookupVisible: b(r.lookup_visible), headers: r.headers, cachingEnabled: b(r.caching_enabled), forceToIds: b(r.force_to_ids),
    orgcId: r.orgc_id, tagCollectionId: r.tag_collection_id,
  };
}

/** The column of each feed field; flags are stored as 0/1. */
const COLUMNS: { readonly [K in keyof NewFeed]-?: keyof FeedsTable } = {
  name: 'name', provider: 'provider', url: 'url', rules: 'rules', enabled: 'enabled', distribution: 'distribution',
  sharingGroupId: 'sharing_group_id', tagId: 'tag_id', isDefault: 'default', sourceFormat: 'source_format', fixedEvent: 'fixed_event',
  deltaMerge: 'delta_merge', eventId: 'event_id', publish: 'publish', overrideIds: 'override_ids', settings: 'settings',
  inputSource: 'input_source', deleteLocalFile: 'delete_local_file', lookupVisible: 'lookup_visible', headers: 'headers',
  cachingEnabled: 'caching_enabled', forceToIds: 'force_to_ids', orgcId: 'orgc_id', tagCollectionId: 'tag_collection_id',
};

/** Column values of the fields `f` has: all of them for an insert, the changed ones for an update. */
function columnValues(f: Partial<NewFeed>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(f) as [keyof NewFeed, unknown][]) {
    if (value !== undefined && key in COLUMNS) out[COLUMNS[key]] = typeof value === 'boolean' ? i(value) : value;
  }
  return out;
}

export const feedValues = (f: NewFeed) => columnValues(f) as unknown as Insertable<FeedsTable>;

export function createFeedStore(db: Kysely<Database>): FeedStore {
  return {
    async list(filter = {}) {
      let q = db.selectFrom('feeds').selectAll();
      if (filter.lookupVisible !== undefined) q = q.where('lookup_visible', '=', i(filter.lookupVisible));
      if (filter.isDefault !== undefined) q = q.where('default', '=', i(filter.isDefault));
      if (filter.enabledOrCaching) q = q.where((eb) => eb.or([eb('enabled', '=', 1), eb('caching_enabled', '=', 1)]));
      // FeedsController::$paginate order: Feed.default DESC, Feed.id ASC
      return (await q.orderBy('default', 'desc').orderBy('id').execute()).map(toFeed);
    },
    async find(id) {
      const r = await db.selectFrom('feeds').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toFeed(r);
    },
    async insert(f) {
      return (await db.insertInto('feeds').values(feedValues(f)).returning('id').executeTakeFirstOrThrow()).id;
    },
    async update(id, patch) {
      const row = columnValues(patch);
      if (Object.keys(row).length > 0) await db.updateTable('feeds').set(row).where('id', '=', id).execute();
    },
    async delete(id) {
      await db.deleteFrom('feeds').where('id', '=', id).execute();
    },
    async urls() {
      return new Set((await db.selectFrom('feeds').select('url').execute()).map((r) => r.url));
    },
  };
}
