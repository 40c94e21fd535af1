import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Attribute } from '../../core/model/event.js';
import type { EventWriteStore } from '../../core/ports/event-write-store.js';
import type { Database } from '../db-schema.js';
import { bulkInsert, bulkInsertOrSkip, bulkUpsert, type BulkColumn, type Dialect, textIn, uuidIn } from '../dialect.js';
import { arrayRows } from '../array-rows.js';
import {
  ATTRIBUTE_ROW, attributeColumns, attributeFromRow, attributeToRow, eventToRow, objectFromRow, objectToRow, referenceFromRow, referenceToRow,
} from './event-write-rows.js';
import { chunks } from '../chunks.js';

const columns = (types: Record<string, BulkColumn['type']>): BulkColumn[] =>
  Object.entries(types).map(([name, type]) => ({ name, type }));

/** Insert columns of the event graph tables, with their PostgreSQL array element types (bulkInsert). */
const EVENT_COLUMNS = columns({
  uuid: 'text', org_id: 'int4', orgc_id: 'int4', user_id: 'int4', date: 'text', info: 'text', threat_level_id: 'int4',
  analysis: 'int4', published: 'int4', publish_timestamp: 'int8', timestamp: 'int8', sighting_timestamp: 'int8',
  attribute_count: 'int4', distribution: 'int4', sharing_group_id: 'int4', proposal_email_lock: 'int4', locked: 'int4',
  disable_correlation: 'int4', extends_uuid: 'text', protected: 'int4',
});
const ATTRIBUTE_COLUMNS = columns({
  uuid: 'uuid', event_id: 'int4', object_id: 'int4', object_relation: 'text', category: 'text', type: 'text',
  value1: 'text', value2: 'text', value1_hash: 'int8', value2_hash: 'int8', to_ids: 'int4', timestamp: 'int8',
  distribution: 'int4', sharing_group_id: 'int4', comment: 'text', deleted: 'int4', disable_correlation: 'int4', first_seen: 'int8', last_seen: 'int8',
});
const OBJECT_COLUMNS = columns({
  uuid: 'text', event_id: 'int4', name: 'text', meta_category: 'text', description: 'text', template_uuid: 'text',
  template_version: 'text', timestamp: 'int8', distribution: 'int4', sharing_group_id: 'int4', comment: 'text',
  deleted: 'int4', first_seen: 'int8', last_seen: 'int8',
});
const REFERENCE_COLUMNS = columns({
  uuid: 'text', timestamp: 'int8', object_id: 'int4', event_id: 'int4', source_uuid: 'text', referenced_uuid: 'text',
  referenced_id: 'int4', referenced_type: 'int4', relationship_type: 'text', comment: 'text', deleted: 'int4',
});

const ID_COLUMN: BulkColumn = { name: 'id', type: 'int4' };

/** A mapped row as the positional values of `cols`. */
const valuesOf = (cols: readonly BulkColumn[], row: Record<string, unknown>): unknown[] => cols.map((c) => row[c.name] ?? null);

/** Maps `returning id, uuid` back onto the input order; uuids are unique per table so order never matters. */
function idsInOrder(uuids: readonly string[], returned: ReadonlyMap<string, number>): number[] {
  return uuids.map((u) => {
    const id = returned.get(u);
    if (id === undefined) throw new Error(`insert returned no id for ${u}`);
    return id;
  });
}

/** Where the attribute write batches report the value hashes of the rows they write. */
export type WrittenHashes = (hashes: readonly number[]) => void;

type BatchMethods = Pick<EventWriteStore,
  'insertNewEvents' | 'insertAttributes' | 'insertNewAttributes' | 'insertObjects' | 'insertNewObjects' | 'insertObjectReferences' | 'saveAttributes' | 'saveObjects'
  | 'saveObjectReferences' | 'findAttributesByUuids' | 'findObjectsByUuids' | 'findObjectReferencesByUuids'
  | 'attributesOfObjects' | 'findLiveAttributesByValue' | 'findLiveObjectsOfEvent'>;

/**
 * The multi-row statements of the event write store. Inserts are multi-row `insert … returning id, uuid`,
 * updates are `insert … on conflict (id) do update` upserts, lookups are `where in` lists; all chunked under
 * `dialect.maxParams` so a 50,000-attribute event costs a few dozen round trips, not 50,000.
 */
export function createEventGraphBatches(db: Kysely<Database>, dialect: Dialect, hashes?: WrittenHashes): BatchMethods {
  const max = dialect.maxParams;
  const inList = <T>(values: readonly T[]): T[][] => chunks([...new Set(values)], max - 10);
  /** Uuid lists travel as one parameter per chunk (`textIn`), whatever their length. */
  const uuidChunks = (uuids: readonly string[]): string[][] => chunks([...new Set(uuids.map((u) => u.toLowerCase()))], 10_000);

  /** Attribute rows about to be written, their value hashes reported to `hashes` (stored-value-hashes.ts). */
  const noted = <R extends { value1_hash: number; value2_hash?: number | null }>(mapped: R[]): R[] => {
    if (hashes) {
      const out: number[] = [];
      for (const r of mapped) {
        out.push(r.value1_hash);
        if (r.value2_hash !== null && r.value2_hash !== undefined) out.push(r.value2_hash);
      }
      hashes(out);
    }
    return mapped;
  };

  /** Multi-row insert returning the new ids in input order (uuids are unique per table). */
  const insertRows = async (table: 'attributes' | 'objects' | 'object_references', cols: readonly BulkColumn[],
    mapped: readonly { uuid: string }[]): Promise<number[]> => {
    if (mapped.length === 0) return [];
    const returned = await bulkInsert(dialect, db, table, cols, mapped.map((r) => valuesOf(cols, r)), ['id', 'uuid']);
    return idsInOrder(mapped.map((r) => r.uuid), new Map(returned.map((r) => [r.uuid as string, Number(r.id)])));
  };

  /** Inserts the rows whose uuid is not stored yet; null for the others (`bulkInsertOrSkip`). */
  const insertNewRows = async (table: 'events' | 'attributes' | 'objects', cols: readonly BulkColumn[], mapped: readonly { uuid: string }[]) =>
    (mapped.length === 0 ? [] : bulkInsertOrSkip(dialect, db, table, cols, mapped.map((r) => valuesOf(cols, r)), 'uuid'));

  /** Appends to `out` the attributes a select of `ATTRIBUTE_ROW` columns finds, read as array rows (array-rows.ts). */
  const readAttributes = async (out: Attribute[], query: RawBuilder<unknown>): Promise<void> => {
    for (const r of await arrayRows(db, query)) out.push(attributeFromRow(ATTRIBUTE_ROW.fromArray(r)));
  };

  /** Rows written back by id (`bulkUpsert`): every column but the id comes from the row. */
  const upsertRows = async (table: 'attributes' | 'objects' | 'object_references', cols: readonly BulkColumn[],
    values: readonly (readonly unknown[])[]): Promise<void> => {
    await bulkUpsert(dialect, db, table, [ID_COLUMN, ...cols], values);
  };

  return {
    insertAttributes: (rows) => insertRows('attributes', ATTRIBUTE_COLUMNS, noted(rows.map(attributeToRow))),
    insertNewEvents: (rows) => insertNewRows('events', EVENT_COLUMNS, rows.map(eventToRow)),
    insertNewAttributes: (rows) => insertNewRows('attributes', ATTRIBUTE_COLUMNS, noted(rows.map(attributeToRow))),
    insertObjects: (rows) => insertRows('objects', OBJECT_COLUMNS, rows.map(objectToRow)),
    insertNewObjects: (rows) => insertNewRows('objects', OBJECT_COLUMNS, rows.map(objectToRow)),
    insertObjectReferences: (rows) => insertRows('object_references', REFERENCE_COLUMNS, rows.map(referenceToRow)),

    saveAttributes: (rows) => upsertRows('attributes', ATTRIBUTE_COLUMNS, noted(rows.map(attributeToRow)).map((r, k) => [rows[k]!.id, ...valuesOf(ATTRIBUTE_COLUMNS, r)])),
    saveObjects: (rows) => upsertRows('objects', OBJECT_COLUMNS, rows.map((o) => [o.id, ...valuesOf(OBJECT_COLUMNS, objectToRow(o))])),
    saveObjectReferences: (rows) => upsertRows('object_references', REFERENCE_COLUMNS,
      rows.map((x) => [x.id, ...valuesOf(REFERENCE_COLUMNS, referenceToRow(x))])),

    // array rows (array-rows.ts): editing or re-syncing a large event reads back every one of its attributes here
    async findAttributesByUuids(uuids) {
      const out: Attribute[] = [];
      for (const part of uuidChunks(uuids)) {
        await readAttributes(out, sql`select ${attributeColumns(dialect, 'a')} from attributes a where ${uuidIn(dialect, sql.ref('a.uuid'), part)}`);
      }
      return out;
    },

    async findObjectsByUuids(uuids) {
      const out = [];
      for (const part of uuidChunks(uuids)) {
        for (const r of await db.selectFrom('objects').selectAll().where(textIn(dialect, sql.ref('uuid'), part)).execute()) out.push(objectFromRow(r));
      }
      return out;
    },

    async findObjectReferencesByUuids(uuids) {
      const out = [];
      for (const part of uuidChunks(uuids)) {
        for (const r of await db.selectFrom('object_references').selectAll().where(textIn(dialect, sql.ref('uuid'), part)).execute()) out.push(referenceFromRow(r));
      }
      return out;
    },

    async findLiveObjectsOfEvent(eventId, templateUuid) {
      const rows = await db.selectFrom('objects').selectAll().where('event_id', '=', eventId)
        .where('template_uuid', '=', templateUuid).where('deleted', '=', 0).orderBy('id').execute();
      return rows.map(objectFromRow);
    },

    async attributesOfObjects(objectIds) {
      const out: Attribute[] = [];
      for (const part of inList(objectIds)) {
        await readAttributes(out, sql`select ${attributeColumns(dialect, 'a')} from attributes a
          where a.object_id in (${sql.join(part)}) and a.object_id <> 0 order by a.id`);
      }
      return out;
    },

    async findLiveAttributesByValue(eventId, values) {
      const out: Attribute[] = [];
      // values bound one by one, not through a JSON list: any string, lone surrogates included, compares as stored
      for (const part of inList(values)) {
        await readAttributes(out, sql`select ${attributeColumns(dialect, 'a')} from attributes a
          where a.event_id = ${eventId} and a.object_id = 0 and a.deleted = 0 and a.value1 in (${sql.join(part)})`);
      }
      return out;
    },
  };
}
