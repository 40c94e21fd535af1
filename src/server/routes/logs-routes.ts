import { harvestParams, searchAuditLogs, searchLegacyLogs } from '../../core/audit/audit-log-service.js';
import { toMispAuditLog, toMispLog } from '../../core/misp-format/audit-json.js';
import { type ActionDef, controller } from '../action.js';
import type { AppDeps } from '../app-deps.js';

/**
 * LogsController and AuditLogsController (spec §1.4, §3.13; PyMISP search_logs): both read the one audit
 * trail Cairn writes, filtered by a JSON body or named parameters, newest first.
 */
export function logsActions(deps: AppDeps): ActionDef[] {
  const { storage } = deps;
  const logIndex = {
    action: 'index', methods: ['GET', 'POST'], acl: 'perm_audit',
    handler: async ({ ctx, body, named }) =>
      (await searchLegacyLogs(ctx, storage, harvestParams(body, named, 'Log'))).map((r) => ({ Log: toMispLog(r) })),
  } satisfies Omit<ActionDef, 'controller'>;
  return [
    ...controller('logs', [{ ...logIndex, admin: true }, logIndex]),
    ...controller('audit_logs', [
      {
        action: 'index', admin: true, methods: ['GET', 'POST'], acl: 'perm_audit',
        handler: async ({ ctx, body, named }) =>
          (await searchAuditLogs(ctx, storage, harvestParams(body, named, 'AuditLog'))).map(toMispAuditLog),
      },
    ]),
  ];
}
