import { canModifyEvent } from '../acl/event-permissions.js';
import type { RequestContext } from '../context.js';
import { correlatedTransaction } from '../correlation/correlated-transaction.js';
import { forbidden, notFound, saveFailed } from '../errors.js';
import { parseObjectBody } from '../misp-format/event-input.js';
import { ReferencedType } from '../model/event.js';
import type { Stores } from '../ports/stores.js';
import { parseRef } from '../util/uuid.js';
import { buildContextOf, type EventWriteEnv, refOrNotFound, sharingGroupGate, unpublish, visibleEventOrNotFound } from './event-write-env.js';
import { insertObjectPlans } from './graph-persist.js';
import { buildNewObject, objectSignature, type ObjectPlan } from './object-build.js';
import { captureTags } from './tag-capture.js';

const COULD_NOT_SAVE = 'Object could not be saved.';

/** MispObject::checkForDuplicateObjects: a live object of the same template with the same attributes. */
async function duplicateOf(stores: Stores, eventId: number, plan: ObjectPlan): Promise<{ id: number; uuid: string } | undefined> {
  if (!plan.row.templateUuid) return undefined;
  const candidates = await stores.eventWrites.findLiveObjectsOfEvent(eventId, plan.row.templateUuid);
  if (candidates.length === 0) return undefined;
  const attrs = await stores.eventWrites.attributesOfObjects(candidates.map((o) => o.id));
  const wanted = objectSignature(plan.attributes.map((a) => a.row));
  return candidates.find((o) => objectSignature(attrs.filter((a) => a.objectId === o.id)) === wanted);
}

/** Refuses an object whose uuid, or one of whose attributes' uuids, is already stored (MISP's `isUnique`). */
async function assertFreshUuids(stores: Stores, plan: ObjectPlan): Promise<void> {
  const [objects, attributes] = await Promise.all([
    stores.eventWrites.findObjectsByUuids([plan.row.uuid]),
    stores.eventWrites.findAttributesByUuids(plan.attributes.map((a) => a.row.uuid)),
  ]);
  const uuids = plan.attributes.map((a) => a.row.uuid);
  if (objects.length > 0 || attributes.length > 0 || new Set(uuids).size !== uuids.length) {
    throw saveFailed('Could not add Object', `${COULD_NOT_SAVE}\nuuid: The UUID provided is not unique`);
  }
}

/**
 * objects/add/{event}[/breakOnDuplicate:1] (ObjectsController::add, MispObject::saveObject; spec §3.3): the object
 * and its attributes are validated together — one invalid attribute, a broken template rule or a missing template
 * reference refuses the whole object with MISP's 403 — then stored, and the event unpublished. Returns the object id.
 */
export async function addObject(
  ctx: RequestContext, env: EventWriteEnv, rawEventRef: string | undefined, body: unknown, breakOnDuplicate: boolean,
): Promise<number> {
  if (!ctx.actor.isSiteAdmin && !ctx.actor.role.perms.perm_modify) throw forbidden("You don't have permissions to create objects.");
  const ref = refOrNotFound(rawEventRef, 'Invalid event.');
  return correlatedTransaction(ctx, env.storage, async (tx) => {
    const event = await visibleEventOrNotFound(ctx, tx, ref, 'Invalid event.');
    if (!canModifyEvent(ctx.actor, event)) throw forbidden();
    const parsed = parseObjectBody(body);
    if (!parsed.ok) throw saveFailed('Could not add Object', parsed.errors);
    const input = parsed.value;
    const named = [input, ...input.attributes.flatMap((a) => (a.ok ? [a.value] : []))]
      .flatMap((x) => (x.distribution === 4 && x.sharingGroupId ? [x.sharingGroupId] : []));
    const b = buildContextOf(ctx, env, await sharingGroupGate(ctx, tx, named));
    const built = buildNewObject(b, input, event.id, { requireTemplateInfo: true, inheritSeen: true });
    if (!built.ok) throw saveFailed('Could not add Object', built.error);
    await assertFreshUuids(tx, built.plan);
    if (breakOnDuplicate || input.breakOnDuplicate) {
      const dup = await duplicateOf(tx, event.id, built.plan);
      if (dup) {
        throw saveFailed('Could not add Object', `${COULD_NOT_SAVE}\nvalue: Duplicate object found (id: ${dup.id}, uuid: ${dup.uuid}). Since breakOnDuplicate is set the object will not be added.`);
      }
    }
    const captured = await captureTags(ctx, tx, input.attributes.flatMap((a) => (a.ok ? a.value.tags : [])));
    // MISP ignores ObjectReference here; PyMISP sends each through objectReferences/add afterwards, so capturing
    // them too would store every reference twice
    const inserted = await insertObjectPlans(tx, [built.plan], captured);
    const objectId = inserted.objectIds.get(built.plan.row.uuid)!;
    await unpublish(tx, event.id, ctx.now);
    await tx.eventWrites.refreshAttributeCount(event.id);
    return objectId;
  });
}

/**
 * objects/delete/{id}[/true] (ObjectsController::delete, MispObject::deleteObject): a soft delete marks the object,
 * its attributes and the references pointing at it deleted; a hard delete removes them. Returns the event id
 * (MISP's success envelope names the event).
 */
export async function deleteObject(ctx: RequestContext, env: EventWriteEnv, rawRef: string | undefined, hard: boolean): Promise<number> {
  if (!ctx.actor.isSiteAdmin && !ctx.actor.role.perms.perm_modify) throw forbidden("You don't have permissions to delete objects.");
  const ref = parseRef(rawRef);
  if (!ref) throw notFound('Invalid object ID.');
  return correlatedTransaction(ctx, env.storage, async (tx) => {
    const object = await tx.eventWrites.findObject(ref);
    const event = object && await tx.eventWrites.findEvent({ id: object.eventId });
    if (!object || !event) throw notFound('Invalid object.');
    if (!canModifyEvent(ctx.actor, event)) throw forbidden();
    if (hard) await tx.eventWrites.deleteObject(object.id);
    else {
      await tx.eventWrites.saveObjects([{ ...object, deleted: true, timestamp: ctx.now }]);
      await tx.eventWrites.softDeleteObjectAttributes(object.id, ctx.now);
      await tx.eventWrites.softDeleteReferencesTo(ReferencedType.Object, object.id);
    }
    await unpublish(tx, event.id, ctx.now);
    await tx.eventWrites.refreshAttributeCount(event.id);
    return event.id;
  });
}
