/** An event report (spec §1.1 `event_reports`, §2.8): a markdown document attached to an event. */
export interface EventReport {
  readonly id: number;
  readonly uuid: string;
  readonly eventId: number;
  readonly name: string;
  readonly content: string;
  /** 0–5; 5 inherits the event's distribution. */
  readonly distribution: number;
  /** 0 unless distribution is 4. */
  readonly sharingGroupId: number;
  readonly timestamp: number;
  readonly deleted: boolean;
}

/** The columns of a report's event that eventReports/view and index embed (`EventReport::DEFAULT_CONTAIN`). */
export interface EventReportEvent {
  readonly id: number;
  readonly orgId: number;
  readonly orgcId: number;
  readonly userId: number;
  readonly info: string;
  readonly date: string;
}

/** A report together with the event it belongs to. */
export interface EventReportHit {
  readonly report: EventReport;
  readonly event: EventReportEvent;
}
