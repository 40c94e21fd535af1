/**
 * Taxonomies (spec §1.2): a namespace of machine tags `namespace:predicate` or `namespace:predicate="value"`,
 * read from misp-taxonomies' `machinetag.json` and stored in taxonomies / taxonomy_predicates / taxonomy_entries.
 */

/** One value of a predicate (a `taxonomy_entries` row, or a `values[].entry[]` item of machinetag.json). */
export interface TaxonomyEntryDef {
  readonly value: string;
  /** MISP stores the value here when the pack gives none (TaxonomyEntry::beforeValidate). */
  readonly expanded: string;
  readonly colour: string | null;
  readonly description: string | null;
  readonly numericalValue: number | null;
}

export interface TaxonomyPredicateDef extends TaxonomyEntryDef {
  readonly exclusive: boolean;
  readonly entries: readonly TaxonomyEntryDef[];
}

/** A parsed machinetag.json. */
export interface TaxonomyVocab {
  readonly namespace: string;
  readonly description: string;
  readonly version: number;
  readonly exclusive: boolean;
  readonly highlighted: boolean;
  readonly predicates: readonly TaxonomyPredicateDef[];
}

/** A `taxonomies` row. `enabled` and `required` are the admin's choices and survive pack updates. */
export interface Taxonomy {
  readonly id: number;
  readonly namespace: string;
  readonly description: string;
  readonly version: number;
  readonly enabled: boolean;
  readonly exclusive: boolean;
  readonly required: boolean;
  readonly highlighted: boolean;
}

export interface TaxonomyFull extends Taxonomy {
  readonly predicates: readonly TaxonomyPredicateDef[];
}

/** What tag exclusivity needs to know about one taxonomy (Taxonomy::checkIfNewTagIsAllowedByTaxonomy). */
export interface TaxonomyExclusivity {
  readonly namespace: string;
  readonly exclusive: boolean;
  /** Predicate values (as stored) marked exclusive. */
  readonly exclusivePredicates: readonly string[];
}
