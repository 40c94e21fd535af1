import type { RequestContext } from '../context.js';
import { notFound, saveFailed } from '../errors.js';
import { type FieldErrors, isRecord, readText } from '../misp-format/input-readers.js';
import { datetime, readBool, readInt } from '../misp-format/scalars.js';
import { baseFlagsForLevel, noPermissions, PERM_FLAGS, type PermFlag, readPermissionLevel, type Role } from '../model/role.js';
import type { NewRole } from '../ports/identity-store.js';
import type { Stores } from '../ports/stores.js';
import { auditAdd, auditDelete, auditEdit } from '../audit/audit-record.js';
import { toMispRole } from '../misp-format/identity-json.js';

/** Roles (spec §1.3, §3.9, §4.4; RolesController, Role::beforeSave). */
type RoleFields = Partial<Omit<NewRole, 'id' | 'created' | 'defaultRole'>>;

/**
 * Reads a Role body. A `permission` level (0–3 or read_only|manage_own|manage_org|publish) overrides the four
 * base flags as Role::beforeSave does. Without one, MISP would reset those flags to 0; Cairn keeps the flags
 * sent (or stored) instead — PyMISP always sends `permission` back, so its round trips behave the same.
 */
function readRole(body: unknown, base: Role['perms']): { fields: RoleFields; errors: FieldErrors } {
  const outer = isRecord(body) ? body : {};
  const r = isRecord(outer.Role) ? outer.Role : outer;
  const errors: FieldErrors = {};
  const fields: RoleFields = {};
  const name = readText(r.name);
  if (name !== undefined) fields.name = name.trim();
  const perms: Record<PermFlag, boolean> = { ...base };
  let touched = false;
  for (const f of PERM_FLAGS) {
    if (r[f] === undefined) continue;
    const v = readBool(r[f]);
    if (v === undefined) (errors[f] ??= []).push('The value must be a boolean.');
    else perms[f] = v;
    touched = true;
  }
  if (r.permission !== undefined && r.permission !== null && r.permission !== '') {
    Object.assign(perms, baseFlagsForLevel(readPermissionLevel(r.permission)));
    touched = true;
  }
  if (touched) fields.perms = perms;
  if (r.max_execution_time !== undefined) {
    const t = readText(r.max_execution_time) ?? '';
    fields.maxExecutionTime = t === '' ? '' : String(readInt(t) ?? (Math.trunc(Number(t)) || 0));
  }
  if (r.memory_limit !== undefined) {
    const m = readText(r.memory_limit) ?? '';
    fields.memoryLimit = m === '' || /^[0-9]+[MG]$/i.test(m) || m === '-1' ? m : '';
  }
  for (const [key, prop] of [['restricted_to_site_admin', 'restrictedToSiteAdmin'], ['enforce_rate_limit', 'enforceRateLimit']] as const) {
    if (r[key] === undefined) continue;
    const v = readBool(r[key]);
    if (v === undefined) (errors[key] ??= []).push('The value must be a boolean.');
    else fields[prop] = v;
  }
  if (r.rate_limit_count !== undefined) fields.rateLimitCount = readInt(r.rate_limit_count) ?? 0;
  return { fields, errors };
}

async function checkName(stores: Stores, name: string | undefined, selfId: number | undefined, errors: FieldErrors): Promise<void> {
  if (name === undefined) return;
  if (name === '') {
    (errors.name ??= []).push('Name cannot be empty.');
    return;
  }
  const clash = await stores.identity.findRoleByName(name);
  if (clash && clash.id !== selfId) (errors.name ??= []).push('A role with this name already exists.');
}

export function listRoles(_ctx: RequestContext, stores: Stores): Promise<Role[]> {
  return stores.identity.listRoles();
}

export async function viewRole(_ctx: RequestContext, stores: Stores, id: number): Promise<Role> {
  const role = Number.isSafeInteger(id) ? await stores.identity.findRole(id) : undefined;
  if (!role) throw notFound('Invalid Role.');
  return role;
}

/** admin/roles/add: flags not sent are off (Role::beforeSave on create). */
export async function addRole(ctx: RequestContext, stores: Stores, body: unknown): Promise<Role> {
  const { fields, errors } = readRole(body, noPermissions());
  if (fields.name === undefined) (errors.name ??= []).push('Name cannot be empty.');
  await checkName(stores, fields.name, undefined, errors);
  if (Object.keys(errors).length) throw saveFailed('Could not add role', errors);
  const role = await stores.identity.createRole({ ...fields, name: fields.name!, perms: fields.perms ?? noPermissions(), defaultRole: false, created: datetime(ctx.now) });
  await auditAdd(ctx, stores, 'Role', role.id, role.name, toMispRole(role));
  return role;
}

export async function editRole(ctx: RequestContext, stores: Stores, id: number, body: unknown): Promise<Role> {
  const role = Number.isSafeInteger(id) ? await stores.identity.findRole(id) : undefined;
  if (!role) throw notFound('Invalid Role');
  const { fields, errors } = readRole(body, role.perms);
  await checkName(stores, fields.name, id, errors);
  if (Object.keys(errors).length) throw saveFailed('Could not edit Role', errors);
  const updated = await stores.identity.updateRole(id, { ...fields, modified: datetime(ctx.now) });
  await auditEdit(ctx, stores, 'Role', id, updated.name, toMispRole(role), toMispRole(updated));
  return updated;
}

/** admin/roles/delete/{id}: refused while users hold the role. */
export async function deleteRole(ctx: RequestContext, stores: Stores, id: number): Promise<void> {
  const role = Number.isSafeInteger(id) ? await stores.identity.findRole(id) : undefined;
  if (!role) throw notFound('Invalid Role.');
  if ((await stores.identity.countUsersWithRole(id)) > 0) {
    throw saveFailed('Could not delete Role', 'It is not possible to delete role that is assigned to users.', { id });
  }
  await auditDelete(ctx, stores, 'Role', id, role.name, toMispRole(role));
  await stores.identity.deleteRole(id);
}

/** admin/roles/set_default/{id}: the role new users get when admin/users/add has no role_id; no id unsets it. */
export async function setDefaultRole(ctx: RequestContext, stores: Stores, raw: string | undefined): Promise<number | null> {
  if (raw === undefined) {
    await stores.identity.setDefaultRole(null);
    return null;
  }
  const id = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(id) || !(await stores.identity.findRole(id))) {
    throw saveFailed('Could not set_default Role', 'Invalid Role.', { id: raw });
  }
  await stores.identity.setDefaultRole(id);
  await stores.audit.record(ctx, { action: 'edit', model: 'Role', modelId: id, change: { default_role: [false, true] } });
  return id;
}

/** The role admin/users/add assigns when none is given (AdminSetting `default_role`). */
export async function defaultRole(stores: Stores): Promise<Role | undefined> {
  return (await stores.identity.listRoles()).find((r) => r.defaultRole);
}
