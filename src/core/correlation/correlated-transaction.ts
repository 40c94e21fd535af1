import type { RequestContext } from '../context.js';
import type { Attribute } from '../model/event.js';
import type { AttributeRef, CorrelationIndexStore, IndexScope, SubjectAttribute } from '../ports/correlation-store.js';
import type { EventWriteStore, NewAttribute } from '../ports/event-write-store.js';
import type { Storage, Stores } from '../ports/stores.js';
import { applyCorrelationChanges, type CorrelationChanges } from './correlation-engine.js';
import { heldValueHashes } from './correlation-keys.js';
import { correlationSettings } from './correlation-settings.js';

/**
 * The hook between the event write path and the correlation engine (spec §5.3). A write service runs its
 * transaction through {@link correlatedTransaction}; the event write store it gets records what it inserts,
 * saves and deletes, and the engine applies all of it once, at the end of the same transaction — so correlations
 * commit or roll back with the data, and a 50,000-attribute add is one batch, not 50,000 updates.
 */

interface Journal {
  readonly inserted: SubjectAttribute[];
  readonly changed: Set<number>;
  readonly removed: AttributeRef[];
  readonly objects: Set<number>;
  readonly removedEvents: Set<number>;
  readonly rebuiltEvents: Set<number>;
  readonly aclEvents: Set<number>;
  readonly carried: Set<number>;
}

const journaled = new WeakSet<Stores>();

function noteInserted(j: Journal, r: NewAttribute, id: number): void {
  j.inserted.push({
    id, eventId: r.eventId, objectId: r.objectId, type: r.type, value1: r.value1, value2: r.value2,
    distribution: r.distribution, sharingGroupId: r.sharingGroupId, deleted: r.deleted, disableCorrelation: r.disableCorrelation,
  });
}

/**
 * The write store of `w` that notes every attribute-level change into `j`. Before a save or delete it notes the
 * value hashes the rows hold: once the write is done, nothing tells which value groups they left. Rows the call
 * reads anyway give them directly; the others are read (`carriedKeys`).
 */
function journalingWrites(w: EventWriteStore, j: Journal, index: Pick<CorrelationIndexStore, 'carriedKeys'>): EventWriteStore {
  const carry = async (scope: Partial<IndexScope>) => {
    for (const hash of await index.carriedKeys({ eventIds: scope.eventIds ?? [], attributes: scope.attributes ?? [] })) j.carried.add(hash);
  };
  const held = (rows: readonly Attribute[]) => {
    for (const r of rows) for (const hash of heldValueHashes(r)) j.carried.add(hash);
  };
  return {
    ...w,
    async insertAttributes(rows) {
      const ids = await w.insertAttributes(rows);
      rows.forEach((r, i) => noteInserted(j, r, ids[i]!));
      return ids;
    },
    async insertNewAttributes(rows) {
      const ids = await w.insertNewAttributes(rows);
      rows.forEach((r, i) => { if (ids[i] !== null) noteInserted(j, r, ids[i]!); });
      return ids;
    },
    async saveAttributes(rows) {
      await carry({ attributes: rows });
      await w.saveAttributes(rows);
      for (const r of rows) j.changed.add(r.id);
    },
    async deleteAttribute(id) {
      const before = await w.findAttribute({ id });
      if (before) held([before]);
      const done = await w.deleteAttribute(id);
      if (done && before) j.removed.push({ id, eventId: before.eventId });
      return done;
    },
    async saveObjects(rows) {
      await w.saveObjects(rows);
      for (const r of rows) j.objects.add(r.id);
    },
    async softDeleteObjectAttributes(objectId, timestamp) {
      await w.softDeleteObjectAttributes(objectId, timestamp);
      j.objects.add(objectId);
    },
    async deleteObject(id) {
      const attributes = await w.attributesOfObjects([id]);
      held(attributes);
      const done = await w.deleteObject(id);
      if (done) j.removed.push(...attributes.map((a) => ({ id: a.id, eventId: a.eventId })));
      return done;
    },
    async updateEvent(id, patch) {
      const watched = patch.distribution !== undefined || patch.sharingGroupId !== undefined || patch.disableCorrelation !== undefined;
      const before = watched ? await w.findEvent({ id }) : undefined;
      await w.updateEvent(id, patch);
      if (!before) return;
      if (patch.disableCorrelation !== undefined && patch.disableCorrelation !== before.disableCorrelation) j.rebuiltEvents.add(id);
      else if ((patch.distribution ?? before.distribution) !== before.distribution
        || (patch.sharingGroupId ?? before.sharingGroupId) !== before.sharingGroupId) j.aclEvents.add(id);
    },
    async deleteEvent(id) {
      await carry({ eventIds: [id] });
      const done = await w.deleteEvent(id);
      if (done) j.removedEvents.add(id);
      return done;
    },
  };
}

function changesOf(j: Journal): CorrelationChanges {
  return {
    inserted: j.inserted, changed: [...j.changed], removed: j.removed, objects: [...j.objects], removedEvents: [...j.removedEvents],
    rebuiltEvents: [...j.rebuiltEvents], aclEvents: [...j.aclEvents], carried: [...j.carried],
  };
}

/**
 * `storage.transaction(fn)` with correlations kept up to date (MISP's afterSave correlation hooks, batched).
 * Inside a transaction that is already correlated (a bench or sync run grouping many events per commit) it
 * adds to the outer batch instead of opening its own.
 *
 * @example
 * return correlatedTransaction(ctx, env.storage, async (tx) => { await tx.eventWrites.insertAttributes(rows); });
 */
export async function correlatedTransaction<T>(
  ctx: Pick<RequestContext, 'settings'>, storage: Pick<Storage, 'transaction'>, fn: (tx: Stores) => Promise<T>,
): Promise<T> {
  return storage.transaction(async (tx) => {
    if (journaled.has(tx)) return fn(tx);
    const journal: Journal = {
      inserted: [], changed: new Set(), removed: [], objects: new Set(), removedEvents: new Set(), rebuiltEvents: new Set(),
      aclEvents: new Set(), carried: new Set(),
    };
    const wrapped: Stores = { ...tx, eventWrites: journalingWrites(tx.eventWrites, journal, tx.correlations) };
    journaled.add(wrapped);
    const result = await fn(wrapped);
    await applyCorrelationChanges(correlationSettings(ctx.settings), tx.correlations, changesOf(journal));
    return result;
  });
}
