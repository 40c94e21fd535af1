import type { Tag } from '../model/event.js';

/**
 * Galaxies and their clusters in domain form (spec §1.2, §2.6). A cluster is attached to events and attributes
 * through a tag named by its `tagName`; `isDefault` clusters come from the misp-galaxy data pack and are read-only.
 */
export interface Galaxy {
  readonly id: number;
  readonly uuid: string;
  readonly name: string;
  readonly type: string;
  readonly description: string;
  /** MISP stores the galaxy version as varchar. */
  readonly version: string;
  readonly icon: string;
  readonly namespace: string;
  readonly enabled: boolean;
  readonly localOnly: boolean;
  /** Kill chain name → ordered phases, null when the galaxy has none (MISP then omits the key). */
  readonly killChainOrder: Readonly<Record<string, readonly string[]>> | null;
}

export interface GalaxyCluster {
  readonly id: number;
  readonly uuid: string;
  readonly collectionUuid: string;
  readonly type: string;
  readonly value: string;
  readonly tagName: string;
  readonly description: string;
  readonly galaxyId: number;
  readonly source: string;
  readonly authors: readonly string[] | null;
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
  readonly deleted: boolean;
}

/** One `meta` key/value pair of a cluster (synonyms, refs, country, kill_chain…). */
export interface GalaxyElement {
  readonly id: number;
  readonly galaxyClusterId: number;
  readonly key: string;
  readonly value: string;
}

export interface GalaxyClusterRelation {
  readonly id: number;
  readonly galaxyClusterId: number;
  /** 0 while the referenced cluster is not known on this instance. */
  readonly referencedGalaxyClusterId: number;
  readonly referencedGalaxyClusterUuid: string;
  readonly referencedGalaxyClusterType: string;
  readonly galaxyClusterUuid: string;
  readonly distribution: number;
  readonly sharingGroupId: number | null;
  readonly isDefault: boolean;
  readonly tags: readonly Tag[];
}

/**
 * Whose eyes a cluster query uses (GalaxyCluster::buildConditions, spec §4.2 applied to clusters): site admins
 * see everything; others see their organisation's clusters, distribution 1–3, and sharing groups they belong to.
 */
export type ClusterViewer =
  | { readonly siteAdmin: true }
  | { readonly siteAdmin: false; readonly orgId: number; readonly sharingGroupIds: readonly number[] };

/** A cluster with everything `galaxy_clusters/view` shows (GalaxyCluster::fetchGalaxyClusters with `$full`). */
export interface ClusterDetail {
  readonly cluster: GalaxyCluster;
  readonly galaxy: Galaxy | undefined;
  readonly elements: readonly GalaxyElement[];
  readonly relations: readonly GalaxyClusterRelation[];
  /** Relations of other clusters pointing at this one. */
  readonly targeting: readonly GalaxyClusterRelation[];
}

/** Tag names MISP derives the galaxy flags of a tag from (Tag::RE_GALAXY / RE_CUSTOM_GALAXY). */
export const GALAXY_TAG_RE = /misp-galaxy:[^:="]+="[^:="]+/i;
export const CUSTOM_GALAXY_TAG_RE = /misp-galaxy:[^:="]+="[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}"/i;

/** `misp-galaxy:<type>="<value or uuid>"`: default clusters use their value, custom ones their uuid. */
export const clusterTagName = (type: string, valueOrUuid: string): string => `misp-galaxy:${type}="${valueOrUuid}"`;
