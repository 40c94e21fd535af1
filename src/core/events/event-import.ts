import type { RequestContext } from '../context.js';
import { DomainError, ErrorCode } from '../errors.js';
import type { Storage, Stores } from '../ports/stores.js';
import { type AddEventOutcome, addEvents } from './event-add.js';
import { editEvent } from './event-edit.js';
import type { EventWriteEnv } from './event-write-env.js';

/**
 * Bulk import of MISP events (a dump, a feed's files, a sync pull): each body is added exactly as events/add would
 * add it alone (addEvents: the same checks, refusals and dropped elements, correlation in the same transaction), but
 * many at a time, in group commits of about `groupAttributes` attributes (performance.md §5.1). A body whose event is
 * stored already is left, or with `update` edited in when it is newer (events/edit), as a MISP feed fetch does.
 */

export interface ImportOptions {
  /** Attributes per transaction (10,000: performance.md §5.1). */
  readonly groupAttributes?: number;
  /**
   * Edits a stored event (events/edit, one transaction each) when the body's `timestamp` is newer than the stored
   * one, as a MISP feed fetch does; without it, a stored event is left as it is.
   */
  readonly update?: boolean;
  /** Called after each committed group. */
  readonly progress?: (p: ImportProgress) => void;
}

export interface ImportProgress {
  /** Bodies read so far. */
  readonly events: number;
  readonly added: number;
  /** Attributes stored so far. */
  readonly attributes: number;
}

/** A body to import, with where it came from (a file, a line), for the report. */
export interface ImportItem {
  readonly body: unknown;
  readonly source?: string;
}

export interface ImportRefusal {
  /** Position of the body in the input (0-based). */
  readonly index: number;
  readonly source: string | undefined;
  readonly uuid: string | undefined;
  readonly message: string;
}

export interface ImportReport extends ImportProgress {
  /** Bodies whose event uuid is stored already (events/add's "Event already exists") and that were not newer (or `update` was off). */
  readonly existing: number;
  /** Stored events edited with a newer body (`update`). */
  readonly updated: number;
  /** Every other body that was not added, with events/add's error. */
  readonly refused: readonly ImportRefusal[];
}

export const DEFAULT_GROUP_ATTRIBUTES = 10_000;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The event of a body as events/add reads it: `{"Event": {…}}` or the event itself. */
const eventOf = (body: unknown): unknown => (isRecord(body) && isRecord(body.Event) ? body.Event : body);

/** Attributes a body carries (top-level and in objects), at least 1: what a group's size counts. */
function attributeCount(body: unknown): number {
  const e = eventOf(body);
  if (!isRecord(e)) return 1;
  let n = Array.isArray(e.Attribute) ? e.Attribute.length : 0;
  if (Array.isArray(e.Object)) for (const o of e.Object) if (isRecord(o) && Array.isArray(o.Attribute)) n += o.Attribute.length;
  return Math.max(n, 1);
}

/** The stores of a transaction, as the storage a service opens its own transaction on: it joins this one. */
function joined(tx: Stores, storage: Storage): Storage {
  return { ...storage, ...tx, transaction: (fn) => fn(tx) };
}

export async function importEvents(
  ctx: RequestContext, env: EventWriteEnv, items: Iterable<ImportItem> | AsyncIterable<ImportItem>, opts: ImportOptions = {},
): Promise<ImportReport> {
  const groupAttributes = opts.groupAttributes ?? DEFAULT_GROUP_ATTRIBUTES;
  const report = { events: 0, added: 0, attributes: 0, existing: 0, updated: 0, refused: [] as ImportRefusal[] };
  const refuse = (index: number, item: ImportItem, error: unknown) => {
    const event = eventOf(item.body);
    report.refused.push({
      index, source: item.source, uuid: isRecord(event) && typeof event.uuid === 'string' ? event.uuid : undefined,
      message: error instanceof Error ? error.message : String(error),
    });
  };

  /** A stored event's newer body, edited in; an older or equal one leaves it. */
  const updateStored = async (index: number, item: ImportItem) => {
    const event = eventOf(item.body) as Record<string, unknown>;
    const stored = await env.storage.eventWrites.findEvent({ uuid: String(event.uuid).toLowerCase() });
    const timestamp = Number(event.timestamp);
    if (!stored || !Number.isFinite(timestamp) || timestamp <= stored.timestamp) {
      report.existing++;
      return;
    }
    try {
      await editEvent(ctx, env, stored.uuid, item.body);
      report.updated++;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      refuse(index, item, err);
    }
  };

  let group: ImportItem[] = [];
  let inGroup = 0;

  const tally = async (batch: readonly ImportItem[], outcomes: readonly AddEventOutcome[], offset: number) => {
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome.ok) {
        report.added++;
        report.attributes += outcome.result.written.attributes.length;
      } else if (!(outcome.error instanceof DomainError && outcome.error.code === ErrorCode.AlreadyExists)) {
        refuse(offset + i, batch[i]!, outcome.error);
      } else if (opts.update) {
        await updateStored(offset + i, batch[i]!);
      } else {
        report.existing++;
      }
    }
  };

  const write = async () => {
    const batch = group;
    const offset = report.events - batch.length;
    group = [];
    inGroup = 0;
    const bodies = batch.map((item) => item.body);
    const outcomes = await env.storage.transaction((tx) => addEvents(ctx, { ...env, storage: joined(tx, env.storage) }, bodies));
    await tally(batch, outcomes, offset);
    opts.progress?.({ events: report.events, added: report.added, attributes: report.attributes });
  };

  for await (const item of items) {
    group.push(item);
    report.events++;
    inGroup += attributeCount(item.body);
    if (inGroup >= groupAttributes) await write();
  }
  if (group.length > 0) await write();
  return report;
}
