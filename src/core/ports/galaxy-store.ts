import type {
  ClusterViewer, Galaxy, GalaxyCluster, GalaxyClusterRelation, GalaxyElement,
} from '../galaxies/galaxy-model.js';

/** A galaxy as read from `galaxy/galaxies/<name>.json`, or as captured from a pushed cluster. */
export interface GalaxyRow {
  readonly uuid: string;
  readonly name: string;
  readonly type: string;
  readonly description: string;
  readonly version: string;
  readonly icon: string;
  readonly namespace: string;
  /** JSON text, null when none. */
  readonly killChainOrder: string | null;
}

/** The columns of a cluster insert; `id` only when a re-imported default cluster keeps its id. */
export interface ClusterRow {
  readonly id?: number;
  readonly uuid: string;
  readonly collectionUuid: string;
  readonly type: string;
  readonly value: string;
  readonly tagName: string;
  readonly description: string;
  readonly galaxyId: number;
  readonly source: string;
  readonly authors: readonly string[];
  readonly version: number;
  readonly distribution: number;
  readonly sharingGroupId: number | null;
  readonly orgId: number;
  readonly orgcId: number;
  readonly isDefault: boolean;
  readonly locked: boolean;
  readonly extendsUuid: string | null;
  readonly extendsVersion: number | null;
  readonly published: boolean;
}

export type ClusterPatch = Partial<Pick<ClusterRow, 'value' | 'description' | 'source' | 'authors' | 'version' | 'distribution'
  | 'sharingGroupId' | 'isDefault' | 'published' | 'extendsVersion'>> & { readonly deleted?: boolean };

export interface ElementRow {
  readonly clusterId: number;
  readonly key: string;
  readonly value: string;
}

export interface RelationRow {
  readonly clusterId: number;
  readonly clusterUuid: string;
  readonly referencedUuid: string;
  readonly referencedType: string;
  /** 0 when unknown; `resolveRelationTargets` fills it in later. */
  readonly referencedId: number;
  readonly distribution: number;
  readonly sharingGroupId: number | null;
  readonly isDefault: boolean;
}

/** Which clusters to read. Every member narrows (AND); absent members do not filter. */
export interface ClusterFilter {
  readonly ids?: readonly number[];
  readonly uuids?: readonly string[];
  readonly galaxyIds?: readonly number[];
  /** Compared case-insensitively, as MISP's collation does. */
  readonly tagNames?: readonly string[];
  readonly values?: readonly string[];
  readonly extendsUuids?: readonly string[];
  readonly versions?: readonly number[];
  readonly distributions?: readonly number[];
  readonly isDefault?: boolean;
  readonly deleted?: boolean;
  readonly published?: boolean;
  readonly orgIds?: readonly number[];
  readonly orgcIds?: readonly number[];
  /** galaxy_clusters/index `searchall`: value or description contains it (any case), equals the uuid, or a synonym contains it. */
  readonly search?: string;
  readonly limit?: number;
  /** 1-based, with `limit`. */
  readonly page?: number;
}

/** Which relations to read (galaxy_cluster_relations/index). Every member narrows (AND). */
export interface RelationFilter {
  readonly ids?: readonly number[];
  readonly isDefault?: boolean;
  /** `searchall`: the relation type, or the value or tag name of the source or target cluster, contains it (any case). */
  readonly search?: string;
  readonly limit?: number;
  /** 1-based, with `limit`. */
  readonly page?: number;
}

/** The head of a default cluster, enough for the import to decide what changed. */
export interface ClusterHead {
  readonly id: number;
  readonly uuid: string;
  readonly value: string;
  readonly version: number;
}

/**
 * Persistence of galaxies, clusters, their elements and relations (spec §1.2). Bulk methods chunk their
 * statements under the dialect's parameter limit; none loops over rows with one statement each.
 */
export interface GalaxyStore {
  // ---- galaxies
  /** Ordered by id. `search` is a case-insensitive substring of name, namespace, description, kill chain order or uuid. */
  listGalaxies(filter?: { readonly search?: string; readonly enabled?: boolean; readonly ids?: readonly number[] }): Promise<Galaxy[]>;
  findGalaxy(ref: { readonly id: number } | { readonly uuid: string } | { readonly type: string }): Promise<Galaxy | undefined>;
  insertGalaxy(row: GalaxyRow): Promise<number>;
  updateGalaxy(id: number, row: GalaxyRow): Promise<void>;
  setGalaxyEnabled(id: number, enabled: boolean): Promise<void>;
  /** The galaxy and every cluster of it, with their elements and relations (Galaxy::beforeDelete). */
  deleteGalaxy(id: number): Promise<void>;

  // ---- clusters
  /** Clusters matching `filter` that `viewer` may see, ordered by id. */
  findClusters(filter: ClusterFilter, viewer: ClusterViewer): Promise<GalaxyCluster[]>;
  countClusters(filter: ClusterFilter, viewer: ClusterViewer): Promise<number>;
  /** Elements of these clusters in insertion order, keyed by cluster id. */
  clusterElements(clusterIds: readonly number[]): Promise<Map<number, GalaxyElement[]>>;
  /** Outgoing relations (with their tags) of these clusters that `viewer` may see, keyed by source cluster id. */
  clusterRelations(clusterIds: readonly number[], viewer: ClusterViewer): Promise<Map<number, GalaxyClusterRelation[]>>;
  /** Relations of visible clusters pointing at these clusters, keyed by the referenced cluster id. */
  targetingRelations(clusterIds: readonly number[], viewer: ClusterViewer): Promise<Map<number, GalaxyClusterRelation[]>>;
  /** Inserts one cluster; returns it. */
  createCluster(row: ClusterRow): Promise<GalaxyCluster>;
  updateCluster(id: number, patch: ClusterPatch): Promise<void>;
  /** Hard delete: elements, relations and relation tags go with it; relations pointing at it become unresolved. */
  deleteCluster(id: number): Promise<void>;
  /** Deletes the cluster's elements and inserts these. */
  replaceElements(clusterId: number, elements: readonly { key: string; value: string }[]): Promise<void>;
  /** The relation from `clusterUuid` to `referencedUuid` of this type, if any. */
  findRelationByKey(clusterUuid: string, referencedUuid: string, type: string): Promise<GalaxyClusterRelation | undefined>;
  findRelation(id: number, viewer: ClusterViewer): Promise<GalaxyClusterRelation | undefined>;
  /** Relations (with their tags) matching `filter` that `viewer` may see, ordered by id. */
  findRelations(filter: RelationFilter, viewer: ClusterViewer): Promise<GalaxyClusterRelation[]>;
  /** Inserts, or updates the relation `id`; returns its id. */
  saveRelation(row: RelationRow, id?: number): Promise<number>;
  deleteRelation(id: number): Promise<void>;
  /** Adds tags to a relation; tags already on it are skipped. */
  addRelationTags(relationId: number, tagIds: readonly number[]): Promise<void>;
  /** Sets the relation's tags to exactly these. */
  replaceRelationTags(relationId: number, tagIds: readonly number[]): Promise<void>;
  /** The id of a visible cluster with this uuid, for relation targets (MISP takes the first). */
  clusterIdByUuid(uuid: string): Promise<number | undefined>;

  // ---- bulk import (galaxies/update)
  /** Default clusters of one galaxy. */
  defaultClusterHeads(galaxyId: number): Promise<ClusterHead[]>;
  /** Deletes clusters with everything hanging off them. */
  deleteClusters(ids: readonly number[]): Promise<void>;
  /** galaxies/wipe_default: every default cluster with everything hanging off them; returns how many went. */
  wipeDefaultClusters(): Promise<number>;
  /** Batch insert; returns the ids in input order. */
  insertClusters(rows: readonly ClusterRow[]): Promise<number[]>;
  insertElements(rows: readonly ElementRow[]): Promise<void>;
  /** Batch insert; returns the ids in input order. */
  insertRelations(rows: readonly RelationRow[]): Promise<number[]>;
  insertRelationTags(rows: readonly { relationId: number; tagId: number }[]): Promise<void>;
  /** The lowest cluster id per uuid (relation targets resolve to it, like MISP's first match). */
  clusterIdsByUuid(): Promise<Map<string, number>>;
  /** Fills `referenced_galaxy_cluster_id` of unresolved relations whose target uuid is now known (one statement). */
  resolveRelationTargets(): Promise<void>;
  /** Counts for reports and tests. */
  totals(): Promise<{ galaxies: number; clusters: number; elements: number; relations: number }>;
}
