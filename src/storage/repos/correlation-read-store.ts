import { type Kysely, type RawBuilder, sql, type SqlBool } from 'kysely';
import type { EventViewer } from '../../core/acl/event-visibility.js';
import type { CorrelationReadStore, ViewedEvent } from '../../core/ports/correlation-store.js';
import { pushTo } from '../../core/util/multimap.js';
import type { Database } from '../db-schema.js';
import { type Dialect, intIn } from '../dialect.js';
import { childAudienceSql, eventAudienceSql } from './event-visibility-sql.js';
import { attributeFromRow } from './event-write-rows.js';

const ref = (column: string) => sql.ref(column);

/**
 * The other side of a correlation row `c`, judged with the attribute-scope rule of spec §4.3 on the row's
 * denormalised columns (no join): its event, the attribute itself and, inside an object, the object. The event's
 * `published` flag is not copied into rows; MISP.unpublishedprivate is applied when the related events are loaded
 * through the event read store, which gates every event shown.
 */
function otherSideVisible(v: EventViewer): RawBuilder<SqlBool> {
  const orgId = ref('c.1_org_id');
  const event = eventAudienceSql({ ...v, unpublishedPrivate: false }, {
    orgId, distribution: ref('c.1_event_distribution'), sharingGroupId: ref('c.1_event_sharing_group_id'),
  });
  const attribute = childAudienceSql(v, { orgId, distribution: ref('c.1_distribution'), sharingGroupId: ref('c.1_sharing_group_id') });
  const object = childAudienceSql(v, {
    orgId, distribution: ref('c.1_object_distribution'), sharingGroupId: ref('c.1_object_sharing_group_id'),
  });
  return sql<SqlBool>`(${event} and ${attribute} and (${ref('c.1_object_id')} = 0 or ${object}))`;
}

/**
 * This side of the row: a viewer outside the viewed event's owner org sees correlations only of the attributes it
 * may see (attribute test, and object test inside an object). Owner org and site admins see every attribute.
 */
function thisSideVisible(v: EventViewer, ownerOrgId: number): RawBuilder<SqlBool> {
  if (v.isSiteAdmin || v.orgId === ownerOrgId) return sql<SqlBool>`1 = 1`;
  const orgId = sql`${ownerOrgId}`;
  const attribute = childAudienceSql(v, { orgId, distribution: ref('a.distribution'), sharingGroupId: ref('a.sharing_group_id') });
  const object = childAudienceSql(v, { orgId, distribution: ref('o.distribution'), sharingGroupId: ref('o.sharing_group_id') });
  return sql<SqlBool>`exists (select 1 from attributes a left join objects o on o.id = a.object_id
    where a.id = c.attribute_id and ${attribute} and (a.object_id = 0 or (o.id is not null and ${object})))`;
}

export function createCorrelationReadStore(db: Kysely<Database>, d: Dialect): CorrelationReadStore {
  const where = (v: EventViewer, event: ViewedEvent) =>
    sql<SqlBool>`c.event_id = ${event.id} and ${otherSideVisible(v)} and ${thisSideVisible(v, event.orgId)}`;

  return {
    async relatedRows(viewer, event, limit) {
      const rows = await db.selectFrom('correlations as c')
        .select(['c.attribute_id', 'c.1_event_id', 'c.1_attribute_id', 'c.value_id'])
        .where(where(viewer, event)).orderBy('c.attribute_id').orderBy('c.1_attribute_id').limit(limit).execute();
      return rows.map((r) => ({
        attributeId: r.attribute_id, relatedEventId: r['1_event_id'], relatedAttributeId: r['1_attribute_id'], valueId: Number(r.value_id),
      }));
    },

    async relatedEventIdsOf(viewer, events) {
      // this side's rule depends on the viewed event's owner org: one statement per owner org, or one for all events
      // whose every attribute the viewer sees (site admins, the viewer's own org)
      const byOwner = new Map<number, number[]>();
      for (const e of events) pushTo(byOwner, viewer.isSiteAdmin ? viewer.orgId : e.orgId, e.id);
      const out = new Map<number, number[]>();
      for (const [owner, ids] of byOwner) {
        const rows = await db.selectFrom('correlations as c').select(['c.event_id', 'c.1_event_id']).distinct()
          .where(sql<SqlBool>`${intIn(d, ref('c.event_id'), ids)} and ${otherSideVisible(viewer)} and ${thisSideVisible(viewer, owner)}`).execute();
        for (const r of rows) pushTo(out, r.event_id, r['1_event_id']);
      }
      return out;
    },

    async relatedRowsOf(viewer, sources, limit) {
      const byEvent = new Map<number, number[]>();
      for (const s of sources) byEvent.set(s.eventId, [...(byEvent.get(s.eventId) ?? []), s.id]);
      const out: Awaited<ReturnType<CorrelationReadStore['relatedRowsOf']>> = [];
      for (const [eventId, ids] of byEvent) {
        if (out.length >= limit) break;
        const rows = await db.selectFrom('correlations as c')
          .select(['c.attribute_id', 'c.1_event_id', 'c.1_attribute_id', 'c.value_id'])
          .where(sql<SqlBool>`c.event_id = ${eventId} and ${intIn(d, ref('c.attribute_id'), ids)} and ${otherSideVisible(viewer)}`)
          .orderBy('c.attribute_id').orderBy('c.1_attribute_id').limit(limit - out.length).execute();
        out.push(...rows.map((r) => ({
          attributeId: r.attribute_id, relatedEventId: r['1_event_id'], relatedAttributeId: r['1_attribute_id'], valueId: Number(r.value_id),
        })));
      }
      return out;
    },

    async attributesByIds(ids) {
      const unique = [...new Set(ids)];
      const out = [];
      for (let i = 0; i < unique.length; i += 10_000) {
        const rows = await db.selectFrom('attributes').selectAll().where(intIn(d, ref('id'), unique.slice(i, i + 10_000))).execute();
        out.push(...rows.map(attributeFromRow));
      }
      return out;
    },

    async values(ids) {
      const out = new Map<number, string>();
      const unique = [...new Set(ids)];
      for (let i = 0; i < unique.length; i += 10_000) {
        const rows = await db.selectFrom('correlation_values').select(['id', 'value'])
          .where(intIn(d, ref('id'), unique.slice(i, i + 10_000))).execute();
        for (const r of rows) out.set(Number(r.id), r.value);
      }
      return out;
    },

    async topValues(limit, offset) {
      const rows = await db.selectFrom('correlations as c').innerJoin('correlation_values as v', 'v.id', 'c.value_id')
        .select((eb) => ['c.value_id', 'v.value', eb.fn.countAll<number>().as('n')])
        .groupBy(['c.value_id', 'v.value']).orderBy('n', 'desc').orderBy('c.value_id').limit(limit).offset(offset).execute();
      // every pair is stored once from each side
      return rows.map((r) => ({ valueId: Number(r.value_id), value: r.value, count: Number(r.n) / 2 }));
    },
  };
}
