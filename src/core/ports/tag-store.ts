import type { Tag, TagLink } from '../model/event.js';

export interface NewTag {
  name: string;
  /** `#rrggbb`; when absent the store uses `defaultTagColour(name)` (src/core/tags/tag-colour.ts). */
  colour?: string;
  exportable?: boolean;
  orgId?: number;
  userId?: number;
  hideTag?: boolean;
  numericalValue?: number | null;
  isGalaxy?: boolean;
  isCustomGalaxy?: boolean;
  localOnly?: boolean;
}

export interface TagLinkInput {
  readonly tagId: number;
  readonly local: boolean;
  readonly relationshipType: string;
}

export interface EventTagLinkInput extends TagLinkInput {
  readonly eventId: number;
}

export interface AttributeTagLinkInput extends TagLinkInput {
  readonly attributeId: number;
  readonly eventId: number;
}

/**
 * Who is counting, for the ACL-aware `count` / `attribute_count` of tags/index and tags/view (MISP's
 * `EventTag::countForTags($ids, $user)`). `undefined` = site admin: every row counts.
 */
export interface TagCountViewer {
  readonly orgId: number;
  /** `authorizedSgIds(user)` (spec §4.2.1). */
  readonly sharingGroupIds: readonly number[];
  /** `MISP.unpublishedprivate`: other orgs' unpublished events do not count. */
  readonly unpublishedPrivate?: boolean;
}

/** Which tags to list. Every member narrows the result (AND); absent members do not filter. */
export interface TagFilter {
  /** A LIKE pattern (caller adds `%`) matched case-insensitively against the name (tags/index searchall). */
  search?: string;
  /** Exact names, case-insensitive. */
  names?: readonly string[];
  /** LIKE patterns, case-insensitive, any of which may match (tags/search). */
  likeAny?: readonly string[];
  ids?: readonly number[];
  /** Only tags this org/user may use: `org_id IN (0, orgId) AND user_id IN (0, userId)` (spec §4.5). */
  usableBy?: { readonly orgId: number; readonly userId: number };
  hideTag?: boolean;
  isGalaxy?: boolean;
}

/** The event columns tagging needs: ACL (§4.2, §4.5) and the unpublish rule (§4.6). */
export interface TaggableEvent {
  readonly id: number;
  readonly uuid: string;
  readonly orgId: number;
  readonly orgcId: number;
  readonly userId: number;
  readonly distribution: number;
  readonly sharingGroupId: number;
  readonly published: boolean;
  readonly publishTimestamp: number;
  readonly timestamp: number;
  readonly locked: boolean;
}

export interface TaggableAttribute {
  readonly id: number;
  readonly uuid: string;
  readonly eventId: number;
  readonly objectId: number;
  readonly distribution: number;
  readonly sharingGroupId: number;
  readonly deleted: boolean;
  readonly timestamp: number;
  /** Distribution / SG of the containing object (0/0 when `objectId` is 0), for the object-level ACL test. */
  readonly objectDistribution: number;
  readonly objectSharingGroupId: number;
  readonly event: TaggableEvent;
}

/**
 * Persistence of tags and their links to events and attributes (spec §1.1, §2.5).
 * Names are unique case-insensitively (Tag::captureTag matches them that way).
 */
export interface TagStore {
  findById(id: number): Promise<Tag | undefined>;
  /** Case-insensitive lookup of many names at once; the map is keyed by lower-cased name. */
  findByNames(names: readonly string[]): Promise<Map<string, Tag>>;
  /** Tags matching a filter, ordered by name (tags/search, pickers). */
  find(filter: TagFilter): Promise<Tag[]>;
  /** Inserts; a name that exists case-insensitively violates the unique `name_lower` index (caller checks first). */
  create(tag: NewTag): Promise<Tag>;
  /**
   * The tag of this name (case-insensitively), inserted from `tag` when there is none: what captures a tag on the fly
   * (events/add, tag attach, galaxies, feeds). Another request creating the same name at the same moment is no error:
   * the second gets the tag the first stored.
   */
  findOrCreate(tag: NewTag): Promise<Tag>;
  update(id: number, patch: Partial<NewTag>): Promise<Tag | undefined>;
  /** Batch `create` (chunked multi-row inserts), e.g. every tag of a taxonomy at once; names must be new. */
  createMany(tags: readonly NewTag[]): Promise<Tag[]>;
  /** Applies one patch to many tags (hiding every tag of a taxonomy). */
  updateMany(ids: readonly number[], patch: Partial<NewTag>): Promise<void>;
  /** Deletes the tag and (by cascade) every event/attribute link to it. */
  delete(id: number): Promise<boolean>;
  /**
   * Every tag matching `filter`, ordered by name, with how many events and attributes use it (tags/index,
   * tags/view), counting only what `viewer` may see. One statement.
   */
  listWithCounts(filter: TagFilter, viewer?: TagCountViewer): Promise<Array<Tag & { count: number; attributeCount: number }>>;
  /** Adds the links; links already present (same event and tag) and duplicates in the input are skipped. */
  linkEventTags(eventId: number, links: readonly TagLinkInput[]): Promise<void>;
  /** Links tags to events inserted in this transaction, which have none yet: no lookup; duplicates in the input are skipped. */
  linkNewEventTags(links: readonly EventTagLinkInput[]): Promise<void>;
  unlinkEventTag(eventId: number, tagId: number): Promise<boolean>;
  /**
   * Adds the links; links already present (same attribute and tag) and duplicates in the input are skipped.
   * `fresh`: the attributes were inserted in this transaction, so none has a link yet and the lookup is skipped.
   */
  linkAttributeTags(links: readonly AttributeTagLinkInput[], opts?: { readonly fresh?: boolean }): Promise<void>;
  unlinkAttributeTag(attributeId: number, tagId: number): Promise<boolean>;
  /** The link of one tag on one event, if attached. */
  eventTagLink(eventId: number, tagId: number): Promise<TagLink | undefined>;
  /** The link of one tag on one attribute, if attached. */
  attributeTagLink(attributeId: number, tagId: number): Promise<TagLink | undefined>;
  /** Tags of these events, keyed by event id. */
  eventTags(eventIds: readonly number[]): Promise<Map<number, TagLink[]>>;
  /** Tags of every attribute of these events, keyed by attribute id (one query, no N+1). */
  attributeTagsOfEvents(eventIds: readonly number[]): Promise<Map<number, TagLink[]>>;
  /** Tags of these attributes, keyed by attribute id. */
  attributeTags(attributeIds: readonly number[]): Promise<Map<number, TagLink[]>>;

  /** The event a tag is attached to, by id or uuid (ACL is the caller's job). */
  findTaggableEvent(ref: { id: number } | { uuid: string }): Promise<TaggableEvent | undefined>;
  /** An attribute with its event and object ACL columns, by id or uuid, in one query. */
  findTaggableAttribute(ref: { id: number } | { uuid: string }): Promise<TaggableAttribute | undefined>;
  /** `Event::unpublishEvent`: published = 0, timestamp = now (spec §4.6). */
  unpublishEvent(eventId: number, now: number): Promise<void>;
  /**
   * `MispAttribute::touch`: the attribute's and its object's timestamp become `now` and the event is unpublished
   * with timestamp `now` (spec §4.6).
   */
  touchAttribute(attribute: { readonly id: number; readonly eventId: number; readonly objectId: number }, now: number): Promise<void>;
}
