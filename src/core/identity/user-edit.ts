import { hashPassword } from '../auth/secrets.js';
import type { RequestContext } from '../context.js';
import { saveFailed } from '../errors.js';
import type { FieldErrors } from '../misp-format/input-readers.js';
import type { User } from '../model/user.js';
import type { UserPatch } from '../ports/identity-store.js';
import type { Stores } from '../ports/stores.js';
import { adminTarget, assertAssignable, canChangeLogin, canChangePassword } from './user-access.js';
import { checkEmail, checkPassword, domainProblem } from './user-checks.js';
import { readUserInput, type UserInput } from './user-input.js';
import { auditEdit } from '../audit/audit-record.js';
import { MASK } from '../audit/audit-change.js';
import { toMispUser } from '../misp-format/identity-json.js';

/** Saves the patch and logs the changed fields; a new password shows only as masked. */
async function saveUser(ctx: RequestContext, stores: Stores, target: User, patch: UserPatch): Promise<User> {
  const updated = await stores.identity.updateUser(target.id, patch, ctx.now);
  await auditEdit(ctx, stores, 'User', target.id, updated.email, toMispUser(target), toMispUser(updated),
    patch.passwordHash ? { password: [MASK, MASK] } : {});
  return updated;
}

/** Profile fields every user may change on themselves (UsersController::edit $fieldList). */
function selfFields(input: UserInput): UserPatch {
  const p: UserPatch = {};
  for (const k of ['autoalert', 'contactalert', 'disabled', 'notificationDaily', 'notificationWeekly', 'notificationMonthly',
    'gpgkey', 'certifPublic', 'nidsSid'] as const) {
    if (input[k] !== undefined) (p as Record<string, unknown>)[k] = input[k];
  }
  return p;
}

/** E-mail and password, when the instance lets this actor change them; checks go into `errors`. */
async function loginFields(ctx: RequestContext, stores: Stores, target: User, input: UserInput, errors: FieldErrors): Promise<UserPatch> {
  const p: UserPatch = {};
  if (input.email !== undefined && input.email.toLowerCase() !== target.email && canChangeLogin(ctx)) {
    await checkEmail(stores, input.email, target.id, errors);
    p.email = input.email;
  }
  if (input.password !== undefined && canChangePassword(ctx)) {
    checkPassword(ctx, input.password, errors);
    if (!errors.password) {
      p.passwordHash = await hashPassword(input.password);
      p.lastPwChange = ctx.now;
    }
  }
  return p;
}

/**
 * admin/users/edit/{id}: site admins change anything; org admins stay inside their organisation (no org_id)
 * and assign only roles they may (the user's current role is always allowed). Unknown fields — including
 * `authkey`, `totp` and the masked password PyMISP echoes — are ignored.
 */
export async function adminEditUser(ctx: RequestContext, stores: Stores, raw: string | undefined, body: unknown): Promise<User> {
  const { user: target } = await adminTarget(ctx, stores, raw, true);
  const { input, errors } = readUserInput(body);
  if (input.email !== undefined && input.email.toLowerCase() !== target.email) {
    const domain = await domainProblem(ctx, stores, target.orgId, input.email);
    if (domain) throw saveFailed('Could not edit User', domain, { id: target.id });
  }
  const patch: UserPatch = { ...selfFields(input), ...(await loginFields(ctx, stores, target, input, errors)) };
  for (const k of ['termsaccepted', 'forceLogout', 'externalAuthRequired', 'externalAuthKey', 'expiration'] as const) {
    if (input[k] !== undefined) (patch as Record<string, unknown>)[k] = input[k];
  }
  if (input.changePw !== undefined && canChangePassword(ctx)) patch.changePw = input.changePw;
  if (input.orgId !== undefined && input.orgId !== target.orgId && ctx.actor.isSiteAdmin) {
    if (await stores.identity.findOrganisation({ id: input.orgId })) patch.orgId = input.orgId;
    else (errors.org_id ??= []).push('Invalid organisation');
  }
  if (input.roleId !== undefined && input.roleId !== target.roleId) {
    const role = await stores.identity.findRole(input.roleId);
    if (!role) (errors.role_id ??= []).push('Invalid role');
    else {
      assertAssignable(ctx, role, target.roleId);
      patch.roleId = role.id;
      patch.serverId = role.perms.perm_sync ? input.serverId ?? target.serverId : 0;
    }
  } else if (input.serverId !== undefined) {
    const role = await stores.identity.findRole(target.roleId);
    patch.serverId = role?.perms.perm_sync ? input.serverId : 0;
  }
  if (Object.keys(errors).length) throw saveFailed('Could not edit User', errors, { id: target.id });
  return saveUser(ctx, stores, target, patch);
}

/**
 * users/edit[/{anything}]: MISP ignores the id and edits the caller (UsersController::edit), limited to profile
 * fields plus e-mail and password when the instance allows changing them.
 */
export async function selfEditUser(ctx: RequestContext, stores: Stores, body: unknown): Promise<User> {
  const target = ctx.actor.user;
  const { input, errors } = readUserInput(body);
  if (input.email !== undefined && input.email.toLowerCase() !== target.email) {
    const domain = await domainProblem(ctx, stores, target.orgId, input.email);
    if (domain) throw saveFailed('Could not edit User', domain, { id: target.id });
  }
  const patch: UserPatch = { ...selfFields(input), ...(await loginFields(ctx, stores, target, input, errors)) };
  if (Object.keys(errors).length) throw saveFailed('Could not edit User', errors, { id: target.id });
  return saveUser(ctx, stores, target, patch);
}
