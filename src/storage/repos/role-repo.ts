import type { Kysely } from 'kysely';
import type { NewRole, RolePatch, RoleQueries } from '../../core/ports/identity-store.js';
import type { Database } from '../db-schema.js';
import { i, toRole } from './identity-rows.js';

export function createRoleQueries(db: Kysely<Database>): RoleQueries {
  return {
    async findRole(id) {
      const r = await db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toRole(r);
    },

    async findRoleByName(name) {
      const r = await db.selectFrom('roles').selectAll().where('name', '=', name).executeTakeFirst();
      return r && toRole(r);
    },

    async listRoles() {
      return (await db.selectFrom('roles').selectAll().orderBy('id').execute()).map(toRole);
    },

    async createRole(role: NewRole) {
      const values = {
        name: role.name, created: role.created, modified: role.created, permissions: JSON.stringify(role.perms),
        default_role: i(role.defaultRole), memory_limit: role.memoryLimit ?? '', max_execution_time: role.maxExecutionTime ?? '',
        restricted_to_site_admin: i(role.restrictedToSiteAdmin), enforce_rate_limit: i(role.enforceRateLimit),
        rate_limit_count: role.rateLimitCount ?? 0,
      };
      const r = await db.insertInto('roles').values(role.id !== undefined ? { ...values, id: role.id } : values)
        .returningAll().executeTakeFirstOrThrow();
      return toRole(r);
    },

    async updateRole(id, p: RolePatch) {
      const r = await db.updateTable('roles').set({
        modified: p.modified,
        ...(p.name !== undefined ? { name: p.name } : {}),
        ...(p.perms !== undefined ? { permissions: JSON.stringify(p.perms) } : {}),
        ...(p.memoryLimit !== undefined ? { memory_limit: p.memoryLimit } : {}),
        ...(p.maxExecutionTime !== undefined ? { max_execution_time: p.maxExecutionTime } : {}),
        ...(p.restrictedToSiteAdmin !== undefined ? { restricted_to_site_admin: i(p.restrictedToSiteAdmin) } : {}),
        ...(p.enforceRateLimit !== undefined ? { enforce_rate_limit: i(p.enforceRateLimit) } : {}),
        ...(p.rateLimitCount !== undefined ? { rate_limit_count: p.rateLimitCount } : {}),
      }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      return toRole(r);
    },

    async deleteRole(id) {
      await db.deleteFrom('roles').where('id', '=', id).execute();
    },

    async setDefaultRole(id) {
      await db.updateTable('roles').set({ default_role: 0 }).where('default_role', '!=', 0).execute();
      if (id !== null) await db.updateTable('roles').set({ default_role: 1 }).where('id', '=', id).execute();
    },

    async countUsersWithRole(roleId) {
      const r = await db.selectFrom('users').select((e) => e.fn.countAll<number>().as('n'))
        .where('role_id', '=', roleId).executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
