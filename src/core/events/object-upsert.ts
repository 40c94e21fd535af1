import type { ObjectInput } from '../misp-format/event-input.js';
import { Distribution, type MispObject, type ObjectReference } from '../model/event.js';
import { type EditScope, upsertAttributes } from './attribute-upsert.js';
import { insertObjectPlans, resolveReferences } from './graph-persist.js';
import { buildNewObject, type ObjectBuildContext, type ObjectPlan } from './object-build.js';

export interface ObjectEditScope extends EditScope {
  readonly build: ObjectBuildContext;
}

const okAttributes = (o: ObjectInput) => o.attributes.flatMap((a) => (a.ok ? [a.value] : []));

/** The stored object with the input laid over it (MispObject::editObject's recover fields); undefined = invalid sharing group. */
function mergeObject(w: ObjectEditScope, existing: MispObject, input: ObjectInput): MispObject | undefined {
  const distribution = input.distribution ?? existing.distribution;
  let sharingGroupId = 0;
  if (distribution === Distribution.SharingGroup) {
    sharingGroupId = input.sharingGroupId ?? existing.sharingGroupId;
    if (!w.build.sharingGroupAllowed(sharingGroupId) && sharingGroupId !== existing.sharingGroupId) return undefined;
  }
  return {
    ...existing,
    name: input.name || existing.name, metaCategory: input.metaCategory ?? existing.metaCategory,
    description: input.description ?? existing.description, templateUuid: input.templateUuid ?? existing.templateUuid,
    templateVersion: input.templateVersion ?? existing.templateVersion, distribution, sharingGroupId,
    comment: input.comment ?? existing.comment, deleted: input.deleted ?? existing.deleted,
    timestamp: input.timestamp ?? w.build.now,
    firstSeen: input.firstSeen !== undefined ? input.firstSeen : existing.firstSeen,
    lastSeen: input.lastSeen !== undefined ? input.lastSeen : existing.lastSeen,
  };
}

/**
 * MispObject::editObject for every object of an events/edit body (spec §6.4): an unknown uuid creates the object;
 * a known one in this event is updated, with its attributes, only when the incoming timestamp is newer — an older
 * object timestamp skips its attributes too, which is why clients must bump it. Then the references are captured.
 */
export async function upsertObjects(w: ObjectEditScope, inputs: readonly ObjectInput[]): Promise<boolean> {
  if (inputs.length === 0) return false;
  const uuids = inputs.flatMap((o) => (o.uuid ? [o.uuid] : []));
  const stored = new Map((uuids.length ? await w.stores.eventWrites.findObjectsByUuids(uuids) : []).map((o) => [o.uuid, o]));
  const plans: ObjectPlan[] = [];
  const updates: { row: MispObject; input: ObjectInput }[] = [];
  for (const input of inputs) {
    const existing = input.uuid ? stored.get(input.uuid) : undefined;
    if (!existing) {
      const built = buildNewObject(w.build, input, w.event.id, { requireTemplateInfo: false, inheritSeen: false });
      if (built.ok && !plans.some((p) => p.row.uuid === built.plan.row.uuid)) plans.push(built.plan);
      continue;
    }
    if (existing.eventId !== w.event.id) continue;
    if (input.timestamp !== undefined && existing.timestamp >= input.timestamp) continue;
    const row = mergeObject(w, existing, input);
    if (row) updates.push({ row, input });
  }
  const existingAttributeUuids = new Set((await w.stores.eventWrites.findAttributesByUuids(
    plans.flatMap((p) => p.attributes.map((a) => a.row.uuid)),
  )).map((a) => a.uuid));
  const fresh = plans.filter((p) => !p.attributes.some((a) => existingAttributeUuids.has(a.row.uuid)));
  const inserted = await insertObjectPlans(w.stores, fresh, w.canTag ? w.captured : new Map());
  if (updates.length > 0) await w.stores.eventWrites.saveObjects(updates.map((u) => u.row));
  await upsertAttributes(w, updates.map((u) => ({ objectId: u.row.id, inputs: okAttributes(u.input), forceDeleted: u.row.deleted })));
  const refsChanged = await upsertReferences(w, inputs, inserted.objectIds);
  return fresh.length > 0 || updates.length > 0 || refsChanged;
}

/**
 * ObjectReference::captureReference for an edit: a known reference (of this event) takes the newer
 * relationship_type / comment / deleted; an unknown one is created when its source object and target live in
 * this event. Targets are looked up in one query per kind.
 */
async function upsertReferences(w: ObjectEditScope, inputs: readonly ObjectInput[], created: ReadonlyMap<string, number>): Promise<boolean> {
  const refs = inputs.flatMap((o) => (o.uuid ? o.references.map((r) => ({ sourceUuid: o.uuid!, input: r })) : []));
  if (refs.length === 0) return false;
  const { eventWrites } = w.stores;
  const refUuids = refs.flatMap((r) => (r.input.uuid ? [r.input.uuid] : []));
  const storedRefs = new Map((refUuids.length ? await eventWrites.findObjectReferencesByUuids(refUuids) : []).map((r) => [r.uuid, r]));
  const updates: ObjectReference[] = [];
  const fresh = refs.filter(({ input }) => {
    const existing = input.uuid ? storedRefs.get(input.uuid) : undefined;
    if (!existing) return true;
    if (existing.eventId === w.event.id && (input.timestamp === undefined || input.timestamp > existing.timestamp)) {
      updates.push({
        ...existing, relationshipType: input.relationshipType ?? existing.relationshipType, comment: input.comment ?? existing.comment,
        deleted: input.deleted ?? existing.deleted, timestamp: input.timestamp ?? w.build.now,
      });
    }
    return false;
  });
  if (updates.length > 0) await eventWrites.saveObjectReferences(updates);
  if (fresh.length === 0) return updates.length > 0;
  const wanted = fresh.flatMap((r) => [r.sourceUuid, r.input.referencedUuid ?? '']).filter(Boolean);
  const [objects, attributes] = await Promise.all([eventWrites.findObjectsByUuids(wanted), eventWrites.findAttributesByUuids(wanted)]);
  const objectIds = new Map([...objects.filter((o) => o.eventId === w.event.id).map((o) => [o.uuid, o.id] as const), ...created]);
  const attributeIds = new Map(attributes.filter((a) => a.eventId === w.event.id).map((a) => [a.uuid, a.id]));
  const rows = resolveReferences(fresh, { object: (u) => objectIds.get(u), attribute: (u) => attributeIds.get(u) }, w.event.id, w.build.now);
  if (rows.length > 0) await eventWrites.insertObjectReferences(rows);
  return updates.length > 0 || rows.length > 0;
}
