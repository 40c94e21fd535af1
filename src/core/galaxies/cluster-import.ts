import { enabled as blocklistEnabled } from '../blocklists/blocklist-service.js';
import type { RequestContext } from '../context.js';
import { asList, isRecord, type JsonRecord } from '../misp-format/input-readers.js';
import { readBool, readInt } from '../misp-format/scalars.js';
import { readSharingGroupInput } from '../misp-format/sharing-group-input.js';
import type { Stores } from '../ports/stores.js';
import { captureOrg, captureSharingGroup } from '../sharing-groups/sharing-group-capture.js';
import { isUuid } from '../util/uuid.js';
import { readClusterInput } from './cluster-input.js';
import { mayUseSharingGroup, saveRelation } from './cluster-relations.js';
import { clusterTagName, type Galaxy } from './galaxy-model.js';
import { parseGalaxy } from './galaxy-pack.js';

/**
 * galaxies/import and galaxies/pushCluster (Galaxy::importGalaxyAndClusters, GalaxyCluster::captureCluster,
 * spec §3.5, §6.11): custom clusters as galaxies/export (format `misp`) or a pushing server writes them,
 * `[{"GalaxyCluster": {..., "Galaxy", "GalaxyElement", "GalaxyClusterRelation", "Orgc", "SharingGroup"?}}]`.
 * A cluster is captured by uuid: created (locked, owned by the caller's organisation) when unknown, replaced when
 * the incoming version is higher, ignored otherwise. Its galaxy is found by uuid (created when the caller is a
 * galaxy editor) or by type. Default clusters are refused; they only come from the data packs.
 */

export interface ClusterImportResult {
  readonly imported: number;
  readonly ignored: number;
  readonly failed: number;
  readonly errors: readonly string[];
}

export interface ClusterImportOptions {
  /** The clusters arrive from a sync peer (pushCluster): a sync user may keep the sender's creator organisation. */
  readonly viaSync?: boolean;
}

type Outcome = 'imported' | 'ignored' | 'failed';

const GALAXY_NOT_FOUND = 'Galaxy not found';

/** Galaxy::captureGalaxy: known by uuid as it is; unknown ones are created for galaxy editors. */
async function captureGalaxy(ctx: RequestContext, stores: Stores, raw: JsonRecord): Promise<Galaxy | undefined> {
  const row = parseGalaxy({ ...raw, kill_chain_order: raw.kill_chain_order ?? undefined });
  if (typeof row === 'string') return undefined;
  const known = await stores.galaxies.findGalaxy({ uuid: row.uuid });
  if (known) return known;
  if (!ctx.actor.isSiteAdmin && !ctx.actor.role.perms.perm_galaxy_editor) return undefined;
  const id = await stores.galaxies.insertGalaxy(row);
  return stores.galaxies.findGalaxy({ id });
}

async function galaxyFor(ctx: RequestContext, stores: Stores, c: JsonRecord): Promise<Galaxy | undefined> {
  if (isRecord(c.Galaxy) && Object.keys(c.Galaxy).length) return captureGalaxy(ctx, stores, c.Galaxy);
  return typeof c.type === 'string' && c.type !== '' ? stores.galaxies.findGalaxy({ type: c.type }) : undefined;
}

/**
 * The creator organisation: the sender's `Orgc` (captured by uuid or name) for site admins and sync users, or when
 * it is the caller's own; otherwise the caller's organisation (only sync users create clusters on behalf of others).
 */
async function creatorOrg(ctx: RequestContext, stores: Stores, c: JsonRecord): Promise<{ id: number; uuid?: string }> {
  const own = { id: ctx.actor.org.id, uuid: ctx.actor.org.uuid };
  const trusted = ctx.actor.isSiteAdmin || ctx.actor.role.perms.perm_sync;
  if (isRecord(c.Orgc)) {
    const uuid = typeof c.Orgc.uuid === 'string' ? c.Orgc.uuid : undefined;
    if (!trusted && uuid !== ctx.actor.org.uuid) return own;
    const name = typeof c.Orgc.name === 'string' ? c.Orgc.name : undefined;
    const id = await captureOrg(ctx, stores, { ...(uuid ? { uuid } : {}), ...(name ? { name } : {}) });
    return id === undefined ? own : { id, ...(uuid ? { uuid } : {}) };
  }
  const orgcId = readInt(c.orgc_id);
  if (trusted && orgcId !== undefined && orgcId !== own.id) {
    const org = await stores.identity.findOrganisation({ id: orgcId });
    if (org) return { id: org.id, uuid: org.uuid };
  }
  return own;
}

async function captureCluster(ctx: RequestContext, stores: Stores, entry: unknown, opts: ClusterImportOptions, errors: string[]): Promise<Outcome> {
  const c = isRecord(entry) && isRecord(entry.GalaxyCluster) ? entry.GalaxyCluster : isRecord(entry) ? entry : {};
  const galaxy = await galaxyFor(ctx, stores, c);
  if (!galaxy) {
    errors.push(GALAXY_NOT_FOUND);
    return 'failed';
  }
  const uuid = typeof c.uuid === 'string' ? c.uuid.toLowerCase() : '';
  if (!isUuid(uuid)) {
    errors.push('Please provide a valid RFC 4122 UUID');
    return 'failed';
  }
  if (await stores.blocklists.isBlocked('cluster', uuid)) {
    errors.push('Blocked by blocklist');
    return 'ignored';
  }
  if (readBool(c.default) === true) {
    errors.push('Only non-default clusters can be saved');
    return 'failed';
  }
  const orgc = await creatorOrg(ctx, stores, c);
  if (orgc.uuid && orgc.id !== 0 && blocklistEnabled(ctx, 'org') && await stores.blocklists.isBlocked('org', orgc.uuid)) {
    errors.push(`Organisation blocklisted (${orgc.uuid})`);
    return 'ignored';
  }
  const input = readClusterInput(c);
  if (!input.value || input.value.trim() === '') {
    errors.push('stringNotEmpty');
    return 'failed';
  }
  const distribution = input.distribution ?? ctx.settings.num('MISP.default_event_distribution');
  if (![0, 1, 2, 3, 4].includes(distribution)) {
    errors.push('Options: Your organisation only, This community only, Connected communities, All communities, Sharing group');
    return 'failed';
  }
  let sharingGroupId: number | null = null;
  if (distribution === 4) {
    sharingGroupId = isRecord(c.SharingGroup)
      ? await captureSharingGroup(ctx, stores, readSharingGroupInput(c.SharingGroup), { viaSync: opts.viaSync ?? false }) ?? null
      : (await mayUseSharingGroup(ctx, stores, input.sharingGroupId ?? null) ? input.sharingGroupId ?? null : null);
    if (sharingGroupId === null) {
      errors.push(`Could not capture the sharing group of cluster (${uuid})`);
      return 'failed';
    }
  }
  const [existing] = await stores.galaxies.findClusters({ uuids: [uuid] }, { siteAdmin: true });
  const version = input.version ?? ctx.now;
  if (existing) {
    if (!existing.locked) {
      errors.push('Blocked an edit to an cluster that was created locally. This can happen if a synchronised cluster that was created on this instance was modified by an administrator on the remote side.');
      return 'failed';
    }
    if (version <= existing.version) {
      errors.push(`Remote version is not newer than local one for cluster (${uuid})`);
      return 'ignored';
    }
  }
  // An update keeps the cluster's id and, when none are sent, its elements (GalaxyCluster::captureCluster).
  const keptElements = existing && input.elements.length === 0 ? (await stores.galaxies.clusterElements([existing.id])).get(existing.id) ?? [] : [];
  if (existing) await stores.galaxies.deleteCluster(existing.id);
  const cluster = await stores.galaxies.createCluster({
    ...(existing ? { id: existing.id } : {}),
    uuid, collectionUuid: typeof c.collection_uuid === 'string' ? c.collection_uuid : '', type: galaxy.type, value: input.value,
    tagName: clusterTagName(galaxy.type, uuid), description: input.description ?? '', galaxyId: galaxy.id, source: input.source ?? '',
    authors: input.authors ?? [], version, distribution, sharingGroupId, orgId: ctx.actor.org.id, orgcId: orgc.id,
    isDefault: false, locked: true, extendsUuid: input.extendsUuid ?? null, extendsVersion: input.extendsVersion ?? null,
    published: readBool(c.published) === true,
  });
  const elements = input.elements.length ? input.elements : keptElements.map((e) => ({ key: e.key, value: e.value }));
  if (elements.length) await stores.galaxies.replaceElements(cluster.id, elements);
  const relationErrors: string[] = [];
  for (const r of input.relations) relationErrors.push(...await saveRelation(ctx, stores, cluster, r, true));
  if (relationErrors.length) errors.push(`Issues while capturing relations of cluster (${uuid}): ${relationErrors.join(', ')}`);
  return 'imported';
}

/** Imports every cluster of `body` (a list, or one cluster). Run it inside a transaction. */
export async function importGalaxyAndClusters(ctx: RequestContext, stores: Stores, body: unknown, opts: ClusterImportOptions = {}): Promise<ClusterImportResult> {
  const entries = Array.isArray(body) ? body : isRecord(body) && isRecord(body.GalaxyCluster) ? [body] : asList(body);
  const counts = { imported: 0, ignored: 0, failed: 0 };
  const errors: string[] = [];
  for (const entry of entries) counts[await captureCluster(ctx, stores, entry, opts, errors)]++;
  return { ...counts, errors };
}

/** GalaxiesController::import's message: "Galaxy clusters imported. 1 imported, 0 ignored, 0 failed. …". */
export function clusterImportMessage(r: ClusterImportResult): { ok: boolean; message: string } {
  const ok = !(r.failed > 0 && r.imported === 0);
  const counts = `${r.imported} imported, ${r.ignored} ignored, ${r.failed} failed. ${r.errors.join(', ')}`;
  return { ok, message: ok ? `Galaxy clusters imported. ${counts}` : `Could not import galaxy clusters. ${counts}` };
}
