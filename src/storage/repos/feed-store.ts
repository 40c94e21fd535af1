import type { Kysely, Selectable } from 'kysely';
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

export function feedValues(f: NewFeed) {
  return {
    name: f.name, provider: f.provider, url: f.url, rules: f.rules, enabled: i(f.enabled), distribution: f.distribution,
    sharing_group_id: f.sharingGroupId, tag_id: f.tagId, default: i(f.isDefault), source_format: f.sourceFormat,
    fixed_event: i(f.fixedEvent), delta_merge: i(f.deltaMerge), event_id: f.eventId, publish: i(f.publish),
    override_ids: i(f.overrideIds), settings: f.settings, input_source: f.inputSource, delete_local_file: i(f.deleteLocalFile),
    lookup_visible: i(f.lookupVisible), headers: f.headers, caching_enabled: i(f.cachingEnabled), force_to_ids: i(f.forceToIds),
    orgc_id: f.orgcId, tag_collection_id: f.tagCollectionId,
  };
}

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
    async urls() {
      return new Set((await db.selectFrom('feeds').select('url').execute()).map((r) => r.url));
    },
  };
}
