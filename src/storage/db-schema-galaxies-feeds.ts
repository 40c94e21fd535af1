import type { Generated } from 'kysely';
import type { Default } from './db-schema.js';

/**
 * Row types of the tables of migration 0004 (spec §1.2, §1.4): galaxies with their clusters, elements and
 * relations, object templates, decaying models and feeds. MISP's column names (`meta-category` and
 * `ui-priority` become `meta_category` / `ui_priority`); flags are 0/1 integers; JSON lives in text columns.
 */
export interface GalaxiesTable {
  id: Generated<number>;
  uuid: string;
  name: string;
  type: string;
  description: string;
  version: string;
  icon: string;
  namespace: string;
  enabled: Default<number>;
  local_only: Default<number>;
  /** JSON object (kill chain name → phases); NULL when the galaxy has none. */
  kill_chain_order: string | null;
}

export interface GalaxyClustersTable {
  id: Generated<number>;
  uuid: string;
  collection_uuid: string;
  type: string;
  value: string;
  tag_name: string;
  /** tag_name lower-cased in JS: the tag → cluster lookup is case-insensitive (MISP's collation). */
  tag_name_lower: string;
  description: string;
  galaxy_id: number;
  source: string;
  /** JSON list of authors. */
  authors: string;
  version: number;
  distribution: number;
  sharing_group_id: number | null;
  org_id: number;
  orgc_id: number;
  default: number;
  locked: number;
  extends_uuid: string | null;
  extends_version: number | null;
  published: number;
  deleted: number;
}

export interface GalaxyElementsTable {
  id: Generated<number>;
  galaxy_cluster_id: number;
  key: string;
  value: string;
}

export interface GalaxyClusterRelationsTable {
  id: Generated<number>;
  galaxy_cluster_id: number;
  /** 0 while the referenced cluster is unknown here. */
  referenced_galaxy_cluster_id: number;
  referenced_galaxy_cluster_uuid: string;
  referenced_galaxy_cluster_type: string;
  galaxy_cluster_uuid: string;
  distribution: number;
  sharing_group_id: number | null;
  default: number;
}

export interface GalaxyClusterRelationTagsTable {
  id: Generated<number>;
  galaxy_cluster_relation_id: number;
  tag_id: number;
}

export interface ObjectTemplatesTable {
  id: Generated<number>;
  user_id: number;
  org_id: number;
  uuid: string;
  name: string;
  meta_category: string;
  description: string;
  version: number;
  /** JSON `{required?, requiredOneOf?}`, `[]` when none (ObjectTemplate::beforeSave). */
  requirements: string;
  fixed: number;
  active: number;
}

export interface ObjectTemplateElementsTable {
  id: Generated<number>;
  object_template_id: number;
  object_relation: string;
  type: string;
  ui_priority: number;
  /** JSON lists, `[]` when empty (ObjectTemplateElement::beforeSave). */
  categories: string;
  sane_default: string;
  values_list: string;
  description: string;
  disable_correlation: number | null;
  multiple: number;
}

export interface DecayingModelsTable {
  id: Generated<number>;
  uuid: string | null;
  name: string;
  /** JSON object: lifetime, decay_speed, threshold, default_base_score, base_score_config. */
  parameters: string;
  /** JSON list of attribute types. */
  attribute_types: string;
  description: string;
  org_id: number | null;
  enabled: number;
  all_orgs: number;
  /** JSON list of references. */
  ref: string | null;
  formula: string;
  version: string;
  default: number;
}

export interface DecayingModelMappingsTable {
  id: Generated<number>;
  attribute_type: string;
  model_id: number;
}

export interface FeedsTable {
  id: Generated<number>;
  name: string;
  provider: string;
  url: string;
  rules: string | null;
  enabled: number;
  distribution: number;
  sharing_group_id: number;
  tag_id: number;
  default: number;
  source_format: string;
  fixed_event: number;
  delta_merge: number;
  event_id: number;
  publish: number;
  override_ids: number;
  settings: string | null;
  input_source: string;
  delete_local_file: number;
  lookup_visible: number;
  headers: string | null;
  caching_enabled: number;
  force_to_ids: number;
  orgc_id: number;
  tag_collection_id: number;
}

/** One cached value of a feed (migration 0020; MISP's `misp:feed_cache:*` Redis sets). */
export interface FeedCacheEntriesTable {
  feed_id: number;
  /** md5 hex of the value. */
  value_md5: string;
  /** The feed event carrying the value (MISP feeds), '' for freetext/CSV feeds. */
  event_uuid: string;
}

/** The last caching run of a feed. */
export interface FeedCacheStatesTable {
  feed_id: number;
  /** Epoch seconds of the cached entries; 0 until a run succeeds. */
  cached_at: number;
  /** `cached` or `failed`. */
  status: string;
  message: string;
  value_count: number;
}

export interface GalaxyFeedTables {
  galaxies: GalaxiesTable;
  galaxy_clusters: GalaxyClustersTable;
  galaxy_elements: GalaxyElementsTable;
  galaxy_cluster_relations: GalaxyClusterRelationsTable;
  galaxy_cluster_relation_tags: GalaxyClusterRelationTagsTable;
  object_templates: ObjectTemplatesTable;
  object_template_elements: ObjectTemplateElementsTable;
  decaying_models: DecayingModelsTable;
  decaying_model_mappings: DecayingModelMappingsTable;
  feeds: FeedsTable;
  feed_cache_entries: FeedCacheEntriesTable;
  feed_cache_states: FeedCacheStatesTable;
}
