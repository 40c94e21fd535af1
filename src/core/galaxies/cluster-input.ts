import { asList, isRecord, type JsonRecord, readText } from '../misp-format/input-readers.js';
import { readInt } from '../misp-format/scalars.js';

/**
 * The body of galaxy_clusters/add and /edit as MISP reads it (GalaxyClustersController): optionally wrapped in
 * `{"GalaxyCluster": …}`, elements as `GalaxyElement: [{key, value}]` or a JSON string `elements`, authors as a list,
 * a JSON string or a comma-separated string, relations as `GalaxyClusterRelation: [...]`.
 */
export interface ClusterInput {
  readonly value?: string;
  readonly description?: string;
  readonly source?: string;
  readonly authors?: readonly string[];
  readonly distribution?: number;
  readonly sharingGroupId?: number | null;
  readonly uuid?: string;
  readonly version?: number;
  readonly extendsUuid?: string;
  readonly extendsVersion?: number;
  /** undefined when the body had no elements at all; MISP's edit then still replaces them with none. */
  readonly elements: readonly { key: string; value: string }[];
  readonly relations: readonly RelationInput[];
  /** Set when `elements` was sent and is not valid JSON (MISP: "Invalid JSON"). */
  readonly invalidJson: boolean;
}

export interface RelationInput {
  readonly referencedUuid: string | undefined;
  readonly type: string | undefined;
  readonly distribution: number;
  readonly sharingGroupId: number | null;
  /** Tag names from `tags` (list or comma string), `Tag` or `GalaxyClusterRelationTag` (GalaxyClusterRelation::saveRelation). */
  readonly tags: readonly string[];
  /** Whether the body named the tags at all (an edit then sets them to exactly these, else keeps them). */
  readonly tagsGiven: boolean;
}

export function unwrapCluster(body: unknown): JsonRecord {
  const b = isRecord(body) ? body : {};
  return isRecord(b.GalaxyCluster) ? b.GalaxyCluster : b;
}

function readAuthors(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  if (v === null || v === '' || (Array.isArray(v) && v.length === 0)) return [];
  if (Array.isArray(v)) return v.map((a) => readText(a) ?? '').filter((a) => a !== '');
  if (typeof v === 'string') {
    try {
      const decoded = JSON.parse(v) as unknown;
      if (Array.isArray(decoded)) return decoded.map(String);
    } catch {
      // not JSON: comma separated (GalaxyClustersController::edit)
    }
    return v.split(',').map((a) => a.trim());
  }
  return [];
}

function readTagNames(r: JsonRecord): string[] {
  if (typeof r.tags === 'string') return r.tags.split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (Array.isArray(r.tags) && r.tags.length) return r.tags.filter((t): t is string => typeof t === 'string');
  for (const k of ['GalaxyClusterRelationTag', 'Tag']) {
    const list = asList(r[k]).filter(isRecord).map((t) => (isRecord(t.Tag) ? t.Tag : t));
    if (list.length) return list.map((t) => readText(t.name) ?? '').filter((n) => n !== '');
  }
  return [];
}

export function readRelation(raw: JsonRecord): RelationInput {
  const r = isRecord(raw.GalaxyClusterRelation) ? raw.GalaxyClusterRelation : raw;
  const distribution = readInt(r.distribution) ?? 0;
  return {
    referencedUuid: typeof r.referenced_galaxy_cluster_uuid === 'string' ? r.referenced_galaxy_cluster_uuid.toLowerCase() : undefined,
    type: readText(r.referenced_galaxy_cluster_type),
    distribution,
    sharingGroupId: distribution === 4 ? readInt(r.sharing_group_id) ?? null : null,
    tags: readTagNames(r),
    tagsGiven: ['tags', 'Tag', 'GalaxyClusterRelationTag'].some((k) => r[k] !== undefined),
  };
}

export function readClusterInput(body: unknown): ClusterInput {
  const c = unwrapCluster(body);
  let elements: { key: string; value: string }[] = [];
  let invalidJson = false;
  const elementList = (list: unknown[]) => list.filter(isRecord)
    .map((e) => ({ key: readText(e.key) ?? '', value: readText(e.value) ?? '' }));
  if (typeof c.elements === 'string' && c.elements !== '') {
    try {
      elements = elementList(asList(JSON.parse(c.elements)));
    } catch {
      invalidJson = true;
    }
  } else {
    elements = elementList(asList(c.GalaxyElement));
  }
  const distribution = readInt(c.distribution);
  const text = (v: unknown) => (v === undefined || v === null ? undefined : readText(v));
  const extendsUuid = text(c.extends_uuid);
  const out: ClusterInput = {
    elements,
    relations: asList(c.GalaxyClusterRelation).filter(isRecord).map(readRelation),
    invalidJson,
    ...(text(c.value) !== undefined ? { value: text(c.value)! } : {}),
    ...(text(c.description) !== undefined ? { description: text(c.description)! } : {}),
    ...(text(c.source) !== undefined ? { source: text(c.source)! } : {}),
    ...(readAuthors(c.authors) !== undefined ? { authors: readAuthors(c.authors)! } : {}),
    ...(distribution !== undefined ? { distribution } : {}),
    ...(c.sharing_group_id !== undefined ? { sharingGroupId: readInt(c.sharing_group_id) ?? null } : {}),
    ...(typeof c.uuid === 'string' && c.uuid !== '' ? { uuid: c.uuid.toLowerCase() } : {}),
    ...(readInt(c.version) !== undefined ? { version: readInt(c.version)! } : {}),
    ...(extendsUuid ? { extendsUuid: extendsUuid.toLowerCase() } : {}),
    ...(readInt(c.extends_version) !== undefined ? { extendsVersion: readInt(c.extends_version)! } : {}),
  };
  return out;
}
