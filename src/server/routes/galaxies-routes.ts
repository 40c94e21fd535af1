import { attachCluster } from '../../core/galaxies/galaxy-attach.js';
import { importGalaxies } from '../../core/galaxies/galaxy-import.js';
import { indexGalaxies, toggleGalaxy, viewGalaxy } from '../../core/galaxies/galaxy-service.js';
import { toMispCluster, toMispElement, toMispGalaxy } from '../../core/misp-format/galaxy-json.js';
import { readBool } from '../../core/misp-format/scalars.js';
import { type ActionDef, controller, success } from '../action.js';
import type { AppDeps } from '../app-deps.js';
import { bodyObject, filterParam } from './knowledge-route-params.js';

/** Galaxies (GalaxiesController, spec §3.5). */
export function galaxiesActions(deps: AppDeps): ActionDef[] {
  const tx = deps.storage.transaction.bind(deps.storage);
  return controller('galaxies', [
    {
      // PyMISP search_galaxy POSTs {"value": …} to /galaxies
      action: 'index', methods: ['GET', 'POST'], acl: '*',
      handler: async (req) => {
        const value = filterParam(req, 'value');
        const enabled = readBool(filterParam(req, 'enabled'));
        const galaxies = await indexGalaxies(req.ctx, deps.storage, { ...(value ? { value } : {}), ...(enabled !== undefined ? { enabled } : {}) });
        return galaxies.map((g) => ({ Galaxy: toMispGalaxy(g) }));
      },
    },
    {
      action: 'view', methods: ['GET'], acl: '*',
      handler: async (req) => {
        const v = await viewGalaxy(req.ctx, deps.storage, req.passed[0]);
        return {
          Galaxy: toMispGalaxy(v.galaxy),
          GalaxyCluster: v.clusters.map((c) => ({ ...toMispCluster(c.cluster), GalaxyElement: c.elements.map(toMispElement) })),
        };
      },
    },
    {
      action: 'update', methods: ['POST'], acl: 'SA',
      handler: async (req) => {
        await importGalaxies(deps.storage, deps.dataPacks, { force: readBool(filterParam(req, 'force')) ?? false });
        return success('Galaxies updated.', '/galaxies/update');
      },
    },
    {
      action: 'enable', methods: ['POST'], acl: 'SA',
      handler: async (req) => success(await toggleGalaxy(req.ctx, deps.storage, req.passed[0], true), '/galaxies/toggle'),
    },
    {
      action: 'disable', methods: ['POST'], acl: 'SA',
      handler: async (req) => success(await toggleGalaxy(req.ctx, deps.storage, req.passed[0], false), '/galaxies/toggle'),
    },
    {
      action: 'attachCluster', methods: ['POST'], acl: 'perm_tagger',
      handler: async (req) => {
        const b = bodyObject(req.body);
        const g = bodyObject(b.Galaxy);
        const local = readBool(req.named.local) ?? false;
        const message = await tx((s) => attachCluster(req.ctx, s, {
          targetId: req.passed[0], targetType: req.passed[1], clusterId: g.target_id ?? b.target_id, local,
        }));
        // MISP answers this ajax-style action with a bare envelope (spec §0.4).
        return { saved: true, success: message, check_publish: true };
      },
    },
  ]);
}
