import type { ActionRequest } from '../action.js';

/** Helpers shared by the taxonomies, warninglists and noticelists route files. */

export const bodyObject = (body: unknown): Record<string, unknown> =>
  body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};

/** A filter from the named params, the query string or the body (MISP's `harvestParameters`). */
export function filterParam(req: ActionRequest, name: string): string | undefined {
  const v = req.named[name] ?? req.query[name] ?? bodyObject(req.body)[name];
  const one = Array.isArray(v) ? v[0] : v;
  return one === undefined || one === null || one === '' ? undefined : String(one);
}
