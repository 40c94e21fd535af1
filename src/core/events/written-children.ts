import type { DeletedStates, EventViewer } from '../acl/event-visibility.js';
import type { Attribute, MispEvent, MispObject, ObjectReference } from '../model/event.js';
import type { EventChildren } from '../ports/event-read-store.js';

/**
 * The children a write service has just stored, answered without reading them back (performance.md §4.2 metric
 * 2c: events/add renders the event it added, and a 50,000-attribute read-back cost more than its insert).
 *
 * Equal to `EventReadStore.loadChildren` only when the viewer passes every row test of spec §4.3 — a site admin or
 * the event's owner org (event test, element test and object gate are then true for every row; soft-deleted rows
 * follow `deleted` alone) — so {@link childrenAsWritten} returns undefined for anyone else and the caller reads.
 */
export function childrenAsWritten(
  written: EventChildren, viewer: EventViewer, event: Pick<MispEvent, 'orgId'>, deleted: DeletedStates,
): EventChildren | undefined {
  if (!viewer.isSiteAdmin && event.orgId !== viewer.orgId) return undefined;
  const states = new Set<number>(deleted);
  const wanted = <T extends { deleted: boolean }>(r: T) => states.has(r.deleted ? 1 : 0);
  const objects: MispObject[] = inIdOrder(written.objects.filter(wanted));
  const loaded = new Set(objects.map((o) => o.id));
  const attributes: Attribute[] = inIdOrder(written.attributes.filter(wanted));
  // references of every shown object, soft-deleted ones too (Event::__attachReferences), as loadChildren returns them
  const references: ObjectReference[] = inIdOrder(written.references.filter((r) => loaded.has(r.objectId)));
  return { attributes, objects, references };
}

/** `rows` (a fresh array) in id order, as the read store returns them; inserts usually come back in order already. */
function inIdOrder<T extends { id: number }>(rows: T[]): T[] {
  for (let i = 1; i < rows.length; i++) if (rows[i - 1]!.id > rows[i]!.id) return rows.sort((a, b) => a.id - b.id);
  return rows;
}
