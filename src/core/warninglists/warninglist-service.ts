import type { RequestContext } from '../context.js';
import { notFound } from '../errors.js';
import { readBool } from '../misp-format/scalars.js';
import type { Stores } from '../ports/stores.js';
import type { WarninglistMatcher } from './warninglist-matcher.js';
import type { WarninglistDetail, WarninglistSummary } from './warninglist-model.js';

/**
 * WarninglistsController (spec §3.12): index, view, toggleEnable, checkValue. toggleEnable writes expect `stores`
 * bound to a transaction; the caller invalidates the matcher cache afterwards.
 */

export async function indexWarninglists(
  _ctx: RequestContext, stores: Stores, q: { readonly search?: string; readonly enabled?: boolean },
): Promise<WarninglistSummary[]> {
  return stores.warninglists.list(q);
}

export async function viewWarninglist(_ctx: RequestContext, stores: Stores, raw: string | undefined): Promise<WarninglistDetail> {
  if (raw === undefined || !/^\d+$/.test(raw)) throw notFound('Invalid ID.');
  const list = await stores.warninglists.find(Number(raw));
  if (!list) throw notFound('Warninglist not found.');
  return list;
}

/** MISP's toggleEnable answers HTTP 200 either way: `{saved: true, success}` or `{saved: false, errors}`. */
export type ToggleReply = { saved: true; success: string } | { saved: false; errors: string };

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/**
 * warninglists/toggleEnable: `{"id": [..]}` (or `{"Warninglist": {"data": ..}}`), or `{"name": [..]}` matched
 * case-insensitively with LIKE; `enabled` forces the state, otherwise each list flips (and several flipped lists
 * read "toggled").
 */
export async function toggleWarninglists(_ctx: RequestContext, stores: Stores, body: unknown): Promise<{ reply: ToggleReply; changed: boolean }> {
  const b = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const wrapped = b.Warninglist && typeof b.Warninglist === 'object' ? (b.Warninglist as Record<string, unknown>) : undefined;
  let ids: number[] = [];
  const isPresent = (v: unknown) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
  if (wrapped && wrapped.data !== undefined) ids = numbers(asList(wrapped.data));
  else if (isPresent(b.id)) ids = numbers(asList(b.id));
  else if (isPresent(b.name)) ids = await stores.warninglists.idsByNameLike(asList(b.name).map(String));
  if (ids.length === 0) return { reply: { saved: false, errors: 'Warninglist not found.' }, changed: false };
  const lists = await stores.warninglists.listMeta({ ids });
  if (lists.length === 0) return { reply: { saved: false, errors: 'Warninglist(s) not found.' }, changed: false };
  const forced = b.enabled === undefined ? undefined : readBool(b.enabled) ?? Boolean(b.enabled);
  let message = '';
  const enable: number[] = [];
  const disable: number[] = [];
  for (const list of lists) {
    const target = forced ?? !list.enabled;
    (target ? enable : disable).push(list.id);
    message = forced !== undefined ? (forced ? 'enabled' : 'disabled') : lists.length > 1 ? 'toggled' : target ? 'enabled' : 'disabled';
  }
  await stores.warninglists.setEnabled(enable, true);
  await stores.warninglists.setEnabled(disable, false);
  return { reply: { saved: true, success: `${lists.length} warninglist(s) ${message}` }, changed: true };
}

function numbers(values: readonly unknown[]): number[] {
  return values.map((v) => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN))
    .filter((n) => Number.isInteger(n));
}

/** One warninglists/checkValue hit. */
export interface CheckValueHit {
  readonly id: number;
  readonly name: string;
  readonly matched: string;
}

/**
 * warninglists/checkValue: the body is a list of values (or `{"Warninglist": [...]}`, or one value); each value
 * is trimmed and checked against every enabled list. Values without a hit are left out.
 */
export function checkValues(matcher: WarninglistMatcher, body: unknown): Map<string, CheckValueHit[]> {
  let data = body;
  if (data && typeof data === 'object' && !Array.isArray(data) && 'Warninglist' in data) data = (data as { Warninglist: unknown }).Warninglist;
  if (data && typeof data === 'object' && !Array.isArray(data) && '[]' in data) data = (data as Record<string, unknown>)['[]'];
  const values = Array.isArray(data) ? data : data && typeof data === 'object' ? Object.values(data) : [data];
  const hits = new Map<string, CheckValueHit[]>();
  for (const raw of values) {
    if (typeof raw !== 'string' && typeof raw !== 'number') continue;
    const value = String(raw).trim();
    const found = matcher.matchAnyType(value);
    if (found.length === 0) continue;
    const list = hits.get(value) ?? [];
    list.push(...found.map((h) => ({ id: h.warninglistId, name: h.warninglistName, matched: h.matched })));
    hits.set(value, list);
  }
  return hits;
}
