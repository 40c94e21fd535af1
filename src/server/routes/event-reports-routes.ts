import {
  addEventReport, deleteEventReport, editEventReport, listEventReports, restoreEventReport, viewEventReport,
} from '../../core/event-reports/event-report-service.js';
import { isRecord } from '../../core/misp-format/input-readers.js';
import { toMispEventReportRow } from '../../core/misp-format/event-report-json.js';
import { readBool } from '../../core/misp-format/scalars.js';
import type { EventReportHit } from '../../core/model/event-report.js';
import type { Stores } from '../../core/ports/stores.js';
import { type ActionDef, type ActionRequest, controller, success } from '../action.js';
import type { AppDeps } from '../app-deps.js';

const REPORT_FIELDS = ['name', 'content', 'distribution', 'sharing_group_id', 'uuid', 'timestamp'];

/** A named parameter, query parameter or body field (IndexFilter::harvestParameters), first value only. */
function param(req: ActionRequest, name: string): string | undefined {
  const body = isRecord(req.body) ? req.body : {};
  const v = body[name] ?? req.named[name] ?? req.query[name];
  const first = Array.isArray(v) ? v[0] : v;
  return first === undefined || first === null ? undefined : String(first);
}

/** The report rows with their `SharingGroup` and `Event` (with `Orgc`, `Org`) blocks, in two lookups. */
async function rows(stores: Stores, hits: readonly EventReportHit[]): Promise<unknown[]> {
  const [orgs, sharingGroups] = await Promise.all([
    stores.eventReads.organisations([...new Set(hits.flatMap((h) => [h.event.orgId, h.event.orgcId]))]),
    stores.eventReads.sharingGroupSummaries(hits.map((h) => h.report.sharingGroupId)),
  ]);
  return hits.map((h) => toMispEventReportRow(h, { orgs, sharingGroups }));
}

/** EventReportsController (spec §3.7): add/edit/delete/restore need perm_add; view and index anyone, through §4.3. */
export function eventReportsActions(deps: AppDeps): ActionDef[] {
  const stores = deps.storage;
  const tx = deps.storage.transaction.bind(deps.storage);
  const one = async (hit: EventReportHit) => (await rows(stores, [hit]))[0];
  return controller('eventReports', [
    {
      action: 'add', methods: ['POST', 'PUT'], acl: 'perm_add',
      describe: { description: 'POST an EventReport JSON to attach a report to the Event.', mandatory: ['name'], optional: REPORT_FIELDS },
      handler: async ({ ctx, passed, body }) => one(await tx((s) => addEventReport(ctx, s, passed[0], body))),
    },
    {
      action: 'edit', methods: ['POST', 'PUT'], acl: 'perm_add',
      describe: { description: 'POST the fields of the EventReport to change.', mandatory: [], optional: REPORT_FIELDS },
      handler: async ({ ctx, passed, body }) => one(await tx((s) => editEventReport(ctx, s, passed[0], body))),
    },
    {
      action: 'view', methods: ['GET'], acl: '*',
      handler: async ({ ctx, passed }) => one(await viewEventReport(ctx, stores, passed[0])),
    },
    {
      action: 'index', methods: ['GET', 'POST'], acl: '*',
      handler: async (req) => rows(stores, await listEventReports(req.ctx, stores, {
        eventId: param(req, 'event_id'), value: param(req, 'value'), context: param(req, 'context'),
      })),
    },
    {
      action: 'delete', methods: ['POST', 'DELETE'], acl: 'perm_add',
      handler: async ({ ctx, passed, body }) => {
        // hard deletion: `/1` in the path or `{"hard": 1}` in the body (PyMISP sends the latter)
        const hard = readBool(passed[1]) === true || (isRecord(body) && readBool(body.hard) === true);
        const message = await tx((s) => deleteEventReport(ctx, s, passed[0], hard));
        return success(message, `/event_reports/delete/${passed[0] ?? ''}`, passed[0]);
      },
    },
    {
      action: 'restore', methods: ['POST'], acl: 'perm_add',
      handler: async ({ ctx, passed }) => {
        const message = await tx((s) => restoreEventReport(ctx, s, passed[0]));
        return success(message, `/event_reports/restore/${passed[0] ?? ''}`, passed[0]);
      },
    },
  ]);
}
