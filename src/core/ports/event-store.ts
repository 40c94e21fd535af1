/**
 * Persistence of the event graph, split by direction so the read path (events/view, index, exports)
 * and the write path (add, edit, delete, capture) can evolve separately:
 * - EventReadStore: src/storage/repos/event-read-store.ts
 * - EventWriteStore: src/storage/repos/event-write-store.ts
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface EventReadStore {}

// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface EventWriteStore {}
