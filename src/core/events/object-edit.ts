import { ACTIVE_AND_DELETED } from '../acl/event-visibility.js';
import { canModifyEvent } from '../acl/event-permissions.js';
import type { RequestContext } from '../context.js';
import { correlatedTransaction } from '../correlation/correlated-transaction.js';
import { forbidden, notFound, saveFailed } from '../errors.js';
import { type AttributeInput, parseObjectBody } from '../misp-format/event-input.js';
import { type Attribute, Distribution, type MispObject, ReferencedType } from '../model/event.js';
import { type AttributeBuildContext, buildNewAttribute, mergeAttribute } from './attribute-build.js';
import { findObjectDetail } from './event-view.js';
import { buildContextOf, type EventWriteEnv, refOrNotFound, sharingGroupGate, unpublish } from './event-write-env.js';
import { type AttributePlan, insertAttributePlans, linkAttributeTags } from './graph-persist.js';
import { captureTags } from './tag-capture.js';
import { storeAttachments } from '../attachments/attachment-write.js';

/** The attribute fields whose change makes objects/edit rewrite an attribute (MispObject::deltaMerge `$checkFields`). */
const CHECK_FIELDS = ['category', 'value1', 'value2', 'toIds', 'distribution', 'sharingGroupId', 'comment', 'disableCorrelation', 'firstSeen', 'lastSeen'] as const;
const differs = (a: Attribute, b: Attribute): boolean => CHECK_FIELDS.some((f) => a[f] !== b[f]);

interface AttributeDelta {
  readonly updates: { readonly row: Attribute; readonly input: AttributeInput }[];
  readonly inserts: AttributePlan[];
  readonly removed: Attribute[];
}

/**
 * The attribute half of MispObject::deltaMerge: a sent attribute with the uuid of one of the object's live attributes
 * updates it when a checked field differs; any other sent attribute is added; live attributes that were not sent are
 * soft-deleted. An empty attribute list leaves the attributes alone. Invalid attributes are dropped.
 */
function attributeDelta(b: AttributeBuildContext, object: MispObject, live: readonly Attribute[], inputs: readonly AttributeInput[]): AttributeDelta {
  const delta: AttributeDelta = { updates: [], inserts: [], removed: [] };
  if (inputs.length === 0) return delta;
  const remaining = new Map(live.map((a) => [a.uuid, a]));
  const seen = (input: AttributeInput) => ({
    ...input, firstSeen: input.firstSeen ?? object.firstSeen, lastSeen: input.lastSeen ?? object.lastSeen,
  });
  for (const input of inputs) {
    const original = input.uuid ? remaining.get(input.uuid) : undefined;
    if (original) {
      remaining.delete(original.uuid);
      const merged = mergeAttribute(b, original, input, b.now);
      if (merged.ok && differs(merged.row, original)) delta.updates.push({ row: merged.row, input });
      continue;
    }
    const built = buildNewAttribute(b, seen(input), { eventId: object.eventId, objectId: object.id });
    if (built.ok) delta.inserts.push({ row: built.row, tags: input.tags, attachment: input });
  }
  for (const a of remaining.values()) delta.removed.push({ ...a, deleted: true, timestamp: b.now });
  return delta;
}

/**
 * objects/edit/{id} (ObjectsController::edit, MispObject::deltaMerge; spec §3.3): the object's comment, template
 * version, distribution and first/last seen are replaced, its attributes reconciled with the sent list, and
 * `deleted: true` soft-deletes it. Unpublishes the event. Returns the object id.
 */
export async function editObject(ctx: RequestContext, env: EventWriteEnv, rawRef: string | undefined, body: unknown): Promise<number> {
  const ref = refOrNotFound(rawRef, 'Invalid object ID.');
  return correlatedTransaction(ctx, env.storage, async (tx) => {
    const found = await findObjectDetail(ctx, tx, ref, { objectDeleted: ACTIVE_AND_DELETED });
    if (!found) throw notFound('Invalid object.');
    const { event } = found;
    if (!canModifyEvent(ctx.actor, event)) throw forbidden('Insufficient permissions to edit this object.');
    const parsed = parseObjectBody(body);
    if (!parsed.ok) throw saveFailed('Could not edit Object', parsed.errors, { id: found.object.id });
    const input = parsed.value;
    const sgAllowed = await sharingGroupGate(ctx, tx, input.distribution === Distribution.SharingGroup ? [input.sharingGroupId ?? 0] : []);
    const distribution = input.distribution ?? found.object.distribution;
    const sharingGroupId = distribution === Distribution.SharingGroup ? input.sharingGroupId ?? found.object.sharingGroupId : 0;
    if (input.distribution === Distribution.SharingGroup && !sgAllowed(sharingGroupId)) {
      throw saveFailed('Could not edit Object', 'Invalid sharing group choice.', { id: found.object.id });
    }
    const { attributes: _shown, references: _refs, ...stored } = found.object;
    const object: MispObject = {
      ...stored, comment: input.comment ?? stored.comment, templateVersion: input.templateVersion ?? stored.templateVersion,
      distribution, sharingGroupId, timestamp: ctx.now,
      firstSeen: input.firstSeen !== undefined ? input.firstSeen : stored.firstSeen,
      lastSeen: input.lastSeen !== undefined ? input.lastSeen : stored.lastSeen,
      deleted: input.deleted === true ? true : stored.deleted,
    };
    await tx.eventWrites.saveObjects([object]);
    const live = (await tx.eventWrites.attributesOfObjects([object.id])).filter((a) => !a.deleted);
    const b = buildContextOf(ctx, env, (id) => sgAllowed(id) || live.some((a) => a.sharingGroupId === id));
    const delta = attributeDelta(b, object, live, input.attributes.flatMap((a) => (a.ok ? [a.value] : [])));
    const canTag = ctx.actor.isSiteAdmin || ctx.actor.role.perms.perm_tagger;
    const captured = canTag ? await captureTags(ctx, tx, input.attributes.flatMap((a) => (a.ok ? a.value.tags : []))) : new Map();
    await insertAttributePlans(tx, delta.inserts, captured);
    const changed = [...delta.updates.map((u) => u.row), ...delta.removed];
    if (changed.length > 0) await tx.eventWrites.saveAttributes(changed);
    await linkAttributeTags(tx, event.id, delta.updates.map((u) => u.input), delta.updates.map((u) => u.row.id), captured);
    await storeAttachments(tx, delta.updates.map((u) => ({ id: u.row.id, row: u.row, source: u.input })));
    if (input.deleted === true) {
      await tx.eventWrites.softDeleteObjectAttributes(object.id, ctx.now);
      await tx.eventWrites.softDeleteReferencesTo(ReferencedType.Object, object.id);
    }
    await unpublish(tx, event.id, ctx.now);
    await tx.eventWrites.refreshAttributeCount(event.id);
    return object.id;
  });
}
