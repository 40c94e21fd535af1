import type { Taxonomy, TaxonomyExclusivity, TaxonomyFull, TaxonomyVocab } from '../taxonomies/taxonomy-model.js';

export interface TaxonomyFlags {
  enabled?: boolean;
  required?: boolean;
  highlighted?: boolean;
}

/** Persistence of taxonomies with their predicates and entries (spec §1.2). */
export interface TaxonomyStore {
  /** Rows ordered by id; `ids` narrows, `enabled` filters. */
  list(filter?: { readonly ids?: readonly number[]; readonly enabled?: boolean }): Promise<Taxonomy[]>;
  /** By id, or by namespace case-insensitively. */
  find(ref: { readonly id: number } | { readonly namespace: string }): Promise<Taxonomy | undefined>;
  /** Taxonomies with predicates and entries in stored order, three queries whatever the count. */
  loadFull(ids: readonly number[]): Promise<TaxonomyFull[]>;
  /** Ids of taxonomies whose namespace, description, a predicate or an entry (value or expanded) contains `term`, case-insensitively. */
  search(term: string): Promise<number[]>;
  /** Inserts a taxonomy (disabled, not required) with its predicates and entries in batches; returns its id. */
  insert(vocab: TaxonomyVocab): Promise<number>;
  /** Replaces description, version, exclusivity, predicates and entries; keeps id, enabled and required. */
  replace(id: number, vocab: TaxonomyVocab): Promise<void>;
  setFlags(id: number, flags: TaxonomyFlags): Promise<void>;
  /** Exclusivity facts of the taxonomies with these namespaces (compared case-insensitively). */
  exclusivity(namespaces: readonly string[]): Promise<TaxonomyExclusivity[]>;
}
