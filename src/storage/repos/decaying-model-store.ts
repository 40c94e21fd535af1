import type { Kysely, Selectable } from 'kysely';
import type { DecayingModel, DecayingModelParameters } from '../../core/decaying/decaying-model.js';
import type { DecayingModelMapping } from '../../core/decaying/decaying-model.js';
import type { DecayingModelRow, DecayingModelStore } from '../../core/ports/decaying-model-store.js';
import type { Database } from '../db-schema.js';
import type { DecayingModelsTable } from '../db-schema-galaxies-feeds.js';
import type { Dialect } from '../dialect.js';
import { chunks } from '../chunks.js';

function json<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return (JSON.parse(text) ?? fallback) as T;
  } catch {
    return fallback;
  }
}

function toModel(r: Selectable<DecayingModelsTable>): DecayingModel {
  return {
    id: r.id, uuid: r.uuid, name: r.name,
    parameters: json<DecayingModelParameters>(r.parameters, { lifetime: 0, decay_speed: 0, threshold: 0, default_base_score: 0 }),
    attributeTypes: json<string[]>(r.attribute_types, []), description: r.description, orgId: r.org_id,
    enabled: r.enabled === 1, allOrgs: r.all_orgs === 1, ref: r.ref === null ? null : json<string[] | null>(r.ref, null),
    formula: r.formula, version: r.version, isDefault: r.default === 1,
  };
}

function values(m: DecayingModelRow) {
  return {
    uuid: m.uuid, name: m.name, parameters: JSON.stringify(m.parameters), attribute_types: JSON.stringify(m.attributeTypes),
    description: m.description, org_id: m.orgId, enabled: m.enabled ? 1 : 0, all_orgs: m.allOrgs ? 1 : 0,
    ref: m.ref === null ? null : JSON.stringify(m.ref), formula: m.formula, version: m.version, default: m.isDefault ? 1 : 0,
  };
}

export function createDecayingModelStore(db: Kysely<Database>, dialect: Dialect): DecayingModelStore {
  return {
    async list(filter = {}) {
      let q = db.selectFrom('decaying_models').selectAll();
      const org = filter.visibleToOrg;
      if (org !== undefined) q = q.where((eb) => eb.or([eb('org_id', '=', org), eb('all_orgs', '=', 1)]));
      if (filter.enabled !== undefined) q = q.where('enabled', '=', filter.enabled ? 1 : 0);
      if (filter.isDefault !== undefined) q = q.where('default', '=', filter.isDefault ? 1 : 0);
      return (await q.orderBy('id').execute()).map(toModel);
    },
    async find(id) {
      const r = await db.selectFrom('decaying_models').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toModel(r);
    },
    async insert(m) {
      return (await db.insertInto('decaying_models').values(values(m)).returning('id').executeTakeFirstOrThrow()).id;
    },
    async replace(id, m) {
      const { enabled: _e, org_id: _o, ...rest } = values(m);
      await db.updateTable('decaying_models').set(rest).where('id', '=', id).execute();
    },
    async setEnabled(id, enabled) {
      await db.updateTable('decaying_models').set({ enabled: enabled ? 1 : 0 }).where('id', '=', id).execute();
    },
    async mappings(modelIds) {
      const out = new Map<number, DecayingModelMapping[]>();
      for (const part of chunks([...new Set(modelIds)], dialect.maxParams - 10)) {
        const rows = await db.selectFrom('decaying_model_mappings').selectAll().where('model_id', 'in', part).orderBy('id').execute();
        for (const r of rows) {
          const list = out.get(r.model_id) ?? [];
          list.push({ id: r.id, attributeType: r.attribute_type, modelId: r.model_id });
          out.set(r.model_id, list);
        }
      }
      return out;
    },
  };
}
