import {
  ACTIVE_AND_DELETED, ACTIVE_ONLY, type DeletedStates, eventViewer, type EventViewer,
} from '../acl/event-visibility.js';
import type { RequestContext } from '../context.js';
import { type CorrelationViewOptions, withCorrelations } from '../correlation/correlation-view.js';
import { notFound } from '../errors.js';
import {
  type Attribute, type AttributeDetail, type EventDetail, type MispEvent, type MispObject, type ObjectDetail, type ObjectReference,
  type ObjectReferenceDetail, orgSummaryOf, type TagLink, withTags,
} from '../model/event.js';
import type { EventChildren } from '../ports/event-read-store.js';
import type { Stores } from '../ports/stores.js';
import {
  sharingGroupIdsUsed, sharingGroupsForViewer, withoutUnloadableGroups,
} from '../sharing-groups/sharing-group-embed.js';
import type { Ref } from '../util/uuid.js';
import { type EventExtrasOptions, withEventExtras } from './event-view-extras.js';
import { childrenAsWritten } from './written-children.js';

/** The stores the read path uses; a transaction's `Stores` works too. */
export type EventReadDeps = Pick<Stores, 'eventReads' | 'tags' | 'identity' | 'sharingGroups' | 'proposals' | 'sightings' | 'attachments' | 'correlations' | 'delegations' | 'eventReports' | 'galaxies'>;

/** Tag output filters of `Event::fetchEvent` (spec §2.2, §4.3). */
export interface TagViewOptions {
  /** Non-exportable tags too (`includeAllTags`); by default only exportable ones are shown. */
  readonly includeAllTags?: boolean;
  /** Drop local tags (`excludeLocalTags`, what sync consumers get). */
  readonly excludeLocalTags?: boolean;
}

export interface EventViewOptions extends TagViewOptions, EventExtrasOptions, CorrelationViewOptions {
  /** Which soft-deletion states of attributes and objects to return (spec §3.1 `deleted`); default active only. */
  readonly deleted?: DeletedStates;
  /** Only the event, its orgs and tags: no attributes or objects (`metadata:1`). */
  readonly metadata?: boolean;
  /** What the caller has just stored and committed (events/add): used instead of a read-back where equal (written-children.ts). */
  readonly written?: EventChildren;
  /** `noEventReports:1`: an empty `EventReport` list. */
  readonly noEventReports?: boolean;
}

export interface ObjectViewOptions extends TagViewOptions {
  /** States of the object itself; objects/view shows soft-deleted objects (MispObject::fetchObjects). */
  readonly objectDeleted?: DeletedStates;
  /** States of its attributes; default active only. */
  readonly deleted?: DeletedStates;
}

/** Resolves the request's actor into the viewer every read-store query takes (spec §4.2.1). */
export async function viewerFor(ctx: RequestContext, stores: Pick<Stores, 'eventReads' | 'delegations'>): Promise<EventViewer> {
  const sgIds = ctx.actor.isSiteAdmin ? [] : await stores.eventReads.sharingGroupIdsOfOrg(ctx.actor.org.id);
  const delegated = !ctx.actor.isSiteAdmin && ctx.settings.bool('MISP.delegation') ? await stores.delegations.eventIdsDelegatedTo(ctx.actor.org.id) : [];
  return eventViewer(ctx.actor, ctx.settings, sgIds, delegated);
}

/**
 * One event as the actor may see it (`Event::fetchEvent`, spec §2.2, §4.2, §4.3), or undefined when it is
 * absent or invisible. A fixed number of queries whatever the event's size.
 */
export async function findEventDetail(
  ctx: RequestContext, stores: EventReadDeps, ref: Ref, opts: EventViewOptions = {},
): Promise<EventDetail | undefined> {
  const viewer = await viewerFor(ctx, stores);
  const event = await stores.eventReads.findEvent(viewer, ref);
  if (!event) return undefined;
  const none: EventChildren = { attributes: [], objects: [], references: [] };
  const [orgs, eventTags, children, attributeTags, creatorEmail, reports] = await Promise.all([
    stores.eventReads.organisations([event.orgId, event.orgcId]),
    stores.tags.eventTags([event.id]),
    opts.metadata ? none : (opts.written && childrenAsWritten(opts.written, viewer, event, opts.deleted ?? ACTIVE_ONLY))
      ?? stores.eventReads.loadChildren(viewer, { eventIds: [event.id] }, opts.deleted ?? ACTIVE_ONLY),
    opts.metadata ? new Map<number, TagLink[]>() : stores.tags.attributeTagsOfEvents([event.id]),
    creatorEmailFor(ctx, stores, event),
    // `EventReport` (spec §2.2, §4.3): the reports passing the element test, deletion states as for attributes.
    opts.metadata || opts.noEventReports ? [] : stores.eventReports.listVisible(viewer, { eventIds: [event.id], deleted: opts.deleted ?? ACTIVE_ONLY }),
  ]);
  const sharingGroups = await sharingGroupsForViewer(ctx, stores, viewer, sharingGroupIdsUsed(event, children));
  const { attributes, objects } = assembleChildren(withoutUnloadableGroups(children, sharingGroups), attributeTags, opts);
  const extended = await withEventExtras(ctx, stores, [{
    event, org: orgSummaryOf(orgs, event.orgId), orgc: orgSummaryOf(orgs, event.orgcId),
    tags: visibleTags(eventTags.get(event.id), opts), attributes, objects, sharingGroups, reports: reports.map((h) => h.report),
    ...(creatorEmail !== undefined ? { creatorEmail } : {}),
  }], opts);
  const [detail] = await withCorrelations(ctx, stores, viewer, extended, opts);
  return detail;
}

/** Whether the actor may see the event (HEAD events/view, `Event::fetchSimpleEvent`): one query. */
export async function eventExists(ctx: RequestContext, stores: Pick<Stores, 'eventReads' | 'delegations'>, ref: Ref): Promise<boolean> {
  return (await stores.eventReads.findEvent(await viewerFor(ctx, stores), ref)) !== undefined;
}

/** {@link findEventDetail}, throwing MISP's 404 "Invalid event" when absent or invisible. */
export async function loadEventDetail(
  ctx: RequestContext, stores: EventReadDeps, ref: Ref, opts: EventViewOptions = {},
): Promise<EventDetail> {
  const detail = await findEventDetail(ctx, stores, ref, opts);
  if (!detail) throw notFound('Invalid event');
  return detail;
}

/**
 * MISP's single-element lookups (`fetchAttributesSimple` behind HEAD attributes/view, `MispObject::fetchObjects` behind
 * objects/view) put no owner-org/perm_sync condition on soft-deleted rows: whoever may see the element sees it
 * deleted too. Only `Event::fetchEvent` has that exception (spec §4.3), so these lookups lift it.
 */
const deletedStateUnrestricted = (viewer: EventViewer): EventViewer => ({ ...viewer, seesOthersDeleted: true });

/**
 * One attribute with its tags under the attribute-scope rule (event, attribute and object tests, spec §4.3),
 * or undefined. Soft-deleted attributes only when `deleted` asks for them, then to whoever passes that rule.
 */
export async function findAttributeDetail(
  ctx: RequestContext, stores: EventReadDeps, ref: Ref, opts: TagViewOptions & { deleted?: DeletedStates } = {},
): Promise<AttributeDetail | undefined> {
  const hit = await stores.eventReads.findAttribute(deletedStateUnrestricted(await viewerFor(ctx, stores)), ref, opts.deleted ?? ACTIVE_ONLY);
  if (!hit) return undefined;
  const tags = await stores.tags.attributeTags([hit.attribute.id]);
  return withTags(hit.attribute, visibleTags(tags.get(hit.attribute.id), opts));
}

/** {@link findAttributeDetail}, throwing 404 "Invalid attribute" (attributes/view answers 405 itself). */
export async function loadAttributeDetail(
  ctx: RequestContext, stores: EventReadDeps, ref: Ref, opts: TagViewOptions & { deleted?: DeletedStates } = {},
): Promise<AttributeDetail> {
  const detail = await findAttributeDetail(ctx, stores, ref, opts);
  if (!detail) throw notFound('Invalid attribute');
  return detail;
}

/** One object with its visible attributes and references, and the event it belongs to (spec §2.4, §3.3). */
export async function findObjectDetail(
  ctx: RequestContext, stores: EventReadDeps, ref: Ref, opts: ObjectViewOptions = {},
): Promise<{ object: ObjectDetail; event: MispEvent } | undefined> {
  const viewer = await viewerFor(ctx, stores);
  const hit = await stores.eventReads.findObject(deletedStateUnrestricted(viewer), ref, opts.objectDeleted ?? ACTIVE_ONLY);
  if (!hit) return undefined;
  const scope = { eventIds: [hit.event.id], objectIds: [hit.object.id] };
  const children = await stores.eventReads.loadChildren(viewer, scope, opts.deleted ?? ACTIVE_ONLY);
  const attributeTags = children.attributes.length
    ? await stores.tags.attributeTags(children.attributes.map((a) => a.id)) : new Map<number, TagLink[]>();
  const tagged = (a: Attribute): AttributeDetail => withTags(a, visibleTags(attributeTags.get(a.id), opts));
  const targets = targetIndex(children);
  const object: ObjectDetail = {
    ...hit.object,
    attributes: children.attributes.filter((a) => a.objectId === hit.object.id).map(tagged),
    references: children.references.filter((r) => r.objectId === hit.object.id).map((r) => withTarget(r, targets)),
  };
  return { object, event: hit.event };
}

/** {@link findObjectDetail}, throwing MISP's 404 "Invalid object." when absent or invisible. */
export async function loadObjectDetail(
  ctx: RequestContext, stores: EventReadDeps, ref: Ref, opts: ObjectViewOptions = {},
): Promise<{ object: ObjectDetail; event: MispEvent }> {
  const found = await findObjectDetail(ctx, stores, ref, opts);
  if (!found) throw notFound('Invalid object.');
  return found;
}

/** objects/view shows an object whatever its own deletion state, as MISP does. */
export const OBJECT_VIEW_STATES: DeletedStates = ACTIVE_AND_DELETED;

/**
 * Places attributes in their objects and drops what MISP drops: attributes whose object is not shown
 * (invisible or deleted) and objects left without attributes (`JSONConverterTool::__cleanObjects`).
 * Exported for restSearch, which loads the children of many events at once (src/core/search/event-batch.ts).
 */
export function assembleChildren(
  children: EventChildren, attributeTags: ReadonlyMap<number, readonly TagLink[]>, opts: TagViewOptions,
): { attributes: AttributeDetail[]; objects: ObjectDetail[] } {
  const tagged = (a: Attribute): AttributeDetail => withTags(a, visibleTags(attributeTags.get(a.id), opts));
  const byObject = groupBy(children.attributes.filter((a) => a.objectId !== 0), (a) => a.objectId);
  const refsByObject = groupBy(children.references, (r) => r.objectId);
  const targets = targetIndex(children);
  const objects = children.objects.flatMap((o): ObjectDetail[] => {
    const attributes = byObject.get(o.id);
    if (!attributes?.length) return [];
    const references = (refsByObject.get(o.id) ?? []).map((r) => withTarget(r, targets));
    return [{ ...o, attributes: attributes.map(tagged), references }];
  });
  return { attributes: children.attributes.filter((a) => a.objectId === 0).map(tagged), objects };
}

interface TargetIndex {
  readonly attributes: ReadonlyMap<number | string, Attribute>;
  readonly objects: ReadonlyMap<number | string, MispObject>;
}

/**
 * The loaded attributes and objects that references name, by id and by uuid (a reference names its target by both).
 * Only referenced keys are indexed: a 50,000-attribute event with a handful of references maps a handful of rows.
 */
function targetIndex(children: EventChildren): TargetIndex {
  const attributes = new Map<number | string, Attribute>();
  const objects = new Map<number | string, MispObject>();
  if (children.references.length === 0) return { attributes, objects };
  const named = new Set<number | string>();
  for (const r of children.references) named.add(r.referencedId).add(r.referencedUuid);
  for (const a of children.attributes) {
    if (named.has(a.id)) attributes.set(a.id, a);
    if (named.has(a.uuid)) attributes.set(a.uuid, a);
  }
  for (const o of children.objects) {
    if (named.has(o.id)) objects.set(o.id, o);
    if (named.has(o.uuid)) objects.set(o.uuid, o);
  }
  return { attributes, objects };
}

/**
 * `Event::__attachReferences`: the target summary when it is among what the reader sees in this event,
 * else null (rendered as MISP's "… from another event" placeholder).
 */
function withTarget(r: ObjectReference, t: TargetIndex): ObjectReferenceDetail {
  if (r.referencedType === 1) {
    const object = t.objects.get(r.referencedId) ?? t.objects.get(r.referencedUuid);
    return { ...r, target: object ? { kind: 'object', object } : null };
  }
  const attribute = t.attributes.get(r.referencedId) ?? t.attributes.get(r.referencedUuid);
  return { ...r, target: attribute ? { kind: 'attribute', attribute } : null };
}

/** The tags a reader is shown: exportable ones unless `includeAllTags`, no local ones with `excludeLocalTags`. */
export function visibleTags(links: readonly TagLink[] | undefined, opts: TagViewOptions): TagLink[] {
  return (links ?? []).filter((l) => (opts.includeAllTags || l.tag.exportable) && !(opts.excludeLocalTags && l.local));
}

/** `event_creator_email` goes to site admins and to perm_audit users of the creator org only. */
async function creatorEmailFor(ctx: RequestContext, stores: EventReadDeps, event: MispEvent): Promise<string | undefined> {
  const { actor } = ctx;
  if (!actor.isSiteAdmin && !(event.orgcId === actor.org.id && actor.role.perms.perm_audit)) return undefined;
  return (await stores.identity.findUser({ id: event.userId }))?.email;
}


function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
