import type { TaxonomyExclusivity } from './taxonomy-model.js';

/**
 * Taxonomy exclusivity when tagging (Taxonomy::checkIfNewTagIsAllowedByTaxonomy, used by events/addTag and
 * attributes/addTag): an exclusive taxonomy allows one `namespace:predicate` tag among its double tags and one
 * value per predicate among its triple tags; an exclusive predicate allows one of its values. `tlp:white` and
 * `tlp:clear` (the same level, renamed) may sit together.
 */

export interface TaxonomyTagParts {
  readonly namespace: string;
  readonly predicate: string;
  readonly value?: string;
}

const MACHINE_TAG = /^([^:="]+):([^:="]+)(="([^"]+)")?$/i;

/** Taxonomy::splitTagToComponents: undefined for a tag that is not a machine tag. */
export function splitTaxonomyTag(tag: string): TaxonomyTagParts | undefined {
  const m = MACHINE_TAG.exec(tag);
  if (!m) return undefined;
  return m[4] === undefined ? { namespace: m[1]!, predicate: m[2]! } : { namespace: m[1]!, predicate: m[2]!, value: m[4] };
}

/** Taxonomy::stripLastTagComponent: `ns:pred` for a triple tag, `ns` for a double one, '' otherwise. */
export function stripLastTagComponent(tag: string): string {
  const parts = splitTaxonomyTag(tag);
  if (!parts) return '';
  return parts.value === undefined ? parts.namespace : `${parts.namespace}:${parts.predicate}`;
}

/** Why a tag may not be added; `conflict` is MISP's wording (Taxonomy::getTagConflicts). */
export interface TaxonomyConflict {
  readonly namespace: string;
  readonly conflict: string;
}

/** The namespaces whose exclusivity `checkTaxonomyExclusivity` needs, or [] when no tag can clash. */
export function namespacesToCheck(existingTagNames: readonly string[], newTagName: string): string[] {
  const short = stripLastTagComponent(newTagName);
  if (short === '' || !existingTagNames.some((t) => stripLastTagComponent(t) === short)) return [];
  return [splitTaxonomyTag(newTagName)!.namespace];
}

/**
 * Whether `newTagName` may join `existingTagNames` (the tags already on the event or attribute with the same
 * local flag). `taxonomies` needs to hold only the taxonomy of the new tag, matched by namespace
 * case-insensitively. Returns the conflict, or undefined when the tag is allowed.
 *
 * @example
 *   checkTaxonomyExclusivity(['tlp:red'], 'tlp:amber', [{ namespace: 'tlp', exclusive: true, exclusivePredicates: [] }])
 *   // → { namespace: 'tlp', conflict: 'Taxonomy `tlp` is an exclusive Taxonomy' }
 */
export function checkTaxonomyExclusivity(
  existingTagNames: readonly string[], newTagName: string, taxonomies: readonly TaxonomyExclusivity[],
): TaxonomyConflict | undefined {
  if (namespacesToCheck(existingTagNames, newTagName).length === 0) return undefined;
  const parts = splitTaxonomyTag(newTagName)!;
  const taxonomy = taxonomies.find((t) => t.namespace.toLowerCase() === parts.namespace.toLowerCase());
  if (!taxonomy) return undefined;
  if (taxonomy.exclusive) {
    const tlpRename = (newTagName === 'tlp:white' && existingTagNames.includes('tlp:clear'))
      || (newTagName === 'tlp:clear' && existingTagNames.includes('tlp:white'));
    if (tlpRename) return undefined;
    return { namespace: taxonomy.namespace, conflict: `Taxonomy \`${taxonomy.namespace}\` is an exclusive Taxonomy` };
  }
  const predicate = taxonomy.exclusivePredicates.find((p) => p.toLowerCase() === parts.predicate.toLowerCase());
  if (predicate !== undefined) return { namespace: taxonomy.namespace, conflict: `Predicate \`${predicate}\` is exclusive` };
  return undefined;
}
