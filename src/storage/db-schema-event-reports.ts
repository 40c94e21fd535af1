import type { Generated } from 'kysely';

/** Row type of event reports (migration 0017), MISP's column names. */
export interface EventReportsTable {
  id: Generated<number>;
  uuid: string;
  event_id: number;
  name: string;
  content: string;
  /** 0–5; 5 inherits the event's. */
  distribution: number;
  sharing_group_id: number;
  timestamp: number;
  deleted: number;
}

export interface EventReportTables {
  event_reports: EventReportsTable;
}
