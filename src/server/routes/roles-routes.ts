import { addRole, deleteRole, editRole, listRoles, setDefaultRole, viewRole } from '../../core/identity/role-service.js';
import { toMispRole } from '../../core/misp-format/identity-json.js';
import { PERM_FLAGS, type Role } from '../../core/model/role.js';
import { type ActionDef, controller, success } from '../action.js';
import type { AppDeps } from '../app-deps.js';

const ROLE_FIELDS = ['permission', ...PERM_FLAGS.filter((f) => f !== 'perm_full'), 'memory_limit', 'max_execution_time',
  'restricted_to_site_admin', 'enforce_rate_limit', 'rate_limit_count'];

/** roles/index adds `default` (RolesController::index afterFind). */
const withDefault = (r: Role) => ({ Role: { ...toMispRole(r), default: r.defaultRole } });

/** RolesController (spec §3.9, §4.4). */
export function rolesActions(deps: AppDeps): ActionDef[] {
  const { storage } = deps;
  const id = (passed: readonly string[]) => (passed[0] !== undefined && /^\d+$/.test(passed[0]) ? Number(passed[0]) : Number.NaN);
  return controller('roles', [
    {
      action: 'index', methods: ['GET'], acl: '*',
      handler: async ({ ctx }) => (await listRoles(ctx, storage)).map(withDefault),
    },
    {
      action: 'view', methods: ['GET'], acl: '*',
      handler: async ({ ctx, passed }) => withDefault(await viewRole(ctx, storage, id(passed))),
    },
    {
      action: 'add', admin: true, methods: ['POST'], acl: 'SA', describe: { mandatory: ['name'], optional: ROLE_FIELDS },
      handler: async ({ ctx, body }) => ({ Role: toMispRole(await storage.transaction((tx) => addRole(ctx, tx, body))) }),
    },
    {
      action: 'edit', admin: true, methods: ['POST', 'PUT'], acl: 'SA', describe: { mandatory: [], optional: ['name', ...ROLE_FIELDS] },
      handler: async ({ ctx, passed, body }) => ({ Role: toMispRole(await storage.transaction((tx) => editRole(ctx, tx, id(passed), body))) }),
    },
    {
      action: 'delete', admin: true, methods: ['POST', 'DELETE'], acl: 'SA',
      handler: async ({ ctx, passed }) => {
        const roleId = id(passed);
        await storage.transaction((tx) => deleteRole(ctx, tx, roleId));
        return success('Role deleted.', `/roles/delete/${roleId}`, roleId);
      },
    },
    {
      action: 'set_default', admin: true, methods: ['POST'], acl: 'SA',
      handler: async ({ ctx, passed }) => {
        const roleId = await storage.transaction((tx) => setDefaultRole(ctx, tx, passed[0]));
        return roleId === null
          ? success('Default role unset.', '/admin/roles/set_default')
          : success('Default role set.', `/admin/roles/set_default/${roleId}`, roleId);
      },
    },
  ]);
}
