import { applyPackItems, type PackProgress, type PackStorage, type PackUpdateResult } from '../knowledge-pack-update.js';
import type { Stores } from '../ports/stores.js';
import type { TaxonomyPackLoad } from './load-taxonomies.js';
import type { TaxonomyVocab } from './taxonomy-model.js';
import { syncTaxonomyTags } from './taxonomy-service.js';

/**
 * Taxonomy::update (taxonomies/update, `cairn update taxonomies`): installs taxonomies new to this instance and
 * replaces those whose pack version is higher, keeping id, `enabled` and `required`; then existing tags of each
 * changed taxonomy take its names, colours and numerical values. Pack files that could not be read count as
 * failures, as in MISP.
 */
export async function updateTaxonomies(
  storage: PackStorage & Stores, pack: TaxonomyPackLoad, progress?: PackProgress,
): Promise<PackUpdateResult> {
  const existing = new Map((await storage.taxonomies.list()).map((t) => [t.namespace, { id: t.id, version: t.version }]));
  const items = pack.vocabs.map((v) => ({ name: v.namespace, version: v.version, def: v }));
  const result = await applyPackItems<TaxonomyVocab>(storage, items, existing, async (tx, vocab, current) => {
    const id = current ? current.id : await tx.taxonomies.insert(vocab);
    if (current) await tx.taxonomies.replace(current.id, vocab);
    const full = (await tx.taxonomies.loadFull([id]))[0];
    if (full) await syncTaxonomyTags(tx, full);
    return id;
  }, progress);
  return { success: result.success, fails: [...pack.failures.map((f) => ({ name: f.name, fail: f.reason })), ...result.fails] };
}

/** TaxonomiesController::update's message. */
export function taxonomyUpdateMessage(r: PackUpdateResult): string {
  if (r.success.length === 0 && r.fails.length === 0) return 'All taxonomy libraries are up to date already.';
  if (r.success.length === 0) return 'Could not update any of the taxonomy libraries';
  let message = `Successfully updated ${r.success.length} taxonomy libraries.`;
  if (r.fails.length) message += ` However, could not update ${r.fails.length} taxonomy libraries.`;
  return message;
}
