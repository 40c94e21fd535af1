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

/** Cluster columns in MISP's column order (`authors` decoded by GalaxyCluster::afterFind). */
export function toMispCluster(c: GalaxyCluster): Json {
  return {
    id: String(c.id), uuid: c.uuid, collection_uuid: c.collectionUuid, type: c.type, value: c.value, tag_name: c.tagName,
    description: c.description, galaxy_id: String(c.galaxyId), source: c.source, authors: c.authors, version: String(c.version),
    distribution: String(c.distribution), sharing_group_id: str(c.sharingGroupId), org_id: String(c.orgId),
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
