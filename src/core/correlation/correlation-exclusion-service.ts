import type { RequestContext } from '../context.js';
import { notFound, saveFailed } from '../errors.js';
import { isRecord } from '../misp-format/input-readers.js';
import type { CorrelationExclusion } from '../ports/correlation-store.js';
import type { Storage, Stores } from '../ports/stores.js';
import { applyCorrelationChanges, NO_CHANGES } from './correlation-engine.js';
import { correlationSettings } from './correlation-settings.js';

/**
 * correlation_exclusions (CorrelationExclusionsController, spec §3.12, §5.4): site-admin CRUD over the values that
 * never correlate. As in MISP, adding an exclusion only affects later saves until `clean` purges the existing
 * correlations of excluded values; deleting one re-correlates the attributes carrying the value.
 */

const FAIL_ADD = 'Could not add correlation_exclusion';
const FAIL_EDIT = 'Could not edit correlation_exclusion';
/** The unique index on `value` is 255 characters wide. */
const MAX_VALUE = 255;

/** `{"value": …}` or `{"CorrelationExclusion": {…}}` (CRUDComponent accepts both). */
function fields(body: unknown): Record<string, unknown> {
  const b = isRecord(body) && isRecord(body.CorrelationExclusion) ? body.CorrelationExclusion : body;
  return isRecord(b) ? b : {};
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const flag = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 'true';

export function exclusionId(raw: string | undefined): number {
  if (raw === undefined || !/^\d+$/.test(raw)) throw notFound('Invalid CorrelationExclusion.');
  return Number(raw);
}

async function existing(stores: Pick<Stores, 'correlations'>, id: number): Promise<CorrelationExclusion> {
  const found = await stores.correlations.findExclusion(id);
  if (!found) throw notFound('Invalid CorrelationExclusion.');
  return found;
}

/** Re-correlates every live attribute whose value matches the pattern (candidates by case-insensitive LIKE). */
async function recorrelateMatching(ctx: RequestContext, tx: Stores, patterns: readonly string[]): Promise<number> {
  const ids = new Set<number>();
  for (const p of patterns) for (const a of await tx.correlations.attributesLike(p)) ids.add(a.id);
  await applyCorrelationChanges(correlationSettings(ctx.settings), tx.correlations, { ...NO_CHANGES, changed: [...ids] });
  return ids.size;
}

export async function listExclusions(storage: Pick<Stores, 'correlations'>, value?: string): Promise<CorrelationExclusion[]> {
  return storage.correlations.listExclusions(value === undefined ? {} : { value });
}

export async function viewExclusion(storage: Pick<Stores, 'correlations'>, rawId: string | undefined): Promise<CorrelationExclusion> {
  return existing(storage, exclusionId(rawId));
}

/** correlation_exclusions/add: `value` (named parameter or body), optional `comment` and `from_json`. */
export async function addExclusion(storage: Storage, body: unknown, namedValue?: string): Promise<CorrelationExclusion> {
  const f = fields(body);
  const value = (namedValue ?? text(f.value) ?? '').trim();
  if (value === '') throw saveFailed(FAIL_ADD, { value: ['This field cannot be left empty.'] });
  if (value.length > MAX_VALUE) throw saveFailed(FAIL_ADD, { value: [`The value cannot be longer than ${MAX_VALUE} characters.`] });
  return storage.transaction(async (tx) => {
    const added = await tx.correlations.insertExclusion({ value, comment: text(f.comment) ?? '', fromJson: flag(f.from_json) });
    if (!added) throw saveFailed(FAIL_ADD, { value: ['Value is already in the exclusion list.'] });
    return added;
  });
}

/** correlation_exclusions/edit/{id}: only the comment changes (CorrelationExclusionsController::edit `fields`). */
export async function editExclusion(storage: Storage, rawId: string | undefined, body: unknown): Promise<CorrelationExclusion> {
  const id = exclusionId(rawId);
  return storage.transaction(async (tx) => {
    const current = await existing(tx, id);
    const comment = text(fields(body).comment);
    if (comment === undefined) throw saveFailed(FAIL_EDIT, { comment: ['No comment given.'] }, { id });
    const updated = { ...current, comment };
    await tx.correlations.updateExclusion(updated);
    return updated;
  });
}

/** correlation_exclusions/delete/{id}: the value correlates again (CorrelationExclusion::beforeDelete). */
export async function deleteExclusion(ctx: RequestContext, storage: Storage, rawId: string | undefined): Promise<number> {
  const id = exclusionId(rawId);
  return storage.transaction(async (tx) => {
    const current = await existing(tx, id);
    await tx.correlations.deleteExclusion(id);
    await recorrelateMatching(ctx, tx, [current.value]);
    return id;
  });
}

/** correlation_exclusions/clean: removes the correlations of every excluded value; returns how many attributes it re-checked. */
export async function cleanExclusions(ctx: RequestContext, storage: Storage): Promise<number> {
  return storage.transaction(async (tx) => {
    const values = (await tx.correlations.listExclusions({})).map((e) => e.value);
    return values.length === 0 ? 0 : recorrelateMatching(ctx, tx, values);
  });
}
