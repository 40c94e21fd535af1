import type { EventIndexEntry } from '../events/event-index.js';
import {
  type Attribute, type AttributeDetail, Distribution, type EventDetail, type FeedHit, type MispEvent, type MispObject, type ObjectDetail,
  type ObjectReference, type ObjectReferenceDetail, type OrgSummary, type TagLink,
} from '../model/event.js';
import type { SharingGroupDetail } from '../model/sharing-group.js';
import { toMispRelatedAttribute, toMispRelatedEvent } from './correlation-json.js';
import { toMispAttributeDecayScore } from './decaying-model-json.js';
import { toMispEventReport } from './event-report-json.js';
import { toMispProposal } from './proposal-json.js';
import { microToIso } from './scalars.js';
import { toMispSighting } from './sighting-json.js';
import { toMispSharingGroup } from './sharing-group-json.js';
import { toMispTagLink } from './tag-json.js';

/**
 * The event graph in MISP's wire form (spec §2.1–§2.5, §2.12): what `Event::fetchEvent` followed by
 * `JSONConverterTool::convert` produces. Ids, counts and timestamps are strings, tinyint(1) flags booleans,
 * first_seen/last_seen ISO 8601 with microseconds. Key order follows MISP's so diffs against MISP read easily.
 */

type Json = Record<string, unknown>;

const s = (n: number): string => String(n);
const iso = (us: number | null): string | null => (us ? microToIso(us) : null);
/** MISP's `__attachTags` renders an empty relationship_type as null. */
const relationship = (r: string): string | null => (r === '' ? null : r);

/** MISP's virtual `value` field: `value1`, or `value1|value2` for composite types (MispAttribute::$virtualFields). */
export const attributeValue = (a: Pick<Attribute, 'value1' | 'value2'>): string =>
  (a.value2 === '' ? a.value1 : `${a.value1}|${a.value2}`);

/**
 * A tag inside an event's or attribute's `Tag` list (spec §2.5): every tag column but `org_id`, plus `local`
 * and `relationship_type` from the link row.
 */
export function toMispTag(link: TagLink): Json {
  return { ...toMispTagLink(link), relationship_type: relationship(link.relationshipType) };
}

type SharingGroups = ReadonlyMap<number, SharingGroupDetail>;

/** `SharingGroup` for an element with distribution 4 whose group was loaded (Event::__attachSharingGroups). */
function withSharingGroup(out: Json, x: { distribution: number; sharingGroupId: number }, groups: SharingGroups | undefined): void {
  const sg = x.distribution === Distribution.SharingGroup ? groups?.get(x.sharingGroupId) : undefined;
  if (sg) out.SharingGroup = toMispSharingGroup(sg);
}

export interface AttributeJsonOptions {
  /** Inside an event MISP adds `Galaxy: []` and `ShadowAttribute: []` to every attribute (Event::fetchEvent). */
  readonly inEvent?: boolean;
  /** The event's loaded sharing groups (EventDetail.sharingGroups). */
  readonly sharingGroups?: SharingGroups;
}

/** `{…attribute}` of spec §2.3; `Tag` only when the attribute has tags, as MISP. */
export function toMispAttribute(a: Attribute | AttributeDetail, opts: AttributeJsonOptions = {}): Json {
  const out: Json = {
    id: s(a.id), event_id: s(a.eventId), object_id: s(a.objectId), object_relation: a.objectRelation,
    category: a.category, type: a.type, value: attributeValue(a), to_ids: a.toIds, uuid: a.uuid,
    timestamp: s(a.timestamp), distribution: s(a.distribution), sharing_group_id: s(a.sharingGroupId),
    comment: a.comment, deleted: a.deleted, disable_correlation: a.disableCorrelation,
    first_seen: iso(a.firstSeen), last_seen: iso(a.lastSeen),
  };
  const { beforeTags, afterTags } = attributeExtras(a, opts);
  for (const [k, v] of beforeTags) out[k] = v;
  if ('tags' in a && a.tags.length > 0) out.Tag = a.tags.map(toMispTag);
  for (const [k, v] of afterTags) out[k] = v;
  return out;
}

type Entries = readonly (readonly [string, unknown])[];
const NONE: Entries = [];
const NO_EXTRAS = { beforeTags: NONE, afterTags: NONE };

/**
 * The keys of an attribute after `last_seen` other than `Tag`, in MISP's order: those before `Tag` (SharingGroup,
 * Galaxy and ShadowAttribute inside events, decay_score) and those after it (Sighting, data, RelatedAttribute,
 * Feed, FeedHit). Shared by {@link toMispAttribute} and the text renderer (attribute-json-text.ts).
 */
export function attributeExtras(a: Attribute | AttributeDetail, opts: AttributeJsonOptions): { beforeTags: Entries; afterTags: Entries } {
  const detail = 'tags' in a ? a : undefined;
  // most attributes have none of these: answer without allocating (this runs once per exported attribute)
  if (!opts.inEvent && a.distribution !== Distribution.SharingGroup && !detail?.decayScores?.length && !detail?.sightings?.length
    && detail?.data === undefined && !detail?.relatedAttributes?.length && !detail?.feedHits?.length && !detail?.feedHit) {
    return NO_EXTRAS;
  }
  const sg = a.distribution === Distribution.SharingGroup ? opts.sharingGroups?.get(a.sharingGroupId) : undefined;
  const before: (readonly [string, unknown])[] = [];
  if (sg) before.push(['SharingGroup', toMispSharingGroup(sg)]);
  if (opts.inEvent) {
    before.push(['Galaxy', detail?.galaxies || []]);
    before.push(['ShadowAttribute', (detail?.proposals ?? []).map((p) => toMispProposal(p, 'event'))]);
  }
  if (!detail) return { beforeTags: before, afterTags: NONE };
  if (detail.decayScores?.length) before.push(['decay_score', detail.decayScores.map(toMispAttributeDecayScore)]);
  const after: (readonly [string, unknown])[] = [];
  if (detail.sightings?.length) after.push(['Sighting', detail.sightings.map(toMispSighting)]);
  if (detail.data !== undefined) after.push(['data', detail.data]);
  if (detail.relatedAttributes?.length) after.push(['RelatedAttribute', detail.relatedAttributes.map(toMispRelatedAttribute)]);
  if (detail.feedHits?.length) after.push(['Feed', detail.feedHits.map(toMispFeedHit)]);
  if (detail.feedHit) after.push(['FeedHit', true]);
  return { beforeTags: before, afterTags: after.length ? after : NONE };
}

/** One element of `Feed` on an attribute or event (Feed::attachFeedCorrelations). */
function toMispFeedHit(h: FeedHit): Json {
  return {
    id: s(h.id), name: h.name, url: h.url, provider: h.provider, source_format: h.sourceFormat, lookup_visible: h.lookupVisible,
    ...(h.eventUuids.length ? { event_uuids: h.eventUuids } : {}),
  };
}

/** Placeholder MISP puts in a reference whose target is not in the event as the reader sees it. */
function otherEventTarget(type: 'Attribute' | 'Object', uuid: string): Json {
  const text = `${type} from another event`;
  return { name: '', 'meta-category': text, category: text, type: '', value: '', uuid };
}

/** `{…reference}` of spec §2.4 with the `Attribute`/`Object` summary of its target when known. */
export function toMispObjectReference(r: ObjectReference | ObjectReferenceDetail): Json {
  const out: Json = {
    id: s(r.id), uuid: r.uuid, timestamp: s(r.timestamp), object_id: s(r.objectId), referenced_uuid: r.referencedUuid,
    referenced_id: s(r.referencedId), referenced_type: s(r.referencedType), relationship_type: r.relationshipType,
    comment: r.comment, deleted: r.deleted, event_id: s(r.eventId), source_uuid: r.sourceUuid,
  };
  if (!('target' in r)) return out;
  const key = r.referencedType === 1 ? 'Object' : 'Attribute';
  const t = r.target;
  if (t?.kind === 'attribute') {
    const a = t.attribute;
    out.Attribute = {
      distribution: s(a.distribution), sharing_group_id: s(a.sharingGroupId), uuid: a.uuid, value: attributeValue(a),
      type: a.type, category: a.category, to_ids: a.toIds,
    };
  } else if (t?.kind === 'object') {
    const o = t.object;
    out.Object = {
      distribution: s(o.distribution), sharing_group_id: s(o.sharingGroupId), uuid: o.uuid, name: o.name,
      'meta-category': o.metaCategory,
    };
  } else {
    out[key] = otherEventTarget(key, r.referencedUuid);
  }
  return out;
}

export interface ObjectJsonOptions {
  /** Inside an event: `ObjectReference` always present and attributes carry `Galaxy`/`ShadowAttribute`. */
  readonly inEvent?: boolean;
  /** objects/view adds the `{id, info, org_id, orgc_id}` stub of the object's event. */
  readonly event?: MispEvent;
  /** The event's loaded sharing groups (EventDetail.sharingGroups). */
  readonly sharingGroups?: SharingGroups;
}

/** `{…object, ObjectReference: [...], Attribute: [...]}` of spec §2.4. */
export function toMispObject(o: MispObject | ObjectDetail, opts: ObjectJsonOptions = {}): Json {
  const out: Json = {
    id: s(o.id), name: o.name, 'meta-category': o.metaCategory, description: o.description,
    template_uuid: o.templateUuid, template_version: o.templateVersion, event_id: s(o.eventId), uuid: o.uuid,
    timestamp: s(o.timestamp), distribution: s(o.distribution), sharing_group_id: s(o.sharingGroupId),
    comment: o.comment, deleted: o.deleted, first_seen: iso(o.firstSeen), last_seen: iso(o.lastSeen),
  };
  withSharingGroup(out, o, opts.sharingGroups);
  if (opts.event) {
    const e = opts.event;
    out.Event = { id: s(e.id), info: e.info, org_id: s(e.orgId), orgc_id: s(e.orgcId) };
  }
  if (!('attributes' in o)) return out;
  if (opts.inEvent) out.ObjectReference = o.references.map(toMispObjectReference);
  out.Attribute = o.attributes.map((a) => toMispAttribute(a, { inEvent: opts.inEvent, sharingGroups: opts.sharingGroups }));
  return out;
}

const org = (o: OrgSummary): Json => ({ id: s(o.id), name: o.name, uuid: o.uuid, local: o.local });

/** The event columns events/view shows (`user_id` and `sighting_timestamp` are not among them, spec §2.2). */
function eventColumns(e: MispEvent): Json {
  return {
    id: s(e.id), orgc_id: s(e.orgcId), org_id: s(e.orgId), date: e.date, threat_level_id: s(e.threatLevelId),
    info: e.info, published: e.published, uuid: e.uuid, attribute_count: s(e.attributeCount), analysis: s(e.analysis),
    timestamp: s(e.timestamp), distribution: s(e.distribution), proposal_email_lock: e.proposalEmailLock,
    locked: e.locked, publish_timestamp: s(e.publishTimestamp), sharing_group_id: s(e.sharingGroupId),
    disable_correlation: e.disableCorrelation, extends_uuid: e.extendsUuid, protected: e.protected,
  };
}

export interface EventJsonOptions {
  /** `metadata:1`: no Attribute, Object, ShadowAttribute or EventReport lists. */
  readonly metadata?: boolean;
}

/**
 * `{"Event": {...}}` as events/view returns it for a plain event (spec §2.2). Lists MISP always emits are
 * present even when empty; `Tag` only when the event has tags; `SharingGroup` on the event and on elements with
 * distribution 4 whose group the reader may load; `Galaxy` lists the clusters behind misp-galaxy tags.
 * CryptographicKey stays empty until protected events exist.
 */
export function toMispEvent(d: EventDetail, opts: EventJsonOptions = {}): { Event: Json } {
  const sharingGroups = d.sharingGroups;
  return eventShell(d, opts, {
    attributes: () => d.attributes.map((a) => toMispAttribute(a, { inEvent: true, sharingGroups })),
    objects: () => d.objects.map((o) => toMispObject(o, { inEvent: true, sharingGroups })),
  });
}

/** How the two long lists of an event are rendered: whole arrays, or placeholders a streaming writer fills in. */
export interface EventLists {
  attributes(): unknown;
  objects(): unknown;
}

/** `{"Event": …}` of {@link toMispEvent} with the Attribute and Object lists left to `lists`. */
export function eventShell(d: EventDetail, opts: EventJsonOptions, lists: EventLists): { Event: Json } {
  const ev: Json = eventColumns(d.event);
  if (d.creatorEmail !== undefined) ev.event_creator_email = d.creatorEmail;
  ev.Org = org(d.org);
  ev.Orgc = org(d.orgc);
  withSharingGroup(ev, d.event, d.sharingGroups);
  if (!opts.metadata) {
    ev.Attribute = lists.attributes();
    ev.ShadowAttribute = (d.proposals ?? []).map((p) => toMispProposal(p, 'event'));
  }
  ev.RelatedEvent = (d.relatedEvents ?? []).map(toMispRelatedEvent);
  ev.Galaxy = d.galaxies ?? [];
  if (!opts.metadata) {
    ev.Object = lists.objects();
    ev.EventReport = (d.reports ?? []).map((r) => toMispEventReport(r));
  }
  ev.CryptographicKey = [];
  if (d.feedHits?.length) ev.Feed = d.feedHits.map(toMispFeedHit);
  if (d.feedCount) ev.FeedCount = s(d.feedCount);
  if (d.tags.length > 0) ev.Tag = d.tags.map(toMispTag);
  return { Event: ev };
}

export interface EventIndexRowOptions {
  /** `minimal:1`: only id, timestamp, sighting_timestamp, published, uuid and orgc_uuid. */
  readonly minimal?: boolean;
}

/**
 * One element of events/index (spec §2.12): the flat event columns (no `user_id`) with `Org`, `Orgc`,
 * `SharingGroup` when set, and `EventTag` rows each carrying a `Tag` stub.
 */
export function toMispEventIndexRow(x: EventIndexEntry, opts: EventIndexRowOptions = {}): Json {
  const e = x.event;
  if (opts.minimal) {
    return {
      id: s(e.id), timestamp: s(e.timestamp), sighting_timestamp: s(e.sightingTimestamp), published: e.published,
      uuid: e.uuid, orgc_uuid: x.orgc.uuid,
    };
  }
  const out: Json = {
    id: s(e.id), org_id: s(e.orgId), date: e.date, info: e.info, uuid: e.uuid, published: e.published,
    analysis: s(e.analysis), attribute_count: s(e.attributeCount), orgc_id: s(e.orgcId), timestamp: s(e.timestamp),
    distribution: s(e.distribution), sharing_group_id: s(e.sharingGroupId), proposal_email_lock: e.proposalEmailLock,
    locked: e.locked, threat_level_id: s(e.threatLevelId), publish_timestamp: s(e.publishTimestamp),
    sighting_timestamp: s(e.sightingTimestamp), disable_correlation: e.disableCorrelation, extends_uuid: e.extendsUuid,
    protected: e.protected,
    Org: { id: s(x.org.id), name: x.org.name, uuid: x.org.uuid },
    Orgc: { id: s(x.orgc.id), name: x.orgc.name, uuid: x.orgc.uuid },
  };
  if (x.sharingGroup) out.SharingGroup = { id: s(x.sharingGroup.id), name: x.sharingGroup.name, uuid: x.sharingGroup.uuid };
  out.EventTag = x.tags.map((l) => ({
    id: s(l.linkId), event_id: s(e.id), tag_id: s(l.tag.id), local: l.local, relationship_type: relationship(l.relationshipType),
    Tag: { id: s(l.tag.id), name: l.tag.name, colour: l.tag.colour, is_galaxy: l.tag.isGalaxy },
  }));
  return out;
}
