import type { Generated } from 'kysely';

/**
 * Row types of the knowledge-pack tables (spec §1.2), created by migration 0003: taxonomies with their
 * predicates and entries, warninglists with entries and attribute types, noticelists with entries. MISP's
 * column names; flags are 0/1 integers, JSON lives in text columns (noticelist `ref`, `geographical_area`, entry
 * `data`).
 */
export interface TaxonomiesTable {
  id: Generated<number>;
  namespace: string;
  description: string;
  version: number;
  enabled: number;
  exclusive: number;
  required: number;
  highlighted: number;
}

export interface TaxonomyPredicatesTable {
  id: Generated<number>;
  taxonomy_id: number;
  value: string;
  expanded: string | null;
  colour: string | null;
  description: string | null;
  exclusive: number;
  numerical_value: number | null;
}

export interface TaxonomyEntriesTable {
  id: Generated<number>;
  taxonomy_predicate_id: number;
  value: string;
  expanded: string | null;
  colour: string | null;
  description: string | null;
  numerical_value: number | null;
}

export interface WarninglistsTable {
  id: Generated<number>;
  name: string;
  type: string;
  description: string;
  version: number;
  enabled: number;
  /** 1 = shipped by the misp-warninglists pack (updated by warninglists/update), 0 = local. */
  default: number;
  category: string;
}

export interface WarninglistEntriesTable {
  id: Generated<number>;
  value: string;
  warninglist_id: number;
  comment: string | null;
}

export interface WarninglistTypesTable {
  id: Generated<number>;
  type: string;
  warninglist_id: number;
}

export interface NoticelistsTable {
  id: Generated<number>;
  name: string;
  expanded_name: string;
  ref: string | null;
  geographical_area: string | null;
  version: number;
  enabled: number;
}

export interface NoticelistEntriesTable {
  id: Generated<number>;
  noticelist_id: number;
  data: string;
}

export interface KnowledgePackTables {
  taxonomies: TaxonomiesTable;
  taxonomy_predicates: TaxonomyPredicatesTable;
  taxonomy_entries: TaxonomyEntriesTable;
  warninglists: WarninglistsTable;
  warninglist_entries: WarninglistEntriesTable;
  warninglist_types: WarninglistTypesTable;
  noticelists: NoticelistsTable;
  noticelist_entries: NoticelistEntriesTable;
}
