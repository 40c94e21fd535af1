import { type Kysely, sql, type SqlBool } from 'kysely';
import type { EventPatch, EventWriteStore } from '../../core/ports/event-write-store.js';
import type { Ref } from '../../core/util/uuid.js';
import type { Database } from '../db-schema.js';
import { type Dialect, uuidIs } from '../dialect.js';
import { createEventGraphBatches, type WrittenHashes } from './event-graph-batches.js';
import { attributeFromRow, eventFromRow, objectFromRow, referenceFromRow } from './event-write-rows.js';
import { chunks } from '../chunks.js';

/** Events per statement of `setAttributeCounts` (three parameters each). */
const COUNTS_PER_STATEMENT = 1000;

const byRef = (ref: Ref): ['id', number] | ['uuid', string] => ('id' in ref ? ['id', ref.id] : ['uuid', ref.uuid.toLowerCase()]);

function patchToRow(p: EventPatch): Record<string, unknown> {
  const flag = (v: boolean | undefined) => (v === undefined ? undefined : v ? 1 : 0);
  const row: Record<string, unknown> = {
    date: p.date, info: p.info, threat_level_id: p.threatLevelId, analysis: p.analysis, published: flag(p.published),
    publish_timestamp: p.publishTimestamp, timestamp: p.timestamp, distribution: p.distribution,
    sharing_group_id: p.sharingGroupId, disable_correlation: flag(p.disableCorrelation), extends_uuid: p.extendsUuid,
    locked: flag(p.locked), protected: p.protected === undefined ? undefined : p.protected === null ? null : p.protected ? 1 : 0,
  };
  for (const k of Object.keys(row)) if (row[k] === undefined) delete row[k];
  return row;
}

/** Kysely implementation of the event write port (spec §2.11, §3.1–§3.3); batches live in event-graph-batches.ts. */
export function createEventWriteStore(db: Kysely<Database>, dialect: Dialect, hashes?: WrittenHashes): EventWriteStore {
  const batches = createEventGraphBatches(db, dialect, hashes);
  return {
    ...batches,

    async updateEvent(id, patch) {
      const row = patchToRow(patch);
      if (Object.keys(row).length > 0) await db.updateTable('events').set(row).where('id', '=', id).execute();
    },

    async findEvent(ref) {
      const [col, v] = byRef(ref);
      const r = await db.selectFrom('events').selectAll().where(col, '=', v).executeTakeFirst();
      return r && eventFromRow(r);
    },

    async findAttribute(ref) {
      const r = await db.selectFrom('attributes').selectAll()
        .where('id' in ref ? sql<SqlBool>`id = ${ref.id}` : uuidIs(dialect, sql.ref('uuid'), ref.uuid.toLowerCase())).executeTakeFirst();
      return r && attributeFromRow(r);
    },

    async findObject(ref) {
      const [col, v] = byRef(ref);
      const r = await db.selectFrom('objects').selectAll().where(col, '=', v).executeTakeFirst();
      return r && objectFromRow(r);
    },

    async findObjectReference(ref) {
      const [col, v] = byRef(ref);
      const r = await db.selectFrom('object_references').selectAll().where(col, '=', v).executeTakeFirst();
      return r && referenceFromRow(r);
    },

    async deleteEvent(id) {
      // attributes.object_id has no foreign key, but every attribute also references its event: one cascade suffices
      const r = await db.deleteFrom('events').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    async deleteAttribute(id) {
      const r = await db.deleteFrom('attributes').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    async deleteObject(id) {
      await db.deleteFrom('attributes').where('object_id', '=', id).where('object_id', '<>', 0).execute();
      const r = await db.deleteFrom('objects').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    async deleteObjectReference(id) {
      const r = await db.deleteFrom('object_references').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    async softDeleteObjectAttributes(objectId, timestamp) {
      await db.updateTable('attributes').set({ deleted: 1, timestamp }).where('object_id', '=', objectId).where('object_id', '<>', 0).execute();
    },

    async softDeleteReferencesTo(referencedType, referencedId) {
      await db.updateTable('object_references').set({ deleted: 1 })
        .where('referenced_type', '=', referencedType).where('referenced_id', '=', referencedId).execute();
    },

    async refreshAttributeCount(eventId) {
      await db.updateTable('events')
        .set({ attribute_count: sql<number>`(select count(*) from attributes where attributes.event_id = ${eventId} and attributes.deleted = 0)` })
        .where('id', '=', eventId).execute();
    },

    async setAttributeCounts(counts) {
      for (const part of chunks(counts, COUNTS_PER_STATEMENT)) {
        const cases = sql.join(part.map((c) => sql`when ${c.eventId} then cast(${c.count} as integer)`), sql` `);
        await db.updateTable('events').set({ attribute_count: sql<number>`case id ${cases} end` })
          .where('id', 'in', part.map((c) => c.eventId)).execute();
      }
    },

    async touchObject(objectId, timestamp) {
      await db.updateTable('objects').set({ timestamp }).where('id', '=', objectId).execute();
    },

    async canUseSharingGroup(sharingGroupId, user) {
      let q = db.selectFrom('sharing_groups as sg').select('sg.id').where('sg.id', '=', sharingGroupId);
      if (!user.siteAdmin) {
        const orgId = user.orgId;
        q = q.where((e) => e.or([
          e('sg.org_id', '=', orgId),
          e.exists(e.selectFrom('sharing_group_orgs as o').select('o.id')
            .whereRef('o.sharing_group_id', '=', 'sg.id').where('o.org_id', '=', orgId)),
          e.exists(e.selectFrom('sharing_group_servers as s').select('s.id')
            .whereRef('s.sharing_group_id', '=', 'sg.id').where('s.server_id', '=', 0).where('s.all_orgs', '=', 1)),
        ]));
      }
      return (await q.executeTakeFirst()) !== undefined;
    },
  };
}
