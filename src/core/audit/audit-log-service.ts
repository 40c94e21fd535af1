import type { RequestContext } from '../context.js';
import { isRecord, readText } from '../misp-format/input-readers.js';
import { readTimePoint } from '../misp-format/event-read-params.js';
import { readInt } from '../misp-format/scalars.js';
import type { AuditLogFilter, AuditRecord, LegacyLogFilter, LogFilterValue } from '../ports/audit-log.js';
import type { Stores } from '../ports/stores.js';
import { isUuid } from '../util/uuid.js';

/** admin/logs/index and admin/audit_logs/index (spec §3.13; LogsController::index, AuditLogsController::admin_index). */
type Params = Readonly<Record<string, unknown>>;

const LEGACY_FIELDS = ['id', 'title', 'model', 'model_id', 'action', 'user_id', 'change', 'email', 'org', 'description', 'ip'] as const;

/** MISP's _harvestParameters: the JSON body (with or without a model wrapper) overlaid by named URL params. */
export function harvestParams(body: unknown, named: Params, wrapper: string): Record<string, unknown> {
  const outer = isRecord(body) ? body : {};
  const inner = isRecord(outer[wrapper]) ? outer[wrapper] : outer;
  const out: Record<string, unknown> = {};
  for (const [k, v] of [...Object.entries(inner), ...Object.entries(named)]) {
    if (v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0)) out[k] = v;
  }
  return out;
}

function filterValue(v: unknown): LogFilterValue | undefined {
  if (Array.isArray(v)) {
    const list = v.map(readText).filter((x): x is string => x !== undefined);
    return list.length ? list : undefined;
  }
  return readText(v);
}

function timeBounds(v: unknown, now: number): number[] | undefined {
  const list = (Array.isArray(v) ? v : [v]).map((x) => readTimePoint(x, now)).filter((x): x is number => x !== undefined);
  return list.length ? list.slice(0, 2) : undefined;
}

function paging(p: Params): { limit?: number; page?: number } {
  const limit = readInt(p.limit);
  const page = readInt(p.page);
  return { ...(limit !== undefined && limit > 0 ? { limit } : {}), ...(page !== undefined && page > 0 ? { page } : {}) };
}

/**
 * admin/logs/index: every filter of spec §3.13 (`%` wildcards, `!` negation, lists OR-ed); site admins see
 * everything, org admins their organisation's entries (by name, as MISP's logs table keeps it), others their own.
 */
export async function searchLegacyLogs(ctx: RequestContext, stores: Stores, p: Params): Promise<AuditRecord[]> {
  const fields: Record<string, LogFilterValue> = {};
  for (const f of LEGACY_FIELDS) {
    const v = filterValue(p[f]);
    if (v !== undefined) fields[f] = v;
  }
  const created = p.created === undefined ? undefined : timeBounds(p.created, ctx.now);
  const { actor } = ctx;
  const filter: LegacyLogFilter = {
    fields, ...(created ? { created } : {}), ...paging(p),
    ...(actor.isSiteAdmin ? {} : actor.role.perms.perm_admin ? { onlyOrgName: actor.org.name } : { onlyUserId: actor.user.id }),
  };
  return stores.audit.searchLegacy(filter);
}

/** `user`: SYSTEM, an id or an e-mail (unknown e-mails match nothing, as MISP's -1). */
async function userFilter(stores: Stores, raw: string): Promise<number> {
  if (raw.toUpperCase() === 'SYSTEM') return 0;
  if (/^\d+$/.test(raw)) return Number(raw);
  return (await stores.identity.findUser({ email: raw }))?.id ?? -1;
}

/** `org`: an id, a uuid or a name. */
async function orgFilter(stores: Stores, raw: string): Promise<number> {
  if (/^\d+$/.test(raw)) return Number(raw);
  const org = await stores.identity.findOrganisation(isUuid(raw) ? { uuid: raw.toLowerCase() } : { name: raw });
  return org?.id ?? -1;
}

/**
 * admin/audit_logs/index (AuditLogsController::__searchConditions and __applyAuditAcl): `model` may be
 * `Model:id`; site admins see everything, org admins their organisation's entries, others their own.
 */
export async function searchAuditLogs(ctx: RequestContext, stores: Stores, p: Params): Promise<AuditRecord[]> {
  const text = (k: string) => readText(Array.isArray(p[k]) ? (p[k] as unknown[])[0] : p[k]);
  const int = (k: string) => readInt(text(k));
  const f: { -readonly [K in keyof AuditLogFilter]: AuditLogFilter[K] } = { ...paging(p) };
  const user = text('user');
  if (user !== undefined) f.userId = await userFilter(stores, user);
  const org = text('org');
  if (org !== undefined) f.orgId = await orgFilter(stores, org);
  const model = text('model');
  if (model !== undefined) {
    const [name, id] = model.split(':');
    f.model = name!;
    if (id !== undefined && readInt(id) !== undefined) f.modelId = readInt(id)!;
  }
  for (const [k, prop] of [['model_id', 'modelId'], ['event_id', 'eventId'], ['authkey_id', 'authkeyId'], ['request_type', 'requestType']] as const) {
    const v = int(k);
    if (v !== undefined) f[prop] = v;
  }
  for (const [k, prop] of [['ip', 'ip'], ['request_id', 'requestId'], ['model_title', 'modelTitle']] as const) {
    const v = text(k);
    if (v !== undefined) f[prop] = v;
  }
  const action = filterValue(p.action);
  if (action !== undefined) f.actions = (Array.isArray(action) ? action : String(action).split('||')) as string[];
  if (p.created !== undefined) {
    const created = timeBounds(p.created, ctx.now);
    if (created) f.created = created;
  }
  const { actor } = ctx;
  if (!actor.isSiteAdmin) {
    if (actor.role.perms.perm_admin) f.onlyOrgId = actor.org.id;
    else f.onlyUserId = actor.user.id;
  }
  return stores.audit.searchAudit(f);
}
