import type { RequestContext } from '../context.js';
import { notFound } from '../errors.js';
import type { Stores } from '../ports/stores.js';
import { clusterViewer } from './cluster-access.js';
import { findGalaxyRef } from './cluster-service.js';
import type { Galaxy, GalaxyCluster, GalaxyElement } from './galaxy-model.js';

/** Galaxies: index, view, enable/disable (GalaxiesController, spec §3.5). */

export interface GalaxyIndexQuery {
  /** Case-insensitive substring of name, namespace, description, kill chain order or uuid (PyMISP search_galaxy). */
  readonly value?: string;
  readonly enabled?: boolean;
}

export async function indexGalaxies(_ctx: RequestContext, stores: Stores, q: GalaxyIndexQuery): Promise<Galaxy[]> {
  return stores.galaxies.listGalaxies({
    ...(q.value ? { search: q.value } : {}), ...(q.enabled !== undefined ? { enabled: q.enabled } : {}),
  });
}

export interface GalaxyView {
  readonly galaxy: Galaxy;
  readonly clusters: readonly { readonly cluster: GalaxyCluster; readonly elements: readonly GalaxyElement[] }[];
}

/**
 * galaxies/view/{id|uuid}: the galaxy with its clusters and their elements. MISP's REST view lists every cluster
 * of the galaxy; here the cluster visibility rule applies, so custom clusters of other organisations stay hidden.
 */
export async function viewGalaxy(ctx: RequestContext, stores: Stores, raw: string | undefined): Promise<GalaxyView> {
  const galaxy = await findGalaxyRef(stores, raw);
  if (!galaxy) throw notFound('Invalid Galaxy.');
  const clusters = await stores.galaxies.findClusters({ galaxyIds: [galaxy.id] }, await clusterViewer(ctx, stores));
  const elements = await stores.galaxies.clusterElements(clusters.map((c) => c.id));
  return { galaxy, clusters: clusters.map((cluster) => ({ cluster, elements: elements.get(cluster.id) ?? [] })) };
}

/** galaxies/enable|disable|toggle/{id|uuid} (site admin); `enabled` undefined flips it. Returns MISP's message. */
export async function toggleGalaxy(_ctx: RequestContext, stores: Stores, raw: string | undefined, enabled: boolean | undefined): Promise<string> {
  const galaxy = raw !== undefined && (/^\d+$/.test(raw) || raw.includes('-')) ? await findGalaxyRef(stores, raw).catch(() => undefined) : undefined;
  if (!galaxy) throw notFound('Invalid galaxy.');
  const state = enabled ?? !galaxy.enabled;
  await stores.galaxies.setGalaxyEnabled(galaxy.id, state);
  return state ? 'Galaxy enabled' : 'Galaxy disabled';
}

/** galaxies/delete/{id|uuid} (site admin): the galaxy with all its clusters (Galaxy::beforeDelete). */
export async function deleteGalaxy(_ctx: RequestContext, stores: Stores, raw: string | undefined): Promise<number> {
  const galaxy = raw !== undefined && (/^\d+$/.test(raw) || raw.includes('-')) ? await findGalaxyRef(stores, raw).catch(() => undefined) : undefined;
  if (!galaxy) throw notFound('Invalid galaxy.');
  await stores.galaxies.deleteGalaxy(galaxy.id);
  return galaxy.id;
}

/** galaxies/wipe_default (site admin): every default cluster goes; galaxies/update brings them back. */
export async function wipeDefaultClusters(_ctx: RequestContext, stores: Stores): Promise<number> {
  return stores.galaxies.wipeDefaultClusters();
}
