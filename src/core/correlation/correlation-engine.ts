import type { AttributeRef, CorrelationIndexStore, CorrelationSubject, SubjectAttribute } from '../ports/correlation-store.js';
import { createCorrelationBatch, refsOf } from './correlation-batch.js';
import { exclusionMatcher } from './correlation-exclusions.js';
import type { CorrelationSettings } from './correlation-settings.js';

/**
 * What a write transaction did to the event graph, as far as correlation cares (spec §5.3). Collected by
 * correlated-transaction.ts from the event write store calls; applied once, just before the commit.
 */
export interface CorrelationChanges {
  /** Attributes inserted, with the values the inserting code holds (saves reading them back): nothing of theirs is indexed yet. */
  readonly inserted: readonly SubjectAttribute[];
  /** Attributes saved over (value, type, flags, distribution, soft delete, restore): re-correlated. */
  readonly changed: readonly number[];
  /** Attributes hard-deleted. */
  readonly removed: readonly AttributeRef[];
  /** Objects saved or soft-deleted: their distribution is in their attributes' rows, so those are re-correlated. */
  readonly objects: readonly number[];
  /** Events hard-deleted. */
  readonly removedEvents: readonly number[];
  /** Events whose `disable_correlation` flipped: every attribute is re-correlated. */
  readonly rebuiltEvents: readonly number[];
  /** Events whose distribution or sharing group changed: rows pointing at them get the new ACL values. */
  readonly aclEvents: readonly number[];
  /** Value hashes that saved or deleted attributes held before the write (value groups they may have left). */
  readonly carried: readonly number[];
}

export const NO_CHANGES: CorrelationChanges = {
  inserted: [], changed: [], removed: [], objects: [], removedEvents: [], rebuiltEvents: [], aclEvents: [], carried: [],
};

function isEmpty(c: CorrelationChanges): boolean {
  return Object.values(c).every((list: readonly unknown[]) => list.length === 0);
}

/**
 * Brings the correlation index in line with the changes, in the caller's transaction: removes what changed or
 * went away (both directions of every row), re-opens values that fell back under the limit, then links what is
 * new or changed. A fixed number of statements per batch, whatever the number of attributes.
 */
export async function applyCorrelationChanges(cs: CorrelationSettings, store: CorrelationIndexStore, changes: CorrelationChanges): Promise<void> {
  if (cs.disabled || isEmpty(changes)) return;
  await store.serializeWrites();
  const dropped = new Set([...changes.removedEvents, ...changes.rebuiltEvents]);
  const removedIds = new Set(changes.removed.map((r) => r.id));
  const ofObjects = changes.objects.length > 0 ? await store.attributeIdsOfObjects(changes.objects) : [];
  const changedIds = [...new Set([...changes.changed, ...ofObjects.map((r) => r.id)])].filter((id) => !removedIds.has(id));
  const changed = (await store.loadSubjects(changedIds)).filter((s) => !dropped.has(s.eventId));
  const changedSet = new Set(changed.map((s) => s.id));

  const batch = createCorrelationBatch(cs, store, exclusionMatcher(await store.exclusionValues()));
  const removed = changes.removed.filter((r) => !dropped.has(r.eventId));
  if (dropped.size > 0 || removed.length > 0 || changed.length > 0) {
    const detached = await store.detach({ eventIds: [...dropped], attributes: [...removed, ...refsOf(changed)] });
    await batch.release({ ...detached, keyHashes: [...new Set([...detached.keyHashes, ...changes.carried])] });
  }
  const acl = [...new Set(changes.aclEvents)].filter((e) => !dropped.has(e));
  if (acl.length > 0) await store.refreshEventAcl(acl);

  const keep = (s: { id: number; eventId: number }) => !changedSet.has(s.id) && !removedIds.has(s.id) && !dropped.has(s.eventId);
  const fresh = await withContext(store, changes.inserted.filter(keep));
  const rebuilt = [...new Set(changes.rebuiltEvents)].filter((e) => !changes.removedEvents.includes(e));
  const rebuiltSubjects = rebuilt.length > 0 ? await store.loadEventSubjects(rebuilt) : [];
  await batch.attach([...fresh, ...changed, ...rebuiltSubjects]);
}

/** Completes inserted attributes with their event and object facts (two small queries). */
async function withContext(store: CorrelationIndexStore, rows: readonly SubjectAttribute[]): Promise<CorrelationSubject[]> {
  if (rows.length === 0) return [];
  const eventIds = new Set<number>();
  const objectIds = new Set<number>();
  for (const r of rows) {
    eventIds.add(r.eventId);
    objectIds.add(r.objectId);
  }
  const ctx = await store.subjectContext([...eventIds], [...objectIds]);
  // a plain loop and literal: 50,000 spreads into flatMap arrays cost more than both queries
  const out: CorrelationSubject[] = [];
  for (const r of rows) {
    const event = ctx.events.get(r.eventId);
    if (!event) continue;
    out.push({
      id: r.id, eventId: r.eventId, objectId: r.objectId, type: r.type, value1: r.value1, value2: r.value2,
      distribution: r.distribution, sharingGroupId: r.sharingGroupId, deleted: r.deleted, disableCorrelation: r.disableCorrelation,
      event, object: r.objectId === 0 ? null : ctx.objects.get(r.objectId) ?? null,
    });
  }
  return out;
}

/**
 * Indexes and links a rebuild's batch: every attribute above the previous batch's last id, up to its own last id,
 * so only attributes up to that id count as indexed. No detaching, no re-reading.
 */
export async function attachSubjects(cs: CorrelationSettings, store: CorrelationIndexStore, subjects: readonly CorrelationSubject[]): Promise<void> {
  if (cs.disabled || subjects.length === 0) return;
  await store.serializeWrites();
  const below = subjects.reduce((max, s) => Math.max(max, s.id), 0) + 1;
  await createCorrelationBatch(cs, store, exclusionMatcher(await store.exclusionValues()), below).attach(subjects);
}
