import type { Kysely, Selectable } from 'kysely';
import type { InboxItem, RegistrationStore } from '../../core/ports/registration-store.js';
import type { Database } from '../db-schema.js';
import type { InboxTable } from '../db-schema-access.js';
import type { Dialect } from '../dialect.js';

function toItem(r: Selectable<InboxTable>): InboxItem {
  let data: Record<string, unknown> = {};
  try {
    data = JSON.parse(r.data) as Record<string, unknown>;
  } catch {
    // a row written by hand: keep it listable
  }
  return {
    id: r.id, uuid: r.uuid, title: r.title, type: r.type, ip: r.ip, userAgent: r.user_agent, userAgentSha256: r.user_agent_sha256,
    comment: r.comment, deleted: r.deleted === 1, timestamp: Number(r.timestamp), storeAsFile: r.store_as_file === 1, data,
  };
}

export function createRegistrationStore(db: Kysely<Database>, d: Dialect): RegistrationStore {
  return {
    async addInboxItem(i) {
      const r = await db.insertInto('inbox').values({
        uuid: i.uuid, title: i.title, type: i.type, ip: i.ip, user_agent: i.userAgent, user_agent_sha256: i.userAgentSha256,
        comment: i.comment, timestamp: i.timestamp, data: JSON.stringify(i.data),
      }).returningAll().executeTakeFirstOrThrow();
      return toItem(r);
    },

    async listInboxItems(type, search) {
      let q = db.selectFrom('inbox').selectAll().where('type', '=', type).where('deleted', '=', 0);
      if (search) {
        const p = `%${search}%`;
        q = q.where((eb) => eb.or([d.ilike(eb.ref('data'), p), d.ilike(eb.ref('user_agent'), p), d.ilike(eb.ref('ip'), p)]));
      }
      return (await q.orderBy('id').execute()).map(toItem);
    },

    async findInboxItems(type, refs) {
      const ids = refs.filter((r): r is number => typeof r === 'number');
      const uuids = refs.filter((r): r is string => typeof r === 'string').map((u) => u.toLowerCase());
      if (ids.length === 0 && uuids.length === 0) return [];
      const rows = await db.selectFrom('inbox').selectAll().where('type', '=', type).where('deleted', '=', 0)
        .where((eb) => eb.or([
          ...(ids.length ? [eb('id', 'in', ids)] : []),
          ...(uuids.length ? [eb('uuid', 'in', uuids)] : []),
        ])).orderBy('id').execute();
      return rows.map(toItem);
    },

    async deleteInboxItem(id) {
      await db.deleteFrom('inbox').where('id', '=', id).execute();
    },
  };
}
