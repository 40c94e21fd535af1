import { type Kysely, type Selectable, sql } from 'kysely';
import type { ObjectTemplateStore, StoredObjectTemplate, StoredObjectTemplateElement } from '../../core/ports/object-template-store.js';
import type { Database } from '../db-schema.js';
import type { ObjectTemplateElementsTable, ObjectTemplatesTable } from '../db-schema-galaxies-feeds.js';
import { type BulkColumn, bulkInsert, type Dialect } from '../dialect.js';
import { chunks } from '../chunks.js';

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

const TEMPLATE_COLUMNS: readonly BulkColumn[] = [
  { name: 'user_id', type: 'int4' }, { name: 'org_id', type: 'int4' }, { name: 'uuid', type: 'text' }, { name: 'name', type: 'text' },
  { name: 'meta_category', type: 'text' }, { name: 'description', type: 'text' }, { name: 'version', type: 'int4' },
  { name: 'requirements', type: 'text' }, { name: 'fixed', type: 'int4' }, { name: 'active', type: 'int4' },
];
const ELEMENT_COLUMNS: readonly BulkColumn[] = [
  { name: 'object_template_id', type: 'int4' }, { name: 'object_relation', type: 'text' }, { name: 'type', type: 'text' },
  { name: 'ui_priority', type: 'int4' }, { name: 'categories', type: 'text' }, { name: 'sane_default', type: 'text' },
  { name: 'values_list', type: 'text' }, { name: 'description', type: 'text' }, { name: 'disable_correlation', type: 'int4' },
  { name: 'multiple', type: 'int4' },
];

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
    async insertMany(templates) {
      const rows = await bulkInsert(dialect, db, 'object_templates', TEMPLATE_COLUMNS, templates.map((t) => [
        t.userId, t.orgId, t.uuid.toLowerCase(), t.name, t.metaCategory, t.description, t.version, JSON.stringify(t.requirements),
        t.fixed ? 1 : 0, 0,
      ]), ['id']);
      return rows.map((r) => Number(r.id));
    },
    async insertElements(rows) {
      await bulkInsert(dialect, db, 'object_template_elements', ELEMENT_COLUMNS, rows.map((e) => [
        e.objectTemplateId, e.objectRelation, e.type, e.uiPriority, JSON.stringify(e.categories), JSON.stringify(e.saneDefault),
        JSON.stringify(e.valuesList), e.description, e.disableCorrelation === null ? null : e.disableCorrelation ? 1 : 0, e.multiple ? 1 : 0,
      ]));
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
