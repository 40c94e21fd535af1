import { defaultTagColour } from '../tags/tag-colour.js';
import type { ClusterHead, ClusterRow, RelationRow } from '../ports/galaxy-store.js';
import type { Storage, Stores } from '../ports/stores.js';
import { CUSTOM_GALAXY_TAG_RE, GALAXY_TAG_RE, clusterTagName } from './galaxy-model.js';
import { type ClusterPack, type ClusterPackValue, type GalaxyPackEntry, listGalaxyPack, readClusterPack } from './galaxy-pack.js';

/**
 * galaxies/update (Galaxy::update, spec §3.5): loads the misp-galaxy pack into the galaxy tables. One transaction
 * per galaxy file, every write a batch under the dialect's parameter limit, so the ~46,000 shipped clusters import
 * in seconds. Idempotent: a galaxy is rewritten only when its version grew (or its icon changed), a default cluster
 * only when the file carries a higher version; a re-imported cluster keeps its id. Relations are stored unresolved
 * and pointed at their target clusters by one statement at the end, as MISP's bulkSaveRelations does.
 */

export interface KnowledgePackProgress {
  (event: { readonly kind: string; readonly done: number; readonly total: number; readonly item?: string }): void;
}

export interface GalaxyImportReport {
  readonly galaxiesCreated: number;
  readonly galaxiesUpdated: number;
  readonly clustersCreated: number;
  readonly clustersUpdated: number;
  readonly clustersUnchanged: number;
  readonly elements: number;
  readonly relations: number;
  readonly warnings: readonly string[];
  readonly ms: number;
}

interface Counters {
  galaxiesCreated: number;
  galaxiesUpdated: number;
  clustersCreated: number;
  clustersUpdated: number;
  clustersUnchanged: number;
  elements: number;
  relations: number;
}

const zeroCounters = (): Counters => ({
  galaxiesCreated: 0, galaxiesUpdated: 0, clustersCreated: 0, clustersUpdated: 0, clustersUnchanged: 0, elements: 0, relations: 0,
});

const key = (uuid: string, value: string): string => `${uuid}\u0000${value}`;

function group<T>(items: readonly T[], k: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of items) {
    const list = out.get(k(x));
    if (list) list.push(x);
    else out.set(k(x), [x]);
  }
  return out;
}

/** Tag ids for relation tag names, creating the missing ones (Tag::quickAdd in bulkSaveRelations). */
async function relationTagIds(stores: Stores, names: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (names.length === 0) return out;
  const found = await stores.tags.findByNames(names);
  for (const name of new Set(names)) {
    let tag = found.get(name.toLowerCase());
    if (!tag) {
      tag = await stores.tags.findOrCreate({
        name, colour: defaultTagColour(name), isGalaxy: GALAXY_TAG_RE.test(name), isCustomGalaxy: CUSTOM_GALAXY_TAG_RE.test(name),
      });
      found.set(name.toLowerCase(), tag);
    }
    out.set(name, tag.id);
  }
  return out;
}

/** Which default clusters of one galaxy to write: new ones, and outdated ones re-inserted under their old ids. */
function plan(heads: readonly ClusterHead[], values: readonly ClusterPackValue[], force: boolean) {
  const existing = group(heads, (h) => key(h.uuid, h.value));
  const write: { value: ClusterPackValue; id?: number }[] = [];
  const deleteIds: number[] = [];
  let updated = 0;
  let unchanged = 0;
  for (const [k, entries] of group(values, (v) => key(v.uuid, v.value))) {
    const old = existing.get(k);
    if (!old) {
      for (const value of entries) write.push({ value });
      continue;
    }
    const newest = Math.max(...old.map((h) => h.version));
    if (!force && newest >= entries[0]!.version) {
      unchanged += entries.length;
      continue;
    }
    deleteIds.push(...old.map((h) => h.id));
    entries.forEach((value, n) => write.push(n < old.length ? { value, id: old[n]!.id } : { value }));
    updated += entries.length;
  }
  return { write, deleteIds, updated, unchanged };
}

function clusterRow(pack: ClusterPack, galaxyId: number, v: ClusterPackValue, id: number | undefined): ClusterRow {
  return {
    ...(id !== undefined ? { id } : {}),
    uuid: v.uuid, collectionUuid: pack.collectionUuid, type: pack.type, value: v.value, tagName: clusterTagName(pack.type, v.value),
    description: v.description, galaxyId, source: pack.source, authors: pack.authors, version: v.version,
    // Galaxy::__createClusters: shipped clusters are visible to all communities, owned by nobody, never published
    distribution: 3, sharingGroupId: null, orgId: 0, orgcId: 0, isDefault: true, locked: false, extendsUuid: '',
    extendsVersion: 0, published: false,
  };
}

async function importOne(stores: Stores, entry: GalaxyPackEntry, pack: ClusterPack, existing: { id: number; version: string; icon: string } | undefined,
  force: boolean, known: ReadonlyMap<string, number>, added: Map<string, number>, c: Counters): Promise<void> {
  const g = entry.galaxy;
  let galaxyId: number;
  if (!existing) {
    galaxyId = await stores.galaxies.insertGalaxy(g);
    c.galaxiesCreated++;
  } else {
    galaxyId = existing.id;
    if (force || Number(existing.version) < Number(g.version) || (g.icon !== '' && existing.icon !== g.icon)) {
      await stores.galaxies.updateGalaxy(galaxyId, g);
      c.galaxiesUpdated++;
    }
  }
  const p = plan(await stores.galaxies.defaultClusterHeads(galaxyId), pack.values, force);
  c.clustersUnchanged += p.unchanged;
  c.clustersUpdated += p.updated;
  c.clustersCreated += p.write.length - p.updated;
  if (p.write.length === 0) return;
  if (p.deleteIds.length) await stores.galaxies.deleteClusters(p.deleteIds);
  // Rows keeping their id and rows getting a new one go in separate batches: a VALUES list cannot mix both on SQLite.
  const keep = p.write.filter((w) => w.id !== undefined);
  const fresh = p.write.filter((w) => w.id === undefined);
  const written = [...keep, ...fresh];
  const ids = [
    ...await stores.galaxies.insertClusters(keep.map((w) => clusterRow(pack, galaxyId, w.value, w.id))),
    ...await stores.galaxies.insertClusters(fresh.map((w) => clusterRow(pack, galaxyId, w.value, undefined))),
  ];
  written.forEach((w, n) => {
    const prev = added.get(w.value.uuid) ?? known.get(w.value.uuid);
    if (prev === undefined || ids[n]! < prev) added.set(w.value.uuid, ids[n]!);
  });
  const elements = written.flatMap((w, n) => w.value.meta.map((m) => ({ clusterId: ids[n]!, key: m.key, value: m.value })));
  await stores.galaxies.insertElements(elements);
  c.elements += elements.length;
  const relations: RelationRow[] = [];
  const relationTags: string[][] = [];
  written.forEach((w, n) => {
    for (const r of w.value.related) {
      relations.push({
        // Targets imported already resolve now; the rest by resolveRelationTargets once every file is in.
        clusterId: ids[n]!, clusterUuid: w.value.uuid, referencedUuid: r.destUuid, referencedType: r.type,
        referencedId: added.get(r.destUuid) ?? known.get(r.destUuid) ?? 0,
        distribution: 3, sharingGroupId: null, isDefault: true,
      });
      relationTags.push([...r.tags]);
    }
  });
  const relationIds = await stores.galaxies.insertRelations(relations);
  c.relations += relations.length;
  const tagIds = await relationTagIds(stores, relationTags.flat());
  await stores.galaxies.insertRelationTags(relationIds.flatMap((relationId, n) =>
    [...new Set(relationTags[n])].map((name) => ({ relationId, tagId: tagIds.get(name)! }))));
}

/**
 * Imports every galaxy of `<dataPacks>/galaxy`. `force` rewrites everything (MISP's `force:1`). Problems with
 * individual files are reported in `warnings`; a database error aborts only that galaxy's transaction and is
 * reported as well.
 */
export async function importGalaxies(storage: Storage, dataPacks: string, opts: { force?: boolean; progress?: KnowledgePackProgress } = {}): Promise<GalaxyImportReport> {
  const started = performance.now();
  const { entries, warnings } = listGalaxyPack(dataPacks);
  const c = zeroCounters();
  const existing = new Map((await storage.galaxies.listGalaxies()).map((g) => [g.uuid, g]));
  const known = await storage.galaxies.clusterIdsByUuid();
  const read = (entry: GalaxyPackEntry): ClusterPack | Error => {
    try {
      return readClusterPack(entry.clustersFile, warnings);
    } catch (err) {
      return err as Error;
    }
  };
  let next = entries.length ? read(entries[0]!) : undefined;
  let done = 0;
  for (const [n, entry] of entries.entries()) {
    opts.progress?.({ kind: 'galaxies', done, total: entries.length, item: entry.galaxy.name });
    const pack = next!;
    let work: Promise<void> = Promise.resolve();
    if (pack instanceof Error) {
      warnings.push(`${entry.clustersFile}: ${pack.message}`);
    } else if (pack.type !== entry.galaxy.type) {
      warnings.push(`${entry.clustersFile}: type ${pack.type} does not match galaxy type ${entry.galaxy.type}, galaxy skipped`);
    } else {
      // Counted per galaxy and added only once its transaction committed, so a failed file leaves no trace in the report.
      // Likewise the cluster ids it created become relation targets for later files only after the commit.
      const local = zeroCounters();
      const added = new Map<string, number>();
      work = storage.transaction((tx) => importOne(tx, entry, pack, existing.get(entry.galaxy.uuid), opts.force ?? false, known, added, local))
        .then(() => {
          for (const k of Object.keys(c) as (keyof Counters)[]) c[k] += local[k];
          for (const [uuid, id] of added) known.set(uuid, id);
        }, (err: unknown) => { warnings.push(`${entry.clustersFile}: ${(err as Error).message}`); });
    }
    // Parse the next file while the database works on this one (PostgreSQL runs in its own process): let the
    // transaction send its first statement, then read.
    if (n + 1 < entries.length) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      next = read(entries[n + 1]!);
    }
    await work;
    done++;
  }
  // Nothing written, nothing to resolve: a re-run over an up-to-date pack skips the update and the statistics refresh.
  if (c.clustersCreated + c.clustersUpdated > 0) await storage.transaction((tx) => tx.galaxies.resolveRelationTargets());
  opts.progress?.({ kind: 'galaxies', done, total: entries.length });
  return { ...c, warnings, ms: Math.round(performance.now() - started) };
}
