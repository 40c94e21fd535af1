import { editEventReports } from '../event-reports/event-report-service.js';
import { canModifyEvent, canOverwriteEvent } from '../acl/event-permissions.js';
import type { RequestContext } from '../context.js';
import { correlatedTransaction } from '../correlation/correlated-transaction.js';
import { forbidden, isStoredFirst, saveFailed } from '../errors.js';
import { type EventInput, parseEventBody } from '../misp-format/event-input.js';
import { Distribution, type MispEvent } from '../model/event.js';
import type { EventPatch } from '../ports/event-write-store.js';
import type { Ref } from '../util/uuid.js';
import { upsertAttributes } from './attribute-upsert.js';
import { sharingGroupsNamed } from './event-add.js';
import {
  buildContextOf, type EventWriteEnv, keepsPublishedFlag, refOrNotFound, sharingGroupGate, visibleEventOrNotFound,
} from './event-write-env.js';
import { upsertObjects } from './object-upsert.js';
import { captureTags, tagLinks, tagsToDetach } from './tag-capture.js';

const NOT_NEWER = 'Event could not be saved: Event in the request not newer than the local copy.';
const NO_SG = 'Event could not be saved: Sharing group chosen as the distribution level, but no sharing group specified. Make sure that the event includes a valid sharing_group_id or change to a different distribution level.';
const BAD_SG = "Event could not be saved: Invalid sharing group or you don't have access to that sharing group.";
const NOT_CREATOR = 'Event could not be saved: The user used to edit the event is not authorised to do so. This can be caused by the user not being of the same organisation as the original creator of the event whilst also not being a site administrator.';

/** The event columns of an edit: sent fields replace stored ones, absent ones keep them (Event::_edit recover fields). */
function eventPatch(event: MispEvent, input: EventInput, now: number): { patch: EventPatch; changed: boolean } {
  const distribution = input.distribution ?? event.distribution;
  const patch: EventPatch = {
    date: input.date ?? event.date, threatLevelId: input.threatLevelId ?? event.threatLevelId,
    analysis: input.analysis ?? event.analysis, info: input.info ?? event.info, distribution,
    sharingGroupId: distribution === Distribution.SharingGroup ? (input.sharingGroupId ?? event.sharingGroupId) : 0,
    timestamp: input.timestamp ?? now, disableCorrelation: input.disableCorrelation ?? event.disableCorrelation,
    extendsUuid: input.extendsUuid ?? event.extendsUuid,
  };
  const changed = patch.date !== event.date || patch.threatLevelId !== event.threatLevelId || patch.analysis !== event.analysis
    || patch.info !== event.info || patch.distribution !== event.distribution;
  return { patch, changed };
}

/**
 * events/edit (EventsController::edit, Event::_edit; spec §2.11, §6.4, §12.7–8): the body's event, attributes,
 * objects, references and tags are merged into the stored event in one transaction. The incoming timestamp must be
 * newer than the stored one (missing = now); the edit unpublishes unless a publisher sends `published: true`,
 * which then publishes if anything changed. Returns the event id.
 */
export async function editEvent(ctx: RequestContext, env: EventWriteEnv, rawRef: string | undefined, body: unknown): Promise<number> {
  const ref = refOrNotFound(rawRef, 'Invalid event');
  const edit = () => editInTransaction(ctx, env, ref, body);
  // A parallel request may store an element this body adds (its uuid) between the edit's read and its insert; only
  // PostgreSQL runs writers side by side (ADR 0012). Run again, the edit finds that element and merges into it: the
  // answer the two requests get one after the other. The body reads what it acts on inside its transaction and keeps
  // nothing outside it, so the second run starts from the committed state alone.
  try {
    return await edit();
  } catch (err) {
    if (!isStoredFirst(err)) throw err;
    return edit();
  }
}

function editInTransaction(ctx: RequestContext, env: EventWriteEnv, ref: Ref, body: unknown): Promise<number> {
  return correlatedTransaction(ctx, env.storage, async (tx) => {
    const event = await visibleEventOrNotFound(ctx, tx, ref);
    // sync users may try; canOverwriteEvent below then decides (EventsController::edit)
    if (!canModifyEvent(ctx.actor, event) && !ctx.actor.role.perms.perm_sync) throw forbidden('You are not authorised to do that.');
    const fail = (errors: unknown) => saveFailed('Could not edit Event', errors, { id: event.id });
    const parsed = parseEventBody(body);
    if (!parsed.ok) throw fail(parsed.errors);
    const input = parsed.event;
    if (input.timestamp !== undefined && input.timestamp <= event.timestamp) throw fail(NOT_NEWER);
    const sgAllowed = await sharingGroupGate(ctx, tx, sharingGroupsNamed(input));
    if (input.distribution === Distribution.SharingGroup) {
      if (!input.sharingGroupId) throw fail(NO_SG);
      if (!sgAllowed(input.sharingGroupId)) throw fail(BAD_SG);
    }
    if (!canOverwriteEvent(ctx.actor, event)) throw fail(NOT_CREATOR);

    const { patch, changed: fieldsChanged } = eventPatch(event, input, ctx.now);
    const canTag = ctx.actor.isSiteAdmin || ctx.actor.role.perms.perm_tagger;
    const tagInputs = canTag
      ? [...input.tags, ...input.attributes.flatMap((a) => (a.ok ? a.value.tags : [])),
        ...input.objects.flatMap((o) => (o.ok ? o.value.attributes.flatMap((a) => (a.ok ? a.value.tags : [])) : []))]
      : [];
    const captured = await captureTags(ctx, tx, tagInputs);
    const scope = { stores: tx, event, build: buildContextOf(ctx, env, sgAllowed), captured, canTag };
    const attributesChanged = await upsertAttributes(scope, [{ objectId: 0, inputs: input.attributes.flatMap((a) => (a.ok ? [a.value] : [])) }]);
    const objectsChanged = await upsertObjects(scope, input.objects.flatMap((o) => (o.ok ? [o.value] : [])));
    let tagsChanged = false;
    if (canTag) {
      const links = tagLinks(input.tags, captured);
      if (links.length > 0) {
        const attached = new Set(((await tx.tags.eventTags([event.id])).get(event.id) ?? []).map((l) => l.tag.id));
        tagsChanged = links.some((l) => !attached.has(l.tagId));
        await tx.tags.linkEventTags(event.id, links);
      }
      for (const tagId of tagsToDetach(input.tags, captured)) tagsChanged = (await tx.tags.unlinkEventTag(event.id, tagId)) || tagsChanged;
    }
    const reportsChanged = input.reports.length > 0 && await editEventReports(ctx, tx, event.id, input.reports);
    const changed = fieldsChanged || attributesChanged || objectsChanged || tagsChanged || reportsChanged;
    const published = input.published === true && keepsPublishedFlag(ctx, event.userId);
    // published stays set only when a publisher asks; it publishes (new publish_timestamp) only if something changed
    await tx.eventWrites.updateEvent(event.id, {
      ...patch, published, ...(published && changed ? { publishTimestamp: ctx.now } : {}),
    });
    await tx.eventWrites.refreshAttributeCount(event.id);
    return event.id;
  });
}
