import type { OrgSummary } from '../model/event.js';
import type { EventReport, EventReportHit } from '../model/event-report.js';

type Json = Record<string, unknown>;

/** `{…report}` of spec §2.8: ids and timestamp as strings, `deleted` a boolean (MISP's tinyint(1)). */
export function toMispEventReport(r: EventReport): Json {
  return {
    id: String(r.id), uuid: r.uuid, event_id: String(r.eventId), name: r.name, content: r.content,
    distribution: String(r.distribution), sharing_group_id: String(r.sharingGroupId), timestamp: String(r.timestamp),
    deleted: r.deleted,
  };
}

export interface EventReportRowContext {
  readonly orgs: ReadonlyMap<number, OrgSummary>;
  readonly sharingGroups: ReadonlyMap<number, { readonly id: number; readonly name: string; readonly uuid: string }>;
}

/**
 * One eventReports/view or index row (`EventReport::DEFAULT_CONTAIN`, spec §2.8): the report, its `SharingGroup`
 * summary (nulls when it has none, as CakePHP renders an empty belongsTo) and its `Event` with `Orgc` and `Org`.
 */
export function toMispEventReportRow(h: EventReportHit, c: EventReportRowContext): Json {
  const e = h.event;
  const sg = h.report.sharingGroupId ? c.sharingGroups.get(h.report.sharingGroupId) : undefined;
  const org = (id: number) => ({ id: String(id), name: c.orgs.get(id)?.name ?? '' });
  return {
    EventReport: toMispEventReport(h.report),
    SharingGroup: sg ? { id: String(sg.id), name: sg.name, uuid: sg.uuid } : { id: null, name: null, uuid: null },
    Event: {
      id: String(e.id), orgc_id: String(e.orgcId), org_id: String(e.orgId), info: e.info, user_id: String(e.userId), date: e.date,
      Orgc: org(e.orgcId), Org: org(e.orgId),
    },
  };
}
