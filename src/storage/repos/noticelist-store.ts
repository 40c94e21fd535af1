import { type Kysely, type Selectable, sql } from 'kysely';
import type { NoticeData, Noticelist, NoticelistDef, NoticelistDetail, NoticelistEntry } from '../../core/noticelists/noticelist-model.js';
import type { NoticelistStore } from '../../core/ports/noticelist-store.js';
import { foldCase } from '../../core/util/fold-case.js';
import type { Database } from '../db-schema.js';
import type { NoticelistsTable } from '../db-schema-knowledge.js';
import type { Dialect } from '../dialect.js';
import { flag, isSet, rowChunks } from './knowledge-batches.js';

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function toNoticelist(r: Selectable<NoticelistsTable>): Noticelist {
  return {
    id: r.id, name: r.name, expandedName: r.expanded_name, ref: parseJson(r.ref), geographicalArea: parseJson(r.geographical_area),
    version: Number(r.version), enabled: isSet(r.enabled),
  };
}

/** Kysely store of noticelists (spec §1.2); notices are kept as the JSON text MISP stores. */
export function createNoticelistStore(db: Kysely<Database>, dialect: Dialect): NoticelistStore {
  async function insertEntries(id: number, def: NoticelistDef): Promise<void> {
    const rows = def.notices.map((n) => ({ noticelist_id: id, data: JSON.stringify(n) }));
    for (const part of rowChunks(rows, 2, dialect.maxParams)) await db.insertInto('noticelist_entries').values(part).execute();
  }

  async function entriesOf(ids: readonly number[]): Promise<Map<number, NoticelistEntry[]>> {
    const out = new Map<number, NoticelistEntry[]>();
    if (ids.length === 0) return out;
    const rows = await db.selectFrom('noticelist_entries').selectAll().where('noticelist_id', 'in', [...ids]).orderBy('id').execute();
    for (const r of rows) {
      const entry: NoticelistEntry = { id: r.id, noticelistId: r.noticelist_id, data: (parseJson(r.data) ?? {}) as NoticeData };
      const bucket = out.get(r.noticelist_id);
      if (bucket) bucket.push(entry);
      else out.set(r.noticelist_id, [entry]);
    }
    return out;
  }

  const columns = (def: NoticelistDef) => ({
    name: def.name, expanded_name: def.expandedName, ref: JSON.stringify(def.ref),
    geographical_area: JSON.stringify(def.geographicalArea), version: def.version,
  });

  return {
    async list(filter = {}) {
      let q = db.selectFrom('noticelists').selectAll().orderBy('id');
      if (filter.enabled !== undefined) q = q.where('enabled', '=', flag(filter.enabled));
      if (filter.search) {
        const s = `%${foldCase(filter.search)}%`;
        q = q.where((eb) => eb.or([eb(dialect.lower(sql.ref('name')), 'like', s), eb(dialect.lower(sql.ref('expanded_name')), 'like', s)]));
      }
      return (await q.execute()).map(toNoticelist);
    },

    async find(id) {
      const r = await db.selectFrom('noticelists').selectAll().where('id', '=', id).executeTakeFirst();
      if (!r) return undefined;
      return { ...toNoticelist(r), entries: (await entriesOf([id])).get(id) ?? [] };
    },

    async listDetailed(filter = {}) {
      let q = db.selectFrom('noticelists').selectAll().orderBy('id');
      if (filter.enabled !== undefined) q = q.where('enabled', '=', flag(filter.enabled));
      const rows = await q.execute();
      const entries = await entriesOf(rows.map((r) => r.id));
      return rows.map((r): NoticelistDetail => ({ ...toNoticelist(r), entries: entries.get(r.id) ?? [] }));
    },

    async insert(def) {
      const { id } = await db.insertInto('noticelists').values({ ...columns(def), enabled: 0 }).returning('id').executeTakeFirstOrThrow();
      await insertEntries(id, def);
      return id;
    },

    async replace(id, def) {
      await db.updateTable('noticelists').set(columns(def)).where('id', '=', id).execute();
      await db.deleteFrom('noticelist_entries').where('noticelist_id', '=', id).execute();
      await insertEntries(id, def);
    },

    async setEnabled(id, enabled) {
      await db.updateTable('noticelists').set({ enabled: flag(enabled) }).where('id', '=', id).execute();
    },
  };
}
