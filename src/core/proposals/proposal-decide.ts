import { canModifyEvent } from '../acl/event-permissions.js';
import { carriesFile } from '../attachments/attachment-payload.js';
import type { RequestContext } from '../context.js';
import { correlatedTransaction } from '../correlation/correlated-transaction.js';
import { notAllowed } from '../errors.js';
import {
  type AttributeBuildContext, buildNewAttribute, type Built, DuplicateIndex, mergeAttribute, SIMILAR_ATTRIBUTE, storedValue,
} from '../events/attribute-build.js';
import { softDeleteAttribute } from '../events/attribute-change.js';
import { buildContextOf, type EventWriteEnv, unpublish } from '../events/event-write-env.js';
import { insertAttributePlans } from '../events/graph-persist.js';
import type { AttributeInput } from '../misp-format/element-input.js';
import type { FieldErrors } from '../misp-format/input-readers.js';
import { type Attribute, Distribution, type MispEvent } from '../model/event.js';
import type { Proposal } from '../model/proposal.js';
import type { Stores } from '../ports/stores.js';
import { parseRef } from '../util/uuid.js';

/**
 * Accepting and discarding proposals (ShadowAttributesController::accept|discard, ShadowAttribute::acceptProposal;
 * spec §3.8). Accepting applies the proposal to the event in the same transaction that retires it, and unpublishes
 * the event like any other content change (spec §4.6).
 */

const NOT_ACCEPTABLE = 'Proposal not found or you are not authorised to accept it.';

/** The proposal's attribute fields as an edit input: what acceptProposal copies onto the attribute. */
function asInput(p: Proposal): AttributeInput {
  return {
    uuid: undefined, type: p.type, category: p.category, value: storedValue(p), toIds: p.toIds, comment: p.comment,
    distribution: undefined, sharingGroupId: undefined, disableCorrelation: p.disableCorrelation, objectRelation: undefined,
    firstSeen: p.firstSeen, lastSeen: p.lastSeen, deleted: undefined, timestamp: undefined, tags: [], data: undefined, encrypt: false,
  };
}

function firstError(errors: FieldErrors): string {
  return Object.values(errors)[0]?.[0] ?? 'Could not save the attribute.';
}

/** MISP's `valueIsUnique`: the result may not duplicate another live top-level attribute of the event. */
async function refuseDuplicate(stores: Stores, eventId: number, row: Omit<Attribute, 'id'> & { id?: number }): Promise<void> {
  if (!DuplicateIndex.applies(row)) return;
  const index = new DuplicateIndex();
  for (const a of await stores.eventWrites.findLiveAttributesByValue(eventId, [row.value1])) index.add(a, a);
  if (index.find(row, row.id) !== undefined) throw notAllowed(SIMILAR_ATTRIBUTE);
}

function builtOrRefuse<T>(built: Built<T>): T {
  if (!built.ok) throw notAllowed(firstError(built.errors));
  return built.row;
}

async function applyChange(ctx: RequestContext, tx: Stores, b: AttributeBuildContext, p: Proposal, payload: Uint8Array | undefined): Promise<MispEvent> {
  const attribute = await tx.eventWrites.findAttribute({ uuid: p.uuid });
  const event = attribute && await tx.eventWrites.findEvent({ id: attribute.eventId });
  if (!attribute || !event || !canModifyEvent(ctx.actor, event)) throw notAllowed(NOT_ACCEPTABLE);
  if (p.proposalToDelete) {
    await softDeleteAttribute(tx, attribute, ctx.now);
  } else {
    const row = builtOrRefuse(mergeAttribute({ ...b, sharingGroupAllowed: (id) => id === attribute.sharingGroupId }, attribute, asInput(p), ctx.now));
    await refuseDuplicate(tx, event.id, row);
    await tx.eventWrites.saveAttributes([row]);
    if (payload) await tx.attachments.save([{ attributeId: row.id, data: payload }]);
    if (row.objectId !== 0) await tx.eventWrites.touchObject(row.objectId, ctx.now);
  }
  return event;
}

async function applyNew(ctx: RequestContext, tx: Stores, b: AttributeBuildContext, p: Proposal, payload: Uint8Array | undefined): Promise<MispEvent> {
  const event = await tx.eventWrites.findEvent({ id: p.eventId });
  if (!event || !canModifyEvent(ctx.actor, event)) throw notAllowed(NOT_ACCEPTABLE);
  // the new attribute inherits the event's distribution and keeps the proposal's uuid
  const row = builtOrRefuse(buildNewAttribute(b, { ...asInput(p), uuid: p.uuid, distribution: Distribution.Inherit }, { eventId: event.id, objectId: 0 }));
  if ((await tx.eventWrites.findAttributesByUuids([row.uuid])).length > 0) throw notAllowed('The UUID provided is not unique');
  await refuseDuplicate(tx, event.id, row);
  const [id] = await insertAttributePlans(tx, [{ row, tags: [] }], new Map());
  if (payload) await tx.attachments.save([{ attributeId: id!, data: payload }]);
  return event;
}

/**
 * shadowAttributes/accept/{id|uuid}: a change or deletion proposal is applied to its attribute ("Proposed change
 * accepted."), a new-attribute proposal becomes an attribute with distribution 5 ("Proposal accepted."). Only users
 * who may modify the event accept; anything else is MISP's 405 with NOT_ACCEPTABLE.
 */
export async function acceptProposal(ctx: RequestContext, env: EventWriteEnv, rawRef: string | undefined): Promise<string> {
  const ref = parseRef(rawRef);
  if (!ref) throw notAllowed(NOT_ACCEPTABLE);
  // the accepted change correlates like any attribute write (spec §5.3)
  return correlatedTransaction(ctx, env.storage, async (tx) => {
    const p = await tx.proposals.findLive(ref);
    if (!p) throw notAllowed(NOT_ACCEPTABLE);
    const payload = carriesFile(p.type) && !p.proposalToDelete ? await tx.proposals.payload(p.id) : undefined;
    const b = buildContextOf(ctx, env, () => false);
    const event = p.oldId !== 0 ? await applyChange(ctx, tx, b, p, payload) : await applyNew(ctx, tx, b, p, payload);
    await tx.proposals.markDeleted(p.id, ctx.now);
    await unpublish(tx, event.id, ctx.now);
    await tx.eventWrites.refreshAttributeCount(event.id);
    return p.oldId !== 0 ? 'Proposed change accepted.' : 'Proposal accepted.';
  });
}

/**
 * shadowAttributes/discard/{id|uuid}: retires a live proposal without applying it. Allowed to whoever may modify the
 * event and to the proposal's author.
 */
export async function discardProposal(ctx: RequestContext, env: EventWriteEnv, rawRef: string | undefined): Promise<void> {
  const ref = parseRef(rawRef);
  if (!ref) throw notAllowed('Could not discard proposal.');
  await env.storage.transaction(async (tx) => {
    const p = await tx.proposals.findLive(ref);
    const event = p && await tx.eventWrites.findEvent({ id: p.eventId });
    if (!p || !event || (!canModifyEvent(ctx.actor, event) && ctx.actor.user.email !== p.email)) {
      throw notAllowed('Could not discard proposal.');
    }
    await tx.proposals.markDeleted(p.id, ctx.now);
  });
}
