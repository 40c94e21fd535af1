import { importDecayingModels, indexModels, setModelEnabled, viewModel } from '../../core/decaying/decaying-model-service.js';
import { toMispDecayingModel, toMispDecayingModelMapping } from '../../core/misp-format/decaying-model-json.js';
import { readBool } from '../../core/misp-format/scalars.js';
import { type ActionDef, controller, success } from '../action.js';
import type { AppDeps } from '../app-deps.js';

/** Decaying models (DecayingModelController, spec §3.12). */
export function decayingModelsActions(deps: AppDeps): ActionDef[] {
  const editors = { OR: ['perm_admin', 'perm_decaying'] } as const;
  const toggle = (enabled: boolean) => async (req: Parameters<ActionDef['handler']>[0]) => {
    const v = await deps.storage.transaction((tx) => setModelEnabled(req.ctx, tx, req.passed[0], enabled));
    const message = `Decaying model ${enabled ? 'enabled' : 'disabled'}`;
    // RestResponseComponent::successResponse: the envelope carries the model as `data`.
    return {
      ...(success(message, `/decaying_models/${enabled ? 'enable' : 'disable'}/${v.model.id}`) as Record<string, unknown>),
      data: { DecayingModel: toMispDecayingModel(v.model, { isEditable: v.isEditable }), DecayingModelMapping: v.mappings.map(toMispDecayingModelMapping) },
      id: String(v.model.id),
    };
  };
  return controller('decayingModel', [
    {
      action: 'index', methods: ['GET'], acl: '*',
      handler: async (req) => (await indexModels(req.ctx, deps.storage)).map((r) => ({
        DecayingModel: toMispDecayingModel(r.model), DecayingModelMapping: r.mappings.map(toMispDecayingModelMapping),
      })),
    },
    {
      action: 'view', methods: ['GET'], acl: '*',
      handler: async (req) => {
        const v = await viewModel(req.ctx, deps.storage, req.passed[0]);
        return { DecayingModel: toMispDecayingModel(v.model, { isEditable: v.isEditable }), DecayingModelMapping: v.mappings.map(toMispDecayingModelMapping) };
      },
    },
    { action: 'enable', methods: ['POST', 'PUT'], acl: editors, handler: toggle(true) },
    { action: 'disable', methods: ['POST', 'PUT'], acl: editors, handler: toggle(false) },
    {
      action: 'update', methods: ['POST', 'PUT'], acl: 'SA',
      handler: async (req) => {
        const force = readBool(req.passed[0]) ?? false;
        await deps.storage.transaction((tx) => importDecayingModels(tx, deps.dataPacks, req.ctx.settings.num('MISP.host_org_id'), { force }));
        return success('Default decaying models updated', '/decaying_models/update');
      },
    },
  ]);
}
