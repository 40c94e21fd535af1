import type { AttachmentSource } from '../attachments/attachment-payload.js';
import { storeAttachments } from '../attachments/attachment-write.js';
import type { ReferenceInput, TagInput } from '../misp-format/event-input.js';
import { type Attribute, type AttributeDetail, placedAttribute, ReferencedType } from '../model/event.js';
import type { NewAttribute, NewObjectReference } from '../ports/event-write-store.js';
import type { Stores } from '../ports/stores.js';
import type { AttributeTagLinkInput } from '../ports/tag-store.js';
import { newUuid } from '../util/uuid.js';
import type { ObjectPlan } from './object-build.js';
import { type CapturedTags, tagLinks, tagsToDetach } from './tag-capture.js';

/** The saved rows with their tag links, read back in one query. */
export async function withTags(stores: Stores, rows: readonly Attribute[]): Promise<AttributeDetail[]> {
  const tags = rows.length ? await stores.tags.attributeTags(rows.map((r) => r.id)) : new Map();
  return rows.map((r) => ({ ...r, tags: tags.get(r.id) ?? [] }));
}

export interface AttributePlan {
  readonly row: NewAttribute;
  readonly tags: readonly TagInput[];
  /** The file sent with an attachment / malware-sample (spec §2.3), stored once the row has its id. */
  readonly attachment?: AttachmentSource | undefined;
}

/**
 * Links the captured tags of freshly written attributes in one batch (ids align with `plans`), and detaches the ones
 * sent as deleted (rare: one statement each). `fresh`: the attributes were just inserted, so they have no link to
 * check for or detach.
 */
export async function linkAttributeTags(
  stores: Stores, eventId: number, plans: readonly { readonly tags: readonly TagInput[] }[], ids: readonly number[], captured: CapturedTags,
  fresh = false,
): Promise<void> {
  const links: AttributeTagLinkInput[] = [];
  const detach: [number, number][] = [];
  plans.forEach((p, i) => {
    if (p.tags.length === 0) return;
    for (const l of tagLinks(p.tags, captured)) links.push({ ...l, attributeId: ids[i]!, eventId });
    if (!fresh) for (const tagId of tagsToDetach(p.tags, captured)) detach.push([ids[i]!, tagId]);
  });
  if (links.length > 0) await stores.tags.linkAttributeTags(links, { fresh });
  for (const [attributeId, tagId] of detach) await stores.tags.unlinkAttributeTag(attributeId, tagId);
}

/** Inserts attributes in batches, links their tags and stores their files; returns the new ids in order. */
export async function insertAttributePlans(
  stores: Stores, eventId: number, plans: readonly AttributePlan[], captured: CapturedTags,
): Promise<number[]> {
  if (plans.length === 0) return [];
  const ids = await stores.eventWrites.insertAttributes(plans.map((p) => p.row));
  await completeInserted(stores, eventId, plans, ids, captured);
  return ids;
}

/** The tags and files of freshly inserted attributes (`ids` align with `plans`). */
async function completeInserted(
  stores: Stores, eventId: number, plans: readonly AttributePlan[], ids: readonly number[], captured: CapturedTags,
): Promise<void> {
  await linkAttributeTags(stores, eventId, plans, ids, captured, true);
  await storeAttachments(stores, plans.map((p, n) => ({ id: ids[n]!, row: p.row, source: p.attachment })));
}

/** The plan of an object's attribute, placed in the object once that has its id. */
const placedPlan = (a: ObjectPlan['attributes'][number], objectId: number): AttributePlan =>
  ({ row: placedAttribute(a.row, objectId), tags: a.tags, attachment: a.attachment });

export interface InsertedObjects {
  /** Object uuid → id. */
  readonly objectIds: Map<string, number>;
  /** Attribute uuid → id, for the objects' attributes. */
  readonly attributeIds: Map<string, number>;
}

/** Inserts objects, then all their attributes, in batches (two statements per few thousand rows). */
export async function insertObjectPlans(
  stores: Stores, eventId: number, plans: readonly ObjectPlan[], captured: CapturedTags,
): Promise<InsertedObjects> {
  const objectIds = new Map<string, number>();
  const attributeIds = new Map<string, number>();
  if (plans.length === 0) return { objectIds, attributeIds };
  const ids = await stores.eventWrites.insertObjects(plans.map((p) => p.row));
  const attrPlans: AttributePlan[] = [];
  plans.forEach((p, i) => {
    objectIds.set(p.row.uuid, ids[i]!);
    for (const a of p.attributes) attrPlans.push(placedPlan(a, ids[i]!));
  });
  const attrIds = await insertAttributePlans(stores, eventId, attrPlans, captured);
  attrPlans.forEach((p, i) => attributeIds.set(p.row.uuid, attrIds[i]!));
  return { objectIds, attributeIds };
}

/** What {@link insertNewGraph} stored: ids aligned with its inputs, null for what it dropped as taken. */
export interface InsertedGraph {
  readonly attributeIds: readonly (number | null)[];
  readonly objectIds: readonly (number | null)[];
  /** Attribute uuid → id, for the attributes of the objects kept. */
  readonly objectAttributeIds: ReadonlyMap<string, number>;
}

/**
 * The inserts of a new event's content (Event::_add): objects, then the top-level attributes and the objects'
 * attributes in one batch. A row whose uuid is already stored in any event is not inserted (MISP's `isUnique` rule:
 * the unique indexes check it, so the add does not look every uuid up first); an object with a taken uuid, or one of
 * whose attributes has one, is dropped whole. Tags and files are stored for what was kept. The plans' uuids must
 * differ from each other.
 */
export async function insertNewGraph(
  stores: Stores, eventId: number, attributes: readonly AttributePlan[], objects: readonly ObjectPlan[], captured: CapturedTags,
): Promise<InsertedGraph> {
  const w = stores.eventWrites;
  const objectIds = objects.length > 0 ? await w.insertNewObjects(objects.map((p) => p.row)) : [];
  const placed: { readonly plan: AttributePlan; readonly object: number }[] = [];
  objects.forEach((p, i) => {
    const objectId = objectIds[i];
    if (objectId === null || objectId === undefined) return;
    for (const a of p.attributes) placed.push({ plan: placedPlan(a, objectId), object: i });
  });
  // one statement for the top-level attributes and the kept objects' ones, in that order (their ids too)
  const rows = [...attributes.map((p) => p.row), ...placed.map((x) => x.plan.row)];
  const ids = rows.length > 0 ? await w.insertNewAttributes(rows) : [];
  const attributeIds = ids.slice(0, attributes.length);
  const placedIds = ids.slice(attributes.length);
  const broken = new Set(placed.filter((_, k) => placedIds[k] === null).map((x) => x.object));
  for (const i of broken) {
    await w.deleteObject(objectIds[i]!);
    objectIds[i] = null;
  }
  const kept: AttributePlan[] = [];
  const keptIds: number[] = [];
  const objectAttributeIds = new Map<string, number>();
  attributes.forEach((p, i) => {
    if (attributeIds[i] === null) return;
    kept.push(p);
    keptIds.push(attributeIds[i]!);
  });
  placed.forEach((x, k) => {
    if (broken.has(x.object)) return;
    kept.push(x.plan);
    keptIds.push(placedIds[k]!);
    objectAttributeIds.set(x.plan.row.uuid, placedIds[k]!);
  });
  await completeInserted(stores, eventId, kept, keptIds, captured);
  return { attributeIds, objectIds, objectAttributeIds };
}

/** Where references may point: objects and attributes of the event, by uuid. */
export interface ReferenceTargets {
  object(uuid: string): number | undefined;
  attribute(uuid: string): number | undefined;
}

/**
 * ObjectReference::captureReference for new references (spec §2.4): the source is the enclosing object, the target
 * an object (preferred) or attribute of the same event, by `referenced_uuid` or legacy `referenced_id` + type.
 * References that resolve to nothing are dropped, as MISP does.
 */
export function resolveReferences(
  refs: readonly { readonly sourceUuid: string; readonly input: ReferenceInput }[], targets: ReferenceTargets, eventId: number, now: number,
): NewObjectReference[] {
  const out: NewObjectReference[] = [];
  for (const { sourceUuid, input } of refs) {
    const objectId = targets.object(sourceUuid);
    const target = input.referencedUuid;
    if (objectId === undefined || !target) continue;
    const asObject = targets.object(target);
    const asAttribute = asObject === undefined ? targets.attribute(target) : undefined;
    if (asObject === undefined && asAttribute === undefined) continue;
    out.push({
      uuid: input.uuid ?? newUuid(), timestamp: input.timestamp ?? now, objectId, eventId, sourceUuid,
      referencedUuid: target, referencedId: asObject ?? asAttribute!,
      referencedType: asObject !== undefined ? ReferencedType.Object : ReferencedType.Attribute,
      relationshipType: input.relationshipType ?? '', comment: input.comment ?? '', deleted: input.deleted ?? false,
    });
  }
  return out;
}
