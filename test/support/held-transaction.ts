import type { Storage, Stores } from '../../src/core/ports/stores.js';

/** A transaction kept open after its work until `release()`; `committed` settles once it commits (or fails). */
export interface HeldTransaction<T> {
  release(): void;
  readonly committed: Promise<T>;
}

/**
 * Runs `work` in a transaction and holds it open afterwards, so that a test can send a second request while the
 * first one's rows are written but not committed (the races of ADR 0012). Resolves once `work` is done.
 */
export async function holdTransaction<T>(storage: Pick<Storage, 'transaction'>, work: (tx: Stores) => Promise<T>): Promise<HeldTransaction<T>> {
  let worked!: () => void;
  const done = new Promise<void>((resolve) => { worked = resolve; });
  let release!: () => void;
  const hold = new Promise<void>((resolve) => { release = resolve; });
  const committed = storage.transaction(async (tx) => {
    const result = await work(tx);
    worked();
    await hold;
    return result;
  });
  await Promise.race([done, committed]);
  return { release, committed };
}
