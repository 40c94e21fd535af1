import { ACTIVE_AND_DELETED, ACTIVE_ONLY, type DeletedStates } from '../acl/event-visibility.js';
import { canModifyEvent } from '../acl/event-permissions.js';
import { defaultAttributeDistribution } from '../attributes/distribution.js';
import type { RequestContext } from '../context.js';
import { forbidden, notAllowed, notFound, saveFailed } from '../errors.js';
import { viewerFor } from '../events/event-view.js';
import { refOrNotFound, sharingGroupGate, unpublish, visibleEventOrNotFound } from '../events/event-write-env.js';
import type { FieldErrors } from '../misp-format/input-readers.js';
import { Distribution } from '../model/event.js';
import type { EventReportEvent, EventReportHit } from '../model/event-report.js';
import type { Actor } from '../model/user.js';
import type { Stores } from '../ports/stores.js';
import { newUuid, parseRef } from '../util/uuid.js';
import {
  type EventReportInput, INVALID_SG, NAME_BLANK, readEventReportInput, UUID_TAKEN,
} from './event-report-input.js';

/**
 * Event reports (EventReportsController / EventReport model, spec §2.8, §3.7). Reads go through the report rule of
 * spec §4.3 (event visible and report passes the element test), so an invisible report answers exactly like a
 * missing one: 404 "Invalid report". Writes run inside the caller's transaction and unpublish the event (§4.6).
 */

/** `ACLComponent::canEditEventReport` (spec §4.5): site admins, or users of the event's creator org. */
export function canEditEventReport(actor: Actor, event: Pick<EventReportEvent, 'orgcId'>): boolean {
  return actor.isSiteAdmin || event.orgcId === actor.org.id;
}

function fail(action: 'add' | 'edit', errors: FieldErrors, id?: number): never {
  throw saveFailed(`Could not ${action} EventReport`, errors, id !== undefined ? { id } : {});
}

/** Name not blank, distribution in range, sharing group usable by the actor (SharingGroup::checkIfAuthorised). */
async function checkedFields(
  ctx: RequestContext, stores: Stores, merged: { name: string; distribution: number; sharingGroupId: number }, keepSg?: number,
): Promise<{ errors: FieldErrors; sharingGroupId: number }> {
  const errors: FieldErrors = {};
  if (merged.name.trim() === '') errors.name = [NAME_BLANK];
  let sharingGroupId = 0;
  if (merged.distribution === Distribution.SharingGroup) {
    sharingGroupId = merged.sharingGroupId;
    const allowed = sharingGroupId === keepSg || (await sharingGroupGate(ctx, stores, [sharingGroupId]))(sharingGroupId);
    if (!sharingGroupId || !allowed) errors.sharing_group_id = [INVALID_SG];
  }
  return { errors, sharingGroupId };
}

function parsed(action: 'add' | 'edit', body: unknown, id?: number): EventReportInput {
  const r = readEventReportInput(body);
  if (!r.ok) fail(action, r.errors, id);
  return r.value;
}

async function reload(ctx: RequestContext, stores: Stores, id: number): Promise<EventReportHit> {
  const hit = await stores.eventReports.findVisible(await viewerFor(ctx, stores), { id });
  if (!hit) throw notFound('Invalid report');
  return hit;
}

/** eventReports/add/{event}: perm_add (route ACL) and canModifyEvent on a visible event (`__canModifyReport`). */
export async function addEventReport(ctx: RequestContext, stores: Stores, rawEventRef: string | undefined, body: unknown): Promise<EventReportHit> {
  if (rawEventRef === undefined || rawEventRef === '') throw notAllowed('No event ID set.');
  const event = await visibleEventOrNotFound(ctx, stores, refOrNotFound(rawEventRef, 'Invalid event'));
  if (!canModifyEvent(ctx.actor, event)) throw forbidden();
  const input = parsed('add', body);
  const distribution = input.distribution ?? defaultAttributeDistribution(ctx.settings.get('MISP.default_attribute_distribution'));
  const { errors, sharingGroupId } = await checkedFields(ctx, stores, {
    name: input.name ?? '', distribution, sharingGroupId: input.sharingGroupId ?? 0,
  });
  const uuid = input.uuid ?? newUuid();
  if (await stores.eventReports.uuidTaken(uuid)) errors.uuid = [UUID_TAKEN];
  if (Object.keys(errors).length) fail('add', errors);
  const report = await stores.eventReports.insert({
    uuid, eventId: event.id, name: input.name ?? '', content: input.content ?? '', distribution, sharingGroupId,
    timestamp: input.timestamp ?? ctx.now, deleted: false,
  });
  await unpublish(stores, event.id, ctx.now);
  return reload(ctx, stores, report.id);
}

/** One report of an event body, stored as a new report if valid (EventReport::captureReport); false when dropped. */
async function captureOne(ctx: RequestContext, stores: Stores, eventId: number, input: EventReportInput): Promise<boolean> {
  const distribution = input.distribution ?? defaultAttributeDistribution(ctx.settings.get('MISP.default_attribute_distribution'));
  const { errors, sharingGroupId } = await checkedFields(ctx, stores, {
    name: input.name ?? '', distribution, sharingGroupId: input.sharingGroupId ?? 0,
  });
  const uuid = input.uuid ?? newUuid();
  if (Object.keys(errors).length > 0 || await stores.eventReports.uuidTaken(uuid)) return false;
  await stores.eventReports.insert({
    uuid, eventId, name: input.name ?? '', content: input.content ?? '', distribution, sharingGroupId,
    timestamp: input.timestamp ?? ctx.now, deleted: input.deleted ?? false,
  });
  return true;
}

/**
 * The `EventReport` list of an events/add body (Event::_add → EventReport::captureReport): each valid report is
 * stored with the new event; an invalid one (blank name, bad distribution or uuid, a uuid already taken, a sharing
 * group the actor may not use) is dropped, as MISP drops it (it only logs the validation errors).
 */
export async function captureEventReports(ctx: RequestContext, stores: Stores, eventId: number, raw: readonly unknown[]): Promise<number> {
  let stored = 0;
  for (const body of raw) {
    const r = readEventReportInput(body);
    if (r.ok && await captureOne(ctx, stores, eventId, r.value)) stored++;
  }
  return stored;
}

/**
 * The `EventReport` list of an events/edit body (Event::_edit → EventReport::editReport from a pull): a report not
 * stored yet is captured as on add; a stored one of this event is updated when the body's timestamp is newer (none
 * sent: now). MISP looks the uuid up across every event and would move another event's report here; Cairn leaves
 * reports of other events alone. Returns whether anything changed.
 */
export async function editEventReports(ctx: RequestContext, stores: Stores, eventId: number, raw: readonly unknown[]): Promise<boolean> {
  let changed = false;
  for (const body of raw) {
    const r = readEventReportInput(body);
    if (!r.ok) continue;
    const input = r.value;
    const old = input.uuid ? await stores.eventReports.findByUuid(input.uuid) : undefined;
    if (!old) {
      changed = (await captureOne(ctx, stores, eventId, input)) || changed;
      continue;
    }
    if (old.eventId !== eventId || (input.timestamp !== undefined && input.timestamp <= old.timestamp)) continue;
    const distribution = input.distribution ?? old.distribution;
    const { errors, sharingGroupId } = await checkedFields(ctx, stores, {
      name: input.name ?? old.name, distribution, sharingGroupId: input.sharingGroupId ?? old.sharingGroupId,
    }, old.sharingGroupId);
    if (Object.keys(errors).length > 0) continue;
    await stores.eventReports.update(old.id, {
      name: input.name ?? old.name, content: input.content ?? old.content, distribution, sharingGroupId,
      deleted: input.deleted ?? old.deleted, timestamp: input.timestamp ?? ctx.now,
    });
    changed = true;
  }
  return changed;
}

/** A visible report the actor may edit or delete (`EventReport::fetchIfAuthorized` with 'edit' / 'delete'). */
async function editableReport(ctx: RequestContext, stores: Stores, rawRef: string | undefined): Promise<EventReportHit> {
  const hit = await viewEventReport(ctx, stores, rawRef);
  if (!canEditEventReport(ctx.actor, hit.event)) throw forbidden();
  return hit;
}

/**
 * eventReports/edit/{id|uuid}: name, content, distribution and sharing group from the body over the stored report;
 * id, uuid, event and deletion state stay. The timestamp becomes now (a client's is ignored outside sync).
 */
export async function editEventReport(ctx: RequestContext, stores: Stores, rawRef: string | undefined, body: unknown): Promise<EventReportHit> {
  const { report: old, event } = await editableReport(ctx, stores, rawRef);
  const input = parsed('edit', body, old.id);
  const distribution = input.distribution ?? old.distribution;
  const { errors, sharingGroupId } = await checkedFields(ctx, stores, {
    name: input.name ?? old.name, distribution, sharingGroupId: input.sharingGroupId ?? old.sharingGroupId,
  }, old.sharingGroupId);
  if (Object.keys(errors).length) fail('edit', errors, old.id);
  await stores.eventReports.update(old.id, {
    name: input.name ?? old.name, content: input.content ?? old.content, distribution, sharingGroupId, timestamp: ctx.now,
  });
  await unpublish(stores, event.id, ctx.now);
  return reload(ctx, stores, old.id);
}

/**
 * eventReports/delete/{id|uuid}[/1]: soft deletion flags the report (and bumps its timestamp so the change syncs),
 * hard deletion removes it. Returns MISP's success text, which names the report as the caller did.
 */
export async function deleteEventReport(
  ctx: RequestContext, stores: Stores, rawRef: string | undefined, hard: boolean,
): Promise<string> {
  const { report, event } = await editableReport(ctx, stores, rawRef);
  if (hard) await stores.eventReports.delete(report.id);
  else await stores.eventReports.update(report.id, { deleted: true, timestamp: ctx.now });
  await unpublish(stores, event.id, ctx.now);
  return `Event Report ${rawRef ?? ''} ${hard ? 'hard' : 'soft'} deleted`;
}

/** eventReports/restore/{id|uuid}: clears the soft-deletion flag. */
export async function restoreEventReport(ctx: RequestContext, stores: Stores, rawRef: string | undefined): Promise<string> {
  const { report, event } = await editableReport(ctx, stores, rawRef);
  await stores.eventReports.update(report.id, { deleted: false, timestamp: ctx.now });
  await unpublish(stores, event.id, ctx.now);
  return `Event Report ${rawRef ?? ''} restored`;
}

/** eventReports/view/{id|uuid}: a visible report in any deletion state, as `EventReport::simpleFetchById`. */
export async function viewEventReport(ctx: RequestContext, stores: Stores, rawRef: string | undefined): Promise<EventReportHit> {
  const ref = parseRef(rawRef);
  const hit = ref && await stores.eventReports.findVisible(await viewerFor(ctx, stores), ref);
  if (!hit) throw notFound('Invalid report');
  return hit;
}

export interface EventReportIndexParams {
  /** `event_id:` filter: an event id or uuid. */
  readonly eventId?: string | undefined;
  /** Substring of name or content, or an id / uuid. */
  readonly value?: string | undefined;
  /** `default` (active), `deleted` (soft-deleted only) or `all`. */
  readonly context?: string | undefined;
}

const CONTEXT_STATES: Record<string, DeletedStates> = { default: ACTIVE_ONLY, deleted: [1], all: ACTIVE_AND_DELETED };

/** eventReports/index: the visible reports, optionally of one event (`__generateIndexConditions`). */
export async function listEventReports(ctx: RequestContext, stores: Stores, p: EventReportIndexParams): Promise<EventReportHit[]> {
  const viewer = await viewerFor(ctx, stores);
  let eventIds: number[] | undefined;
  if (p.eventId !== undefined && p.eventId !== '') {
    const ref = parseRef(p.eventId);
    if (!ref) return [];
    if ('id' in ref) eventIds = [ref.id];
    else {
      const event = await stores.eventReads.findEvent(viewer, ref);
      eventIds = event ? [event.id] : [];
    }
  }
  return stores.eventReports.listVisible(viewer, {
    deleted: CONTEXT_STATES[p.context ?? 'default'] ?? ACTIVE_ONLY,
    ...(eventIds ? { eventIds } : {}),
    ...(p.value ? { value: p.value } : {}),
  });
}

