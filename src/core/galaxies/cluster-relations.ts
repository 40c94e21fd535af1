import type { RequestContext } from '../context.js';
import { notFound, saveFailed } from '../errors.js';
import type { Stores } from '../ports/stores.js';
import { defaultTagColour } from '../tags/tag-colour.js';
import { newTagsHidden } from '../tags/tag-access.js';
import { isUuid } from '../util/uuid.js';
import { clusterViewer, fetchAuthorizedCluster } from './cluster-access.js';
import { readRelation, type RelationInput } from './cluster-input.js';
import { CUSTOM_GALAXY_TAG_RE, GALAXY_TAG_RE, type GalaxyCluster, type GalaxyClusterRelation } from './galaxy-model.js';

/** Relations between clusters (GalaxyClusterRelation, galaxy_cluster_relations/*, spec §3.5). */

/** Tag ids for names, creating missing tags only for tag editors (Tag::captureTag without force). */
async function captureTagIds(ctx: RequestContext, stores: Stores, names: readonly string[]): Promise<number[]> {
  if (names.length === 0) return [];
  const found = await stores.tags.findByNames(names);
  const ids: number[] = [];
  const mayCreate = ctx.actor.isSiteAdmin || ctx.actor.role.perms.perm_tag_editor;
  for (const name of new Set(names)) {
    let tag = found.get(name.toLowerCase());
    if (!tag && mayCreate) {
      tag = await stores.tags.create({
        name, colour: defaultTagColour(name), hideTag: newTagsHidden(ctx),
        isGalaxy: GALAXY_TAG_RE.test(name), isCustomGalaxy: CUSTOM_GALAXY_TAG_RE.test(name),
      });
      found.set(name.toLowerCase(), tag);
    }
    if (tag) ids.push(tag.id);
  }
  return ids;
}

/**
 * GalaxyClusterRelation::saveRelation for one relation of `source`. With `force` (cluster edits) an existing
 * relation with the same target and type is updated and the target need not be known; without it (relations/add)
 * a duplicate or an invisible target is refused. Returns MISP's error strings, empty on success.
 */
export async function saveRelation(ctx: RequestContext, stores: Stores, source: GalaxyCluster, r: RelationInput, force: boolean): Promise<string[]> {
  if (!r.referencedUuid) return ['referenced_galaxy_cluster_uuid not provided'];
  if (!isUuid(r.referencedUuid)) return ['Please provide a valid RFC 4122 UUID'];
  if (!r.type) return ['stringNotEmpty'];
  if (![0, 1, 2, 3, 4].includes(r.distribution)) {
    return ['Options: Your organisation only, This community only, Connected communities, All communities, Sharing group'];
  }
  const existing = await stores.galaxies.findRelationByKey(source.uuid, r.referencedUuid, r.type);
  if (existing && !force) return ['Relation already exists'];
  const [target] = await stores.galaxies.findClusters({ uuids: [r.referencedUuid] }, await clusterViewer(ctx, stores));
  if (!target && !force) return ['Invalid referenced galaxy cluster'];
  const id = await stores.galaxies.saveRelation({
    clusterId: source.id, clusterUuid: source.uuid, referencedUuid: r.referencedUuid, referencedType: r.type,
    referencedId: target?.id ?? 0, distribution: r.distribution, sharingGroupId: r.sharingGroupId, isDefault: false,
  }, existing?.id);
  await stores.galaxies.addRelationTags(id, await captureTagIds(ctx, stores, r.tags));
  return [];
}

/** galaxy_cluster_relations/add: needs edit and publish rights on the source cluster; touches and unpublishes it. */
export async function addRelation(ctx: RequestContext, stores: Stores, body: unknown): Promise<void> {
  const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const rec = (raw.GalaxyClusterRelation && typeof raw.GalaxyClusterRelation === 'object' ? raw.GalaxyClusterRelation : raw) as Record<string, unknown>;
  const sourceRef = typeof rec.galaxy_cluster_uuid === 'string' ? rec.galaxy_cluster_uuid : String(rec.galaxy_cluster_id ?? '');
  const source = await fetchAuthorizedCluster(ctx, stores, sourceRef, 'edit');
  await fetchAuthorizedCluster(ctx, stores, sourceRef, 'publish');
  const errors = await saveRelation(ctx, stores, source, readRelation(rec), false);
  if (errors.length) throw saveFailed('Could not add GalaxyClusterRelation', `Relationship could not be added.Reasons: ${JSON.stringify(errors)}`);
  await stores.galaxies.updateCluster(source.id, { version: ctx.now, published: false });
}

export async function viewRelation(ctx: RequestContext, stores: Stores, rawId: string | undefined): Promise<{ relation: GalaxyClusterRelation; source: GalaxyCluster | undefined; target: GalaxyCluster | undefined }> {
  const viewer = await clusterViewer(ctx, stores);
  const relation = rawId && /^\d+$/.test(rawId) ? await stores.galaxies.findRelation(Number(rawId), viewer) : undefined;
  if (!relation) throw notFound('Invalid cluster relation');
  const ids = [relation.galaxyClusterId, relation.referencedGalaxyClusterId].filter((id) => id > 0);
  const clusters = new Map((await stores.galaxies.findClusters({ ids }, viewer)).map((c) => [c.id, c]));
  return { relation, source: clusters.get(relation.galaxyClusterId), target: clusters.get(relation.referencedGalaxyClusterId) };
}

/**
 * galaxy_cluster_relations/delete: the relation must be visible and its source cluster editable and publishable
 * by the caller; the source cluster gets a new version and is unpublished. Returns the relation id.
 */
export async function deleteRelation(ctx: RequestContext, stores: Stores, rawId: string | undefined): Promise<number> {
  const viewer = await clusterViewer(ctx, stores);
  const relation = rawId && /^\d+$/.test(rawId) ? await stores.galaxies.findRelation(Number(rawId), viewer) : undefined;
  if (!relation) throw notFound('Relation not found.');
  const source = await fetchAuthorizedCluster(ctx, stores, String(relation.galaxyClusterId), 'edit');
  await fetchAuthorizedCluster(ctx, stores, String(relation.galaxyClusterId), 'publish');
  await stores.galaxies.deleteRelation(relation.id);
  await stores.galaxies.updateCluster(source.id, { version: ctx.now, published: false });
  return relation.id;
}
