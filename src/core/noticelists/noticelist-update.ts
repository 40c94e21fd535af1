import { applyPackItems, type PackProgress, type PackStorage, type PackUpdateResult } from '../knowledge-pack-update.js';
import type { Stores } from '../ports/stores.js';
import type { NoticelistPackLoad } from './load-noticelists.js';
import type { NoticelistDef } from './noticelist-model.js';

/**
 * Noticelist::update (noticelists/update, `cairn update noticelists`): installs new lists and replaces those
 * whose pack version is higher, keeping id and `enabled`.
 */
export async function updateNoticelists(
  storage: PackStorage & Stores, pack: NoticelistPackLoad, progress?: PackProgress,
): Promise<PackUpdateResult> {
  const existing = new Map((await storage.noticelists.list()).map((n) => [n.name, { id: n.id, version: n.version }]));
  const items = pack.lists.map((l) => ({ name: l.name, version: l.version, def: l }));
  const result = await applyPackItems<NoticelistDef>(storage, items, existing, async (tx, def, current) => {
    if (!current) return tx.noticelists.insert(def);
    await tx.noticelists.replace(current.id, def);
    return current.id;
  }, progress);
  return { success: result.success, fails: [...pack.failures.map((f) => ({ name: f.name, fail: f.reason })), ...result.fails] };
}

/**
 * NoticelistsController::update's message. MISP builds a "However, could not update …" suffix but never appends
 * it (`$message . '…'` without assignment), so failures next to successes go unmentioned there too.
 */
export function noticelistUpdateMessage(r: PackUpdateResult): string {
  if (r.success.length === 0 && r.fails.length === 0) return 'All noticelists are up to date already.';
  if (r.success.length === 0) return 'Could not update any of the notice lists';
  return `Successfully updated ${r.success.length} noticelists.`;
}
