import type { RequestContext } from '../../core/context.js';
import { notAllowed, notFound } from '../../core/errors.js';
import type { Role } from '../../core/model/role.js';
import { aclAllows } from '../acl.js';
import { type ActionDef, type AnyActionDef, controller } from '../action.js';
import type { AppDeps } from '../app-deps.js';

/**
 * Administrators' self-checks: events/queryACL and servers/dbSchemaDiagnostic.
 *
 * events/queryACL/{printAllFunctionNames|findMissingFunctionNames|printRoleAccess}[/{role id}] (AppController::
 * queryACL, PyMISP remote_acl): the action registry described from itself. An action without an ACL rule would be
 * "missing"; the type system requires one on every authenticated action, so the answer lists none unless one slips in.
 */
export function diagnosticsActions(deps: AppDeps, registered: () => readonly AnyActionDef[]): ActionDef[] {
  const byController = (actions: readonly AnyActionDef[]) => {
    const out: Record<string, string[]> = {};
    for (const a of actions) (out[a.controller] ??= []).push(a.action);
    return Object.fromEntries(Object.entries(out).sort(([x], [y]) => x.localeCompare(y)));
  };
  return [...controller('servers', [{
    // ServersController::dbSchemaDiagnostic: the schema version is the last migration; pending ones are listed.
    action: 'dbSchemaDiagnostic', methods: ['GET'], acl: 'SA',
    handler: async () => {
      const status = await deps.storage.schemaStatus();
      const applied = status.filter((m) => m.applied);
      return {
        dataSource: deps.storage.kind === 'sqlite' ? 'Database/Sqlite' : 'Database/Postgres',
        actual_db_version: applied[applied.length - 1]?.name ?? '', expected_db_version: status[status.length - 1]?.name ?? '',
        pending_migrations: status.filter((m) => !m.applied).map((m) => m.name), update_locked: false, diagnostic: {},
      };
    },
  }]), ...controller('events', [{
    action: 'queryACL', methods: ['GET', 'POST'], acl: 'SA',
    handler: async ({ ctx, passed }) => {
      const authenticated = registered().filter((a): a is ActionDef => a.auth !== 'none');
      switch (passed[0] ?? 'findMissingFunctionNames') {
        case 'printAllFunctionNames': return byController(registered());
        case 'findMissingFunctionNames': {
          const missing = byController(authenticated.filter((a) => (a as { acl?: unknown }).acl === undefined));
          return Object.keys(missing).length ? missing : [];
        }
        case 'printRoleAccess': {
          const roles = (await deps.storage.identity.listRoles()).filter((r) => passed[1] === undefined || String(r.id) === passed[1]);
          if (roles.length === 0) throw notFound('Role not found.');
          return Object.fromEntries(roles.map((role) => [String(role.id), {
            name: role.name,
            urls: authenticated.filter((a) => aclAllows(a.acl, asRole(ctx, role))).map((a) => `/${a.admin ? 'admin/' : ''}${a.controller}/${a.action}`),
          }]));
        }
        default: throw notAllowed('Invalid function call.');
      }
    },
  }])];
}

/** The request context of a user with `role` in the host organisation (ACLComponent::__checkRoleAccess's fake user). */
function asRole(ctx: RequestContext, role: Role): RequestContext {
  const org = { ...ctx.actor.org, id: ctx.settings.num('MISP.host_org_id') };
  return { ...ctx, actor: { ...ctx.actor, role, org, authKey: null, isSiteAdmin: role.perms.perm_site_admin } };
}
