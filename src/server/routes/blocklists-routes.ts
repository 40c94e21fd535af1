import {
  addToBlocklist, deleteBlocklistEntry, editBlocklistEntry, listBlocklist,
} from '../../core/blocklists/blocklist-service.js';
import { blocklistModel, toMispBlocklistEntry } from '../../core/misp-format/blocklist-json.js';
import type { BlocklistKind } from '../../core/model/blocklist.js';
import { type AclRule, type ActionDef, controller, success } from '../action.js';
import type { AppDeps } from '../app-deps.js';

/**
 * eventBlocklists, orgBlocklists and galaxyClusterBlocklists (BlockListComponent, spec §3.13, §6.7): index answers
 * the bare rows, add a successes/fails report, edit the row, delete MISP's envelope. Event blocklists are for
 * host-org users with perm_add, organisation and galaxy cluster blocklists for site admins (ACLComponent).
 */
export function blocklistsActions(deps: AppDeps): ActionDef[] {
  const tx = deps.storage.transaction.bind(deps.storage);
  const crud = (name: string, kind: BlocklistKind, acl: AclRule) => controller(name, [
    {
      action: 'index', methods: ['GET', 'POST'], acl,
      handler: async ({ ctx }) => (await listBlocklist(ctx, deps.storage, kind)).map(toMispBlocklistEntry),
    },
    {
      action: 'add', methods: ['POST'], acl,
      handler: async ({ ctx, body }) => tx((s) => addToBlocklist(ctx, s, kind, body)),
    },
    {
      action: 'edit', methods: ['POST', 'PUT'], acl,
      handler: async ({ ctx, passed, body }) => {
        const entry = await tx((s) => editBlocklistEntry(ctx, s, kind, passed[0], body));
        return { [blocklistModel(entry)]: toMispBlocklistEntry(entry) };
      },
    },
    {
      action: 'delete', methods: ['POST', 'DELETE'], acl,
      handler: async ({ ctx, passed }) => {
        await tx((s) => deleteBlocklistEntry(ctx, s, kind, passed[0]));
        return success('Blocklist entry removed', `/${name}/delete/${passed[0] ?? ''}`, passed[0]);
      },
    },
  ]);
  return [
    ...crud('eventBlocklists', 'event', { AND: ['host_org_user', 'perm_add'] }),
    ...crud('orgBlocklists', 'org', 'SA'),
    ...crud('galaxyClusterBlocklists', 'cluster', 'SA'),
  ];
}
