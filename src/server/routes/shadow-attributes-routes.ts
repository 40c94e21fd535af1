import type { EventWriteEnv } from '../../core/events/event-write-env.js';
import { toMispProposal } from '../../core/misp-format/proposal-json.js';
import { acceptProposal, discardProposal } from '../../core/proposals/proposal-decide.js';
import { listProposals, viewProposal } from '../../core/proposals/proposal-read.js';
import { proposeAttribute, proposeChange, proposeDeletion } from '../../core/proposals/proposal-write.js';
import { type ActionDef, controller } from '../action.js';
import type { AppDeps } from '../app-deps.js';

/**
 * The shadow_attributes controller (proposals, spec §3.8), reachable as `shadowAttributes/…` and
 * `shadow_attributes/…`. PyMISP calls add/edit/delete itself when attributes/add|edit|delete answer 403.
 */

const PROPOSAL_FIELDS = ['category', 'type', 'value', 'to_ids', 'comment', 'uuid', 'first_seen', 'last_seen', 'data', 'encrypt'];

export function shadowAttributesActions(deps: AppDeps): ActionDef[] {
  const env: EventWriteEnv = { storage: deps.storage, typeMatrix: deps.typeMatrix, objectTemplates: deps.objectTemplates };
  const stores = deps.storage;
  const decided = (message: string, action: string, id: string | undefined) =>
    ({ name: message, message, url: `/shadow_attributes/${action}/${id ?? ''}` });
  return controller('shadow_attributes', [
    {
      action: 'add', methods: ['POST'], acl: 'perm_add',
      describe: { description: 'POST an Attribute JSON to propose it as a new attribute of the Event.', mandatory: ['type', 'value'], optional: PROPOSAL_FIELDS },
      handler: async ({ ctx, passed, body }) => ({ ShadowAttribute: toMispProposal(await proposeAttribute(ctx, env, passed[0], body), 'saved') }),
    },
    {
      action: 'edit', methods: ['POST', 'PUT'], acl: 'perm_add',
      describe: { description: 'POST the fields to change to propose a modification of the Attribute.', mandatory: [], optional: PROPOSAL_FIELDS },
      handler: async ({ ctx, passed, body }) => ({ ShadowAttribute: toMispProposal(await proposeChange(ctx, env, passed[0], body), 'saved') }),
    },
    {
      action: 'delete', methods: ['POST'], acl: 'perm_add',
      handler: async ({ ctx, passed }) => proposeDeletion(ctx, env, passed[0]),
    },
    {
      action: 'accept', methods: ['POST'], acl: 'perm_add',
      handler: async ({ ctx, passed }) => decided(await acceptProposal(ctx, env, passed[0]), 'accept', passed[0]),
    },
    {
      action: 'discard', methods: ['POST'], acl: 'perm_add',
      handler: async ({ ctx, passed }) => {
        await discardProposal(ctx, env, passed[0]);
        return decided('Proposal discarded.', 'discard', passed[0]);
      },
    },
    {
      action: 'view', methods: ['GET'], acl: '*',
      handler: async ({ ctx, passed }) => ({ ShadowAttribute: toMispProposal(await viewProposal(ctx, stores, passed[0]), 'view') }),
    },
    {
      action: 'index', methods: ['GET', 'POST'], acl: '*',
      handler: async ({ ctx, passed, named }) =>
        (await listProposals(ctx, stores, passed[0], named)).map((p) => ({ ShadowAttribute: toMispProposal(p, 'index') })),
    },
  ]);
}
