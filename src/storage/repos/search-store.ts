import { type Kysely, type RawBuilder, sql, type SqlBool } from 'kysely';
import type { EventViewer } from '../../core/acl/event-visibility.js';
import type { AttributeSearchRow, ObjectSearchRow, SearchStore } from '../../core/ports/search-store.js';
import type { SearchOrder, SearchQuery, SearchWindow } from '../../core/search/search-query.js';
import { type ArrayRow, arrayRows, type RowCodec } from '../array-rows.js';
import type { Database } from '../db-schema.js';
import { type Dialect, intIn } from '../dialect.js';
import { ATTRIBUTE_ROW, attributeColumns, attributeFromRow, EVENT_ROW, eventFromRow, OBJECT_ROW, objectFromRow } from './event-write-rows.js';
import { type Scope, scopeWhere } from './search-sql.js';

/**
 * Kysely implementation of the restSearch port (spec §3.14). Each scope's rows are read in pages with keyset
 * pagination on (order column, id): every page is one short statement, so the result is never held in memory and
 * no connection (SQLite has only one) stays busy while the HTTP client reads — a database cursor held across the
 * response would block every other request behind a slow download.
 */

/** The sort expression of an `order` in each scope; the row id breaks ties and is the keyset's second column. */
function sortColumn(scope: Scope, order: SearchOrder | undefined): { key: RawBuilder<unknown>; id: string } {
  const id = scope === 'events' ? 'e.id' : scope === 'attributes' ? 'a.id' : 'o.id';
  const f = order?.field ?? 'id';
  if (scope === 'attributes') {
    if (f === 'value') return { key: sql`a.value1`, id };
    if (f === 'object_relation') return { key: sql`coalesce(a.object_relation, '')`, id };
    if (f === 'publish_timestamp') return { key: sql`e.publish_timestamp`, id };
    return { key: sql.ref(`a.${f}`), id };
  }
  return { key: sql.ref(`${scope === 'events' ? 'e' : 'o'}.${f}`), id };
}

interface Cursor {
  readonly key: unknown;
  readonly id: number;
}

/**
 * Yields the rows of `select <columns>, <sort key> … where <where>` page by page in (key, id) order, honouring
 * `limit` / `page`: the first statement skips `(page - 1) × limit` rows, later ones continue after the last row
 * seen. Rows are arrays (array-rows.ts): the table's columns as `codec` lists them, then the sort key.
 */
async function* keysetPages(
  db: Kysely<Database>, scope: Scope, window: SearchWindow, pageSize: number, codec: RowCodec<{ id: number }>,
  statement: (after: RawBuilder<SqlBool>, order: RawBuilder<unknown>, limit: number, offset: number) => RawBuilder<unknown>,
): AsyncGenerator<ArrayRow[]> {
  const { key, id } = sortColumn(scope, window.order);
  const desc = window.order?.direction === 'desc';
  const dir = sql.raw(desc ? 'desc' : 'asc');
  const order = sql`${key} ${dir}, ${sql.ref(id)} ${dir}`;
  const byId = window.order === undefined || window.order.field === 'id';
  let remaining = window.limit ?? Number.POSITIVE_INFINITY;
  let offset = window.limit ? ((window.page ?? 1) - 1) * window.limit : 0;
  let cursor: Cursor | undefined;
  while (remaining > 0) {
    const n = Math.min(pageSize, remaining);
    let after: RawBuilder<SqlBool> = sql<SqlBool>`1 = 1`;
    if (cursor) {
      const cmp = sql.raw(desc ? '<' : '>');
      // `key >= k and (key > k or id > i)`: the first part is a range the key's index can start from, so a page
      // costs its own rows rather than every row before it.
      after = byId ? sql<SqlBool>`${sql.ref(id)} ${cmp} ${cursor.id}`
        : sql<SqlBool>`(${key} ${sql.raw(desc ? '<=' : '>=')} ${cursor.key} and (${key} ${cmp} ${cursor.key} or ${sql.ref(id)} ${cmp} ${cursor.id}))`;
    }
    const rows = await arrayRows(db, statement(after, order, n, offset));
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < n) return;
    remaining -= rows.length;
    offset = 0;
    const last = rows[rows.length - 1]!;
    cursor = { key: last[codec.width], id: Number(codec.fromArray(last).id) };
  }
}

/**
 * Rows of a table by id, in one statement (a page's distinct events or objects); the ids travel as one parameter,
 * so the statement stays prepared whatever the page holds.
 */
async function byId<R extends { id: number }, T>(
  db: Kysely<Database>, d: Dialect, table: 'events' | 'objects', codec: RowCodec<R>, ids: readonly number[], map: (row: R) => T,
): Promise<Map<number, T>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await arrayRows(db, sql`select ${codec.select('x')} from ${sql.table(table)} x where ${intIn(d, sql.ref('x.id'), unique)}`);
  return new Map(rows.map((r) => {
    const row = codec.fromArray(r);
    return [Number(row.id), map(row)];
  }));
}

/**
 * Whether a keyset walk should read `attributes` in id order: the result spans several pages and covers at least a
 * tenth of the table, so scanning by id costs about one pass while an index on a filter column would sort the whole
 * remaining result again for every page.
 */
async function coversTable(db: Kysely<Database>, window: SearchWindow, pageSize: number, matches: number | undefined): Promise<boolean> {
  if (matches === undefined || matches < 4 * pageSize || (window.order && window.order.field !== 'id')) return false;
  const r = await sql<{ n: number | null }>`select max(id) as n from attributes`.execute(db);
  return matches * 10 >= Number(r.rows[0]?.n ?? 0);
}

/** `count(*)`, or with `cap` the count of at most `cap` rows (the scan stops there). */
async function count(db: Kysely<Database>, from: RawBuilder<unknown>, where: RawBuilder<SqlBool>, cap?: number): Promise<number> {
  const r = cap === undefined
    ? await sql<{ n: number | string }>`select count(*) as n from ${from} where ${where}`.execute(db)
    : await sql<{ n: number | string }>`select count(*) as n from (select 1 from ${from} where ${where} limit ${cap}) capped`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

const EVENTS_FROM = sql`events e`;
const ATTRIBUTES_FROM = sql`attributes a inner join events e on e.id = a.event_id left join objects o on o.id = a.object_id`;
const OBJECTS_FROM = sql`objects o inner join events e on e.id = o.event_id`;

export function createSearchStore(db: Kysely<Database>, dialect: Dialect): SearchStore {
  const where = (scope: Scope, v: EventViewer, q: SearchQuery) => scopeWhere(scope, v, q, dialect);

  return {
    countEvents: (v, q) => count(db, EVENTS_FROM, where('events', v, q)),
    countAttributes: (v, q, cap) => count(db, ATTRIBUTES_FROM, where('attributes', v, q), cap),
    countObjects: (v, q, cap) => count(db, OBJECTS_FROM, where('objects', v, q), cap),

    async* events(v, q, window, pageSize) {
      const cond = where('events', v, q);
      const { key } = sortColumn('events', window.order);
      for await (const rows of keysetPages(db, 'events', window, pageSize, EVENT_ROW, (after, order, limit, offset) =>
        sql`select ${EVENT_ROW.select('e')}, ${key} as sort_key from ${EVENTS_FROM}
          where ${cond} and ${after} order by ${order} limit ${limit} offset ${offset}`)) {
        yield rows.map((r) => eventFromRow(EVENT_ROW.fromArray(r)));
      }
    },

    /**
     * Attribute rows only; their few distinct events and objects are read once per page, not once per row. The first
     * page goes through the filter indexes; later ones scan the table in id order when the matches cover much of it.
     * Selecting the event's and object's columns in the page's own statement instead was measured (session 13): the
     * same for 1,000 scattered values (3b: 6,600 rows of 4,000 events), but 36 more cells per row for a date range
     * whose 10,000 rows come from ~100 events (3e), and each cell costs better-sqlite3 ~70–100 ns to hand over.
     */
    async* attributes(v, q, window, pageSize, matches) {
      const cond = where('attributes', v, q);
      const { key } = sortColumn('attributes', window.order);
      const scan = sql`${dialect.keyOrderScan('attributes', 'a')} inner join events e on e.id = a.event_id left join objects o on o.id = a.object_id`;
      let from: RawBuilder<unknown> | undefined = typeof matches === 'number'
        ? (await coversTable(db, window, pageSize, matches) ? scan : ATTRIBUTES_FROM) : undefined;
      let first = true;
      for await (const rows of keysetPages(db, 'attributes', window, pageSize, ATTRIBUTE_ROW, (after, order, limit, offset) =>
        sql`select ${attributeColumns(dialect, 'a')}, ${key} as sort_key
          from ${from ?? ATTRIBUTES_FROM} where ${cond} and ${after} order by ${order} limit ${limit} offset ${offset}`)) {
        if (first && from === undefined && typeof matches === 'function' && rows.length === pageSize) {
          from = await coversTable(db, window, pageSize, await matches()) ? scan : ATTRIBUTES_FROM;
        }
        first = false;
        const attributes = rows.map((r) => attributeFromRow(ATTRIBUTE_ROW.fromArray(r)));
        const [events, objects] = await Promise.all([
          byId(db, dialect, 'events', EVENT_ROW, attributes.map((a) => a.eventId), eventFromRow),
          byId(db, dialect, 'objects', OBJECT_ROW, attributes.map((a) => a.objectId).filter((id) => id !== 0), objectFromRow),
        ]);
        yield attributes.flatMap((attribute): AttributeSearchRow[] => {
          const event = events.get(attribute.eventId);
          return event ? [{ attribute, event, object: objects.get(attribute.objectId) ?? null }] : [];
        });
      }
    },

    async* objects(v, q, window, pageSize) {
      const cond = where('objects', v, q);
      const { key } = sortColumn('objects', window.order);
      for await (const rows of keysetPages(db, 'objects', window, pageSize, OBJECT_ROW, (after, order, limit, offset) =>
        sql`select ${OBJECT_ROW.select('o')}, ${key} as sort_key
          from ${OBJECTS_FROM} where ${cond} and ${after} order by ${order} limit ${limit} offset ${offset}`)) {
        const objects = rows.map((r) => objectFromRow(OBJECT_ROW.fromArray(r)));
        const events = await byId(db, dialect, 'events', EVENT_ROW, objects.map((o) => o.eventId), eventFromRow);
        yield objects.flatMap((object): ObjectSearchRow[] => {
          const event = events.get(object.eventId);
          return event ? [{ object, event }] : [];
        });
      }
    },
  };
}
