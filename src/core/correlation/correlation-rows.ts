import type {
  AttributeRef, CorrelationRow, CorrelationSubject, CorrelationTarget, ValueEntry,
} from '../ports/correlation-store.js';

/** The other side of a row as stored: ids and ACL facts of the attribute, its object and event (spec §1.5). */
export function targetOf(s: CorrelationSubject): CorrelationTarget {
  return {
    id: s.id, eventId: s.eventId, objectId: s.objectId, orgId: s.event.orgId, distribution: s.distribution,
    sharingGroupId: s.sharingGroupId, objectDistribution: s.object?.distribution ?? 0,
    objectSharingGroupId: s.object?.sharingGroupId ?? 0, eventDistribution: s.event.distribution,
    eventSharingGroupId: s.event.sharingGroupId,
  };
}

export const refOf = (s: AttributeRef): AttributeRef => ({ id: s.id, eventId: s.eventId });

/** Collects the rows of a batch: each link adds both directions. */
export interface RowBuffer {
  /** Links `a` and `b`; the row from `a` names value `aToB`, the row from `b` names `bToA` (equal except for ssdeep). */
  link(a: CorrelationSubject, b: CorrelationSubject, aToB: ValueEntry, bToA: ValueEntry): void;
  readonly rows: CorrelationRow[];
  values(): ValueEntry[];
  clear(): void;
}

export function createRowBuffer(): RowBuffer {
  const rows: CorrelationRow[] = [];
  const values = new Map<number, ValueEntry>();
  // the engine links each pair once per value; a repeated row would be skipped by the insert anyway
  const add = (from: CorrelationSubject, to: CorrelationSubject, value: ValueEntry) => {
    values.set(value.id, value);
    rows.push({ valueId: value.id, source: refOf(from), target: targetOf(to) });
  };
  return {
    rows,
    link(a, b, aToB, bToA) {
      add(a, b, aToB);
      add(b, a, bToA);
    },
    values: () => [...values.values()],
    clear() {
      rows.length = 0;
      values.clear();
    },
  };
}
