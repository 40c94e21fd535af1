import type { Actor } from '../model/user.js';

/**
 * Who did something, as the audit log keeps it: MISP copies the user's e-mail and organisation name into
 * every legacy `logs` row so that the trail survives the user's deletion (spec §1.4).
 */
export interface AuditSubject {
  readonly userId: number;
  readonly email: string;
  readonly orgId: number;
  readonly orgName: string;
}

/**
 * What `record` needs to know about the request. A `RequestContext` fits as is; requests without an actor
 * (a failed login, a self-registration) pass a `subject` instead, or neither for MISP's `SYSTEM`.
 */
export interface AuditContext {
  readonly now: number;
  readonly actor?: Actor;
  readonly subject?: AuditSubject;
  readonly ip?: string;
  readonly authType?: 'key' | 'session';
}

/**
 * One change (spec §1.4 audit_logs). `change` follows MISP's AuditLogBehavior: on `add`/`delete` the
 * record's fields `{field: value}`, on `edit` only the changed ones `{field: [old, new]}`. Secrets are
 * masked by the store whatever the caller passes (src/core/audit/audit-change.ts).
 */
export interface AuditEntry {
  /** MISP's action: add, edit, delete, login, login_fail, logout, change_pw, serverSettingsEdit, registration… */
  readonly action: string;
  /** MISP's model name: User, Organisation, Role, AuthKey, Server, SharingGroup, Inbox… */
  readonly model: string;
  readonly modelId: number;
  readonly modelTitle?: string | null;
  readonly change?: Readonly<Record<string, unknown>> | null;
  readonly eventId?: number | null;
  /** Legacy `logs.title`; derived from action, model and title when absent. */
  readonly title?: string;
}

/** A filter value as MISP's generic_add_filter reads it: values OR-ed, `!v` negated, `%` a wildcard. */
export type LogFilterValue = string | readonly string[];

/** admin/logs/index filters (LogsController::index $paramArray, spec §3.13). */
export interface LegacyLogFilter {
  readonly fields: Readonly<Partial<Record<'id' | 'title' | 'model' | 'model_id' | 'action' | 'user_id' | 'change' | 'email' | 'org' | 'description' | 'ip', LogFilterValue>>>;
  /** Unix seconds: one bound means "since", two a range (order-insensitive). */
  readonly created?: readonly number[];
  /** Scope set by the ACL: org admins see their organisation's entries, others their own. */
  readonly onlyOrgName?: string;
  readonly onlyUserId?: number;
  readonly limit?: number;
  readonly page?: number;
}

/** admin/audit_logs/index filters (AuditLogsController::__searchConditions); every field is an exact match unless noted. */
export interface AuditLogFilter {
  readonly userId?: number;
  readonly orgId?: number;
  readonly ip?: string;
  readonly authkeyId?: number;
  readonly requestId?: string;
  readonly requestType?: number;
  readonly model?: string;
  readonly modelId?: number;
  readonly eventId?: number;
  /** Substring, case-insensitive. */
  readonly modelTitle?: string;
  readonly actions?: readonly string[];
  readonly created?: readonly number[];
  /** ACL scope (AuditLogsController::__applyAuditAcl), AND-ed with the filters above. */
  readonly onlyOrgId?: number;
  readonly onlyUserId?: number;
  readonly limit?: number;
  readonly page?: number;
}

/** A stored entry, read back with the fields of both MISP views (legacy `Log` and new `AuditLog`). */
export interface AuditRecord {
  readonly id: number;
  readonly created: number;
  readonly userId: number;
  readonly orgId: number;
  readonly email: string;
  readonly orgName: string;
  readonly authkeyId: number | null;
  readonly ip: string | null;
  readonly requestType: number;
  readonly requestId: string | null;
  readonly action: string;
  readonly model: string;
  readonly modelId: number;
  readonly modelTitle: string | null;
  readonly eventId: number | null;
  readonly title: string;
  readonly change: Record<string, unknown> | null;
}

/** The audit trail port: writes go through the same connection or transaction as the change they describe. */
export interface AuditLog {
  record(ctx: AuditContext, entry: AuditEntry): Promise<void>;
  /** Newest first. */
  searchLegacy(filter: LegacyLogFilter): Promise<AuditRecord[]>;
  /** Newest first. */
  searchAudit(filter: AuditLogFilter): Promise<AuditRecord[]>;
}
