import type { EventViewer } from '../acl/event-visibility.js';

/** One organisation's share of the events the viewer sees (users/statistics/orgs). */
export interface OrgActivity {
  readonly orgId: number;
  readonly events: number;
  readonly attributes: number;
}

/**
 * Aggregates behind attributes/attributeStatistics, tags/tagStatistics and users/statistics (spec §3.13). Counts of
 * events, attributes and tags are taken over what the viewer may see (MISP counts the whole instance; Cairn does
 * not let counts or tag names reveal data a user cannot see). Site admins see the instance totals.
 */
export interface StatisticsStore {
  /** Attributes in scope (active and, as the deleted rules allow, soft-deleted) grouped by `type` or `category`. */
  attributesBy(viewer: EventViewer, column: 'type' | 'category'): Promise<Map<string, number>>;
  /** Active attributes per type, of all visible events or of those created by `orgcId`. */
  activeAttributeTypes(viewer: EventViewer, orgcId?: number): Promise<Map<string, number>>;
  /** Event tags on visible events: tag name → number of events. */
  eventTagCounts(viewer: EventViewer): Promise<Map<string, number>>;
  /** Visible events, optionally changed since a Unix time. */
  countEvents(viewer: EventViewer, since?: number): Promise<number>;
  /** Active attributes in scope, optionally changed since a Unix time. */
  countAttributes(viewer: EventViewer, since?: number): Promise<number>;
  /** Creator orgs of the visible events with their event and attribute counts. */
  orgActivity(viewer: EventViewer): Promise<OrgActivity[]>;
  countCorrelations(): Promise<number>;
  countPendingProposals(): Promise<number>;
  countUsers(filter?: { readonly createdSince?: number; readonly withPgpKey?: boolean }): Promise<number>;
  /** Users per organisation. */
  usersPerOrg(): Promise<Map<number, number>>;
  /** `date_created` is MISP datetime text. */
  countOrganisations(filter?: { readonly local?: boolean; readonly createdSince?: string }): Promise<number>;
  /** The org's own sightings, optionally newer than a Unix time. */
  sightingsOfOrg(orgId: number, since?: number): Promise<Array<{ readonly type: number; readonly source: string; readonly eventId: number }>>;
}
