import type { Kysely } from 'kysely';
import type { EventWriteStore } from '../../core/ports/event-write-store.js';
import type { Database } from '../db-schema.js';
import type { Dialect } from '../dialect.js';
import {
  attributeFromRow, attributeToRow, objectFromRow, objectToRow, referenceFromRow, referenceToRow,
} from './event-write-rows.js';

/** Splits `rows` so that no statement binds more than `maxParams` parameters. */
export function chunked<T>(rows: readonly T[], paramsPerRow: number, maxParams: number): T[][] {
  const size = Math.max(1, Math.floor(maxParams / Math.max(1, paramsPerRow)));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** `excluded.<col>` for every column but the key: the update half of a batch upsert, identical on both dialects. */
function fromExcluded(columns: readonly string[]): never {
  return ((eb: { ref: (c: string) => unknown }) =>
    Object.fromEntries(columns.filter((c) => c !== 'id').map((c) => [c, eb.ref(`excluded.${c}`)]))) as never;
}

/** Maps `returning id, uuid` back onto the input order; uuids are unique per table so order never matters. */
function idsInOrder(uuids: readonly string[], returned: ReadonlyMap<string, number>): number[] {
  return uuids.map((u) => {
    const id = returned.get(u);
    if (id === undefined) throw new Error(`insert returned no id for ${u}`);
    return id;
  });
}

type BatchMethods = Pick<EventWriteStore,
  'insertAttributes' | 'insertObjects' | 'insertObjectReferences' | 'saveAttributes' | 'saveObjects'
  | 'saveObjectReferences' | 'findAttributesByUuids' | 'findObjectsByUuids' | 'findObjectReferencesByUuids'
  | 'attributesOfObjects' | 'findLiveAttributesByValue' | 'findLiveObjectsOfEvent'>;

/**
 * The multi-row statements of the event write store. Inserts are multi-row `insert … returning id, uuid`,
 * updates are `insert … on conflict (id) do update` upserts, lookups are `where in` lists; all chunked under
 * `dialect.maxParams` so a 50,000-attribute event costs a few dozen round trips, not 50,000.
 */
export function createEventGraphBatches(db: Kysely<Database>, dialect: Dialect): BatchMethods {
  const max = dialect.maxParams;
  const inList = <T>(values: readonly T[]): T[][] => chunked([...new Set(values)], 1, max - 10);

  return {
    async insertAttributes(rows) {
      const mapped = rows.map(attributeToRow);
      const ids = new Map<string, number>();
      for (const part of chunked(mapped, Object.keys(mapped[0] ?? {}).length, max)) {
        for (const r of await db.insertInto('attributes').values(part).returning(['id', 'uuid']).execute()) ids.set(r.uuid, r.id);
      }
      return idsInOrder(mapped.map((r) => r.uuid), ids);
    },

    async insertObjects(rows) {
      const mapped = rows.map(objectToRow);
      const ids = new Map<string, number>();
      for (const part of chunked(mapped, Object.keys(mapped[0] ?? {}).length, max)) {
        for (const r of await db.insertInto('objects').values(part).returning(['id', 'uuid']).execute()) ids.set(r.uuid, r.id);
      }
      return idsInOrder(mapped.map((r) => r.uuid), ids);
    },

    async insertObjectReferences(rows) {
      const mapped = rows.map(referenceToRow);
      const ids = new Map<string, number>();
      for (const part of chunked(mapped, Object.keys(mapped[0] ?? {}).length, max)) {
        for (const r of await db.insertInto('object_references').values(part).returning(['id', 'uuid']).execute()) ids.set(r.uuid, r.id);
      }
      return idsInOrder(mapped.map((r) => r.uuid), ids);
    },

    async saveAttributes(rows) {
      const mapped = rows.map((a) => ({ id: a.id, ...attributeToRow(a) }));
      const cols = Object.keys(mapped[0] ?? {});
      for (const part of chunked(mapped, cols.length, max)) {
        await db.insertInto('attributes').values(part).onConflict((oc) => oc.column('id').doUpdateSet(fromExcluded(cols))).execute();
      }
    },

    async saveObjects(rows) {
      const mapped = rows.map((o) => ({ id: o.id, ...objectToRow(o) }));
      const cols = Object.keys(mapped[0] ?? {});
      for (const part of chunked(mapped, cols.length, max)) {
        await db.insertInto('objects').values(part).onConflict((oc) => oc.column('id').doUpdateSet(fromExcluded(cols))).execute();
      }
    },

    async saveObjectReferences(rows) {
      const mapped = rows.map((x) => ({ id: x.id, ...referenceToRow(x) }));
      const cols = Object.keys(mapped[0] ?? {});
      for (const part of chunked(mapped, cols.length, max)) {
        await db.insertInto('object_references').values(part).onConflict((oc) => oc.column('id').doUpdateSet(fromExcluded(cols))).execute();
      }
    },

    async findAttributesByUuids(uuids) {
      const out = [];
      for (const part of inList(uuids.map((u) => u.toLowerCase()))) {
        out.push(...(await db.selectFrom('attributes').selectAll().where('uuid', 'in', part).execute()).map(attributeFromRow));
      }
      return out;
    },

    async findObjectsByUuids(uuids) {
      const out = [];
      for (const part of inList(uuids.map((u) => u.toLowerCase()))) {
        out.push(...(await db.selectFrom('objects').selectAll().where('uuid', 'in', part).execute()).map(objectFromRow));
      }
      return out;
    },

    async findObjectReferencesByUuids(uuids) {
      const out = [];
      for (const part of inList(uuids.map((u) => u.toLowerCase()))) {
        out.push(...(await db.selectFrom('object_references').selectAll().where('uuid', 'in', part).execute()).map(referenceFromRow));
      }
      return out;
    },

    async findLiveObjectsOfEvent(eventId, templateUuid) {
      const rows = await db.selectFrom('objects').selectAll().where('event_id', '=', eventId)
        .where('template_uuid', '=', templateUuid).where('deleted', '=', 0).orderBy('id').execute();
      return rows.map(objectFromRow);
    },

    async attributesOfObjects(objectIds) {
      const out = [];
      for (const part of inList(objectIds)) {
        out.push(...(await db.selectFrom('attributes').selectAll().where('object_id', 'in', part).orderBy('id').execute()).map(attributeFromRow));
      }
      return out;
    },

    async findLiveAttributesByValue(eventId, values) {
      const out = [];
      for (const part of inList(values)) {
        const rows = await db.selectFrom('attributes').selectAll()
          .where('event_id', '=', eventId).where('object_id', '=', 0).where('deleted', '=', 0)
          .where('value1', 'in', part).execute();
        out.push(...rows.map(attributeFromRow));
      }
      return out;
    },
  };
}
