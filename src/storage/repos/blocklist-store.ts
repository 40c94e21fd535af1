import { type Kysely, sql } from 'kysely';
import type { BlocklistEntry, BlocklistKind } from '../../core/model/blocklist.js';
import { blockKey, type BlocklistStore } from '../../core/ports/blocklist-store.js';
import type { Database } from '../db-schema.js';
import { chunks } from '../chunks.js';

type Row = { id: number; uuid: string; created: string; comment: string; info: string; org: string };

/** The three tables behind one shape: column names per kind. */
const TABLES = {
  event: { table: 'event_blocklists', uuid: 'event_uuid', info: 'event_info', org: 'event_orgc' },
  org: { table: 'org_blocklists', uuid: 'org_uuid', info: null, org: 'org_name' },
  cluster: { table: 'galaxy_cluster_blocklists', uuid: 'cluster_uuid', info: 'cluster_info', org: 'cluster_orgc' },
} as const;

/** Checks per statement of `blockedAmong`: one parameter each, well under both dialects' limits. */
const CHECKS_PER_STATEMENT = 500;

const toEntry = (kind: BlocklistKind, r: Row): BlocklistEntry => ({
  id: r.id, kind, uuid: r.uuid, created: r.created, comment: r.comment, info: r.info, orgName: r.org,
});

/** Kysely implementation of the blocklist port; uuids compare case-insensitively (stored lower-case). */
export function createBlocklistStore(db: Kysely<Database>): BlocklistStore {
  const select = (kind: BlocklistKind) => {
    const t = TABLES[kind];
    return db.selectFrom(t.table as 'event_blocklists').select([
      'id', sql<string>`${sql.ref(t.uuid)}`.as('uuid'), 'created', 'comment',
      (t.info ? sql<string>`${sql.ref(t.info)}` : sql<string>`''`).as('info'), sql<string>`${sql.ref(t.org)}`.as('org'),
    ]);
  };
  const values = (kind: BlocklistKind, f: Partial<{ comment: string; info: string; orgName: string }>) => {
    const t = TABLES[kind];
    const v: Record<string, string> = {};
    if (f.comment !== undefined) v.comment = f.comment;
    if (f.orgName !== undefined) v[t.org] = f.orgName;
    if (f.info !== undefined && t.info) v[t.info] = f.info;
    return v;
  };
  const blockedAmong: BlocklistStore['blockedAmong'] = async (checks) => {
    const out = new Set<string>();
    for (const part of chunks(checks, CHECKS_PER_STATEMENT)) {
      const byKind = new Map<BlocklistKind, string[]>();
      for (const { kind, uuid } of part) {
        let uuids = byKind.get(kind);
        if (!uuids) byKind.set(kind, uuids = []);
        uuids.push(uuid.toLowerCase());
      }
      const hits = [...byKind].map(([kind, uuids]) => sql`select ${sql.lit(kind)} as kind, ${sql.ref(TABLES[kind].uuid)} as uuid
        from ${sql.table(TABLES[kind].table)} where ${sql.ref(TABLES[kind].uuid)} in (${sql.join(uuids)})`);
      const { rows } = await sql<{ kind: BlocklistKind; uuid: string }>`${sql.join(hits, sql` union all `)}`.execute(db);
      for (const r of rows) out.add(blockKey(r.kind, r.uuid));
    }
    return out;
  };
  return {
    isBlocked: async (kind, uuid) => (await blockedAmong([{ kind, uuid }])).has(blockKey(kind, uuid)),
    blockedAmong,
    async list(kind) {
      return (await select(kind).orderBy('created', 'desc').orderBy('id', 'desc').execute()).map((r) => toEntry(kind, r as Row));
    },
    async find(kind, ref) {
      const q = select(kind);
      const r = await ('id' in ref ? q.where('id', '=', ref.id) : q.where(sql.ref(TABLES[kind].uuid), '=', ref.uuid.toLowerCase())).executeTakeFirst();
      return r && toEntry(kind, r as Row);
    },
    async add(kind, uuid, fields, created) {
      const t = TABLES[kind];
      const r = await db.insertInto(t.table as 'event_blocklists')
        .values({ [t.uuid]: uuid.toLowerCase(), created, ...values(kind, fields) } as never)
        .onConflict((oc) => oc.column(t.uuid as 'event_uuid').doNothing()).returning('id').executeTakeFirst();
      return r !== undefined;
    },
    async update(kind, id, fields) {
      const v = values(kind, fields);
      if (Object.keys(v).length) await db.updateTable(TABLES[kind].table as 'event_blocklists').set(v).where('id', '=', id).execute();
    },
    async delete(kind, id) {
      await db.deleteFrom(TABLES[kind].table as 'event_blocklists').where('id', '=', id).execute();
    },
  };
}
