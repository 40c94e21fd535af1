import { canModifyEvent } from '../acl/event-permissions.js';
import type { RequestContext } from '../context.js';
import { forbidden, notFound } from '../errors.js';
import { parseReferenceBody } from '../misp-format/event-input.js';
import { type MispEvent, type ObjectReference, ReferencedType } from '../model/event.js';
import type { Stores } from '../ports/stores.js';
import { newUuid, parseRef, type Ref } from '../util/uuid.js';
import { type EventWriteEnv, unpublish } from './event-write-env.js';

/**
 * ObjectReference::getReferencedInfo: the live object, else the live attribute, with this uuid. It must belong to
 * the source event, or — for the creator org — to the event the source event extends.
 */
async function resolveTarget(ctx: RequestContext, stores: Stores, uuid: string, source: MispEvent): Promise<{ id: number; type: number }> {
  const [object] = (await stores.eventWrites.findObjectsByUuids([uuid])).filter((o) => !o.deleted);
  const [attribute] = object ? [] : (await stores.eventWrites.findAttributesByUuids([uuid])).filter((a) => !a.deleted);
  const target = object ?? attribute;
  if (!target) throw notFound('Invalid target.');
  if (target.eventId !== source.id) {
    const extended = source.extendsUuid && source.orgcId === ctx.actor.org.id
      ? await stores.eventWrites.findEvent({ uuid: source.extendsUuid }) : undefined;
    if (extended?.id !== target.eventId) throw notFound('Invalid target. Target has to be within the same event or extending it.');
  }
  return { id: target.id, type: object ? ReferencedType.Object : ReferencedType.Attribute };
}

/**
 * objectReferences/add[/{object}] (ObjectReferencesController::add, spec §3.3): the source object comes from the
 * path, `object_uuid` or `object_id`; it must be live and modifiable by the actor (404 "Invalid object." otherwise).
 * The reference touches its object and unpublishes the event.
 */
export async function addReference(ctx: RequestContext, env: EventWriteEnv, rawObjectRef: string | undefined, body: unknown): Promise<ObjectReference & { objectUuid: string }> {
  const input = parseReferenceBody(body);
  const raw = rawObjectRef ?? input.objectUuid ?? input.objectId;
  if (raw === undefined) throw notFound('No object defined.');
  const ref: Ref | undefined = parseRef(raw);
  return env.storage.transaction(async (tx) => {
    const object = ref && await tx.eventWrites.findObject(ref);
    const event = object && !object.deleted ? await tx.eventWrites.findEvent({ id: object.eventId }) : undefined;
    if (!object || !event || !canModifyEvent(ctx.actor, event)) throw notFound('Invalid object.');
    if (!input.referencedUuid) throw notFound('Invalid target.');
    const target = await resolveTarget(ctx, tx, input.referencedUuid, event);
    const row = {
      uuid: newUuid(), timestamp: ctx.now, objectId: object.id, eventId: event.id, sourceUuid: object.uuid,
      referencedUuid: input.referencedUuid, referencedId: target.id, referencedType: target.type,
      relationshipType: input.relationshipType ?? '', comment: input.comment ?? '', deleted: false,
    };
    const [id] = await tx.eventWrites.insertObjectReferences([row]);
    await tx.eventWrites.touchObject(object.id, ctx.now);
    await unpublish(tx, event.id, ctx.now);
    return { ...row, id: id!, objectUuid: object.uuid };
  });
}

/**
 * objectReferences/delete/{id}[/true] (ObjectReference::smartDelete): soft (deleted = 1) or hard; touches the
 * object and unpublishes the event. Returns the reference id.
 */
export async function deleteReference(ctx: RequestContext, env: EventWriteEnv, rawRef: string | undefined, hard: boolean): Promise<number> {
  const ref = parseRef(rawRef);
  if (!ref) throw notFound('Invalid object reference.');
  return env.storage.transaction(async (tx) => {
    const reference = await tx.eventWrites.findObjectReference(ref);
    if (!reference) throw notFound('Invalid object reference.');
    const event = await tx.eventWrites.findEvent({ id: reference.eventId });
    if (!event || !canModifyEvent(ctx.actor, event)) throw forbidden('Invalid object reference.');
    if (hard) await tx.eventWrites.deleteObjectReference(reference.id);
    else await tx.eventWrites.saveObjectReferences([{ ...reference, deleted: true }]);
    await tx.eventWrites.touchObject(reference.objectId, ctx.now);
    await unpublish(tx, event.id, ctx.now);
    return reference.id;
  });
}
