import type { RequestContext } from '../context.js';
import type { CorrelationJob } from '../ports/correlation-store.js';
import type { Storage } from '../ports/stores.js';
import { attachSubjects } from './correlation-engine.js';
import { correlationSettings } from './correlation-settings.js';

/**
 * Full recorrelation (attributes/generateCorrelation, `Correlation::generateCorrelation`, spec §5.3): empty every
 * correlation table, then feed all attributes through the engine in id order, one transaction per batch, so
 * requests keep being served between batches and a failure loses one batch, not the rebuild. Progress lives in a
 * `correlation_jobs` row. The result equals what incremental maintenance keeps, because the engine's outcome does
 * not depend on the order attributes arrive in. Writes made during a rebuild are correlated by their own
 * transactions; the rebuild then sees those attributes again and its inserts skip what exists.
 */

/** Attributes per transaction: big enough to amortise commits (performance.md §5.1), small enough to keep one short. */
export const REBUILD_BATCH = 20_000;

/** The rebuild running per storage, so a second request joins it instead of racing it. */
const running = new WeakMap<object, Promise<RebuildHandle>>();

export interface RebuildHandle {
  readonly job: CorrelationJob;
  /** Settles when the rebuild ends (tests and benchmarks wait on it; the HTTP route does not). */
  readonly done: Promise<void>;
}

/** Starts a rebuild in this process, in the background, or returns the one already running. */
export function startCorrelationRebuild(ctx: Pick<RequestContext, 'settings' | 'now'>, storage: Storage, batch = REBUILD_BATCH): Promise<RebuildHandle> {
  const current = running.get(storage);
  if (current) return current;
  const started = storage.correlations.createJob(ctx.now).then((job) => {
    const done = runCorrelationRebuild(ctx, storage, job.id, batch).then(() => undefined, async (err: unknown) => {
      const message = String((err as Error)?.message ?? err);
      await storage.correlations.updateJob(job.id, { status: 'failed', message, finished: nowSeconds() }).catch(() => undefined);
    }).finally(() => running.delete(storage));
    return { job, done };
  });
  running.set(storage, started);
  started.catch(() => running.delete(storage));
  return started;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The rebuild itself; returns how many attributes it went through. */
export async function runCorrelationRebuild(
  ctx: Pick<RequestContext, 'settings'>, storage: Storage, jobId: number, batch = REBUILD_BATCH,
): Promise<number> {
  const cs = correlationSettings(ctx.settings);
  const { correlations } = storage;
  const total = await correlations.countAttributes();
  await correlations.updateJob(jobId, { status: 'running', total, message: 'Removing existing correlations.' });
  await storage.transaction(async (tx) => {
    await tx.correlations.serializeWrites();
    await tx.correlations.truncate();
  });
  let processed = 0;
  let last = 0;
  while (!cs.disabled) {
    const subjects = await correlations.subjectsAfter(last, batch);
    if (subjects.length === 0) break;
    await storage.transaction((tx) => attachSubjects(cs, tx.correlations, subjects));
    processed += subjects.length;
    last = subjects[subjects.length - 1]!.id;
    await correlations.updateJob(jobId, {
      processed, progress: Math.min(99, Math.floor((processed * 100) / Math.max(total, 1))),
      message: `Correlating attributes: ${processed} of ${total}.`,
    });
  }
  await correlations.updateJob(jobId, {
    status: 'completed', progress: 100, processed, finished: nowSeconds(), message: `All done. ${processed} attributes processed.`,
  });
  return processed;
}
