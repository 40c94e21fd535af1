import type { Organisation } from '../model/organisation.js';
import type { Stores } from '../ports/stores.js';
import type { ClusterDetail, ClusterViewer, Galaxy, GalaxyCluster } from './galaxy-model.js';

export interface ClusterDetails {
  readonly details: ClusterDetail[];
  /** Organisations of the clusters' Org / Orgc by id (id 0 is MISP's generic organisation, absent here). */
  readonly orgs: ReadonlyMap<number, Organisation>;
}

/**
 * Loads what a full cluster shows (GalaxyCluster::fetchGalaxyClusters with `$full`): galaxy, elements, relations
 * with their tags, relations targeting it and the organisations, with one query per kind whatever the cluster count.
 */
export async function loadClusterDetails(stores: Pick<Stores, 'galaxies' | 'identity'>, clusters: readonly GalaxyCluster[], viewer: ClusterViewer,
  opts: { readonly relations?: boolean } = {}): Promise<ClusterDetails> {
  const ids = clusters.map((c) => c.id);
  const withRelations = opts.relations ?? true;
  const [galaxies, elements, relations, targeting, orgs] = await Promise.all([
    stores.galaxies.listGalaxies({ ids: [...new Set(clusters.map((c) => c.galaxyId))] }),
    stores.galaxies.clusterElements(ids),
    withRelations ? stores.galaxies.clusterRelations(ids, viewer) : Promise.resolve(new Map()),
    withRelations ? stores.galaxies.targetingRelations(ids, viewer) : Promise.resolve(new Map()),
    stores.identity.findOrganisations([...new Set(clusters.flatMap((c) => [c.orgId, c.orgcId]).filter((id) => id > 0))]),
  ]);
  const byId = new Map<number, Galaxy>(galaxies.map((g) => [g.id, g]));
  return {
    details: clusters.map((cluster) => ({
      cluster, galaxy: byId.get(cluster.galaxyId), elements: elements.get(cluster.id) ?? [],
      relations: relations.get(cluster.id) ?? [], targeting: targeting.get(cluster.id) ?? [],
    })),
    orgs: new Map(orgs.map((o) => [o.id, o])),
  };
}
