import { type Kysely, sql } from 'kysely';
import type { EventViewer } from '../../core/acl/event-visibility.js';
import type { StatisticsStore } from '../../core/ports/statistics-store.js';
import type { Database } from '../db-schema.js';
import { attributeScope, eventVisibleSql } from './event-visibility-sql.js';

const n = (v: unknown): number => Number(v ?? 0);

/** Kysely implementation of the statistics port: each figure is one grouped query under the viewer's visibility. */
export function createStatisticsStore(db: Kysely<Database>): StatisticsStore {
  const attributesInScope = (viewer: EventViewer, deleted: readonly (0 | 1)[]) => db.selectFrom('attributes')
    .innerJoin('events', 'events.id', 'attributes.event_id').leftJoin('objects as o', 'o.id', 'attributes.object_id')
    .where((eb) => eb.and(attributeScope(viewer, deleted)));
  const grouped = async (rows: Array<{ k: string | null; c: unknown }>) => new Map(rows.map((r) => [r.k ?? '', n(r.c)]));
  return {
    async attributesBy(viewer, column) {
      return grouped(await attributesInScope(viewer, [0, 1])
        .select([sql<string>`attributes.${sql.raw(column)}`.as('k'), sql<number>`count(*)`.as('c')])
        .groupBy(`attributes.${column}`).execute());
    },
    async activeAttributeTypes(viewer, orgcId) {
      return grouped(await attributesInScope(viewer, [0])
        .$if(orgcId !== undefined, (q) => q.where('events.orgc_id', '=', orgcId!))
        .select([sql<string>`attributes.type`.as('k'), sql<number>`count(*)`.as('c')]).groupBy('attributes.type').execute());
    },
    async eventTagCounts(viewer) {
      return grouped(await db.selectFrom('event_tags').innerJoin('events', 'events.id', 'event_tags.event_id')
        .innerJoin('tags', 'tags.id', 'event_tags.tag_id').where(eventVisibleSql(viewer))
        .select([sql<string>`tags.name`.as('k'), sql<number>`count(*)`.as('c')]).groupBy('tags.name').execute());
    },
    async countEvents(viewer, since) {
      const r = await db.selectFrom('events').where(eventVisibleSql(viewer))
        .$if(since !== undefined, (q) => q.where('events.timestamp', '>', since!))
        .select(sql<number>`count(*)`.as('c')).executeTakeFirst();
      return n(r?.c);
    },
    async countAttributes(viewer, since) {
      const r = await attributesInScope(viewer, [0])
        .$if(since !== undefined, (q) => q.where('attributes.timestamp', '>', since!))
        .select(sql<number>`count(*)`.as('c')).executeTakeFirst();
      return n(r?.c);
    },
    async orgActivity(viewer) {
      const rows = await db.selectFrom('events').where(eventVisibleSql(viewer))
        .select(['events.orgc_id', sql<number>`count(*)`.as('events'), sql<number>`sum(events.attribute_count)`.as('attributes')])
        .groupBy('events.orgc_id').execute();
      return rows.map((r) => ({ orgId: r.orgc_id, events: n(r.events), attributes: n(r.attributes) }));
    },
    async countCorrelations() {
      return n((await db.selectFrom('correlations').select(sql<number>`count(*)`.as('c')).executeTakeFirst())?.c);
    },
    async countPendingProposals() {
      return n((await db.selectFrom('shadow_attributes').where('deleted', '=', 0).select(sql<number>`count(*)`.as('c')).executeTakeFirst())?.c);
    },
    async countUsers(f = {}) {
      const r = await db.selectFrom('users')
        .$if(f.createdSince !== undefined, (q) => q.where('date_created', '>=', f.createdSince!))
        .$if(f.withPgpKey === true, (q) => q.where('gpgkey', 'is not', null).where('gpgkey', '!=', ''))
        .select(sql<number>`count(*)`.as('c')).executeTakeFirst();
      return n(r?.c);
    },
    async usersPerOrg() {
      const rows = await db.selectFrom('users').select(['org_id', sql<number>`count(*)`.as('c')]).groupBy('org_id').execute();
      return new Map(rows.map((r) => [r.org_id, n(r.c)]));
    },
    async countOrganisations(f = {}) {
      const r = await db.selectFrom('organisations')
        .$if(f.local !== undefined, (q) => q.where('local', '=', f.local ? 1 : 0))
        .$if(f.createdSince !== undefined, (q) => q.where('date_created', '>=', f.createdSince!))
        .select(sql<number>`count(*)`.as('c')).executeTakeFirst();
      return n(r?.c);
    },
    async sightingsOfOrg(orgId, since) {
      const rows = await db.selectFrom('sightings').where('org_id', '=', orgId)
        .$if(since !== undefined, (q) => q.where('date_sighting', '>', since!))
        .select(['type', 'source', 'event_id']).orderBy('id').execute();
      return rows.map((r) => ({ type: r.type, source: r.source, eventId: r.event_id }));
    },
  };
}
