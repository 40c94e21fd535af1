/**
 * Persistence of the event graph (events, attributes, objects, references, their tags).
 * Filled in by the events feature; see src/core/events/README.md.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface EventStore {}
