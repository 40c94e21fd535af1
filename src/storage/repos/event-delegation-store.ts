import type { Kysely, Selectable } from 'kysely';
import type { EventDelegation } from '../../core/model/event-delegation.js';
import type { EventDelegationStore } from '../../core/ports/event-delegation-store.js';
import type { Database } from '../db-schema.js';
import type { EventDelegationsTable } from '../db-schema-delegations.js';

function fromRow(r: Selectable<EventDelegationsTable>): EventDelegation {
  return {
    id: r.id, orgId: r.org_id, requesterOrgId: r.requester_org_id, eventId: r.event_id, message: r.message,
    distribution: r.distribution, sharingGroupId: r.sharing_group_id,
  };
}

/** Kysely implementation of the event delegation port. */
export function createEventDelegationStore(db: Kysely<Database>): EventDelegationStore {
  return {
    async insert(d) {
      const row = await db.insertInto('event_delegations').values({
        org_id: d.orgId, requester_org_id: d.requesterOrgId, event_id: d.eventId, message: d.message,
        distribution: d.distribution, sharing_group_id: d.sharingGroupId,
      }).returningAll().executeTakeFirstOrThrow();
      return fromRow(row);
    },
    async find(id) {
      const row = await db.selectFrom('event_delegations').selectAll().where('id', '=', id).executeTakeFirst();
      return row && fromRow(row);
    },
    async ofEvent(eventId) {
      const row = await db.selectFrom('event_delegations').selectAll().where('event_id', '=', eventId).executeTakeFirst();
      return row && fromRow(row);
    },
    async list(f) {
      const rows = await db.selectFrom('event_delegations').selectAll()
        .$if(f.orgId !== undefined, (q) => q.where('org_id', '=', f.orgId!))
        .$if(f.requesterOrgId !== undefined, (q) => q.where('requester_org_id', '=', f.requesterOrgId!))
        .orderBy('id', 'desc').execute();
      return rows.map(fromRow);
    },
    async delete(id) {
      await db.deleteFrom('event_delegations').where('id', '=', id).execute();
    },
    async eventIdsDelegatedTo(orgId) {
      const rows = await db.selectFrom('event_delegations').select('event_id').where('org_id', '=', orgId).execute();
      return rows.map((r) => r.event_id);
    },
    async transferEvent(eventId, orgId, userId, timestamp) {
      await db.updateTable('events').set({ org_id: orgId, orgc_id: orgId, user_id: userId, timestamp }).where('id', '=', eventId).execute();
    },
  };
}
