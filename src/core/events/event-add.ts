import { defaultEventDistribution } from '../attributes/distribution.js';
import { assertNotBlocked } from '../blocklists/blocklist-service.js';
import { captureEventReports } from '../event-reports/event-report-service.js';
import type { RequestContext } from '../context.js';
import { correlatedTransaction } from '../correlation/correlated-transaction.js';
import { DomainError, ErrorCode, notAllowed, saveFailed } from '../errors.js';
import { type EventInput, parseEventBody } from '../misp-format/event-input.js';
import { elementKey } from '../misp-format/input-readers.js';
import { type Attribute, Distribution, type MispObject, type ObjectReference, storedAttribute } from '../model/event.js';
import type { EventChildren } from '../ports/event-read-store.js';
import type { NewEvent } from '../ports/event-write-store.js';
import type { Stores } from '../ports/stores.js';
import { newUuid } from '../util/uuid.js';
import { type AttributeBuildContext, buildNewAttribute, DuplicateIndex } from './attribute-build.js';
import { creatorOrgId } from './creator-org.js';
import {
  addError, buildContextOf, type EventWriteEnv, keepsPublishedFlag, sharingGroupGate, type WriteErrors,
} from './event-write-env.js';
import { type AttributePlan, insertNewGraph, resolveReferences } from './graph-persist.js';
import { buildNewObject, type ObjectBuildContext, type ObjectPlan } from './object-build.js';
import { captureTags, tagLinks } from './tag-capture.js';

export const EVENT_EXISTS = 'Event already exists, if you would like to edit it, use the url in the location header.';
const NOT_UNIQUE = { uuid: ['The UUID provided is not unique'] };

export interface AddEventResult {
  readonly eventId: number;
  /** Attributes and objects that were dropped, keyed like attributes/add (`attribute_3`, `object_0`). */
  readonly errors: WriteErrors;
  /** The rows as stored, with their ids: the answer renders them without reading them back (written-children.ts). */
  readonly written: EventChildren;
}

/** Every sharing group the body names with distribution 4, for one authorisation lookup each. */
export function sharingGroupsNamed(input: EventInput): number[] {
  const ids: number[] = [];
  const note = (d: number | undefined, sg: number | undefined) => { if (d === Distribution.SharingGroup && sg) ids.push(sg); };
  note(input.distribution, input.sharingGroupId);
  for (const a of input.attributes) if (a.ok) note(a.value.distribution, a.value.sharingGroupId);
  for (const o of input.objects) {
    if (!o.ok) continue;
    note(o.value.distribution, o.value.sharingGroupId);
    for (const a of o.value.attributes) if (a.ok) note(a.value.distribution, a.value.sharingGroupId);
  }
  return ids;
}

/** A plan with the key its errors are reported under (`attribute_3`, `object_0`). */
interface Keyed<T> {
  readonly key: string;
  readonly plan: T;
}

/**
 * Top-level attributes: invalid ones reported, in-request duplicates of (type, category, value) dropped silently
 * (Event::_add). `seen`: the uuids planned so far; a uuid stored in another event is caught by the insert.
 */
function planAttributes(b: AttributeBuildContext, input: EventInput, eventId: number, seen: Set<string>, errors: WriteErrors): Keyed<AttributePlan>[] {
  const plans: Keyed<AttributePlan>[] = [];
  const dupes = new DuplicateIndex();
  for (const parsed of input.attributes) {
    const key = elementKey('attribute', parsed.index);
    if (!parsed.ok) { addError(errors, 'Attribute', key, parsed.errors); continue; }
    const built = buildNewAttribute(b, parsed.value, { eventId, objectId: 0 });
    if (!built.ok) { addError(errors, 'Attribute', key, built.errors); continue; }
    if (seen.has(built.row.uuid)) { addError(errors, 'Attribute', key, NOT_UNIQUE); continue; }
    if (dupes.find(built.row) !== undefined) continue;
    seen.add(built.row.uuid);
    dupes.add(built.row);
    plans.push({ key, plan: { row: built.row, tags: parsed.value.tags, attachment: parsed.value } });
  }
  return plans;
}

function planObjects(b: ObjectBuildContext, input: EventInput, eventId: number, seen: { attributes: Set<string>; objects: Set<string> }, errors: WriteErrors): Keyed<ObjectPlan>[] {
  const plans: Keyed<ObjectPlan>[] = [];
  for (const parsed of input.objects) {
    const key = elementKey('object', parsed.index);
    if (!parsed.ok) { addError(errors, 'Object', key, parsed.errors); continue; }
    const built = buildNewObject(b, parsed.value, eventId, { requireTemplateInfo: false, inheritSeen: false });
    if (!built.ok) { addError(errors, 'Object', key, built.error); continue; }
    const uuids = [built.plan.row.uuid, ...built.plan.attributes.map((a) => a.row.uuid)];
    if (seen.objects.has(built.plan.row.uuid) || built.plan.attributes.some((a) => seen.attributes.has(a.row.uuid))
      || new Set(uuids).size !== uuids.length) {
      addError(errors, 'Object', key, NOT_UNIQUE);
      continue;
    }
    seen.objects.add(built.plan.row.uuid);
    for (const a of built.plan.attributes) seen.attributes.add(a.row.uuid);
    plans.push({ key, plan: built.plan });
  }
  return plans;
}

function allTags(input: EventInput) {
  const tags = [...input.tags];
  for (const a of input.attributes) if (a.ok) tags.push(...a.value.tags);
  for (const o of input.objects) if (o.ok) for (const a of o.value.attributes) if (a.ok) tags.push(...a.value.tags);
  return tags;
}

/** Tags, attributes, objects and references of a new event, in batches; returns what was dropped and what was stored. */
async function addContent(
  ctx: RequestContext, env: EventWriteEnv, tx: Stores, eventId: number, input: EventInput, sgAllowed: (id: number) => boolean,
): Promise<{ errors: WriteErrors; written: EventChildren }> {
  const captured = await captureTags(ctx, tx, allTags(input));
  const eventLinks = tagLinks(input.tags, captured);
  if (eventLinks.length > 0) await tx.tags.linkEventTags(eventId, eventLinks, { fresh: true });
  const errors: WriteErrors = {};
  const b = buildContextOf(ctx, env, sgAllowed);
  const seen = { attributes: new Set<string>(), objects: new Set<string>() };
  const attributePlans = planAttributes(b, input, eventId, seen.attributes, errors);
  const objectPlans = planObjects(b, input, eventId, seen, errors);
  const stored = await insertNewGraph(tx, eventId, attributePlans.map((p) => p.plan), objectPlans.map((p) => p.plan), captured);
  const attributes: Attribute[] = [];
  const attributeIds = new Map(stored.objectAttributeIds);
  attributePlans.forEach(({ key, plan }, i) => {
    const id = stored.attributeIds[i];
    if (id === null || id === undefined) {
      addError(errors, 'Attribute', key, NOT_UNIQUE);
      return;
    }
    attributes.push(storedAttribute(plan.row, id));
    attributeIds.set(plan.row.uuid, id);
  });
  const objectIds = new Map<string, number>();
  const objects: MispObject[] = [];
  objectPlans.forEach(({ key, plan }, i) => {
    const objectId = stored.objectIds[i];
    if (objectId === null || objectId === undefined) {
      addError(errors, 'Object', key, NOT_UNIQUE);
      return;
    }
    objectIds.set(plan.row.uuid, objectId);
    objects.push({ ...plan.row, id: objectId });
    for (const a of plan.attributes) attributes.push(storedAttribute(a.row, stored.objectAttributeIds.get(a.row.uuid)!, objectId));
  });
  const refs = resolveReferences(
    objectPlans.flatMap(({ plan }) => plan.references.map((r) => ({ sourceUuid: plan.row.uuid, input: r }))),
    { object: (u) => objectIds.get(u), attribute: (u) => attributeIds.get(u) }, eventId, ctx.now,
  );
  const refIds = refs.length > 0 ? await tx.eventWrites.insertObjectReferences(refs) : [];
  const references: ObjectReference[] = refs.map((r, i) => ({ ...r, id: refIds[i]! }));
  return { errors, written: { attributes, objects, references } };
}

/** The event row of an add, and which sharing groups its elements may name; refuses a sharing group the actor may not use. */
async function newEventRow(
  ctx: RequestContext, tx: Stores, input: EventInput, info: string, distribution: number,
): Promise<{ row: NewEvent; sgAllowed: (id: number) => boolean }> {
  const sgAllowed = await sharingGroupGate(ctx, tx, sharingGroupsNamed(input));
  const sharingGroupId = distribution === Distribution.SharingGroup ? input.sharingGroupId ?? 0 : 0;
  if (distribution === Distribution.SharingGroup && !sgAllowed(sharingGroupId)) throw notAllowed('Invalid Sharing Group or not authorised.');
  const published = input.published === true && keepsPublishedFlag(ctx, ctx.actor.user.id);
  const row: NewEvent = {
    uuid: input.uuid ?? newUuid(), orgId: ctx.actor.org.id, orgcId: await creatorOrgId(ctx, tx, input.orgc),
    userId: ctx.actor.user.id, date: input.date ?? new Date(ctx.now * 1000).toISOString().slice(0, 10), info,
    threatLevelId: input.threatLevelId ?? (ctx.settings.num('MISP.default_event_threat_level') || 4),
    analysis: input.analysis ?? 0, published, publishTimestamp: published ? ctx.now : 0, timestamp: input.timestamp ?? ctx.now,
    distribution, sharingGroupId, locked: input.locked ?? false, disableCorrelation: input.disableCorrelation ?? false,
    extendsUuid: input.extendsUuid ?? '', protected: null,
  };
  return { row, sgAllowed };
}

/**
 * events/add (EventsController::add, Event::_add; spec §2.11): one transaction that stores the event, its tags,
 * attributes, objects and references. Invalid elements are dropped and reported; the event-level problems of MISP
 * (sharing group, published-but-empty, existing uuid → 404 with Location) abort the whole add.
 */
export async function addEvent(ctx: RequestContext, env: EventWriteEnv, body: unknown): Promise<AddEventResult> {
  const parsed = parseEventBody(body);
  // Event::_add consults the blocklists before it validates anything.
  const orgc = parsed.ok && ctx.actor.role.perms.perm_sync ? parsed.event.orgc?.uuid : undefined;
  await assertNotBlocked(ctx, env.storage, parsed.ok ? parsed.event.uuid : undefined, orgc ?? ctx.actor.org.uuid);
  if (!parsed.ok) throw saveFailed('Could not add Event', { Event: parsed.errors });
  const input = parsed.event;
  const info = input.info;
  if (info === undefined) throw saveFailed('Could not add Event', { Event: { info: ['Info cannot be empty.'] } });
  if (input.published && input.attributes.length === 0 && input.objects.length === 0) {
    throw saveFailed('Could not add Event', { Event: 'Received a published event that was empty. Event add process blocked.' });
  }
  const distribution = input.distribution ?? defaultEventDistribution(ctx.settings.get('MISP.default_event_distribution'));
  return correlatedTransaction(ctx, env.storage, async (tx) => {
    // MISP refuses an existing uuid before anything else. The event's unique index tells it on insert (one statement
    // less per event); a refusal raised before the insert first checks whether the uuid exists.
    const refuseIfExists = async () => {
      const existing = input.uuid ? await tx.eventWrites.findEvent({ uuid: input.uuid }) : undefined;
      if (existing) throw new DomainError(ErrorCode.AlreadyExists, EVENT_EXISTS, undefined, { location: `/events/${existing.id}`, id: existing.id });
    };
    const { row, sgAllowed } = await newEventRow(ctx, tx, input, info, distribution).catch(async (err: unknown) => {
      if (err instanceof DomainError) await refuseIfExists();
      throw err;
    });
    const event = await tx.eventWrites.insertEvent(row);
    if (!event) {
      await refuseIfExists();
      throw new Error(`event ${row.uuid} was neither inserted nor found`);
    }
    const { errors, written } = await addContent(ctx, env, tx, event.id, input, sgAllowed);
    if (input.reports.length > 0) await captureEventReports(ctx, tx, event.id, input.reports);
    await tx.eventWrites.refreshAttributeCount(event.id, written.attributes.filter((a) => !a.deleted).length);
    return { eventId: event.id, errors, written };
  });
}
