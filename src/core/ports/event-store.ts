/**
 * Persistence of the event graph, split by direction so the read path (events/view, index, exports)
 * and the write path (add, edit, delete, capture) can evolve separately:
 * - EventReadStore: src/storage/repos/event-read-store.ts
 * - EventWriteStore: src/storage/repos/event-write-store.ts
 */
// The read port lives in its own file (event-read-store.ts), like the write port below.
export type {
  AttributeHit, AttributeIndexFilter, ChildScope, EventChildren, EventIndexFilter, EventIndexPage, EventReadStore,
  EventSortField, Many, ObjectHit, SharingGroupSummary,
} from './event-read-store.js';
export { EVENT_SORT_FIELDS } from './event-read-store.js';

// The write port lives in its own file (event-write-store.ts) so the two directions can be edited independently.
export type { EventPatch, EventWriteStore, NewAttribute, NewEvent, NewObject, NewObjectReference, SharingGroupUser } from './event-write-store.js';
