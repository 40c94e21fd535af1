import { canModifyEvent } from '../acl/event-permissions.js';
import type { RequestContext } from '../context.js';
import { correlatedTransaction } from '../correlation/correlated-transaction.js';
import { forbidden, saveFailed } from '../errors.js';
import { type AttributeInput, parseAttributeAddBody } from '../misp-format/event-input.js';
import { elementKey, type FieldErrors } from '../misp-format/input-readers.js';
import type { Attribute, AttributeDetail, MispEvent } from '../model/event.js';
import type { NewAttribute } from '../ports/event-write-store.js';
import type { Stores } from '../ports/stores.js';
import { storeAttachments } from '../attachments/attachment-write.js';
import { type AttributeBuildContext, buildNewAttribute, DuplicateIndex, mergeAttribute, SIMILAR_ATTRIBUTE, storedValue } from './attribute-build.js';
import {
  buildContextOf, type EventWriteEnv, refOrNotFound, sharingGroupGate, unpublish, visibleEventOrNotFound,
} from './event-write-env.js';
import { insertAttributePlans, linkAttributeTags, withTags } from './graph-persist.js';
import { captureTags, type CapturedTags } from './tag-capture.js';

/** attributes/add's answer: the saved attributes with their tags, and `attribute_<n>` → errors for the others. */
export interface AddAttributesResult {
  readonly saved: readonly AttributeDetail[];
  readonly errors: Readonly<Record<string, FieldErrors | string>>;
}

const WARNINGLISTED = 'Attribute could not be saved as it trips over a warninglist and enforceWarninglist is enforced.';

const INVALID_SG = 'Invalid Sharing Group or not authorised.';

type Step =
  | { readonly index: number; readonly kind: 'insert'; readonly row: NewAttribute; readonly input: AttributeInput }
  | { readonly index: number; readonly kind: 'update'; readonly row: Attribute; readonly input: AttributeInput };

/**
 * Builds each attribute, refusing invalid ones, taken uuids and — spec §12.15 — duplicates of a live top-level
 * attribute. With breakOnDuplicate off, a duplicate updates the stored attribute instead (AttributesController::add).
 */
async function planAdd(
  stores: Stores, event: MispEvent, b: AttributeBuildContext, inputs: ReturnType<typeof parseAttributeAddBody>,
  breakOnDuplicate: boolean, errors: Record<string, FieldErrors | string>,
): Promise<Step[]> {
  const built: { index: number; row: NewAttribute; input: AttributeInput }[] = [];
  for (const p of inputs) {
    if (!p.ok) { errors[elementKey('attribute', p.index)] = p.errors as FieldErrors; continue; }
    const r = buildNewAttribute(b, p.value, { eventId: event.id, objectId: 0 });
    if (!r.ok) errors[elementKey('attribute', p.index)] = r.errors;
    else built.push({ index: p.index, row: r.row, input: p.value });
  }
  const [taken, stored] = await Promise.all([
    stores.eventWrites.findAttributesByUuids(built.flatMap((x) => (x.input.uuid ? [x.input.uuid] : []))),
    stores.eventWrites.findLiveAttributesByValue(event.id, built.map((x) => x.row.value1)),
  ]);
  const takenUuids = new Set(taken.map((a) => a.uuid));
  const storedById = new Map(stored.map((a) => [a.id, a]));
  const index = new DuplicateIndex();
  for (const a of stored) index.add(a, a);
  const steps: Step[] = [];
  for (const x of built) {
    const key = elementKey('attribute', x.index);
    const dup = index.find(x.row);
    if (dup && !breakOnDuplicate) {
      const merged = mergeAttribute(b, storedById.get(dup.id)!, { ...x.input, uuid: undefined }, b.now);
      if (merged.ok) steps.push({ index: x.index, kind: 'update', row: merged.row, input: x.input });
      else errors[key] = merged.errors;
    } else if (dup !== undefined) errors[key] = { value: [SIMILAR_ATTRIBUTE] };
    else if (takenUuids.has(x.row.uuid)) errors[key] = { uuid: ['The UUID provided is not unique'] };
    else {
      takenUuids.add(x.row.uuid);
      index.add(x.row);
      steps.push({ index: x.index, kind: 'insert', row: x.row, input: x.input });
    }
  }
  return steps;
}

async function persist(stores: Stores, eventId: number, steps: readonly Step[], captured: CapturedTags): Promise<Attribute[]> {
  const inserts = steps.filter((s) => s.kind === 'insert');
  const updates = steps.flatMap((s) => (s.kind === 'update' ? [s] : []));
  const ids = await insertAttributePlans(stores, inserts.map((s) => ({ row: s.row, tags: s.input.tags, attachment: s.input })), captured);
  if (updates.length > 0) {
    await stores.eventWrites.saveAttributes(updates.map((u) => u.row));
    await linkAttributeTags(stores, eventId, updates.map((u) => u.input), updates.map((u) => u.row.id), captured);
    await storeAttachments(stores, updates.map((u) => ({ id: u.row.id, row: u.row, source: u.input })));
  }
  const byIndex = new Map<number, Attribute>();
  inserts.forEach((s, i) => byIndex.set(s.index, { ...s.row, id: ids[i]! }));
  for (const u of updates) byIndex.set(u.index, u.row);
  return [...byIndex.entries()].sort((x, y) => x[0] - y[0]).map(([, row]) => row);
}

/**
 * attributes/add/{event} (AttributesController::add, spec §3.2): one attribute, a list, or a `value` list. Each is
 * validated alone; the saved ones unpublish the event. When none is saved the answer is MISP's 403 "Could not add
 * Attribute" with the errors (of the only attribute, or keyed `attribute_<n>`).
 */
export async function addAttributes(
  ctx: RequestContext, env: EventWriteEnv, rawEventRef: string | undefined, body: unknown, breakOnDuplicate: boolean,
  opts: { readonly enforceWarninglist?: boolean } = {},
): Promise<AddAttributesResult> {
  const ref = refOrNotFound(rawEventRef, 'Invalid event');
  const inputs = parseAttributeAddBody(body);
  return correlatedTransaction(ctx, env.storage, async (tx) => {
    const event = await visibleEventOrNotFound(ctx, tx, ref);
    if (!canModifyEvent(ctx.actor, event)) throw forbidden();
    const named = inputs.flatMap((p) => (p.ok && p.value.distribution === 4 ? [p.value.sharingGroupId ?? 0] : []));
    const sgAllowed = await sharingGroupGate(ctx, tx, named);
    const single = inputs.length === 1 && inputs[0]!.ok ? inputs[0]!.value : undefined;
    if (single?.distribution === 4 && !sgAllowed(single.sharingGroupId ?? 0)) throw forbidden(INVALID_SG);
    const errors: Record<string, FieldErrors | string> = {};
    const planned = await planAdd(tx, event, buildContextOf(ctx, env, sgAllowed), inputs, breakOnDuplicate, errors);
    const steps = await withoutWarninglisted(env, tx, planned, opts.enforceWarninglist === true, errors);
    if (steps.length === 0) {
      throw saveFailed('Could not add Attribute', inputs.length === 1 ? errors[elementKey('attribute', 0)] : errors);
    }
    const captured = await captureTags(ctx, tx, steps.flatMap((s) => s.input.tags));
    const rows = await persist(tx, event.id, steps, captured);
    await unpublish(tx, event.id, ctx.now);
    await tx.eventWrites.refreshAttributeCount(event.id);
    return { saved: await withTags(tx, rows), errors };
  });
}

/**
 * `enforceWarninglist` (a named parameter, or a flag on the attribute): attributes whose value is on an enabled
 * warninglist are refused with MISP's message instead of saved (MispAttribute::captureAttribute).
 */
async function withoutWarninglisted(
  env: EventWriteEnv, stores: Stores, steps: readonly Step[], always: boolean, errors: Record<string, FieldErrors | string>,
): Promise<Step[]> {
  const enforced = steps.filter((s) => always || s.input.enforceWarninglist);
  if (enforced.length === 0 || !env.warninglistMatcher) return [...steps];
  const matcher = await env.warninglistMatcher.get(stores);
  const refused = new Set(enforced.filter((s) => matcher.isListed(s.row.type, storedValue(s.row))));
  for (const s of refused) errors[elementKey('attribute', s.index)] = WARNINGLISTED;
  return steps.filter((s) => !refused.has(s));
}
