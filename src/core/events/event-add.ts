import { defaultEventDistribution } from '../attributes/distribution.js';
import { blocklistRefusals } from '../blocklists/blocklist-service.js';
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
import { type AttributePlan, type InsertedGraph, insertNewGraphs, resolveReferences } from './graph-persist.js';
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

/** An add that passed the checks made before the transaction: its body as read, with its event's info and distribution. */
interface Checked {
  readonly index: number;
  readonly input: EventInput;
  readonly info: string;
  readonly distribution: number;
}

/** An add whose event row was inserted. */
interface Inserted extends Checked {
  readonly eventId: number;
  readonly sgAllowed: (id: number) => boolean;
}

/** What one body of {@link addEvents} came to: what it stored, or the error events/add would answer for it. */
export type AddEventOutcome = { readonly ok: true; readonly result: AddEventResult } | { readonly ok: false; readonly error: unknown };

/**
 * events/add (EventsController::add, Event::_add; spec §2.11): one transaction that stores the event, its tags,
 * attributes, objects and references. Invalid elements are dropped and reported; the event-level problems of MISP
 * (blocklists, sharing group, published-but-empty, existing uuid → 404 with Location) abort the whole add.
 */
export async function addEvent(ctx: RequestContext, env: EventWriteEnv, body: unknown): Promise<AddEventResult> {
  const [outcome] = await addEvents(ctx, env, [body]);
  if (!outcome!.ok) throw outcome!.error;
  return outcome!.result;
}

/**
 * Many events/add bodies in one transaction, as a bulk importer (a sync pull, a feed, a dump) writes them
 * (performance.md §5.1 group commit). Each body is checked, refused and reported on its own exactly as events/add
 * would do it alone, in input order; the rows of all of them are written together: one blocklist lookup, one tag
 * lookup and one insert per table for the group, so the statements events/add pays per event are paid per group.
 * An error other than a refusal (the database failing) rolls the whole group back.
 */
export async function addEvents(ctx: RequestContext, env: EventWriteEnv, bodies: readonly unknown[]): Promise<AddEventOutcome[]> {
  const outcomes = new Array<AddEventOutcome>(bodies.length);
  const parsed = bodies.map(parseEventBody);
  // Event::_add consults the blocklists before it validates anything.
  const refusals = await blocklistRefusals(ctx, env.storage, parsed.map((p) => ({
    eventUuid: p.ok ? p.event.uuid : undefined,
    orgcUuid: (p.ok && ctx.actor.role.perms.perm_sync ? p.event.orgc?.uuid : undefined) ?? ctx.actor.org.uuid,
  })));
  const checked: Checked[] = [];
  parsed.forEach((p, index) => {
    const refusal = refusals[index] ?? invalidEvent(p);
    if (refusal) outcomes[index] = { ok: false, error: refusal };
    else if (p.ok) {
      const distribution = p.event.distribution ?? defaultEventDistribution(ctx.settings.get('MISP.default_event_distribution'));
      checked.push({ index, input: p.event, info: p.event.info!, distribution });
    }
  });
  if (checked.length === 0) return outcomes;
  const added = await correlatedTransaction(ctx, env.storage, async (tx) => {
    const inserted = await insertEvents(ctx, tx, checked, outcomes);
    return inserted.length === 0 ? [] : addContent(ctx, env, tx, inserted);
  });
  for (const { index, result } of added) outcomes[index] = { ok: true, result };
  return outcomes;
}

/** The event-level refusal of a body that is read but cannot be added (Event::_add's validation), if any. */
function invalidEvent(parsed: ReturnType<typeof parseEventBody>): DomainError | undefined {
  if (!parsed.ok) return saveFailed('Could not add Event', { Event: parsed.errors });
  const input = parsed.event;
  if (input.info === undefined) return saveFailed('Could not add Event', { Event: { info: ['Info cannot be empty.'] } });
  if (input.published && input.attributes.length === 0 && input.objects.length === 0) {
    return saveFailed('Could not add Event', { Event: 'Received a published event that was empty. Event add process blocked.' });
  }
  return undefined;
}

/**
 * The event rows of the checked adds, in one insert; an add is refused (into `outcomes`) for its sharing group or
 * because its uuid is taken. MISP refuses an existing uuid before anything else: the unique index tells it on insert
 * (no look-up per event), and a refusal raised before the insert first checks whether the uuid exists.
 */
async function insertEvents(ctx: RequestContext, tx: Stores, checked: readonly Checked[], outcomes: AddEventOutcome[]): Promise<Inserted[]> {
  const refuseIfExists = async (input: EventInput): Promise<DomainError | undefined> => {
    const existing = input.uuid ? await tx.eventWrites.findEvent({ uuid: input.uuid }) : undefined;
    return existing && new DomainError(ErrorCode.AlreadyExists, EVENT_EXISTS, undefined, { location: `/events/${existing.id}`, id: existing.id });
  };
  const rows: { readonly add: Checked; readonly row: NewEvent; readonly sgAllowed: (id: number) => boolean }[] = [];
  for (const add of checked) {
    try {
      rows.push({ add, ...await newEventRow(ctx, tx, add.input, add.info, add.distribution) });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      outcomes[add.index] = { ok: false, error: await refuseIfExists(add.input) ?? err };
    }
  }
  const ids = rows.length > 0 ? await tx.eventWrites.insertNewEvents(rows.map((r) => r.row)) : [];
  const inserted: Inserted[] = [];
  for (const [k, { add, row, sgAllowed }] of rows.entries()) {
    const eventId = ids[k];
    if (eventId !== null && eventId !== undefined) {
      inserted.push({ ...add, eventId, sgAllowed });
      continue;
    }
    const refusal = await refuseIfExists(add.input);
    if (!refusal) throw new Error(`event ${row.uuid} was neither inserted nor found`);
    outcomes[add.index] = { ok: false, error: refusal };
  }
  return inserted;
}

/** One event's plans, with where its errors go. */
interface Planned {
  readonly add: Inserted;
  readonly errors: WriteErrors;
  readonly attributes: Keyed<AttributePlan>[];
  readonly objects: Keyed<ObjectPlan>[];
}

/**
 * Tags, attributes, objects, references, reports and attribute counts of new events, each kind in one batch for all
 * of them; returns, per event, what was dropped and what was stored.
 */
async function addContent(
  ctx: RequestContext, env: EventWriteEnv, tx: Stores, added: readonly Inserted[],
): Promise<{ readonly index: number; readonly result: AddEventResult }[]> {
  const captured = await captureTags(ctx, tx, added.flatMap((a) => allTags(a.input)));
  await tx.tags.linkNewEventTags(added.flatMap((a) => tagLinks(a.input.tags, captured).map((l) => ({ ...l, eventId: a.eventId }))));
  const planned: Planned[] = added.map((add) => {
    const errors: WriteErrors = {};
    const b = buildContextOf(ctx, env, add.sgAllowed);
    const seen = { attributes: new Set<string>(), objects: new Set<string>() };
    const attributes = planAttributes(b, add.input, add.eventId, seen.attributes, errors);
    return { add, errors, attributes, objects: planObjects(b, add.input, add.eventId, seen, errors) };
  });
  const stored = await insertNewGraphs(tx, planned.map((p) => ({
    attributes: p.attributes.map((k) => k.plan), objects: p.objects.map((k) => k.plan),
  })), captured);
  const written = planned.map((p, g) => writtenGraph(ctx, p, stored[g]!));
  const refs = written.flatMap((w) => w.references);
  const refIds = refs.length > 0 ? await tx.eventWrites.insertObjectReferences(refs) : [];
  let r = 0;
  const results = written.map((w, g) => {
    const references: ObjectReference[] = w.references.map((x) => ({ ...x, id: refIds[r++]! }));
    const { add, errors } = planned[g]!;
    return { index: add.index, result: { eventId: add.eventId, errors, written: { attributes: w.attributes, objects: w.objects, references } } };
  });
  for (const { add } of planned) if (add.input.reports.length > 0) await captureEventReports(ctx, tx, add.eventId, add.input.reports);
  await tx.eventWrites.setAttributeCounts(results.map(({ result }) => ({
    eventId: result.eventId, count: result.written.attributes.filter((a) => !a.deleted).length,
  })));
  return results;
}

/** One event's stored attributes and objects with their ids, its dropped ones reported, and its references resolved. */
function writtenGraph(ctx: RequestContext, p: Planned, stored: InsertedGraph) {
  const eventId = p.add.eventId;
  const attributes: Attribute[] = [];
  const attributeIds = new Map(stored.objectAttributeIds);
  p.attributes.forEach(({ key, plan }, i) => {
    const id = stored.attributeIds[i];
    if (id === null || id === undefined) {
      addError(p.errors, 'Attribute', key, NOT_UNIQUE);
      return;
    }
    attributes.push(storedAttribute(plan.row, id));
    attributeIds.set(plan.row.uuid, id);
  });
  const objectIds = new Map<string, number>();
  const objects: MispObject[] = [];
  p.objects.forEach(({ key, plan }, i) => {
    const objectId = stored.objectIds[i];
    if (objectId === null || objectId === undefined) {
      addError(p.errors, 'Object', key, NOT_UNIQUE);
      return;
    }
    objectIds.set(plan.row.uuid, objectId);
    objects.push({ ...plan.row, id: objectId });
    for (const a of plan.attributes) attributes.push(storedAttribute(a.row, stored.objectAttributeIds.get(a.row.uuid)!, objectId));
  });
  const references = resolveReferences(
    p.objects.flatMap(({ plan }) => plan.references.map((r) => ({ sourceUuid: plan.row.uuid, input: r }))),
    { object: (u) => objectIds.get(u), attribute: (u) => attributeIds.get(u) }, eventId, ctx.now,
  );
  return { attributes, objects, references };
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
