import { type ActionDef, controller } from '../action.js';
import type { AppDeps } from '../app-deps.js';

/**
 * The four calls PyMISP's constructor makes (spec §3.0) — if any of them breaks, no client connects.
 */
export function bootstrapActions(deps: AppDeps): ActionDef[] {
  return [
    ...controller('servers', [
      {
        action: 'getVersion', methods: ['GET'], acl: '*',
        handler: ({ actor, ctx }) => ({
          version: deps.version.misp,
          pymisp_recommended_version: deps.version.misp,
          perm_sync: actor.role.perms.perm_sync,
          perm_sighting: actor.role.perms.perm_sighting,
          perm_galaxy_editor: actor.role.perms.perm_galaxy_editor,
          perm_analyst_data: actor.role.perms.perm_analyst_data,
          uuid: actor.role.perms.perm_sync || actor.isSiteAdmin ? ctx.settings.str('MISP.uuid') : '-',
          request_encoding: ['gzip', 'br'],
          filter_sightings: true,
          cairn_version: deps.version.cairn,
        }),
      },
      { action: 'getPyMISPVersion', methods: ['GET'], acl: '*', handler: () => ({ version: deps.version.misp }) },
    ]),
    ...controller('attributes', [
      { action: 'describeTypes', methods: ['GET'], acl: '*', handler: () => ({ result: deps.describeTypes }) },
    ]),
  ];
}

