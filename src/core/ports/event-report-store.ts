import type { DeletedStates, EventViewer } from '../acl/event-visibility.js';
import type { EventReport, EventReportHit } from '../model/event-report.js';
import type { Ref } from '../util/uuid.js';

export type NewEventReport = Omit<EventReport, 'id'>;
export type EventReportChange = Partial<Pick<EventReport, 'name' | 'content' | 'distribution' | 'sharingGroupId' | 'timestamp' | 'deleted'>>;

export interface EventReportFilter {
  /** Reports of these events only. */
  readonly eventIds?: readonly number[];
  /** Soft-deletion states to return, under the owner-org / sync-user rule of spec §4.3. */
  readonly deleted: DeletedStates;
  /** Case-insensitive substring of name or content, or an exact id / uuid (`value` of eventReports/index). */
  readonly value?: string;
}

/**
 * Event reports (EventReport model; spec §2.8, §3.7). Every read takes the viewer: a report is returned only when
 * its event is visible and the report passes the element test of spec §4.3.
 */
export interface EventReportStore {
  insert(row: NewEventReport): Promise<EventReport>;
  update(id: number, change: EventReportChange): Promise<void>;
  delete(id: number): Promise<void>;
  uuidTaken(uuid: string): Promise<boolean>;
  /** The stored report with this uuid, whatever its event or visibility (write paths check the event themselves). */
  findByUuid(uuid: string): Promise<EventReport | undefined>;
  /** One visible report by id or uuid, in any deletion state (`EventReport::simpleFetchById` has no deleted condition). */
  findVisible(viewer: EventViewer, ref: Ref): Promise<EventReportHit | undefined>;
  /** Visible reports, ordered by event then id. */
  listVisible(viewer: EventViewer, filter: EventReportFilter): Promise<EventReportHit[]>;
}
