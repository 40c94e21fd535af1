import { type Kysely, type RawBuilder, type Selectable, sql, type SqlBool } from 'kysely';
import type { EventViewer } from '../../core/acl/event-visibility.js';
import type { Proposal } from '../../core/model/proposal.js';
import type { ProposalListFilter, ProposalStore } from '../../core/ports/proposal-store.js';
import type { Ref } from '../../core/util/uuid.js';
import type { Database } from '../db-schema.js';
import type { ShadowAttributesTable } from '../db-schema-proposals-sightings.js';
import { attributeObjectGateSql, childVisibleSql, eventVisibleSql } from './event-visibility-sql.js';

/** Every column but the file: listings never read proposal payloads. */
const COLUMNS = [
  'id', 'old_id', 'event_id', 'type', 'category', 'value1', 'value2', 'to_ids', 'uuid', 'event_uuid', 'event_org_id',
  'email', 'org_id', 'comment', 'deleted', 'timestamp', 'proposal_to_delete', 'disable_correlation', 'first_seen', 'last_seen',
] as const;

type Row = Omit<Selectable<ShadowAttributesTable>, 'data'>;

const b = (v: number): boolean => v === 1;
const i = (v: boolean): number => (v ? 1 : 0);

function fromRow(r: Row): Proposal {
  return {
    id: r.id, oldId: r.old_id ?? 0, eventId: r.event_id, type: r.type, category: r.category, value1: r.value1,
    value2: r.value2, toIds: b(r.to_ids), uuid: r.uuid, eventUuid: r.event_uuid, eventOrgId: r.event_org_id,
    email: r.email, orgId: r.org_id, comment: r.comment, deleted: b(r.deleted), timestamp: r.timestamp,
    proposalToDelete: b(r.proposal_to_delete), disableCorrelation: b(r.disable_correlation),
    firstSeen: r.first_seen, lastSeen: r.last_seen,
  };
}

const refIs = (ref: Ref): RawBuilder<SqlBool> => ('id' in ref
  ? sql<SqlBool>`sa.id = ${ref.id}` : sql<SqlBool>`sa.uuid = ${ref.uuid.toLowerCase()}`);

/**
 * `ShadowAttribute::buildConditions`: the event is visible, and a change proposal's attribute (and its object)
 * passes the element test of spec §4.3. Expects `sa`, `events`, `attributes` and `o` (the attribute's object).
 */
function visibleSql(v: EventViewer): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${eventVisibleSql(v)} and (sa.old_id is null
    or (attributes.id is not null and ${childVisibleSql(v, 'attributes')} and ${attributeObjectGateSql(v, 'attributes', 'o')})))`;
}

/** Kysely implementation of the proposal port (spec §2.9, §3.8). */
export function createProposalStore(db: Kysely<Database>): ProposalStore {
  const joined = () => db.selectFrom('shadow_attributes as sa')
    .innerJoin('events', 'events.id', 'sa.event_id')
    .leftJoin('attributes', 'attributes.id', 'sa.old_id')
    .leftJoin('objects as o', 'o.id', 'attributes.object_id')
    .select(COLUMNS.map((c) => `sa.${c}` as const));

  return {
    async insert(p, payload) {
      const row = {
        old_id: p.oldId === 0 ? null : p.oldId, event_id: p.eventId, type: p.type, category: p.category, value1: p.value1,
        value2: p.value2, to_ids: i(p.toIds), uuid: p.uuid, event_uuid: p.eventUuid, event_org_id: p.eventOrgId, email: p.email,
        org_id: p.orgId, comment: p.comment, deleted: i(p.deleted), timestamp: p.timestamp,
        proposal_to_delete: i(p.proposalToDelete), disable_correlation: i(p.disableCorrelation),
        first_seen: p.firstSeen, last_seen: p.lastSeen, data: payload ?? null,
      };
      const r = await db.insertInto('shadow_attributes').values(row).returning(COLUMNS).executeTakeFirstOrThrow();
      return fromRow(r);
    },

    async findLive(ref) {
      const r = await db.selectFrom('shadow_attributes as sa').select(COLUMNS.map((c) => `sa.${c}` as const))
        .where(refIs(ref)).where('sa.deleted', '=', 0).orderBy('sa.id').limit(1).executeTakeFirst();
      return r && fromRow(r);
    },

    async findVisible(viewer, ref) {
      const r = await joined().where(refIs(ref)).where('sa.deleted', '=', 0).where(visibleSql(viewer))
        .orderBy('sa.id').limit(1).executeTakeFirst();
      return r && fromRow(r);
    },

    async list(viewer, f: ProposalListFilter) {
      let q = joined().where(visibleSql(viewer));
      if (f.eventId !== undefined) q = q.where('sa.event_id', '=', f.eventId);
      if (f.eventOrgcId !== undefined) q = q.where('events.orgc_id', '=', f.eventOrgcId);
      if (f.deleted !== undefined) q = q.where('sa.deleted', '=', i(f.deleted));
      if (f.since !== undefined) q = q.where('sa.timestamp', '>=', f.since);
      q = q.orderBy('sa.event_id', 'desc').orderBy('sa.type').orderBy('sa.id');
      if (f.limit !== undefined) q = q.limit(f.limit).offset(((f.page ?? 1) - 1) * f.limit);
      return (await q.execute()).map(fromRow);
    },

    async liveOfEvents(eventIds) {
      if (eventIds.length === 0) return [];
      const rows = await db.selectFrom('shadow_attributes as sa').select(COLUMNS.map((c) => `sa.${c}` as const))
        .where('sa.event_id', 'in', eventIds).where('sa.deleted', '=', 0).orderBy('sa.id').execute();
      return rows.map(fromRow);
    },

    async markDeleted(id, timestamp) {
      await db.updateTable('shadow_attributes').set({ deleted: 1, timestamp }).where('id', '=', id).execute();
    },

    async payload(id) {
      const r = await db.selectFrom('shadow_attributes').select('data').where('id', '=', id).executeTakeFirst();
      return r?.data ?? undefined;
    },
  };
}
