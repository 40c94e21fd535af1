import { toMispTaxonomy, toMispTaxonomyView } from '../../core/misp-format/knowledge-pack-json.js';
import { readBool } from '../../core/misp-format/scalars.js';
import { saveFailed } from '../../core/errors.js';
import { loadTaxonomyPack } from '../../core/taxonomies/load-taxonomies.js';
import {
  disableTaxonomyTags, enableTaxonomyTags, indexTaxonomies, setTaxonomyEnabled, setTaxonomyRequired, viewTaxonomy,
} from '../../core/taxonomies/taxonomy-service.js';
import { taxonomyUpdateMessage, updateTaxonomies } from '../../core/taxonomies/taxonomy-update.js';
import { type ActionDef, type ActionRequest, controller, success } from '../action.js';
import type { AppDeps } from '../app-deps.js';
import { bodyObject, filterParam } from './knowledge-route-params.js';

/** TaxonomiesController (spec §3.4). Changes are site-admin only, as in MISP's ACL. */

/**
 * The tag selection of addTag/disableTag without an id in the URL: `{"Taxonomy"|"Tag": {"taxonomy_id", "name"}}`
 * or with `nameList` (a JSON-encoded list of tag names).
 */
function tagSelection(req: ActionRequest): { taxonomyId: unknown; names: string[] | undefined } {
  const b = bodyObject(req.body);
  let sel = bodyObject(b.Taxonomy ?? b.Tag ?? b);
  if (sel.request && typeof sel.request === 'object') sel = bodyObject(sel.request);
  let names: string[] | undefined;
  if (sel.nameList !== undefined) {
    let list: unknown = sel.nameList;
    if (typeof list === 'string') {
      try { list = JSON.parse(list); } catch { list = [list]; }
    }
    names = (Array.isArray(list) ? list : [list]).map(String);
  } else if (sel.name !== undefined) names = [String(sel.name)];
  return { taxonomyId: sel.taxonomy_id, names };
}

export function taxonomiesActions(deps: AppDeps): ActionDef[] {
  const tx = deps.storage.transaction.bind(deps.storage);
  return controller('taxonomies', [
    {
      action: 'index', methods: ['GET', 'POST'], acl: '*',
      handler: async (req) => {
        const enabled = readBool(filterParam(req, 'enabled'));
        const rows = await indexTaxonomies(req.ctx, deps.storage, {
          search: filterParam(req, 'value'), ...(enabled !== undefined ? { enabled } : {}),
        });
        return rows.map((r) => ({ Taxonomy: toMispTaxonomy(r.taxonomy), total_count: r.totalCount, current_count: r.currentCount }));
      },
    },
    {
      action: 'view', methods: ['GET'], acl: '*',
      handler: async (req) => toMispTaxonomyView(await viewTaxonomy(req.ctx, deps.storage, req.passed[0])),
    },
    {
      action: 'enable', methods: ['POST'], acl: 'SA',
      handler: async (req) => {
        const id = await tx((s) => setTaxonomyEnabled(req.ctx, s, req.passed[0], true));
        return success('Taxonomy enabled', `/taxonomies/enable/${id}`, req.passed[0]);
      },
    },
    {
      action: 'disable', methods: ['POST'], acl: 'SA',
      handler: async (req) => {
        const id = await tx((s) => setTaxonomyEnabled(req.ctx, s, req.passed[0], false));
        return success('Taxonomy disabled', `/taxonomies/disable/${id}`, req.passed[0]);
      },
    },
    {
      action: 'addTag', methods: ['POST'], acl: 'SA',
      handler: async (req) => {
        const sel = req.passed[0] === undefined ? tagSelection(req) : { taxonomyId: req.passed[0], names: undefined };
        const ok = await tx((s) => enableTaxonomyTags(req.ctx, s, sel.taxonomyId === undefined ? undefined : String(sel.taxonomyId), sel.names));
        const url = `/taxonomies/addTag${req.passed[0] ? `/${req.passed[0]}` : ''}`;
        if (!ok) throw saveFailed('Could not addTag Taxonomy', 'The tag(s) could not be saved. Please, try again.', req.passed[0] ? { id: req.passed[0] } : {});
        return success('The tag(s) has been saved.', url, req.passed[0]);
      },
    },
    {
      action: 'disableTag', methods: ['POST'], acl: 'SA',
      handler: async (req) => {
        const sel = req.passed[0] === undefined ? tagSelection(req) : { taxonomyId: req.passed[0], names: undefined };
        const ok = await tx((s) => disableTaxonomyTags(req.ctx, s, sel.taxonomyId === undefined ? undefined : String(sel.taxonomyId), sel.names));
        const url = `/taxonomies/disableTag${req.passed[0] ? `/${req.passed[0]}` : ''}`;
        if (!ok) throw saveFailed('Could not disableTag Taxonomy', 'The tag(s) could not be hidden. Please, try again.', req.passed[0] ? { id: req.passed[0] } : {});
        return success('The tag(s) has been hidden.', url, req.passed[0]);
      },
    },
    {
      action: 'toggleRequired', methods: ['POST'], acl: 'SA',
      handler: async (req) => {
        const t = bodyObject(bodyObject(req.body).Taxonomy ?? req.body);
        const id = await tx((s) => setTaxonomyRequired(req.ctx, s, req.passed[0], readBool(t.required) ?? Boolean(t.required)));
        return success('Taxonomy toggleRequireded', `/taxonomies/toggleRequired/${id}`, req.passed[0]);
      },
    },
    {
      action: 'update', methods: ['GET', 'POST'], acl: 'SA',
      handler: async () => {
        const result = await updateTaxonomies(deps.storage, loadTaxonomyPack(deps.dataPacks));
        return success(taxonomyUpdateMessage(result), '/taxonomies/update');
      },
    },
  ]);
}
