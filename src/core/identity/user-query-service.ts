import type { RequestContext } from '../context.js';
import { notFound } from '../errors.js';
import { readBool } from '../misp-format/scalars.js';
import type { Organisation } from '../model/organisation.js';
import type { Role } from '../model/role.js';
import type { UserSetting } from '../model/user-setting.js';
import type { User } from '../model/user.js';
import type { UserFilter } from '../ports/identity-store.js';
import type { Stores } from '../ports/stores.js';
import { adminTarget } from './user-access.js';
import { INTERNAL_USER_SETTINGS } from './user-setting-rules.js';

/** Reading users: admin/users/index, users/view, admin/users/view (spec §3.0, §3.9). */
export interface UserRow {
  readonly user: User;
  readonly role: Role | undefined;
  readonly org: Organisation | undefined;
}

export interface UserDetail extends UserRow {
  readonly settings: readonly UserSetting[];
}

const pieces = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((s) => s.split('|')).filter((s) => s !== '');

/**
 * Turns admin/users/index named parameters into a filter (UsersController::admin_index): `value:`/`searchall:`
 * match e-mail, organisation or role name; `searchorg:` (site admins only) and `searchrole:` take `a|b|!c`;
 * `searchemail:` substrings; `searchdisabled:` and the other flags 0/1. Org admins always see their organisation only.
 */
export function userFilterFrom(ctx: RequestContext, named: Readonly<Record<string, string | string[]>>): UserFilter {
  const f: UserFilter = {};
  const all = named.value ?? named.searchall;
  if (typeof all === 'string' && all !== '') f.all = all;
  if (ctx.actor.isSiteAdmin) {
    const orgs = pieces(named.searchorg);
    const yes = orgs.filter((p) => !p.startsWith('!')).map(Number).filter(Number.isSafeInteger);
    const no = orgs.filter((p) => p.startsWith('!')).map((p) => Number(p.slice(1))).filter(Number.isSafeInteger);
    if (yes.length) f.orgIds = yes;
    if (no.length) f.notOrgIds = no;
  } else {
    f.orgIds = [ctx.actor.user.orgId];
  }
  const emails = pieces(named.searchemail);
  if (emails.length) f.emailLike = emails;
  const roles = pieces(named.searchrole).map(Number).filter(Number.isSafeInteger);
  if (roles.length) f.roleIds = roles;
  for (const [param, key] of [['searchdisabled', 'disabled'], ['searchautoalert', 'autoalert'],
    ['searchcontactalert', 'contactalert'], ['searchtermsaccepted', 'termsaccepted']] as const) {
    const v = named[param];
    const b = typeof v === 'string' && v !== '' ? readBool(v) : undefined;
    if (b !== undefined) f[key] = b;
  }
  return f;
}

async function attach(stores: Stores, users: User[]): Promise<UserRow[]> {
  const roles = new Map((await stores.identity.listRoles()).map((r) => [r.id, r]));
  const orgs = new Map((await stores.identity.findOrganisations(users.map((u) => u.orgId))).map((o) => [o.id, o]));
  return users.map((user) => ({ user, role: roles.get(user.roleId), org: orgs.get(user.orgId) }));
}

export async function listUsers(ctx: RequestContext, stores: Stores, named: Readonly<Record<string, string | string[]>>): Promise<UserRow[]> {
  return attach(stores, await stores.identity.listUsers(userFilterFrom(ctx, named)));
}

async function detail(ctx: RequestContext, stores: Stores, user: User): Promise<UserDetail> {
  const [row] = await attach(stores, [user]);
  const settings = await stores.identity.listUserSettings({
    userIds: [user.id], ...(ctx.actor.isSiteAdmin ? {} : { excludeSettings: INTERNAL_USER_SETTINGS }),
  });
  return { ...row!, settings };
}

/** users/view/{id|me}: others' accounts are for site admins only (UsersController::view). */
export async function viewUser(ctx: RequestContext, stores: Stores, which: string | undefined): Promise<UserDetail> {
  const { actor } = ctx;
  const id = which === undefined || which === 'me' ? actor.user.id : /^\d+$/.test(which) ? Number(which) : Number.NaN;
  if (!actor.isSiteAdmin && id !== actor.user.id) throw notFound('Invalid user or not authorised.');
  const user = Number.isSafeInteger(id) ? await stores.identity.findUser({ id }) : undefined;
  if (!user) throw notFound('Invalid user');
  return detail(ctx, stores, user);
}

/** admin/users/view/{id}: org admins see the users of their organisation, site admins included. */
export async function adminViewUser(ctx: RequestContext, stores: Stores, raw: string | undefined): Promise<UserDetail> {
  const { user } = await adminTarget(ctx, stores, raw, false);
  return detail(ctx, stores, user);
}
