import { saveFailed } from '../../core/errors.js';
import { toMispNoticelist, toMispNoticelistDetail } from '../../core/misp-format/knowledge-pack-json.js';
import { readBool } from '../../core/misp-format/scalars.js';
import { loadNoticelistPack } from '../../core/noticelists/load-noticelists.js';
import { indexNoticelists, setNoticelistEnabled, viewNoticelist } from '../../core/noticelists/noticelist-service.js';
import { noticelistUpdateMessage, updateNoticelists } from '../../core/noticelists/noticelist-update.js';
import { type ActionDef, controller, success } from '../action.js';
import type { AppDeps } from '../app-deps.js';
import { filterParam } from './knowledge-route-params.js';

/** NoticelistsController (spec §3.12, §9.2). */
export function noticelistsActions(deps: AppDeps): ActionDef[] {
  const tx = deps.storage.transaction.bind(deps.storage);
  return controller('noticelists', [
    {
      action: 'index', methods: ['GET', 'POST'], acl: '*',
      handler: async (req) => {
        const search = filterParam(req, 'quickFilter');
        const lists = await indexNoticelists(req.ctx, deps.storage, search ? { search } : {});
        return lists.map((n) => ({ Noticelist: toMispNoticelist(n) }));
      },
    },
    {
      action: 'view', methods: ['GET'], acl: '*',
      handler: async (req) => toMispNoticelistDetail(await viewNoticelist(req.ctx, deps.storage, req.passed[0])),
    },
    {
      // PyMISP: enable_noticelist → /{id}/true, disable_noticelist → /{id}; MISP answers with the view
      action: 'enableNoticelist', methods: ['GET', 'POST'], acl: 'SA',
      handler: async (req) => {
        const enable = req.passed[1] !== undefined && (readBool(req.passed[1]) ?? true);
        return toMispNoticelistDetail(await tx((s) => setNoticelistEnabled(req.ctx, s, req.passed[0], enable)));
      },
    },
    {
      action: 'toggleEnable', methods: ['POST'], acl: 'SA',
      handler: async (req) => {
        const id = req.passed[0];
        const list = await tx(async (s) => {
          const current = id !== undefined && /^\d+$/.test(id) ? await s.noticelists.find(Number(id)) : undefined;
          if (!current) throw saveFailed('Could not toggleEnable Noticelist', 'Noticelist not found.', id ? { id } : {});
          return setNoticelistEnabled(req.ctx, s, id, !current.enabled);
        });
        return success(list.enabled ? 'Noticelist enabled.' : 'Noticelist disabled.', `/noticelists/toggleEnable/${list.id}`, id);
      },
    },
    {
      action: 'update', methods: ['GET', 'POST'], acl: 'SA',
      handler: async () => {
        const result = await updateNoticelists(deps.storage, loadNoticelistPack(deps.dataPacks));
        return success(noticelistUpdateMessage(result), '/noticelists/update');
      },
    },
  ]);
}
