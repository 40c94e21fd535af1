import { toMispObjectTemplate, toMispObjectTemplateElement, templateOrganisation } from '../../core/misp-format/object-template-json.js';
import { readBool } from '../../core/misp-format/scalars.js';
import { importObjectTemplates } from '../../core/objects/object-template-import.js';
import { indexTemplates, rawTemplate, toggleTemplate, viewTemplate } from '../../core/objects/object-template-service.js';
import { type ActionDef, type ActionRequest, controller } from '../action.js';
import type { AppDeps } from '../app-deps.js';
import { filterParam } from './knowledge-route-params.js';

/** Object templates (ObjectTemplatesController, spec §3.3). */
export function objectTemplatesActions(deps: AppDeps): ActionDef[] {
  const index = async (req: ActionRequest) => {
    const searchall = filterParam(req, 'searchall');
    const all = req.passed[0] !== undefined && readBool(req.passed[0]) !== false;
    const rows = await indexTemplates(req.ctx, deps.storage, deps.dataPacks, { all, ...(searchall ? { searchall } : {}) });
    return rows.map((r) => ({ ObjectTemplate: toMispObjectTemplate(r.template), Organisation: templateOrganisation(r.org) }));
  };
  return controller('objectTemplates', [
    { action: 'index', methods: ['GET', 'POST'], acl: '*', handler: index },
    {
      action: 'view', methods: ['GET'], acl: '*',
      handler: async (req) => {
        const v = await viewTemplate(req.ctx, deps.storage, deps.dataPacks, req.passed[0]);
        // Site admins also see who installed the template (ObjectTemplatesController::view contains User).
        const user = req.ctx.actor.isSiteAdmin && v.template.userId > 0 ? await deps.storage.identity.findUser({ id: v.template.userId }) : undefined;
        return {
          ObjectTemplate: toMispObjectTemplate(v.template), Organisation: templateOrganisation(v.org),
          ObjectTemplateElement: v.elements.map(toMispObjectTemplateElement),
          ...(req.ctx.actor.isSiteAdmin ? { User: user ? { id: String(user.id), email: user.email } : { id: null, email: null } } : {}),
        };
      },
    },
    {
      action: 'getRaw', methods: ['GET'], acl: 'perm_object_template',
      handler: (req) => rawTemplate(deps.dataPacks, req.passed[0]),
    },
    {
      // objectTemplates/update[/<type>[/<force>]] or named type:/force: (ObjectTemplatesController::update). MISP
      // redirects a finished update to the index, which is what PyMISP's update_object_templates receives.
      action: 'update', methods: ['GET', 'POST'], acl: 'SA',
      handler: async (req) => {
        const type = req.named.type !== undefined ? filterParam(req, 'type') : req.passed[0];
        const only = type !== undefined && readBool(type) !== false ? type : undefined;
        const force = readBool(filterParam(req, 'force') ?? req.passed[1]) ?? false;
        await deps.storage.transaction((tx) => importObjectTemplates(tx, deps.dataPacks,
          { userId: req.ctx.actor.user.id, orgId: req.ctx.actor.org.id }, { force, ...(only ? { only } : {}) }));
        return index({ ...req, passed: [] });
      },
    },
    {
      action: 'activate', methods: ['POST'], acl: 'SA',
      handler: (req) => deps.storage.transaction((tx) => toggleTemplate(tx, req.body)),
    },
  ]);
}
