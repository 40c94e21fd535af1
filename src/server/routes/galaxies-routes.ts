import { DomainError, ErrorCode, saveFailed } from '../../core/errors.js';
import { clusterImportMessage, importGalaxyAndClusters } from '../../core/galaxies/cluster-import.js';
import { attachCluster, attachMultipleClusters } from '../../core/galaxies/galaxy-attach.js';
import { exportGalaxy, readGalaxyExport } from '../../core/galaxies/galaxy-export.js';
import { importGalaxies } from '../../core/galaxies/galaxy-import.js';
import { deleteGalaxy, indexGalaxies, toggleGalaxy, viewGalaxy, wipeDefaultClusters } from '../../core/galaxies/galaxy-service.js';
import { toMispCluster, toMispElement, toMispGalaxy } from '../../core/misp-format/galaxy-json.js';
import { readBool } from '../../core/misp-format/scalars.js';
import { type ActionDef, controller, response, success } from '../action.js';
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
      action: 'toggle', methods: ['POST'], acl: 'SA',
      // GalaxiesController::toggle($id, $enabled = null): without a state it flips the galaxy.
      handler: async (req) => success(await toggleGalaxy(req.ctx, deps.storage, req.passed[0], readBool(req.passed[1])), '/galaxies/toggle'),
    },
    {
      action: 'delete', methods: ['POST', 'DELETE'], acl: 'SA',
      handler: async (req) => {
        await tx((s) => deleteGalaxy(req.ctx, s, req.passed[0]));
        return success('Galaxy deleted', '/galaxies/delete');
      },
    },
    {
      action: 'wipe_default', methods: ['POST'], acl: 'SA',
      handler: async (req) => {
        await tx((s) => wipeDefaultClusters(req.ctx, s));
        return success('Default galaxy clusters dropped.', '/galaxies/wipe_default');
      },
    },
    {
      // GalaxiesController::export: POST {"Galaxy": {"default", "custom", "distribution", "format", "download"}}
      action: 'export', methods: ['POST', 'PUT'], acl: '*',
      handler: async (req) => {
        const request = readGalaxyExport(req.body);
        const { galaxy, body } = await exportGalaxy(req.ctx, deps.storage, req.passed[0], request);
        return request.download
          ? response(200, body, { 'Content-Disposition': `attachment; filename="galaxy_${galaxy.uuid}_${req.ctx.now}.json"` })
          : body;
      },
    },
    {
      // GalaxiesController::import: the clusters galaxies/export (format misp) writes.
      action: 'import', methods: ['POST', 'PUT'], acl: 'perm_galaxy_editor',
      handler: async (req) => {
        const { ok, message } = clusterImportMessage(await tx((s) => importGalaxyAndClusters(req.ctx, s, req.body)));
        if (!ok) throw saveFailed('Could not import Galaxy', message);
        return success(message, '/galaxies/import');
      },
    },
    {
      // GalaxiesController::pushCluster: a sync peer uploads the custom clusters it publishes (spec §6.11).
      action: 'pushCluster', methods: ['POST'], acl: 'perm_sync',
      handler: async (req) => {
        if (!req.actor.role.perms.perm_galaxy_editor && !req.actor.isSiteAdmin) {
          throw new DomainError(ErrorCode.NotAllowed, 'You do not have the permission to do that.');
        }
        const r = await tx((s) => importGalaxyAndClusters(req.ctx, s, req.body, { viaSync: true }));
        const { ok, message } = clusterImportMessage(r);
        if (!ok) throw saveFailed('Could not pushCluster Galaxy', message);
        return success(message, '/galaxies/pushCluster');
      },
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
    {
      action: 'attachMultipleClusters', methods: ['POST'], acl: 'perm_tagger',
      handler: async (req) => {
        const g = bodyObject(bodyObject(req.body).Galaxy);
        const local = readBool(req.named.local) ?? false;
        return tx((s) => attachMultipleClusters(req.ctx, s, {
          targetId: req.passed[0], targetType: req.passed[1], clusterIds: g.target_ids, attributeIds: g.attribute_ids, local,
        }));
      },
    },
  ]);
}
