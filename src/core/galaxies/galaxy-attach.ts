import type { RequestContext } from '../context.js';
import { DomainError, ErrorCode, forbidden, notFound } from '../errors.js';
import type { Stores } from '../ports/stores.js';
import type { TaggableAttribute, TaggableEvent } from '../ports/tag-store.js';
import { canModifyTag, newTagsHidden, visibleAttribute, visibleEvent } from '../tags/tag-access.js';
import { clusterViewer } from './cluster-access.js';
import { CUSTOM_GALAXY_TAG_RE, GALAXY_TAG_RE } from './galaxy-model.js';

/**
 * galaxies/attachCluster/{target_id}/{event|attribute}/local:{0|1} (GalaxiesController::attachCluster,
 * Galaxy::attachCluster, spec §2.6): a cluster is attached by attaching its `tag_name` as a tag. The tag is created
 * when missing (MISP captures it with force, whatever the caller's perm_tag_editor); a global attach unpublishes the
 * event (or touches the attribute) like any global tag change (spec §4.6).
 */

export interface AttachClusterInput {
  readonly targetId: string | undefined;
  readonly targetType: string | undefined;
  readonly clusterId: unknown;
  readonly local: boolean;
}

type Target =
  | { readonly kind: 'event'; readonly event: TaggableEvent }
  | { readonly kind: 'attribute'; readonly event: TaggableEvent; readonly attribute: TaggableAttribute };

async function findTarget(ctx: RequestContext, stores: Stores, type: string, rawId: string | undefined): Promise<Target> {
  const id = rawId !== undefined && /^\d+$/.test(rawId) ? Number(rawId) : undefined;
  if (type === 'event') {
    const event = id !== undefined ? await visibleEvent(ctx, stores, { id }) : undefined;
    if (event) return { kind: 'event', event };
  } else if (type === 'attribute') {
    const attribute = id !== undefined ? await visibleAttribute(ctx, stores, { id }) : undefined;
    if (attribute) return { kind: 'attribute', event: attribute.event, attribute };
  } else {
    // Galaxy::fetchTarget: tag collections are not supported here; anything else is an invalid target type.
    throw new DomainError(ErrorCode.NotAllowed, `Invalid target type ${type}`);
  }
  throw notFound(`Invalid ${type}.`);
}

/** Returns MISP's message: "Cluster attached." or "Cluster already attached.". Run it inside a transaction. */
export async function attachCluster(ctx: RequestContext, stores: Stores, input: AttachClusterInput): Promise<string> {
  const type = input.targetType ?? 'event';
  const target = await findTarget(ctx, stores, type, input.targetId);
  if (!canModifyTag(ctx, target.event, input.local)) throw forbidden('No permission to attach this cluster to given target.');
  const clusterId = typeof input.clusterId === 'number' || (typeof input.clusterId === 'string' && /^\d+$/.test(input.clusterId))
    ? Number(input.clusterId) : undefined;
  const [cluster] = clusterId !== undefined ? await stores.galaxies.findClusters({ ids: [clusterId] }, await clusterViewer(ctx, stores)) : [];
  if (!cluster) throw notFound('Invalid Galaxy cluster');
  const galaxy = await stores.galaxies.findGalaxy({ id: cluster.galaxyId });
  const localOnly = galaxy?.localOnly ?? false;
  if (localOnly && !input.local) throw new DomainError(ErrorCode.NotAllowed, 'This Cluster can only be attached in a local scope');
  const tag = (await stores.tags.findByNames([cluster.tagName])).get(cluster.tagName.toLowerCase()) ?? await stores.tags.create({
    name: cluster.tagName, colour: '#0088cc', exportable: true, localOnly, hideTag: newTagsHidden(ctx),
    isGalaxy: GALAXY_TAG_RE.test(cluster.tagName), isCustomGalaxy: CUSTOM_GALAXY_TAG_RE.test(cluster.tagName),
  });
  const existing = target.kind === 'event'
    ? await stores.tags.eventTagLink(target.event.id, tag.id)
    : await stores.tags.attributeTagLink(target.attribute.id, tag.id);
  if (existing) return 'Cluster already attached.';
  const link = { tagId: tag.id, local: input.local, relationshipType: '' };
  if (target.kind === 'event') {
    await stores.tags.linkEventTags(target.event.id, [link]);
    if (!input.local) await stores.tags.unpublishEvent(target.event.id, ctx.now);
  } else {
    await stores.tags.linkAttributeTags([{ ...link, attributeId: target.attribute.id, eventId: target.event.id }]);
    if (!input.local) await stores.tags.touchAttribute(target.attribute, ctx.now);
  }
  return 'Cluster attached.';
}
