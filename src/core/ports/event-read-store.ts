import type { DeletedStates, EventViewer } from '../acl/event-visibility.js';
import type { Attribute, MispEvent, MispObject, ObjectReference, OrgSummary } from '../model/event.js';
import type { Ref } from '../util/uuid.js';

/** A parsed MISP list filter: any of `include` (OR), none of `exclude` (the `|` lists and `!` prefix of spec §3.1). */
export interface Many<T> {
  readonly include?: readonly T[];
  readonly exclude?: readonly T[];
}

/** events/index filters (spec §3.1), already resolved to ids by the service. Every member narrows (AND). */
export interface EventIndexFilter {
  readonly ids?: Many<number>;
  readonly uuids?: Many<string>;
  readonly published?: boolean;
  /** Creator org (`orgc_id`), as MISP's `org` filter. */
  readonly orgcIds?: Many<number>;
  /** Substrings of `info`, case-insensitive. */
  readonly info?: Many<string>;
  /** Inclusive `YYYY-MM-DD` bounds on the event date. */
  readonly dateFrom?: string;
  readonly dateUntil?: string;
  readonly timestamp?: { readonly from?: number; readonly until?: number };
  readonly publishTimestamp?: { readonly from?: number; readonly until?: number };
  readonly distribution?: Many<number>;
  readonly analysis?: Many<number>;
  readonly threatLevel?: Many<number>;
  readonly sharingGroupIds?: Many<number>;
  /** Event tag ids; with `allOf` an event needs every included tag. */
  readonly tagIds?: Many<number> & { readonly allOf?: boolean };
  readonly userId?: number;
  /** Only events with attributes (events/index `minimal`). */
  readonly hasAttributes?: boolean;
  /** `hasproposal`: events with (true) or without (false) a pending proposal. */
  readonly hasProposal?: boolean;
  /**
   * Case-insensitive LIKE patterns matched against value1/value2 of live attributes the viewer can see; an
   * event must satisfy every element (`attribute` and `value` filters).
   */
  readonly attributeValues?: readonly Many<string>[];
}

/** The event columns events/index may sort on (MISP accepts any column of the events table). */
export const EVENT_SORT_FIELDS = [
  'id', 'org_id', 'date', 'info', 'uuid', 'published', 'analysis', 'attribute_count', 'orgc_id', 'timestamp',
  'distribution', 'sharing_group_id', 'proposal_email_lock', 'locked', 'threat_level_id', 'publish_timestamp',
  'sighting_timestamp', 'disable_correlation', 'extends_uuid', 'protected',
] as const;
export type EventSortField = (typeof EVENT_SORT_FIELDS)[number];

export interface EventIndexPage {
  /** Absent: every matching row. */
  readonly limit?: number;
  /** 1-based; only with `limit`. */
  readonly page?: number;
  readonly sort?: EventSortField;
  readonly direction?: 'asc' | 'desc';
}

/** Which children to load: every child of these events, or only these objects and their attributes/references. */
export interface ChildScope {
  readonly eventIds: readonly number[];
  readonly objectIds?: readonly number[];
}

/** The rows under events, visibility and soft-deletion already applied (spec §4.3). Ordered by id. */
export interface EventChildren {
  /** Attributes of the events, object attributes included (`objectId` ≠ 0). */
  readonly attributes: readonly Attribute[];
  readonly objects: readonly MispObject[];
  /** Every reference of the loaded objects, soft-deleted ones too, as MISP returns them (Event::__attachReferences). */
  readonly references: readonly ObjectReference[];
}

export interface AttributeIndexFilter {
  /** Exact value1 or value2 (attributes/index `searchvalue`). */
  readonly value?: string;
  readonly eventIds?: readonly number[];
  readonly ids?: readonly number[];
}

export interface AttributeHit {
  readonly attribute: Attribute;
  readonly event: MispEvent;
}

export interface ObjectHit {
  readonly object: MispObject;
  readonly event: MispEvent;
}

/** `{id, name, uuid}` of a sharing group, as events/index embeds it (spec §2.12). */
export interface SharingGroupSummary {
  readonly id: number;
  readonly name: string;
  readonly uuid: string;
}

/**
 * Reads of the event graph for one viewer (spec §2.2–§2.4, §3.1–§3.3). Every method applies MISP's
 * visibility rules in SQL (`EventViewer`, src/core/acl/event-visibility.ts): what the viewer may not see is
 * indistinguishable from what does not exist. Children are loaded in a fixed number of queries.
 */
export interface EventReadStore {
  /** One event by id or uuid, if the viewer may see it. */
  findEvent(viewer: EventViewer, ref: Ref): Promise<MispEvent | undefined>;
  /** Attributes, objects and references of visible events in three queries. */
  loadChildren(viewer: EventViewer, scope: ChildScope, deleted: DeletedStates): Promise<EventChildren>;
  /** events/index: one page of visible events and the total count of matches. */
  listEvents(viewer: EventViewer, filter: EventIndexFilter, page: EventIndexPage): Promise<{ events: MispEvent[]; total: number }>;
  /** One attribute with its event, under the attribute-scope rule (event, attribute and object tests). */
  findAttribute(viewer: EventViewer, ref: Ref, deleted: DeletedStates): Promise<AttributeHit | undefined>;
  /** attributes/index: visible attributes, newest events first. */
  listAttributes(viewer: EventViewer, filter: AttributeIndexFilter, page: { limit: number; page: number }): Promise<Attribute[]>;
  /** One object with its event, if the viewer sees the event and the object. */
  findObject(viewer: EventViewer, ref: Ref, deleted: DeletedStates): Promise<ObjectHit | undefined>;
  /** Org summaries (`Org`/`Orgc` of spec §2.10) keyed by id. */
  organisations(ids: readonly number[]): Promise<Map<number, OrgSummary>>;
  sharingGroupSummaries(ids: readonly number[]): Promise<Map<number, SharingGroupSummary>>;
  /**
   * `authorizedSgIds` of spec §4.2.1 for a non-site-admin: groups listing the org, plus groups open to every
   * org of this instance (`sharing_group_servers` row with server_id 0 and all_orgs 1).
   */
  sharingGroupIdsOfOrg(orgId: number): Promise<number[]>;
}
