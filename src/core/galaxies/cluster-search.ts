import type { RequestContext } from '../context.js';
import { readBool, readInt } from '../misp-format/scalars.js';
import type { ClusterFilter } from '../ports/galaxy-store.js';
import type { Stores } from '../ports/stores.js';
import { isUuid } from '../util/uuid.js';
import { clusterViewer } from './cluster-access.js';
import { type ClusterDetails, loadClusterDetails } from './cluster-details.js';
import type { GalaxyCluster } from './galaxy-model.js';

/**
 * galaxy_clusters/restSearch (GalaxyCluster::restSearch / buildFilterConditions, spec §3.14 "GalaxyCluster scope").
 * Sync peers ask `{"published": 1, "minimal": 1, "custom": 1, "uuid": [...]}` and compare versions.
 */

export interface ClusterSearch {
  readonly filter: ClusterFilter;
  /** Only uuid and version per cluster; otherwise full clusters. */
  readonly minimal: boolean;
}

const list = (v: unknown): unknown[] => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v]);
const ints = (v: unknown): number[] | undefined => (v === undefined ? undefined : list(v).map(readInt).filter((n): n is number => n !== undefined));
const strings = (v: unknown): string[] | undefined => (v === undefined ? undefined : list(v).map(String));

/** Organisation ids from ids or uuids; unknown uuids become -1, matching nothing (as in MISP). */
async function orgIds(stores: Stores, v: unknown): Promise<number[] | undefined> {
  if (v === undefined) return undefined;
  const out: number[] = [];
  for (const x of list(v)) {
    if (isUuid(x)) out.push((await stores.identity.findOrganisation({ uuid: x.toLowerCase() }))?.id ?? -1);
    else {
      const n = readInt(x);
      if (n !== undefined) out.push(n);
    }
  }
  return out;
}

export async function readClusterSearch(stores: Stores, body: unknown): Promise<ClusterSearch> {
  const b = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  let galaxyIds = ints(b.galaxy_id);
  if (b.galaxy_uuid !== undefined) {
    const ids: number[] = [];
    for (const u of list(b.galaxy_uuid)) {
      const g = isUuid(u) ? await stores.galaxies.findGalaxy({ uuid: u }) : undefined;
      if (g) ids.push(g.id);
    }
    galaxyIds = ids.length ? ids : [-1];
  }
  const custom = readBool(b.custom);
  const isDefault = custom !== undefined ? !custom : readBool(b.default);
  const published = readBool(b.published);
  const limit = readInt(b.limit);
  const page = readInt(b.page);
  const org = await orgIds(stores, b.org_id);
  const orgc = await orgIds(stores, b.orgc_id);
  const filter: ClusterFilter = {
    ...(ints(b.id) ? { ids: ints(b.id)! } : {}),
    ...(strings(b.uuid) ? { uuids: strings(b.uuid)! } : {}),
    ...(galaxyIds ? { galaxyIds } : {}),
    ...(ints(b.version) ? { versions: ints(b.version)! } : {}),
    ...(ints(b.distribution) ? { distributions: ints(b.distribution)! } : {}),
    ...(strings(b.tag_name) ? { tagNames: strings(b.tag_name)! } : {}),
    ...(strings(b.value) ? { values: strings(b.value)! } : {}),
    ...(strings(b.extends_uuid) ? { extendsUuids: strings(b.extends_uuid)! } : {}),
    ...(org ? { orgIds: org } : {}),
    ...(orgc ? { orgcIds: orgc } : {}),
    ...(isDefault !== undefined ? { isDefault } : {}),
    ...(published !== undefined ? { published } : {}),
    ...(limit !== undefined && limit > 0 ? { limit, page: page && page > 0 ? page : 1 } : {}),
  };
  const minimal = readBool(b.minimal) ?? (readBool(b.full) === false);
  return { filter, minimal };
}

/** The visible clusters of a search, fully loaded unless `minimal`. */
export async function searchClusters(ctx: RequestContext, stores: Stores, q: ClusterSearch): Promise<{ clusters: GalaxyCluster[]; full?: ClusterDetails }> {
  const viewer = await clusterViewer(ctx, stores);
  const clusters = await stores.galaxies.findClusters(q.filter, viewer);
  return q.minimal ? { clusters } : { clusters, full: await loadClusterDetails(stores, clusters, viewer) };
}
