import type { FullCluster } from '../../core/galaxies/cluster-service.js';
import {
  addCluster, deleteCluster, editCluster, indexClusters, publishCluster, restoreCluster, unpublishCluster, viewCluster,
} from '../../core/galaxies/cluster-service.js';
import {
  addRelation, deleteRelation, editRelation, indexRelations, type RelationIndexRow, viewRelation,
} from '../../core/galaxies/cluster-relations.js';
import { detachClusterByTagId } from '../../core/galaxies/galaxy-attach.js';
import { exportClusterForMispGalaxy } from '../../core/galaxies/galaxy-export.js';
import { toMispTag } from '../../core/misp-format/tag-json.js';
import { readClusterSearch, searchClusters } from '../../core/galaxies/cluster-search.js';
import { toMispCluster, toMispClusterDetail, toMispRelation } from '../../core/misp-format/galaxy-json.js';
import { readBool, readInt } from '../../core/misp-format/scalars.js';
import { type ActionDef, controller, success } from '../action.js';
import type { AppDeps } from '../app-deps.js';
import { bodyObject, filterParam } from './knowledge-route-params.js';

/** Galaxy clusters and their relations (GalaxyClustersController, GalaxyClusterRelationsController, spec §3.5). */

function fullJson(f: FullCluster): unknown {
  return {
    GalaxyCluster: {
      ...toMispClusterDetail(f.detail, f.orgs),
      ...(f.tag ? { tag_count: f.tag.count, tag_id: String(f.tag.id) } : {}),
    },
  };
}

/** `forkUuid:` is MISP's spelling; PyMISP sends `forkUUID:`. */
function forkParam(named: Readonly<Record<string, string | string[]>>): string | undefined {
  const v = named.forkUuid ?? named.forkUUID ?? named.forkuuid;
  return Array.isArray(v) ? v[0] : v;
}

/** One galaxy_cluster_relations/index row (GalaxyClusterRelationsController::index contains). */
function relationRowJson(row: RelationIndexRow): unknown {
  const { Tag: _tags, ...relation } = toMispRelation(row.relation);
  return {
    GalaxyClusterRelation: relation,
    SourceCluster: row.source ? toMispCluster(row.source) : null,
    TargetCluster: row.target ? toMispCluster(row.target) : null,
    GalaxyClusterRelationTag: row.relation.tags.map((t) => ({
      galaxy_cluster_relation_id: String(row.relation.id), tag_id: String(t.id), Tag: toMispTag(t),
    })),
  };
}

export function galaxyClustersActions(deps: AppDeps): ActionDef[] {
  const tx = deps.storage.transaction.bind(deps.storage);
  return [
    ...controller('galaxy_clusters', [
      {
        action: 'index', methods: ['GET', 'POST'], acl: '*',
        handler: async (req) => {
          const context = filterParam(req, 'context');
          const searchall = filterParam(req, 'searchall');
          const clusters = await indexClusters(req.ctx, deps.storage, req.passed[0], {
            ...(context ? { context } : {}), ...(searchall ? { searchall } : {}),
          });
          return clusters.map((c) => ({ GalaxyCluster: toMispCluster(c) }));
        },
      },
      {
        action: 'view', methods: ['GET'], acl: '*',
        handler: async (req) => fullJson(await viewCluster(req.ctx, deps.storage, req.passed[0])),
      },
      {
        action: 'add', methods: ['POST', 'PUT'], acl: 'perm_galaxy_editor',
        handler: async (req) => fullJson(await tx((s) => addCluster(req.ctx, s, req.passed[0], req.body, forkParam(req.named)))),
      },
      {
        action: 'edit', methods: ['POST', 'PUT'], acl: 'perm_galaxy_editor',
        handler: async (req) => fullJson(await tx((s) => editCluster(req.ctx, s, req.passed[0], req.body))),
      },
      {
        action: 'publish', methods: ['POST', 'PUT'], acl: 'perm_galaxy_editor',
        handler: async (req) => {
          const id = await tx((s) => publishCluster(req.ctx, s, req.passed[0]));
          return success('GalaxyCluster published', `/galaxy_clusters/publish/${id}`, id);
        },
      },
      {
        action: 'unpublish', methods: ['POST', 'PUT'], acl: 'perm_galaxy_editor',
        handler: async (req) => {
          const id = await tx((s) => unpublishCluster(req.ctx, s, req.passed[0]));
          return success('GalaxyCluster unpublished', `/galaxy_clusters/unpublish/${id}`, id);
        },
      },
      {
        action: 'restore', methods: ['POST'], acl: 'perm_galaxy_editor',
        handler: async (req) => {
          const id = await tx((s) => restoreCluster(req.ctx, s, req.passed[0]));
          return success('GalaxyCluster restored', `/galaxy_clusters/restore/${id}`, id);
        },
      },
      {
        // galaxy_clusters/detach/{target_id}/{event|attribute}/{tag_id}: answered like MISP's ajax form.
        action: 'detach', methods: ['POST'], acl: 'perm_tagger',
        handler: async (req) => {
          const message = await tx((s) => detachClusterByTagId(req.ctx, s, req.passed[0], req.passed[1], req.passed[2]));
          return { saved: true, check_publish: true, success: message };
        },
      },
      {
        action: 'export_for_misp_galaxy', methods: ['GET'], acl: '*',
        handler: async (req) => exportClusterForMispGalaxy(req.ctx, deps.storage, req.passed[0]),
      },
      {
        action: 'delete', methods: ['POST', 'DELETE'], acl: 'perm_galaxy_editor',
        handler: async (req) => {
          const hard = readBool(bodyObject(req.body).hard) === true || readBool(req.passed[1]) === true;
          const id = await tx((s) => deleteCluster(req.ctx, s, req.passed[0], hard));
          const message = hard ? 'Galaxy cluster successfuly hard deleted and added to the block list.' : 'Galaxy cluster successfuly soft deleted.';
          return success(message, `/galaxy_clusters/delete/${id}`, id);
        },
      },
      {
        action: 'restSearch', methods: ['GET', 'POST'], acl: '*',
        handler: async (req) => {
          const q = await readClusterSearch(deps.storage, req.body);
          const r = await searchClusters(req.ctx, deps.storage, q);
          if (!r.full) return { response: r.clusters.map((c) => ({ GalaxyCluster: { uuid: c.uuid, version: String(c.version) } })) };
          const { details, orgs } = r.full;
          return { response: details.map((d) => ({ GalaxyCluster: toMispClusterDetail(d, orgs) })) };
        },
      },
    ]),
    ...controller('galaxy_cluster_relations', [
      {
        action: 'index', methods: ['GET', 'POST'], acl: '*',
        handler: async (req) => {
          const context = filterParam(req, 'context');
          const searchall = filterParam(req, 'searchall');
          const limit = readInt(filterParam(req, 'limit'));
          const page = readInt(filterParam(req, 'page'));
          const rows = await indexRelations(req.ctx, deps.storage, {
            ...(context ? { context } : {}), ...(searchall ? { searchall } : {}),
            ...(limit !== undefined ? { limit } : {}), ...(page !== undefined ? { page } : {}),
          });
          return rows.map(relationRowJson);
        },
      },
      {
        action: 'edit', methods: ['POST', 'PUT'], acl: 'perm_galaxy_editor',
        handler: async (req) => {
          const id = await tx((s) => editRelation(req.ctx, s, req.passed[0], req.body));
          return success('GalaxyClusterRelation edited', `/galaxy_cluster_relations/edit/${id}`, id);
        },
      },
      {
        action: 'add', methods: ['POST'], acl: 'perm_galaxy_editor',
        handler: async (req) => {
          await tx((s) => addRelation(req.ctx, s, req.body));
          return success('Relationship added.', '/galaxy_cluster_relations/add');
        },
      },
      {
        action: 'view', methods: ['GET'], acl: '*',
        handler: async (req) => {
          const { relation, source, target } = await viewRelation(req.ctx, deps.storage, req.passed[0]);
          const { Tag, ...rel } = toMispRelation(relation);
          return {
            GalaxyClusterRelation: rel,
            ...(source ? { SourceCluster: toMispCluster(source) } : {}),
            TargetCluster: target ? toMispCluster(target) : [],
            ...(Tag ? { Tag } : {}),
          };
        },
      },
      {
        action: 'delete', methods: ['POST', 'DELETE'], acl: 'perm_galaxy_editor',
        handler: async (req) => {
          const id = await tx((s) => deleteRelation(req.ctx, s, req.passed[0]));
          return success('GalaxyClusterRelation deleted', `/galaxy_cluster_relations/delete/${id}`, id);
        },
      },
    ]),
  ];
}
