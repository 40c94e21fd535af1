import type { Kysely } from 'kysely';
import type { UserSettingQueries } from '../../core/ports/identity-store.js';
import type { Database } from '../db-schema.js';
import { toUserSetting } from './identity-rows.js';

export function createUserSettingQueries(db: Kysely<Database>): UserSettingQueries {
  return {
    async listUserSettings({ userIds, setting, excludeSettings }) {
      let q = db.selectFrom('user_settings').selectAll();
      if (userIds) {
        if (userIds.length === 0) return [];
        q = q.where('user_id', 'in', [...new Set(userIds)]);
      }
      if (setting !== undefined) q = q.where('setting', '=', setting);
      if (excludeSettings?.length) q = q.where('setting', 'not in', excludeSettings);
      return (await q.orderBy('id', 'desc').execute()).map(toUserSetting);
    },

    async findUserSetting(ref) {
      let q = db.selectFrom('user_settings').selectAll();
      q = 'id' in ref ? q.where('id', '=', ref.id) : q.where('user_id', '=', ref.userId).where('setting', '=', ref.setting);
      const r = await q.executeTakeFirst();
      return r && toUserSetting(r);
    },

    async upsertUserSetting(userId, setting, valueJson, now) {
      const r = await db.insertInto('user_settings').values({ user_id: userId, setting, value: valueJson, timestamp: now })
        .onConflict((oc) => oc.columns(['user_id', 'setting']).doUpdateSet({ value: valueJson, timestamp: now }))
        .returningAll().executeTakeFirstOrThrow();
      return toUserSetting(r);
    },

    async deleteUserSetting(id) {
      await db.deleteFrom('user_settings').where('id', '=', id).execute();
    },
  };
}
