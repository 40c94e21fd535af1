import { type Kysely, type RawBuilder, sql, type SqlBool } from 'kysely';
import type { EventViewer } from '../../core/acl/event-visibility.js';
import type { EventReport, EventReportHit } from '../../core/model/event-report.js';
import type { EventReportStore } from '../../core/ports/event-report-store.js';
import type { Database } from '../db-schema.js';
import type { Dialect } from '../dialect.js';
import { childVisibleSql, deletedStateSql, eventVisibleSql } from './event-visibility-sql.js';

const allOf = (parts: readonly RawBuilder<SqlBool>[]): RawBuilder<SqlBool> => sql<SqlBool>`(${sql.join(parts, sql` and `)})`;

interface HitRow {
  id: number; uuid: string; event_id: number; name: string; content: string; distribution: number;
  sharing_group_id: number; timestamp: number; deleted: number;
  e_org_id: number; e_orgc_id: number; e_user_id: number; e_info: string; e_date: string;
}

function hitFromRow(r: HitRow): EventReportHit {
  const report: EventReport = {
    id: r.id, uuid: r.uuid, eventId: r.event_id, name: r.name, content: r.content, distribution: r.distribution,
    sharingGroupId: r.sharing_group_id, timestamp: Number(r.timestamp), deleted: r.deleted === 1,
  };
  return { report, event: { id: r.event_id, orgId: r.e_org_id, orgcId: r.e_orgc_id, userId: r.e_user_id, info: r.e_info, date: r.e_date } };
}

/**
 * Kysely implementation of the event report port (spec §2.8, §3.7). Reads join the event and put both tests of
 * spec §4.3 in the WHERE clause (event-visibility-sql.ts), so invisible reports never leave the database.
 */
export function createEventReportStore(db: Kysely<Database>, dialect: Dialect): EventReportStore {
  const visible = (viewer: EventViewer) => db.selectFrom('event_reports as r').innerJoin('events', 'events.id', 'r.event_id')
    .selectAll('r')
    .select(['events.org_id as e_org_id', 'events.orgc_id as e_orgc_id', 'events.user_id as e_user_id', 'events.info as e_info', 'events.date as e_date'])
    .where(() => allOf([eventVisibleSql(viewer), childVisibleSql(viewer, 'r')]));
  return {
    async insert(x) {
      const row = await db.insertInto('event_reports').values({
        uuid: x.uuid, event_id: x.eventId, name: x.name, content: x.content, distribution: x.distribution,
        sharing_group_id: x.sharingGroupId, timestamp: x.timestamp, deleted: x.deleted ? 1 : 0,
      }).returning('id').executeTakeFirstOrThrow();
      return { ...x, id: row.id };
    },
    async update(id, c) {
      const set = {
        ...(c.name !== undefined ? { name: c.name } : {}), ...(c.content !== undefined ? { content: c.content } : {}),
        ...(c.distribution !== undefined ? { distribution: c.distribution } : {}),
        ...(c.sharingGroupId !== undefined ? { sharing_group_id: c.sharingGroupId } : {}),
        ...(c.timestamp !== undefined ? { timestamp: c.timestamp } : {}),
        ...(c.deleted !== undefined ? { deleted: c.deleted ? 1 : 0 } : {}),
      };
      if (Object.keys(set).length) await db.updateTable('event_reports').set(set).where('id', '=', id).execute();
    },
    async delete(id) {
      await db.deleteFrom('event_reports').where('id', '=', id).execute();
    },
    async uuidTaken(uuid) {
      return (await db.selectFrom('event_reports').select('id').where('uuid', '=', uuid).executeTakeFirst()) !== undefined;
    },
    async findByUuid(uuid) {
      const r = await db.selectFrom('event_reports').selectAll().where('uuid', '=', uuid).executeTakeFirst();
      return r && {
        id: r.id, uuid: r.uuid, eventId: r.event_id, name: r.name, content: r.content, distribution: r.distribution,
        sharingGroupId: r.sharing_group_id, timestamp: Number(r.timestamp), deleted: r.deleted === 1,
      };
    },
    async findVisible(viewer, ref) {
      const q = visible(viewer);
      const row = await ('id' in ref ? q.where('r.id', '=', ref.id) : q.where('r.uuid', '=', ref.uuid)).executeTakeFirst();
      return row && hitFromRow(row as HitRow);
    },
    async listVisible(viewer, f) {
      let q = visible(viewer).where(deletedStateSql(viewer, 'r', f.deleted));
      if (f.eventIds) {
        if (f.eventIds.length === 0) return [];
        q = q.where('r.event_id', 'in', [...f.eventIds]);
      }
      if (f.value) {
        const like = `%${f.value.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
        const exact = /^\d+$/.test(f.value) ? sql<SqlBool>`r.id = ${Number(f.value)}` : sql<SqlBool>`r.uuid = ${f.value.toLowerCase()}`;
        q = q.where(sql<SqlBool>`(${dialect.ilike(sql.ref('r.name'), like)} or ${dialect.ilike(sql.ref('r.content'), like)} or ${exact})`);
      }
      const rows = await q.orderBy('r.event_id').orderBy('r.id').execute();
      return rows.map((r) => hitFromRow(r as HitRow));
    },
  };
}
