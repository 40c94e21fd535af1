import { notFound } from '../../core/errors.js';
import { toMispOrganisation, toMispRole, toMispUser } from '../../core/misp-format/identity-json.js';
import { parseRef } from '../../core/util/uuid.js';
import { type ActionDef, controller } from '../action.js';
import type { AppDeps } from '../app-deps.js';

export function usersActions(deps: AppDeps): ActionDef[] {
  return controller('users', [
    {
      action: 'view', methods: ['GET'], acl: '*',
      handler: async ({ actor, passed }) => {
        const which = passed[0] ?? 'me';
        if (which === 'me') {
          return { User: toMispUser(actor.user), Role: toMispRole(actor.role), UserSetting: [], Organisation: toMispOrganisation(actor.org) };
        }
        const ref = parseRef(which);
        if (!ref || !('id' in ref) || (!actor.isSiteAdmin && ref.id !== actor.user.id)) throw notFound('Invalid user');
        const user = await deps.storage.identity.findUser({ id: ref.id });
        if (!user) throw notFound('Invalid user');
        const [role, org] = await Promise.all([deps.storage.identity.findRole(user.roleId), deps.storage.identity.findOrganisation({ id: user.orgId })]);
        return { User: toMispUser(user), Role: role ? toMispRole(role) : {}, UserSetting: [], Organisation: org ? toMispOrganisation(org) : {} };
      },
    },
  ]);
}
