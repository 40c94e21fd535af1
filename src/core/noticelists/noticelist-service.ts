import type { RequestContext } from '../context.js';
import { notFound } from '../errors.js';
import type { Stores } from '../ports/stores.js';
import type { Noticelist, NoticelistDetail } from './noticelist-model.js';

/** NoticelistsController (spec §3.12): index, view, enableNoticelist. */

export async function indexNoticelists(
  _ctx: RequestContext, stores: Stores, q: { readonly search?: string; readonly enabled?: boolean } = {},
): Promise<Noticelist[]> {
  return stores.noticelists.list(q);
}

export async function viewNoticelist(_ctx: RequestContext, stores: Stores, raw: string | undefined): Promise<NoticelistDetail> {
  const list = raw !== undefined && /^\d+$/.test(raw) ? await stores.noticelists.find(Number(raw)) : undefined;
  if (!list) throw notFound('Invalid Noticelist.');
  return list;
}

/**
 * noticelists/enableNoticelist/{id}[/{enable}]: MISP saves `enabled` and redirects to the view, which PyMISP
 * follows; the view is returned directly here.
 */
export async function setNoticelistEnabled(
  _ctx: RequestContext, stores: Stores, raw: string | undefined, enabled: boolean,
): Promise<NoticelistDetail> {
  const id = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
  if (id === undefined || !(await stores.noticelists.find(id))) throw notFound('Noticelist not found.');
  await stores.noticelists.setEnabled(id, enabled);
  return (await stores.noticelists.find(id))!;
}
