import type { AuditContext } from '../ports/audit-log.js';
import type { Stores } from '../ports/stores.js';
import { editChange, recordChange } from './audit-change.js';

/**
 * One-line audit calls for services (spec §1.4 audit_logs, MISP's AuditLogBehavior). `record` is the MISP wire
 * form of the row (misp-format `toMisp…`), so entries use MISP's field names; secrets are masked by the store.
 * Pass the transaction's stores so the entry commits or rolls back with the change.
 *
 * @example await auditAdd(ctx, tx, 'Organisation', org.id, org.name, toMispOrganisation(org));
 */
type Rec = Readonly<Record<string, unknown>>;

export function auditAdd(ctx: AuditContext, stores: Pick<Stores, 'audit'>, model: string, id: number, title: string | null, record: Rec): Promise<void> {
  return stores.audit.record(ctx, { action: 'add', model, modelId: id, modelTitle: title, change: recordChange(record) });
}

/** Records only the fields that changed; an edit that changed nothing is not logged (as MISP). */
export async function auditEdit(ctx: AuditContext, stores: Pick<Stores, 'audit'>, model: string, id: number, title: string | null,
  before: Rec, after: Rec, extra: Rec = {}): Promise<void> {
  const change = { ...editChange(before, after), ...extra };
  if (Object.keys(change).length === 0) return;
  await stores.audit.record(ctx, { action: 'edit', model, modelId: id, modelTitle: title, change });
}

export function auditDelete(ctx: AuditContext, stores: Pick<Stores, 'audit'>, model: string, id: number, title: string | null, record: Rec): Promise<void> {
  return stores.audit.record(ctx, { action: 'delete', model, modelId: id, modelTitle: title, change: recordChange(record) });
}
