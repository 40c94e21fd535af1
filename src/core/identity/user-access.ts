import type { RequestContext } from '../context.js';
import { forbidden, notFound } from '../errors.js';
import { PERM_FLAGS, type Role } from '../model/role.js';
import type { User } from '../model/user.js';
import type { Stores } from '../ports/stores.js';

export const ROLE_NOT_ASSIGNABLE = 'You are not authorised to assign that role to a user.';

/**
 * Whether a non-site-admin may give `role` to a user (UsersController::admin_add/admin_edit): never a site-admin,
 * sync, regexp or site-admin-restricted role — except the role the user already holds. MISP stops there; Cairn
 * also refuses a role granting a permission the acting admin lacks, so nobody hands out more than they have.
 */
export function assertAssignable(ctx: RequestContext, role: Role, currentRoleId?: number): void {
  const { actor } = ctx;
  if (actor.isSiteAdmin || role.id === currentRoleId) return;
  const p = role.perms;
  const privileged = p.perm_site_admin || p.perm_regexp_access || p.perm_sync || role.restrictedToSiteAdmin;
  const above = PERM_FLAGS.some((f) => p[f] && !actor.role.perms[f]);
  if (privileged || above) throw forbidden(ROLE_NOT_ASSIGNABLE);
}

/**
 * A user an admin may act on (UsersController::__adminFetchConditions): site admins reach everyone; org admins
 * only their organisation, and for edits never a site admin. Anything else is "Invalid user" (404).
 */
export async function adminTarget(ctx: RequestContext, stores: Stores, raw: string | undefined, edit: boolean): Promise<{ user: User; role: Role | undefined }> {
  const id = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  const user = Number.isSafeInteger(id) && id > 0 ? await stores.identity.findUser({ id }) : undefined;
  if (!user) throw notFound('Invalid user');
  const role = await stores.identity.findRole(user.roleId);
  const { actor } = ctx;
  if (!actor.isSiteAdmin && (user.orgId !== actor.user.orgId || (edit && role?.perms.perm_site_admin))) throw notFound('Invalid user');
  return { user, role };
}

/** UsersController::__canChangeLogin. */
export const canChangeLogin = (ctx: RequestContext): boolean =>
  ctx.actor.isSiteAdmin || !ctx.settings.bool('MISP.disable_user_login_change');

/** UsersController::__canChangePassword (the users/change_pw ACL row). */
export const canChangePassword = (ctx: RequestContext): boolean =>
  !ctx.settings.bool('MISP.disable_user_password_change')
  && (!ctx.settings.bool('MISP.disableUserSelfManagement') || ctx.actor.role.perms.perm_admin || ctx.actor.isSiteAdmin)
  && !ctx.actor.authKey?.readOnly;
