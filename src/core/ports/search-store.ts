import type { EventViewer } from '../acl/event-visibility.js';
import type { Attribute, MispEvent, MispObject } from '../model/event.js';
import type { SearchQuery, SearchWindow } from '../search/search-query.js';

/** One attribute-scope hit: the attribute with its event and, inside an object, the object. */
export interface AttributeSearchRow {
  readonly attribute: Attribute;
  readonly event: MispEvent;
  readonly object: MispObject | null;
}

/** One object-scope hit with its event. */
export interface ObjectSearchRow {
  readonly object: MispObject;
  readonly event: MispEvent;
}

/**
 * restSearch reads (spec §3.14, §4.2–§4.3). Every method applies the viewer's visibility in SQL, the same rules
 * as events/view (src/storage/repos/event-visibility-sql.ts), so a row the viewer may not see never leaves the
 * database. The streaming methods read the result in pages of at most `pageSize` rows (keyset pagination on the
 * order column and id) and never hold a connection between pages, so memory does not grow with the result and a
 * slow reader does not hold the database.
 */
export interface SearchStore {
  /** How many events match (before paging). */
  countEvents(viewer: EventViewer, query: SearchQuery): Promise<number>;
  /** The matching events, in `window.order` (default id) order, page by page. */
  events(viewer: EventViewer, query: SearchQuery, window: SearchWindow, pageSize: number): AsyncIterable<readonly MispEvent[]>;
  /**
   * How many attributes match; with `cap`, counting stops there (the count is min(matches, cap)): a page of
   * `limit` rows only needs to know whether `page × limit` rows exist, which costs that many rows, not the result.
   */
  countAttributes(viewer: EventViewer, query: SearchQuery, cap?: number): Promise<number>;
  /**
   * The matching attributes page by page. `matches` (the count, or a function making it, optional) lets the store
   * read the table in id order when most of it matches instead of through a filter index; a function is only
   * called once the first page came back full.
   */
  attributes(
    viewer: EventViewer, query: SearchQuery, window: SearchWindow, pageSize: number, matches?: number | (() => Promise<number>),
  ): AsyncIterable<readonly AttributeSearchRow[]>;
  countObjects(viewer: EventViewer, query: SearchQuery, cap?: number): Promise<number>;
  objects(viewer: EventViewer, query: SearchQuery, window: SearchWindow, pageSize: number): AsyncIterable<readonly ObjectSearchRow[]>;
}
