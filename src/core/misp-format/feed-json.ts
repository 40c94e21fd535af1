import type { Feed } from '../feeds/feed-model.js';
import type { Tag } from '../model/event.js';
import type { Organisation } from '../model/organisation.js';
import { toMispTag } from './tag-json.js';

/** Feeds as MISP serialises them (spec §2.1): `rules`, `settings` and `headers` stay strings (PyMISP json.loads settings). */

type Json = Record<string, unknown>;

export function toMispFeed(f: Feed): Json {
  return {
    id: String(f.id), name: f.name, provider: f.provider, url: f.url, rules: f.rules, enabled: f.enabled,
    distribution: String(f.distribution), sharing_group_id: String(f.sharingGroupId), tag_id: String(f.tagId),
    default: f.isDefault, source_format: f.sourceFormat, fixed_event: f.fixedEvent, delta_merge: f.deltaMerge,
    event_id: String(f.eventId), publish: f.publish, override_ids: f.overrideIds, settings: f.settings,
    input_source: f.inputSource, delete_local_file: f.deleteLocalFile, lookup_visible: f.lookupVisible, headers: f.headers,
    caching_enabled: f.cachingEnabled, force_to_ids: f.forceToIds, orgc_id: String(f.orgcId),
    tag_collection_id: String(f.tagCollectionId),
  };
}

/** feeds/index row: `Feed`, plus `Tag` and `Orgc` (id, uuid, name, local) when set (Feed::afterFind drops empty ones). */
export function toMispFeedRow(row: { feed: Feed; tag: Tag | undefined; orgc: Organisation | undefined }, extra: Json = {}): Json {
  return {
    Feed: { ...toMispFeed(row.feed), ...extra },
    ...(row.tag ? { Tag: toMispTag(row.tag) } : {}),
    ...(row.orgc ? { Orgc: { id: String(row.orgc.id), uuid: row.orgc.uuid, name: row.orgc.name, local: row.orgc.local } } : {}),
  };
}
