import { type Kysely, type Selectable, sql } from 'kysely';
import type { WarninglistStore } from '../../core/ports/warninglist-store.js';
import { foldCase } from '../../core/util/fold-case.js';
import type {
  MatchableWarninglist, Warninglist, WarninglistCategory, WarninglistDef, WarninglistKind,
} from '../../core/warninglists/warninglist-model.js';
import type { Database } from '../db-schema.js';
import type { WarninglistsTable } from '../db-schema-knowledge.js';
import { type BulkColumn, bulkInsert, type Dialect } from '../dialect.js';
import { flag, isSet, rowChunks } from './knowledge-batches.js';

function toWarninglist(r: Selectable<WarninglistsTable>): Warninglist {
  return {
    id: r.id, name: r.name, type: r.type as WarninglistKind, description: r.description, version: Number(r.version),
    enabled: isSet(r.enabled), default: isSet(r.default), category: r.category as WarninglistCategory,
  };
}

const ENTRY_COLUMNS: readonly BulkColumn[] = [{ name: 'value', type: 'text' }, { name: 'comment', type: 'text' }, { name: 'warninglist_id', type: 'int4' }];

/** Kysely store of warninglists (spec §1.2). Entries go in bulk inserts (dialect.ts `bulkInsert`). */
export function createWarninglistStore(db: Kysely<Database>, dialect: Dialect): WarninglistStore {
  async function insertChildren(id: number, def: WarninglistDef): Promise<void> {
    // bulkInsert: on PostgreSQL one unnest statement per 50,000 entries instead of 20,000-row VALUES lists, which
    // PostgreSQL parses slowly (bench/packs.ts: 17.6 s → see bench/results for the warninglists import).
    await bulkInsert(dialect, db, 'warninglist_entries', ENTRY_COLUMNS, def.entries.map((e) => [e.value, e.comment, id]));
    const types = (def.matchingAttributes.length ? def.matchingAttributes : ['ALL']).map((type) => ({ type, warninglist_id: id }));
    for (const part of rowChunks(types, 2, dialect.maxParams)) await db.insertInto('warninglist_types').values(part).execute();
  }

  async function typesOf(ids: readonly number[]): Promise<Map<number, Array<{ id: number; type: string }>>> {
    const out = new Map<number, Array<{ id: number; type: string }>>();
    if (ids.length === 0) return out;
    const rows = await db.selectFrom('warninglist_types').select(['id', 'type', 'warninglist_id'])
      .where('warninglist_id', 'in', [...ids]).orderBy('id').execute();
    for (const r of rows) {
      const bucket = out.get(r.warninglist_id);
      if (bucket) bucket.push({ id: r.id, type: r.type });
      else out.set(r.warninglist_id, [{ id: r.id, type: r.type }]);
    }
    return out;
  }

  return {
    async list(filter = {}) {
      let q = db.selectFrom('warninglists as w').selectAll('w')
        .select((eb) => eb.selectFrom('warninglist_entries as e').select(eb.fn.countAll<number>().as('n'))
          .whereRef('e.warninglist_id', '=', 'w.id').as('entry_count'))
        .orderBy('w.id', 'desc');
      if (filter.enabled !== undefined) q = q.where('w.enabled', '=', flag(filter.enabled));
      if (filter.search) {
        const s = foldCase(filter.search);
        const lower = (c: string) => dialect.lower(sql.ref(c));
        q = q.where((eb) => eb.or([eb(lower('w.name'), 'like', `%${s}%`), eb(lower('w.description'), 'like', `%${s}%`), eb(lower('w.type'), '=', s)]));
      }
      const rows = await q.execute();
      const types = await typesOf(rows.map((r) => r.id));
      return rows.map((r) => ({
        ...toWarninglist(r), entryCount: Number(r.entry_count ?? 0), types: (types.get(r.id) ?? []).map((t) => t.type),
      }));
    },

    async listMeta(filter = {}) {
      let q = db.selectFrom('warninglists').selectAll().orderBy('id');
      if (filter.ids) q = filter.ids.length ? q.where('id', 'in', [...filter.ids]) : q.where(sql<boolean>`1 = 0`);
      return (await q.execute()).map(toWarninglist);
    },

    async find(id) {
      const r = await db.selectFrom('warninglists').selectAll().where('id', '=', id).executeTakeFirst();
      if (!r) return undefined;
      const entries = await db.selectFrom('warninglist_entries').select(['id', 'value', 'comment'])
        .where('warninglist_id', '=', id).orderBy('id').execute();
      return { ...toWarninglist(r), entries, types: (await typesOf([id])).get(id) ?? [] };
    },

    async idsByNameLike(patterns) {
      if (patterns.length === 0) return [];
      const rows = await db.selectFrom('warninglists').select('id')
        .where((eb) => eb.or(patterns.map((p) => eb(dialect.lower(sql.ref('name')), 'like', foldCase(p))))).orderBy('id').execute();
      return rows.map((r) => r.id);
    },

    async insert(def, isDefault) {
      const { id } = await db.insertInto('warninglists').values({
        name: def.name, type: def.type, description: def.description, version: def.version, enabled: 0,
        default: flag(isDefault), category: def.category,
      }).returning('id').executeTakeFirstOrThrow();
      await insertChildren(id, def);
      return id;
    },

    async replace(id, def) {
      await db.updateTable('warninglists').set({
        name: def.name, type: def.type, description: def.description, version: def.version, category: def.category,
      }).where('id', '=', id).execute();
      await db.deleteFrom('warninglist_entries').where('warninglist_id', '=', id).execute();
      await db.deleteFrom('warninglist_types').where('warninglist_id', '=', id).execute();
      await insertChildren(id, def);
    },

    async setEnabled(ids, enabled) {
      if (ids.length === 0) return;
      await db.updateTable('warninglists').set({ enabled: flag(enabled) }).where('id', 'in', [...ids]).execute();
    },

    async loadEnabled() {
      const lists = await db.selectFrom('warninglists').selectAll().where('enabled', '=', 1).orderBy('id').execute();
      if (lists.length === 0) return [];
      const ids = lists.map((l) => l.id);
      const types = await typesOf(ids);
      const entries = new Map<number, string[]>(ids.map((id) => [id, []]));
      const rows = await db.selectFrom('warninglist_entries').select(['warninglist_id', 'value'])
        .where('warninglist_id', 'in', ids).orderBy('id').execute();
      for (const r of rows) entries.get(r.warninglist_id)?.push(r.value);
      return lists.map((l): MatchableWarninglist => ({
        id: l.id, name: l.name, type: l.type as WarninglistKind, category: l.category as WarninglistCategory,
        types: (types.get(l.id) ?? []).map((t) => t.type), entries: entries.get(l.id) ?? [],
      }));
    },
  };
}
