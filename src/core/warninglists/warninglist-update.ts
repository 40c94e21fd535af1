import { applyPackItems, type PackProgress, type PackStorage, type PackUpdateResult } from '../knowledge-pack-update.js';
import type { Stores } from '../ports/stores.js';
import type { WarninglistPackLoad } from './load-warninglists.js';
import type { WarninglistDef } from './warninglist-model.js';

/**
 * Warninglist::update (warninglists/update, `cairn update warninglists`): installs pack lists new to this
 * instance and replaces the default lists whose pack version is higher (entries and types rewritten in batches,
 * id and `enabled` kept). Local (non-default) lists are never touched. The caller rebuilds the matcher.
 */
export async function updateWarninglists(
  storage: PackStorage & Stores, pack: WarninglistPackLoad, progress?: PackProgress,
): Promise<PackUpdateResult> {
  const existing = new Map((await storage.warninglists.listMeta()).filter((w) => w.default).map((w) => [w.name, { id: w.id, version: w.version }]));
  const items = pack.lists.map((l) => ({ name: l.name, version: l.version, def: l }));
  const result = await applyPackItems<WarninglistDef>(storage, items, existing, async (tx, def, current) => {
    if (!current) return tx.warninglists.insert(def, true);
    await tx.warninglists.replace(current.id, def);
    return current.id;
  }, progress);
  return { success: result.success, fails: [...pack.failures.map((f) => ({ name: f.name, fail: f.reason })), ...result.fails] };
}

/** WarninglistsController::update's message. */
export function warninglistUpdateMessage(r: PackUpdateResult): string {
  if (r.success.length === 0 && r.fails.length === 0) return 'All warninglists are up to date already.';
  if (r.success.length === 0) return 'Could not update any of the warning lists';
  let message = `Successfully updated ${r.success.length} warninglists.`;
  if (r.fails.length) message += ` However, could not update ${r.fails.length} warninglists.`;
  return message;
}
