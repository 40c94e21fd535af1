import { type Kysely, type Selectable, sql } from 'kysely';
import type { Sighting } from '../../core/model/sighting.js';
import type { SightingStore } from '../../core/ports/sighting-store.js';
import type { Database } from '../db-schema.js';
import type { SightingsTable } from '../db-schema-proposals-sightings.js';
import { type BulkColumn, bulkInsert, type Dialect, intIn, uuidIn } from '../dialect.js';
import { pgArrayLiteral } from '../pg-array-literal.js';

const COLUMNS: readonly BulkColumn[] = [
  { name: 'uuid', type: 'text' }, { name: 'attribute_id', type: 'int4' }, { name: 'event_id', type: 'int4' },
  { name: 'org_id', type: 'int4' }, { name: 'date_sighting', type: 'int8' }, { name: 'source', type: 'text' },
  { name: 'type', type: 'int4' },
];

function fromRow(r: Selectable<SightingsTable>): Sighting {
  return {
    id: r.id, uuid: r.uuid, attributeId: r.attribute_id, eventId: r.event_id, orgId: r.org_id,
    dateSighting: Number(r.date_sighting), source: r.source, type: r.type,
  };
}

/** The first key of the advisory locks of expiration replacements (`deleteOrgSightingsOfType`): "sigh" in ASCII. */
const SIGHTING_REPLACEMENT_LOCK = 0x73_69_67_68;

/** Kysely implementation of the sighting port (spec §2.7, §3.6). */
export function createSightingStore(db: Kysely<Database>, dialect: Dialect): SightingStore {
  return {
    async insert(rows) {
      if (rows.length === 0) return [];
      const ids = await bulkInsert(dialect, db, 'sightings', COLUMNS,
        rows.map((r) => [r.uuid, r.attributeId, r.eventId, r.orgId, r.dateSighting, r.source, r.type]), ['id']);
      return rows.map((r, n) => ({ ...r, id: Number(ids[n]!.id) }));
    },

    async deleteOrgSightingsOfType(orgId, type, attributeIds) {
      if (attributeIds.length === 0) return;
      if (dialect.name === 'postgres') {
        // in id order (the array's), so that two replacements of overlapping attributes cannot deadlock
        await sql`select pg_advisory_xact_lock(${sql.lit(SIGHTING_REPLACEMENT_LOCK)}, a.id)
          from unnest(${pgArrayLiteral([...new Set(attributeIds)].sort((x, y) => x - y), true)}::int[]) as a(id)`.execute(db);
      }
      await db.deleteFrom('sightings').where('org_id', '=', orgId).where('type', '=', type)
        .where('attribute_id', 'in', attributeIds).execute();
    },

    async ofEvents(eventIds, orgIds) {
      if (eventIds.length === 0 || (orgIds && orgIds.length === 0)) return [];
      const rows = await db.selectFrom('sightings').selectAll().where(intIn(dialect, sql.ref('event_id'), eventIds))
        .$if(orgIds !== undefined, (q) => q.where('org_id', 'in', orgIds!)).orderBy('id').execute();
      return rows.map(fromRow);
    },

    async reportedEvents(eventIds, orgId) {
      if (eventIds.length === 0) return new Set();
      const rows = await db.selectFrom('sightings').select('event_id').distinct().where('event_id', 'in', eventIds)
        .where('org_id', '=', orgId).execute();
      return new Set(rows.map((r) => r.event_id));
    },

    async find(ref) {
      const row = await db.selectFrom('sightings').selectAll()
        .$if('id' in ref, (q) => q.where('id', '=', (ref as { id: number }).id))
        .$if('uuid' in ref, (q) => q.where('uuid', '=', (ref as { uuid: string }).uuid))
        .executeTakeFirst();
      return row && fromRow(row);
    },

    async delete(id) {
      const r = await db.deleteFrom('sightings').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    async search(f, afterId, limit) {
      const none = (list: readonly unknown[] | undefined) => list !== undefined && list.length === 0;
      if (none(f.attributeIds) || none(f.attributeUuids) || none(f.eventIds) || none(f.types) || none(f.sources) || none(f.orgIds?.include)) return [];
      const rows = await db.selectFrom('sightings').selectAll('sightings')
        .where('sightings.id', '>', afterId)
        .$if(f.attributeIds !== undefined, (q) => q.where('sightings.attribute_id', 'in', f.attributeIds!))
        .$if(f.attributeUuids !== undefined, (q) => q.where('sightings.attribute_id', 'in',
          db.selectFrom('attributes').select('attributes.id').where(uuidIn(dialect, sql.ref('attributes.uuid'), f.attributeUuids!))))
        .$if(f.eventIds !== undefined, (q) => q.where('sightings.event_id', 'in', f.eventIds!))
        .$if(f.orgIds?.include !== undefined, (q) => q.where('sightings.org_id', 'in', f.orgIds!.include!))
        .$if((f.orgIds?.exclude?.length ?? 0) > 0, (q) => q.where('sightings.org_id', 'not in', f.orgIds!.exclude!))
        .$if(f.types !== undefined, (q) => q.where('sightings.type', 'in', f.types!))
        .$if(f.sources !== undefined, (q) => q.where('sightings.source', 'in', f.sources!))
        .$if(f.from !== undefined, (q) => q.where('sightings.date_sighting', '>=', f.from!))
        .$if(f.until !== undefined, (q) => q.where('sightings.date_sighting', '<=', f.until!))
        .orderBy('sightings.id').limit(limit).execute();
      return rows.map(fromRow);
    },

    async hasReported(eventId, orgId) {
      const r = await db.selectFrom('sightings').select('id').where('event_id', '=', eventId).where('org_id', '=', orgId)
        .limit(1).executeTakeFirst();
      return r !== undefined;
    },
  };
}
