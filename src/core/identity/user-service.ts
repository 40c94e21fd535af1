import { randomInt } from 'node:crypto';
import { API_KEY_RE, generateApiKey, generatePassword, hashApiKey, hashPassword, keyHints, verifyPassword } from '../auth/secrets.js';
import type { RequestContext } from '../context.js';
import { notAllowed, saveFailed } from '../errors.js';
import type { User } from '../model/user.js';
import type { Stores } from '../ports/stores.js';
import { issueAuthKey } from './api-key-issue.js';
import { auditAdd, auditDelete } from '../audit/audit-record.js';
import { toMispUser } from '../misp-format/identity-json.js';
import { defaultRole } from './role-service.js';
import { adminTarget, assertAssignable } from './user-access.js';
import { checkEmail, checkPassword, domainProblem } from './user-checks.js';
import { readUserInput, userRecord } from './user-input.js';

/** Users (spec §1.3, §3.9; UsersController::admin_add, admin_delete, change_pw). */
export interface CreatedUser {
  readonly user: User;
  /** The new user's API key in clear, returned once in the admin/users/add answer. */
  readonly authkey: string;
}

/**
 * admin/users/add: email required; role_id defaults to the default role; org admins create only in their own
 * organisation (org_id is overridden, as MISP does) and only roles they may assign. A password is generated
 * when none is given; the API key is an auth_keys row with advanced keys, else the legacy per-user key.
 */
export async function addUser(ctx: RequestContext, stores: Stores, secret: string, body: unknown): Promise<CreatedUser> {
  const { actor, settings, now } = ctx;
  const { input, errors } = readUserInput(body);
  if (!input.email) throw saveFailed('Could not add User', { email: 'Mandatory field not set.' });
  const roleId = input.roleId ?? (await defaultRole(stores))?.id;
  if (roleId === undefined) throw saveFailed('Could not add User', { role_id: 'Mandatory field not set.' });
  const role = await stores.identity.findRole(roleId);
  if (!role) throw notAllowed('Invalid role');
  assertAssignable(ctx, role);
  const orgId = actor.isSiteAdmin ? input.orgId ?? actor.user.orgId : actor.user.orgId;
  if (!(await stores.identity.findOrganisation({ id: orgId }))) throw saveFailed('Could not add User', ['Invalid organisation']);
  const domain = await domainProblem(ctx, stores, orgId, input.email);
  if (domain) throw saveFailed('Could not add User', domain);
  await checkEmail(stores, input.email, undefined, errors);
  if (input.password !== undefined) checkPassword(ctx, input.password, errors);
  if (Object.keys(errors).length) throw saveFailed('Could not add User', errors);

  const advanced = settings.bool('Security.advanced_authkeys');
  const legacyKey = advanced ? undefined : input.authkey && API_KEY_RE.test(input.authkey) ? input.authkey : generateApiKey();
  const legacy = legacyKey ? { hash: hashApiKey(secret, legacyKey), ...keyHints(legacyKey) } : { hash: '', start: '', end: '' };
  const user = await stores.identity.createUser({
    email: input.email, passwordHash: await hashPassword(input.password ?? generatePassword()), orgId, roleId,
    legacyKeyHash: legacy.hash, legacyKeyStart: legacy.start, legacyKeyEnd: legacy.end,
    serverId: role.perms.perm_sync ? input.serverId ?? 0 : 0,
    autoalert: input.autoalert ?? settings.bool('MISP.default_publish_alert'), contactalert: input.contactalert ?? false,
    disabled: input.disabled ?? false, changePw: input.changePw ?? true, termsaccepted: input.termsaccepted ?? false,
    nidsSid: input.nidsSid || randomInt(1_000_000, 10_000_000), invitedBy: actor.user.id,
    gpgkey: input.gpgkey ?? null, certifPublic: input.certifPublic ?? null,
    externalAuthRequired: input.externalAuthRequired ?? false, externalAuthKey: input.externalAuthKey ?? null,
    notificationDaily: input.notificationDaily ?? false, notificationWeekly: input.notificationWeekly ?? false,
    notificationMonthly: input.notificationMonthly ?? false, now,
  });
  const authkey = legacyKey ?? (await issueAuthKey(stores, secret, user.id, now)).raw;
  await auditAdd(ctx, stores, 'User', user.id, user.email, toMispUser(user));
  return { user, authkey };
}

/** admin/users/delete/{id}: the user with their keys and settings; events they created stay. */
export async function deleteUser(ctx: RequestContext, stores: Stores, raw: string | undefined): Promise<number> {
  const { user } = await adminTarget(ctx, stores, raw, true);
  await auditDelete(ctx, stores, 'User', user.id, user.email, toMispUser(user));
  await stores.identity.deleteUser(user.id);
  return user.id;
}

export const PASSWORD_CHANGED = 'Password Changed.';

/** users/change_pw: the caller's own password, which must differ from the current one (UsersController::__pw_change). */
export async function changePassword(ctx: RequestContext, stores: Stores, body: unknown): Promise<void> {
  const password = userRecord(body).password;
  const fail = (message: string) => saveFailed('Could not change_pw User', message);
  const policy = 'The password could not be updated. Make sure you meet the minimum password length / complexity requirements.';
  if (typeof password !== 'string' || password === '') throw fail(policy);
  const current = await stores.identity.findPasswordHash(ctx.actor.user.id);
  if (current && (await verifyPassword(current, password))) throw fail('Submitted new password cannot be the same as the current one');
  const errors = {};
  checkPassword(ctx, password, errors);
  if (Object.keys(errors).length) throw fail(policy);
  await stores.identity.updateUser(ctx.actor.user.id, { passwordHash: await hashPassword(password), changePw: false, lastPwChange: ctx.now }, ctx.now);
  const { id, email } = ctx.actor.user;
  await stores.audit.record(ctx, { action: 'change_pw', model: 'User', modelId: id, modelTitle: email, title: `User (${id}): ${email}`, change: { message: 'Password changed.' } });
}
