import type { AttributeInput } from '../misp-format/event-input.js';
import type { Attribute, MispEvent } from '../model/event.js';
import type { Stores } from '../ports/stores.js';
import { storeAttachments } from '../attachments/attachment-write.js';
import { type AttributeBuildContext, buildNewAttribute, type Built, DuplicateIndex, mergeAttribute } from './attribute-build.js';
import { type AttributePlan, insertAttributePlans, linkAttributeTags } from './graph-persist.js';
import type { CapturedTags } from './tag-capture.js';

/** What an edit writes into one event: the event, the builders' context and the tags captured for the request. */
export interface EditScope {
  readonly stores: Stores;
  readonly event: MispEvent;
  readonly build: AttributeBuildContext;
  readonly captured: CapturedTags;
  /** Tags in an edit are attached only for perm_tagger users (MispAttribute::editAttributePostProcessing). */
  readonly canTag: boolean;
}

/** Attributes sent for one place of the event: the top level (objectId 0) or one object. */
export interface AttributeGroup {
  readonly objectId: number;
  readonly inputs: readonly AttributeInput[];
  /** An attribute of a deleted object is deleted too (MispObject::editObject). */
  readonly forceDeleted?: boolean;
}

type Step =
  | { readonly kind: 'insert'; readonly plan: AttributePlan }
  | { readonly kind: 'update'; readonly row: Attribute; readonly input: AttributeInput };

/**
 * MispAttribute::editAttribute for a batch (spec §6.4): attributes are matched by uuid within this event and
 * object; a known one is updated only when the incoming timestamp is newer (a missing timestamp means "now"),
 * an unknown or uuid-less one is created, one whose uuid lives in another event or object is dropped.
 * Invalid or duplicate (spec §12.15) attributes are dropped, as MISP logs and skips them. Returns whether anything
 * was written. All groups share one uuid lookup and one duplicate lookup.
 */
export async function upsertAttributes(w: EditScope, groups: readonly AttributeGroup[]): Promise<boolean> {
  const all = groups.flatMap((g) => g.inputs.map((input) => ({ objectId: g.objectId, input: g.forceDeleted ? { ...input, deleted: true } : input })));
  if (all.length === 0) return false;
  const { event, build } = w;
  const uuids = all.flatMap(({ input }) => (input.uuid ? [input.uuid] : []));
  const stored = new Map((uuids.length ? await w.stores.eventWrites.findAttributesByUuids(uuids) : []).map((a) => [a.uuid, a]));
  const steps: Step[] = [];
  const claimed = new Set<string>();
  for (const { objectId, input } of all) {
    const existing = input.uuid ? stored.get(input.uuid) : undefined;
    let built: Built<Attribute> | Built<AttributePlan['row']>;
    if (existing) {
      if (existing.eventId !== event.id || existing.objectId !== objectId) continue;
      if (input.timestamp !== undefined && input.timestamp <= existing.timestamp) continue;
      built = mergeAttribute(build, existing, input, input.timestamp ?? build.now);
    } else {
      built = buildNewAttribute(build, input, { eventId: event.id, objectId });
    }
    if (!built.ok || claimed.has(built.row.uuid)) continue;
    claimed.add(built.row.uuid);
    steps.push(existing ? { kind: 'update', row: built.row as Attribute, input } : { kind: 'insert', plan: { row: built.row, tags: input.tags, attachment: input } });
  }
  const kept = await withoutDuplicates(w, steps);
  const inserts = kept.flatMap((s) => (s.kind === 'insert' ? [s.plan] : []));
  const updates = kept.flatMap((s) => (s.kind === 'update' ? [s] : []));
  const tags = w.canTag ? w.captured : new Map<string, number>();
  await insertAttributePlans(w.stores, inserts, tags);
  if (updates.length > 0) {
    await w.stores.eventWrites.saveAttributes(updates.map((u) => u.row));
    await linkAttributeTags(w.stores, event.id, updates.map((u) => u.input), updates.map((u) => u.row.id), tags);
    await storeAttachments(w.stores, updates.map((u) => ({ id: u.row.id, row: u.row, source: u.input })));
  }
  return kept.length > 0;
}

/** Drops steps that would create a second live (type, category, value) at the top level of the event. */
async function withoutDuplicates(w: EditScope, steps: readonly Step[]): Promise<Step[]> {
  const rowOf = (s: Step) => (s.kind === 'insert' ? s.plan.row : s.row);
  const candidates = steps.map(rowOf).filter((r) => DuplicateIndex.applies(r));
  if (candidates.length === 0) return [...steps];
  const index = new DuplicateIndex();
  const updating = new Set(steps.flatMap((s) => (s.kind === 'update' ? [s.row.id] : [])));
  for (const a of await w.stores.eventWrites.findLiveAttributesByValue(w.event.id, candidates.map((r) => r.value1))) {
    if (!updating.has(a.id)) index.add(a, a);
  }
  return steps.filter((s) => {
    const row = rowOf(s);
    if (index.find(row, s.kind === 'update' ? s.row.id : undefined) !== undefined) return false;
    index.add(row, s.kind === 'update' ? s.row : undefined);
    return true;
  });
}
