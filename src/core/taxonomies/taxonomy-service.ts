import type { RequestContext } from '../context.js';
import { notFound, saveFailed } from '../errors.js';
import type { Tag } from '../model/event.js';
import type { Stores } from '../ports/stores.js';
import type { NewTag } from '../ports/tag-store.js';
import { checkTaxonomyExclusivity, namespacesToCheck, type TaxonomyConflict } from './taxonomy-exclusivity.js';
import type { Taxonomy, TaxonomyFull } from './taxonomy-model.js';
import { type TaxonomyTagEntry, taxonomyTagEntries } from './taxonomy-tags.js';

/**
 * TaxonomiesController (spec §3.4): index with tag counts, view with the tags that exist, enable/disable,
 * creating or hiding a taxonomy's tags, the `required` flag. Writers expect `stores` bound to a transaction.
 */

export interface TaxonomyIndexRow {
  readonly taxonomy: Taxonomy;
  /** Tags the taxonomy defines. */
  readonly totalCount: number;
  /** Of those, tags that exist and are not hidden. */
  readonly currentCount: number;
}

/** `id` or namespace, as taxonomies/view and get_taxonomy accept. */
export type TaxonomyRef = { readonly id: number } | { readonly namespace: string };

export function taxonomyRef(raw: string | undefined): TaxonomyRef | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  return /^\d+$/.test(raw.trim()) ? { id: Number(raw.trim()) } : { namespace: raw };
}

const numericId = (raw: string | undefined): number | undefined => (raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined);

/** taxonomies/index[/value:term][/enabled:0|1]. */
export async function indexTaxonomies(
  _ctx: RequestContext, stores: Stores, q: { readonly search?: string; readonly enabled?: boolean },
): Promise<TaxonomyIndexRow[]> {
  const ids = q.search ? await stores.taxonomies.search(q.search) : undefined;
  const rows = await stores.taxonomies.list({ ...(ids ? { ids } : {}), ...(q.enabled !== undefined ? { enabled: q.enabled } : {}) });
  const full = await stores.taxonomies.loadFull(rows.map((r) => r.id));
  const names = full.map((t) => taxonomyTagEntries(t).map((e) => e.tag.toLowerCase()));
  const existing = await stores.tags.findByNames(names.flat());
  return full.map((t, k) => {
    const mine = new Set(names[k]);
    let current = 0;
    for (const name of mine) {
      const tag = existing.get(name);
      if (tag && !tag.hideTag) current++;
    }
    const { predicates: _p, ...taxonomy } = t;
    return { taxonomy, totalCount: names[k]!.length, currentCount: current };
  });
}

export interface TaxonomyView {
  readonly taxonomy: Taxonomy;
  readonly entries: ReadonlyArray<TaxonomyTagEntry & { readonly existingTag: Tag | false }>;
}

async function loadFull(stores: Stores, ref: TaxonomyRef | undefined): Promise<TaxonomyFull | undefined> {
  const row = ref && (await stores.taxonomies.find(ref));
  return row && (await stores.taxonomies.loadFull([row.id]))[0];
}

/** taxonomies/view/{id|namespace}: the taxonomy and every tag it defines, with the tag row when it exists. */
export async function viewTaxonomy(_ctx: RequestContext, stores: Stores, raw: string | undefined): Promise<TaxonomyView> {
  const full = await loadFull(stores, taxonomyRef(raw));
  if (!full) throw notFound('Taxonomy not found.');
  const entries = taxonomyTagEntries(full);
  const tags = await stores.tags.findByNames(entries.map((e) => e.tag));
  const { predicates: _p, ...taxonomy } = full;
  return { taxonomy, entries: entries.map((e) => ({ ...e, existingTag: tags.get(e.tag.toLowerCase()) ?? false })) };
}

/** taxonomies/enable/{id} and taxonomies/disable/{id}; disabling also hides the taxonomy's tags (MISP does). */
export async function setTaxonomyEnabled(_ctx: RequestContext, stores: Stores, raw: string | undefined, enabled: boolean): Promise<number> {
  const id = numericId(raw);
  const row = id !== undefined ? await stores.taxonomies.find({ id }) : undefined;
  if (!row) throw saveFailed(`Could not ${enabled ? 'enable' : 'disable'} Taxonomy`, 'Invalid taxonomy.', raw ? { id: raw } : {});
  if (!enabled) await hideTaxonomyTags(stores, row.id);
  await stores.taxonomies.setFlags(row.id, { enabled });
  return row.id;
}

/** taxonomies/toggleRequired/{id} with `{"Taxonomy": {"required": bool}}`. */
export async function setTaxonomyRequired(_ctx: RequestContext, stores: Stores, raw: string | undefined, required: boolean): Promise<number> {
  const id = numericId(raw);
  const row = id !== undefined ? await stores.taxonomies.find({ id }) : undefined;
  if (!row) throw saveFailed('Could not toggleRequired Taxonomy', 'Invalid Taxonomy', raw ? { id: raw } : {});
  await stores.taxonomies.setFlags(row.id, { required });
  return row.id;
}

/**
 * Taxonomy::addTags: creates the taxonomy's tags (all, or those named in `only`) and makes existing ones
 * visible with the taxonomy's name, colour and numerical value. Returns false for an unknown taxonomy.
 */
export async function enableTaxonomyTags(
  _ctx: RequestContext, stores: Stores, raw: string | number | undefined, only?: readonly string[],
): Promise<boolean> {
  const full = await loadFull(stores, raw === undefined ? undefined : taxonomyRef(String(raw)));
  if (!full) return false;
  let entries = taxonomyTagEntries(full);
  if (only) {
    const wanted = new Set(only);
    entries = entries.filter((e) => wanted.has(e.tag));
  }
  const existing = await stores.tags.findByNames(entries.map((e) => e.tag));
  const toCreate: NewTag[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    const tag = existing.get(e.tag.toLowerCase());
    const numericalValue = e.numericalValue ?? null;
    if (!tag) {
      if (!seen.has(e.tag.toLowerCase())) toCreate.push({ name: e.tag, colour: e.tagColour, exportable: true, numericalValue });
      seen.add(e.tag.toLowerCase());
      continue;
    }
    const patch: Partial<NewTag> = {};
    if (tag.name !== e.tag) patch.name = e.tag;
    if (tag.colour !== e.tagColour) patch.colour = e.tagColour;
    if (tag.hideTag) patch.hideTag = false;
    if (numericalValue !== null && tag.numericalValue !== numericalValue) patch.numericalValue = numericalValue;
    if (Object.keys(patch).length) await stores.tags.update(tag.id, patch);
  }
  if (toCreate.length) await stores.tags.createMany(toCreate);
  return true;
}

async function hideTaxonomyTags(stores: Stores, id: number, only?: readonly string[]): Promise<void> {
  const full = (await stores.taxonomies.loadFull([id]))[0];
  if (!full) return;
  const names = only ?? taxonomyTagEntries(full).map((e) => e.tag);
  const tags = await stores.tags.findByNames(names);
  const visible = [...tags.values()].filter((t) => !t.hideTag).map((t) => t.id);
  await stores.tags.updateMany(visible, { hideTag: true });
}

/** taxonomies/disableTag/{id}: hides the taxonomy's tags (all, or those named in `only`). */
export async function disableTaxonomyTags(
  _ctx: RequestContext, stores: Stores, raw: string | number | undefined, only?: readonly string[],
): Promise<boolean> {
  const row = raw === undefined ? undefined : await stores.taxonomies.find(taxonomyRef(String(raw)) ?? { id: -1 });
  if (!row) return false;
  await hideTaxonomyTags(stores, row.id, only);
  return true;
}

/**
 * Taxonomy::__updateTags after a taxonomy was (re)imported: existing tags of the taxonomy take its exact name,
 * colour and numerical value. Only tags whose values differ are written.
 */
export async function syncTaxonomyTags(stores: Stores, full: TaxonomyFull): Promise<void> {
  const entries = taxonomyTagEntries(full);
  const tags = await stores.tags.findByNames(entries.map((e) => e.tag));
  for (const e of entries) {
    const tag = tags.get(e.tag.toLowerCase());
    if (!tag) continue;
    const patch: Partial<NewTag> = {};
    if (tag.name !== e.tag) patch.name = e.tag;
    if (tag.colour !== e.tagColour) patch.colour = e.tagColour;
    if (e.numericalValue !== undefined && tag.numericalValue !== e.numericalValue) patch.numericalValue = e.numericalValue;
    if (Object.keys(patch).length) await stores.tags.update(tag.id, patch);
  }
}

/**
 * The exclusivity guard of events/addTag and attributes/addTag: loads the new tag's taxonomy only when one of
 * `existingTagNames` shares its namespace (or namespace:predicate), then applies checkTaxonomyExclusivity.
 */
export async function taxonomyConflict(
  stores: Stores, existingTagNames: readonly string[], newTagName: string,
): Promise<TaxonomyConflict | undefined> {
  const namespaces = namespacesToCheck(existingTagNames, newTagName);
  if (namespaces.length === 0) return undefined;
  return checkTaxonomyExclusivity(existingTagNames, newTagName, await stores.taxonomies.exclusivity(namespaces));
}
