import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GalaxyRow } from '../ports/galaxy-store.js';

/**
 * Reads the misp-galaxy data pack (`<dataPacks>/galaxy/galaxies/*.json` and `galaxy/clusters/*.json`) into plain
 * records for the import (Galaxy::update, spec §3.5). A galaxy whose clusters file is absent (the pack omits a few files larger than 4 MiB) is reported and
 * skipped. Nothing here touches the database.
 */

export interface GalaxyPackEntry {
  readonly file: string;
  readonly galaxy: GalaxyRow;
  /** The clusters file for this galaxy's type. */
  readonly clustersFile: string;
}

export interface ClusterPackRelation {
  readonly destUuid: string;
  readonly type: string;
  readonly tags: readonly string[];
}

export interface ClusterPackValue {
  readonly uuid: string;
  readonly value: string;
  readonly description: string;
  readonly version: number;
  /** `meta` flattened to key/value pairs in file order (a list becomes one pair per item). */
  readonly meta: readonly { key: string; value: string }[];
  readonly related: readonly ClusterPackRelation[];
}

export interface ClusterPack {
  readonly type: string;
  readonly collectionUuid: string;
  readonly source: string;
  readonly authors: readonly string[];
  readonly values: readonly ClusterPackValue[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback);

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function jsonFiles(dir: string, warnings: string[]): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch (err) {
    warnings.push(`${dir}: cannot list (${(err as Error).message})`);
    return [];
  }
}

/** One galaxy definition as MISP saves it (Galaxy::beforeValidate JSON-encodes kill_chain_order). */
export function parseGalaxy(raw: unknown): GalaxyRow | string {
  if (!isObject(raw)) return 'not a JSON object';
  const { uuid, type, name } = raw;
  if (typeof uuid !== 'string' || uuid === '') return 'no uuid';
  if (typeof type !== 'string' || type === '') return 'no type';
  const order = raw.kill_chain_order;
  return {
    uuid: uuid.toLowerCase(), name: str(name), type, description: str(raw.description), version: str(raw.version, '1'),
    icon: str(raw.icon), namespace: str(raw.namespace, 'misp'),
    killChainOrder: isObject(order) && Object.keys(order).length > 0 ? JSON.stringify(order) : null,
  };
}

/**
 * The galaxy definitions with their clusters files, in file-name order (which fixes galaxy ids on a fresh import).
 * misp-galaxy names a galaxy's clusters file like its definition; MISP matches them by `type`, which the import
 * checks once the clusters file is parsed.
 */
export function listGalaxyPack(dataPacks: string): { entries: GalaxyPackEntry[]; warnings: string[] } {
  const warnings: string[] = [];
  const galaxyDir = join(dataPacks, 'galaxy', 'galaxies');
  const clusterDir = join(dataPacks, 'galaxy', 'clusters');
  const clusterFiles = new Set(jsonFiles(clusterDir, warnings));
  const entries: GalaxyPackEntry[] = [];
  for (const f of jsonFiles(galaxyDir, warnings)) {
    const path = join(galaxyDir, f);
    let parsed: GalaxyRow | string;
    try {
      parsed = parseGalaxy(readJson(path));
    } catch (err) {
      parsed = (err as Error).message;
    }
    if (typeof parsed === 'string') {
      warnings.push(`${path}: ${parsed}, skipped`);
      continue;
    }
    if (!clusterFiles.has(f)) {
      warnings.push(`${path}: clusters file ${join(clusterDir, f)} is absent, galaxy skipped`);
      continue;
    }
    entries.push({ file: path, galaxy: parsed, clustersFile: join(clusterDir, f) });
  }
  return { entries, warnings };
}

function metaPairs(meta: unknown, where: string, warnings: string[]): { key: string; value: string }[] {
  if (!isObject(meta)) return [];
  const out: { key: string; value: string }[] = [];
  for (const [key, raw] of Object.entries(meta)) {
    for (const v of Array.isArray(raw) ? raw : [raw]) {
      // Galaxy::__createClusters skips (and logs) meta values that are themselves arrays.
      if (typeof v === 'object' && v !== null) warnings.push(`${where}: meta ${key} holds a nested value, skipped`);
      else if (v !== null && v !== undefined) out.push({ key, value: typeof v === 'boolean' ? (v ? '1' : '') : String(v) });
    }
  }
  return out;
}

/** Parses one clusters file; values without a value or uuid are reported and left out. */
export function readClusterPack(path: string, warnings: string[]): ClusterPack {
  const raw = readJson(path);
  if (!isObject(raw) || !Array.isArray(raw.values)) throw new Error(`${path}: not a misp-galaxy clusters file`);
  const packVersion = typeof raw.version === 'number' ? raw.version : Number(raw.version) || 0;
  const values: ClusterPackValue[] = [];
  for (const v of raw.values) {
    if (!isObject(v) || typeof v.value !== 'string' || v.value === '') {
      warnings.push(`${path}: a cluster without value, skipped`);
      continue;
    }
    if (typeof v.uuid !== 'string' || v.uuid === '') {
      warnings.push(`${path}: cluster ${v.value} has no uuid, skipped`);
      continue;
    }
    const own = typeof v.version === 'number' ? v.version : undefined;
    const related = Array.isArray(v.related) ? v.related.filter(isObject).filter((r) => typeof r['dest-uuid'] === 'string').map((r) => ({
      destUuid: (r['dest-uuid'] as string).toLowerCase(),
      type: str(r.type),
      tags: Array.isArray(r.tags) ? r.tags.filter((t): t is string => typeof t === 'string') : [],
    })) : [];
    values.push({
      uuid: v.uuid.toLowerCase(), value: v.value, description: str(v.description),
      // Galaxy::__deleteOutdated / __createClusters: own version, else the file's, and 1 when that is empty
      version: own || packVersion || 1,
      meta: metaPairs(v.meta, `${path} ${v.uuid}`, warnings), related,
    });
  }
  return {
    type: str(raw.type), collectionUuid: str(raw.uuid).toLowerCase(), source: str(raw.source),
    authors: Array.isArray(raw.authors) ? raw.authors.map((a) => String(a)) : [], values,
  };
}
