import { type Expression, type ExpressionBuilder, type Kysely, type Selectable, sql, type SqlBool } from 'kysely';
import { auditSubject, defaultTitle, redactSecrets } from '../../core/audit/audit-change.js';
import type { AuditLog, AuditLogFilter, AuditRecord, LegacyLogFilter, LogFilterValue } from '../../core/ports/audit-log.js';
import { foldCase } from '../../core/util/fold-case.js';
import type { Database } from '../db-schema.js';
import type { AuditLogsTable } from '../db-schema-access.js';
import type { Dialect } from '../dialect.js';

type Row = Selectable<AuditLogsTable>;
type Eb = ExpressionBuilder<Database, 'audit_logs'>;

/** MISP's paginate default for audit_logs (AuditLogsController::$paginate). */
const AUDIT_PAGE = 60;

function toRecord(r: Row): AuditRecord {
  let change: Record<string, unknown> | null = null;
  if (r.change) {
    try {
      change = JSON.parse(r.change) as Record<string, unknown>;
    } catch {
      change = { message: r.change };
    }
  }
  return {
    id: r.id, created: Number(r.created), userId: r.user_id, orgId: r.org_id, email: r.email, orgName: r.org_name,
    authkeyId: r.authkey_id, ip: r.ip, requestType: r.request_type, requestId: r.request_id, action: r.action,
    model: r.model, modelId: r.model_id, modelTitle: r.model_title, eventId: r.event_id, title: r.title, change,
  };
}

const INT_COLUMNS = new Set(['id', 'model_id', 'user_id']);
const COLUMN_OF: Readonly<Record<string, string>> = { org: 'org_name' };

/**
 * One filter the way MISP's generic_add_filter builds it: plain values OR-ed, `!value` AND NOT-ed, `%` turns
 * a value into a case-insensitive LIKE (MySQL's collation is case-insensitive, so `=` on text is too).
 */
function fieldCondition(eb: Eb, d: Dialect, field: string, value: LogFilterValue): Expression<SqlBool> {
  const values = Array.isArray(value) ? value : [value as string];
  if (field === 'description') {
    // Cairn never writes a legacy description: only an empty or match-all filter matches.
    const ok = values.some((v) => !v.startsWith('!') && /^%*$/.test(v));
    return sql<SqlBool>`${sql.lit(ok ? 1 : 0)} = 1`;
  }
  const col = sql.ref(`audit_logs.${COLUMN_OF[field] ?? field}`);
  const one = (v: string): Expression<SqlBool> => {
    if (INT_COLUMNS.has(field)) return /^-?\d+$/.test(v) ? sql<SqlBool>`${col} = ${Number(v)}` : sql<SqlBool>`1 = 0`;
    if (v.includes('%')) return d.ilike(sql<string>`coalesce(${col}, '')`, v);
    return sql<SqlBool>`${d.lower(sql`coalesce(${col}, '')`)} = ${foldCase(v)}`;
  };
  const include = values.filter((v) => !v.startsWith('!'));
  const exclude = values.filter((v) => v.startsWith('!')).map((v) => v.slice(1));
  const parts: Expression<SqlBool>[] = [];
  if (include.length) parts.push(eb.or(include.map(one)));
  for (const v of exclude) parts.push(eb.not(one(v)));
  return eb.and(parts);
}

function createdCondition(eb: Eb, bounds: readonly number[]): Expression<SqlBool> {
  if (bounds.length === 1) return eb('audit_logs.created', '>=', bounds[0]!);
  const [lo, hi] = [Math.min(bounds[0]!, bounds[1]!), Math.max(bounds[0]!, bounds[1]!)];
  return eb.and([eb('audit_logs.created', '>=', lo), eb('audit_logs.created', '<=', hi)]);
}

export function createAuditLogStore(db: Kysely<Database>, d: Dialect): AuditLog {
  const page = (limit: number | undefined, p: number | undefined) => ({ limit, offset: limit && p ? (p - 1) * limit : 0 });

  return {
    async record(ctx, e) {
      const who = auditSubject(ctx);
      await db.insertInto('audit_logs').values({
        created: ctx.now, user_id: who.userId, org_id: who.orgId, email: who.email, org_name: who.orgName,
        authkey_id: ctx.actor?.authKey?.id ?? null, ip: ctx.ip ?? null, request_type: ctx.authType === 'key' ? 1 : 0,
        request_id: null, action: e.action, model: e.model, model_id: e.modelId, model_title: e.modelTitle ?? null,
        event_id: e.eventId ?? null, change: e.change ? JSON.stringify(redactSecrets(e.change)) : null,
        title: e.title ?? defaultTitle(e.action, e.model, e.modelId, e.modelTitle),
      }).execute();
    },

    async searchLegacy(f: LegacyLogFilter) {
      let q = db.selectFrom('audit_logs').selectAll();
      for (const [field, value] of Object.entries(f.fields)) {
        if (value !== undefined) q = q.where((eb) => fieldCondition(eb, d, field, value));
      }
      if (f.created?.length) q = q.where((eb) => createdCondition(eb, f.created!));
      if (f.onlyOrgName !== undefined) q = q.where('org_name', '=', f.onlyOrgName);
      if (f.onlyUserId !== undefined) q = q.where('user_id', '=', f.onlyUserId);
      q = q.orderBy('id', 'desc');
      const { limit, offset } = page(f.limit, f.page);
      if (limit) q = q.limit(limit).offset(offset);
      return (await q.execute()).map(toRecord);
    },

    async searchAudit(f: AuditLogFilter) {
      let q = db.selectFrom('audit_logs').selectAll();
      const eq = [['user_id', f.userId], ['org_id', f.orgId], ['ip', f.ip], ['authkey_id', f.authkeyId], ['request_id', f.requestId],
        ['request_type', f.requestType], ['model', f.model], ['model_id', f.modelId], ['event_id', f.eventId],
        ['org_id', f.onlyOrgId], ['user_id', f.onlyUserId]] as const;
      for (const [col, v] of eq) if (v !== undefined) q = q.where(col, '=', v as never);
      if (f.modelTitle !== undefined) q = q.where((eb) => d.ilike(sql<string>`coalesce(${eb.ref('model_title')}, '')`, `%${f.modelTitle}%`));
      if (f.actions?.length) q = q.where('action', 'in', f.actions);
      if (f.created?.length) q = q.where((eb) => createdCondition(eb, f.created!));
      const limit = f.limit ?? AUDIT_PAGE;
      return (await q.orderBy('id', 'desc').limit(limit).offset(((f.page ?? 1) - 1) * limit).execute()).map(toRecord);
    },
  };
}
