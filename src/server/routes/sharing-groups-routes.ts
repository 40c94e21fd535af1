import { readInt } from '../../core/misp-format/scalars.js';
import {
  toMispSharingGroupIndexRow, toMispSharingGroupSimplified, toMispSharingGroupView,
} from '../../core/misp-format/sharing-group-json.js';
import { localInstanceUrl } from '../../core/sharing-groups/sharing-group-capture.js';
import {
  addOrgToSharingGroup, addServerToSharingGroup, type QuickEdit, removeOrgFromSharingGroup, removeServerFromSharingGroup,
} from '../../core/sharing-groups/sharing-group-members.js';
import {
  addSharingGroup, deleteSharingGroup, editSharingGroup, listSharingGroups, sharingGroupExists, showsMembers,
  viewSharingGroup,
} from '../../core/sharing-groups/sharing-group-service.js';
import type { Stores } from '../../core/ports/stores.js';
import type { RequestContext } from '../../core/context.js';
import { type ActionDef, type ActionRequest, controller, response, success } from '../action.js';
import type { AppDeps } from '../app-deps.js';

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

const SG_FIELDS = ['description', 'uuid', 'organisation_uuid', 'active', 'created', 'modified', 'roaming', 'SharingGroupOrg', 'SharingGroupServer'];

type QuickEditService = (ctx: RequestContext, stores: Stores, q: QuickEdit) => Promise<{ message: string; url: string }>;

/**
 * SharingGroupsController (spec §2.10, §3.9). `sharingGroups/…` and `sharing_groups/…` both reach these actions.
 * add and edit answer the group as MISP's fetchAllAuthorised shows it, or `[]` when the actor is not a member.
 */
export function sharingGroupsActions(deps: AppDeps): ActionDef[] {
  const { storage } = deps;
  const quickEdit = (action: string, run: QuickEditService): Omit<ActionDef, 'controller'> => ({
    action, methods: ['POST', 'GET'], acl: 'perm_sharing_group',
    handler: async ({ ctx, passed, body }: ActionRequest) => {
      const q: QuickEdit = { sg: passed[0], member: passed[1], flag: passed[2], body };
      const { message, url } = await storage.transaction((tx) => run(ctx, tx, q));
      return success(message, url);
    },
  });
  return controller('sharing_groups', [
    {
      action: 'index', methods: ['GET'], acl: '*',
      handler: async ({ ctx, passed, named }) => {
        const rows = await listSharingGroups(ctx, storage, {
          passive: passed[0] === 'true', value: one(named.value), searchorg: one(named.searchorg),
          limit: readInt(one(named.limit)), page: readInt(one(named.page)),
        });
        const showMembers = showsMembers(ctx);
        return { response: rows.map((r) => toMispSharingGroupIndexRow({ ...r, showMembers })) };
      },
    },
    {
      action: 'view', methods: ['GET', 'HEAD'], acl: '*',
      handler: async ({ ctx, method, passed }) => {
        if (method === 'HEAD') return response((await sharingGroupExists(ctx, storage, passed[0])) ? 200 : 404, undefined);
        const view = await viewSharingGroup(ctx, storage, passed[0]);
        return toMispSharingGroupView({ ...view, localUrl: localInstanceUrl(ctx) });
      },
    },
    {
      action: 'add', methods: ['POST'], acl: 'perm_sharing_group',
      describe: {
        description: 'POST a Sharing Group object in JSON format to this API to add a Sharing Group. The API will also try to capture attached organisations and servers if applicable to the current user.',
        mandatory: ['name', 'releasability'], optional: SG_FIELDS,
      },
      handler: async ({ ctx, body }) => {
        const sg = await storage.transaction((tx) => addSharingGroup(ctx, tx, body));
        return sg ? toMispSharingGroupSimplified(sg) : [];
      },
    },
    {
      action: 'edit', methods: ['POST', 'PUT'], acl: 'perm_sharing_group',
      describe: {
        description: 'POST a Sharing Group object in JSON format to this API to edit a Sharing Group. The API will also try to capture attached organisations and servers if applicable to the current user.',
        mandatory: [], optional: ['name', 'releasability', ...SG_FIELDS],
      },
      handler: async ({ ctx, passed, body }) => {
        const sg = await storage.transaction((tx) => editSharingGroup(ctx, tx, passed[0], body));
        return sg ? toMispSharingGroupSimplified(sg) : [];
      },
    },
    {
      action: 'delete', methods: ['POST', 'DELETE'], acl: 'perm_sharing_group',
      handler: async ({ ctx, passed }) => {
        await storage.transaction((tx) => deleteSharingGroup(ctx, tx, passed[0]));
        return success('SharingGroup deleted', `/sharing_groups/delete/${passed[0] ?? ''}`, passed[0]);
      },
    },
    quickEdit('addOrg', addOrgToSharingGroup),
    quickEdit('removeOrg', removeOrgFromSharingGroup),
    quickEdit('addServer', addServerToSharingGroup),
    quickEdit('removeServer', removeServerFromSharingGroup),
  ]);
}
