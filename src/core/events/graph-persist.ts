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

/** The link rows of the captured tags of attributes (`ids` align with `plans`), each on its attribute's event. */
function tagLinksOf(
  plans: readonly { readonly tags: readonly TagInput[] }[], ids: readonly number[], captured: CapturedTags, eventOf: (i: number) => number,
): AttributeTagLinkInput[] {
  const links: AttributeTagLinkInput[] = [];
  plans.forEach((p, i) => {
    if (p.tags.length === 0) return;
    for (const l of tagLinks(p.tags, captured)) links.push({ ...l, attributeId: ids[i]!, eventId: eventOf(i) });
  });
  return links;
}

/**
 * Links the captured tags of saved attributes of one event in one batch (ids align with `plans`), and detaches the
 * ones sent as deleted (rare: one statement each).
 */
export async function linkAttributeTags(
  stores: Stores, eventId: number, plans: readonly { readonly tags: readonly TagInput[] }[], ids: readonly number[], captured: CapturedTags,
): Promise<void> {
  const links = tagLinksOf(plans, ids, captured, () => eventId);
  if (links.length > 0) await stores.tags.linkAttributeTags(links);
  for (const [i, p] of plans.entries()) {
    for (const tagId of tagsToDetach(p.tags, captured)) await stores.tags.unlinkAttributeTag(ids[i]!, tagId);
  }
}

/** Inserts attributes in batches, links their tags and stores their files; returns the new ids in order. */
export async function insertAttributePlans(stores: Stores, plans: readonly AttributePlan[], captured: CapturedTags): Promise<number[]> {
  if (plans.length === 0) return [];
  const ids = await stores.eventWrites.insertAttributes(plans.map((p) => p.row));
  await completeInserted(stores, plans, ids, captured);
  return ids;
}

/** The tags and files of freshly inserted attributes (`ids` align with `plans`), which have no tag link yet. */
async function completeInserted(stores: Stores, plans: readonly AttributePlan[], ids: readonly number[], captured: CapturedTags): Promise<void> {
  const links = tagLinksOf(plans, ids, captured, (i) => plans[i]!.row.eventId);
  if (links.length > 0) await stores.tags.linkAttributeTags(links, { fresh: true });
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
export async function insertObjectPlans(stores: Stores, plans: readonly ObjectPlan[], captured: CapturedTags): Promise<InsertedObjects> {
  const objectIds = new Map<string, number>();
  const attributeIds = new Map<string, number>();
  if (plans.length === 0) return { objectIds, attributeIds };
  const ids = await stores.eventWrites.insertObjects(plans.map((p) => p.row));
  const attrPlans: AttributePlan[] = [];
  plans.forEach((p, i) => {
    objectIds.set(p.row.uuid, ids[i]!);
    for (const a of p.attributes) attrPlans.push(placedPlan(a, ids[i]!));
  });
  const attrIds = await insertAttributePlans(stores, attrPlans, captured);
  attrPlans.forEach((p, i) => attributeIds.set(p.row.uuid, attrIds[i]!));
  return { objectIds, attributeIds };
}

/** The content of one new event: its top-level attributes and its objects. */
export interface NewGraph {
  readonly attributes: readonly AttributePlan[];
  readonly objects: readonly ObjectPlan[];
}

/** What {@link insertNewGraphs} stored of one graph: ids aligned with its inputs, null for what it dropped as taken. */
export interface InsertedGraph {
  readonly attributeIds: readonly (number | null)[];
  readonly objectIds: readonly (number | null)[];
  /** Attribute uuid → id, for the attributes of the objects kept. */
  readonly objectAttributeIds: ReadonlyMap<string, number>;
}

/**
 * The inserts of new events' content (Event::_add), for any number of events at once: their objects, then the
 * attributes of each event in turn (top-level ones, then its objects' ones) in one batch, then the tags and files of
 * what was kept. A row whose uuid is already stored, in any event or earlier in the batch, is not inserted (MISP's
 * `isUnique` rule: the unique indexes check it, so the add does not look every uuid up first); an object with a taken
 * uuid, or one of whose attributes has one, is dropped whole. Within one graph the uuids must differ from each other.
 */
export async function insertNewGraphs(stores: Stores, graphs: readonly NewGraph[], captured: CapturedTags): Promise<InsertedGraph[]> {
  const w = stores.eventWrites;
  const objectRows = graphs.flatMap((g) => g.objects.map((p) => p.row));
  const objectIds = objectRows.length > 0 ? await w.insertNewObjects(objectRows) : [];
  const rows: NewAttribute[] = [];
  let o = 0;
  const layouts = graphs.map((g) => {
    const ids = objectIds.slice(o, o += g.objects.length);
    const placed: { readonly plan: AttributePlan; readonly object: number }[] = [];
    g.objects.forEach((p, i) => {
      const objectId = ids[i];
      if (objectId === null || objectId === undefined) return;
      for (const a of p.attributes) placed.push({ plan: placedPlan(a, objectId), object: i });
    });
    for (const p of g.attributes) rows.push(p.row);
    for (const x of placed) rows.push(x.plan.row);
    return { objectIds: ids, placed };
  });
  const ids = rows.length > 0 ? await w.insertNewAttributes(rows) : [];
  const kept: AttributePlan[] = [];
  const keptIds: number[] = [];
  const out: InsertedGraph[] = [];
  let a = 0;
  for (const [g, { objectIds: graphObjectIds, placed }] of layouts.entries()) {
    const attributeIds = ids.slice(a, a += graphs[g]!.attributes.length);
    const placedIds = ids.slice(a, a += placed.length);
    const broken = new Set(placed.filter((_, k) => placedIds[k] === null).map((x) => x.object));
    for (const i of broken) {
      await w.deleteObject(graphObjectIds[i]!);
      graphObjectIds[i] = null;
    }
    graphs[g]!.attributes.forEach((p, i) => {
      if (attributeIds[i] === null) return;
      kept.push(p);
      keptIds.push(attributeIds[i]!);
    });
    const objectAttributeIds = new Map<string, number>();
    placed.forEach((x, k) => {
      if (broken.has(x.object)) return;
      kept.push(x.plan);
      keptIds.push(placedIds[k]!);
      objectAttributeIds.set(x.plan.row.uuid, placedIds[k]!);
    });
    out.push({ attributeIds, objectIds: graphObjectIds, objectAttributeIds });
  }
  await completeInserted(stores, kept, keptIds, captured);
  return out;
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
