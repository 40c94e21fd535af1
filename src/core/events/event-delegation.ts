import type { RequestContext } from '../context.js';
import { badRequest, notAllowed } from '../errors.js';
import { isRecord } from '../misp-format/input-readers.js';
import { Distribution } from '../model/event.js';
import type { EventDelegation } from '../model/event-delegation.js';
import type { Stores } from '../ports/stores.js';
import { fetchOrg } from '../sharing-groups/sharing-group-service.js';
import { parseRef } from '../util/uuid.js';

/**
 * Event delegation (EventDelegationsController, spec §3 eventDelegations, §4.2): the creator org of an
 * organisation-only event asks another org to take it over; the other org sees the event while the request is
 * pending and, on accepting, becomes its owner and creator. Cairn transfers the event in place, so every
 * attribute and object stays as it was (MISP re-saves the event as the accepting user sees it).
 */

const NOT_AUTHORISED = 'You are not authorised to do that.';

/** eventDelegations/delegateEvent/{event id|uuid}, body `{EventDelegation: {org_id, distribution, sharing_group_id, message}}`. */
export async function delegateEvent(ctx: RequestContext, stores: Stores, rawEventId: unknown, body: unknown): Promise<EventDelegation> {
  const ref = parseRef(rawEventId);
  const event = ref && (await stores.eventWrites.findEvent(ref));
  const { actor } = ctx;
  if (!event || (!actor.isSiteAdmin && actor.org.id !== event.orgcId)) throw notAllowed(NOT_AUTHORISED);
  if (!ctx.settings.bool('MISP.unpublishedprivate') && event.distribution !== Distribution.OrgOnly) {
    throw notAllowed('Only events with the distribution setting "Your Organisation Only" can be delegated.');
  }
  if (await stores.delegations.ofEvent(event.id)) {
    throw notAllowed('This event already has a pending delegation request. Please revoke that before creating a new request.');
  }
  const input = isRecord(body) && isRecord(body.EventDelegation) ? body.EventDelegation : isRecord(body) ? body : {};
  const org = await fetchOrg(stores, input.org_id);
  if (!org) throw badRequest('Invalid input, could not create the Delegation Request.');
  const distribution = input.distribution === undefined || input.distribution === null || input.distribution === '' ? 0 : Number(input.distribution);
  if (!Number.isInteger(distribution) || distribution < -1 || distribution > 4) throw badRequest('Invalid input, could not create the Delegation Request.');
  const delegation = await stores.delegations.insert({
    orgId: org.id, requesterOrgId: actor.org.id, eventId: event.id, message: typeof input.message === 'string' ? input.message : '',
    distribution, sharingGroupId: distribution === Distribution.SharingGroup ? Number(input.sharing_group_id) || 0 : 0,
  });
  await stores.audit.record(ctx, {
    action: 'request_delegation', model: 'Event', modelId: event.id, modelTitle: 'Requested event delegation',
    change: { event_id: event.id, org_id: org.id, org: org.name },
  });
  return delegation;
}

async function delegationOrRefuse(stores: Stores, rawId: unknown, allowed: (d: EventDelegation) => boolean): Promise<EventDelegation> {
  const id = typeof rawId === 'string' && /^\d+$/.test(rawId) ? Number(rawId) : NaN;
  const d = Number.isSafeInteger(id) ? await stores.delegations.find(id) : undefined;
  if (!d || !allowed(d)) throw notAllowed(NOT_AUTHORISED);
  return d;
}

/** eventDelegations/acceptDelegation/{id}: only the recipient org (or a site admin) takes the event over. */
export async function acceptDelegation(ctx: RequestContext, stores: Stores, rawId: unknown): Promise<number> {
  const { actor } = ctx;
  const d = await delegationOrRefuse(stores, rawId, (x) => actor.isSiteAdmin || x.orgId === actor.org.id);
  await stores.delegations.transferEvent(d.eventId, d.orgId, actor.user.id, ctx.now);
  // Correlation rows carry a copy of each side's owner org (spec §5.5); the new owner must be copied in too.
  await stores.correlations.refreshEventAcl([d.eventId]);
  await stores.delegations.delete(d.id);
  await stores.audit.record(ctx, {
    action: 'accept_delegation', model: 'Event', modelId: d.eventId, modelTitle: 'Completed event delegation',
    change: { event_id: d.eventId, org_id: d.orgId },
  });
  return d.eventId;
}

/** eventDelegations/deleteDelegation/{id}: the requester or the recipient withdraws the request. */
export async function deleteDelegation(ctx: RequestContext, stores: Stores, rawId: unknown): Promise<void> {
  const { actor } = ctx;
  const d = await delegationOrRefuse(stores, rawId, (x) => actor.isSiteAdmin || x.orgId === actor.org.id || x.requesterOrgId === actor.org.id);
  await stores.delegations.delete(d.id);
}

/** eventDelegations/view/{id}: the two orgs involved and site admins. */
export async function viewDelegation(ctx: RequestContext, stores: Stores, rawId: unknown): Promise<EventDelegation> {
  const { actor } = ctx;
  return delegationOrRefuse(stores, rawId, (x) => actor.isSiteAdmin || x.orgId === actor.org.id || x.requesterOrgId === actor.org.id);
}

/** eventDelegations/index: `pending` (addressed to the actor's org, the default) or `issued` (made by it). */
export async function listDelegations(ctx: RequestContext, stores: Stores, context: unknown): Promise<EventDelegation[]> {
  const c = context === undefined || context === null || context === '' ? 'pending' : context;
  if (c !== 'pending' && c !== 'issued') throw badRequest('Invalid context. Expected values: pending or issued.');
  return stores.delegations.list(c === 'pending' ? { orgId: ctx.actor.org.id } : { requesterOrgId: ctx.actor.org.id });
}
