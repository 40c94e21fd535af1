import {
  deleteUserSetting, getUserSetting, listUserSettings, setUserSetting, viewUserSetting,
} from '../../core/identity/user-setting-service.js';
import { isRecord, readText } from '../../core/misp-format/input-readers.js';
import { toMispUserSetting } from '../../core/misp-format/identity-json.js';
import { type ActionDef, controller, success } from '../action.js';
import type { AppDeps } from '../app-deps.js';

const SETTING_FIELDS = { mandatory: ['setting', 'value'], optional: ['user_id'] };

/** UserSettingsController (spec §3.13). */
export function userSettingsActions(deps: AppDeps): ActionDef[] {
  const { storage } = deps;
  return controller('user_settings', [
    {
      action: 'index', methods: ['GET', 'POST'], acl: '*',
      handler: async ({ ctx, named, body }) => {
        const b = isRecord(body) ? body : {};
        const pick = (k: string) => readText(b[k]) ?? (typeof named[k] === 'string' ? (named[k] as string) : undefined);
        const setting = pick('setting');
        const userId = pick('user_id');
        const rows = await listUserSettings(ctx, storage, { ...(setting ? { setting } : {}), ...(userId ? { userId } : {}) });
        return rows.map((s) => ({ UserSetting: toMispUserSetting(s) }));
      },
    },
    {
      action: 'view', methods: ['GET'], acl: '*',
      handler: async ({ ctx, passed }) => ({ UserSetting: toMispUserSetting(await viewUserSetting(ctx, storage, passed[0])) }),
    },
    {
      action: 'setSetting', methods: ['POST', 'PUT'], acl: 'not_read_only_authkey', describe: SETTING_FIELDS,
      handler: async ({ ctx, passed, body }) =>
        ({ UserSetting: toMispUserSetting(await storage.transaction((tx) => setUserSetting(ctx, tx, body, passed))) }),
    },
    {
      action: 'getSetting', methods: ['GET', 'POST'], acl: '*',
      handler: async ({ ctx, passed, body, method }) => toMispUserSetting(await getUserSetting(ctx, storage, body, passed, method !== 'GET')),
    },
    {
      action: 'delete', methods: ['POST', 'DELETE'], acl: 'not_read_only_authkey',
      describe: { mandatory: ['setting'], optional: ['user_id'] },
      handler: async ({ ctx, passed, body }) => {
        const id = await storage.transaction((tx) => deleteUserSetting(ctx, tx, passed[0], body));
        return success('Setting deleted.', `/user_settings/delete/${id}`, id);
      },
    },
  ]);
}
