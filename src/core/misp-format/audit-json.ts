import { legacyChangeText } from '../audit/audit-change.js';
import type { AuditRecord } from '../ports/audit-log.js';
import type { InboxItem } from '../ports/registration-store.js';
import { datetime } from './scalars.js';

/** One `{"Log": …}` row of admin/logs/index (spec §1.4 `logs`, §3.13; PyMISP MISPLog). */
export function toMispLog(r: AuditRecord): Record<string, unknown> {
  return {
    id: String(r.id), title: r.title, created: datetime(r.created), model: r.model, model_id: String(r.modelId),
    action: r.action, user_id: String(r.userId), change: legacyChangeText(r.action, r.change), email: r.email,
    org: r.orgName, description: '', ip: r.ip ?? '',
  };
}

/** AuditLog::generateUserFriendlyTitle for the entries Cairn writes. */
function friendlyTitle(r: AuditRecord): string {
  if (['Attribute', 'Object', 'ShadowAttribute'].includes(r.model)) {
    const base = `${r.model === 'ShadowAttribute' ? 'Proposal' : r.model} from Event #${r.eventId ?? 0}`;
    return r.modelTitle ? `${base}: ${r.modelTitle}` : base;
  }
  return r.modelTitle ?? '';
}

/** One row of admin/audit_logs/index: `AuditLog` with the `User` and `Organisation` it names (paginate contain). */
export function toMispAuditLog(r: AuditRecord): Record<string, unknown> {
  return {
    AuditLog: {
      id: String(r.id), created: datetime(r.created), user_id: String(r.userId), org_id: String(r.orgId),
      action: r.action, model: r.model, model_id: String(r.modelId), model_title: r.modelTitle,
      event_id: r.eventId === null ? null : String(r.eventId), change: r.change ?? '', ip: r.ip,
      request_type: String(r.requestType), authkey_id: r.authkeyId === null ? null : String(r.authkeyId),
      request_id: r.requestId, title: friendlyTitle(r),
    },
    User: r.userId ? { id: String(r.userId), email: r.email } : {},
    Organisation: r.orgId ? { id: String(r.orgId), name: r.orgName } : {},
  };
}

/** `{"Inbox": …}` as users/registrations/index returns it, `data` decoded (UsersController::registrations). */
export function toMispInbox(i: InboxItem): Record<string, unknown> {
  return {
    Inbox: {
      id: String(i.id), uuid: i.uuid, title: i.title, type: i.type, ip: i.ip, user_agent: i.userAgent,
      user_agent_sha256: i.userAgentSha256, comment: i.comment, deleted: i.deleted, timestamp: String(i.timestamp),
      store_as_file: i.storeAsFile, data: i.data,
    },
  };
}
