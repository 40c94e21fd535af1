import type { RequestContext } from '../context.js';
import { DomainError, ErrorCode, notFound } from '../errors.js';
import type { Stores } from '../ports/stores.js';
import { sharingGroupIdsOf } from '../tags/tag-access.js';
import { isUuid } from '../util/uuid.js';
import type { ClusterViewer, GalaxyCluster } from './galaxy-model.js';

/** Who sees which cluster, and who may change it (GalaxyCluster::buildConditions / fetchIfAuthorized, spec §4.5). */

export async function clusterViewer(ctx: RequestContext, stores: Pick<Stores, 'eventReads'>): Promise<ClusterViewer> {
  if (ctx.actor.isSiteAdmin) return { siteAdmin: true };
  return { siteAdmin: false, orgId: ctx.actor.org.id, sharingGroupIds: await sharingGroupIdsOf(ctx, stores) };
}

/** An id or uuid path argument as a cluster filter; anything else is MISP's "Invalid galaxy cluster". */
export function clusterRef(raw: string | undefined): { ids: number[] } | { uuids: string[] } {
  if (raw !== undefined && /^\d+$/.test(raw)) return { ids: [Number(raw)] };
  if (raw !== undefined && isUuid(raw)) return { uuids: [raw.toLowerCase()] };
  throw notFound('Invalid galaxy cluster');
}

/** MISP answers these refusals with a MethodNotAllowedException (405). */
const refuse = (message: string): DomainError => new DomainError(ErrorCode.NotAllowed, message);

export type ClusterAction = 'view' | 'edit' | 'delete' | 'publish';

const DEFAULT_REFUSED: Record<Exclude<ClusterAction, 'view'>, string> = {
  edit: 'Default galaxy cluster cannot be edited',
  delete: 'Default galaxy cluster cannot be deleted',
  publish: 'Default galaxy cluster cannot be published',
};

/**
 * The visible cluster named by `raw` (id or uuid), checked for `action` like GalaxyCluster::fetchIfAuthorized:
 * anyone may view; default clusters (from the galaxy packs) are read-only for everyone, site admins included
 * (spec §3.5, §4.5 canModifyGalaxyCluster; MISP lets a site admin delete one); other changes need site admin, or
 * perm_galaxy_editor and the creator organisation, publishing also perm_publish.
 */
export async function fetchAuthorizedCluster(ctx: RequestContext, stores: Stores, raw: string | undefined, action: ClusterAction): Promise<GalaxyCluster> {
  const [cluster] = await stores.galaxies.findClusters(clusterRef(raw), await clusterViewer(ctx, stores));
  if (!cluster) throw notFound('Invalid galaxy cluster');
  const { actor } = ctx;
  if (action === 'view') return cluster;
  if (cluster.isDefault) throw refuse(DEFAULT_REFUSED[action]);
  if (actor.isSiteAdmin) return cluster;
  if (!actor.role.perms.perm_galaxy_editor) throw refuse("You don't have the permission to do that.");
  if ((action === 'edit' || action === 'delete') && cluster.orgcId !== actor.org.id) {
    throw refuse('Only the creator organisation can modify the galaxy cluster');
  }
  // MISP's test reads `orgc != org && perm_publish`, which lets other organisations through; the intent is both.
  if (action === 'publish' && (cluster.orgcId !== actor.org.id || !actor.role.perms.perm_publish)) {
    throw refuse('Only the creator organisation with publishing capabilities can publish the galaxy cluster');
  }
  return cluster;
}
