import type { RequestContext } from '../context.js';
import { badRequest, notAllowed, notFound, saveFailed } from '../errors.js';
import { isRecord, readText } from '../misp-format/input-readers.js';
import type { UserSetting } from '../model/user-setting.js';
import type { Stores } from '../ports/stores.js';
import { INTERNAL_USER_SETTINGS, isInternalUserSetting, isKnownUserSetting, settingAccess } from './user-setting-rules.js';

/** Per-user settings (spec §3.13; UserSettingsController, UserSetting model). */
const INVALID_SETTING = 'Invalid setting.';
const INVALID_USER_SETTING = 'Invalid user setting.';

const idOf = (v: unknown): number | undefined => {
  const t = readText(v);
  return t !== undefined && /^\d+$/.test(t) ? Number(t) : undefined;
};

/** UserSetting::checkAccess: site admins any; org admins their organisation's users; others their own. */
async function mayAccess(ctx: RequestContext, stores: Stores, s: Pick<UserSetting, 'setting' | 'userId'>): Promise<boolean> {
  const { actor } = ctx;
  if (isInternalUserSetting(s.setting) && !actor.isSiteAdmin) return false;
  if (actor.isSiteAdmin) return true;
  if (actor.role.perms.perm_admin) return (await stores.identity.findUser({ id: s.userId }))?.orgId === actor.user.orgId;
  return s.userId === actor.user.id;
}

/** The value as MISP stores it: JSON text; arrays/objects encoded, empty or "null" → `[]`, other text must be JSON. */
function storedValue(raw: unknown): string | undefined {
  if (raw === undefined || raw === null || raw === '' || raw === 'null') return '[]';
  if (typeof raw !== 'string') return JSON.stringify(raw);
  try {
    JSON.parse(raw);
    return raw;
  } catch {
    return undefined;
  }
}

/**
 * userSettings/setSetting[/{user_id}/{setting}]: body `{setting, value, user_id?}` (or wrapped in UserSetting).
 * Another user's id is honoured for site admins and for org admins within their organisation, else ignored.
 */
export async function setUserSetting(ctx: RequestContext, stores: Stores, body: unknown, passed: readonly string[]): Promise<UserSetting> {
  const { actor } = ctx;
  const outer = isRecord(body) ? body : {};
  const data = isRecord(outer.UserSetting) ? outer.UserSetting : outer;
  const name = passed[1] ?? readText(data.setting);
  if (!name) throw notAllowed('This endpoint expects both a setting and a value to be set.');
  if (!isKnownUserSetting(name) || (passed[1] !== undefined && isInternalUserSetting(name))) throw notAllowed(INVALID_SETTING);
  const access = settingAccess(actor.role, name);
  if (access !== true) throw notAllowed(`This setting is restricted and requires the following permission(s): ${access}`);
  let userId = actor.user.id;
  const wanted = idOf(passed[0] ?? data.user_id);
  if (wanted !== undefined && wanted !== actor.user.id) {
    const other = await stores.identity.findUser({ id: wanted });
    if (other && (actor.isSiteAdmin || (actor.role.perms.perm_admin && other.orgId === actor.user.orgId))) userId = other.id;
  }
  const value = storedValue(data.value);
  if (value === undefined) throw saveFailed('Could not add UserSetting', { value: ['Invalid JSON.'] });
  return stores.identity.upsertUserSetting(userId, name, value, ctx.now);
}

/** userSettings/getSetting: POST `{setting, user_id?}` or GET `/{user_id}/{setting}`; the bare setting comes back. */
export async function getUserSetting(ctx: RequestContext, stores: Stores, body: unknown, passed: readonly string[], isPost: boolean): Promise<UserSetting> {
  let name: string | undefined;
  let userId: number | undefined;
  if (isPost) {
    const data = isRecord(body) ? body : {};
    name = readText(data.setting);
    if (!name) throw badRequest('No setting name provided.');
    userId = data.user_id === undefined || data.user_id === null ? ctx.actor.user.id : idOf(data.user_id);
  } else {
    if (passed.length < 2) throw badRequest('No setting name or user ID provided.');
    userId = passed[0] === 'me' ? ctx.actor.user.id : idOf(passed[0]);
    name = passed[1];
  }
  if (!name || !isKnownUserSetting(name) || isInternalUserSetting(name) || userId === undefined) throw notFound(INVALID_SETTING);
  const found = await stores.identity.findUserSetting({ userId, setting: name });
  if (!found || !(await mayAccess(ctx, stores, found))) throw notFound(INVALID_SETTING);
  return found;
}

/** userSettings/index: filters `setting` and `user_id` (an id, `me`, `org` or `all`) from named params or the body. */
export async function listUserSettings(ctx: RequestContext, stores: Stores, filters: { setting?: string; userId?: string }): Promise<UserSetting[]> {
  const { actor } = ctx;
  let userIds: number[] | undefined;
  const narrow = (ids: number[]) => { userIds = userIds ? userIds.filter((id) => ids.includes(id)) : ids; };
  const orgUsers = async () => (await stores.identity.listUsers({ orgIds: [actor.user.orgId] })).map((u) => u.id);
  if (filters.userId === 'me') narrow([actor.user.id]);
  else if (filters.userId === 'org') narrow(await orgUsers());
  else if (filters.userId && filters.userId !== 'all') narrow([idOf(filters.userId) ?? -1]);
  if (!actor.isSiteAdmin) narrow(actor.role.perms.perm_admin ? await orgUsers() : [actor.user.id]);
  return stores.identity.listUserSettings({
    ...(userIds ? { userIds } : {}), ...(filters.setting ? { setting: filters.setting } : {}),
    ...(actor.isSiteAdmin ? {} : { excludeSettings: INTERNAL_USER_SETTINGS }),
  });
}

/** userSettings/view/{id}. */
export async function viewUserSetting(ctx: RequestContext, stores: Stores, raw: string | undefined): Promise<UserSetting> {
  const id = idOf(raw);
  if (id === undefined) throw badRequest('Invalid ID passed.');
  const found = await stores.identity.findUserSetting({ id });
  if (!found || !(await mayAccess(ctx, stores, found))) throw notFound(INVALID_USER_SETTING);
  return found;
}

/** userSettings/delete[/{id}]: by id, or by `{setting, user_id?}` in the body (the caller's own by default). */
export async function deleteUserSetting(ctx: RequestContext, stores: Stores, raw: string | undefined, body: unknown): Promise<number> {
  let found: UserSetting | undefined;
  if (raw === undefined) {
    const data = isRecord(body) ? body : {};
    const name = readText(data.setting);
    if (!name) throw badRequest('No setting name to delete provided.');
    const userId = data.user_id ? idOf(data.user_id) : ctx.actor.user.id;
    found = userId === undefined ? undefined : await stores.identity.findUserSetting({ userId, setting: name });
  } else {
    const id = idOf(raw);
    if (id === undefined) throw badRequest('Invalid ID passed.');
    found = await stores.identity.findUserSetting({ id });
  }
  if (!found || !(await mayAccess(ctx, stores, found))) throw notFound(INVALID_USER_SETTING);
  const access = settingAccess(ctx.actor.role, found.setting);
  if (access !== true) throw notAllowed(`This setting is restricted and requires the following permission(s): ${access}`);
  await stores.identity.deleteUserSetting(found.id);
  return found.id;
}
