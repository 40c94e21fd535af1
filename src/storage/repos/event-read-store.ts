import { type Kysely, type RawBuilder, sql, type SqlBool } from 'kysely';
import type { OrgSummary } from '../../core/model/event.js';
import type { EventReadStore, SharingGroupSummary } from '../../core/ports/event-read-store.js';
import type { Ref } from '../../core/util/uuid.js';
import type { Database } from '../db-schema.js';
import { arrayRows } from '../array-rows.js';
import { type Dialect, intIn, uuidIs } from '../dialect.js';
import { eventIndexConditions } from './event-index-sql.js';
import { valueEquals } from './search-sql.js';
import {
  attributeObjectGateSql, attributeScope, childVisibleSql, deletedStateSql, eventVisibleSql,
} from './event-visibility-sql.js';
import {
  ATTRIBUTE_ROW, attributeColumns, attributeFromRow, eventFromRow, OBJECT_ROW, objectFromRow, referenceFromRow,
} from './event-write-rows.js';
import { chunks } from '../chunks.js';

/** Event ids per statement when loading children of many events (keeps every IN list well under maxParams). */
const ID_CHUNK = 1000;

const allOf = (parts: readonly RawBuilder<SqlBool>[]): RawBuilder<SqlBool> => sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
/** `alias` is the row `ref` names; `d`: its uuid is one SQLite keeps as bytes (binary-uuids.ts). */
const refIs = (alias: string, ref: Ref, d?: Dialect): RawBuilder<SqlBool> => {
  if ('id' in ref) return sql<SqlBool>`${sql.ref(`${alias}.id`)} = ${ref.id}`;
  return d ? uuidIs(d, sql.ref(`${alias}.uuid`), ref.uuid) : sql<SqlBool>`${sql.ref(`${alias}.uuid`)} = ${ref.uuid}`;
};

/**
 * Kysely implementation of the read port (spec §2.2–§2.5, §3.1–§3.3, §4.2–§4.3). Visibility is part of every
 * WHERE clause (event-visibility-sql.ts), so rows the viewer may not see never leave the database.
 */
export function createEventReadStore(db: Kysely<Database>, dialect: Dialect): EventReadStore {
  const eventById = async (id: number) => {
    const row = await db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? eventFromRow(row) : undefined;
  };

  return {
    async findEvent(viewer, ref) {
      const row = await db.selectFrom('events').selectAll()
        .where(refIs('events', ref)).where(eventVisibleSql(viewer, 'events')).executeTakeFirst();
      return row ? eventFromRow(row) : undefined;
    },

    async loadChildren(viewer, scope, deleted) {
      const attributes = [];
      const objects = [];
      const references = [];
      for (const eventIds of chunks([...new Set(scope.eventIds)], ID_CHUNK)) {
        const only = scope.objectIds;
        if (only && only.length === 0) break;
        const within = (column: string): RawBuilder<SqlBool> => (only ? intIn(dialect, sql.ref(column), only) : sql<SqlBool>`1 = 1`);
        // array rows (array-rows.ts): a large event's tens of thousands of attributes are read here
        const objectRows = (await arrayRows(db, sql`select ${OBJECT_ROW.select('objects')} from objects
          inner join events on events.id = objects.event_id
          where ${intIn(dialect, sql.ref('objects.event_id'), eventIds)} and ${within('objects.id')}
          and ${allOf([eventVisibleSql(viewer), childVisibleSql(viewer, 'objects'), deletedStateSql(viewer, 'objects', deleted)])}
          order by objects.id`)).map((r) => OBJECT_ROW.fromArray(r));
        const attributeRows = (await arrayRows(db, sql`select ${attributeColumns(dialect, 'attributes')} from attributes
          inner join events on events.id = attributes.event_id left join objects o on o.id = attributes.object_id
          where ${intIn(dialect, sql.ref('attributes.event_id'), eventIds)} and ${within('attributes.object_id')}
          and ${allOf([
            eventVisibleSql(viewer), childVisibleSql(viewer, 'attributes'), attributeObjectGateSql(viewer, 'attributes', 'o'),
            deletedStateSql(viewer, 'attributes', deleted),
          ])}
          order by attributes.id`)).map((r) => ATTRIBUTE_ROW.fromArray(r));
        const loaded = new Set(objectRows.map((r) => r.id));
        const referenceRows = loaded.size === 0 ? [] : await db.selectFrom('object_references').selectAll()
          .where('event_id', 'in', eventIds)
          .$if(only !== undefined, (q) => q.where('object_id', 'in', only!))
          .orderBy('id').execute();
        objects.push(...objectRows.map(objectFromRow));
        attributes.push(...attributeRows.map(attributeFromRow));
        references.push(...referenceRows.filter((r) => loaded.has(r.object_id)).map(referenceFromRow));
      }
      return { attributes, objects, references };
    },

    async listEvents(viewer, filter, page) {
      const where = allOf(eventIndexConditions(viewer, filter, dialect));
      const direction = page.direction ?? 'asc';
      let q = db.selectFrom('events').selectAll().where(where)
        .orderBy(sql.ref(`events.${page.sort ?? 'id'}`), direction).orderBy('events.id', direction);
      if (page.limit !== undefined) q = q.limit(page.limit).offset(((page.page ?? 1) - 1) * page.limit);
      const rows = await q.execute();
      const total = page.limit === undefined ? rows.length : Number((await db.selectFrom('events')
        .select((eb) => eb.fn.countAll<number>().as('n')).where(where).executeTakeFirstOrThrow()).n);
      return { events: rows.map(eventFromRow), total };
    },

    async findAttribute(viewer, ref, deleted) {
      const row = await db.selectFrom('attributes').innerJoin('events', 'events.id', 'attributes.event_id')
        .leftJoin('objects as o', 'o.id', 'attributes.object_id')
        .selectAll('attributes')
        .where(allOf([refIs('attributes', ref, dialect), ...attributeScope(viewer, deleted)]))
        .executeTakeFirst();
      if (!row) return undefined;
      const event = await eventById(row.event_id);
      return event ? { attribute: attributeFromRow(row), event } : undefined;
    },

    async listAttributes(viewer, filter, page) {
      const value = filter.value;
      const rows = await db.selectFrom('attributes').innerJoin('events', 'events.id', 'attributes.event_id')
        .leftJoin('objects as o', 'o.id', 'attributes.object_id')
        .selectAll('attributes')
        .where(allOf(attributeScope(viewer, [0])))
        .$if(value !== undefined, (q) => q.where(valueEquals('attributes', [value!], dialect)))
        .$if(filter.eventIds !== undefined, (q) => q.where('attributes.event_id', 'in', filter.eventIds!.length ? filter.eventIds! : [-1]))
        .$if(filter.ids !== undefined, (q) => q.where('attributes.id', 'in', filter.ids!.length ? filter.ids! : [-1]))
        .orderBy('attributes.event_id', 'desc').orderBy('attributes.id')
        .limit(page.limit).offset((page.page - 1) * page.limit)
        .execute();
      return rows.map(attributeFromRow);
    },

    async findObject(viewer, ref, deleted) {
      const row = await db.selectFrom('objects').innerJoin('events', 'events.id', 'objects.event_id')
        .selectAll('objects')
        .where(allOf([
          refIs('objects', ref), eventVisibleSql(viewer), childVisibleSql(viewer, 'objects'),
          deletedStateSql(viewer, 'objects', deleted),
        ]))
        .executeTakeFirst();
      if (!row) return undefined;
      const event = await eventById(row.event_id);
      return event ? { object: objectFromRow(row), event } : undefined;
    },

    async organisations(ids) {
      const out = new Map<number, OrgSummary>();
      for (const part of chunks([...new Set(ids)], ID_CHUNK)) {
        const rows = await db.selectFrom('organisations').select(['id', 'name', 'uuid', 'local']).where('id', 'in', part).execute();
        for (const r of rows) out.set(r.id, { id: r.id, name: r.name, uuid: r.uuid, local: r.local === 1 });
      }
      return out;
    },

    async sharingGroupSummaries(ids) {
      const out = new Map<number, SharingGroupSummary>();
      for (const part of chunks([...new Set(ids)].filter((id) => id > 0), ID_CHUNK)) {
        const rows = await db.selectFrom('sharing_groups').select(['id', 'name', 'uuid']).where('id', 'in', part).execute();
        for (const r of rows) out.set(r.id, r);
      }
      return out;
    },

    async sharingGroupIdsOfOrg(orgId) {
      const rows = await db.selectFrom('sharing_group_orgs').select('sharing_group_id').where('org_id', '=', orgId)
        .union(db.selectFrom('sharing_group_servers').select('sharing_group_id').where('server_id', '=', 0).where('all_orgs', '=', 1))
        .execute();
      return [...new Set(rows.map((r) => r.sharing_group_id))].sort((a, b) => a - b);
    },
  };
}
