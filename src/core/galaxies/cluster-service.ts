import type { RequestContext } from '../context.js';
import { blocklistDeletedCluster } from '../blocklists/blocklist-service.js';
import { DomainError, ErrorCode, notFound, saveFailed } from '../errors.js';
import type { Organisation } from '../model/organisation.js';
import type { ClusterFilter, ClusterPatch } from '../ports/galaxy-store.js';
import type { Stores } from '../ports/stores.js';
import { indexTags } from '../tags/tag-service.js';
import { isUuid, newUuid } from '../util/uuid.js';
import { clusterViewer, fetchAuthorizedCluster } from './cluster-access.js';
import { loadClusterDetails } from './cluster-details.js';
import { type ClusterInput, readClusterInput } from './cluster-input.js';
import { mayUseSharingGroup, saveRelation } from './cluster-relations.js';
import { type ClusterDetail, clusterTagName, type Galaxy, type GalaxyCluster } from './galaxy-model.js';

/** Galaxy clusters: index, view, add, edit, publish, delete (GalaxyClustersController, spec §3.5). */

const DISTRIBUTION_ERROR = 'Options: Your organisation only, This community only, Connected communities, All communities, Sharing group';
const refuse = (message: string): DomainError => new DomainError(ErrorCode.NotAllowed, message);

export interface FullCluster {
  readonly detail: ClusterDetail;
  readonly orgs: ReadonlyMap<number, Organisation>;
  /** Events (visible to the caller) carrying the cluster's tag, and the tag id, when the tag exists. */
  readonly tag?: { readonly id: number; readonly count: number };
}

/** A galaxy by id or uuid; anything else is Toolbox::findIdByUuid's "Invalid Galaxy.". */
export async function findGalaxyRef(stores: Stores, raw: string | undefined): Promise<Galaxy | undefined> {
  if (raw !== undefined && /^\d+$/.test(raw)) return stores.galaxies.findGalaxy({ id: Number(raw) });
  if (raw !== undefined && isUuid(raw)) return stores.galaxies.findGalaxy({ uuid: raw });
  throw notFound('Invalid Galaxy.');
}

export interface ClusterIndexQuery {
  readonly context?: string;
  readonly searchall?: string;
}

/**
 * galaxy_clusters/index/{galaxy}: the galaxy's visible clusters. A `context` other than none hides deleted
 * clusters and narrows: default, custom, org (owned by the caller's org), orgc (created by it), deleted.
 */
export async function indexClusters(ctx: RequestContext, stores: Stores, galaxyRaw: string | undefined, q: ClusterIndexQuery): Promise<GalaxyCluster[]> {
  const galaxy = await findGalaxyRef(stores, galaxyRaw);
  if (!galaxy) throw notFound('Invalid Galaxy.');
  let filter: ClusterFilter = { galaxyIds: [galaxy.id], ...(q.searchall ? { search: q.searchall } : {}) };
  if (q.context) {
    filter = { ...filter, deleted: q.context === 'deleted' };
    if (q.context === 'default') filter = { ...filter, isDefault: true };
    else if (q.context === 'custom') filter = { ...filter, isDefault: false };
    else if (q.context === 'org') filter = { ...filter, orgIds: [ctx.actor.org.id] };
    else if (q.context === 'orgc') filter = { ...filter, orgcIds: [ctx.actor.org.id] };
  }
  return stores.galaxies.findClusters(filter, await clusterViewer(ctx, stores));
}

async function fullCluster(ctx: RequestContext, stores: Stores, cluster: GalaxyCluster): Promise<FullCluster> {
  const { details, orgs } = await loadClusterDetails(stores, [cluster], await clusterViewer(ctx, stores));
  return { detail: details[0]!, orgs };
}

/** galaxy_clusters/view/{id|uuid}: the full cluster plus `tag_count` / `tag_id` when its tag exists. */
export async function viewCluster(ctx: RequestContext, stores: Stores, raw: string | undefined): Promise<FullCluster> {
  const cluster = await fetchAuthorizedCluster(ctx, stores, raw, 'view');
  const full = await fullCluster(ctx, stores, cluster);
  const [tag] = await indexTags(ctx, stores, { exactName: cluster.tagName });
  return tag ? { ...full, tag: { id: tag.id, count: tag.count } } : full;
}

const SG_REFUSED = 'Galaxy Cluster could not be saved: The user has to have access to the sharing group in order to be able to edit it.';

function checkDistribution(input: ClusterInput, errors: string[]): void {
  if (input.distribution !== undefined && ![0, 1, 2, 3, 4].includes(input.distribution)) errors.push(DISTRIBUTION_ERROR);
}

/** GalaxyCluster::saveCluster / editCluster: a sharing group must be one the caller may use. */
async function checkSharingGroup(ctx: RequestContext, stores: Stores, distribution: number, sharingGroupId: number | null | undefined,
  errors: string[]): Promise<void> {
  if (distribution === 4 && !await mayUseSharingGroup(ctx, stores, sharingGroupId ?? null)) errors.push(SG_REFUSED);
}

/** The cluster a fork extends, when visible; MISP silently drops an unknown `extends_uuid`. */
async function resolveFork(ctx: RequestContext, stores: Stores, input: ClusterInput, forkRaw: string | undefined) {
  const ref = input.extendsUuid ?? forkRaw;
  if (!ref || !isUuid(ref)) return undefined;
  const [parent] = await stores.galaxies.findClusters({ uuids: [ref] }, await clusterViewer(ctx, stores));
  return parent;
}

/**
 * galaxy_clusters/add/{galaxy}[/forkUUID:…] (GalaxyCluster::saveCluster): a custom, unpublished cluster owned and
 * created by the caller's organisation, tagged `misp-galaxy:<type>="<uuid>"`, with its elements and relations.
 */
export async function addCluster(ctx: RequestContext, stores: Stores, galaxyRaw: string | undefined, body: unknown, forkRaw?: string): Promise<FullCluster> {
  const input = readClusterInput(body);
  const galaxy = await findGalaxyRef(stores, galaxyRaw);
  const fail = (errors: string[]) => saveFailed('Could not add GalaxyCluster', errors.join(', '));
  if (!galaxy) throw fail(['Galaxy not found']);
  const errors: string[] = input.invalidJson ? ['Invalid JSON'] : [];
  const uuid = input.uuid ?? newUuid();
  if (input.uuid !== undefined) {
    if (!isUuid(input.uuid)) errors.push('Please provide a valid RFC 4122 UUID');
    else if (await stores.blocklists.isBlocked('cluster', uuid)) errors.push('Blocked by blocklist');
    else if ((await stores.galaxies.findClusters({ uuids: [uuid] }, { siteAdmin: true })).length) {
      errors.push('The UUID provided is not unique');
    }
  }
  if (!input.value || input.value.trim() === '') errors.push('stringNotEmpty');
  checkDistribution(input, errors);
  const parent = await resolveFork(ctx, stores, input, forkRaw);
  if (parent && parent.galaxyId !== galaxy.id) errors.push('Cluster forks have to belong to the same galaxy as the parent');
  const distribution = input.distribution ?? ctx.settings.num('MISP.default_event_distribution');
  await checkSharingGroup(ctx, stores, distribution, input.sharingGroupId, errors);
  if (errors.length) throw fail(errors);
  const cluster = await stores.galaxies.createCluster({
    uuid, collectionUuid: '', type: galaxy.type, value: input.value!, tagName: clusterTagName(galaxy.type, uuid),
    description: input.description ?? '', galaxyId: galaxy.id, source: input.source ?? '', authors: input.authors ?? [],
    version: input.version ?? ctx.now, distribution, sharingGroupId: distribution === 4 ? input.sharingGroupId ?? null : null,
    orgId: ctx.actor.org.id, orgcId: ctx.actor.org.id, isDefault: false, locked: false,
    extendsUuid: parent ? parent.uuid : null, extendsVersion: parent ? input.extendsVersion ?? parent.version : null,
    published: false,
  });
  if (input.elements.length) await stores.galaxies.replaceElements(cluster.id, input.elements);
  const relationErrors: string[] = [];
  for (const r of input.relations) relationErrors.push(...await saveRelation(ctx, stores, cluster, r, false));
  if (relationErrors.length) throw fail(relationErrors);
  return fullCluster(ctx, stores, cluster);
}

/**
 * galaxy_clusters/edit/{id|uuid} (GalaxyCluster::editCluster): default clusters are read-only (cluster-access.ts). The cluster gets a
 * new version (now) and is unpublished; the sent fields are saved, its elements replaced by the sent ones (none
 * when none are sent, like MISP) and the sent relations added or updated.
 */
export async function editCluster(ctx: RequestContext, stores: Stores, raw: string | undefined, body: unknown): Promise<FullCluster> {
  const cluster = await fetchAuthorizedCluster(ctx, stores, raw, 'edit');
  const input = readClusterInput(body);
  const fail = (errors: string[]) => saveFailed('Could not edit GalaxyCluster', errors.join(', '), { id: cluster.id });
  const errors: string[] = input.invalidJson ? ['Invalid JSON'] : [];
  if (input.value !== undefined && input.value.trim() === '') errors.push('stringNotEmpty');
  checkDistribution(input, errors);
  const distribution = input.distribution ?? cluster.distribution;
  if (input.sharingGroupId !== undefined && input.sharingGroupId !== cluster.sharingGroupId) {
    await checkSharingGroup(ctx, stores, distribution, input.sharingGroupId, errors);
  } else if (distribution === 4 && cluster.distribution !== 4) {
    await checkSharingGroup(ctx, stores, distribution, input.sharingGroupId ?? cluster.sharingGroupId, errors);
  }
  if (errors.length) throw fail(errors);
  const patch: ClusterPatch = {
    version: ctx.now, isDefault: false, published: false, authors: input.authors ?? [],
    ...(input.value !== undefined ? { value: input.value } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.source !== undefined ? { source: input.source } : {}),
    ...(input.distribution !== undefined ? { distribution } : {}),
    ...(input.sharingGroupId !== undefined || input.distribution !== undefined
      ? { sharingGroupId: distribution === 4 ? input.sharingGroupId ?? cluster.sharingGroupId : null } : {}),
  };
  await stores.galaxies.updateCluster(cluster.id, patch);
  await stores.galaxies.replaceElements(cluster.id, input.elements);
  const relationErrors: string[] = [];
  for (const r of input.relations) relationErrors.push(...await saveRelation(ctx, stores, cluster, r, true));
  if (relationErrors.length) throw fail(relationErrors);
  const [updated] = await stores.galaxies.findClusters({ ids: [cluster.id] }, { siteAdmin: true });
  return fullCluster(ctx, stores, updated!);
}

/** galaxy_clusters/publish/{id|uuid}: custom, unpublished clusters only. Returns the cluster id. */
export async function publishCluster(ctx: RequestContext, stores: Stores, raw: string | undefined): Promise<number> {
  const cluster = await fetchAuthorizedCluster(ctx, stores, raw, 'publish');
  if (cluster.published) throw refuse("You can't publish a galaxy cluster that is already published");
  await stores.galaxies.updateCluster(cluster.id, { published: true });
  return cluster.id;
}

/** galaxy_clusters/unpublish/{id|uuid}: custom, published clusters only. Returns the cluster id. */
export async function unpublishCluster(ctx: RequestContext, stores: Stores, raw: string | undefined): Promise<number> {
  const cluster = await fetchAuthorizedCluster(ctx, stores, raw, 'publish');
  if (!cluster.published) throw refuse("You can't unpublish a galaxy cluster that is not published");
  await stores.galaxies.updateCluster(cluster.id, { published: false });
  return cluster.id;
}

/** galaxy_clusters/restore/{id|uuid} (GalaxyCluster::restoreCluster): undeleted, unpublished, new version. */
export async function restoreCluster(ctx: RequestContext, stores: Stores, raw: string | undefined): Promise<number> {
  const cluster = await fetchAuthorizedCluster(ctx, stores, raw, 'delete');
  await stores.galaxies.updateCluster(cluster.id, { deleted: false, published: false, version: ctx.now });
  return cluster.id;
}

/**
 * galaxy_clusters/delete/{id|uuid} (GalaxyCluster::deleteCluster): soft by default (deleted, unpublished, new
 * version), hard with `{"hard": 1}`. Returns the cluster id.
 */
export async function deleteCluster(ctx: RequestContext, stores: Stores, raw: string | undefined, hard: boolean): Promise<number> {
  const cluster = await fetchAuthorizedCluster(ctx, stores, raw, 'delete');
  if (hard) {
    await blocklistDeletedCluster(ctx, stores, cluster);
    await stores.galaxies.deleteCluster(cluster.id);
  }
  else await stores.galaxies.updateCluster(cluster.id, { deleted: true, published: false, version: ctx.now });
  return cluster.id;
}
