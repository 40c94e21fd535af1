import { checkAttribute } from '../attributes/attribute-validation.js';
import { attachmentPayload, carriesFile } from '../attachments/attachment-payload.js';
import type { RequestContext } from '../context.js';
import { notAllowed, notFound, saveFailed } from '../errors.js';
import { storedValue, sentValue } from '../events/attribute-build.js';
import { findAttributeDetail } from '../events/event-view.js';
import { type EventWriteEnv, refOrNotFound, visibleEventOrNotFound } from '../events/event-write-env.js';
import type { AttributeInput } from '../misp-format/element-input.js';
import { parseAttribute } from '../misp-format/element-input.js';
import { type FieldErrors, isRecord } from '../misp-format/input-readers.js';
import type { Attribute, MispEvent } from '../model/event.js';
import type { Proposal } from '../model/proposal.js';
import type { NewProposal } from '../ports/proposal-store.js';
import type { Stores } from '../ports/stores.js';
import { newUuid, parseRef } from '../util/uuid.js';

/**
 * Making proposals (ShadowAttributesController::add|edit|delete, spec §3.8): anyone with perm_add who sees an event
 * may propose a new attribute for it, a change to one of its attributes or that attribute's deletion. This is also
 * where PyMISP lands when attributes/add|edit|delete answers 403 "You do not have permission to do that.".
 */

/** `{ShadowAttribute: …}`, `{Attribute: …}` or `{Proposal: …}` (MISP rearranges the last two), or the bare fields. */
function proposalFields(body: unknown): unknown {
  if (!isRecord(body)) return body;
  for (const key of ['ShadowAttribute', 'Attribute', 'Proposal']) if (isRecord(body[key])) return body[key];
  return body;
}

/** MISP's REST error text: `[field]: message` per failed field, one per line. */
function errorText(errors: FieldErrors | string): string {
  if (typeof errors === 'string') return errors;
  return Object.entries(errors).map(([field, messages]) => `[${field}]: ${messages[0] ?? ''}\n`).join('');
}

function parseInput(body: unknown, fail: (errors: FieldErrors | string) => never): AttributeInput {
  const parsed = parseAttribute(proposalFields(body), 0);
  if (!parsed.ok) fail(parsed.errors);
  return parsed.value;
}

/** Type, category and value checked like an attribute's (ShadowAttribute::$validate mirrors MispAttribute's). */
function checked(env: EventWriteEnv, c: { type: string | undefined; category: string | undefined; value: string | undefined; toIds: boolean | undefined }) {
  return checkAttribute(env.typeMatrix, { type: c.type ?? '', category: c.category, value: c.value ?? '', toIds: c.toIds });
}

async function insert(stores: Stores, proposal: NewProposal, input: AttributeInput | undefined, ctx: RequestContext): Promise<Proposal> {
  const payload = attachmentPayload(proposal, input, new Date(ctx.now * 1000));
  return stores.proposals.insert(proposal, payload);
}

function proposer(ctx: RequestContext) {
  return { email: ctx.actor.user.email, orgId: ctx.actor.org.id };
}

/** shadowAttributes/add/{event}: a proposed new attribute; 404 "Could not save the proposal. Errors: …" when invalid. */
export async function proposeAttribute(ctx: RequestContext, env: EventWriteEnv, rawEventRef: string | undefined, body: unknown): Promise<Proposal> {
  const ref = refOrNotFound(rawEventRef, 'Invalid Event');
  const fail = (errors: FieldErrors | string): never => { throw notFound(`Could not save the proposal. Errors: ${errorText(errors)}`); };
  const input = parseInput(body, fail);
  return env.storage.transaction(async (tx) => {
    const event = await visibleEventOrNotFound(ctx, tx, ref, 'Invalid Event');
    const c = checked(env, { ...input, value: sentValue(input) });
    if (!c.ok) return fail(c.errors as FieldErrors);
    return insert(tx, {
      oldId: 0, eventId: event.id, type: c.type, category: c.category, value1: c.value1, value2: c.value2, toIds: c.toIds,
      uuid: input.uuid ?? newUuid(), eventUuid: event.uuid, eventOrgId: event.orgId, ...proposer(ctx),
      comment: input.comment ?? '', deleted: false, timestamp: input.timestamp || ctx.now, proposalToDelete: false,
      disableCorrelation: input.disableCorrelation ?? false, firstSeen: input.firstSeen ?? null, lastSeen: input.lastSeen ?? null,
    }, input, ctx);
  });
}

/** What a change or deletion proposal copies from the attribute it targets (`$fields['static']`). */
function targetFields(a: Attribute, event: MispEvent) {
  return { oldId: a.id, uuid: a.uuid, eventId: event.id, eventUuid: event.uuid, eventOrgId: event.orgcId };
}

async function visibleAttribute(ctx: RequestContext, stores: Stores, rawRef: string | undefined): Promise<{ attribute: Attribute; event: MispEvent } | undefined> {
  const ref = parseRef(rawRef);
  const attribute = ref && await findAttributeDetail(ctx, stores, ref);
  const event = attribute && await stores.eventWrites.findEvent({ id: attribute.eventId });
  return attribute && event ? { attribute, event } : undefined;
}

/**
 * shadowAttributes/edit/{attribute}: a proposed change of category, type, value, to_ids, comment or first/last seen;
 * the other fields come from the attribute. Type and category of attachments and the type of object attributes
 * stay fixed. 405 "Invalid input." when nothing changeable was sent.
 */
export async function proposeChange(ctx: RequestContext, env: EventWriteEnv, rawRef: string | undefined, body: unknown): Promise<Proposal> {
  const fail = (errors: FieldErrors | string): never => { throw saveFailed(`Could not save the proposal. Errors: ${errorText(errors)}`, errors); };
  const input = parseInput(body, fail);
  return env.storage.transaction(async (tx) => {
    const found = await visibleAttribute(ctx, tx, rawRef);
    if (!found) throw notFound('Invalid Attribute.');
    const { attribute: a, event } = found;
    const fixedType = carriesFile(a.type) || a.objectId !== 0;
    const fixedCategory = carriesFile(a.type);
    const sent = [input.value, input.toIds, input.comment, input.firstSeen, input.lastSeen,
      fixedType ? undefined : input.type, fixedCategory ? undefined : input.category];
    if (sent.every((v) => v === undefined)) throw notAllowed('Invalid input.');
    const type = fixedType ? a.type : input.type ?? a.type;
    const c = checked(env, {
      type, category: fixedCategory ? a.category : input.category ?? a.category,
      value: sentValue(input) ?? storedValue({ ...a, type }), toIds: input.toIds ?? a.toIds,
    });
    if (!c.ok) return fail(c.errors as FieldErrors);
    return insert(tx, {
      ...targetFields(a, event), type: c.type, category: c.category, value1: c.value1, value2: c.value2, toIds: c.toIds,
      ...proposer(ctx), comment: input.comment ?? a.comment, deleted: false, timestamp: ctx.now, proposalToDelete: false,
      disableCorrelation: a.disableCorrelation,
      firstSeen: input.firstSeen !== undefined ? input.firstSeen : a.firstSeen,
      lastSeen: input.lastSeen !== undefined ? input.lastSeen : a.lastSeen,
    }, input, ctx);
  });
}

/** shadowAttributes/delete/{attribute}'s answer: MISP replies 200 either way, with `saved` or `false` + `errors`. */
export type DeletionProposalResult =
  | { readonly saved: true; readonly success: string }
  | { readonly false: true; readonly errors: string };

/** shadowAttributes/delete/{attribute}: proposes deleting a visible attribute. */
export async function proposeDeletion(ctx: RequestContext, env: EventWriteEnv, rawRef: string | undefined): Promise<DeletionProposalResult> {
  return env.storage.transaction(async (tx) => {
    const found = await visibleAttribute(ctx, tx, rawRef);
    if (!found) return { false: true, errors: 'Invalid Attribute.' };
    const { attribute: a, event } = found;
    await insert(tx, {
      ...targetFields(a, event), type: a.type, category: a.category, value1: a.value1, value2: a.value2, toIds: a.toIds,
      ...proposer(ctx), comment: '', deleted: false, timestamp: ctx.now, proposalToDelete: true,
      disableCorrelation: a.disableCorrelation, firstSeen: a.firstSeen, lastSeen: a.lastSeen,
    }, undefined, ctx);
    return { saved: true, success: 'The proposal to delete the attribute has been saved' };
  });
}
