/** Persistence of tags and their links to events and attributes. Filled in by the tags feature. */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface TagStore {}
