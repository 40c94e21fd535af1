import type { Storage } from './ports/stores.js';

/**
 * What taxonomies/update, warninglists/update and noticelists/update report (MISP's `update()` result): items
 * installed or upgraded with their versions, items that failed with why. Each item is written in its own
 * transaction, so one bad item rolls back alone and the others still land; items whose stored version is
 * not older than the pack's are left untouched, so a second update changes nothing.
 */
export interface PackUpdateResult {
  readonly success: ReadonlyArray<{ readonly id: number; readonly name: string; readonly new: number; readonly old?: number }>;
  readonly fails: ReadonlyArray<{ readonly name: string; readonly fail: string }>;
}

/** Progress lines for the CLI (`cairn update <kind>`). */
export type PackProgress = (message: string) => void;

/** What an update needs of the storage: its own transaction per item. */
export type PackStorage = Pick<Storage, 'transaction'>;

export interface PackItem<T> {
  readonly name: string;
  readonly version: number;
  readonly def: T;
}

/**
 * The shared update loop: compare versions, insert or replace each newer item in its own transaction, and
 * collect the outcome. `existing` maps item names to their stored id and version.
 */
export async function applyPackItems<T>(
  storage: PackStorage,
  items: readonly PackItem<T>[],
  existing: ReadonlyMap<string, { readonly id: number; readonly version: number }>,
  write: (tx: Parameters<Parameters<Storage['transaction']>[0]>[0], def: T, current: { id: number; version: number } | undefined) => Promise<number>,
  progress?: PackProgress,
): Promise<PackUpdateResult> {
  const success: Array<{ id: number; name: string; new: number; old?: number }> = [];
  const fails: Array<{ name: string; fail: string }> = [];
  for (const item of items) {
    const current = existing.get(item.name);
    if (current && item.version <= current.version) continue;
    try {
      const id = await storage.transaction((tx) => write(tx, item.def, current ? { ...current } : undefined));
      success.push({ id, name: item.name, new: item.version, ...(current ? { old: current.version } : {}) });
      progress?.(current ? `${item.name}: updated from v${current.version} to v${item.version}` : `${item.name} v${item.version} installed`);
    } catch (err) {
      fails.push({ name: item.name, fail: (err as Error).message });
      progress?.(`${item.name} could not be installed/updated. Error: ${(err as Error).message}`);
    }
  }
  return { success, fails };
}
