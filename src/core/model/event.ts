import type { AttributeDecayScore } from '../decaying/decaying-model.js';
import type { RelatedAttributeLink, RelatedEventSummary } from './correlation.js';
import type { EventReport } from './event-report.js';
import type { ProposalDetail } from './proposal.js';
import type { SharingGroupDetail } from './sharing-group.js';
import type { SightingDetail } from './sighting.js';

/**
 * The threat data model in domain form (camelCase, numbers, booleans). The MISP wire form lives in
 * src/core/misp-format; storage rows in src/storage. Field meanings: spec §1.1.
 */
export const Distribution = { OrgOnly: 0, Community: 1, Connected: 2, All: 3, SharingGroup: 4, Inherit: 5 } as const;
export type Distribution = (typeof Distribution)[keyof typeof Distribution];

export interface MispEvent {
  readonly id: number;
  readonly uuid: string;
  readonly orgId: number;
  readonly orgcId: number;
  readonly userId: number;
  /** YYYY-MM-DD */
  readonly date: string;
  readonly info: string;
  readonly threatLevelId: number;
  readonly analysis: number;
  readonly published: boolean;
  readonly publishTimestamp: number;
  readonly timestamp: number;
  readonly sightingTimestamp: number;
  readonly attributeCount: number;
  readonly distribution: number;
  readonly sharingGroupId: number;
  readonly proposalEmailLock: boolean;
  readonly locked: boolean;
  readonly disableCorrelation: boolean;
  readonly extendsUuid: string;
  readonly protected: boolean | null;
}

export interface Attribute {
  readonly id: number;
  readonly uuid: string;
  readonly eventId: number;
  readonly objectId: number;
  readonly objectRelation: string | null;
  readonly category: string;
  readonly type: string;
  readonly value1: string;
  readonly value2: string;
  readonly toIds: boolean;
  readonly timestamp: number;
  readonly distribution: number;
  readonly sharingGroupId: number;
  readonly comment: string;
  readonly deleted: boolean;
  readonly disableCorrelation: boolean;
  /** Microseconds since the epoch (MISP stores first_seen/last_seen as µs bigint). */
  readonly firstSeen: number | null;
  readonly lastSeen: number | null;
}

export interface MispObject {
  readonly id: number;
  readonly uuid: string;
  readonly eventId: number;
  readonly name: string;
  readonly metaCategory: string;
  readonly description: string;
  readonly templateUuid: string | null;
  readonly templateVersion: string | null;
  readonly timestamp: number;
  readonly distribution: number;
  readonly sharingGroupId: number;
  readonly comment: string;
  readonly deleted: boolean;
  readonly firstSeen: number | null;
  readonly lastSeen: number | null;
}

export const ReferencedType = { Attribute: 0, Object: 1 } as const;

export interface ObjectReference {
  readonly id: number;
  readonly uuid: string;
  readonly timestamp: number;
  readonly objectId: number;
  readonly eventId: number;
  readonly sourceUuid: string;
  readonly referencedUuid: string;
  readonly referencedId: number;
  readonly referencedType: number;
  readonly relationshipType: string;
  readonly comment: string;
  readonly deleted: boolean;
}

export interface Tag {
  readonly id: number;
  readonly name: string;
  readonly colour: string;
  readonly exportable: boolean;
  readonly orgId: number;
  readonly userId: number;
  readonly hideTag: boolean;
  readonly numericalValue: number | null;
  readonly isGalaxy: boolean;
  readonly isCustomGalaxy: boolean;
  readonly localOnly: boolean;
}

/** A tag as attached to an event or attribute (event_tags / attribute_tags row). */
export interface TagLink {
  readonly linkId: number;
  readonly tag: Tag;
  readonly local: boolean;
  readonly relationshipType: string;
}

export interface AttributeDetail extends Attribute {
  readonly tags: readonly TagLink[];
  /** Inside events: proposals to change or delete this attribute (spec §2.9). */
  readonly proposals?: readonly ProposalDetail[];
  /** Inside events: the sightings the reader may see (spec §2.7). */
  readonly sightings?: readonly SightingDetail[];
  /** Base64 of the attachment / malware-sample file (spec §2.3), on REST reads. */
  readonly data?: string;
  /** Inside events with `includeGranularCorrelations`: correlations the reader may see (spec §5.5). */
  readonly relatedAttributes?: readonly RelatedAttributeLink[];
  /** restSearch `includeDecayScore`: one score per applicable decaying model (`decay_score`, spec §2.3, §3.14). */
  readonly decayScores?: readonly AttributeDecayScore[];
  /** `Galaxy` of the attribute's cluster tags, in MISP's wire form (events/view only). */
  readonly galaxies?: readonly Readonly<Record<string, unknown>>[];
  /** events/view `includeFeedCorrelations`: the cached feeds carrying the value (`Feed`, spec §7.3). */
  readonly feedHits?: readonly FeedHit[];
  /** More than 10,000 feed hits in the event: only this flag (`FeedHit`), as MISP. */
  readonly feedHit?: boolean;
}

/*
 * Attributes copied as object literals of one fixed shape. `{ ...row, id }` would read better, but V8 gives spread
 * copies maps under which every later property read is slow (measured: four reads of absent optional keys 500 ns
 * against 10 ns on a literal), and the write path, the correlation engine and the renderers read every property of
 * tens of thousands of attributes per request.
 */

/** `row` placed in an object (or back at the top level: objectId 0). */
export function placedAttribute(row: Omit<Attribute, 'id'>, objectId: number): Omit<Attribute, 'id'> {
  return {
    uuid: row.uuid, eventId: row.eventId, objectId, objectRelation: row.objectRelation, category: row.category, type: row.type,
    value1: row.value1, value2: row.value2, toIds: row.toIds, timestamp: row.timestamp, distribution: row.distribution,
    sharingGroupId: row.sharingGroupId, comment: row.comment, deleted: row.deleted, disableCorrelation: row.disableCorrelation,
    firstSeen: row.firstSeen, lastSeen: row.lastSeen,
  };
}

/** `row` as stored under `id` (in the object `objectId`, by default the row's own). */
export function storedAttribute(row: Omit<Attribute, 'id'>, id: number, objectId = row.objectId): Attribute {
  return {
    id, uuid: row.uuid, eventId: row.eventId, objectId, objectRelation: row.objectRelation, category: row.category, type: row.type,
    value1: row.value1, value2: row.value2, toIds: row.toIds, timestamp: row.timestamp, distribution: row.distribution,
    sharingGroupId: row.sharingGroupId, comment: row.comment, deleted: row.deleted, disableCorrelation: row.disableCorrelation,
    firstSeen: row.firstSeen, lastSeen: row.lastSeen,
  };
}

/** `a` with its tags. */
export function withTags(a: Attribute, tags: readonly TagLink[]): AttributeDetail {
  const detail = storedAttribute(a, a.id) as { -readonly [K in keyof AttributeDetail]: AttributeDetail[K] };
  detail.tags = tags;
  return detail;
}

/** A cached feed that carries a value (Feed::attachFeedCorrelations); MISP feeds also name their events. */
export interface FeedHit {
  readonly id: number;
  readonly name: string;
  readonly url: string;
  readonly provider: string;
  readonly sourceFormat: string;
  readonly lookupVisible: boolean;
  readonly eventUuids: readonly string[];
}

export interface ObjectDetail extends MispObject {
  readonly attributes: readonly AttributeDetail[];
  readonly references: readonly ObjectReferenceDetail[];
}

/** A reference plus the summary of what it points at (spec §2.4). */
export interface ObjectReferenceDetail extends ObjectReference {
  readonly target:
    | { readonly kind: 'attribute'; readonly attribute: Attribute }
    | { readonly kind: 'object'; readonly object: MispObject }
    | null;
}

export interface OrgSummary {
  readonly id: number;
  readonly name: string;
  readonly uuid: string;
  readonly local: boolean;
}

/** The summary of org `id` from `orgs`; a missing row (deleted, or not yet pulled) shows empty, as MISP renders it, rather than failing. */
export function orgSummaryOf(orgs: ReadonlyMap<number, OrgSummary>, id: number): OrgSummary {
  return orgs.get(id) ?? { id, name: '', uuid: '', local: false };
}

/** Everything events/view returns for one event, already filtered for the reader. */
export interface EventDetail {
  readonly event: MispEvent;
  readonly org: OrgSummary;
  readonly orgc: OrgSummary;
  readonly tags: readonly TagLink[];
  readonly attributes: readonly AttributeDetail[];
  readonly objects: readonly ObjectDetail[];
  /** `event_creator_email`: only for site admins and perm_audit users of the creator org (spec §2.2). */
  readonly creatorEmail?: string;
  /**
   * The sharing groups the event and its children use that the reader may load (spec §2.10), by id; elements
   * with distribution 4 carry the group's `SharingGroup` block.
   */
  readonly sharingGroups?: ReadonlyMap<number, SharingGroupDetail>;
  /** Proposals of new attributes for the event (`ShadowAttribute`, spec §2.2, §2.9). */
  readonly proposals?: readonly ProposalDetail[];
  /** Visible events sharing a value with this one (`RelatedEvent`, spec §2.2, §5.5). */
  readonly relatedEvents?: readonly RelatedEventSummary[];
  /** The event reports the reader may see (`EventReport`, spec §2.8, §4.3). */
  readonly reports?: readonly EventReport[];
  /** `Galaxy`: the galaxies of the event's cluster tags, already in MISP's wire form (galaxy-event-view.ts). */
  readonly galaxies?: readonly Readonly<Record<string, unknown>>[];
  /** `Feed`: the cached feeds carrying any of the event's values (`includeFeedCorrelations`). */
  readonly feedHits?: readonly FeedHit[];
  /** `FeedCount`: the number of hits when there were too many to list. */
  readonly feedCount?: number;
}
