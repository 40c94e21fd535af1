import type { RequestContext } from '../core/context.js';
import { PERM_FLAGS, type PermFlag } from '../core/model/role.js';
import type { AclRule } from './action.js';

const FLAGS = new Set<string>(PERM_FLAGS);

/**
 * Evaluates an ACL rule the way ACLComponent::checkAccess does (spec §4.4): site admins pass
 * everything; '*' passes any authenticated user; flags and pseudo-flags are read from the actor.
 */
export function aclAllows(rule: AclRule, ctx: RequestContext): boolean {
  if (ctx.actor.isSiteAdmin) return true;
  return evaluate(rule, ctx);
}

function evaluate(rule: AclRule, ctx: RequestContext): boolean {
  if (typeof rule === 'object') {
    if ('AND' in rule) return rule.AND.every((r) => evaluate(r, ctx));
    return rule.OR.some((r) => evaluate(r, ctx));
  }
  if (rule === '*') return true;
  if (rule === 'SA') return false;
  if (FLAGS.has(rule)) return ctx.actor.role.perms[rule as PermFlag];
  const { actor, settings } = ctx;
  switch (rule) {
    case 'not_read_only_authkey':
      return !actor.authKey?.readOnly;
    case 'self_management_enabled':
      // org admins keep managing themselves when self-management is off (ACLComponent dynamicChecks)
      return !settings.bool('MISP.disableUserSelfManagement') || actor.role.perms.perm_admin;
    case 'password_change_enabled':
      return !settings.bool('MISP.disable_user_password_change');
    case 'organisation_index':
      return !settings.bool('Security.hide_organisation_index_from_users') || actor.role.perms.perm_sharing_group;
    case 'add_user_enabled':
      return !settings.bool('MISP.disable_user_add');
    case 'delegation_enabled':
      return settings.bool('MISP.delegation');
    case 'host_org_user':
      return actor.org.id === settings.num('MISP.host_org_id');
    default:
      return false;
  }
}

export const ACL_DENIED = 'You do not have permission to use this functionality.';
