import { type ExpressionBuilder, type Insertable, type Selectable, sql } from 'kysely';
import type { ClusterViewer, Galaxy, GalaxyCluster, GalaxyElement } from '../../core/galaxies/galaxy-model.js';
import type { ClusterRow, GalaxyRow, RelationRow } from '../../core/ports/galaxy-store.js';
import type { GalaxiesTable, GalaxyClusterRelationsTable, GalaxyClustersTable, GalaxyElementsTable } from '../db-schema-galaxies-feeds.js';
import type { BulkColumn } from '../dialect.js';

/** Row ↔ domain mapping for the galaxy tables, and the cluster visibility rule in SQL. */

const b = (v: number | null | undefined): boolean => v === 1;
const i = (v: boolean | undefined): number => (v ? 1 : 0);

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function toGalaxy(r: Selectable<GalaxiesTable>): Galaxy {
  const order = parseJson<Record<string, string[]> | null>(r.kill_chain_order, null);
  return {
    id: r.id, uuid: r.uuid, name: r.name, type: r.type, description: r.description, version: r.version, icon: r.icon,
    namespace: r.namespace, enabled: b(r.enabled), localOnly: b(r.local_only),
    killChainOrder: order && typeof order === 'object' && Object.keys(order).length > 0 ? order : null,
  };
}

export function galaxyValues(g: GalaxyRow): Omit<Insertable<GalaxiesTable>, 'enabled' | 'local_only'> {
  return {
    uuid: g.uuid, name: g.name, type: g.type, description: g.description, version: g.version, icon: g.icon,
    namespace: g.namespace, kill_chain_order: g.killChainOrder,
  };
}

export function toCluster(r: Selectable<GalaxyClustersTable>): GalaxyCluster {
  const authors = parseJson<unknown>(r.authors, null);
  return {
    id: r.id, uuid: r.uuid, collectionUuid: r.collection_uuid, type: r.type, value: r.value, tagName: r.tag_name,
    description: r.description, galaxyId: r.galaxy_id, source: r.source,
    authors: Array.isArray(authors) ? authors.map(String) : null,
    version: Number(r.version), distribution: r.distribution, sharingGroupId: r.sharing_group_id, orgId: r.org_id,
    orgcId: r.orgc_id, isDefault: b(r.default), locked: b(r.locked), extendsUuid: r.extends_uuid,
    extendsVersion: r.extends_version, published: b(r.published), deleted: b(r.deleted),
  };
}

export function clusterValues(c: ClusterRow): Insertable<GalaxyClustersTable> {
  return {
    ...(c.id !== undefined ? { id: c.id } : {}),
    uuid: c.uuid, collection_uuid: c.collectionUuid, type: c.type, value: c.value, tag_name: c.tagName,
    tag_name_lower: c.tagName.toLowerCase(), description: c.description, galaxy_id: c.galaxyId, source: c.source,
    authors: JSON.stringify(c.authors), version: c.version, distribution: c.distribution,
    sharing_group_id: c.sharingGroupId, org_id: c.orgId, orgc_id: c.orgcId, default: i(c.isDefault),
    locked: i(c.locked), extends_uuid: c.extendsUuid, extends_version: c.extendsVersion, published: i(c.published),
    deleted: 0,
  };
}

export function toElement(r: Selectable<GalaxyElementsTable>): GalaxyElement {
  return { id: r.id, galaxyClusterId: r.galaxy_cluster_id, key: r.key, value: r.value };
}

export function relationValues(r: RelationRow): Insertable<GalaxyClusterRelationsTable> {
  return {
    galaxy_cluster_id: r.clusterId, referenced_galaxy_cluster_id: r.referencedId,
    referenced_galaxy_cluster_uuid: r.referencedUuid, referenced_galaxy_cluster_type: r.referencedType,
    galaxy_cluster_uuid: r.clusterUuid, distribution: r.distribution, sharing_group_id: r.sharingGroupId,
    default: i(r.isDefault),
  };
}

/** Bulk-insert column lists (PostgreSQL unnest element types) of the galaxy tables. */
export const CLUSTER_BULK: readonly BulkColumn[] = [
  ...['uuid', 'collection_uuid', 'type', 'value', 'tag_name', 'tag_name_lower', 'description'].map((name) => ({ name, type: 'text' as const })),
  { name: 'galaxy_id', type: 'int4' }, { name: 'source', type: 'text' }, { name: 'authors', type: 'text' },
  ...['version', 'distribution', 'sharing_group_id', 'org_id', 'orgc_id', 'default', 'locked'].map((name) => ({ name, type: 'int4' as const })),
  { name: 'extends_uuid', type: 'text' },
  ...['extends_version', 'published', 'deleted'].map((name) => ({ name, type: 'int4' as const })),
];
export const ELEMENT_BULK: readonly BulkColumn[] = [
  { name: 'galaxy_cluster_id', type: 'int4' }, { name: 'key', type: 'text' }, { name: 'value', type: 'text' },
];
export const RELATION_BULK: readonly BulkColumn[] = [
  { name: 'galaxy_cluster_id', type: 'int4' }, { name: 'referenced_galaxy_cluster_id', type: 'int4' },
  { name: 'referenced_galaxy_cluster_uuid', type: 'text' }, { name: 'referenced_galaxy_cluster_type', type: 'text' },
  { name: 'galaxy_cluster_uuid', type: 'text' }, { name: 'distribution', type: 'int4' }, { name: 'sharing_group_id', type: 'int4' },
  { name: 'default', type: 'int4' },
];
export const RELATION_TAG_BULK: readonly BulkColumn[] = [
  { name: 'galaxy_cluster_relation_id', type: 'int4' }, { name: 'tag_id', type: 'int4' },
];

const sgList = (ids: readonly number[]): number[] => (ids.length ? [...ids] : [-1]);

/**
 * GalaxyCluster::buildConditions over the cluster alias `alias`: the viewer's own organisation's clusters,
 * distribution 1–3, or distribution 4 in one of the viewer's sharing groups.
 */
export function clusterVisible(eb: ExpressionBuilder<any, any>, v: ClusterViewer, alias: string) {
  if (v.siteAdmin) return sql<boolean>`1 = 1`;
  return eb.or([
    eb(`${alias}.org_id`, '=', v.orgId),
    eb.and([eb(`${alias}.distribution`, '>', 0), eb(`${alias}.distribution`, '<', 4)]),
    eb.and([eb(`${alias}.distribution`, '=', 4), eb(`${alias}.sharing_group_id`, 'in', sgList(v.sharingGroupIds))]),
  ]);
}

/**
 * GalaxyClusterRelation::buildConditions over relation alias `r` and its source cluster `sc`: the relation is
 * the viewer's organisation's, distribution 1–3, or shared with one of its sharing groups; and the source cluster
 * is visible.
 */
export function relationVisible(eb: ExpressionBuilder<any, any>, v: ClusterViewer) {
  if (v.siteAdmin) return sql<boolean>`1 = 1`;
  return eb.and([
    eb.or([
      eb('sc.org_id', '=', v.orgId),
      eb.and([eb('r.distribution', '>', 0), eb('r.distribution', '<', 4)]),
      eb.and([eb('r.distribution', '=', 4), eb('r.sharing_group_id', 'in', sgList(v.sharingGroupIds))]),
    ]),
    clusterVisible(eb, v, 'sc'),
  ]);
}

/**
 * Ids of a batch insert in input order. Both databases return RETURNING rows in VALUES order; `sameRow`
 * checks it, and a mismatch falls back to matching rows by key rather than trusting the order.
 */
export function idsInInputOrder<I, R extends { id: number }>(
  input: readonly I[], returned: readonly R[], key: (x: I) => string, returnedKey: (r: R) => string,
): number[] {
  if (returned.length !== input.length) throw new Error(`batch insert returned ${returned.length} rows for ${input.length}`);
  if (input.every((x, k) => key(x) === returnedKey(returned[k]!))) return returned.map((r) => r.id);
  const pool = new Map<string, number[]>();
  for (const r of returned) {
    const list = pool.get(returnedKey(r));
    if (list) list.push(r.id);
    else pool.set(returnedKey(r), [r.id]);
  }
  return input.map((x) => {
    const id = pool.get(key(x))?.shift();
    if (id === undefined) throw new Error('batch insert: returned rows do not match the input');
    return id;
  });
}
