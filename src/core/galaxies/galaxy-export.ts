import type { RequestContext } from '../context.js';
import { notFound } from '../errors.js';
import { isRecord } from '../misp-format/input-readers.js';
import { toMispClusterExport, toMispGalaxyPack } from '../misp-format/galaxy-json.js';
import { readBool, readInt } from '../misp-format/scalars.js';
import type { ClusterFilter } from '../ports/galaxy-store.js';
import type { Stores } from '../ports/stores.js';
import { clusterViewer, fetchAuthorizedCluster } from './cluster-access.js';
import { loadClusterDetails } from './cluster-details.js';
import { findGalaxyRef } from './cluster-service.js';
import type { Galaxy } from './galaxy-model.js';

/**
 * galaxies/export/{id} and galaxy_clusters/export_for_misp_galaxy/{id} (GalaxiesController::export,
 * GalaxyClustersController::export_for_misp_galaxy, spec §3.5): the clusters the caller may see, either as full
 * clusters without instance ids (`misp`, what galaxies/import takes back) or in the misp-galaxy repository layout.
 */

export interface GalaxyExportRequest {
  /** Which clusters: shipped ones, custom ones, or both. */
  readonly default: boolean;
  readonly custom: boolean;
  /** Distribution levels to include; every level when the request names none. */
  readonly distributions?: readonly number[];
  readonly format: 'misp' | 'misp-galaxy';
  /** `download: "download"`: sent as an attachment. */
  readonly download: boolean;
}

type Json = Record<string, unknown>;

/**
 * The body `{"Galaxy": {"default", "custom", "distribution", "format", "download"}}` (unwrapped works too). MISP
 * requires `default`/`custom` and `distribution`; here a request naming neither cluster kind exports both, and one
 * naming no distribution exports every level.
 */
export function readGalaxyExport(body: unknown): GalaxyExportRequest {
  const b = isRecord(body) ? (isRecord(body.Galaxy) ? body.Galaxy : body) : {};
  const named = b.default !== undefined || b.custom !== undefined;
  const levels = b.distribution === undefined || b.distribution === null || b.distribution === ''
    ? undefined
    : (Array.isArray(b.distribution) ? b.distribution : [b.distribution]).map(readInt).filter((n): n is number => n !== undefined);
  return {
    default: named ? readBool(b.default) === true : true,
    custom: named ? readBool(b.custom) === true : true,
    ...(levels ? { distributions: levels } : {}),
    format: b.format === 'misp-galaxy' ? 'misp-galaxy' : 'misp',
    download: b.download === 'download' || readBool(b.download) === true,
  };
}

export async function exportGalaxy(ctx: RequestContext, stores: Stores, rawId: string | undefined, req: GalaxyExportRequest): Promise<{ galaxy: Galaxy; body: unknown }> {
  const galaxy = await findGalaxyRef(stores, rawId);
  if (!galaxy) throw notFound('Galaxy not found.');
  const viewer = await clusterViewer(ctx, stores);
  const filter: ClusterFilter = {
    galaxyIds: [galaxy.id],
    ...(req.default && !req.custom ? { isDefault: true } : !req.default && req.custom ? { isDefault: false } : {}),
    ...(req.distributions ? { distributions: req.distributions } : {}),
  };
  const clusters = req.default || req.custom ? await stores.galaxies.findClusters(filter, viewer) : [];
  const { details, orgs } = await loadClusterDetails(stores, clusters, viewer);
  const body: unknown = req.format === 'misp-galaxy' ? toMispGalaxyPack(galaxy, details) : details.map((d) => toMispClusterExport(d, orgs));
  return { galaxy, body };
}

/** galaxy_clusters/export_for_misp_galaxy/{id|uuid}: one visible cluster as a misp-galaxy `values` entry. */
export async function exportClusterForMispGalaxy(ctx: RequestContext, stores: Stores, raw: string | undefined): Promise<Json | unknown[]> {
  const cluster = await fetchAuthorizedCluster(ctx, stores, raw, 'view');
  const { details } = await loadClusterDetails(stores, [cluster], await clusterViewer(ctx, stores));
  const galaxy = details[0]?.galaxy;
  if (!galaxy) return [];
  const pack = toMispGalaxyPack(galaxy, details) as { values: Json[] };
  return pack.values[0] ?? [];
}
