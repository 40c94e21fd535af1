import { canDeleteAttribute, canModifyEvent } from '../acl/event-permissions.js';
import type { RequestContext } from '../context.js';
import { correlatedTransaction } from '../correlation/correlated-transaction.js';
import { forbidden, notAllowed, notFound, saveFailed } from '../errors.js';
import { parseAttributeEditBody } from '../misp-format/event-input.js';
import { type Attribute, type AttributeDetail, Distribution, type MispEvent, ReferencedType } from '../model/event.js';
import type { Stores } from '../ports/stores.js';
import { storeAttachments } from '../attachments/attachment-write.js';
import { parseRef } from '../util/uuid.js';
import { DuplicateIndex, mergeAttribute, SIMILAR_ATTRIBUTE } from './attribute-build.js';
import { findAttributeDetail } from './event-view.js';
import { buildContextOf, type EventWriteEnv, refOrNotFound, sharingGroupGate, unpublish } from './event-write-env.js';
import { linkAttributeTags, withTags } from './graph-persist.js';
import { captureTags } from './tag-capture.js';

const NOT_NEWER = 'Attribute could not be saved: Attribute in the request not newer than the local copy.';

async function eventOf(stores: Stores, eventId: number): Promise<MispEvent> {
  const event = await stores.eventWrites.findEvent({ id: eventId });
  if (!event) throw notFound('Invalid attribute');
  return event;
}

/**
 * attributes/edit/{id} (AttributesController::edit, spec §3.2): a partial attribute laid over the stored one. The
 * attribute must be visible and live, the actor able to modify its event, and a sent timestamp newer than the
 * stored one (405 otherwise). Unpublishes the event and touches the containing object.
 */
export async function editAttribute(ctx: RequestContext, env: EventWriteEnv, rawRef: string | undefined, body: unknown): Promise<AttributeDetail> {
  const ref = refOrNotFound(rawRef, 'Invalid attribute ID.');
  return correlatedTransaction(ctx, env.storage, async (tx) => {
    const existing = await findAttributeDetail(ctx, tx, ref);
    if (!existing) throw notFound('Invalid attribute');
    const event = await eventOf(tx, existing.eventId);
    if (!canModifyEvent(ctx.actor, event)) throw forbidden();
    const parsed = parseAttributeEditBody(body);
    if (!parsed.ok) throw saveFailed('Could not edit Attribute', parsed.errors);
    const input = parsed.value;
    const sgAllowed = await sharingGroupGate(ctx, tx, input.distribution === Distribution.SharingGroup ? [input.sharingGroupId ?? 0] : []);
    if (input.distribution === Distribution.SharingGroup && !sgAllowed(input.sharingGroupId ?? 0)) {
      throw forbidden('Invalid Sharing Group or not authorised.');
    }
    if (input.timestamp !== undefined && input.timestamp <= existing.timestamp) throw notAllowed(NOT_NEWER);
    const b = buildContextOf(ctx, env, (id) => sgAllowed(id) || id === existing.sharingGroupId);
    const merged = mergeAttribute(b, existing, input, input.timestamp ?? ctx.now);
    if (!merged.ok) throw saveFailed('Could not edit Attribute', merged.errors);
    const row = merged.row;
    if (DuplicateIndex.applies(row)) {
      const index = new DuplicateIndex();
      for (const a of await tx.eventWrites.findLiveAttributesByValue(event.id, [row.value1])) index.add(a, a);
      if (index.find(row, row.id)) throw saveFailed('Could not edit Attribute', { value: [SIMILAR_ATTRIBUTE] });
    }
    await tx.eventWrites.saveAttributes([row]);
    await storeAttachments(tx, [{ id: row.id, row, source: input }]);
    if (ctx.actor.isSiteAdmin || ctx.actor.role.perms.perm_tagger) {
      await linkAttributeTags(tx, event.id, [input], [row.id], await captureTags(ctx, tx, input.tags));
    }
    await unpublish(tx, event.id, ctx.now);
    if (row.objectId !== 0) await tx.eventWrites.touchObject(row.objectId, ctx.now);
    if (row.deleted !== existing.deleted) await tx.eventWrites.refreshAttributeCount(event.id);
    return (await withTags(tx, [row]))[0]!;
  });
}

/**
 * attributes/delete/{id}[/hard] (AttributesController::delete, MispAttribute::deleteAttribute): no visibility
 * filter, MISP's own delete rule (spec §4.5). Soft delete marks the attribute and references to it deleted.
 */
export async function deleteAttribute(ctx: RequestContext, env: EventWriteEnv, rawRef: string | undefined, hard: boolean): Promise<void> {
  const ref = parseRef(rawRef);
  if (!ref) throw notFound('Invalid attribute ID.');
  await correlatedTransaction(ctx, env.storage, async (tx) => {
    const attribute = await tx.eventWrites.findAttribute(ref);
    if (!attribute || (!hard && attribute.deleted)) throw notFound('Invalid attribute');
    const event = await eventOf(tx, attribute.eventId);
    if (!canDeleteAttribute(ctx.actor, event)) throw forbidden();
    if (hard) await tx.eventWrites.deleteAttribute(attribute.id);
    else await softDeleteAttribute(tx, attribute, ctx.now);
    await unpublish(tx, event.id, ctx.now);
    await tx.eventWrites.refreshAttributeCount(event.id);
  });
}

/** MispAttribute::deleteAttribute's soft delete: marks the attribute and the references pointing at it deleted. */
export async function softDeleteAttribute(stores: Stores, attribute: Attribute, now: number): Promise<void> {
  await stores.eventWrites.saveAttributes([{ ...attribute, deleted: true, timestamp: now }]);
  await stores.eventWrites.softDeleteReferencesTo(ReferencedType.Attribute, attribute.id);
}

/** attributes/restore/{id} (MispAttribute::restore): undeletes, unpublishes; 405 "Invalid Attribute" otherwise. */
export async function restoreAttribute(ctx: RequestContext, env: EventWriteEnv, rawRef: string | undefined): Promise<AttributeDetail> {
  const ref = parseRef(rawRef);
  if (!ref) throw notAllowed('Invalid Attribute');
  const id = await correlatedTransaction(ctx, env.storage, async (tx) => {
    const attribute = await tx.eventWrites.findAttribute(ref);
    const event = attribute && await tx.eventWrites.findEvent({ id: attribute.eventId });
    if (!attribute || !event || !canModifyEvent(ctx.actor, event)) throw notAllowed('Invalid Attribute');
    await tx.eventWrites.saveAttributes([{ ...attribute, deleted: false, timestamp: ctx.now }]);
    await unpublish(tx, event.id, ctx.now);
    await tx.eventWrites.refreshAttributeCount(event.id);
    return attribute.id;
  });
  // MISP answers with a redirect to attributes/view, i.e. the attribute as the actor sees it
  const restored = await findAttributeDetail(ctx, env.storage, { id });
  if (!restored) throw notAllowed('Invalid attribute');
  return restored;
}
