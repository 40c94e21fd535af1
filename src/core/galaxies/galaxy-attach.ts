import type { RequestContext } from '../context.js';
import { DomainError, ErrorCode, forbidden, notFound } from '../errors.js';
import { asList } from '../misp-format/input-readers.js';
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
  const tag = (await stores.tags.findByNames([cluster.tagName])).get(cluster.tagName.toLowerCase()) ?? await stores.tags.findOrCreate({
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

export interface AttachMultipleInput {
  /** A target id, or `selected` with `attributeIds`. */
  readonly targetId: string | undefined;
  readonly targetType: string | undefined;
  /** `Galaxy.target_ids`: a JSON list (or one id) of clusters, as the UI sends it; a plain list is accepted too. */
  readonly clusterIds: unknown;
  /** `Galaxy.attribute_ids` with target `selected`: a JSON list of attribute ids. */
  readonly attributeIds: unknown;
  readonly local: boolean;
}

function jsonList(v: unknown): unknown[] | undefined {
  if (typeof v === 'string') {
    if (v.trim() === '') return undefined;
    try {
      return asList(JSON.parse(v));
    } catch {
      return undefined;
    }
  }
  return v === undefined || v === null ? undefined : asList(v);
}

/**
 * galaxies/attachMultipleClusters/{target_id|selected}/{event|attribute}/local:{0|1}
 * (GalaxiesController::attachMultipleClusters): every cluster onto every target, each through attachCluster's checks.
 * Returns MISP's reply: the last attach message, or `saved: false` with MISP's error when nothing was picked.
 */
export async function attachMultipleClusters(ctx: RequestContext, stores: Stores, input: AttachMultipleInput):
  Promise<{ saved: boolean; success?: string; errors?: string; check_publish?: boolean }> {
  const targets = input.targetId === 'selected' ? (jsonList(input.attributeIds) ?? []).map(String) : [input.targetId];
  const clusters = jsonList(input.clusterIds);
  if (clusters === undefined) return { saved: false, errors: 'Failed to parse request.' };
  if (clusters.length === 0) return { saved: false, errors: 'No clusters picked.' };
  let message = '';
  for (const clusterId of clusters) {
    for (const targetId of targets) {
      message = await attachCluster(ctx, stores, { targetId, targetType: input.targetType, clusterId, local: input.local });
    }
  }
  return { saved: true, success: message, check_publish: true };
}

/**
 * galaxy_clusters/detach/{target_id}/{event|attribute}/{tag_id} (Galaxy::detachClusterByTagId): removes a cluster
 * tag from a visible event or attribute. Site admins and sync users may; others need perm_tagger (route ACL) and
 * their organisation owning or having created the event. A global removal unpublishes the event (spec §4.6).
 * Run it inside a transaction.
 */
export async function detachClusterByTagId(ctx: RequestContext, stores: Stores, rawTargetId: string | undefined, targetType: string | undefined,
  rawTagId: string | undefined): Promise<string> {
  const type = targetType ?? 'event';
  if (type !== 'event' && type !== 'attribute') throw new DomainError(ErrorCode.NotAllowed, 'Invalid target type');
  const target = await findTarget(ctx, stores, type, rawTargetId).catch(() => {
    throw notFound(type === 'event' ? 'Invalid Event.' : 'Invalid Attribute.');
  });
  const { actor } = ctx;
  if (!actor.isSiteAdmin && !actor.role.perms.perm_sync
    && actor.org.id !== target.event.orgId && actor.org.id !== target.event.orgcId) throw notFound('Invalid Event.');
  const tagId = rawTagId !== undefined && /^\d+$/.test(rawTagId) ? Number(rawTagId) : -1;
  const link = target.kind === 'event'
    ? await stores.tags.eventTagLink(target.event.id, tagId)
    : await stores.tags.attributeTagLink(target.attribute.id, tagId);
  if (!link) throw notFound('Galaxy not attached.');
  const [cluster] = await stores.galaxies.findClusters({ tagNames: [link.tag.name] }, { siteAdmin: true });
  if (!cluster) throw notFound('Tag is not cluster');
  if (target.kind === 'event') await stores.tags.unlinkEventTag(target.event.id, tagId);
  else await stores.tags.unlinkAttributeTag(target.attribute.id, tagId);
  if (!link.local) {
    if (target.kind === 'event') await stores.tags.unpublishEvent(target.event.id, ctx.now);
    else await stores.tags.touchAttribute(target.attribute, ctx.now);
  }
  return 'Galaxy successfully detached.';
}
