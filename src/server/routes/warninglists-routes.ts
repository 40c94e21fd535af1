import { notFound } from '../../core/errors.js';
import { toMispWarninglistDetail, toMispWarninglistSummary } from '../../core/misp-format/knowledge-pack-json.js';
import { readBool } from '../../core/misp-format/scalars.js';
import { loadWarninglistPack } from '../../core/warninglists/load-warninglists.js';
import { checkValues, indexWarninglists, toggleWarninglists, viewWarninglist } from '../../core/warninglists/warninglist-service.js';
import { updateWarninglists, warninglistUpdateMessage } from '../../core/warninglists/warninglist-update.js';
import { type ActionDef, controller, success } from '../action.js';
import type { AppDeps } from '../app-deps.js';
import { filterParam } from './knowledge-route-params.js';

/** WarninglistsController (spec §3.12, §9.1). Every change rebuilds the shared matcher. */
export function warninglistsActions(deps: AppDeps): ActionDef[] {
  const tx = deps.storage.transaction.bind(deps.storage);
  return controller('warninglists', [
    {
      action: 'index', methods: ['GET', 'POST'], acl: '*',
      handler: async (req) => {
        const enabled = readBool(filterParam(req, 'enabled'));
        const lists = await indexWarninglists(req.ctx, deps.storage, {
          ...(filterParam(req, 'value') ? { search: filterParam(req, 'value') } : {}), ...(enabled !== undefined ? { enabled } : {}),
        });
        return { Warninglists: lists.map((w) => ({ Warninglist: toMispWarninglistSummary(w) })) };
      },
    },
    {
      action: 'view', methods: ['GET'], acl: '*',
      handler: async (req) => ({ Warninglist: toMispWarninglistDetail(await viewWarninglist(req.ctx, deps.storage, req.passed[0])) }),
    },
    {
      action: 'toggleEnable', methods: ['GET', 'POST'], acl: 'perm_warninglist',
      handler: async (req) => {
        // MISP answers 200 with `saved: false` here, even for the wrong method
        if (req.method !== 'POST') return { saved: false, errors: 'This function only accepts POST requests.' };
        const { reply, changed } = await tx((s) => toggleWarninglists(req.ctx, s, req.body));
        if (changed) deps.warninglistMatcher.invalidate();
        return reply;
      },
    },
    {
      action: 'checkValue', methods: ['POST'], acl: '*',
      describe: { description: 'POST a list of values to check them against every enabled warninglist.', mandatory: ['[]'], optional: [] },
      handler: async (req) => {
        const body = req.body;
        if (body === undefined || body === null || body === '' || (Array.isArray(body) && body.length === 0)
          || (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0)) throw notFound('No valid data received.');
        const hits = checkValues(await deps.warninglistMatcher.get(deps.storage), body);
        if (hits.size === 0) return [];
        return Object.fromEntries([...hits].map(([value, list]) => [value, list.map((h) => ({ id: String(h.id), name: h.name, matched: h.matched }))]));
      },
    },
    {
      action: 'update', methods: ['POST'], acl: 'SA',
      handler: async () => {
        const result = await updateWarninglists(deps.storage, loadWarninglistPack(deps.dataPacks));
        if (result.success.length) deps.warninglistMatcher.invalidate();
        return success(warninglistUpdateMessage(result), '/warninglists/update');
      },
    },
  ]);
}
