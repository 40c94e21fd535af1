import { paletteFromString } from './colour-palette.js';
import type { TaxonomyFull } from './taxonomy-model.js';

/**
 * The tags a taxonomy defines (Taxonomy::__getTaxonomy): `namespace:predicate="value"` for every entry, and
 * `namespace:predicate` for a predicate without entries, in stored order.
 */
export interface TaxonomyTagEntry {
  readonly tag: string;
  readonly expanded: string;
  /** Only for entries of a predicate (MISP's `exclusive_predicate`). */
  readonly exclusivePredicate?: boolean;
  readonly description?: string;
  /** The colour the pack gives, if any. */
  readonly colour?: string;
  readonly numericalValue?: number;
  /** The colour the tag gets: the pack's, else the namespace palette's (Taxonomy::addTags). */
  readonly tagColour: string;
}

export function taxonomyTagEntries(t: TaxonomyFull): TaxonomyTagEntry[] {
  const raw: Array<Omit<TaxonomyTagEntry, 'tagColour'>> = [];
  for (const p of t.predicates) {
    if (p.entries.length > 0) {
      for (const e of p.entries) {
        raw.push({
          tag: `${t.namespace}:${p.value}="${e.value}"`,
          expanded: `${p.expanded || p.value}: ${e.expanded || e.value}`,
          exclusivePredicate: p.exclusive,
          ...(e.description ? { description: e.description } : {}),
          ...(e.colour ? { colour: e.colour } : {}),
          ...(e.numericalValue !== null ? { numericalValue: e.numericalValue } : {}),
        });
      }
    } else {
      raw.push({
        tag: `${t.namespace}:${p.value}`,
        expanded: p.expanded || p.value,
        ...(p.description ? { description: p.description } : {}),
        ...(p.colour ? { colour: p.colour } : {}),
        ...(p.numericalValue !== null ? { numericalValue: p.numericalValue } : {}),
      });
    }
  }
  const palette = paletteFromString(t.namespace, raw.length);
  return raw.map((e, k) => ({ ...e, tagColour: e.colour ?? palette[k]! }));
}
