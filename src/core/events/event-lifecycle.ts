import { canModifyEvent, canPublishEvent } from '../acl/event-permissions.js';
import { blocklistDeletedEvent } from '../blocklists/blocklist-service.js';
import type { RequestContext } from '../context.js';
import { correlatedTransaction } from '../correlation/correlated-transaction.js';
import { forbidden, notAllowed, notFound, saveFailed } from '../errors.js';
import { isRecord } from '../misp-format/input-readers.js';
import type { MispEvent } from '../model/event.js';
import type { Stores } from '../ports/stores.js';
import { parseRef } from '../util/uuid.js';
import { type EventWriteEnv, refOrNotFound } from './event-write-env.js';

/**
 * events/delete, events/publish and events/unpublish (spec §3.1, §4.6). Like MISP these look the event up without
 * the visibility filter and decide on the write rules alone, so an outsider learns nothing more than "not allowed".
 */

/** The ids events/delete acts on: the path's, else the body's `id` (a list, a JSON list, or one id/uuid). */
function idsToDelete(rawId: string | undefined, body: unknown): unknown[] {
  if (rawId !== undefined) return [rawId];
  const b = isRecord(body) && isRecord(body.Event) ? body.Event : body;
  const ids = isRecord(b) ? b.id : undefined;
  if (Array.isArray(ids)) return ids;
  if (typeof ids === 'string' && ids.trim().startsWith('[')) {
    try {
      const list = JSON.parse(ids) as unknown;
      if (Array.isArray(list)) return list;
    } catch {
      // not JSON: treated as one id below
    }
  }
  if (ids === undefined || ids === null || ids === '') throw notFound('Invalid input.');
  return [ids];
}

async function findEvent(stores: Stores, raw: unknown): Promise<MispEvent | undefined> {
  const ref = parseRef(raw);
  return ref ? stores.eventWrites.findEvent(ref) : undefined;
}

/**
 * events/delete (EventsController::delete): hard-deletes each event the actor may modify, with everything in it.
 * One id answers "Event deleted." or MISP's 403 "Event was not deleted."; several get a count.
 */
export async function deleteEvents(ctx: RequestContext, env: EventWriteEnv, rawId: string | undefined, body: unknown): Promise<{ message: string; id: string | undefined }> {
  const ids = idsToDelete(rawId, body);
  return correlatedTransaction(ctx, env.storage, async (tx) => {
    let deleted = 0;
    for (const raw of ids) {
      const event = await findEvent(tx, raw);
      if (event && canModifyEvent(ctx.actor, event) && await tx.eventWrites.deleteEvent(event.id)) {
        await blocklistDeletedEvent(ctx, tx, event);
        deleted++;
      }
    }
    const failed = ids.length - deleted;
    let message: string;
    if (ids.length === 1) message = deleted === 1 ? 'Event deleted.' : 'Event was not deleted.';
    else {
      message = deleted > 0 ? `${deleted} ${deleted === 1 ? 'event' : 'events'} deleted.` : '';
      if (failed > 0) message += `${failed} event(s) could not be deleted due to insufficient privileges or the event not being found.`;
    }
    if (deleted === 0) throw saveFailed('Could not delete Event', message);
    return { message, id: rawId };
  });
}

/**
 * events/publish (EventsController::publish, Event::publish; spec §4.6): sets `published` and `publish_timestamp`,
 * leaving the event timestamp alone. Alerts, ZeroMQ and pushes hook in here once those features exist.
 */
export async function publishEvent(ctx: RequestContext, env: EventWriteEnv, rawId: string | undefined): Promise<{ id: number; message: string }> {
  return env.storage.transaction(async (tx) => {
    const event = await findEvent(tx, rawId);
    if (!event) throw notFound('Invalid event.');
    if (!canPublishEvent(ctx.actor, event)) throw notAllowed('You do not have the permission to do that.');
    if (ctx.settings.bool('MISP.block_publishing_for_same_creator') && ctx.actor.user.id === event.userId) {
      throw notAllowed("Could not publish the event, the publishing user cannot be the same as the event creator as per this instance's configuration.");
    }
    await tx.eventWrites.updateEvent(event.id, { published: true, publishTimestamp: ctx.now });
    // EventsController::publish answers by MISP.background_jobs: with it, the publish side effects (pushes, alerts,
    // ZeroMQ as they land) belong to the background job and the client reads "Job queued". The flag itself is set now.
    return { id: event.id, message: ctx.settings.bool('MISP.background_jobs') ? 'Job queued' : 'Event published without alerts' };
  });
}

/** events/unpublish (EventsController::unpublish): clears `published` only; the timestamp stays. */
export async function unpublishEvent(ctx: RequestContext, env: EventWriteEnv, rawId: string | undefined): Promise<number> {
  const ref = refOrNotFound(rawId, 'Invalid Event.');
  return env.storage.transaction(async (tx) => {
    const event = await tx.eventWrites.findEvent(ref);
    if (!event) throw notFound('Invalid Event.');
    if (!canModifyEvent(ctx.actor, event)) throw forbidden('You do not have the permission to do that.');
    await tx.eventWrites.updateEvent(event.id, { published: false });
    return event.id;
  });
}
