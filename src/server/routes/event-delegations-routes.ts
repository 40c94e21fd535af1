import {
  acceptDelegation, deleteDelegation, delegateEvent, listDelegations, viewDelegation,
} from '../../core/events/event-delegation.js';
import { toMispEventDelegation } from '../../core/misp-format/event-delegation-json.js';
import { isRecord } from '../../core/misp-format/input-readers.js';
import type { EventDelegation } from '../../core/model/event-delegation.js';
import type { Stores } from '../../core/ports/stores.js';
import { type ActionDef, controller, success } from '../action.js';
import type { AppDeps } from '../app-deps.js';

/** Event delegation (EventDelegationsController, spec §3; ACLComponent: all behind MISP.delegation). */
export function eventDelegationsActions(deps: AppDeps): ActionDef[] {
  const tx = deps.storage.transaction.bind(deps.storage);
  return controller('eventDelegations', [
    {
      action: 'delegateEvent', methods: ['POST'], acl: { AND: ['delegation_enabled', 'perm_delegate'] },
      handler: async ({ ctx, passed, body }) => toMispEventDelegation(await tx((s) => delegateEvent(ctx, s, passed[0], body))),
    },
    {
      action: 'acceptDelegation', methods: ['POST'], acl: { AND: ['delegation_enabled', 'perm_add'] },
      handler: async ({ ctx, passed }) => {
        await tx((s) => acceptDelegation(ctx, s, passed[0]));
        return success('Event ownership transferred.', `/eventDelegations/acceptDelegation/${passed[0]}`, passed[0]);
      },
    },
    {
      action: 'deleteDelegation', methods: ['POST', 'DELETE'], acl: { AND: ['delegation_enabled', 'perm_add'] },
      handler: async ({ ctx, passed }) => {
        await tx((s) => deleteDelegation(ctx, s, passed[0]));
        return success('Delegation request deleted.', `/eventDelegations/deleteDelegation/${passed[0]}`, passed[0]);
      },
    },
    {
      action: 'index', methods: ['GET', 'POST'], acl: 'delegation_enabled',
      handler: async ({ ctx, named, body }) => {
        const context = isRecord(body) && body.context ? body.context : named.context;
        return withContext(deps.storage, await listDelegations(ctx, deps.storage, context));
      },
    },
    {
      action: 'view', methods: ['GET'], acl: 'delegation_enabled',
      handler: async ({ ctx, passed }) => (await withContext(deps.storage, [await viewDelegation(ctx, deps.storage, passed[0])]))[0],
    },
  ]);
}

/** Adds Org, RequesterOrg and Event to each request, in two lookups. */
async function withContext(stores: Stores, list: readonly EventDelegation[]): Promise<unknown[]> {
  const orgs = await stores.eventReads.organisations([...new Set(list.flatMap((d) => [d.orgId, d.requesterOrgId]))]);
  const events = await Promise.all(list.map((d) => stores.eventWrites.findEvent({ id: d.eventId })));
  return list.map((d, i) => toMispEventDelegation(d, { org: orgs.get(d.orgId), requesterOrg: orgs.get(d.requesterOrgId), event: events[i] }));
}
