import { editServerSetting, finalSettings, serverSetting } from '../../core/settings/server-settings-service.js';
import { notFound } from '../../core/errors.js';
import { type ActionDef, controller, success } from '../action.js';
import type { AppDeps } from '../app-deps.js';

/** servers/serverSettings, getSetting, serverSettingsEdit (spec §3.10): site admins only. */
export function serverSettingsActions(deps: AppDeps): ActionDef[] {
  const { settings } = deps;
  const nameOf = (passed: readonly string[]): string => {
    if (!passed[0]) throw notFound('Setting  is invalid.');
    return passed[0];
  };
  return controller('servers', [
    {
      action: 'serverSettings', methods: ['GET'], acl: 'SA',
      handler: () => ({ version: deps.version.misp, cairn_version: deps.version.cairn, finalSettings: finalSettings(settings) }),
    },
    {
      action: 'getSetting', methods: ['GET'], acl: 'SA',
      handler: ({ passed }) => serverSetting(settings, nameOf(passed)),
    },
    {
      action: 'serverSettingsEdit', methods: ['GET', 'POST', 'PUT'], acl: 'SA',
      handler: async ({ ctx, method, passed, body }) => {
        const name = nameOf(passed);
        if (method === 'GET') return { [name]: serverSetting(settings, name).value };
        await editServerSetting(settings, name, body, { ctx, log: deps.storage.audit });
        return success('Field updated', '/servers/serverSettingsEdit');
      },
    },
  ]);
}
