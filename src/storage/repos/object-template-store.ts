import { type Kysely, type Selectable, sql } from 'kysely';
import type { ObjectTemplateStore, StoredObjectTemplate, StoredObjectTemplateElement } from '../../core/ports/object-template-store.js';
import type { Database } from '../db-schema.js';
import type { ObjectTemplateElementsTable, ObjectTemplatesTable } from '../db-schema-galaxies-feeds.js';
import type { Dialect } from '../dialect.js';
import { chunks } from './galaxy-rows.js';

function json<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function toTemplate(r: Selectable<ObjectTemplatesTable>): StoredObjectTemplate {
  return {
    id: r.id, userId: r.user_id, orgId: r.org_id, uuid: r.uuid, name: r.name, metaCategory: r.meta_category,
    description: r.description, version: r.version, requirements: json(r.requirements, []), fixed: r.fixed === 1,
    active: r.active === 1,
  };
}

function toElement(r: Selectable<ObjectTemplateElementsTable>): StoredObjectTemplateElement {
  return {
    id: r.id, objectTemplateId: r.object_template_id, objectRelation: r.object_relation, type: r.type,
    uiPriority: r.ui_priority, categories: json(r.categories, []), saneDefault: json(r.sane_default, []),
    valuesList: json(r.values_list, []), description: r.description,
    disableCorrelation: r.disable_correlation === null ? null : r.disable_correlation === 1, multiple: r.multiple === 1,
  };
}

const ELEMENT_COLUMNS = 10;

export function createObjectTemplateStore(db: Kysely<Database>, dialect: Dialect): ObjectTemplateStore {
  const idChunk = Math.max(1, dialect.maxParams - 10);
  return {
    async list(filter = {}) {
      let q = db.selectFrom('object_templates as t').selectAll('t');
      if (filter.active !== undefined) q = q.where('t.active', '=', filter.active ? 1 : 0);
      if (filter.search) {
        const p = `%${filter.search}%`;
        q = q.where((eb) => eb.or([
          dialect.ilike(sql.ref('t.uuid'), p), dialect.ilike(sql.ref('t.name'), p),
          dialect.ilike(sql.ref('t.meta_category'), p), dialect.ilike(sql.ref('t.description'), p),
        ]));
      }
      return (await q.orderBy('t.id').execute()).map(toTemplate);
    },
    async find(ref) {
      const q = db.selectFrom('object_templates').selectAll();
      const r = 'id' in ref
        ? await q.where('id', '=', ref.id).executeTakeFirst()
        : await q.where('uuid', '=', ref.uuid.toLowerCase()).orderBy('version', 'desc').orderBy('id', 'desc').executeTakeFirst();
      return r && toTemplate(r);
    },
    async elements(templateIds) {
      const out = new Map<number, StoredObjectTemplateElement[]>();
      for (const part of chunks([...new Set(templateIds)], idChunk)) {
        const rows = await db.selectFrom('object_template_elements').selectAll().where('object_template_id', 'in', part).orderBy('id').execute();
        for (const r of rows) {
          const list = out.get(r.object_template_id) ?? [];
          list.push(toElement(r));
          out.set(r.object_template_id, list);
        }
      }
      return out;
    },
    async latestVersions() {
      const rows = await db.selectFrom('object_templates').select(['uuid', (eb) => eb.fn.max('version').as('version')]).groupBy('uuid').execute();
      return new Map(rows.map((r) => [r.uuid, Number(r.version)]));
    },
    async insert(t) {
      const r = await db.insertInto('object_templates').values({
        user_id: t.userId, org_id: t.orgId, uuid: t.uuid.toLowerCase(), name: t.name, meta_category: t.metaCategory,
        description: t.description, version: t.version, requirements: JSON.stringify(t.requirements), fixed: t.fixed ? 1 : 0, active: 0,
      }).returning('id').executeTakeFirstOrThrow();
      return r.id;
    },
    async insertElements(rows) {
      for (const part of chunks(rows, Math.floor(dialect.maxParams / ELEMENT_COLUMNS))) {
        await db.insertInto('object_template_elements').values(part.map((e) => ({
          object_template_id: e.objectTemplateId, object_relation: e.objectRelation, type: e.type, ui_priority: e.uiPriority,
          categories: JSON.stringify(e.categories), sane_default: JSON.stringify(e.saneDefault), values_list: JSON.stringify(e.valuesList),
          description: e.description, disable_correlation: e.disableCorrelation === null ? null : e.disableCorrelation ? 1 : 0,
          multiple: e.multiple ? 1 : 0,
        }))).execute();
      }
    },
    async activateLatest(ids) {
      for (const part of chunks([...new Set(ids)], Math.floor(idChunk / 2))) {
        await db.updateTable('object_templates').set({ active: 0 })
          .where('uuid', 'in', db.selectFrom('object_templates as o').select('o.uuid').where('o.id', 'in', part))
          .where('id', 'not in', part).execute();
        await db.updateTable('object_templates').set({ active: 1 }).where('id', 'in', part).execute();
      }
    },
    async setActive(id, active) {
      await db.updateTable('object_templates').set({ active: active ? 1 : 0 }).where('id', '=', id).execute();
    },
  };
}
