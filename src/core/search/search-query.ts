import type { DeletedStates } from '../acl/event-visibility.js';

/**
 * The storage-neutral description of a restSearch (spec §3.14): what the request asks for once its parameters are
 * parsed, validated and names (orgs, tags) resolved to ids. src/storage/repos/search-sql.ts compiles it to SQL;
 * visibility (spec §4.2, §4.3) is added there for the viewer and is never part of this description.
 */

/** One alternative of a text filter: an exact, case-insensitive value (MISP's `_ci` collation) or a LIKE pattern. */
export interface TextTerm {
  readonly value: string;
  /** The value starts or ends with `%` (`generic_add_filter`): matched with a case-insensitive LIKE. */
  readonly like: boolean;
}

/** MISP's `{OR, AND, NOT}` filter: any of `or`, every one of `and`, none of `not`. Empty lists do not filter. */
export interface Terms<T> {
  readonly or: readonly T[];
  readonly and: readonly T[];
  readonly not: readonly T[];
}

/** Inclusive bounds; either may be absent. */
export interface Range {
  readonly from?: number;
  readonly until?: number;
}

/** Filters on the event row (`Event.*` conditions of `Event::filterEventIds` / `MispAttribute::buildFilterConditions`). */
export interface EventCriteria {
  /** `eventid`: numeric ids and uuids; included ones are OR-ed across both kinds. */
  readonly ids?: Terms<number>;
  readonly uuids?: Terms<string>;
  /** `org`: creator org ids (`orgc_id`); an unknown positive name was resolved to -1 (matches nothing). */
  readonly orgcIds?: Terms<number>;
  /** `eventinfo` */
  readonly info?: Terms<TextTerm>;
  /** `published`: allowed values. */
  readonly published?: readonly boolean[];
  /** `from` / `to` / `date`: inclusive `YYYY-MM-DD` bounds on the event date. */
  readonly dateFrom?: string;
  readonly dateUntil?: string;
  /** `event_timestamp` (and `timestamp` in event scope). */
  readonly timestamp?: Range;
  /** `publish_timestamp` / `last`. */
  readonly publishTimestamp?: Range;
  readonly threatLevelIds?: readonly number[];
  /** `sharinggroup` in event and object scope: the event's group. */
  readonly sharingGroupIds?: Terms<number>;
}

/** Filters on attributes. In event and object scope they select events / objects having such an attribute. */
export interface AttributeCriteria {
  /** `value`: value1 or value2 (composite halves). */
  readonly value?: Terms<TextTerm>;
  readonly value1?: Terms<TextTerm>;
  readonly value2?: Terms<TextTerm>;
  /** `type` (email-src/email-dst already expanded with `email`). */
  readonly type?: Terms<TextTerm>;
  readonly category?: Terms<TextTerm>;
  readonly objectRelation?: Terms<TextTerm>;
  readonly comment?: Terms<TextTerm>;
  readonly toIds?: readonly boolean[];
  /** `timestamp` / `attribute_timestamp` in attribute scope. */
  readonly timestamp?: Range;
  /** µs; `first_seen` ≥ from, `last_seen` ≤ until for a single value, both bounds for a range. */
  readonly firstSeen?: Range;
  readonly lastSeen?: Range;
  /** `sharinggroup` in attribute scope: the attribute's group or its event's. */
  readonly sharingGroupIds?: Terms<number>;
}

/** Filters on objects (`object_name`, `object_template_uuid`, `object_template_version`, object first/last seen). */
export interface ObjectCriteria {
  readonly name?: Terms<TextTerm>;
  readonly templateUuid?: Terms<TextTerm>;
  readonly templateVersion?: Terms<TextTerm>;
  readonly firstSeen?: Range;
  readonly lastSeen?: Range;
}

/**
 * `tags` / `event_tags` resolved to tag ids (spec §3.14): `or` — the event or one of its attributes carries one of
 * them; `and` — every group is carried (each group is the ids one name matched); `not` — none is carried.
 * `eventOnly` (`event_tags`) looks at event tags only. An `or` list of `[-1]` means "no such tag": nothing matches.
 */
export interface TagCriteria {
  readonly or: readonly number[];
  readonly and: readonly (readonly number[])[];
  readonly not: readonly number[];
  readonly eventOnly: boolean;
}

/** `searchall` / `quickFilter` (spec §3.14): a LIKE pattern over info, values, comments and tag names. */
export interface WildcardCriteria {
  readonly pattern: string;
  /** Tags whose name matches the pattern (resolved by the service). */
  readonly tagIds: readonly number[];
}

export interface SearchQuery {
  readonly event: EventCriteria;
  readonly attribute: AttributeCriteria;
  readonly object: ObjectCriteria;
  readonly tags?: TagCriteria;
  /**
   * `uuid`: the row's own uuid or its event's; in event scope also the uuid of one of the event's attributes
   * (`Event::set_filter_uuid`, `MispAttribute::set_filter_uuid`).
   */
  readonly uuids?: Terms<string>;
  /** When set MISP ignores the other selection filters (`Event::filterEventIds` wildcard branch). */
  readonly wildcard?: WildcardCriteria;
  /** Soft-deletion states of the attributes (and objects) searched and returned; default active only. */
  readonly deleted: DeletedStates;
  /**
   * `deleted` was asked for explicitly: in event scope MISP then only returns events having an attribute in one
   * of those states (`set_filter_deleted` on the Attribute subquery).
   */
  readonly deletedRequested: boolean;
}

/** `order`: one column (MISP's `findOrder` whitelist) and a direction. */
export interface SearchOrder {
  readonly field: string;
  readonly direction: 'asc' | 'desc';
}

/** Paging of a restSearch: `limit` rows (events in event scope) of `page` (1-based); none = everything. */
export interface SearchWindow {
  readonly limit?: number;
  readonly page?: number;
  readonly order?: SearchOrder;
}

/** Columns `order` may name per scope (`findOrder` whitelists of Event::fetchEvent and MispAttribute::restSearch). */
export const ORDER_FIELDS = {
  events: ['id', 'info', 'analysis', 'threat_level_id', 'distribution', 'timestamp', 'publish_timestamp', 'date'],
  attributes: ['id', 'event_id', 'object_id', 'type', 'category', 'value', 'distribution', 'timestamp', 'object_relation',
    'publish_timestamp'],
  objects: ['id', 'event_id', 'name', 'timestamp', 'distribution'],
} as const;
