import type {
  ClusterDetail, Galaxy, GalaxyCluster, GalaxyClusterRelation, GalaxyElement,
} from '../galaxies/galaxy-model.js';
import type { Organisation } from '../model/organisation.js';
import { toMispOrganisation } from './identity-json.js';
import { str } from './scalars.js';
import { toMispTag } from './tag-json.js';

/** Galaxies and clusters as MISP serialises them (spec §2.1, §2.6): ids and integers as strings, flags as booleans. */

type Json = Record<string, unknown>;

/** Galaxy row (Galaxy::afterFind decodes `kill_chain_order` and drops it when empty). */
export function toMispGalaxy(g: Galaxy): Json {
  return {
    id: String(g.id), uuid: g.uuid, name: g.name, type: g.type, description: g.description, version: g.version, icon: g.icon,
    namespace: g.namespace, enabled: g.enabled, local_only: g.localOnly,
    ...(g.killChainOrder ? { kill_chain_order: g.killChainOrder } : {}),
  };
}

/**
 * Cluster columns in MISP's column order (`authors` decoded by GalaxyCluster::afterFind). A default cluster (from
 * the galaxy packs) has no distribution of its own: PyMISP's MISPGalaxyCluster refuses one carrying
 * `distribution` or `sharing_group_id`, so they are left out for it.
 */
export function toMispCluster(c: GalaxyCluster): Json {
  return {
    id: String(c.id), uuid: c.uuid, collection_uuid: c.collectionUuid, type: c.type, value: c.value, tag_name: c.tagName,
    description: c.description, galaxy_id: String(c.galaxyId), source: c.source, authors: c.authors, version: String(c.version),
    ...(c.isDefault ? {} : { distribution: String(c.distribution), sharing_group_id: str(c.sharingGroupId) }), org_id: String(c.orgId),
    orgc_id: String(c.orgcId), default: c.isDefault, locked: c.locked, extends_uuid: c.extendsUuid,
    extends_version: str(c.extendsVersion), published: c.published, deleted: c.deleted,
  };
}

export function toMispElement(e: GalaxyElement): Json {
  return { id: String(e.id), galaxy_cluster_id: String(e.galaxyClusterId), key: e.key, value: e.value };
}

/** A relation; `Tag` only when it has tags (GalaxyCluster::fetchGalaxyClusters). */
export function toMispRelation(r: GalaxyClusterRelation): Json {
  return {
    id: String(r.id), galaxy_cluster_id: String(r.galaxyClusterId),
    referenced_galaxy_cluster_id: String(r.referencedGalaxyClusterId),
    referenced_galaxy_cluster_uuid: r.referencedGalaxyClusterUuid, referenced_galaxy_cluster_type: r.referencedGalaxyClusterType,
    galaxy_cluster_uuid: r.galaxyClusterUuid, distribution: String(r.distribution), sharing_group_id: str(r.sharingGroupId),
    default: r.isDefault, ...(r.tags.length ? { Tag: r.tags.map(toMispTag) } : {}),
  };
}

/** Organisation::GENERIC_MISP_ORGANISATION: what MISP shows as Org/Orgc of clusters owned by nobody (org id 0). */
export const GENERIC_MISP_ORGANISATION: Json = Object.freeze({
  id: '0', name: 'MISP', date_created: '', date_modified: '', description: 'Automatically generated MISP organisation',
  type: '', nationality: 'Not specified', sector: '', created_by: '0', uuid: '0', contacts: '', local: true,
  restricted_to_domain: [], landingpage: null,
});

const orgJson = (o: Organisation | undefined): Json => (o ? toMispOrganisation(o) : GENERIC_MISP_ORGANISATION);

/** `meta` of a cluster inside an event: key → values, `{}` when empty (JSONConverterTool::convert). */
export function clusterMeta(elements: readonly GalaxyElement[]): Record<string, string[]> {
  const meta: Record<string, string[]> = {};
  for (const e of elements) (meta[e.key] ??= []).push(e.value);
  return meta;
}

/**
 * A full cluster (`galaxy_clusters/view`, add, edit): the columns, then `Galaxy`, `GalaxyElement`,
 * `GalaxyClusterRelation`, `Org`, `Orgc` and `TargetingClusterRelation` in GalaxyCluster::arrangeData's order.
 */
export function toMispClusterDetail(d: ClusterDetail, orgs: ReadonlyMap<number, Organisation>): Json {
  return {
    ...toMispCluster(d.cluster),
    ...(d.galaxy ? { Galaxy: toMispGalaxy(d.galaxy) } : {}),
    GalaxyElement: d.elements.map(toMispElement),
    GalaxyClusterRelation: d.relations.map(toMispRelation),
    Org: orgJson(orgs.get(d.cluster.orgId)),
    Orgc: orgJson(orgs.get(d.cluster.orgcId)),
    ...(d.targeting.length ? { TargetingClusterRelation: d.targeting.map(toMispRelation) } : {}),
  };
}

/**
 * A full cluster as galaxies/export (format `misp`) writes it (GalaxyCluster::unsetFieldsForExport): the instance's
 * ids are dropped (cluster id and galaxy_id, element ids, relation ids and cluster ids, relation tag ids and owners),
 * so galaxies/import on another instance can capture it by uuid.
 */
export function toMispClusterExport(d: ClusterDetail, orgs: ReadonlyMap<number, Organisation>): Json {
  const { id: _id, galaxy_id: _galaxyId, ...cluster } = toMispClusterDetail(d, orgs) as Json & { id: unknown; galaxy_id: unknown };
  const relation = (r: GalaxyClusterRelation): Json => {
    const { id: _rid, galaxy_cluster_id: _src, referenced_galaxy_cluster_id: _dst, ...rest } = toMispRelation(r) as Json & Record<string, unknown>;
    return r.tags.length
      ? { ...rest, Tag: r.tags.map((t) => { const { id: _tid, org_id: _o, user_id: _u, ...tag } = toMispTag(t); return tag; }) }
      : rest;
  };
  return {
    GalaxyCluster: {
      ...cluster,
      GalaxyElement: d.elements.map((e) => ({ key: e.key, value: e.value })),
      GalaxyClusterRelation: d.relations.map(relation),
      ...(d.targeting.length ? { TargetingClusterRelation: d.targeting.map(relation) } : {}),
    },
  };
}

/**
 * Clusters in the misp-galaxy repository's clusters-file layout (Galaxy::convertToMISPGalaxyFormat): galaxies/export
 * with format `misp-galaxy`, and galaxy_clusters/export_for_misp_galaxy (one value). `meta` keeps a single value as
 * a scalar and several as a list; relation tags appear only when there are some. `version` is the highest cluster
 * version (MISP's code compares instead of taking the maximum and writes `false`).
 */
export function toMispGalaxyPack(galaxy: Galaxy, details: readonly ClusterDetail[]): Json {
  const authors = new Set<string>();
  let version = 0;
  let uuid: string | undefined;
  let source: string | undefined;
  const values = details.map((d) => {
    const c = d.cluster;
    uuid = c.collectionUuid;
    source = c.source;
    for (const a of c.authors ?? []) if (a && a !== 'null') authors.add(a);
    version = Math.max(version, c.version);
    const meta: Record<string, string | string[]> = {};
    for (const e of d.elements) {
      const prev = meta[e.key];
      meta[e.key] = prev === undefined ? e.value : Array.isArray(prev) ? [...prev, e.value] : [prev, e.value];
    }
    const related = d.relations.map((r) => ({
      'dest-uuid': r.referencedGalaxyClusterUuid, type: r.referencedGalaxyClusterType,
      ...(r.tags.length ? { tags: r.tags.map((t) => t.name) } : {}),
    }));
    return {
      description: c.description, uuid: c.uuid, value: c.value,
      ...(d.elements.length ? { meta } : {}), ...(related.length ? { related } : {}),
    };
  });
  return {
    name: galaxy.name, type: galaxy.type, authors: [...authors], version,
    ...(uuid !== undefined ? { uuid } : {}), ...(source !== undefined ? { source } : {}), values,
  };
}
