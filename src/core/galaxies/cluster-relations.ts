import type { RequestContext } from '../context.js';
import { DomainError, ErrorCode, notFound, saveFailed } from '../errors.js';
import { sharingGroupGate } from '../events/event-write-env.js';
import { isRecord, type JsonRecord } from '../misp-format/input-readers.js';
import type { Stores } from '../ports/stores.js';
import { defaultTagColour } from '../tags/tag-colour.js';
import { newTagsHidden } from '../tags/tag-access.js';
import { isUuid } from '../util/uuid.js';
import { clusterViewer, fetchAuthorizedCluster } from './cluster-access.js';
import { readRelation, type RelationInput } from './cluster-input.js';
import { CUSTOM_GALAXY_TAG_RE, GALAXY_TAG_RE, type GalaxyCluster, type GalaxyClusterRelation } from './galaxy-model.js';

/** Relations between clusters (GalaxyClusterRelation, galaxy_cluster_relations/*, spec §3.5). */

const SG_REFUSED = 'Galaxy Cluster Relation could not be saved: The user has to have access to the sharing group in order to be able to edit it.';

/** SharingGroup::checkIfAuthorised for a relation or cluster with distribution 4. */
export async function mayUseSharingGroup(ctx: RequestContext, stores: Stores, id: number | null): Promise<boolean> {
  return id !== null && id > 0 && (await sharingGroupGate(ctx, stores, [id]))(id);
}

const unwrapRelation = (body: unknown): JsonRecord => {
  const b = isRecord(body) ? body : {};
  return isRecord(b.GalaxyClusterRelation) ? b.GalaxyClusterRelation : b;
};

/**
 * Tag ids for names, creating missing tags for tag editors, or for anyone with `capture` (Tag::captureTag with
 * force: GalaxyCluster::editCluster saves the relations it is sent with captureTag on).
 */
async function captureTagIds(ctx: RequestContext, stores: Stores, names: readonly string[], capture = false): Promise<number[]> {
  if (names.length === 0) return [];
  const found = await stores.tags.findByNames(names);
  const ids: number[] = [];
  const mayCreate = capture || ctx.actor.isSiteAdmin || ctx.actor.role.perms.perm_tag_editor;
  for (const name of new Set(names)) {
    let tag = found.get(name.toLowerCase());
    if (!tag && mayCreate) {
      tag = await stores.tags.findOrCreate({
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
  if (r.distribution === 4 && !await mayUseSharingGroup(ctx, stores, r.sharingGroupId)) return [SG_REFUSED];
  const existing = await stores.galaxies.findRelationByKey(source.uuid, r.referencedUuid, r.type);
  if (existing && !force) return ['Relation already exists'];
  const [target] = await stores.galaxies.findClusters({ uuids: [r.referencedUuid] }, await clusterViewer(ctx, stores));
  if (!target && !force) return ['Invalid referenced galaxy cluster'];
  const id = await stores.galaxies.saveRelation({
    clusterId: source.id, clusterUuid: source.uuid, referencedUuid: r.referencedUuid, referencedType: r.type,
    referencedId: target?.id ?? 0, distribution: r.distribution, sharingGroupId: r.sharingGroupId, isDefault: false,
  }, existing?.id);
  await stores.galaxies.addRelationTags(id, await captureTagIds(ctx, stores, r.tags, force));
  return [];
}

/** galaxy_cluster_relations/add: needs edit and publish rights on the source cluster; touches and unpublishes it. */
export async function addRelation(ctx: RequestContext, stores: Stores, body: unknown): Promise<void> {
  const rec = unwrapRelation(body);
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

/**
 * galaxy_cluster_relations/edit/{id} (GalaxyClusterRelation::editRelation): a visible, custom relation; the source
 * cluster named by `galaxy_cluster_uuid` (default: the relation's own) must be editable and publishable by the
 * caller and the target visible. Fields not sent keep their value; tags are set to the sent ones when the body
 * names tags. The source cluster gets a new version and is unpublished. Returns the relation id.
 */
export async function editRelation(ctx: RequestContext, stores: Stores, rawId: string | undefined, body: unknown): Promise<number> {
  const viewer = await clusterViewer(ctx, stores);
  const relation = rawId && /^\d+$/.test(rawId) ? await stores.galaxies.findRelation(Number(rawId), viewer) : undefined;
  if (!relation) throw notFound('Invalid cluster relation');
  if (relation.isDefault) throw new DomainError(ErrorCode.NotAllowed, 'Default cluster relation cannot be edited');
  const rec = unwrapRelation(body);
  const sourceRef = typeof rec.galaxy_cluster_uuid === 'string' && rec.galaxy_cluster_uuid !== '' ? rec.galaxy_cluster_uuid : relation.galaxyClusterUuid;
  const source = await fetchAuthorizedCluster(ctx, stores, sourceRef, 'edit');
  await fetchAuthorizedCluster(ctx, stores, sourceRef, 'publish');
  const r = readRelation({
    referenced_galaxy_cluster_uuid: relation.referencedGalaxyClusterUuid, referenced_galaxy_cluster_type: relation.referencedGalaxyClusterType,
    distribution: relation.distribution, sharing_group_id: relation.sharingGroupId, ...rec,
  });
  const fail = (errors: unknown[]) => saveFailed('Could not edit GalaxyClusterRelation', `Relationship could not be saved. Reasons: ${JSON.stringify(errors)}`, { id: relation.id });
  if (!r.referencedUuid || !isUuid(r.referencedUuid)) throw fail(['referenced_galaxy_cluster_uuid not provided']);
  if (!r.type) throw fail(['stringNotEmpty']);
  if (![0, 1, 2, 3, 4].includes(r.distribution)) {
    throw fail(['Options: Your organisation only, This community only, Connected communities, All communities, Sharing group']);
  }
  if (r.distribution === 4 && r.sharingGroupId !== relation.sharingGroupId && !await mayUseSharingGroup(ctx, stores, r.sharingGroupId)) throw fail([SG_REFUSED]);
  const [target] = await stores.galaxies.findClusters({ uuids: [r.referencedUuid] }, viewer);
  if (!target) throw fail(['Invalid referenced galaxy cluster']);
  await stores.galaxies.saveRelation({
    clusterId: source.id, clusterUuid: source.uuid, referencedUuid: target.uuid, referencedType: r.type, referencedId: target.id,
    distribution: r.distribution, sharingGroupId: r.distribution === 4 ? r.sharingGroupId : null, isDefault: false,
  }, relation.id);
  if (r.tagsGiven) await stores.galaxies.replaceRelationTags(relation.id, await captureTagIds(ctx, stores, r.tags));
  await stores.galaxies.updateCluster(source.id, { version: ctx.now, published: false });
  return relation.id;
}

export interface RelationIndexQuery {
  /** `default` or `custom` narrow; anything else lists all. */
  readonly context?: string;
  readonly searchall?: string;
  readonly limit?: number;
  readonly page?: number;
}

export interface RelationIndexRow {
  readonly relation: GalaxyClusterRelation;
  readonly source: GalaxyCluster | undefined;
  /** Absent when the target is unknown here or invisible to the caller (removeNonAccessibleTargetCluster). */
  readonly target: GalaxyCluster | undefined;
}

/**
 * galaxy_cluster_relations/index (GalaxyClusterRelationsController::index): the visible relations with their source
 * and (visible) target clusters. MISP lists every relation at once; `limit`/`page` may narrow it.
 */
export async function indexRelations(ctx: RequestContext, stores: Stores, q: RelationIndexQuery): Promise<RelationIndexRow[]> {
  const viewer = await clusterViewer(ctx, stores);
  const relations = await stores.galaxies.findRelations({
    ...(q.context === 'default' ? { isDefault: true } : q.context === 'custom' ? { isDefault: false } : {}),
    ...(q.searchall ? { search: q.searchall } : {}),
    ...(q.limit !== undefined && q.limit > 0 ? { limit: q.limit, page: q.page && q.page > 0 ? q.page : 1 } : {}),
  }, viewer);
  const ids = [...new Set(relations.flatMap((r) => [r.galaxyClusterId, r.referencedGalaxyClusterId]).filter((id) => id > 0))];
  const clusters = new Map((await stores.galaxies.findClusters({ ids }, viewer)).map((c) => [c.id, c]));
  return relations.map((relation) => ({
    relation, source: clusters.get(relation.galaxyClusterId), target: clusters.get(relation.referencedGalaxyClusterId),
  }));
}
