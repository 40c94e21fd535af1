import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestContext } from '../context.js';
import { DomainError, ErrorCode, notFound } from '../errors.js';
import type { DecayingModelRow } from '../ports/decaying-model-store.js';
import type { Stores } from '../ports/stores.js';
import type { DecayingModel, DecayingModelMapping, DecayingModelParameters } from './decaying-model.js';

/** decayingModel/index, view, enable, disable, update (DecayingModelController, spec §3.12). */

const NOT_FOUND = 'No Decaying Model with the provided ID exists';

/** DecayingModel::__adjustParameters: numbers rounded to 4 decimals, empty values 0. */
function adjust(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) out[k] = adjust(v as Record<string, unknown>);
    else if (typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)))) {
      out[k] = Math.round(Number(v) * 10_000) / 10_000;
    } else out[k] = v ? v : 0;
  }
  return out;
}

/** The pack's models (`<dataPacks>/decaying-models/models/*.json`) as rows; unreadable files are reported. */
export function readDecayingModelPack(dataPacks: string, hostOrgId: number): { models: DecayingModelRow[]; warnings: string[] } {
  const dir = join(dataPacks, 'decaying-models', 'models');
  const warnings: string[] = [];
  const models: DecayingModelRow[] = [];
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch (err) {
    warnings.push(`${dir}: cannot list (${(err as Error).message})`);
  }
  for (const f of files) {
    try {
      const m = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>;
      if (typeof m.name !== 'string' || typeof m.uuid !== 'string') throw new Error('no name or uuid');
      models.push({
        uuid: m.uuid.toLowerCase(), name: m.name,
        parameters: adjust((m.parameters ?? { threshold: 0, lifetime: 0, decay_speed: 0 }) as Record<string, unknown>) as DecayingModelParameters,
        attributeTypes: Array.isArray(m.attribute_types) ? m.attribute_types.map(String) : [],
        description: typeof m.description === 'string' ? m.description : '', orgId: hostOrgId, enabled: false, allOrgs: true,
        ref: Array.isArray(m.ref) ? m.ref.map(String) : null,
        formula: typeof m.formula === 'string' && m.formula !== '' ? m.formula : 'Polynomial',
        version: m.version === undefined ? '' : String(m.version), isDefault: true,
      });
    } catch (err) {
      warnings.push(`${join(dir, f)}: ${(err as Error).message}, skipped`);
    }
  }
  return { models, warnings };
}

export interface DecayingModelImportReport {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly warnings: readonly string[];
}

/**
 * decayingModel/update (DecayingModel::update): new pack models are added as default models (disabled), known
 * ones (by uuid) rewritten when the pack's version is higher (always with `force`). Run inside a transaction.
 */
export async function importDecayingModels(stores: Stores, dataPacks: string, hostOrgId: number, opts: { force?: boolean } = {}): Promise<DecayingModelImportReport> {
  const { models, warnings } = readDecayingModelPack(dataPacks, hostOrgId);
  if (models.length === 0) throw notFound('Models could not be loaded or default decaying models folder is empty');
  const existing = new Map((await stores.decayingModels.list()).filter((m) => m.uuid).map((m) => [m.uuid!, m]));
  let created = 0;
  let updated = 0;
  for (const m of models) {
    const old = existing.get(m.uuid!);
    if (!old) {
      await stores.decayingModels.insert(m);
      created++;
    } else if (opts.force || Number(m.version) > Number(old.version)) {
      await stores.decayingModels.replace(old.id, { ...m, isDefault: old.isDefault });
      updated++;
    }
  }
  return { created, updated, unchanged: models.length - created - updated, warnings };
}

/** DecayingModel::isEditableByCurrentUser. */
export function isEditable(ctx: RequestContext, m: DecayingModel): boolean {
  const { actor } = ctx;
  return actor.isSiteAdmin || (actor.role.perms.perm_decaying && !m.isDefault && m.orgId === actor.org.id);
}

const visibleTo = (ctx: RequestContext, m: DecayingModel): boolean =>
  ctx.actor.isSiteAdmin || m.orgId === ctx.actor.org.id || m.allOrgs;

export interface ModelRow {
  readonly model: DecayingModel;
  readonly mappings: readonly DecayingModelMapping[];
}

/** decayingModel/index: the caller's organisation's models and those shared with all (site admins: every one). */
export async function indexModels(ctx: RequestContext, stores: Stores): Promise<ModelRow[]> {
  const models = await stores.decayingModels.list(ctx.actor.isSiteAdmin ? {} : { visibleToOrg: ctx.actor.org.id });
  const mappings = await stores.decayingModels.mappings(models.map((m) => m.id));
  return models.map((model) => ({ model, mappings: mappings.get(model.id) ?? [] }));
}

export interface ModelView extends ModelRow {
  readonly isEditable: boolean;
}

/**
 * DecayingModel::fetchModel with `full`: the attribute types are the model's own for default models, its
 * mappings otherwise (DecayingModelMapping::getAssociatedTypes).
 */
export async function viewModel(ctx: RequestContext, stores: Stores, raw: string | undefined): Promise<ModelView> {
  const m = raw !== undefined && /^\d+$/.test(raw) ? await stores.decayingModels.find(Number(raw)) : undefined;
  if (!m || !visibleTo(ctx, m)) throw notFound(NOT_FOUND);
  const mappings = (await stores.decayingModels.mappings([m.id])).get(m.id) ?? [];
  const model = m.isDefault ? m : { ...m, attributeTypes: mappings.map((x) => x.attributeType) };
  return { model, mappings, isEditable: isEditable(ctx, m) };
}

/** decayingModel/enable|disable/{id}: only editable models. Returns the model as it is afterwards. */
export async function setModelEnabled(ctx: RequestContext, stores: Stores, raw: string | undefined, enabled: boolean): Promise<ModelView> {
  const { model } = await viewModel(ctx, stores, raw);
  if (!isEditable(ctx, model)) {
    throw new DomainError(ErrorCode.NotAllowed, `You are not authorised to ${enabled ? 'enable' : 'disable'} this model.`);
  }
  await stores.decayingModels.setEnabled(model.id, enabled);
  return viewModel(ctx, stores, String(model.id));
}
